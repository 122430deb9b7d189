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

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::text::{self, TextError};

const PROVINCES_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/cccd_province_codes.json"
));

#[derive(Deserialize)]
struct ProvinceTable {
    codes: BTreeMap<String, String>,
}

/// Birth-registration province codes (3 digits) → province name.
static PROVINCES: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| {
    serde_json::from_str::<ProvinceTable>(PROVINCES_JSON)
        .expect("embedded cccd_province_codes.json is checked by a unit test")
        .codes
});

const NAME_MAX: usize = 100;
const ADDRESS_MAX: usize = 300;
const DOCUMENT_MAX: usize = 300;
const EMAIL_MAX: usize = 254;

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

/// A 12-digit personal ID number whose province code is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonalId(String);

impl PersonalId {
    /// Parses an ID, ignoring spaces anywhere (numbers are often typed in groups).
    pub fn parse(raw: &str) -> Result<Self, ApplicantError> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err(ApplicantError::IdEmpty);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApplicantError::IdNotDigits(text::nfc(raw.trim())));
        }
        if s.len() != 12 {
            return Err(ApplicantError::IdLength(s.len()));
        }
        let code = &s[..3];
        if !PROVINCES.contains_key(code) {
            return Err(ApplicantError::IdProvince {
                code: code.to_string(),
                id: s,
            });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The gender/century digit G.
    fn g_digit(&self) -> i32 {
        i32::from(self.0.as_bytes()[3] - b'0')
    }

    /// The birth year the ID encodes: century from G, then YY.
    pub fn birth_year(&self) -> i32 {
        let yy =
            i32::from(self.0.as_bytes()[4] - b'0') * 10 + i32::from(self.0.as_bytes()[5] - b'0');
        (self.g_digit() / 2 + 19) * 100 + yy
    }

    /// The gender the ID encodes: even G = male, odd = female.
    pub fn gender(&self) -> Gender {
        if self.g_digit() % 2 == 0 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The province where the birth was registered, e.g. "Tỉnh Thái Bình".
    pub fn province_name(&self) -> &'static str {
        PROVINCES
            .get(&self.0[..3])
            .map(String::as_str)
            .expect("parse only accepts province codes present in the table")
    }

    /// Checks that the ID's century/gender digit and birth year agree with what was typed.
    pub fn check_against(
        &self,
        date_of_birth: NaiveDate,
        gender: Gender,
    ) -> Result<(), ApplicantError> {
        let (id_year, id_gender) = (self.birth_year(), self.gender());
        let id = self.0.clone();
        match (id_year == date_of_birth.year(), id_gender == gender) {
            (true, true) => Ok(()),
            (false, true) => Err(ApplicantError::IdBirthYearMismatch {
                id,
                id_year,
                dob: date_of_birth,
            }),
            (true, false) => Err(ApplicantError::IdGenderMismatch {
                id,
                id_gender,
                gender,
            }),
            (false, false) => Err(ApplicantError::IdBirthYearAndGenderMismatch {
                id,
                id_year,
                id_gender,
                dob: date_of_birth,
                gender,
            }),
        }
    }
}

impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonalId {
    type Error = ApplicantError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonalId> for String {
    fn from(id: PersonalId) -> Self {
        id.0
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

/// Full name: required, ≤ 100 characters, letters (any script, so Vietnamese and
/// minority names pass) with spaces, apostrophes, hyphens and dots; single spaces.
pub fn validate_name(raw: &str) -> Result<String, ApplicantError> {
    let cleaned = text::clean_field("full_name", "Họ và tên", raw, NAME_MAX, true)
        .map_err(ApplicantError::Text)?;
    let name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '.')))
    {
        return Err(ApplicantError::NameChar(c));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(ApplicantError::NameNoLetter);
    }
    Ok(name)
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

/// Normalises a Vietnamese phone number to its domestic digits (`0…`): spaces, dots,
/// dashes and parentheses are dropped, `+84`/`0084` becomes `0` (a stray `(0)` after it
/// too). Mobile: 10 digits `0[35789]…`; landline: 11 digits `02…`. Blank → `None`.
pub fn normalise_phone(raw: Option<&str>) -> Result<Option<String>, ApplicantError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let shown = text::nfc(raw);
    let mut rest = raw;
    let mut international = false;
    for prefix in ["+84", "0084"] {
        if let Some(r) = raw.strip_prefix(prefix) {
            rest = r;
            international = true;
            break;
        }
    }
    if rest
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')')))
    {
        return Err(ApplicantError::PhoneChars(shown));
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let domestic = match (international, digits.strip_prefix('0')) {
        (true, Some(_)) => digits, // "+84 (0)912…": the 0 is already there
        (true, None) => format!("0{digits}"),
        (false, _) => digits,
    };
    let b = domestic.as_bytes();
    let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b[0] == b'0' && b[1] == b'2';
    if mobile || landline {
        Ok(Some(domestic))
    } else {
        Err(ApplicantError::PhoneInvalid(shown))
    }
}

/// A practical e-mail check (not full RFC 5322): one '@', a local part of common
/// characters without leading/trailing/double dots, a domain of ≥ 2 dot-separated labels
/// (letters, digits, inner hyphens) ending in a ≥ 2-letter TLD; ≤ 254 characters.
/// Blank → `None`.
pub fn validate_email(raw: Option<&str>) -> Result<Option<String>, ApplicantError> {
    let cleaned = text::clean_field("email", "Thư điện tử", raw.unwrap_or(""), EMAIL_MAX, false)
        .map_err(ApplicantError::Text)?;
    if cleaned.is_empty() {
        return Ok(None);
    }
    let invalid = || ApplicantError::EmailInvalid(cleaned.clone());
    let (local, domain) = cleaned.split_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(Some(cleaned))
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
    }

    fn id(s: &str) -> PersonalId {
        PersonalId::parse(s).expect("test ID is valid")
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
    fn province_table_loads() {
        assert_eq!(PROVINCES.len(), 63);
        assert!(PROVINCES.keys().all(|k| k.len() == 3));
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
    fn personal_id_decodes_real_samples() {
        let hoa = id("034303011829");
        assert_eq!(hoa.province_name(), "Tỉnh Thái Bình");
        assert_eq!(hoa.birth_year(), 2003);
        assert_eq!(hoa.gender(), Gender::Female);
        let luong = id(" 089 202 017098 ");
        assert_eq!(luong.as_str(), "089202017098");
        assert_eq!(luong.province_name(), "Tỉnh An Giang");
        assert_eq!((luong.birth_year(), luong.gender()), (2002, Gender::Male));
        assert_eq!(id("001099000001").birth_year(), 1999);
        assert_eq!(id("001100000001").gender(), Gender::Female);
        assert_eq!(id("001405000001").birth_year(), 2105);
    }

    #[test]
    fn personal_id_rejects() {
        assert_eq!(PersonalId::parse("  "), Err(ApplicantError::IdEmpty));
        assert_eq!(
            PersonalId::parse("03430301182").map_err(|e| e.to_string()),
            Err("Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11)".to_string())
        );
        assert_eq!(
            PersonalId::parse("03430301182a"),
            Err(ApplicantError::IdNotDigits("03430301182a".into()))
        );
        assert_eq!(
            PersonalId::parse("003303011829"),
            Err(ApplicantError::IdProvince {
                id: "003303011829".into(),
                code: "003".into()
            })
        );
        assert!(serde_json::from_str::<PersonalId>("\"999303011829\"").is_err());
    }

    #[test]
    fn check_against_names_what_disagrees() {
        let hoa = id("034303011829");
        assert_eq!(hoa.check_against(day(2003, 3, 21), Gender::Female), Ok(()));
        assert_eq!(
            hoa.check_against(day(1993, 3, 21), Gender::Female)
                .map_err(|e| e.to_string()),
            Err(
                "Số định danh 034303011829 cho biết người sinh năm 2003, nhưng ngày sinh \
                 đã nhập là 21/03/1993"
                    .to_string()
            )
        );
        assert_eq!(
            hoa.check_against(day(2003, 3, 21), Gender::Male)
                .map_err(|e| e.to_string()),
            Err(
                "Số định danh 034303011829 cho biết giới tính Nữ, nhưng giới tính đã chọn là Nam"
                    .to_string()
            )
        );
        assert_eq!(
            hoa.check_against(day(1993, 3, 21), Gender::Male)
                .map_err(|e| e.to_string()),
            Err(
                "Số định danh 034303011829 cho biết người sinh năm 2003, giới tính Nữ, \
                 nhưng ngày sinh đã nhập là 21/03/1993 và giới tính là Nam"
                    .to_string()
            )
        );
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
    fn names() {
        assert_eq!(validate_name("H'Hen Niê"), Ok("H'Hen Niê".into()));
        assert_eq!(
            validate_name("Nguyễn Văn A. Jr-B"),
            Ok("Nguyễn Văn A. Jr-B".into())
        );
        assert_eq!(
            validate_name("Lê Văn 3"),
            Err(ApplicantError::NameChar('3'))
        );
        assert_eq!(validate_name("- ."), Err(ApplicantError::NameNoLetter));
        assert!(matches!(
            validate_name("Lê\nVăn"),
            Err(ApplicantError::Text(TextError::ControlChar { .. }))
        ));
        assert!(matches!(
            validate_name(&"a".repeat(101)),
            Err(ApplicantError::Text(TextError::TooLong { actual: 101, .. }))
        ));
        assert_eq!(
            validate_name("").map_err(|e| e.to_string()),
            Err("Họ và tên không được để trống".to_string())
        );
    }

    #[test]
    fn phones() {
        let ok = |s: &str| normalise_phone(Some(s)).ok().flatten();
        assert_eq!(ok("0912345678").as_deref(), Some("0912345678"));
        assert_eq!(ok("091.234.5678").as_deref(), Some("0912345678"));
        assert_eq!(ok("+84912345678").as_deref(), Some("0912345678"));
        assert_eq!(ok("+84 (0) 912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(ok("0084 38 123 4567").as_deref(), Some("0381234567"));
        assert_eq!(ok("(024) 3825-1234").as_deref(), Some("02438251234"));
        assert_eq!(normalise_phone(None), Ok(None));
        assert_eq!(normalise_phone(Some("  ")), Ok(None));
        for bad in [
            "0123456789",
            "091234567",
            "09123456789",
            "0212345678",
            "1912345678",
        ] {
            assert_eq!(
                normalise_phone(Some(bad)),
                Err(ApplicantError::PhoneInvalid(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            normalise_phone(Some("0912 abc")),
            Err(ApplicantError::PhoneChars("0912 abc".into()))
        );
        assert_eq!(
            normalise_phone(Some("84+912345678")),
            Err(ApplicantError::PhoneChars("84+912345678".into()))
        );
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.vn",
            "hoa.nguyen+mc@ubnd.hanoi.gov.vn",
            "x_y@mail-1.example.com",
        ] {
            assert_eq!(validate_email(Some(ok)), Ok(Some(ok.to_string())));
        }
        assert_eq!(validate_email(None), Ok(None));
        for bad in [
            "a",
            "a@b",
            "@b.vn",
            "a@@b.vn",
            "a..b@c.vn",
            ".a@b.vn",
            "a@-b.vn",
            "a@b.v",
            "a b@c.vn",
            "a@b.1",
        ] {
            assert_eq!(
                validate_email(Some(bad)),
                Err(ApplicantError::EmailInvalid(bad.into())),
                "{bad}"
            );
        }
        let long = format!("{}@example.vn", "a".repeat(250));
        assert!(matches!(
            validate_email(Some(&long)),
            Err(ApplicantError::Text(TextError::TooLong { max: 254, .. }))
        ));
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
