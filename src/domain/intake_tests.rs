use super::*;
use crate::domain::catalogue_seed::seed_catalogue;
use crate::domain::clock::format_rfc3339;

fn procedure(code: &str) -> Procedure {
    seed_catalogue()
        .into_iter()
        .find(|p| p.code.as_str() == code)
        .expect("in the catalogue")
}

fn run(json: &str, procedure: &Procedure) -> Result<DossierContent, IntakeError> {
    let now = from_wall(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
            .and_then(|d| d.and_hms_opt(16, 0, 0))
            .expect("valid"),
    );
    let calendar = WorkCalendar::official();
    let hours = WorkingHours::default();
    IntakeInput::from_json(json)?.validate(IntakeContext {
        procedure,
        now,
        calendar: &calendar,
        hours: &hours,
        clerk: "Trần Thị Mai",
    })
}

const QR: &str = "034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình|14082021\r\n";

#[test]
fn a_scanned_qr_fills_the_applicant_and_the_due_time_follows_the_cut_off() {
    let json = serde_json::json!({
        "procedure": "2.000884",
        "cccd_qr": QR,
        "phone": "+84 912 345 678",
        "received_at": "2026-11-27T15:20:00+07:00",
    })
    .to_string();
    let content = run(&json, &procedure("2.000884")).expect("valid");
    assert_eq!(content.applicant.full_name, "Nguyễn Thị Hoa");
    assert_eq!(content.applicant.phone.as_deref(), Some("0912345678"));
    // After 15:00 on a Friday: 17:00 on Monday.
    assert_eq!(format_rfc3339(content.due_at), "2026-11-30T17:00:00+07:00");
    assert_eq!(content.fee_amount, Some(10_000));
    assert_eq!(
        content.documents,
        [],
        "both papers of a signature certification are only shown (xuất trình)"
    );
    assert_eq!(content.result_at, DEFAULT_RESULT_AT);
    assert_eq!(content.channel, Channel::InPerson);
}

#[test]
fn every_problem_is_reported_at_once_with_its_field() {
    let json = serde_json::json!({
        "procedure": "1.004873",
        "applicant": {
            "full_name": "", "id_number": "123", "date_of_birth": "1990-01-01",
            "gender": "Nam", "address": "Hồng Gai"
        },
        "sets": 0,
        "channel": "fax",
        "documents": [{"name": "Tờ khai", "count": 0}],
    })
    .to_string();
    let err = run(&json, &procedure("1.004873")).expect_err("invalid");
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field).collect();
    for f in ["full_name", "id_number", "sets", "channel", "documents"] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    let both = serde_json::json!({
        "procedure": "1.004873", "cccd_qr": QR,
        "applicant": {"full_name": "A", "id_number": "1", "date_of_birth": "1990-01-01", "gender": "Nam", "address": "x"}
    })
    .to_string();
    let err = run(&both, &procedure("1.004873")).expect_err("ambiguous");
    assert!(err.to_string().contains("Chỉ dùng một"), "{err}");
}

#[test]
fn a_procedure_without_a_known_limit_needs_one_from_the_clerk() {
    let p = seed_catalogue()
        .into_iter()
        .find(|p| p.time_limits.is_empty())
        .expect("one with an unknown limit");
    let base = serde_json::json!({"procedure": p.code.as_str(), "cccd_qr": QR});
    let err = run(&base.to_string(), &p).expect_err("no limit");
    assert_eq!(err.fields()[0].field, "time_limit");
    let mut with = base.clone();
    with["time_limit"] =
        serde_json::json!({"value": 5, "unit": "working-day", "reason": "Điều 9 NĐ 63/2010/NĐ-CP"});
    with["received_at"] = serde_json::json!("2026-11-20T09:00:00+07:00");
    let content = run(&with.to_string(), &p).expect("valid");
    // 5 working days from Fri 20/11, skipping the weekends and 24/11: Mon 30/11.
    assert_eq!(format_rfc3339(content.due_at), "2026-11-30T09:00:00+07:00");
}

/// Issue 12 §2: Đăng ký kết hôn is resolved the same day (Luật Hộ tịch Art 18(2));
/// 05 working days only when the conditions need verifying, a case the clerk picks.
#[test]
fn a_marriage_received_at_ten_is_due_the_same_day_unless_verification_is_picked() {
    let p = procedure("1.000894");
    let mut json = serde_json::json!({
        "procedure": "1.000894", "cccd_qr": QR,
        "received_at": "2026-11-26T10:00:00+07:00",
    });
    let content = run(&json.to_string(), &p).expect("valid");
    assert_eq!(format_rfc3339(content.due_at), "2026-11-26T17:00:00+07:00");
    assert_eq!(
        content.procedure.time_limit_vi(),
        "Giải quyết ngay trong ngày; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo, áp dụng cho trường hợp thông thường"
    );
    json["time_limit_case"] = serde_json::json!(2);
    let verified = run(&json.to_string(), &p).expect("valid");
    // Thu 26/11/2026 10:00 + 05 working days → Thu 03/12 10:00.
    assert_eq!(format_rfc3339(verified.due_at), "2026-12-03T10:00:00+07:00");
    assert_eq!(
        verified.procedure.time_limit_case.as_deref(),
        Some("Trường hợp cần xác minh điều kiện kết hôn")
    );
    assert_eq!(
        verified.procedure.time_limit_vi(),
        "05 ngày làm việc, áp dụng cho trường hợp cần xác minh điều kiện kết hôn"
    );
    json["time_limit_case"] = serde_json::json!(3);
    let err = run(&json.to_string(), &p).expect_err("no third case");
    assert_eq!(err.fields()[0].field, "time_limit_case");
    assert!(err.to_string().contains("chọn từ 1 đến 2"), "{err}");
    json["time_limit_case"] = serde_json::json!(1);
    json["time_limit"] = serde_json::json!({"value": 1, "unit": "day"});
    let err = run(&json.to_string(), &p).expect_err("both");
    assert!(err.to_string().contains("Chỉ dùng một trong hai"), "{err}");
}

/// A procedure with one limit records no case: the receipt prints the limit alone.
#[test]
fn a_single_case_is_not_named() {
    let json = serde_json::json!({"procedure": "1.004873", "cccd_qr": QR});
    let content = run(&json.to_string(), &procedure("1.004873")).expect("valid");
    assert_eq!(content.procedure.time_limit_case, None);
    assert_eq!(content.procedure.time_limit_vi(), "03 ngày làm việc");
}

#[test]
fn json_errors_are_worded_in_vietnamese() {
    let e = IntakeInput::from_json("{\"procedure\": \"1.004873\", \"ho_ten\": 1}")
        .expect_err("unknown key");
    assert!(
        e.to_string().contains("Khóa 'ho_ten' không được hỗ trợ"),
        "{e}"
    );
    let e = IntakeInput::from_json("{}").expect_err("missing");
    assert!(
        e.to_string().contains("Thiếu khóa bắt buộc 'procedure'"),
        "{e}"
    );
    let e = IntakeInput::from_json("{\"procedure\": ").expect_err("syntax");
    assert!(e.to_string().contains("sai cú pháp"), "{e}");
}

/// Issue 19 §1: with no documents given, the receipt lists the papers every applicant
/// hands in, with their kind: not the conditional ones, not the papers only shown.
#[test]
fn a_birth_registration_without_documents_lists_only_what_everyone_hands_in() {
    let p = procedure("1.001193");
    let json = serde_json::json!({"procedure": "1.001193", "cccd_qr": QR});
    let content = run(&json.to_string(), &p).expect("valid");
    let listed: Vec<(&str, u32, DocumentForm)> = content
        .documents
        .iter()
        .map(|d| (d.name.as_str(), d.count, d.form))
        .collect();
    assert_eq!(
        listed,
        [
            ("Tờ khai đăng ký khai sinh", 1, DocumentForm::Original),
            (
                "Giấy chứng sinh (nếu không có: văn bản của người làm chứng xác nhận về việc \
                 sinh hoặc giấy cam đoan về việc sinh)",
                1,
                DocumentForm::Original
            ),
        ]
    );
}

/// A paper the clerk names takes its kind from the catalogue; an unknown one has none.
#[test]
fn named_documents_take_their_kind_from_the_catalogue() {
    let p = procedure("1.001193");
    let json = serde_json::json!({"procedure": "1.001193", "cccd_qr": QR, "documents": [
        {"name": "Tờ khai đăng ký khai sinh"},
        {"name": "Biên bản xác nhận việc trẻ bị bỏ rơi (trường hợp trẻ bị bỏ rơi)"},
        {"name": "Giấy tờ khác", "count": 2},
    ]});
    let content = run(&json.to_string(), &p).expect("valid");
    let forms: Vec<DocumentForm> = content.documents.iter().map(|d| d.form).collect();
    assert_eq!(
        forms,
        [
            DocumentForm::Original,
            DocumentForm::Original,
            DocumentForm::Unspecified
        ]
    );
}

/// Issue 19 §3: Mẫu 07's "Phương thức nhận kết quả" is a method, not a place.
#[test]
fn the_result_method_is_a_method() {
    let p = procedure("1.001193");
    let mut json = serde_json::json!({"procedure": "1.001193", "cccd_qr": QR});
    let content = run(&json.to_string(), &p).expect("valid");
    assert_eq!(content.result_method_vi(), "Trực tiếp");
    json["channel"] = "online".into();
    let online = run(&json.to_string(), &p).expect("valid");
    assert_eq!(online.result_method_vi(), "Trực tuyến");
    json["result_at"] = "Gửi qua bưu điện về địa chỉ thường trú".into();
    let by_post = run(&json.to_string(), &p).expect("valid");
    assert_eq!(by_post.result_method_vi(), "Bưu chính");
}

/// The notice consent (issue 22 §4): none without the tick; with it, the applicant's
/// mobile number, and a clear error without one.
#[test]
fn the_notice_consent_needs_a_mobile_number() {
    let with = |phone: Option<&str>| IntakeInput {
        notice_consent: true,
        phone: phone.map(str::to_string),
        ..IntakeInput::default()
    };
    assert_eq!(
        IntakeInput::default().consent().map(|c| c.is_none()),
        Ok(true)
    );
    let c = with(Some("0912 345 678"))
        .consent()
        .expect("consent")
        .expect("some");
    assert_eq!(c.phone, "0912345678");
    let e = with(None).consent().expect_err("no phone");
    assert_eq!(e.fields()[0].field, "notice_consent");
    assert!(e.to_string().contains("số di động"), "{e}");
    assert!(with(Some("024 3825 1234")).consent().is_err());
}
