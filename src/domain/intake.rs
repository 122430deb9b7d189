//! Taking in a dossier: the input as typed or sent as JSON, checked field by field
//! into the content a receipt states.
//!
//! Every problem is reported at once, each with its field key and a Vietnamese reason,
//! so a form can mark all of them in place and a CLI user can fix them in one go.

use chrono::{DateTime, Duration};
use serde::Deserialize;
use thiserror::Error;

use crate::domain::applicant::{ApplicantInput, AuthorisedPersonInput, FieldError};
use crate::domain::calendar::WorkCalendar;
use crate::domain::cccd_qr::parse_cccd_qr;
use crate::domain::clock::{Timestamp, format_vi_short, from_wall, to_wall, vn_offset};
use crate::domain::dossier::{Channel, DossierContent, ProcedureRef, SubmittedDocument};
use crate::domain::due::{WorkingHours, due_at};
use crate::domain::limit_choice::choose_limit;
use crate::domain::notice::NoticeConsent;
use crate::domain::procedure::{DocumentForm, Procedure, ProcedureCode};
use crate::domain::province::ProvinceLists;
use crate::domain::text;
use crate::domain::unit::UnitCode;

const MAX_DOCUMENTS: usize = 100;
const MAX_DOCUMENT_NAME: usize = 500;
const MAX_DOCUMENT_COUNT: u32 = 999;
const MAX_SETS: u32 = 99;
const MAX_RESULT_AT: usize = 300;
/// How far ahead of the desk clock a received time may lie (clock drift, not the future).
pub const MAX_FUTURE_SKEW_MINUTES: i64 = 5;
/// No dossier of this system was received before this year (the one-stop procedures of
/// today's catalogue); an earlier time is a typing slip or forged.
pub const ERA_START_YEAR: i32 = 2015;
/// The longest time limit accepted (a larger one is a slip or forged).
pub const MAX_TIME_LIMIT: u32 = 1000;
/// Procedure names and fields as the receipt prints them.
const MAX_PROCEDURE_TEXT: usize = 500;
/// A clerk's name as the receipt prints it.
const MAX_CLERK_NAME: usize = 100;
/// A due date later than this after receipt is not a real promise.
const MAX_DUE_YEARS: i64 = 10;
/// The largest fee in đồng a receipt may state.
const MAX_FEE: i64 = 1_000_000_000;

/// Where the result is collected when the input does not say and no unit is known (the
/// store gives the unit's own name).
pub const DEFAULT_RESULT_AT: &str = "Bộ phận Tiếp nhận và Trả kết quả";

/// One dossier as given to `motcua intake --json`. Unknown keys are an error.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeInput {
    /// National procedure code, e.g. "1.001193".
    pub procedure: String,
    #[serde(default)]
    pub applicant: Option<ApplicantInput>,
    /// The raw chip-card QR string; fills the applicant instead of `applicant`.
    #[serde(default)]
    pub cccd_qr: Option<String>,
    /// Contact details that the QR does not carry.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub authorised: Option<AuthorisedPersonInput>,
    /// Documents received; default: the procedure's required documents.
    #[serde(default)]
    pub documents: Option<Vec<DocumentInput>>,
    #[serde(default)]
    pub sets: Option<u32>,
    /// "in_person" (default), "online", "postal" — or "trực tiếp", "trực tuyến", "bưu chính".
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub result_at: Option<String>,
    /// RFC 3339; for entering dossiers from a paper book. Default: now.
    #[serde(default)]
    pub received_at: Option<String>,
    /// Required when the catalogue has no confirmed limit for the procedure (and then
    /// only): bounded, with its reason.
    #[serde(default)]
    pub time_limit: Option<TimeLimitInput>,
    /// Which of the procedure's time-limit cases applies, counted from 1 as listed in
    /// the catalogue; default: the case due first (`limit_choice`).
    #[serde(default)]
    pub time_limit_case: Option<usize>,
    /// "Đồng ý nhận thông báo qua tin nhắn": the applicant's mobile number becomes the
    /// one the centre may text about this dossier (issue 22 §4). Default: no.
    #[serde(default)]
    pub notice_consent: bool,
    /// The unit that decides the dossier, when the procedure is on the province's list
    /// of cross-commune procedures (issue 23); default: the desk's own unit.
    #[serde(default)]
    pub deciding_unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    pub name: String,
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimitInput {
    pub value: u32,
    /// "working-day", "day", "month", "hour", "same-day" (or the catalogue codes).
    pub unit: String,
    /// Where the limit is read from (the legal text); required, kept with the dossier.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What the intake needs besides the input.
#[derive(Debug, Clone, Copy)]
pub struct IntakeContext<'a> {
    pub procedure: &'a Procedure,
    pub now: Timestamp,
    pub calendar: &'a WorkCalendar,
    pub hours: &'a WorkingHours,
    pub clerk: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IntakeError {
    #[error("{}", describe(.0))]
    Fields(Vec<FieldError>),
}

impl IntakeError {
    pub fn fields(&self) -> &[FieldError] {
        match self {
            IntakeError::Fields(f) => f,
        }
    }
}

fn describe(errors: &[FieldError]) -> String {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("- {}: {}", e.field, e.message))
        .collect();
    format!("Hồ sơ chưa hợp lệ:\n{}", lines.join("\n"))
}

fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

impl IntakeInput {
    /// The notice consent this input gives: `None` without the tick; with it, the
    /// applicant's phone must be a mobile number.
    pub fn consent(&self) -> Result<Option<NoticeConsent>, IntakeError> {
        if !self.notice_consent {
            return Ok(None);
        }
        let phone = self
            .applicant
            .as_ref()
            .and_then(|a| a.phone.as_deref())
            .or(self.phone.as_deref())
            .unwrap_or("");
        if phone.trim().is_empty() {
            return Err(IntakeError::Fields(vec![field_error(
                "notice_consent",
                "Người nộp đồng ý nhận tin nhắn nhưng chưa có số điện thoại: hãy nhập số di động hoặc bỏ chọn",
            )]));
        }
        NoticeConsent::new(phone)
            .map(Some)
            .map_err(|e| IntakeError::Fields(vec![field_error("notice_consent", e)]))
    }

    /// The deciding unit the receipt records: `None` for the desk's own unit; another
    /// unit only for a procedure on the province's list (`lists`, kept offline).
    pub fn deciding(
        &self,
        own: &UnitCode,
        lists: &ProvinceLists,
    ) -> Result<Option<UnitCode>, IntakeError> {
        lists
            .deciding(own, self.procedure.trim(), self.deciding_unit.as_deref())
            .map_err(|e| IntakeError::Fields(vec![field_error("deciding_unit", e)]))
    }

    /// Parses one JSON document, naming the offending key or position on error.
    pub fn from_json(json: &str) -> Result<Self, IntakeError> {
        serde_json::from_str(json)
            .map_err(|e| IntakeError::Fields(vec![field_error("json", json_error_vi(&e))]))
    }

    /// The procedure code, checked for form (its existence is the catalogue's question).
    pub fn procedure_code(&self) -> Result<ProcedureCode, IntakeError> {
        ProcedureCode::parse(&self.procedure)
            .map_err(|e| IntakeError::Fields(vec![field_error("procedure", e.to_string())]))
    }

    /// Checks every field and builds the receipt's content, due time included.
    pub fn validate(self, ctx: IntakeContext<'_>) -> Result<DossierContent, IntakeError> {
        let mut errors = Vec::new();
        let today = to_wall(ctx.now).date();

        let applicant_input = match (self.applicant, self.cccd_qr.as_deref()) {
            (Some(_), Some(_)) => {
                errors.push(field_error(
                    "cccd_qr",
                    "Chỉ dùng một trong hai: 'applicant' hoặc 'cccd_qr'",
                ));
                None
            }
            (Some(a), None) => Some(a),
            (None, Some(raw)) => match parse_cccd_qr(raw) {
                Ok(qr) => {
                    let mut a = qr.to_applicant_input();
                    a.phone = self.phone.clone();
                    a.email = self.email.clone();
                    Some(a)
                }
                Err(e) => {
                    errors.push(field_error("cccd_qr", e.to_string()));
                    None
                }
            },
            (None, None) => {
                errors.push(field_error(
                    "applicant",
                    "Thiếu thông tin người nộp hồ sơ: nhập 'applicant' hoặc quét mã QR căn cước ('cccd_qr')",
                ));
                None
            }
        };
        let applicant = applicant_input.and_then(|a| match a.validate(today) {
            Ok(a) => Some(a),
            Err(fields) => {
                errors.extend(fields);
                None
            }
        });
        let authorised = match self.authorised {
            None => None,
            Some(input) => match input.validate() {
                Ok(p) => Some(p),
                Err(fields) => {
                    errors.extend(fields.into_iter().map(|mut f| {
                        f.field = "authorised";
                        f
                    }));
                    None
                }
            },
        };

        let documents = check_documents(self.documents, ctx.procedure, &mut errors);
        let sets = self.sets.unwrap_or(1);
        if sets == 0 || sets > MAX_SETS {
            errors.push(field_error(
                "sets",
                format!("Số lượng hồ sơ phải từ 1 đến {MAX_SETS} bộ (đã nhập {sets})"),
            ));
        }
        let channel = match self.channel.as_deref().map(parse_channel) {
            None => Some(Channel::InPerson),
            Some(Some(c)) => Some(c),
            Some(None) => {
                errors.push(field_error(
                    "channel",
                    "Kênh tiếp nhận phải là 'in_person' (trực tiếp), 'online' (trực tuyến) hoặc 'postal' (bưu chính)",
                ));
                None
            }
        };
        let result_at = match self.result_at.as_deref() {
            None => Some(DEFAULT_RESULT_AT.to_string()),
            Some(raw) => {
                text::clean_field("result_at", "Nơi nhận kết quả", raw, MAX_RESULT_AT, true)
                    .map_err(|e| errors.push(field_error("result_at", e.to_string())))
                    .ok()
            }
        };
        let received_at = match self.received_at.as_deref() {
            None => Some(ctx.now),
            Some(raw) => check_received_at(raw, ctx.now)
                .map_err(|m| errors.push(field_error("received_at", m)))
                .ok(),
        };
        let limit = choose_limit(
            self.time_limit,
            self.time_limit_case,
            ctx.procedure,
            to_wall(received_at.unwrap_or(ctx.now)),
            ctx.calendar,
            ctx.hours,
        )
        .map_err(|m| errors.push(m))
        .ok();

        match (applicant, channel, result_at, received_at, limit) {
            (Some(applicant), Some(channel), Some(result_at), Some(received_at), Some(chosen))
                if errors.is_empty() =>
            {
                let limit = chosen.limit;
                let due = from_wall(due_at(to_wall(received_at), limit, ctx.calendar, ctx.hours));
                Ok(DossierContent {
                    procedure: ProcedureRef {
                        code: ctx.procedure.code.clone(),
                        name: ctx.procedure.name.clone(),
                        field: ctx.procedure.field.clone(),
                        time_limit: limit,
                        time_limit_case: chosen.case,
                        time_limit_reason: chosen.reason,
                    },
                    applicant,
                    authorised,
                    documents,
                    sets,
                    channel,
                    result_at,
                    received_at,
                    due_at: due,
                    fee_amount: ctx.procedure.fee_amount,
                    received_by: ctx.clerk.to_string(),
                })
            }
            _ => Err(IntakeError::Fields(errors)),
        }
    }
}

/// serde_json words its errors in English; the clerk reads them in Vietnamese.
fn json_error_vi(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let place = format!("dòng {}, cột {}", e.line(), e.column());
    let raw = e.to_string();
    let detail = raw
        .rsplit_once(" at line ")
        .map_or(raw.as_str(), |(d, _)| d);
    let quoted = |prefix: &str| {
        detail
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').nth(1))
            .map(str::to_string)
    };
    match e.classify() {
        Category::Syntax | Category::Eof => {
            format!("Dữ liệu JSON sai cú pháp ({place}); kiểm tra dấu ngoặc, dấu phẩy và dấu nháy")
        }
        Category::Io => format!("Không đọc được dữ liệu JSON: {detail}"),
        Category::Data => {
            if let Some(key) = quoted("unknown field") {
                let allowed = detail
                    .split_once("expected one of ")
                    .map_or(String::new(), |(_, list)| {
                        format!("; các khóa hợp lệ: {}", list.replace('`', ""))
                    });
                format!("Khóa '{key}' không được hỗ trợ ({place}){allowed}")
            } else if let Some(key) = quoted("missing field") {
                format!("Thiếu khóa bắt buộc '{key}' ({place})")
            } else {
                format!("Giá trị không đúng kiểu ({place}): {detail}")
            }
        }
    }
}

/// Accepts the English keys and the Vietnamese words, with or without diacritics.
pub fn parse_channel(raw: &str) -> Option<Channel> {
    match text::fold(raw).replace(['_', '-'], " ").as_str() {
        "in person" | "truc tiep" | "1" => Some(Channel::InPerson),
        "online" | "truc tuyen" | "2" => Some(Channel::Online),
        "postal" | "buu chinh" | "buu chinh cong ich" | "3" => Some(Channel::Postal),
        _ => None,
    }
}

fn check_received_at(raw: &str, now: Timestamp) -> Result<Timestamp, String> {
    let t = DateTime::parse_from_rfc3339(raw.trim()).map_err(|_| {
        format!(
            "Thời điểm tiếp nhận '{}' không đúng dạng RFC 3339, ví dụ 2026-03-02T09:30:00+07:00",
            raw.trim()
        )
    })?;
    let t = t.with_timezone(&vn_offset());
    if t > now + Duration::minutes(MAX_FUTURE_SKEW_MINUTES) {
        return Err(format!(
            "Thời điểm tiếp nhận {} ở tương lai (bây giờ là {})",
            format_vi_short(t),
            format_vi_short(now)
        ));
    }
    if t.date_naive().year() < ERA_START_YEAR {
        return Err(format!(
            "Thời điểm tiếp nhận {} quá xa trong quá khứ",
            format_vi_short(t)
        ));
    }
    Ok(t)
}

use chrono::Datelike;

/// Checks a dossier content that did not come through [`IntakeInput::validate`] (an
/// event arriving by sync, written by another machine) with the same rules, field by
/// field: a content that intake would not have produced is refused. `now` is the
/// checking machine's clock (for the date of birth); the received time is checked
/// against the era only.
pub fn check_content(content: &DossierContent, now: Timestamp) -> Result<(), IntakeError> {
    let mut errors = Vec::new();
    let mut text_field = |field: &'static str, label: &'static str, s: &str, max: usize| {
        if let Err(e) = text::clean_field(field, label, s, max, true) {
            errors.push(field_error(field, e.to_string()));
        }
    };
    let p = &content.procedure;
    text_field("procedure", "Tên thủ tục", &p.name, MAX_PROCEDURE_TEXT);
    text_field("procedure", "Lĩnh vực", &p.field, MAX_PROCEDURE_TEXT);
    text_field(
        "result_at",
        "Nơi nhận kết quả",
        &content.result_at,
        MAX_RESULT_AT,
    );
    text_field(
        "received_by",
        "Người tiếp nhận",
        &content.received_by,
        MAX_CLERK_NAME,
    );
    if content.documents.len() > MAX_DOCUMENTS {
        errors.push(field_error(
            "documents",
            format!(
                "Tối đa {MAX_DOCUMENTS} thành phần hồ sơ (có {})",
                content.documents.len()
            ),
        ));
    } else {
        let input = content
            .documents
            .iter()
            .map(|d| DocumentInput {
                name: d.name.clone(),
                count: d.count,
            })
            .collect();
        check_document_list(input, None, &mut errors);
    }
    if content.sets == 0 || content.sets > MAX_SETS {
        errors.push(field_error(
            "sets",
            format!(
                "Số lượng hồ sơ phải từ 1 đến {MAX_SETS} bộ (có {})",
                content.sets
            ),
        ));
    }
    if p.time_limit.value > MAX_TIME_LIMIT {
        errors.push(field_error(
            "time_limit",
            format!(
                "Thời hạn {} quá lớn (tối đa {MAX_TIME_LIMIT})",
                p.time_limit.value
            ),
        ));
    }
    if let Some(reason) = &p.time_limit_reason
        && let Err(e) = text::clean_field(
            "time_limit",
            "Căn cứ thời hạn",
            reason,
            crate::domain::limit_choice::MAX_LIMIT_REASON,
            true,
        )
    {
        errors.push(field_error("time_limit", e.to_string()));
    }
    if content
        .fee_amount
        .is_some_and(|f| !(0..=MAX_FEE).contains(&f))
    {
        errors.push(field_error("fee_amount", "Lệ phí ngoài khoảng cho phép"));
    }
    // Only the era here: how far past its own clock another machine's time may lie
    // is the caller's bound (`trust::check_time`), not the 5 minutes a clerk gets.
    if content.received_at.year() < ERA_START_YEAR {
        errors.push(field_error(
            "received_at",
            format!(
                "Thời điểm tiếp nhận {} quá xa trong quá khứ",
                format_vi_short(content.received_at)
            ),
        ));
    }
    let due = content.due_at;
    if due < content.received_at || due > content.received_at + Duration::days(366 * MAX_DUE_YEARS)
    {
        errors.push(field_error(
            "due_at",
            format!(
                "Hạn trả {} không hợp lý với thời điểm tiếp nhận {}",
                format_vi_short(due),
                format_vi_short(content.received_at)
            ),
        ));
    }
    let today = to_wall(now).date();
    if let Err(fields) = ApplicantInput::from(&content.applicant).validate(today) {
        errors.extend(fields);
    }
    if let Some(person) = &content.authorised
        && let Err(fields) = AuthorisedPersonInput::from(person).validate()
    {
        errors.extend(fields.into_iter().map(|mut f| {
            f.field = "authorised";
            f
        }));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(IntakeError::Fields(errors))
    }
}

#[path = "intake_documents.rs"]
mod documents;
pub use documents::default_documents;
use documents::{check_document_list, check_documents};

#[cfg(test)]
#[path = "intake_tests.rs"]
mod tests;
