//! The applicant (người nộp hồ sơ) and an optional authorised person (người được ủy quyền).
//!
//! A form arrives as [`ApplicantInput`] (plain strings, as typed or filled from the CCCD
//! QR) and becomes an [`Applicant`] only through [`ApplicantInput::validate`], which
//! reports every bad field at once so the form can mark them all.
//!
//! The 12-digit personal ID (số định danh cá nhân, printed on the CCCD) is
//! `PPP G YY NNNNNN` (TT 07/2016/TT-BCA): PPP the province where the birth was registered
//! (`assets/cccd_province_codes.json`), G gender and century (even = male, odd = female;
//! 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s …), YY the last two digits of the birth year,
//! then 6 serial digits. G and YY are checked against the date of birth and gender typed,
//! which catches most slips of a digit or of the wrong person's card.
//! Births registered abroad (a non-zero first digit, a country code) are not in the table
//! and are refused for now.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::text::{self, TextError};

mod contact;
mod personal_id;

pub use contact::{normalise_phone, validate_email, validate_name};
pub use personal_id::PersonalId;

const ADDRESS_MAX: usize = 300;
const DOCUMENT_MAX: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// Accepts "Nam"/"Nữ" in any case and with or without diacritics (NFC or NFD).
    pub fn parse(raw: &str) -> Result<Self, ApplicantError> {
        match text::fold(raw).as_str() {
            "nam" => Ok(Gender::Male),
            "nu" => Ok(Gender::Female),
            "" => Err(ApplicantError::GenderEmpty),
            _ => Err(ApplicantError::GenderInvalid(text::nfc(raw.trim()))),
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_vi())
    }
}

impl TryFrom<String> for Gender {
    type Error = ApplicantError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Gender> for String {
    fn from(g: Gender) -> Self {
        g.label_vi().to_string()
    }
}

/// Dates are shown to clerks as dd/mm/yyyy.
fn vn_date(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A problem with an applicant's data; each maps to one form field ([`Self::field`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApplicantError {
    #[error(transparent)]
    Text(TextError),
    #[error(
        "Họ và tên chỉ được gồm chữ cái, dấu cách, dấu nháy ('), gạch nối (-) và dấu chấm; \
         ký tự '{0}' không hợp lệ"
    )]
    NameChar(char),
    #[error("Họ và tên phải có ít nhất một chữ cái")]
    NameNoLetter,
    #[error("Số định danh cá nhân không được để trống")]
    IdEmpty,
    #[error("Số định danh cá nhân chỉ được gồm chữ số (đã nhập '{0}')")]
    IdNotDigits(String),
    #[error("Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập {0})")]
    IdLength(usize),
    #[error(
        "Số định danh {id} có mã tỉnh nơi đăng ký khai sinh '{code}' không có trong danh mục; \
         hãy kiểm tra 3 chữ số đầu"
    )]
    IdProvince { id: String, code: String },
    #[error(
        "Số định danh {id} cho biết người sinh năm {id_year}, nhưng ngày sinh đã nhập là {}",
        vn_date(.dob)
    )]
    IdBirthYearMismatch {
        id: String,
        id_year: i32,
        dob: NaiveDate,
    },
    #[error(
        "Số định danh {id} cho biết giới tính {id_gender}, nhưng giới tính đã chọn là {gender}"
    )]
    IdGenderMismatch {
        id: String,
        id_gender: Gender,
        gender: Gender,
    },
    #[error(
        "Số định danh {id} cho biết người sinh năm {id_year}, giới tính {id_gender}, \
         nhưng ngày sinh đã nhập là {} và giới tính là {gender}",
        vn_date(.dob)
    )]
    IdBirthYearAndGenderMismatch {
        id: String,
        id_year: i32,
        id_gender: Gender,
        dob: NaiveDate,
        gender: Gender,
    },
    #[error("Giới tính không được để trống: chọn Nam hoặc Nữ")]
    GenderEmpty,
    #[error("Giới tính '{0}' không hợp lệ: chọn Nam hoặc Nữ")]
    GenderInvalid(String),
    #[error("Ngày sinh không được để trống")]
    DobEmpty,
    #[error("Ngày sinh '{0}' không hợp lệ (cần dạng YYYY-MM-DD, ví dụ 2003-03-21)")]
    DobFormat(String),
    #[error("Ngày sinh {} ở sau ngày hôm nay ({}); hãy kiểm tra lại", vn_date(.dob), vn_date(.today))]
    DobFuture { dob: NaiveDate, today: NaiveDate },
    #[error("Ngày sinh {} trước năm 1900; hãy kiểm tra lại năm sinh", vn_date(.0))]
    DobTooOld(NaiveDate),
    #[error(
        "Số điện thoại '{0}' chỉ được gồm chữ số, dấu cách, dấu chấm, gạch nối, \
         dấu ngoặc và tiền tố +84"
    )]
    PhoneChars(String),
    #[error(
        "Số điện thoại '{0}' không hợp lệ: số di động gồm 10 chữ số bắt đầu bằng 03, 05, 07, \
         08 hoặc 09; số cố định gồm 11 chữ số bắt đầu bằng 02"
    )]
    PhoneInvalid(String),
    #[error("Thư điện tử '{0}' không hợp lệ (cần dạng ten@mien.vn)")]
    EmailInvalid(String),
}

impl ApplicantError {
    /// The English key of the form field this error belongs to.
    pub fn field(&self) -> &'static str {
        use ApplicantError as E;
        match self {
            E::Text(t) => t.field(),
            E::NameChar(_) | E::NameNoLetter => "full_name",
            E::IdEmpty
            | E::IdNotDigits(_)
            | E::IdLength(_)
            | E::IdProvince { .. }
            | E::IdBirthYearMismatch { .. }
            | E::IdGenderMismatch { .. }
            | E::IdBirthYearAndGenderMismatch { .. } => "id_number",
            E::GenderEmpty | E::GenderInvalid(_) => "gender",
            E::DobEmpty | E::DobFormat(_) | E::DobFuture { .. } | E::DobTooOld(_) => {
                "date_of_birth"
            }
            E::PhoneChars(_) | E::PhoneInvalid(_) => "phone",
            E::EmailInvalid(_) => "email",
        }
    }
}

/// One form field's problem: `field` is the JSON key, `message` the Vietnamese text.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("{message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl From<ApplicantError> for FieldError {
    fn from(e: ApplicantError) -> Self {
        FieldError {
            field: e.field(),
            message: e.to_string(),
        }
    }
}

impl From<TextError> for FieldError {
    fn from(e: TextError) -> Self {
        ApplicantError::Text(e).into()
    }
}

/// A validated applicant; all text NFC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub full_name: String,
    pub id_number: PersonalId,
    pub date_of_birth: NaiveDate,
    pub gender: Gender,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The applicant form as typed: every field a string, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    pub full_name: String,
    pub id_number: String,
    /// YYYY-MM-DD.
    pub date_of_birth: String,
    pub gender: String,
    pub address: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// The form a validated applicant came from: validating it again must give the same
/// applicant (how an applicant that arrives by sync is held to the intake rules).
impl From<&Applicant> for ApplicantInput {
    fn from(a: &Applicant) -> Self {
        ApplicantInput {
            full_name: a.full_name.clone(),
            id_number: a.id_number.to_string(),
            date_of_birth: a.date_of_birth.format("%Y-%m-%d").to_string(),
            gender: a.gender.label_vi().to_string(),
            address: a.address.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
        }
    }
}

impl ApplicantInput {
    /// Validates every field, returning all problems found (in form order).
    pub fn validate(self, today: NaiveDate) -> Result<Applicant, Vec<FieldError>> {
        let mut errors = Vec::new();
        let full_name = collect(validate_name(&self.full_name), &mut errors);
        let id_number = collect(PersonalId::parse(&self.id_number), &mut errors);
        let date_of_birth = collect(parse_dob(&self.date_of_birth, today), &mut errors);
        let gender = collect(Gender::parse(&self.gender), &mut errors);
        let address = collect(
            text::clean_field("address", "Địa chỉ", &self.address, ADDRESS_MAX, true)
                .map_err(ApplicantError::Text),
            &mut errors,
        );
        let phone = collect(normalise_phone(self.phone.as_deref()), &mut errors);
        let email = collect(validate_email(self.email.as_deref()), &mut errors);
        if let (Some(id), Some(dob), Some(g)) = (&id_number, date_of_birth, gender)
            && let Err(e) = id.check_against(dob, g)
        {
            errors.push(e.into());
        }
        match (
            full_name,
            id_number,
            date_of_birth,
            gender,
            address,
            phone,
            email,
        ) {
            (
                Some(full_name),
                Some(id_number),
                Some(date_of_birth),
                Some(gender),
                Some(address),
                Some(phone),
                Some(email),
            ) if errors.is_empty() => Ok(Applicant {
                full_name,
                id_number,
                date_of_birth,
                gender,
                address,
                phone,
                email,
            }),
            _ => Err(errors),
        }
    }
}

/// A person acting for the applicant under a written authorisation (giấy ủy quyền).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisedPerson {
    pub full_name: String,
    pub id_number: PersonalId,
    pub address: String,
    pub phone: Option<String>,
    /// The authorisation document as the clerk records it, e.g. "Giấy ủy quyền số 12/2026".
    pub authorisation_document: String,
}

/// The authorised-person form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorisedPersonInput {
    pub full_name: String,
    pub id_number: String,
    pub address: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub authorisation_document: String,
}

impl From<&AuthorisedPerson> for AuthorisedPersonInput {
    fn from(p: &AuthorisedPerson) -> Self {
        AuthorisedPersonInput {
            full_name: p.full_name.clone(),
            id_number: p.id_number.to_string(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            authorisation_document: p.authorisation_document.clone(),
        }
    }
}

impl AuthorisedPersonInput {
    /// Validates every field. The date of birth is not asked, so the ID is checked for
    /// structure and province only.
    pub fn validate(self) -> Result<AuthorisedPerson, Vec<FieldError>> {
        let mut errors = Vec::new();
        let full_name = collect(validate_name(&self.full_name), &mut errors);
        let id_number = collect(PersonalId::parse(&self.id_number), &mut errors);
        let address = collect(
            text::clean_field("address", "Địa chỉ", &self.address, ADDRESS_MAX, true)
                .map_err(ApplicantError::Text),
            &mut errors,
        );
        let phone = collect(normalise_phone(self.phone.as_deref()), &mut errors);
        let authorisation_document = collect(
            text::clean_field(
                "authorisation_document",
                "Giấy tờ ủy quyền",
                &self.authorisation_document,
                DOCUMENT_MAX,
                true,
            )
            .map_err(ApplicantError::Text),
            &mut errors,
        );
        match (full_name, id_number, address, phone, authorisation_document) {
            (Some(full_name), Some(id_number), Some(address), Some(phone), Some(doc))
                if errors.is_empty() =>
            {
                Ok(AuthorisedPerson {
                    full_name,
                    id_number,
                    address,
                    phone,
                    authorisation_document: doc,
                })
            }
            _ => Err(errors),
        }
    }
}

fn collect<T>(r: Result<T, ApplicantError>, errors: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e.into())).ok()
}

fn parse_dob(raw: &str, today: NaiveDate) -> Result<NaiveDate, ApplicantError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ApplicantError::DobEmpty);
    }
    let dob = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ApplicantError::DobFormat(text::nfc(s)))?;
    if dob > today {
        return Err(ApplicantError::DobFuture { dob, today });
    }
    if dob.year() < 1900 {
        return Err(ApplicantError::DobTooOld(dob));
    }
    Ok(dob)
}

#[cfg(test)]
mod tests {
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
        assert_eq!(a.id_number.as_str(), "034303011829");
        assert_eq!(a.date_of_birth, day(2003, 3, 21));
        assert_eq!(a.gender, Gender::Female);
        assert_eq!(a.phone.as_deref(), Some("0912345678"));
        assert_eq!(a.email, None);
    }

    #[test]
    fn validate_collects_every_field_error() {
        let input = ApplicantInput {
            full_name: "Nguyễn 2".into(),
            id_number: "12345".into(),
            date_of_birth: "21/03/2003".into(),
            gender: "X".into(),
            address: "".into(),
            phone: Some("12345".into()),
            email: Some("hoa@".into()),
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
        let extra = r#"{"full_name":"A","id_number":"1","date_of_birth":"","gender":"","address":"","age":3}"#;
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
}
