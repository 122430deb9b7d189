//! Administrative procedures (thủ tục hành chính, TTHC) as the desk receives them.
//!
//! A procedure is identified by its national code (e.g. `1.001193`); the catalogue keeps
//! its name, field (lĩnh vực), statutory time limit, fee and the documents an applicant
//! must bring. A limit the catalogue does not know (`time_limit == None`) must be given
//! by the clerk at intake rather than guessed.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::text;
use crate::domain::time_limit::TimeLimit;

mod wire;
pub use wire::MAX_CASES;

/// Longest national or local procedure code accepted (local codes add a unit suffix).
const MAX_CODE_LEN: usize = 40;

/// A procedure's national code, e.g. `1.001193` or `2.000815`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProcedureCode(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProcedureCodeError {
    #[error("Mã thủ tục không được để trống")]
    Empty,
    #[error("Mã thủ tục '{0}' không hợp lệ: chỉ gồm chữ số, chữ in hoa và dấu chấm, dạng 1.001193")]
    Invalid(String),
}

impl ProcedureCode {
    pub fn parse(raw: &str) -> Result<Self, ProcedureCodeError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ProcedureCodeError::Empty);
        }
        let well_formed = s.len() <= MAX_CODE_LEN
            && s.starts_with(|c: char| c.is_ascii_digit())
            && s.contains('.')
            && !s.ends_with('.')
            && !s.contains("..")
            && s.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '.');
        if well_formed {
            Ok(Self(s.to_string()))
        } else {
            Err(ProcedureCodeError::Invalid(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProcedureCode {
    type Error = ProcedureCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ProcedureCode> for String {
    fn from(c: ProcedureCode) -> String {
        c.0
    }
}

/// In which form a document is handed in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentForm {
    /// Bản chính.
    Original,
    /// Bản sao (photo or certified copy).
    Copy,
    /// Only shown to the clerk (xuất trình), not kept in the dossier.
    Present,
    /// The catalogue does not say.
    #[default]
    Unspecified,
}

impl DocumentForm {
    pub fn label_vi(self) -> &'static str {
        match self {
            DocumentForm::Original => "Bản chính",
            DocumentForm::Copy => "Bản sao",
            DocumentForm::Present => "Xuất trình",
            DocumentForm::Unspecified => "",
        }
    }

    pub fn is_unspecified(&self) -> bool {
        *self == DocumentForm::Unspecified
    }

    /// Whether the paper is kept in the dossier (bản chính, bản sao, or not said);
    /// a xuất trình paper is shown and handed back (NĐ 23/2015 Art 20).
    pub fn is_handed_in(self) -> bool {
        self != DocumentForm::Present
    }

    /// How Mẫu 01 states a line's count and kind: "01 bản chính", "02 bản sao"; "01
    /// bản" when the catalogue does not say.
    pub fn count_vi(self, count: u32) -> String {
        match self {
            DocumentForm::Original => format!("{count:02} bản chính"),
            DocumentForm::Copy => format!("{count:02} bản sao"),
            DocumentForm::Present => format!("{count:02} bản xuất trình"),
            DocumentForm::Unspecified => format!("{count:02} bản"),
        }
    }
}

/// One document the catalogue requires for a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RequiredDocumentWire")]
pub struct RequiredDocument {
    pub name: String,
    pub form: DocumentForm,
    pub count: u32,
    /// Every applicant brings it (`bat_buoc: true`); `false` for a paper needed only
    /// in a case ("(trường hợp …)", "(nếu có)", "(đối với …)").
    pub mandatory: bool,
}

impl RequiredDocument {
    /// Ticked by default at intake: mandatory and handed in (not only shown).
    pub fn ticked_by_default(&self) -> bool {
        self.mandatory && self.form.is_handed_in()
    }
}

/// A required document as stored or sent by a centre of an earlier version, which
/// did not say whether it is mandatory.
#[derive(Deserialize)]
struct RequiredDocumentWire {
    name: String,
    form: DocumentForm,
    count: u32,
    #[serde(default)]
    mandatory: Option<bool>,
}

impl From<RequiredDocumentWire> for RequiredDocument {
    fn from(w: RequiredDocumentWire) -> Self {
        let mandatory = w
            .mandatory
            .unwrap_or_else(|| !conditional_by_wording(&w.name));
        RequiredDocument {
            name: w.name,
            form: w.form,
            count: w.count,
            mandatory,
        }
    }
}

/// Whether a document's name marks it as needed only in some case: "(trường hợp …)",
/// "(nếu có)", "(đối với …)" — the wording the corrected catalogue's `bat_buoc: false`
/// follows (all 22 such lines but one, which says so with `bat_buoc`). Used when a
/// catalogue does not say: a paper worded for everyone stays mandatory, so an earlier
/// catalogue ticks what it always ticked except the papers it says are conditional.
pub fn conditional_by_wording(name: &str) -> bool {
    let folded = text::fold(name);
    ["(truong hop", "(neu co", "(doi voi"]
        .iter()
        .any(|m| folded.contains(m))
}

/// One time-limit case of a procedure (trường hợp), e.g. Đăng ký kết hôn: "Thông thường"
/// → same day; "Trường hợp cần xác minh điều kiện kết hôn" → 05 working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimitCase {
    /// The case as the legal text words it; empty when the source names none.
    pub label: String,
    pub limit: TimeLimit,
}

impl TimeLimitCase {
    /// The limit as printed: "05 ngày làm việc", preceded by the case when named
    /// ("Trường hợp cần xác minh …: 05 ngày làm việc").
    pub fn describe_vi(&self) -> String {
        describe_case(&self.label, self.limit)
    }
}

/// "{case}: {limit}" with the limit's first letter lowered after a case, or the limit
/// alone when no case is named.
pub fn describe_case(label: &str, limit: TimeLimit) -> String {
    let limit_text = limit.describe_vi();
    let label = label.trim();
    if label.is_empty() {
        return limit_text;
    }
    format!("{label}: {}", lower_first(&limit_text))
}

/// `s` with its first letter in lower case.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A procedure of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "wire::ProcedureWire", into = "wire::ProcedureWire")]
pub struct Procedure {
    pub code: ProcedureCode,
    pub name: String,
    /// Lĩnh vực, e.g. "Hộ tịch", "Chứng thực".
    pub field: String,
    /// The authority that decides (cơ quan thực hiện).
    pub agency: String,
    /// The time-limit cases, as the catalogue lists them. At intake the default is the
    /// case due first (`limit_choice::default_case`). Empty when the catalogue has no
    /// confirmed limit: the clerk then enters one at intake.
    pub time_limits: Vec<TimeLimitCase>,
    /// The fee as the legal text words it.
    pub fee_text: String,
    /// The usual fee in đồng when one amount applies; `None` when it is set locally.
    pub fee_amount: Option<i64>,
    pub documents: Vec<RequiredDocument>,
    /// The legal bases, separated by "; ".
    pub legal_basis: String,
}

impl Procedure {
    /// The default limit (the first case), if the catalogue knows one.
    pub fn default_limit(&self) -> Option<TimeLimit> {
        self.time_limits.first().map(|c| c.limit)
    }

    /// All limits as one line, for lists: "Thông thường: trong ngày …; Trường hợp …: 05
    /// ngày làm việc". Empty when unknown.
    pub fn time_limits_vi(&self) -> String {
        let cases: Vec<String> = self
            .time_limits
            .iter()
            .map(TimeLimitCase::describe_vi)
            .collect();
        cases.join("; ")
    }

    /// Whether a clerk's query finds this procedure: a prefix of its national code, or
    /// every word somewhere in its name or field, with or without diacritics.
    pub fn matches(&self, query: &str) -> bool {
        let trimmed = query.trim();
        if !trimmed.is_empty() && self.code.as_str().starts_with(trimmed) {
            return true;
        }
        let q = text::fold(query);
        let words: Vec<&str> = q.split_whitespace().collect();
        let hay = text::fold(&format!("{} {}", self.name, self.field));
        !words.is_empty() && words.iter().all(|w| hay.contains(w))
    }
}
