//! The citizen's side (issue 22 §1), end to end with the real parts: a desk enrolled
//! with a centre that announces its public address takes a dossier in offline and
//! prints Mẫu 01; `zbarimg` reads the QR; the desk syncs; headless Chromium opens the
//! page at 360×740 (screenshot and DOM); the centre records "result ready" and the
//! page changes. Unknown tokens all get one answer and set off the rate limit.

mod sync_support;

#[path = "common/qr.rs"]
mod qr;

#[path = "common/browser.rs"]
mod browser;

use std::path::Path;
use std::process::Command;

use motcua::domain::action::ActionRequest;
use motcua::domain::clock::now_vn;
use motcua::domain::rating::RatingChannel;
use motcua::domain::tracking::{TOKEN_CHARS, TrackingToken};
use qr::qr_of;
use sync_support::*;

/// Mẫu 01 of `code` as a PDF, through the desk's command line.
fn print_receipt(desk: &Desk, code: &str, pdf: &Path) {
    let out = Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", desk.dir.path())
        .env("MOTCUA_CLERK", "Trần Văn Bình")
        .args(["print", code, "--form", "01", "--paper", "a5", "--out"])
        .arg(pdf)
        .output()
        .expect("motcua print runs");
    assert!(
        out.status.success(),
        "motcua print: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Status of a form POST.
fn post(url: &str, form: &[(&str, &str)]) -> u16 {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    block_on(async {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post")
            .status()
            .as_u16()
    })
}

#[test]
fn the_receipt_qr_opens_a_page_that_follows_the_dossier() {
    let db = fresh_database();
    let (centre, desk) = centre_with_public_url(&db);

    // Offline: the token is made at intake, the QR printed before any sync.
    let code = desk.take_dossiers(1).remove(0);
    let state = desk.store().dossier(&code).expect("dossier");
    let token = state.tracking.clone().expect("a token at intake");
    assert_eq!(token.as_str().len(), TOKEN_CHARS);
    assert!(!token.as_str().contains(&code) && !code.contains(token.as_str()));
    let work = tempfile::tempdir().expect("work dir");
    let pdf = work.path().join("mau01.pdf");
    print_receipt(&desk, &code, &pdf);
    let url = qr_of(&pdf, work.path());
    assert_eq!(url, format!("{}/tra-cuu/{}", centre.url(), token.as_str()));

    // Not synced yet: the one answer for every unknown token.
    let (status, before) = http_get(&url);
    assert_eq!(status, 404);
    assert!(before.contains("Không tìm thấy hồ sơ"), "{before}");

    desk.sync(None).expect("synced");
    let (status, page) = http_get(&url);
    assert_eq!(status, 200, "{page}");
    assert!(page.len() < 30 * 1024, "page weighs {} bytes", page.len());
    assert!(page.contains(&code));
    assert!(page.contains("Nguyễn T. N. Á."), "{page}");
    assert!(page.contains("Cập nhật lần cuối: "), "{page}");
    assert!(page.contains("Hồ sơ đã được tiếp nhận"), "{page}");
    assert!(!page.contains("<script"));
    let c = &state.content;
    for secret in [
        c.applicant.identity.id_text().to_string(),
        c.applicant.phone.clone().unwrap_or_default(),
        c.applicant.address.clone(),
        c.applicant.full_name.clone(),
    ] {
        if !secret.is_empty() {
            assert!(!page.contains(&secret), "the page shows {secret}");
        }
    }

    // What a phone shows: Chromium at 360×740.
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("citizen");
    std::fs::create_dir_all(&shots).expect("shots dir");
    browser::screenshot(&url, 360, 740, &shots.join("tra-cuu-tiep-nhan.png"));
    let dom = browser::dump_dom(&url);
    assert!(dom.contains("Tình trạng hồ sơ") && dom.contains("Nguyễn T. N. Á."));

    // The centre records the result: the page says so at once.
    centre.admin(&["record", &code, "result-ready", "--by", "Phòng Tư pháp"]);
    let (_, ready) = http_get(&url);
    assert!(ready.contains("Đã có kết quả"), "{ready}");
    assert!(ready.contains("Có kết quả, chờ trả"), "{ready}");
    browser::screenshot(&url, 360, 740, &shots.join("tra-cuu-co-ket-qua.png"));

    // Returned at the counter, synced: the page offers the rating form; a post with
    // the page's nonce writes one Rated event at the centre, which reaches the desk.
    desk.sync(None).expect("pulls the result");
    desk.store()
        .record(
            &code,
            ActionRequest::Return {
                collected_by: None,
                note: String::new(),
            },
            None,
            "Trần Văn Bình",
            now_vn(),
        )
        .expect("returned");
    desk.sync(None).expect("pushes the return");
    let (_, returned) = http_get(&url);
    assert!(returned.contains("Đánh giá sự hài lòng"), "{returned}");
    browser::screenshot(&url, 360, 740, &shots.join("tra-cuu-danh-gia.png"));
    let nonce = returned
        .split("name=\"nonce\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a nonce in the form")
        .to_string();
    let form = [
        ("nonce", nonce.as_str()),
        ("chi_so_4", "b"),
        ("chi_so_6", "a"),
        ("chi_so_7", "a"),
    ];
    assert_eq!(post(&url, &[("nonce", "1.abc"), ("chi_so_7", "a")]), 400);
    assert_eq!(post(&url, &form), 303);
    assert_eq!(post(&url, &form), 409, "one rating per dossier");
    let (_, thanked) = http_get(&url);
    assert!(thanked.contains("Cảm ơn Ông/Bà đã đánh giá"), "{thanked}");
    desk.sync(None).expect("pulls the rating");
    let rating = desk
        .store()
        .dossier(&code)
        .expect("dossier")
        .rating
        .expect("the web rating reached the desk");
    assert_eq!(rating.channel, RatingChannel::Web);
    assert_eq!(rating.answers.len(), 3);
    let report = centre.admin(&["ratings", "--unit", UNIT_A]);
    assert!(
        report.contains("1 đánh giá (0 tại quầy, 1 trực tuyến)"),
        "{report}"
    );
    assert!(
        report.contains("Chỉ số 4: Số cơ quan, đơn vị phải liên hệ — 1.00/2"),
        "{report}"
    );

    // Without the receipt: the code and the last four digits of the ID number.
    let id = c.applicant.identity.id_text();
    let last4 = &id[id.len() - 4..];
    let (status, _) = http_get(&format!("{}/tra-cuu?ma={code}&so={last4}", centre.url()));
    assert_eq!(status, 303);
    let (status, wrong) = http_get(&format!("{}/tra-cuu?ma={code}&so=0000", centre.url()));
    assert_eq!(status, 404, "{wrong}");
}

#[test]
fn random_tokens_find_nothing_and_trip_the_limit() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolled");
    desk.take_dossiers(3);
    desk.sync(None).expect("synced");

    // 10,000 random tokens against the centre's own look-up: no hit.
    let hits = block_on(async {
        let pool = motcua::centre::db::pool(&db, 2).expect("pool");
        let client = pool.get().await.expect("client");
        let mut hits = 0;
        for _ in 0..10_000 {
            let t = TrackingToken::generate().expect("token");
            if motcua::centre::citizen_lookup::by_token(&client, &t)
                .await
                .expect("lookup")
                .is_some()
            {
                hits += 1;
            }
        }
        hits
    });
    assert_eq!(hits, 0);

    // Over HTTP from one address: the same page for malformed and absent tokens, then
    // 429 for everything.
    let (s1, malformed) = http_get(&format!("{}/tra-cuu/khong-phai-ma%3Cb%3E", centre.url()));
    let t = TrackingToken::generate().expect("token");
    let (s2, absent) = http_get(&format!("{}/tra-cuu/{}", centre.url(), t.as_str()));
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(malformed, absent);
    let mut limited_after = None;
    for i in 0..100 {
        let t = TrackingToken::generate().expect("token");
        let (s, _) = http_get(&format!("{}/tra-cuu/{}", centre.url(), t.as_str()));
        if s == 429 {
            limited_after = Some(i);
            break;
        }
        assert_eq!(s, 404);
    }
    assert!(limited_after.is_some(), "the limit never tripped");
}
