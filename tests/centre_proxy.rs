//! The client's address behind a reverse proxy (issue 22 §1, issue 21's sign-in
//! throttle), through the real `motcua-centre serve`: `X-Forwarded-For` counts only
//! from a proxy named with `--trusted-proxy` (here `MOTCUA_CENTRE_TRUSTED_PROXIES`), so
//! a citizen cannot pick their address, and behind the proxy two citizens are two.

#[path = "console_support/mod.rs"]
mod console_support;
mod sync_support;

use std::time::Duration;

use console_support::*;
use motcua::domain::tracking::TrackingToken;

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A served centre, once it answers.
fn served(db: &str, env: &[(&str, &str)]) -> (String, KillOnDrop) {
    let (port, child) = serve_centre_process(db, env);
    let base = format!("http://127.0.0.1:{port}");
    let health = format!("{base}/healthz");
    eventually(Duration::from_secs(30), || {
        block_on(async { http().get(&health).send().await.map_err(|e| e.to_string()) }).map(|_| ())
    });
    (base, child)
}

/// The status of a look-up of a random (unknown) token, as sent with `forwarded`.
fn unknown_token(base: &str, forwarded: &str) -> u16 {
    let t = TrackingToken::generate().expect("token");
    let url = format!("{base}/tra-cuu/{}", t.as_str());
    block_on(async {
        let resp = http()
            .get(&url)
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .expect("answer");
        resp.status().as_u16()
    })
}

/// The status of a sign-in (form, then post with its CSRF cookie) sent with `forwarded`.
fn sign_in(base: &str, forwarded: &str, user: &str, password: &str) -> u16 {
    let url = format!("{base}/quan-tri/dang-nhap");
    block_on(async {
        let form = http()
            .get(&url)
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .expect("form");
        let pre = form
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("mc_pre="))
            .and_then(|v| v.split(';').next())
            .expect("pre cookie")
            .to_string();
        let body = format!(
            "username={}&password={}&csrf={}",
            enc(user),
            enc(password),
            enc(&pre)
        );
        let resp = http()
            .post(&url)
            .header("x-forwarded-for", forwarded)
            .header("cookie", format!("mc_pre={pre}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("answer");
        resp.status().as_u16()
    })
}

/// Percent-encoding of a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn a_forged_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let c = console();
    let (base, _centre) = served(&c.db, &[]);
    // Every request claims another address; all count against the peer's own.
    let mut limited_after = None;
    for i in 0..40 {
        let s = unknown_token(&base, &format!("198.51.100.{i}"));
        if s == 429 {
            limited_after = Some(i);
            break;
        }
        assert_eq!(s, 404);
    }
    assert_eq!(limited_after, Some(20), "20 misses, then held");
    // The sign-in throttle likewise: ten failures, each "from" elsewhere, hold the peer.
    for i in 0..10 {
        let s = sign_in(&base, &format!("198.51.100.{i}"), "khong.co.ai", PASSWORD);
        assert_eq!(s, 401);
    }
    assert_eq!(sign_in(&base, "203.0.113.99", PROVINCE, PASSWORD), 429);
}

#[test]
fn through_a_trusted_proxy_each_citizen_has_their_own_limit() {
    let c = console();
    let proxies = [("MOTCUA_CENTRE_TRUSTED_PROXIES", "127.0.0.1/32,10.0.0.0/8")];
    let (base, _centre) = served(&c.db, &proxies);
    // Citizen A walks through tokens and is held…
    for _ in 0..20 {
        assert_eq!(unknown_token(&base, "203.0.113.7"), 404);
    }
    assert_eq!(unknown_token(&base, "203.0.113.7"), 429);
    // …also when A writes another address on the left (the proxy appended A's), and
    // behind a second trusted proxy.
    assert_eq!(unknown_token(&base, "198.51.100.1, 203.0.113.7"), 429);
    assert_eq!(unknown_token(&base, "203.0.113.7, 10.0.0.2"), 429);
    // Citizen B, through the same proxy, is not.
    assert_eq!(unknown_token(&base, "203.0.113.8"), 404);

    // Sign-in: A's ten failures hold A off; B signs in.
    for _ in 0..10 {
        assert_eq!(sign_in(&base, "203.0.113.7", "khong.co.ai", PASSWORD), 401);
    }
    assert_eq!(sign_in(&base, "203.0.113.7", PROVINCE, PASSWORD), 429);
    assert_eq!(sign_in(&base, "203.0.113.8", PROVINCE, PASSWORD), 303);
}

#[test]
fn a_bad_trusted_proxy_range_stops_the_start_in_vietnamese() {
    let out = std::process::Command::new(centre_bin())
        .args(["serve", "--trusted-proxy", "10.0.0.0/33"])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dải địa chỉ proxy '10.0.0.0/33' không hợp lệ"),
        "{err}"
    );
}
