//! Tests of the intake form's state: fields, documents, the input it becomes.

use super::*;

const QR: &str = "022303000123|101234567|Nguyễn Thị Ngọc Ánh|21032003|Nữ|Tổ 5, khu 3, phường Hồng Gai, tỉnh Quảng Ninh|15062021";

#[test]
fn a_scanned_qr_is_split_from_what_the_field_held() {
    let (before, qr) = split_qr(&format!("Nguyễn{QR}")).expect("qr");
    assert_eq!(before, "Nguyễn");
    assert_eq!(qr, QR);
    assert_eq!(split_qr(QR).map(|(b, _)| b), Some(String::new()));
    assert_eq!(split_qr("Tổ 5 | khu 3"), None);
    assert_eq!(split_qr("abc|d|e|f|g|h"), None);
}

#[test]
fn qr_fills_the_applicant_in_form_order() {
    let mut f = Form::new();
    f.fill_from_qr(&read_qr(QR).expect("valid"));
    assert_eq!(f.full_name, "Nguyễn Thị Ngọc Ánh");
    assert_eq!(f.id_number, "022303000123");
    assert_eq!(f.date_of_birth, "21/03/2003");
    assert_eq!(f.gender, "Nữ");
    let input = f.to_input();
    let a = input.applicant.expect("applicant");
    assert_eq!(a.date_of_birth, "2003-03-21");
}

/// Issue 19 §1: choosing a birth registration ticks the two papers everyone hands
/// in; the conditional ones wait unticked with a hint; the identity paper is only
/// shown and never reaches the receipt, even ticked.
#[test]
fn choosing_a_procedure_ticks_only_the_mandatory_papers_handed_in() {
    let khai_sinh = crate::domain::catalogue_seed::seed_catalogue()
        .into_iter()
        .find(|p| p.code.as_str() == "1.001193")
        .expect("in the catalogue");
    let mut f = Form::for_unit("Trung tâm Phục vụ hành chính công phường Hồng Gai");
    assert!(
        f.is_blank(),
        "the prefilled place of the result is not typing"
    );
    f.choose(&khai_sinh, 0);
    let state: Vec<(bool, bool, bool)> = f
        .documents
        .iter()
        .map(|d| (d.received, d.shown_only, d.hint.is_empty()))
        .collect();
    assert_eq!(
        state,
        [
            (true, false, true),
            (true, false, true),
            (false, false, false),
            (false, false, false),
            (false, false, false),
            (false, true, false),
        ]
    );
    for d in &mut f.documents {
        d.received = true;
    }
    let names: Vec<String> = f
        .to_input()
        .documents
        .expect("listed")
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with("Giấy tờ tùy thân")));
    assert_eq!(
        f.to_input().result_at.as_deref(),
        Some("Trung tâm Phục vụ hành chính công phường Hồng Gai")
    );
}

#[test]
fn dates_are_read_day_first() {
    assert_eq!(iso_date("1/2/1990"), "1990-02-01");
    assert_eq!(iso_date("01.02.1990"), "1990-02-01");
    assert_eq!(iso_date("1990-02-01"), "1990-02-01");
    assert_eq!(iso_date("hôm qua"), "hôm qua");
}

#[test]
fn a_fresh_form_is_blank_and_a_typed_one_is_not() {
    let mut f = Form::new();
    assert!(f.is_blank());
    f.set(Field::Procedure, "khai sinh".into());
    assert!(f.is_blank(), "a search alone is not worth a draft");
    f.set(Field::FullName, "Lan".into());
    assert!(!f.is_blank());
}

#[test]
fn errors_land_on_their_fields() {
    let e = Errors::from_domain(&[
        FieldError {
            field: "id_number",
            message: "sai".into(),
        },
        FieldError {
            field: "documents",
            message: "thiếu".into(),
        },
    ]);
    assert_eq!(e.get(Field::IdNumber), Some("sai"));
    assert_eq!(e.general, vec!["thiếu".to_string()]);
    assert_eq!(e.first_field(), Some(Field::IdNumber));
}

#[test]
fn an_organisation_shows_its_own_fields_and_becomes_an_organisation_input() {
    let mut f = Form::new();
    f.kind = ApplicantKind::Organisation;
    let shown = f.visible(None);
    assert!(shown.contains(&Field::Representative));
    assert!(!shown.contains(&Field::DateOfBirth) && !shown.contains(&Field::Gender));
    assert!(!shown.contains(&Field::Nationality));
    assert_eq!(f.label(Field::IdNumber), crate::ui::strings::TAX_CODE);
    f.full_name = "Công ty TNHH Xây dựng số 1 Hạ Long".into();
    f.id_number = "5700100256".into();
    f.representative = "Phạm Văn Đông".into();
    f.nationality = "stale".into();
    let a = f.to_input().applicant.expect("applicant");
    assert_eq!(a.kind.as_deref(), Some("organisation"));
    assert_eq!(a.representative.as_deref(), Some("Phạm Văn Đông"));
    assert_eq!(a.nationality, None, "fields of another kind are not sent");
}

#[test]
fn a_foreigner_shows_nationality_and_a_scan_makes_a_citizen() {
    let mut f = Form::new();
    f.kind = ApplicantKind::Foreigner;
    assert!(f.visible(None).contains(&Field::Nationality));
    assert_eq!(f.label(Field::IdNumber), crate::ui::strings::PASSPORT);
    f.fill_from_qr(&read_qr(QR).expect("valid"));
    assert_eq!(f.kind, ApplicantKind::Citizen);
}

#[test]
fn an_id_registered_abroad_gets_a_note() {
    let mut f = Form::new();
    f.id_number = "840303011829".into();
    assert!(f.id_note().is_some_and(|n| n.contains("840")));
    f.id_number = "022303000123".into();
    assert_eq!(f.id_note(), None);
}

#[test]
fn a_draft_from_before_applicant_kinds_still_opens() -> Result<(), serde_json::Error> {
    let mut json = serde_json::to_value(Form::new())?;
    let obj = json.as_object_mut().expect("object");
    for key in ["kind", "representative", "nationality", "auth_email"] {
        obj.remove(key);
    }
    let f: Form = serde_json::from_value(json)?;
    assert_eq!(f.kind, ApplicantKind::Citizen);
    Ok(())
}
