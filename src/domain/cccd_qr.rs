//! The QR string on the back of a chip-based CCCD (2021 model), which fills the applicant
//! form in one scan:
//!
//! ```text
//! 034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình|14082021
//! CCCD        |CMND cũ|Họ tên   |ddmmyyyy|Giới tính|Địa chỉ thường trú          |ngày cấp ddmmyyyy
//! ```
//!
//! Scanners are keyboard wedges or serial ports, so the string may carry a leading BOM or
//! whitespace and a trailing CR/LF, spaces or Tab: those are stripped. One trailing `|`
//! (an empty 8th field) is tolerated, because it carries no data and some scanner
//! profiles append the separator; an 8th field with content is refused, since it would
//! mean a format we do not know (e.g. the unconfirmed 2024 "thẻ căn cước" QR).
//! The old CMND field is empty or 9 digits. Text is NFC-normalised. The ID number must
//! pass [`PersonalId::parse`] and agree with the date of birth and gender on the card.
//! The address uses the pre-2025 4-level names; re-mapping it is not done here.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::applicant::{ApplicantError, ApplicantInput, Gender, PersonalId};
use crate::domain::text::{self, TextError};

const FIELD_COUNT: usize = 7;

/// What a CCCD QR string says, checked and NFC-normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CccdQr {
    /// The 12-digit number, already validated as a [`PersonalId`].
    pub id_number: String,
    /// The old 9-digit CMND number, when the card records one.
    pub old_id: Option<String>,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub gender: Gender,
    pub address: String,
    pub issued_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrError {
    #[error("Chuỗi QR trống: hãy quét lại mã QR ở mặt sau thẻ CCCD")]
    Empty,
    #[error(
        "Chuỗi QR phải có {FIELD_COUNT} trường phân tách bởi dấu |, nhận được {0}; \
         hãy quét lại mã QR ở mặt sau thẻ CCCD"
    )]
    FieldCount(usize),
    #[error("Số CCCD trong QR không hợp lệ: {0}")]
    IdNumber(ApplicantError),
    #[error("Số CMND cũ trong QR phải gồm 9 chữ số hoặc để trống, nhận được '{0}'")]
    OldId(String),
    #[error(transparent)]
    Text(TextError),
    #[error("Ngày sinh trong QR không hợp lệ: '{0}' (cần dạng ddmmyyyy)")]
    DateOfBirth(String),
    #[error("Giới tính trong QR không hợp lệ: '{0}' (cần Nam hoặc Nữ)")]
    Gender(String),
    #[error("Ngày cấp trong QR không hợp lệ: '{0}' (cần dạng ddmmyyyy)")]
    IssuedOn(String),
    #[error(
        "Ngày cấp {} trong QR ở trước ngày sinh {}",
        .issued_on.format("%d/%m/%Y"),
        .date_of_birth.format("%d/%m/%Y")
    )]
    IssuedBeforeBirth {
        issued_on: NaiveDate,
        date_of_birth: NaiveDate,
    },
}

/// Parses and checks a scanned CCCD QR string.
pub fn parse_cccd_qr(raw: &str) -> Result<CccdQr, QrError> {
    let trimmed = raw
        .trim_start_matches(|c: char| c == '\u{FEFF}' || c.is_whitespace())
        .trim_end();
    if trimmed.is_empty() {
        return Err(QrError::Empty);
    }
    let normalised = text::nfc(trimmed);
    let mut fields: Vec<&str> = normalised.split('|').collect();
    if fields.len() == FIELD_COUNT + 1 && fields.last().is_some_and(|f| f.trim().is_empty()) {
        fields.pop();
    }
    let [id, old_id, name, dob, gender, address, issued] = fields.as_slice() else {
        return Err(QrError::FieldCount(fields.len()));
    };

    let id_number = PersonalId::parse(id).map_err(QrError::IdNumber)?;
    let old_id = match old_id.trim() {
        "" => None,
        s if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) => Some(s.to_string()),
        s => return Err(QrError::OldId(s.to_string())),
    };
    let full_name = text::clean_field("full_name", "Họ tên trong QR", name, 100, true)
        .map_err(QrError::Text)?;
    let date_of_birth =
        parse_ddmmyyyy(dob).ok_or_else(|| QrError::DateOfBirth(dob.trim().to_string()))?;
    let gender = Gender::parse(gender).map_err(|_| QrError::Gender(gender.trim().to_string()))?;
    let address = text::clean_field("address", "Địa chỉ trong QR", address, 300, true)
        .map_err(QrError::Text)?;
    let issued_on =
        parse_ddmmyyyy(issued).ok_or_else(|| QrError::IssuedOn(issued.trim().to_string()))?;
    id_number
        .check_against(date_of_birth, gender)
        .map_err(QrError::IdNumber)?;
    if issued_on < date_of_birth {
        return Err(QrError::IssuedBeforeBirth {
            issued_on,
            date_of_birth,
        });
    }
    Ok(CccdQr {
        id_number: id_number.to_string(),
        old_id,
        full_name,
        date_of_birth,
        gender,
        address,
        issued_on,
    })
}

/// `ddmmyyyy`, exactly 8 digits, a real calendar date from 1900 on.
fn parse_ddmmyyyy(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u32 = s.get(0..2)?.parse().ok()?;
    let m: u32 = s.get(2..4)?.parse().ok()?;
    let y: i32 = s.get(4..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d).filter(|date| date.year() >= 1900)
}

impl CccdQr {
    /// The applicant form pre-filled from the card; phone and e-mail are left for the clerk.
    pub fn to_applicant_input(&self) -> ApplicantInput {
        ApplicantInput {
            full_name: self.full_name.clone(),
            id_number: self.id_number.clone(),
            date_of_birth: self.date_of_birth.format("%Y-%m-%d").to_string(),
            gender: self.gender.label_vi().to_string(),
            address: self.address.clone(),
            phone: None,
            email: None,
            ..ApplicantInput::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    // The three real samples of shared/data/cccd_qr_samples.txt.
    const LUONG: &str = "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021";
    const NHAT: &str = "049202000284||Khuất Lưu Huy Nhật|24022002|Nam|Cẩm Bào, Cẩm Yên, Thạch Thất, Hà Nội|31052021";
    const HOA: &str = "034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình|14082021";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
    }

    fn err_msg(raw: &str) -> String {
        match parse_cccd_qr(raw) {
            Ok(qr) => panic!("{raw:?} should be rejected, got {qr:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn real_samples() {
        let luong = parse_cccd_qr(LUONG).expect("sample A");
        assert_eq!(
            luong,
            CccdQr {
                id_number: "089202017098".into(),
                old_id: Some("352576714".into()),
                full_name: "Lê Văn Lương".into(),
                date_of_birth: day(2002, 5, 23),
                gender: Gender::Male,
                address: "Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang".into(),
                issued_on: day(2021, 12, 31),
            }
        );
        let nhat = parse_cccd_qr(NHAT).expect("sample B");
        assert_eq!(nhat.old_id, None);
        assert_eq!(nhat.full_name, "Khuất Lưu Huy Nhật");
        assert_eq!(nhat.issued_on, day(2021, 5, 31));
        let hoa = parse_cccd_qr(HOA).expect("sample C");
        assert_eq!(hoa.gender, Gender::Female);
        assert_eq!(hoa.date_of_birth, day(2003, 3, 21));
    }

    #[test]
    fn scanner_noise_is_tolerated() {
        let expected = parse_cccd_qr(HOA);
        for noisy in [
            format!("{HOA}\r\n"),
            format!("{HOA}\n"),
            format!("{HOA} \t\r\n"),
            format!("\u{FEFF}{HOA}\r"),
            format!("  \t{HOA}"),
        ] {
            assert_eq!(parse_cccd_qr(&noisy), expected, "{noisy:?}");
        }
    }

    #[test]
    fn nfd_input_is_normalised() {
        let nfd: String = HOA.nfd().collect();
        assert_ne!(nfd, HOA);
        let qr = parse_cccd_qr(&nfd).expect("NFD sample");
        assert_eq!(qr.full_name, "Nguyễn Thị Hoa");
        assert_eq!(qr.address, "Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình");
        assert_eq!(qr.gender, Gender::Female);
    }

    #[test]
    fn field_count() {
        let six = "034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thôn Lai Ổn";
        assert_eq!(parse_cccd_qr(six), Err(QrError::FieldCount(6)));
        assert_eq!(
            err_msg("a|b|c|d|e"),
            "Chuỗi QR phải có 7 trường phân tách bởi dấu |, nhận được 5; \
             hãy quét lại mã QR ở mặt sau thẻ CCCD"
        );
        // An empty 8th field (trailing '|') is tolerated, with or without CR/LF.
        assert_eq!(parse_cccd_qr(&format!("{HOA}|")), parse_cccd_qr(HOA));
        assert_eq!(parse_cccd_qr(&format!("{HOA}|\r\n")), parse_cccd_qr(HOA));
        // ... but not an 8th field with content, nor two trailing separators.
        assert_eq!(
            parse_cccd_qr(&format!("{HOA}|extra")),
            Err(QrError::FieldCount(8))
        );
        assert_eq!(
            parse_cccd_qr(&format!("{HOA}||")),
            Err(QrError::FieldCount(9))
        );
        assert_eq!(parse_cccd_qr(" \r\n"), Err(QrError::Empty));
        assert_eq!(parse_cccd_qr("034303011829"), Err(QrError::FieldCount(1)));
    }

    #[test]
    fn bad_dates() {
        let bad_dob = HOA.replace("21032003", "31022002");
        assert_eq!(
            err_msg(&bad_dob),
            "Ngày sinh trong QR không hợp lệ: '31022002' (cần dạng ddmmyyyy)"
        );
        let iso = HOA.replace("21032003", "2003-03-21");
        assert_eq!(
            parse_cccd_qr(&iso),
            Err(QrError::DateOfBirth("2003-03-21".into()))
        );
        let bad_issue = HOA.replace("14082021", "1408202");
        assert_eq!(
            err_msg(&bad_issue),
            "Ngày cấp trong QR không hợp lệ: '1408202' (cần dạng ddmmyyyy)"
        );
        let before = HOA.replace("14082021", "14082001");
        assert_eq!(
            err_msg(&before),
            "Ngày cấp 14/08/2001 trong QR ở trước ngày sinh 21/03/2003"
        );
    }

    #[test]
    fn bad_fields() {
        assert_eq!(
            err_msg(&HOA.replace("|Nữ|", "|F|")),
            "Giới tính trong QR không hợp lệ: 'F' (cần Nam hoặc Nữ)"
        );
        assert_eq!(
            err_msg(&HOA.replace("034303011829", "03430301182")),
            "Số CCCD trong QR không hợp lệ: Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11)"
        );
        assert_eq!(
            err_msg(&HOA.replace("|Nữ|", "|Nam|")),
            "Số CCCD trong QR không hợp lệ: Số định danh 034303011829 cho biết giới tính Nữ, \
             nhưng giới tính đã chọn là Nam"
        );
        assert_eq!(
            parse_cccd_qr(&LUONG.replace("352576714", "35257671")),
            Err(QrError::OldId("35257671".into()))
        );
        assert_eq!(
            err_msg(&HOA.replace("Nguyễn Thị Hoa", " ")),
            "Họ tên trong QR không được để trống"
        );
        assert!(matches!(
            parse_cccd_qr(&HOA.replace("An Quý", "An\tQuý")),
            Err(QrError::Text(TextError::ControlChar {
                field: "address",
                ..
            }))
        ));
    }

    #[test]
    fn fills_a_valid_applicant_form() {
        let qr = parse_cccd_qr(LUONG).expect("sample A");
        let input = qr.to_applicant_input();
        assert_eq!(input.date_of_birth, "2002-05-23");
        assert_eq!(input.gender, "Nam");
        assert_eq!(
            (input.phone.as_deref(), input.email.as_deref()),
            (None, None)
        );
        let applicant = input.validate(day(2026, 11, 27)).expect("valid applicant");
        assert_eq!(applicant.full_name, "Lê Văn Lương");
        assert_eq!(applicant.id_text(), "089202017098");
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = parse_cccd_qr(&s);
        }

        #[test]
        fn never_panics_on_qr_like_input(s in "[0-9|ữNamNữ\r\n \u{FEFF}\u{303}]{0,60}") {
            let _ = parse_cccd_qr(&s);
        }
    }
}
