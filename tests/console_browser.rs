//! The console in a real browser (issue 21): headless Chromium, driven through
//! `chromedriver`, signs in as each role and reads the fleet and the refused events;
//! screenshots go to `target/console-shots/` to be looked at. A unit leader's changed
//! link is refused in the browser too, and no script runs from any shown field.

#[path = "console_support/mod.rs"]
mod console_support;
mod sync_support;

use std::path::PathBuf;

use console_support::webdriver::Browser;
use console_support::*;

fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/console-shots")
}

fn sign_in(b: &Browser, base: &str, user: &str) {
    b.open(&format!("{base}/quan-tri/dang-nhap"));
    b.type_into("#username", user);
    b.type_into("#password", PASSWORD);
    b.click("button[type=submit]");
}

#[test]
fn each_role_signs_in_and_reads_its_pages_in_chromium() {
    let c = console();
    let base = c.centre.url();
    // A desk that synced for real, one dark since Friday with unsent dossiers, a
    // refused event whose body holds script, and a unit name holding script.
    let desk = Desk::new(UNIT_A, 0);
    desk.take_dossiers(2);
    desk.enroll(&base, &enroll_code(&c.db, UNIT_A, None))
        .expect("enrolls");
    desk.sync(None).expect("syncs");
    sql(
        &c.db,
        &format!(
            "INSERT INTO desk (desk_id, unit_code, desk_index, token_hash, app_version,
                               unsent_count, clock_skew_ms, last_sync_at, enrolled_at)
             VALUES (gen_random_uuid(), '{UNIT_A}', 1, md5('x'), '0.1.0', 14, -420000,
                     now() - interval '3 days', now() - interval '30 days'),
                    (gen_random_uuid(), '{UNIT_B}', 0, md5('y'), '0.1.0', 0, 0, now(), now());
             UPDATE unit SET name = 'Phường <script>document.title=\"pwned\"</script>'
               WHERE code = '{UNIT_B}';
             INSERT INTO quarantine (desk_id, unit_code, desk_seq, event_id, dossier_code, kind,
                                     reason, body)
             SELECT desk_id, unit_code, 9, gen_random_uuid(), 'H22.39.16-251205-0003',
                    'received', 'giờ của sự kiện ngoài giới hạn',
                    '{{\"note\":\"<img src=x onerror=alert(1)><script>alert(2)</script>\"}}'
             FROM desk WHERE unit_code = '{UNIT_B}';"
        ),
    );
    let browser = Browser::start();
    for (user, name) in [
        (PROVINCE, "province"),
        (AUDITOR, "auditor"),
        (LEADER_A, "leader"),
    ] {
        sign_in(&browser, &base, user);
        let url = browser.wait_url("/quan-tri/quay");
        assert!(url.ends_with("/quan-tri/quay"), "{user}: {url}");
        let text = browser.text();
        assert!(
            text.contains("Các quầy và tình trạng đồng bộ"),
            "{user}: {text}"
        );
        assert!(
            text.contains("Mất liên lạc quá 24 giờ: 14 hồ sơ có nguy cơ"),
            "{user}: {text}"
        );
        assert!(text.contains("chậm 7 phút 0 giây"), "{user}: {text}");
        let dom = browser.source();
        assert!(
            !dom.contains("pwned\"</script>") && !dom.contains("<script"),
            "{user}"
        );
        browser.screenshot(&shots().join(format!("fleet-{name}.png")));
        browser.open(&format!("{base}/quan-tri/cach-ly"));
        let text = browser.text();
        if name == "leader" {
            assert!(text.contains("Không có sự kiện nào bị từ chối"), "{text}");
            // Another unit by a changed link: refused in the browser too.
            browser.open(&format!("{base}/quan-tri/cach-ly?don-vi={UNIT_B}"));
            let refused = browser.text();
            assert!(
                refused.contains("chỉ được xem đơn vị của mình"),
                "{refused}"
            );
            browser.screenshot(&shots().join("leader-other-unit-refused.png"));
            browser.open(&format!("{base}/quan-tri/quay"));
            assert!(!browser.text().contains(UNIT_B));
        } else {
            assert!(text.contains("giờ của sự kiện ngoài giới hạn"), "{text}");
            // The body is shown as text: the tags are visible, none was run.
            assert!(text.contains("<script>alert(2)</script>"), "{text}");
            assert_eq!(name == "province", text.contains("Đánh dấu đã xem"));
            browser.screenshot(&shots().join(format!("quarantine-{name}.png")));
        }
        browser.click("form[action='/quan-tri/dang-xuat'] button");
        let url = browser.wait_url("/quan-tri/dang-nhap");
        assert!(url.ends_with("/quan-tri/dang-nhap"), "{url}");
    }
    // The province operator marks the refused event reviewed through the form.
    sign_in(&browser, &base, PROVINCE);
    browser.wait_url("/quan-tri/quay");
    browser.open(&format!("{base}/quan-tri/cach-ly"));
    browser.type_into("textarea[name=note]", "Đã gọi quầy chỉnh lại giờ máy");
    browser.click("form[action$='/da-xem'] button[type=submit]");
    let text = browser.wait_text("Đã xem bởi tinh.an");
    assert!(text.contains("Đã xem bởi tinh.an"), "{text}");
    browser.screenshot(&shots().join("quarantine-reviewed.png"));
    browser.open(&format!(
        "{base}/quan-tri/chi-so-766?don-vi={UNIT_A}&chi-so=2.1"
    ));
    let text = browser.text();
    assert!(text.contains("Bộ chỉ số 766"));
    // Each line offers its Biểu 06 for the period (issue 21).
    assert!(text.contains("Biểu 06 của kỳ"), "{text}");
    assert!(
        browser
            .source()
            .contains("/quan-tri/bieu-06?don-vi=H22.39.15"),
        "{}",
        browser.source()
    );
    browser.screenshot(&shots().join("scorecard-province.png"));
    browser.open(&format!("{base}/quan-tri/don-vi"));
    assert!(browser.text().contains("Cấp mã đăng ký quầy"));
    browser.screenshot(&shots().join("units-province.png"));
    browser.click("form[action='/quan-tri/dang-xuat'] button");
    browser.wait_url("/quan-tri/dang-nhap");
    browser.open(&format!("{base}/quan-tri/dang-nhap"));
    browser.screenshot(&shots().join("sign-in.png"));
}
