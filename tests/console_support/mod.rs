//! The console's test harness: a centre with two units and one account per role, an
//! HTTP client that keeps cookies by hand (so a test can forge or withhold them), and
//! a small WebDriver client for Chromium through `chromedriver`.
#![allow(dead_code)]

pub mod webdriver;

use std::io::Write;
use std::process::{Command, Stdio};

pub use crate::sync_support::*;

pub const PASSWORD: &str = "mật-khẩu-đủ-dài-1";
pub const PROVINCE: &str = "tinh.an";
pub const LEADER_A: &str = "lanhdao.a";
pub const AUDITOR: &str = "kiemtra";

/// `motcua-centre operator add …` with `password` on standard input.
pub fn operator_add(db: &str, args: &[&str], password: &str) -> std::process::Output {
    let mut child = Command::new(centre_bin())
        .args(["operator", "add"])
        .args(args)
        .env("DATABASE_URL", db)
        .env("MOTCUA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("motcua-centre runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(format!("{password}\n").as_bytes())
            .expect("write password");
    }
    child.wait_with_output().expect("output")
}

pub struct Console {
    pub db: String,
    pub centre: Centre,
}

/// A fresh centre with units A and B and the three accounts.
pub fn console() -> Console {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    for (user, name, role, unit) in [
        (PROVINCE, "Nguyễn Thị An", "province", None),
        (LEADER_A, "Trần Văn Bình", "leader", Some(UNIT_A)),
        (AUDITOR, "Lê Thị Cúc", "auditor", None),
    ] {
        let mut args = vec!["--username", user, "--name", name, "--role", role];
        if let Some(u) = unit {
            args.extend(["--unit", u]);
        }
        let out = operator_add(&db, &args, PASSWORD);
        assert!(out.status.success(), "{out:?}");
    }
    Console { db, centre }
}

/// Runs SQL on the test database.
pub fn sql(db: &str, statement: &str) {
    let db = db.to_string();
    let statement = statement.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        client.batch_execute(&statement).await.expect("sql");
        drop(client);
        let _ = task.await;
    });
}

/// One integer from a query.
pub fn sql_i64(db: &str, query: &str) -> i64 {
    let db = db.to_string();
    let query = query.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let n: i64 = client.query_one(&query, &[]).await.expect("query").get(0);
        drop(client);
        let _ = task.await;
        n
    })
}

/// An answer: status, headers and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The value a `Set-Cookie` gives `name` (`Some("")` when it clears it).
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let first = v.split(';').next()?;
                let (k, val) = first.split_once('=')?;
                (k == name).then(|| val.to_string())
            })
    }

    pub fn set_cookie_line(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
}

/// A browser-like client: cookies kept in `cookies` by hand, redirects not followed.
pub struct Web {
    pub base: String,
    pub cookies: Vec<(String, String)>,
    http: reqwest::Client,
}

impl Web {
    pub fn new(base: &str) -> Web {
        Web {
            base: base.to_string(),
            cookies: Vec::new(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.cookies.retain(|(k, _)| k != name);
        if !value.is_empty() {
            self.cookies.push((name.to_string(), value.to_string()));
        }
    }

    fn keep(&mut self, a: &Answer) {
        for name in ["mc_sid", "mc_pre"] {
            if let Some(v) = a.set_cookie(name) {
                self.set(name, &v);
            }
        }
    }

    pub fn get(&mut self, path: &str) -> Answer {
        let req = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header());
        let a = send(req);
        self.keep(&a);
        a
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        let a = send(req);
        self.keep(&a);
        a
    }

    /// Opens the sign-in form and posts it; returns the post's answer.
    pub fn sign_in(&mut self, user: &str, password: &str) -> Answer {
        let form = self.get("/quan-tri/dang-nhap");
        assert_eq!(form.status, 200, "{}", form.body);
        let pre = form.set_cookie("mc_pre").expect("pre cookie");
        self.post(
            "/quan-tri/dang-nhap",
            &[("username", user), ("password", password), ("csrf", &pre)],
        )
    }

    /// The CSRF token of the page at `path` (the first hidden `csrf` field).
    pub fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path);
        hidden_csrf(&page.body).expect("csrf field")
    }
}

pub fn hidden_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}

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

fn send(req: reqwest::RequestBuilder) -> Answer {
    block_on(async move {
        let resp = req.send().await.expect("answer");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.text().await.expect("body");
        Answer {
            status,
            headers,
            body,
        }
    })
}
