//! Headless Chromium (Debian's `chromium`) for the web page tests: a page's DOM as the
//! browser built it, and a screenshot at a phone's or a desk's size. A missing browser is
//! a failure, not a skip: `.ci/setup` installs it.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

fn chromium() -> Command {
    let bin = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| which(b))
        .expect("Chromium is missing: run `bash .ci/setup` (Debian package chromium)");
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
    ]);
    cmd
}

fn which(bin: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {bin}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The DOM Chromium built from `url` (after parsing; no script runs on our pages).
pub fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = chromium()
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(out.status.success(), "chromium --dump-dom {url}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A PNG of `url` at `width`×`height` CSS pixels, written to `png`.
pub fn screenshot(url: &str, width: u32, height: u32, png: &Path) {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = chromium()
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success() && png.exists(),
        "chromium --screenshot {url}: {out:?}"
    );
}
