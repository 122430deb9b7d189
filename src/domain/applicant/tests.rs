//! Tests of applicant validation, every kind.
use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
}

fn hoa() -> ApplicantInput {
    ApplicantInput {
        full_name: "Nguyễn Thị Hoa".into(),
        id_number: "034303011829".into(),
        date_of_birth: "2003-03-21".into(),
        gender: "Nữ".into(),
        address: "Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình".into(),
        phone: Some("0912 345 678".into()),
        email: Some("hoa.nguyen@example.vn".into()),
        ..ApplicantInput::default()
    }
}

fn company() -> ApplicantInput {
    ApplicantInput {
        kind: Some("organisation".into()),
        full_name: "Công ty TNHH Xây dựng số 1 Hạ Long".into(),
        id_number: "5700100256".into(),
        address: "Số 8 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh".into(),
        phone: Some("02033 825 111".into()),
        email: Some("vanphong@xaydung1.vn".into()),
        representative: Some("Phạm Văn Đông".into()),
        ..ApplicantInput::default()
    }
}

fn visitor() -> ApplicantInput {
    ApplicantInput {
        kind: Some("người nước ngoài".into()),
        full_name: "Kim Min-jun".into(),
        id_number: "m 1234 5678".into(),
        address: "Khách sạn Hạ Long Plaza, phường Bãi Cháy, tỉnh Quảng Ninh".into(),
        nationality: Some("Hàn Quốc".into()),
        ..ApplicantInput::default()
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn gender_parse_is_lenient_on_form_not_content() {
    let nfd_nu = "Nu\u{31b}\u{303}";
    for s in ["Nữ", nfd_nu, "nữ", "NỮ", "nu", " Nu "] {
        assert_eq!(Gender::parse(s), Ok(Gender::Female), "{s:?}");
    }
    for s in ["Nam", "nam", "NAM"] {
        assert_eq!(Gender::parse(s), Ok(Gender::Male));
    }
    assert_eq!(Gender::parse(" "), Err(ApplicantError::GenderEmpty));
    assert_eq!(
        Gender::parse("Khác").map_err(|e| e.to_string()),
        Err("Giới tính 'Khác' không hợp lệ: chọn Nam hoặc Nữ".to_string())
    );
    assert_eq!(Gender::Female.to_string(), "Nữ");
}

#[test]
fn gender_serde() -> Result<(), serde_json::Error> {
    assert_eq!(serde_json::to_string(&Gender::Female)?, "\"Nữ\"");
    assert_eq!(serde_json::from_str::<Gender>("\"Nam\"")?, Gender::Male);
    assert!(serde_json::from_str::<Gender>("\"M\"").is_err());
    Ok(())
}

#[test]
fn validate_accepts_and_normalises() {
    let mut input = hoa();
    input.full_name = "  nguye\u{302}\u{303}n   Thị  Hoa ".into();
    input.phone = Some("+84 91-234.5678".into());
    input.email = Some("  ".into());
    let a = input.validate(day(2026, 11, 27)).expect("valid applicant");
    assert_eq!(a.full_name, "nguyễn Thị Hoa");
    assert_eq!(
        a.identity,
        Identity::Citizen {
            id_number: PersonalId::parse("034303011829").expect("valid"),
            date_of_birth: day(2003, 3, 21),
            gender: Gender::Female,
        }
    );
    assert_eq!(a.id_text(), "034303011829");
    assert_eq!(a.phone.as_deref(), Some("0912345678"));
    assert_eq!(a.email, None);
}

#[test]
fn validate_collects_every_field_error() {
    let input = ApplicantInput {
        kind: None,
        full_name: "Nguyễn 2".into(),
        id_number: "12345".into(),
        date_of_birth: "21/03/2003".into(),
        gender: "X".into(),
        address: "".into(),
        phone: Some("12345".into()),
        email: Some("hoa@".into()),
        ..ApplicantInput::default()
    };
    let errors = input
        .validate(day(2026, 11, 27))
        .expect_err("all fields bad");
    assert_eq!(
        fields(&errors),
        [
            "full_name",
            "id_number",
            "date_of_birth",
            "gender",
            "address",
            "phone",
            "email"
        ]
    );
    assert_eq!(errors[4].message, "Địa chỉ không được để trống");
    assert_eq!(
        errors[2].message,
        "Ngày sinh '21/03/2003' không hợp lệ (cần dạng YYYY-MM-DD, ví dụ 2003-03-21)"
    );
}

#[test]
fn validate_reports_id_inconsistency_on_id_field() {
    let mut input = hoa();
    input.date_of_birth = "1993-03-21".into();
    let errors = input.validate(day(2026, 11, 27)).expect_err("inconsistent");
    assert_eq!(fields(&errors), ["id_number"]);
    assert!(errors[0].message.contains("21/03/1993"));
}

#[test]
fn validate_dates() {
    let today = day(2026, 11, 27);
    let mut input = hoa();
    input.date_of_birth = "2026-11-28".into();
    let errors = input.validate(today).expect_err("future");
    assert_eq!(
        errors[0].message,
        "Ngày sinh 28/11/2026 ở sau ngày hôm nay (27/11/2026); hãy kiểm tra lại"
    );
    let mut input = hoa();
    input.date_of_birth = "1899-12-31".into();
    input.id_number = "034099011829".into();
    input.gender = "Nam".into();
    let errors = input.validate(today).expect_err("too old");
    assert_eq!(fields(&errors), ["date_of_birth"]);
    let mut input = hoa();
    input.date_of_birth = "2003-02-30".into();
    assert!(input.validate(today).is_err());
}

#[test]
fn input_json_denies_unknown_fields() -> Result<(), serde_json::Error> {
    let json = serde_json::to_string(&hoa())?;
    assert_eq!(serde_json::from_str::<ApplicantInput>(&json)?, hoa());
    let without_optional =
        r#"{"full_name":"A","id_number":"1","date_of_birth":"","gender":"","address":""}"#;
    assert!(serde_json::from_str::<ApplicantInput>(without_optional).is_ok());
    let extra =
        r#"{"full_name":"A","id_number":"1","date_of_birth":"","gender":"","address":"","age":3}"#;
    assert!(serde_json::from_str::<ApplicantInput>(extra).is_err());
    Ok(())
}

#[test]
fn applicant_serde_round_trip() -> Result<(), serde_json::Error> {
    let a = hoa()
        .validate(day(2026, 11, 27))
        .map_err(|e| serde::de::Error::custom(format!("{e:?}")))?;
    let json = serde_json::to_string(&a)?;
    assert!(json.contains("\"gender\":\"Nữ\""));
    assert_eq!(serde_json::from_str::<Applicant>(&json)?, a);
    Ok(())
}

#[test]
fn authorised_person() {
    let input = AuthorisedPersonInput {
        full_name: "Lê Văn Lương".into(),
        id_number: "089202017098".into(),
        address: "Chợ Mới, An Giang".into(),
        phone: None,
        email: Some("luong@example.vn".into()),
        authorisation_document: "Giấy ủy quyền số 12/2026 ngày 01/11/2026".into(),
    };
    let p = input.clone().validate().expect("valid authorised person");
    assert_eq!(p.id_number.as_str(), "089202017098");
    let bad = AuthorisedPersonInput {
        id_number: "089".into(),
        authorisation_document: " ".into(),
        ..input
    };
    let errors = bad.validate().expect_err("two bad fields");
    assert_eq!(fields(&errors), ["id_number", "authorisation_document"]);
    assert_eq!(errors[1].message, "Giấy tờ ủy quyền không được để trống");
}

#[test]
fn an_organisation_is_received_with_its_enterprise_code_and_representative() {
    // Before issue 12 only a citizen with a 12-digit ID could be entered.
    let a = company()
        .validate(day(2026, 11, 27))
        .expect("valid organisation");
    assert_eq!(a.kind(), ApplicantKind::Organisation);
    assert_eq!(a.full_name, "Công ty TNHH Xây dựng số 1 Hạ Long");
    assert_eq!(a.id_text(), "5700100256");
    assert_eq!(a.signer(), "Phạm Văn Đông");
    assert_eq!(a.phone.as_deref(), Some("02033825111"));
    assert_eq!(a.kind().loai_doi_tuong(), 2);
    let branch = ApplicantInput {
        id_number: "5700100256-001".into(),
        ..company()
    };
    assert_eq!(
        branch
            .validate(day(2026, 11, 27))
            .map(|a| a.id_text().to_string()),
        Ok("5700100256-001".into())
    );
}

#[test]
fn an_organisation_gets_a_vietnamese_error_per_field() {
    let bad = ApplicantInput {
        full_name: "123".into(),
        id_number: "5700100257".into(),
        representative: Some(" ".into()),
        ..company()
    };
    let errors = bad
        .validate(day(2026, 11, 27))
        .expect_err("three bad fields");
    assert_eq!(
        fields(&errors),
        ["full_name", "id_number", "representative"]
    );
    assert_eq!(errors[0].message, "Tên tổ chức phải có ít nhất một chữ cái");
    assert!(
        errors[1].message.contains("sai chữ số kiểm tra"),
        "{}",
        errors[1].message
    );
    assert_eq!(
        errors[2].message,
        "Người đại diện theo pháp luật của tổ chức không được để trống"
    );
    let bad_rep = ApplicantInput {
        representative: Some("Phạm 2".into()),
        ..company()
    };
    let errors = bad_rep.validate(day(2026, 11, 27)).expect_err("bad name");
    assert_eq!(fields(&errors), ["representative"]);
    assert!(
        errors[0]
            .message
            .starts_with("Người đại diện theo pháp luật: Họ và tên")
    );
}

#[test]
fn a_foreigner_is_received_with_passport_and_nationality() {
    let a = visitor()
        .validate(day(2026, 11, 27))
        .expect("valid foreigner");
    assert_eq!(a.kind(), ApplicantKind::Foreigner);
    assert_eq!(a.id_text(), "M12345678");
    assert_eq!(
        a.identity,
        Identity::Foreigner {
            passport: Passport::parse("M12345678").expect("valid"),
            nationality: "Hàn Quốc".into()
        }
    );
    assert_eq!(a.signer(), "Kim Min-jun");
    let bad = ApplicantInput {
        id_number: "".into(),
        nationality: None,
        ..visitor()
    };
    let errors = bad.validate(day(2026, 11, 27)).expect_err("two bad fields");
    assert_eq!(fields(&errors), ["id_number", "nationality"]);
    assert_eq!(errors[0].message, "Số hộ chiếu không được để trống");
    assert_eq!(errors[1].message, "Quốc tịch không được để trống");
}

#[test]
fn an_unknown_kind_is_named() {
    let bad = ApplicantInput {
        kind: Some("robot".into()),
        ..hoa()
    };
    let errors = bad.validate(day(2026, 11, 27)).expect_err("bad kind");
    assert_eq!(fields(&errors), ["kind"]);
    assert!(errors[0].message.contains("'robot'"));
}

#[test]
fn a_citizen_born_abroad_is_received_with_a_note() {
    let abroad = ApplicantInput {
        id_number: "840303011829".into(),
        ..hoa()
    };
    let a = abroad
        .validate(day(2026, 11, 27))
        .expect("accepted, not refused");
    assert_eq!(a.notes_vi().len(), 1);
    assert!(
        hoa()
            .validate(day(2026, 11, 27))
            .expect("valid")
            .notes_vi()
            .is_empty()
    );
}

#[test]
fn events_written_before_applicant_kinds_still_read_as_citizens() -> Result<(), serde_json::Error> {
    // The exact shape of a Received applicant before issue 12.
    let old = r#"{"full_name":"Nguyễn Thị Hoa","id_number":"034303011829","date_of_birth":"2003-03-21","gender":"Nữ","address":"Thái Bình","phone":null,"email":null}"#;
    let a: Applicant = serde_json::from_str(old)?;
    assert_eq!(a.kind(), ApplicantKind::Citizen);
    assert_eq!(a.id_text(), "034303011829");
    let old_auth = r#"{"full_name":"Lê Văn Lương","id_number":"089202017098","address":"An Giang","phone":null,"authorisation_document":"Giấy ủy quyền số 1"}"#;
    let p: AuthorisedPerson = serde_json::from_str(old_auth)?;
    assert_eq!(p.email, None);
    Ok(())
}

#[test]
fn every_kind_round_trips_through_json() -> Result<(), serde_json::Error> {
    for input in [hoa(), company(), visitor()] {
        let a = input
            .validate(day(2026, 11, 27))
            .map_err(|e| serde::de::Error::custom(format!("{e:?}")))?;
        let json = serde_json::to_string(&a)?;
        assert!(
            json.contains(&format!("\"kind\":\"{}\"", a.kind().key())),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Applicant>(&json)?, a);
    }
    let missing =
        r#"{"kind":"organisation","full_name":"X","tax_code":"0100109106","address":"Y"}"#;
    let e = serde_json::from_str::<Applicant>(missing).expect_err("no representative");
    assert!(e.to_string().contains("representative"), "{e}");
    Ok(())
}
