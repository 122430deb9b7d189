//! A minimal WebDriver client (W3C, JSON over HTTP) for Debian's `chromedriver` driving
//! headless Chromium: open a page, type into a field, click, read the DOM, photograph.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::sync_support::{block_on, free_port};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium session.
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is missing: run `bash .ci/setup` (Debian chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            http,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while browser.call("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--hide-scrollbars"]}}}});
        let v = browser
            .call("POST", "/session", Some(caps))
            .expect("new session");
        browser.session = v["sessionId"].as_str().expect("session id").to_string();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let http = self.http.clone();
        let method = method.to_string();
        block_on(async move {
            let req = match method.as_str() {
                "GET" => http.get(url),
                "DELETE" => http.delete(url),
                _ => http
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body.unwrap_or_else(|| json!({})).to_string()),
            };
            let resp = req.send().await.map_err(|e| e.to_string())?;
            let status = resp.status();
            let text = resp.text().await.map_err(|e| e.to_string())?;
            let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            if status.is_success() {
                Ok(v["value"].clone())
            } else {
                Err(format!("{status}: {v}"))
            }
        })
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
            .unwrap_or_else(|e| panic!("webdriver {path}: {e}"))
    }

    pub fn open(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({"url": url})));
    }

    pub fn url(&self) -> String {
        self.session_call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn element(&self, css: &str) -> String {
        let v = self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("element {css}: {v}"))
            .to_string()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.session_call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        );
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// The DOM as the browser holds it.
    pub fn source(&self) -> String {
        self.session_call("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The text a person sees (scripts, had any run, would show here).
    /// Retried while a page is being replaced (its body goes stale under the call).
    pub fn text(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.try_text() {
                Ok(text) => return text,
                Err(e) if Instant::now() > deadline => panic!("webdriver text: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    fn try_text(&self) -> Result<String, String> {
        let path = format!("/session/{}/element", self.session);
        let v = self.call(
            "POST",
            &path,
            Some(json!({"using": "css selector", "value": "body"})),
        )?;
        let id = v[ELEMENT].as_str().ok_or("no body")?.to_string();
        let t = self.call("GET", &format!("{path}/{id}/text"), None)?;
        Ok(t.as_str().unwrap_or_default().to_string())
    }

    /// Waits (up to 10 s) for the page address to end with `suffix`: a click that
    /// submits a form may return before the next page has loaded.
    pub fn wait_url(&self, suffix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url();
            if url.ends_with(suffix) || Instant::now() > deadline {
                return url;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits (up to 10 s) for the page to show `needle`; returns the text shown last.
    pub fn wait_text(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text();
            if text.contains(needle) || Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn screenshot(&self, png: &Path) {
        let b64 = self.session_call("GET", "/screenshot", None);
        let bytes = decode_base64(b64.as_str().expect("base64"));
        if let Some(dir) = png.parent() {
            std::fs::create_dir_all(dir).expect("shots dir");
        }
        std::fs::write(png, bytes).expect("write png");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let v = ABC.iter().position(|a| *a == c).expect("base64 digit") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
