//! The CCCD QR string as a scanner sends it. Whatever the parser accepts must be
//! internally consistent, read back the same when written out again, and fill an
//! applicant form that only the form's stricter name rule can refuse.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use motcua::domain::applicant::PersonalId;
use motcua::domain::cccd_qr::parse_cccd_qr;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(qr) = parse_cccd_qr(raw) else {
        return;
    };
    let id = PersonalId::parse(&qr.id_number).expect("accepted ID parses");
    assert_eq!(id.as_str(), qr.id_number);
    assert_eq!(id.check_against(qr.date_of_birth, qr.gender), Ok(()));
    assert!(qr.issued_on >= qr.date_of_birth);
    assert!(qr.old_id.as_ref().is_none_or(|o| o.len() == 9));
    for field in [&qr.full_name, &qr.address] {
        assert!(!field.is_empty() && !field.contains('|'));
        assert!(!field.chars().any(char::is_control));
    }
    let again = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        qr.id_number,
        qr.old_id.as_deref().unwrap_or(""),
        qr.full_name,
        qr.date_of_birth.format("%d%m%Y"),
        qr.gender.label_vi(),
        qr.address,
        qr.issued_on.format("%d%m%Y"),
    );
    assert_eq!(parse_cccd_qr(&again).as_ref(), Ok(&qr), "{again:?}");
    if let Err(errors) = qr.to_applicant_input().validate(NaiveDate::MAX) {
        assert!(
            errors.iter().all(|e| e.field == "full_name"),
            "QR accepted but the form refuses: {errors:?}"
        );
    }
});
