//! The console's accounts (issue 21): each operator changes their own password (the old
//! one required), the province operator disables, enables and resets an account (CSRF,
//! audited, the account's sessions ended at once), and ended sessions are swept by
//! `serve` itself, not only at the next sign-in.

#[path = "console_support/mod.rs"]
mod console_support;
mod sync_support;

use std::time::Duration;

use console_support::webdriver;
use console_support::*;

const ACCOUNTS: &str = "/quan-tri/tai-khoan";
const NEW_PASSWORD: &str = "mật-khẩu-mới-dài-2";

fn sessions_of(db: &str, user: &str) -> i64 {
    sql_i64(
        db,
        &format!("SELECT count(*) FROM console_session WHERE username = '{user}'"),
    )
}

fn audited(db: &str, action: &str) -> i64 {
    sql_i64(
        db,
        &format!("SELECT count(*) FROM operator_audit WHERE action = '{action}'"),
    )
}

#[test]
fn every_operator_changes_their_own_password_with_the_old_one() {
    let c = console();
    let mut here = Web::new(&c.centre.url());
    let mut there = Web::new(&c.centre.url());
    assert_eq!(here.sign_in(LEADER_A, PASSWORD).status, 303);
    assert_eq!(there.sign_in(LEADER_A, PASSWORD).status, 303);
    let page = here.get(ACCOUNTS);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Đổi mật khẩu của tôi"), "{}", page.body);
    assert!(
        !page.body.contains("Các tài khoản quản trị"),
        "a leader manages no one"
    );
    let csrf = hidden_csrf(&page.body).expect("csrf");
    let change = |web: &mut Web, csrf: &str, old: &str, new: &str, again: &str| {
        web.post(
            "/quan-tri/tai-khoan/mat-khau",
            &[("csrf", csrf), ("old", old), ("new", new), ("again", again)],
        )
    };

    // Refused: no CSRF token, a wrong old password, two different new ones, a short one.
    assert_eq!(
        change(&mut here, "", PASSWORD, NEW_PASSWORD, NEW_PASSWORD).status,
        403
    );
    let wrong = change(
        &mut here,
        &csrf,
        "khong-phai-mat-khau",
        NEW_PASSWORD,
        NEW_PASSWORD,
    );
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("Mật khẩu đang dùng không đúng"));
    let differ = change(&mut here, &csrf, PASSWORD, NEW_PASSWORD, "khac-nhau-123");
    assert_eq!(differ.status, 400);
    assert!(differ.body.contains("không giống nhau"));
    let short = change(&mut here, &csrf, PASSWORD, "ngan", "ngan");
    assert_eq!(short.status, 400);
    assert!(short.body.contains("cần từ 10 ký tự"), "{}", short.body);
    assert_eq!(audited(&c.db, "operator password"), 0);

    let done = change(&mut here, &csrf, PASSWORD, NEW_PASSWORD, NEW_PASSWORD);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Đã đổi mật khẩu"));
    assert_eq!(audited(&c.db, "operator password"), 1);
    // This browser stays signed in; the other one is signed out.
    assert_eq!(here.get("/quan-tri/quay").status, 200);
    assert_eq!(there.get("/quan-tri/quay").status, 303);
    assert_eq!(sessions_of(&c.db, LEADER_A), 1);
    assert_eq!(
        Web::new(&c.centre.url()).sign_in(LEADER_A, PASSWORD).status,
        401
    );
    assert_eq!(
        Web::new(&c.centre.url())
            .sign_in(LEADER_A, NEW_PASSWORD)
            .status,
        303
    );
    // Guessing the old password counts like failed sign-ins from the address (one wrong
    // old password and one wrong sign-in so far): the tenth holds the address off.
    let csrf = here.csrf(ACCOUNTS);
    for _ in 0..8 {
        let s = change(
            &mut here,
            &csrf,
            "doan-mat-khau-1",
            "x".repeat(12).as_str(),
            "x".repeat(12).as_str(),
        );
        assert_eq!(s.status, 403);
    }
    let held = change(&mut here, &csrf, NEW_PASSWORD, PASSWORD, PASSWORD);
    assert_eq!(held.status, 429, "{}", held.body);
    assert!(held.body.contains("quá nhiều lần nhập sai"));
}

#[test]
fn the_province_disables_enables_and_resets_an_account() {
    let c = console();
    let mut province = Web::new(&c.centre.url());
    let mut leader = Web::new(&c.centre.url());
    assert_eq!(province.sign_in(PROVINCE, PASSWORD).status, 303);
    assert_eq!(leader.sign_in(LEADER_A, PASSWORD).status, 303);
    let page = province.get(ACCOUNTS);
    assert!(page.body.contains("Các tài khoản quản trị") && page.body.contains(LEADER_A));
    let csrf = hidden_csrf(&page.body).expect("csrf");
    let state = |web: &mut Web, csrf: &str, user: &str, enable: &str| {
        web.post(
            "/quan-tri/tai-khoan/trang-thai",
            &[("csrf", csrf), ("username", user), ("enable", enable)],
        )
    };

    // Only the province, only with the session's token, never oneself.
    let leader_csrf = leader.csrf(ACCOUNTS);
    assert_eq!(state(&mut leader, &leader_csrf, AUDITOR, "0").status, 403);
    assert_eq!(state(&mut province, "sai", LEADER_A, "0").status, 403);
    let own = state(&mut province, &csrf, PROVINCE, "0");
    assert_eq!(own.status, 400);
    assert!(own.body.contains("Không tự vô hiệu hóa"));
    assert_eq!(state(&mut province, &csrf, "khong.co.ai", "0").status, 404);
    assert_eq!(audited(&c.db, "operator disable"), 0);

    // Disabled: the leader's session ends at once, and the right password is refused.
    assert_eq!(state(&mut province, &csrf, LEADER_A, "0").status, 303);
    assert_eq!(sessions_of(&c.db, LEADER_A), 0);
    assert_eq!(leader.get("/quan-tri/quay").status, 303);
    let refused = Web::new(&c.centre.url()).sign_in(LEADER_A, PASSWORD);
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("Tài khoản đã bị vô hiệu hóa"));
    assert!(refused.set_cookie("mc_sid").is_none());
    assert_eq!(
        Web::new(&c.centre.url())
            .sign_in(LEADER_A, "sai-mat-khau-roi")
            .status,
        401
    );
    assert!(province.get(ACCOUNTS).body.contains("Đã vô hiệu hóa"));
    assert_eq!(audited(&c.db, "operator disable"), 1);

    // Enabled again: the same password works.
    assert_eq!(state(&mut province, &csrf, LEADER_A, "1").status, 303);
    assert_eq!(audited(&c.db, "operator enable"), 1);
    assert_eq!(leader.sign_in(LEADER_A, PASSWORD).status, 303);

    // Reset: the leader's session ends, the old password no longer works.
    let reset = province.post(
        "/quan-tri/tai-khoan/dat-lai-mat-khau",
        &[
            ("csrf", &csrf),
            ("username", LEADER_A),
            ("password", NEW_PASSWORD),
        ],
    );
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert_eq!(audited(&c.db, "operator reset-password"), 1);
    assert_eq!(leader.get("/quan-tri/quay").status, 303);
    assert_eq!(
        Web::new(&c.centre.url()).sign_in(LEADER_A, PASSWORD).status,
        401
    );
    assert_eq!(leader.sign_in(LEADER_A, NEW_PASSWORD).status, 303);
    // The province operator is signed in throughout.
    assert_eq!(province.get("/quan-tri/quay").status, 200);
}

#[test]
fn ended_sessions_are_swept_by_the_server_without_a_sign_in() {
    let c = console();
    for user in [AUDITOR, PROVINCE] {
        assert_eq!(
            Web::new(&c.centre.url()).sign_in(user, PASSWORD).status,
            303
        );
    }
    assert_eq!(sql_i64(&c.db, "SELECT count(*) FROM console_session"), 2);
    // One idle past its limit, one past its absolute end.
    sql(
        &c.db,
        &format!(
            "UPDATE console_session SET last_seen = now() - interval '2 hours'
             WHERE username = '{AUDITOR}';
             UPDATE console_session SET expires_at = now() - interval '1 minute'
             WHERE username = '{PROVINCE}';"
        ),
    );
    // A server starting sweeps at once, and then every few minutes; nobody signs in.
    let _again = Centre::start(&c.db);
    eventually(Duration::from_secs(30), || {
        match sql_i64(&c.db, "SELECT count(*) FROM console_session") {
            0 => Ok(()),
            n => Err(format!("{n} sessions left")),
        }
    });
}

fn shots() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/console-shots")
}

fn browser_sign_in(b: &webdriver::Browser, base: &str, user: &str, password: &str) {
    b.open(&format!("{base}/quan-tri/dang-nhap"));
    b.type_into("#username", user);
    b.type_into("#password", password);
    b.click("button[type=submit]");
}

/// The accounts page in Chromium: the province operator disables an account by its
/// button (a name holding script is shown as text), and a leader changes their own
/// password through the form. Screenshots: `accounts-province.png`, `accounts-leader.png`.
#[test]
fn the_accounts_page_works_in_chromium() {
    let c = console();
    let base = c.centre.url();
    let out = operator_add(
        &c.db,
        &[
            "--username",
            "aaa.thu",
            "--name",
            "Thử <script>document.title=\"pwned\"</script>",
            "--role",
            "auditor",
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{out:?}");
    let browser = webdriver::Browser::start();
    browser_sign_in(&browser, &base, PROVINCE, PASSWORD);
    browser.wait_url("/quan-tri/quay");
    browser.open(&format!("{base}{ACCOUNTS}"));
    assert!(browser.text().contains("Các tài khoản quản trị"));
    // The first row is aaa.thu (accounts by name): disable it.
    browser.click("form[action='/quan-tri/tai-khoan/trang-thai'] button");
    let text = browser.wait_text("Đã vô hiệu hóa");
    assert!(text.contains("Thử <script>"), "shown as text: {text}");
    assert!(!browser.source().contains("<script"));
    assert_eq!(audited(&c.db, "operator disable"), 1);
    browser.screenshot(&shots().join("accounts-province.png"));
    browser.click("form[action='/quan-tri/dang-xuat'] button");
    browser.wait_url("/quan-tri/dang-nhap");

    browser_sign_in(&browser, &base, LEADER_A, PASSWORD);
    browser.wait_url("/quan-tri/quay");
    browser.open(&format!("{base}{ACCOUNTS}"));
    assert!(!browser.text().contains("Các tài khoản quản trị"));
    browser.type_into("#old", PASSWORD);
    browser.type_into("#new", NEW_PASSWORD);
    browser.type_into("#again", NEW_PASSWORD);
    browser.click("form[action='/quan-tri/tai-khoan/mat-khau'] button");
    let text = browser.wait_text("Đã đổi mật khẩu");
    assert!(text.contains("Các phiên đăng nhập khác"), "{text}");
    browser.screenshot(&shots().join("accounts-leader.png"));
    assert_eq!(Web::new(&base).sign_in(LEADER_A, NEW_PASSWORD).status, 303);
}
