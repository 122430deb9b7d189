//! Biểu 06 from the console (issue 21), on a real PostgreSQL with real desks that took
//! dossiers of the third quarter of 2026 and synced them: a unit's report at the centre
//! is its desk's own report cell by cell; the province's is the sum of its units; the
//! downloads read back as Excel (calamine) and as PDF (pdftotext), diacritics and all;
//! a unit leader gets their own unit's only.

mod console_support;
mod sync_support;

use std::io::Cursor;
use std::sync::atomic::AtomicBool;

use calamine::{Data, Reader, Xlsx};
use console_support::*;
use motcua::domain::clock::{Timestamp, now_vn};
use motcua::domain::report::{Period, Report};
use motcua::store::dossiers::ActionRequest;

const HO_TICH: &str = "1.004873"; // 3 working days
const CHUNG_THUC: &str = "2.000884"; // same day

fn t(s: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(s).expect("rfc 3339")
}

fn q3() -> Period {
    Period::named("2026-Q3").expect("quarter")
}

/// Takes a dossier received at `received`; returns its code.
fn take(desk: &Desk, procedure: &str, received: &str, online: bool) -> String {
    let mut json: serde_json::Value = serde_json::from_str(
        &intake::Intake {
            procedure: procedure.into(),
            received_at: Some(received.into()),
            ..intake::Intake::default()
        }
        .json(),
    )
    .expect("json");
    if online {
        json["channel"] = "online".into();
    }
    let input = motcua::domain::intake::IntakeInput::from_json(&json.to_string()).expect("input");
    desk.store()
        .intake(input, "Trần Thị Mai", now_vn())
        .expect("intake")
        .code
        .to_string()
}

fn ready(desk: &Desk, code: &str, at: &str) {
    let request = ActionRequest::ResultReady {
        note: String::new(),
    };
    desk.store()
        .record(code, request, Some(t(at)), "Trần Thị Mai", now_vn())
        .expect("recorded");
}

/// Unit A: early, late, same-day, pending in time, pending late (online), carried
/// over from June; unit B: one early. Both desks synced.
fn two_units(c: &Console) -> (Desk, Desk) {
    let a = Desk::new(UNIT_A, 0);
    let x = take(&a, HO_TICH, "2026-09-07T09:00:00+07:00", false);
    ready(&a, &x, "2026-09-08T10:00:00+07:00");
    let x = take(&a, HO_TICH, "2026-09-07T10:00:00+07:00", false);
    ready(&a, &x, "2026-09-15T09:00:00+07:00");
    let x = take(&a, CHUNG_THUC, "2026-09-08T09:00:00+07:00", false);
    ready(&a, &x, "2026-09-08T11:00:00+07:00");
    take(&a, HO_TICH, "2026-09-28T09:00:00+07:00", false);
    take(&a, HO_TICH, "2026-09-14T09:00:00+07:00", true);
    let x = take(&a, HO_TICH, "2026-06-29T09:00:00+07:00", false);
    ready(&a, &x, "2026-07-02T09:00:00+07:00");
    let b = Desk::new(UNIT_B, 0);
    let x = take(&b, HO_TICH, "2026-09-09T09:00:00+07:00", false);
    ready(&b, &x, "2026-09-10T09:00:00+07:00");
    for (desk, unit) in [(&a, UNIT_A), (&b, UNIT_B)] {
        desk.enroll(&c.centre.url(), &enroll_code(&c.db, unit, Some(0)))
            .expect("enrolls");
        desk.sync(None).expect("syncs");
    }
    (a, b)
}

fn desk_report(desk: &Desk) -> Report {
    desk.store()
        .report(q3(), now_vn(), &AtomicBool::new(false), |_| {})
        .expect("desk report")
}

fn centre_report(db: &str, unit: Option<&str>) -> Report {
    block_on(async {
        let pool = motcua::centre::db::pool(db, 1).expect("pool");
        let mut client = pool.get().await.expect("client");
        motcua::centre::bieu06::bieu06(&mut client, unit, q3(), now_vn())
            .await
            .expect("centre report")
    })
}

/// A download: status, content type, disposition and the bytes as sent.
fn download(web: &Web, path: &str) -> (u16, String, String, Vec<u8>) {
    let cookie = web
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    block_on(async {
        // Redirects not followed: a signed-out request must not end on a page.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let answer = client
            .get(format!("{}{path}", web.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("answer");
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let (kind, disposition) = (header("content-type"), header("content-disposition"));
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.expect("body").to_vec();
        (status, kind, disposition, bytes)
    })
}

/// The sheet's cells as text, row by row.
fn sheet_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    let range = book.worksheet_range("Biểu 06").expect("the sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bieu06.pdf");
    std::fs::write(&path, bytes).expect("writes");
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn numbers(r: &Report) -> String {
    let line = motcua::report::lines(r).pop().expect("the total line");
    line.values().map(|v| v.to_string()).join(" ")
}

#[test]
fn a_unit_s_bieu06_at_the_centre_is_its_desk_s_and_downloads_as_xlsx_and_pdf() {
    let c = console();
    let (a, b) = two_units(&c);
    let desk_a = desk_report(&a);
    let centre_a = centre_report(&c.db, Some(UNIT_A));
    assert_eq!(centre_a.groups, desk_a.groups, "unit A, line by line");
    assert_eq!(centre_a.total, desk_a.total);
    assert_eq!(centre_a.received_for_others, desk_a.received_for_others);
    assert_eq!(centre_a.unit_name, "Phường Hồng Gai");
    let t = desk_a.total;
    assert_eq!(
        (t.carried_over, t.received_online, t.received_direct),
        (1, 1, 4)
    );
    assert_eq!(t.resolved_total(), 4);
    assert!(t.resolved_late >= 1 && t.pending_late == 1 && t.pending_in_time == 1);
    let desk_b = desk_report(&b);
    let province = centre_report(&c.db, None);
    let mut sum = desk_a.total;
    sum.add(&desk_b.total);
    assert_eq!(province.total, sum, "the province is its units' sum");
    assert_eq!(province.unit_name, "Toàn tỉnh (2 đơn vị)");

    // The province office downloads unit A's quarter as Excel.
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let audit_before = centre_count(&c.db, "operator_audit");
    let (status, kind, disposition, bytes) = download(
        &web,
        &format!("/quan-tri/bieu-06?don-vi={UNIT_A}&ky=2026-Q3&dang=xlsx"),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert!(kind.contains("spreadsheetml"), "{kind}");
    assert_eq!(
        disposition,
        "attachment; filename=\"bieu06-H22.39.15-20260701-20260930.xlsx\""
    );
    let rows = sheet_rows(bytes);
    let text = rows.concat().join("|");
    for want in [
        "Biểu số 06/VPCP/KSTT",
        "(Từ ngày 01/07/2026 đến ngày 30/09/2026)",
        "Đơn vị báo cáo: Phường Hồng Gai",
        "Lĩnh vực Hộ tịch",
        "Lĩnh vực Chứng thực",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    let total = rows
        .iter()
        .find(|r| r.get(1).map(String::as_str) == Some("Tổng cộng"))
        .expect("the total row");
    assert_eq!(total[2..13].join(" "), numbers(&desk_a), "{total:?}");
    assert_eq!(centre_count(&c.db, "operator_audit"), audit_before + 1);

    // The province's own, as PDF.
    let (status, kind, disposition, bytes) =
        download(&web, "/quan-tri/bieu-06?ky=2026-Q3&dang=pdf");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(kind, "application/pdf");
    assert!(disposition.contains("bieu06-tinh-20260701-20260930.pdf"));
    // Kept beside the console's screenshots, to be looked at.
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-shots");
    std::fs::create_dir_all(&shots).expect("shots folder");
    std::fs::write(shots.join("bieu06-province.pdf"), &bytes).expect("writes");
    let flat = pdf_text(&bytes);
    for want in [
        "Biểu số 06/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        "(Từ ngày 01/07/2026 đến ngày 30/09/2026)",
        "Đơn vị báo cáo: Toàn tỉnh (2 đơn vị)",
        "Lĩnh vực Hộ tịch",
        &format!("Tổng cộng {}", numbers(&province)),
        "Tỷ lệ hồ sơ giải quyết đúng hạn:",
    ] {
        assert!(flat.contains(want), "{want:?} not in:\n{flat}");
    }
    assert_eq!(centre_count(&c.db, "operator_audit"), audit_before + 2);

    // Unit A's leader: their own unit's PDF, asked without a unit.
    let mut leader = Web::new(&c.centre.url());
    leader.sign_in(LEADER_A, PASSWORD);
    let (status, _, disposition, bytes) =
        download(&leader, "/quan-tri/bieu-06?ky=2026-Q3&dang=pdf");
    assert_eq!(status, 200);
    assert!(disposition.contains("bieu06-H22.39.15-"), "{disposition}");
    let flat = pdf_text(&bytes);
    assert!(flat.contains("Đơn vị báo cáo: Phường Hồng Gai"), "{flat}");
    assert!(
        flat.contains(&format!("Tổng cộng {}", numbers(&desk_a))),
        "{flat}"
    );
}

#[test]
fn a_leader_gets_only_their_own_unit_s_bieu06_and_bad_input_is_explained() {
    let c = console();
    let mut leader = Web::new(&c.centre.url());
    leader.sign_in(LEADER_A, PASSWORD);
    let audit_before = centre_count(&c.db, "operator_audit");
    for path in [
        format!("/quan-tri/bieu-06?don-vi={UNIT_B}&ky=2026-Q3&dang=xlsx"),
        format!("/quan-tri/bieu-06?don-vi={UNIT_B}&dang=pdf"),
        // A unit the centre does not have: the same 403, nothing revealed.
        "/quan-tri/bieu-06?don-vi=H22.39.99&ky=2026".to_string(),
    ] {
        let a = leader.get(&path);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert!(
            a.body.contains("chỉ được xem đơn vị của mình"),
            "{}",
            a.body
        );
    }
    assert_eq!(centre_count(&c.db, "operator_audit"), audit_before);
    // The scorecard links the leader's own Biểu 06 only.
    let score = leader.get("/quan-tri/chi-so-766");
    assert!(!score.body.contains(&format!("bieu-06?don-vi={UNIT_B}")));

    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let score = web.get("/quan-tri/chi-so-766");
    assert!(
        score.body.contains("/quan-tri/bieu-06?don-vi=&amp;tu="),
        "the province's own link: {}",
        score.body
    );
    for (path, status, message) in [
        ("/quan-tri/bieu-06?ky=2026-13", 400, "2026-05 (tháng)"),
        (
            "/quan-tri/bieu-06?ky=2026&dang=docx",
            400,
            "chọn xlsx (Excel) hoặc pdf",
        ),
        (
            "/quan-tri/bieu-06?don-vi=H22.39.99&ky=2026",
            404,
            "Trung tâm không có đơn vị H22.39.99",
        ),
        ("/quan-tri/bieu-06?don-vi=%3Cb%3E&ky=2026", 400, "&lt;b&gt;"),
        (
            "/quan-tri/bieu-06?tu=hôm-qua",
            400,
            "Ngày phải có dạng YYYY-MM-DD",
        ),
    ] {
        let a = web.get(path);
        assert_eq!(a.status, status, "{path}: {}", a.body);
        assert!(a.body.contains(message), "{path}: {}", a.body);
    }
    // Long input is not echoed back whole.
    for path in [
        format!("/quan-tri/bieu-06?ky={}", "9".repeat(4000)),
        format!("/quan-tri/bieu-06?ky=2026&dang={}", "x".repeat(4000)),
        format!("/quan-tri/bieu-06?don-vi={}&ky=2026", "H".repeat(4000)),
    ] {
        let a = web.get(&path);
        assert_eq!(a.status, 400, "{}", a.body);
        for long in ["9".repeat(100), "x".repeat(100), "H".repeat(100)] {
            assert!(!a.body.contains(&long), "{}", a.body);
        }
    }
    // An empty month is still a valid report.
    let (status, _, _, bytes) = download(&web, "/quan-tri/bieu-06?ky=2026-05");
    assert_eq!(status, 200);
    let rows = sheet_rows(bytes);
    assert!(
        rows.concat()
            .join("|")
            .contains("(Từ ngày 01/05/2026 đến ngày 31/05/2026)")
    );
    // Signed out: no file.
    let stranger = Web::new(&c.centre.url());
    let (status, kind, _, _) = download(&stranger, "/quan-tri/bieu-06?ky=2026");
    assert_ne!(status, 200);
    assert!(!kind.contains("spreadsheetml"), "{kind}");
}
