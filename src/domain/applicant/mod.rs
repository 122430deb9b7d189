//! The applicant (người nộp hồ sơ, chủ hồ sơ) and an optional authorised person (người
//! được ủy quyền). The applicant is a Vietnamese citizen, an organisation or a foreigner
//! ([`Identity`]); the authorised person is always a citizen with a personal ID.
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
//! Births registered abroad (a non-zero first digit, a country code) are accepted with a
//! note ([`PersonalId::note_vi`]).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::text::{self, TextError};

mod contact;
mod identity;
mod passport;
mod personal_id;
mod tax_code;

pub use contact::{normalise_phone, validate_email, validate_name};
pub use identity::{ApplicantKind, Identity};
pub use passport::{Passport, validate_nationality};
pub use personal_id::PersonalId;
pub use tax_code::TaxCode;

const ADDRESS_MAX: usize = 300;
const ORG_NAME_MAX: usize = 250;
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
    #[error(
        "Loại người nộp '{0}' không hợp lệ: chọn công dân Việt Nam ('citizen'), tổ chức \
         ('organisation') hoặc người nước ngoài ('foreigner')"
    )]
    KindInvalid(String),
    #[error("Tên tổ chức phải có ít nhất một chữ cái")]
    OrgNameNoLetter,
    #[error("Mã số doanh nghiệp không được để trống")]
    TaxCodeEmpty,
    #[error("Mã số doanh nghiệp chỉ được gồm chữ số và dấu gạch nối (đã nhập '{0}')")]
    TaxCodeNotDigits(String),
    #[error(
        "Mã số doanh nghiệp gồm 10 chữ số, hoặc 13 chữ số (dạng 10-3) với đơn vị phụ thuộc \
         (đã nhập {0} chữ số)"
    )]
    TaxCodeLength(usize),
    #[error(
        "Mã số doanh nghiệp {0} không hợp lệ (mã tỉnh, dãy số hoặc mã đơn vị phụ thuộc toàn số 0)"
    )]
    TaxCodeInvalid(String),
    #[error(
        "Mã số doanh nghiệp {0} sai chữ số kiểm tra (chữ số thứ 10); hãy đối chiếu lại với \
         Giấy chứng nhận đăng ký doanh nghiệp"
    )]
    TaxCodeCheckDigit(String),
    #[error("Người đại diện theo pháp luật của tổ chức không được để trống")]
    RepresentativeEmpty,
    #[error("Người đại diện theo pháp luật: {0}")]
    Representative(Box<ApplicantError>),
    #[error("Số hộ chiếu không được để trống")]
    PassportEmpty,
    #[error(
        "Số hộ chiếu '{0}' chỉ được gồm chữ cái Latinh không dấu và chữ số, có ít nhất một \
         chữ số"
    )]
    PassportChars(String),
    #[error("Số hộ chiếu phải gồm từ 5 đến 15 chữ cái và chữ số (đã nhập {0})")]
    PassportLength(usize),
    #[error("Quốc tịch chỉ được gồm chữ cái, dấu cách và dấu câu; ký tự '{0}' không hợp lệ")]
    NationalityChar(char),
}

impl ApplicantError {
    /// The English key of the form field this error belongs to.
    pub fn field(&self) -> &'static str {
        use ApplicantError as E;
        match self {
            E::Text(t) => t.field(),
            E::NameChar(_) | E::NameNoLetter | E::OrgNameNoLetter => "full_name",
            E::KindInvalid(_) => "kind",
            E::RepresentativeEmpty | E::Representative(_) => "representative",
            E::NationalityChar(_) => "nationality",
            E::TaxCodeEmpty
            | E::TaxCodeNotDigits(_)
            | E::TaxCodeLength(_)
            | E::TaxCodeInvalid(_)
            | E::TaxCodeCheckDigit(_)
            | E::PassportEmpty
            | E::PassportChars(_)
            | E::PassportLength(_)
            | E::IdEmpty
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

/// A validated applicant; all text NFC. `full_name` is a person's name or an
/// organisation's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub full_name: String,
    #[serde(flatten)]
    pub identity: Identity,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Applicant {
    pub fn kind(&self) -> ApplicantKind {
        self.identity.kind()
    }

    /// Số định danh cá nhân/tổ chức as printed: CCCD number, enterprise code or passport.
    pub fn id_text(&self) -> &str {
        self.identity.id_text()
    }

    /// The citizen's personal ID, if the applicant is a citizen.
    pub fn personal_id(&self) -> Option<&PersonalId> {
        match &self.identity {
            Identity::Citizen { id_number, .. } => Some(id_number),
            _ => None,
        }
    }

    /// A citizen's gender (a foreigner's is not recorded; an organisation has none).
    pub fn gender(&self) -> Option<Gender> {
        match &self.identity {
            Identity::Citizen { gender, .. } => Some(*gender),
            _ => None,
        }
    }

    /// Who signs for the applicant when nobody is authorised: the person, or an
    /// organisation's legal representative.
    pub fn signer(&self) -> &str {
        match &self.identity {
            Identity::Organisation { representative, .. } => representative,
            _ => &self.full_name,
        }
    }

    /// Extra words a search should find: the representative, the nationality, the
    /// enterprise code without its dash.
    pub fn search_words(&self) -> Vec<String> {
        match &self.identity {
            Identity::Citizen { .. } => Vec::new(),
            Identity::Organisation {
                tax_code,
                representative,
            } => vec![representative.clone(), tax_code.as_str().replace('-', "")],
            Identity::Foreigner { nationality, .. } => vec![nationality.clone()],
        }
    }

    /// The kind-specific lines a screen shows under the name and number, labelled.
    pub fn details_vi(&self) -> Vec<(&'static str, String)> {
        match &self.identity {
            Identity::Citizen {
                date_of_birth,
                gender,
                id_number,
            } => vec![
                ("Ngày sinh", vn_date(date_of_birth)),
                ("Giới tính", gender.label_vi().to_string()),
                ("Nơi đăng ký khai sinh", id_number.birthplace_vi()),
            ],
            Identity::Organisation { representative, .. } => {
                vec![("Người đại diện theo pháp luật", representative.clone())]
            }
            Identity::Foreigner { nationality, .. } => vec![("Quốc tịch", nationality.clone())],
        }
    }

    /// What the clerk should know about data accepted without a full check.
    pub fn notes_vi(&self) -> Vec<String> {
        self.personal_id()
            .and_then(PersonalId::note_vi)
            .into_iter()
            .collect()
    }
}

/// The applicant form as typed: every field a string, nothing checked yet. `kind`
/// chooses which of the kind-specific fields count: a citizen's `id_number` (số định
/// danh cá nhân), `date_of_birth`, `gender`; an organisation's `id_number` (mã số doanh
/// nghiệp) and `representative`; a foreigner's `id_number` (số hộ chiếu) and
/// `nationality`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    /// "citizen" (default), "organisation", "foreigner" — or the Vietnamese words.
    #[serde(default)]
    pub kind: Option<String>,
    pub full_name: String,
    pub id_number: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub gender: String,
    pub address: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// An organisation's legal representative.
    #[serde(default)]
    pub representative: Option<String>,
    /// A foreigner's nationality.
    #[serde(default)]
    pub nationality: Option<String>,
}

/// The form a validated applicant came from: validating it again must give the same
/// applicant (how an applicant that arrives by sync is held to the intake rules).
impl From<&Applicant> for ApplicantInput {
    fn from(a: &Applicant) -> Self {
        let mut input = ApplicantInput {
            kind: Some(a.identity.kind().key().to_string()),
            full_name: a.full_name.clone(),
            id_number: a.identity.id_text().to_string(),
            address: a.address.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
            ..ApplicantInput::default()
        };
        match &a.identity {
            Identity::Citizen {
                date_of_birth,
                gender,
                ..
            } => {
                input.date_of_birth = date_of_birth.format("%Y-%m-%d").to_string();
                input.gender = gender.label_vi().to_string();
            }
            Identity::Organisation { representative, .. } => {
                input.representative = Some(representative.clone());
            }
            Identity::Foreigner { nationality, .. } => {
                input.nationality = Some(nationality.clone());
            }
        }
        input
    }
}

impl ApplicantInput {
    /// Validates every field, returning all problems found (in form order).
    pub fn validate(self, today: NaiveDate) -> Result<Applicant, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = match self.kind.as_deref() {
            None => Some(ApplicantKind::Citizen),
            Some(raw) => collect(
                ApplicantKind::parse(raw)
                    .ok_or_else(|| ApplicantError::KindInvalid(text::nfc(raw.trim()))),
                &mut errors,
            ),
        };
        let Some(kind) = kind else {
            return Err(errors);
        };
        let full_name = match kind {
            ApplicantKind::Organisation => collect(validate_org_name(&self.full_name), &mut errors),
            _ => collect(validate_name(&self.full_name), &mut errors),
        };
        let identity = self.identity(kind, today, &mut errors);
        let address = collect(
            text::clean_field("address", "Địa chỉ", &self.address, ADDRESS_MAX, true)
                .map_err(ApplicantError::Text),
            &mut errors,
        );
        let phone = collect(normalise_phone(self.phone.as_deref()), &mut errors);
        let email = collect(validate_email(self.email.as_deref()), &mut errors);
        match (full_name, identity, address, phone, email) {
            (Some(full_name), Some(identity), Some(address), Some(phone), Some(email))
                if errors.is_empty() =>
            {
                Ok(Applicant {
                    full_name,
                    identity,
                    address,
                    phone,
                    email,
                })
            }
            _ => Err(errors),
        }
    }

    /// The kind-specific fields, checked; errors go to `errors`.
    fn identity(
        &self,
        kind: ApplicantKind,
        today: NaiveDate,
        errors: &mut Vec<FieldError>,
    ) -> Option<Identity> {
        match kind {
            ApplicantKind::Citizen => {
                let id_number = collect(PersonalId::parse(&self.id_number), errors);
                let date_of_birth = collect(parse_dob(&self.date_of_birth, today), errors);
                let gender = collect(Gender::parse(&self.gender), errors);
                let (id_number, date_of_birth, gender) = (id_number?, date_of_birth?, gender?);
                if let Err(e) = id_number.check_against(date_of_birth, gender) {
                    errors.push(e.into());
                    return None;
                }
                Some(Identity::Citizen {
                    id_number,
                    date_of_birth,
                    gender,
                })
            }
            ApplicantKind::Organisation => {
                let tax_code = collect(TaxCode::parse(&self.id_number), errors);
                let representative = collect(
                    validate_representative(self.representative.as_deref().unwrap_or("")),
                    errors,
                );
                Some(Identity::Organisation {
                    tax_code: tax_code?,
                    representative: representative?,
                })
            }
            ApplicantKind::Foreigner => {
                let passport = collect(Passport::parse(&self.id_number), errors);
                let nationality = collect(
                    validate_nationality(self.nationality.as_deref().unwrap_or("")),
                    errors,
                );
                Some(Identity::Foreigner {
                    passport: passport?,
                    nationality: nationality?,
                })
            }
        }
    }
}

/// An organisation's name: required, ≤ 250 characters, any printable text with a letter
/// ("Công ty TNHH Xây dựng số 1", "Hợp tác xã Nông nghiệp 19/5").
fn validate_org_name(raw: &str) -> Result<String, ApplicantError> {
    let cleaned = text::clean_field("full_name", "Tên tổ chức", raw, ORG_NAME_MAX, true)
        .map_err(ApplicantError::Text)?;
    let name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if !name.chars().any(char::is_alphabetic) {
        return Err(ApplicantError::OrgNameNoLetter);
    }
    Ok(name)
}

fn validate_representative(raw: &str) -> Result<String, ApplicantError> {
    if raw.trim().is_empty() {
        return Err(ApplicantError::RepresentativeEmpty);
    }
    validate_name(raw).map_err(|e| ApplicantError::Representative(Box::new(e)))
}

/// A person acting for the applicant under a written authorisation (giấy ủy quyền).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisedPerson {
    pub full_name: String,
    pub id_number: PersonalId,
    pub address: String,
    pub phone: Option<String>,
    /// Absent in events written before issue 12.
    #[serde(default)]
    pub email: Option<String>,
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
    #[serde(default)]
    pub email: Option<String>,
    pub authorisation_document: String,
}

impl From<&AuthorisedPerson> for AuthorisedPersonInput {
    fn from(p: &AuthorisedPerson) -> Self {
        AuthorisedPersonInput {
            full_name: p.full_name.clone(),
            id_number: p.id_number.to_string(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
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
        let email = collect(validate_email(self.email.as_deref()), &mut errors);
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
        match (
            full_name,
            id_number,
            address,
            phone,
            email,
            authorisation_document,
        ) {
            (
                Some(full_name),
                Some(id_number),
                Some(address),
                Some(phone),
                Some(email),
                Some(doc),
            ) if errors.is_empty() => Ok(AuthorisedPerson {
                full_name,
                id_number,
                address,
                phone,
                email,
                authorisation_document: doc,
            }),
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
mod tests;
