//! The console's dossier page (issue 21, "A dossier"), on a real PostgreSQL with a real
//! desk that digitised a paper and synced it: its units, timeline and documents; a
//! document opened as a download; a leader of another unit refused by link and by a
//! changed code; a cross-commune dossier naming the leader's unit is shown to them.

mod console_support;
#[path = "common/pdf_bomb.rs"]
mod pdf_bomb;
mod sync_support;

use console_support::*;
use motcua::domain::document::{MediaType, NewDocument, Sha256Hex};

const LEADER_B: &str = "lanhdao.b";

/// A desk of unit A with one dossier holding one synced document; returns its code,
/// the file's bytes and hash.
fn dossier_with_document(c: &Console) -> (String, Vec<u8>, Sha256Hex) {
    let desk = Desk::new(UNIT_A, 0);
    let codes = desk.take_dossiers(1);
    let bytes = pdf_bomb::plain_pdf("Giấy khai sinh", 20_000, 7);
    let sha = Sha256Hex::of(&bytes);
    let doc = NewDocument {
        name: "Giấy khai sinh \"bản sao\".pdf".into(),
        media_type: MediaType::Pdf,
        bytes: bytes.clone(),
        pages: 1,
    };
    motcua::desk::Desk::new(desk.store())
        .attach(&codes[0], "Bản sao Giấy khai sinh", doc, "Trần Văn Bình")
        .expect("attach");
    desk.enroll(&c.centre.url(), &enroll_code(&c.db, UNIT_A, None))
        .expect("enrolls");
    let report = desk.sync(None).expect("syncs");
    assert_eq!(report.files_sent, 1, "{report:?}");
    (codes[0].clone(), bytes, sha)
}

fn add_leader_b(c: &Console) {
    let out = operator_add(
        &c.db,
        &[
            "--username",
            LEADER_B,
            "--name",
            "Phạm Thị Dung",
            "--role",
            "leader",
            "--unit",
            UNIT_B,
        ],
        PASSWORD,
    );
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn a_dossier_shows_its_units_timeline_and_documents_and_opens_a_file() {
    let c = console();
    let (code, bytes, sha) = dossier_with_document(&c);
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let page = web.get(&format!("/quan-tri/ho-so?ma={code}"));
    assert_eq!(page.status, 200, "{}", page.body);
    for want in [
        code.as_str(),
        "Đơn vị tiếp nhận và giải quyết: H22.39.15",
        "Tiếp nhận hồ sơ",
        "Số hóa giấy tờ",
        "Bản sao Giấy khai sinh",
        "Giấy khai sinh &quot;bản sao&quot;.pdf",
    ] {
        assert!(page.body.contains(want), "{want}: {}", page.body);
    }
    let link = format!("/quan-tri/ho-so/tep?ma={code}&amp;sha={sha}");
    assert!(page.body.contains(&link), "{}", page.body);
    let audit_before = centre_count(&c.db, "operator_audit");
    let file = web.get(&link.replace("&amp;", "&"));
    assert_eq!(file.status, 200, "{}", file.body);
    let disposition = file
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"Gi_y khai sinh _b_n sao_.pdf\"")
            && disposition.contains("filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh"),
        "{disposition}"
    );
    // The body is read as text (its binary header comes out lossy): its length and
    // its content stream name the citizen's paper.
    let length = file
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok());
    assert_eq!(length, Some(bytes.len().to_string().as_str()));
    let page_text =
        String::from_utf8_lossy(&bytes[bytes.len() - 40_000.min(bytes.len())..]).to_string();
    assert!(file.body.ends_with(&page_text), "the file's bytes differ");
    assert_eq!(centre_count(&c.db, "operator_audit"), audit_before + 1);
    // A hash the dossier does not hold, a bad code, an unknown one: refused in Vietnamese.
    let other = Sha256Hex::of(b"another citizen's paper");
    let a = web.get(&format!("/quan-tri/ho-so/tep?ma={code}&sha={other}"));
    assert_eq!(a.status, 404, "{}", a.body);
    assert!(a.body.contains("không có tệp"));
    let a = web.get("/quan-tri/ho-so?ma=%3Cscript%3E");
    assert_eq!(a.status, 400);
    assert!(a.body.contains("Mã hồ sơ") && !a.body.contains("<script>"));
    let a = web.get("/quan-tri/ho-so?ma=H22.39.16-251207-0042");
    assert_eq!(a.status, 404, "{}", a.body);
    assert!(a.body.contains("Trung tâm không có hồ sơ"));
    // The auditor reads it too; the leader of unit A, their own unit's dossier.
    for user in [AUDITOR, LEADER_A] {
        let mut w = Web::new(&c.centre.url());
        w.sign_in(user, PASSWORD);
        assert_eq!(w.get(&format!("/quan-tri/ho-so?ma={code}")).status, 200);
    }
    // Signed out: no file.
    let mut stranger = Web::new(&c.centre.url());
    let a = stranger.get(&link.replace("&amp;", "&"));
    assert_ne!(a.status, 200);
}

#[test]
fn a_leader_of_another_unit_is_refused_by_link_and_by_changed_code() {
    let c = console();
    add_leader_b(&c);
    let (code, _, sha) = dossier_with_document(&c);
    let mut b = Web::new(&c.centre.url());
    assert_eq!(b.sign_in(LEADER_B, PASSWORD).status, 303);
    for path in [
        format!("/quan-tri/ho-so?ma={code}"),
        format!("/quan-tri/ho-so/tep?ma={code}&sha={sha}"),
        // A changed code of unit A that the centre does not hold: refused alike, so the
        // answer tells nothing about unit A's dossiers.
        "/quan-tri/ho-so?ma=H22.39.15-251207-0042".to_string(),
    ] {
        let a = b.get(&path);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert!(a.body.contains("chỉ được xem hồ sơ của đơn vị mình"));
        assert!(!a.body.contains("Số hóa giấy tờ"));
    }
    // Once the dossier names unit B as its deciding unit, B's leader reads it.
    sql(
        &c.db,
        &format!(
            "INSERT INTO cross_dossier (dossier_code, receiving_unit, deciding_unit)
             VALUES ('{code}', '{UNIT_A}', '{UNIT_B}')"
        ),
    );
    let page = b.get(&format!("/quan-tri/ho-so?ma={code}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Đơn vị tiếp nhận: H22.39.15"));
    assert!(
        page.body
            .contains("Đơn vị giải quyết (chưa chuyển hồ sơ): H22.39.16")
    );
    let file = b.get(&format!("/quan-tri/ho-so/tep?ma={code}&sha={sha}"));
    assert_eq!(file.status, 200, "{}", file.body);
}

#[test]
fn the_dvcqg_export_of_a_period_downloads_as_json_for_the_province_only() {
    let c = console();
    let (code, _, _) = dossier_with_document(&c);
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let score = web.get("/quan-tri/chi-so-766");
    assert!(
        score.body.contains("/quan-tri/xuat-dvcqg?tu="),
        "{}",
        score.body
    );
    let audit_before = centre_count(&c.db, "operator_audit");
    let a = web.get("/quan-tri/xuat-dvcqg?tu=2020-01-01&den=2099-12-31");
    assert_eq!(a.status, 200, "{}", a.body);
    let disposition = a
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(
        disposition,
        "attachment; filename=\"dvcqg-20200101-20991231.json\""
    );
    let rows: serde_json::Value = serde_json::from_str(&a.body).expect("the file parses");
    let rows = rows.as_array().expect("a list of dossiers");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(a.body.contains(&code));
    assert_eq!(centre_count(&c.db, "operator_audit"), audit_before + 1);
    // A period before the dossier: an empty list, still a valid file.
    let a = web.get("/quan-tri/xuat-dvcqg?tu=2020-01-01&den=2020-03-31");
    let rows: serde_json::Value = serde_json::from_str(&a.body).expect("parses");
    assert_eq!(rows.as_array().map(Vec::len), Some(0));
    let bad = web.get("/quan-tri/xuat-dvcqg?tu=hôm-qua");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Ngày phải có dạng YYYY-MM-DD"));
    // Every unit's dossiers: not for a unit leader.
    let mut leader = Web::new(&c.centre.url());
    leader.sign_in(LEADER_A, PASSWORD);
    let a = leader.get("/quan-tri/xuat-dvcqg");
    assert_eq!(a.status, 403);
    assert!(a.body.contains("chỉ tài khoản cấp tỉnh hoặc kiểm tra"));
    assert!(
        !leader
            .get("/quan-tri/chi-so-766")
            .body
            .contains("xuat-dvcqg")
    );
}
