//! The intake form as the clerk types it (kept as a draft), in the order of the paper
//! Mẫu 01, and how it becomes an `IntakeInput`. Pure: no store, no widgets.

use serde::{Deserialize, Serialize};

use crate::domain::applicant::{
    ApplicantInput, ApplicantKind, AuthorisedPersonInput, FieldError, PersonalId,
};
use crate::domain::cccd_qr::{CccdQr, QrError, parse_cccd_qr};
use crate::domain::intake::{DocumentInput, IntakeInput, TimeLimitInput};
use crate::domain::procedure::Procedure;

/// The form's inputs, in Tab/Enter order. Each has a widget id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Procedure,
    FullName,
    IdNumber,
    DateOfBirth,
    Gender,
    /// An organisation's legal representative.
    Representative,
    /// A foreigner's nationality.
    Nationality,
    Address,
    Phone,
    Email,
    AuthName,
    AuthId,
    AuthAddress,
    AuthPhone,
    AuthEmail,
    AuthDocument,
    Sets,
    ResultAt,
    Days,
    /// The legal text a typed limit is read from.
    DaysReason,
}

impl Field {
    pub const ORDER: [Field; 20] = [
        Field::Procedure,
        Field::FullName,
        Field::IdNumber,
        Field::DateOfBirth,
        Field::Gender,
        Field::Representative,
        Field::Nationality,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::AuthName,
        Field::AuthId,
        Field::AuthAddress,
        Field::AuthPhone,
        Field::AuthEmail,
        Field::AuthDocument,
        Field::Sets,
        Field::ResultAt,
        Field::Days,
        Field::DaysReason,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Field::Procedure => "intake-procedure",
            Field::FullName => "intake-name",
            Field::IdNumber => "intake-id",
            Field::DateOfBirth => "intake-dob",
            Field::Gender => "intake-gender",
            Field::Representative => "intake-representative",
            Field::Nationality => "intake-nationality",
            Field::Address => "intake-address",
            Field::Phone => "intake-phone",
            Field::Email => "intake-email",
            Field::AuthName => "intake-auth-name",
            Field::AuthId => "intake-auth-id",
            Field::AuthAddress => "intake-auth-address",
            Field::AuthPhone => "intake-auth-phone",
            Field::AuthEmail => "intake-auth-email",
            Field::AuthDocument => "intake-auth-document",
            Field::Sets => "intake-sets",
            Field::ResultAt => "intake-result-at",
            Field::Days => "intake-days",
            Field::DaysReason => "intake-days-reason",
        }
    }

    /// The field's label, as on the screen.
    pub fn label(self) -> &'static str {
        use crate::ui::strings as s;
        match self {
            Field::Procedure => s::PROCEDURE,
            Field::FullName => s::NAME,
            Field::IdNumber => s::ID_NUMBER,
            Field::DateOfBirth => s::DOB,
            Field::Gender => s::GENDER,
            Field::Representative => s::REPRESENTATIVE,
            Field::Nationality => s::NATIONALITY,
            Field::Address => s::ADDRESS,
            Field::Phone => s::PHONE,
            Field::Email => s::EMAIL,
            Field::AuthName => s::AUTH_NAME,
            Field::AuthId => s::AUTH_ID,
            Field::AuthAddress => s::AUTH_ADDRESS,
            Field::AuthPhone => s::AUTH_PHONE,
            Field::AuthEmail => s::AUTH_EMAIL,
            Field::AuthDocument => s::AUTH_DOCUMENT,
            Field::Sets => s::SETS,
            Field::ResultAt => s::RESULT_AT,
            Field::Days => s::TIME_LIMIT_DAYS,
            Field::DaysReason => s::TIME_LIMIT_REASON,
        }
    }

    /// The form field that shows a validation error reported under `key`.
    pub fn for_error_key(key: &str) -> Option<Field> {
        Some(match key {
            "procedure" => Field::Procedure,
            "applicant" | "full_name" | "cccd_qr" => Field::FullName,
            "id_number" => Field::IdNumber,
            "date_of_birth" => Field::DateOfBirth,
            "gender" => Field::Gender,
            "kind" => Field::FullName,
            "representative" => Field::Representative,
            "nationality" => Field::Nationality,
            "address" => Field::Address,
            "phone" => Field::Phone,
            "email" => Field::Email,
            "authorised" => Field::AuthName,
            "sets" => Field::Sets,
            "result_at" => Field::ResultAt,
            "time_limit" => Field::Days,
            "time_limit_case" => Field::Procedure,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelChoice {
    #[default]
    InPerson,
    Postal,
    Online,
}

impl ChannelChoice {
    fn value(self) -> &'static str {
        match self {
            ChannelChoice::InPerson => "in_person",
            ChannelChoice::Postal => "postal",
            ChannelChoice::Online => "online",
        }
    }
}

/// One required document of the chosen procedure, ticked when received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    pub name: String,
    /// "Bản chính", "Bản sao"… as the catalogue says.
    pub form: String,
    pub count: String,
    pub received: bool,
    /// Xuất trình: shown at the counter and handed back, never on the receipt.
    #[serde(default)]
    pub shown_only: bool,
    /// Why the line is not ticked: only in a case, or only shown.
    #[serde(default)]
    pub hint: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub procedure_query: String,
    /// National code of the chosen procedure.
    pub procedure: Option<String>,
    /// Công dân Việt Nam, tổ chức or người nước ngoài (drafts before issue 12: citizen).
    #[serde(default)]
    pub kind: ApplicantKind,
    pub full_name: String,
    pub id_number: String,
    /// As typed: dd/mm/yyyy (or yyyy-mm-dd).
    pub date_of_birth: String,
    pub gender: String,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub nationality: String,
    pub address: String,
    pub phone: String,
    /// "Đồng ý nhận tin nhắn thông báo" on the phone above (issue 22 §4).
    #[serde(default)]
    pub notice_consent: bool,
    /// The deciding unit picked for a cross-commune procedure; `None`: the own unit.
    #[serde(default)]
    pub deciding_unit: Option<String>,
    pub email: String,
    pub authorised: bool,
    pub auth_name: String,
    pub auth_id: String,
    pub auth_address: String,
    pub auth_phone: String,
    #[serde(default)]
    pub auth_email: String,
    pub auth_document: String,
    pub documents: Vec<DocumentLine>,
    pub sets: String,
    pub channel: ChannelChoice,
    pub result_at: String,
    /// Working days, when the catalogue has no confirmed limit.
    pub days: String,
    /// Where those days are read from (required with them).
    #[serde(default)]
    pub days_reason: String,
    /// The chosen time-limit case of the procedure, from 0 (the catalogue's default).
    #[serde(default)]
    pub time_limit_case: usize,
    /// How many cases the chosen procedure has: with several, the case shown is sent.
    #[serde(default)]
    pub case_count: usize,
}

impl Form {
    pub fn new() -> Form {
        Form {
            sets: "1".into(),
            result_at: crate::domain::intake::DEFAULT_RESULT_AT.into(),
            ..Form::default()
        }
    }

    /// A fresh form whose "Đăng ký nhận kết quả tại" is the unit itself.
    pub fn for_unit(unit_name: &str) -> Form {
        Form {
            result_at: unit_name.trim().to_string(),
            ..Form::new()
        }
    }

    /// True when nothing worth keeping has been typed (the prefilled place of the
    /// result does not count).
    pub fn is_blank(&self) -> bool {
        let fresh = Form::new();
        Form {
            procedure_query: String::new(),
            result_at: String::new(),
            ..self.clone()
        } == Form {
            procedure_query: String::new(),
            result_at: String::new(),
            ..fresh
        }
    }

    pub fn get(&self, f: Field) -> &str {
        match f {
            Field::Procedure => &self.procedure_query,
            Field::FullName => &self.full_name,
            Field::IdNumber => &self.id_number,
            Field::DateOfBirth => &self.date_of_birth,
            Field::Gender => &self.gender,
            Field::Representative => &self.representative,
            Field::Nationality => &self.nationality,
            Field::Address => &self.address,
            Field::Phone => &self.phone,
            Field::Email => &self.email,
            Field::AuthName => &self.auth_name,
            Field::AuthId => &self.auth_id,
            Field::AuthAddress => &self.auth_address,
            Field::AuthPhone => &self.auth_phone,
            Field::AuthEmail => &self.auth_email,
            Field::AuthDocument => &self.auth_document,
            Field::Sets => &self.sets,
            Field::ResultAt => &self.result_at,
            Field::Days => &self.days,
            Field::DaysReason => &self.days_reason,
        }
    }

    pub fn set(&mut self, f: Field, value: String) {
        let slot = match f {
            Field::Procedure => &mut self.procedure_query,
            Field::FullName => &mut self.full_name,
            Field::IdNumber => &mut self.id_number,
            Field::DateOfBirth => &mut self.date_of_birth,
            Field::Gender => &mut self.gender,
            Field::Representative => &mut self.representative,
            Field::Nationality => &mut self.nationality,
            Field::Address => &mut self.address,
            Field::Phone => &mut self.phone,
            Field::Email => &mut self.email,
            Field::AuthName => &mut self.auth_name,
            Field::AuthId => &mut self.auth_id,
            Field::AuthAddress => &mut self.auth_address,
            Field::AuthPhone => &mut self.auth_phone,
            Field::AuthEmail => &mut self.auth_email,
            Field::AuthDocument => &mut self.auth_document,
            Field::Sets => &mut self.sets,
            Field::ResultAt => &mut self.result_at,
            Field::Days => &mut self.days,
            Field::DaysReason => &mut self.days_reason,
        };
        *slot = value;
    }

    /// The fields shown for this form (the authorised person's only when ticked, the
    /// days only when the catalogue has no limit), in order.
    pub fn visible(&self, procedure: Option<&Procedure>) -> Vec<Field> {
        Field::ORDER
            .into_iter()
            .filter(|f| match f {
                Field::AuthName
                | Field::AuthId
                | Field::AuthAddress
                | Field::AuthPhone
                | Field::AuthEmail
                | Field::AuthDocument => self.authorised,
                Field::DateOfBirth | Field::Gender => self.kind == ApplicantKind::Citizen,
                Field::Representative => self.kind == ApplicantKind::Organisation,
                Field::Nationality => self.kind == ApplicantKind::Foreigner,
                Field::Days | Field::DaysReason => {
                    procedure.is_some_and(|p| p.time_limits.is_empty())
                }
                _ => true,
            })
            .collect()
    }

    /// Chooses a procedure: its required documents become the checklist. Only the
    /// papers every applicant hands in are ticked; a conditional one stays unticked
    /// with its hint, and a xuất trình paper is listed apart, never handed in. Its
    /// time-limit case starts at `default_case` (the one due first, see
    /// `domain::limit_choice`).
    pub fn choose(&mut self, p: &Procedure, default_case: usize) {
        use crate::ui::strings as s;
        self.procedure = Some(p.code.as_str().to_string());
        self.procedure_query = format!("{} — {}", p.code.as_str(), p.name);
        self.time_limit_case = default_case;
        self.case_count = p.time_limits.len();
        self.documents = p
            .documents
            .iter()
            .map(|d| DocumentLine {
                name: d.name.clone(),
                form: d.form.label_vi().to_string(),
                count: d.count.max(1).to_string(),
                received: d.ticked_by_default(),
                shown_only: !d.form.is_handed_in(),
                hint: if !d.form.is_handed_in() {
                    s::DOC_SHOWN_HINT.to_string()
                } else if !d.mandatory {
                    s::DOC_CONDITIONAL_HINT.to_string()
                } else {
                    String::new()
                },
            })
            .collect();
    }

    /// The label a field shows for the applicant kind chosen.
    pub fn label(&self, f: Field) -> &'static str {
        use crate::ui::strings as s;
        match (f, self.kind) {
            (Field::FullName, ApplicantKind::Organisation) => s::ORG_NAME,
            (Field::IdNumber, ApplicantKind::Organisation) => s::TAX_CODE,
            (Field::IdNumber, ApplicantKind::Foreigner) => s::PASSPORT,
            (Field::Address, ApplicantKind::Organisation) => s::ORG_ADDRESS,
            _ => f.label(),
        }
    }

    /// A note on what was typed that is accepted but not fully checked: a personal ID
    /// whose first digits are a country code (birth registered abroad).
    pub fn id_note(&self) -> Option<String> {
        if self.kind != ApplicantKind::Citizen {
            return None;
        }
        PersonalId::parse(&self.id_number)
            .ok()
            .and_then(|id| id.note_vi())
    }

    /// Fills the applicant from a chip-card QR: a chip card is a citizen's.
    pub fn fill_from_qr(&mut self, qr: &CccdQr) {
        self.kind = ApplicantKind::Citizen;
        self.full_name = qr.full_name.clone();
        self.id_number = qr.id_number.clone();
        self.date_of_birth = qr.date_of_birth.format("%d/%m/%Y").to_string();
        self.gender = qr.gender.label_vi().to_string();
        self.address = qr.address.clone();
    }

    pub fn to_input(&self) -> IntakeInput {
        let opt = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        IntakeInput {
            procedure: self.procedure.clone().unwrap_or_default(),
            applicant: Some(ApplicantInput {
                kind: Some(self.kind.key().to_string()),
                full_name: self.full_name.clone(),
                id_number: self.id_number.clone(),
                date_of_birth: iso_date(&self.date_of_birth),
                gender: self.gender.clone(),
                address: self.address.clone(),
                phone: opt(&self.phone),
                email: opt(&self.email),
                representative: (self.kind == ApplicantKind::Organisation)
                    .then(|| self.representative.clone()),
                nationality: (self.kind == ApplicantKind::Foreigner)
                    .then(|| self.nationality.clone()),
            }),
            cccd_qr: None,
            phone: None,
            email: None,
            authorised: self.authorised.then(|| AuthorisedPersonInput {
                full_name: self.auth_name.clone(),
                id_number: self.auth_id.clone(),
                address: self.auth_address.clone(),
                phone: opt(&self.auth_phone),
                email: opt(&self.auth_email),
                authorisation_document: self.auth_document.clone(),
            }),
            documents: Some(
                self.documents
                    .iter()
                    .filter(|d| d.received && !d.shown_only)
                    .map(|d| DocumentInput {
                        name: d.name.clone(),
                        // A bad count is reported by the domain as 0 ("từ 1 đến 999").
                        count: d.count.trim().parse().unwrap_or(0),
                    })
                    .collect(),
            ),
            sets: Some(self.sets.trim().parse().unwrap_or(0)),
            channel: Some(self.channel.value().to_string()),
            result_at: opt(&self.result_at),
            received_at: None,
            time_limit: opt(&self.days).map(|d| TimeLimitInput {
                value: d.parse().unwrap_or(0),
                unit: "working-day".into(),
                reason: opt(&self.days_reason),
            }),
            // Counted from 1 in the input; the case shown is the case promised.
            time_limit_case: (self.case_count > 1 && opt(&self.days).is_none())
                .then_some(self.time_limit_case + 1),
            notice_consent: self.notice_consent,
            deciding_unit: self.deciding_unit.clone(),
        }
    }
}

/// "21/03/2003" → "2003-03-21"; anything else is passed on for the domain to judge.
pub fn iso_date(typed: &str) -> String {
    let t = typed.trim();
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
                (Ok(d), Ok(m), Ok(y)) => format!("{y:04}-{m:02}-{d:02}"),
                _ => t.to_string(),
            }
        }
        _ => t.to_string(),
    }
}

/// A chip-card QR typed by a scanner into a field: the text before it (what the field
/// held) and the QR string itself. The QR starts with the 12-digit ID and a `|`.
pub fn split_qr(value: &str) -> Option<(String, String)> {
    if value.matches('|').count() < 5 {
        return None;
    }
    let bytes = value.as_bytes();
    let bar = value.find('|')?;
    // The 12 digits just before the first bar.
    let start = bar.checked_sub(12)?;
    if !value.is_char_boundary(start) || !bytes[start..bar].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((value[..start].to_string(), value[start..].to_string()))
}

/// Reads a scanned QR; the error names what is wrong.
pub fn read_qr(raw: &str) -> Result<CccdQr, QrError> {
    parse_cccd_qr(raw)
}

/// Validation errors per field; errors with no field of their own go to `general`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors {
    pub fields: Vec<(Field, String)>,
    pub general: Vec<String>,
}

impl Errors {
    pub fn from_domain(errors: &[FieldError]) -> Errors {
        let mut out = Errors::default();
        for e in errors {
            match Field::for_error_key(e.field) {
                Some(f) => out.fields.push((f, e.message.clone())),
                None => out.general.push(e.message.clone()),
            }
        }
        out
    }

    pub fn get(&self, f: Field) -> Option<&str> {
        self.fields
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    pub fn first_field(&self) -> Option<Field> {
        Field::ORDER
            .into_iter()
            .find(|f| self.fields.iter().any(|(g, _)| g == f))
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
