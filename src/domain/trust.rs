//! What one machine accepts from another (design §6, "Trust").
//!
//! Every event, catalogue entry and calendar that crosses the network is hostile until
//! it passes these checks, applied by the centre on push and by the desk on pull. They
//! are the same rules a clerk's input meets at intake ([`intake::check_content`]) plus
//! bounds that only matter for data written elsewhere: times within the system's era
//! and not ahead of the checking machine's clock, a receipt number inside the range of
//! the desk that wrote it. A refusal is a Vietnamese reason precise enough for an
//! operator; it never quotes the refused text (which may be hostile or personal).

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::calendar::CalendarEntry;
use crate::domain::clock::{Timestamp, format_vi_short, to_wall};
use crate::domain::document::{DocumentLimits, check_file_ref};
use crate::domain::dossier_code::{DeskIndex, DossierCode, desk_range};
use crate::domain::event::{Event, EventBody};
use crate::domain::intake::{self, ERA_START_YEAR, MAX_TIME_LIMIT};
use crate::domain::procedure::Procedure;
use crate::domain::rating::{self, RatingChannel};
use crate::domain::text;
use crate::domain::unit::UnitCode;

/// The origin the centre writes its own events under (`sync::protocol::CENTRE_ORIGIN`
/// says the same on the wire; the domain cannot import it).
pub const CENTRE_ORIGIN: &str = "centre";

/// Notes, reasons and the like, as the desk's own actions bound them.
pub const MAX_NOTE: usize = 2000;
/// A person's name in an event (the clerk, who collected a result).
const MAX_PERSON: usize = 200;
/// Items of a supplement request.
const MAX_ITEMS: usize = 100;
/// A checklist item a digitised document stands for (as a catalogue document name).
pub const MAX_DOCUMENT_ITEM: usize = 500;
/// Most days off a year may have: the statutory ones, bridges and compensatory days
/// come to about twenty; many more is not a calendar.
pub const MAX_DAYS_OFF_PER_YEAR: usize = 40;
/// How far ahead a calendar may be announced.
const CALENDAR_YEARS_AHEAD: i32 = 5;
/// Most procedures in one catalogue update, documents per procedure.
const MAX_PROCEDURES: usize = 5000;
const MAX_REQUIRED_DOCUMENTS: usize = 100;

/// Longest refusal reason kept or sent.
const MAX_REASON_CHARS: usize = 300;

/// A refusal reason as it is stored, sent back and logged: a field error may quote
/// what was typed (an ID, a phone number, a megabyte of text), so it is cut short,
/// its control characters escaped and anything like an ID or phone number masked.
pub fn safe_reason(reason: &str) -> String {
    let short: String = reason.chars().take(MAX_REASON_CHARS).collect();
    text::mask_personal(&text::escape_controls(&short))
}

/// The first instant an event may carry.
fn era_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(ERA_START_YEAR, 1, 1).unwrap_or_default()
}

/// How far past the checking machine's clock another machine's time may lie. Not a
/// few minutes: a ward PC whose clock is hours off (set to UTC, a flat CMOS battery)
/// still writes real dossiers, and order never depends on clocks agreeing (design
/// §6); the desk warns its clerk about such a clock. A day covers every time-zone
/// mistake and still refuses the absurd (year 2999, 9999-12-31).
pub const MAX_AHEAD_HOURS: i64 = 24;

/// `t` lies in the system's era and at most [`MAX_AHEAD_HOURS`] past `now`.
pub fn check_time(label: &str, t: Timestamp, now: Timestamp) -> Result<(), String> {
    if to_wall(t).date() < era_start() {
        return Err(format!(
            "{label} ({}) trước năm {ERA_START_YEAR}",
            format_vi_short(t)
        ));
    }
    if t > now + Duration::hours(MAX_AHEAD_HOURS) {
        return Err(format!(
            "{label} ({}) ở sau giờ hiện tại ({}) quá {MAX_AHEAD_HOURS} giờ",
            format_vi_short(t),
            format_vi_short(now)
        ));
    }
    Ok(())
}

/// A due date: after the event, and not absurdly far.
fn check_due(label: &str, due: Timestamp, at: Timestamp) -> Result<(), String> {
    if due < at - Duration::days(1) || due > at + Duration::days(3660) {
        return Err(format!(
            "{label} ({}) không hợp lý so với thời điểm sự kiện ({})",
            format_vi_short(due),
            format_vi_short(at)
        ));
    }
    Ok(())
}

/// A text field passes the gate a clerk's typing passes ([`text::clean_field`]). Its
/// exact form (spaces around, NFC) is not required: harmless, and older writers did
/// not always normalise.
fn check_text(label: &'static str, s: &str, max: usize, required: bool) -> Result<(), String> {
    text::clean_field("text", label, s, max, required)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Checks one event written by another machine against `now` (the checking machine's
/// clock): its time, every text field, and a dossier content by the intake rules.
pub fn check_event(event: &Event, now: Timestamp) -> Result<(), String> {
    check_time("Thời điểm sự kiện", event.at, now)?;
    check_text("Tên người thực hiện", &event.actor.name, MAX_PERSON, true)?;
    check_text("Nguồn sự kiện", &event.origin, 64, true)?;
    let content_error = |e: intake::IntakeError| {
        let fields: Vec<String> = e
            .fields()
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect();
        format!("Nội dung hồ sơ không hợp lệ: {}", fields.join("; "))
    };
    match &event.body {
        EventBody::Received {
            content,
            numbers,
            consent,
            ..
        } => {
            intake::check_content(content, now).map_err(content_error)?;
            if let Some(consent) = consent {
                consent.check()?;
            }
            if let Some(numbers) = numbers {
                crate::domain::numbers::check(&event.dossier, numbers)?;
            }
            check_time("Thời điểm tiếp nhận", content.received_at, now)?;
            if to_wall(content.received_at).date() != event.dossier.date() {
                return Err(format!(
                    "Ngày trong mã hồ sơ {} khác ngày tiếp nhận {}",
                    event.dossier,
                    format_vi_short(content.received_at)
                ));
            }
        }
        EventBody::Corrected { content, note } => {
            intake::check_content(content, now).map_err(content_error)?;
            check_time("Thời điểm tiếp nhận", content.received_at, now)?;
            check_text("Ghi chú", note, MAX_NOTE, false)?;
        }
        EventBody::Refused { reason } | EventBody::Stopped { reason } => {
            check_text("Lý do", reason, MAX_NOTE, true)?;
        }
        EventBody::Transferred { to, note } => {
            check_text("Nơi chuyển đến", to, MAX_PERSON, true)?;
            check_text("Ghi chú", note, MAX_NOTE, false)?;
        }
        EventBody::SupplementRequested { items, reason } => {
            if items.len() > MAX_ITEMS {
                return Err(format!("Tối đa {MAX_ITEMS} mục yêu cầu bổ sung"));
            }
            for item in items {
                check_text("Mục yêu cầu bổ sung", item, MAX_NOTE, true)?;
            }
            check_text("Lý do", reason, MAX_NOTE, false)?;
        }
        EventBody::SupplementReceived { due_at, note } => {
            check_due("Hạn trả mới", *due_at, event.at)?;
            check_text("Ghi chú", note, MAX_NOTE, false)?;
        }
        EventBody::Extended { due_at, reason } => {
            check_due("Hạn trả mới", *due_at, event.at)?;
            check_text("Lý do", reason, MAX_NOTE, true)?;
        }
        EventBody::Withdrawn { note } | EventBody::ResultReady { note } => {
            check_text("Ghi chú", note, MAX_NOTE, false)?;
        }
        EventBody::Returned { collected_by, note } => {
            check_text("Người nhận kết quả", collected_by, MAX_PERSON, false)?;
            check_text("Ghi chú", note, MAX_NOTE, false)?;
        }
        EventBody::DocumentAttached { item, file } => {
            check_text("Thành phần hồ sơ", item, MAX_DOCUMENT_ITEM, true)?;
            // The ceiling, not this machine's settings: a desk allowed larger files
            // than ours still wrote a real dossier.
            check_file_ref(file, &DocumentLimits::CEILING)
                .map_err(|e| format!("Giấy tờ đã số hóa không hợp lệ: {e}"))?;
        }
        EventBody::DocumentDetached { item, reason, .. } => {
            check_text("Thành phần hồ sơ", item, MAX_DOCUMENT_ITEM, true)?;
            check_text("Lý do gỡ giấy tờ", reason, MAX_NOTE, true)?;
        }
        // The token's form is checked as it is read (`TrackingToken`'s deserialiser).
        EventBody::TrackingRenewed { .. } => {}
        EventBody::Rated { rating: r } => {
            rating::check(r)?;
            check_rating_origin(r.channel, &event.origin)?;
        }
    }
    Ok(())
}

/// A rating on the tracking page is written by the centre and by nothing else; one at
/// the counter by a desk. A desk claiming a web rating, or the centre a counter one, is
/// refused.
fn check_rating_origin(channel: RatingChannel, origin: &str) -> Result<(), String> {
    let by_centre = origin == CENTRE_ORIGIN;
    match (channel, by_centre) {
        (RatingChannel::Web, false) => {
            Err("Đánh giá trực tuyến chỉ do máy chủ trung tâm ghi nhận, không do quầy".into())
        }
        (RatingChannel::Counter, true) => {
            Err("Đánh giá tại quầy phải do quầy ghi nhận, không do máy chủ trung tâm".into())
        }
        _ => Ok(()),
    }
}

/// A receipt number belongs to the daily range of the desk that took it in.
pub fn check_receipt_range(code: &DossierCode, desk: DeskIndex) -> Result<(), String> {
    let range = desk_range(desk);
    if range.contains(&code.number()) {
        return Ok(());
    }
    Err(format!(
        "Mã hồ sơ {code} không thuộc dải số {:04}–{:04} của quầy số {}",
        range.start(),
        range.end(),
        desk.get()
    ))
}

/// Checks an event of the centre's feed before this desk applies it: its own unit only,
/// never one of its own events (those come back through recovery, not the feed), no
/// receipt inside its own number range written by another machine, then
/// [`check_event`].
pub fn check_pulled_event(
    event: &Event,
    unit: &UnitCode,
    own_origin: &str,
    own_index: DeskIndex,
    now: Timestamp,
) -> Result<(), String> {
    if event.dossier.unit() != unit {
        return Err(format!(
            "Hồ sơ {} thuộc đơn vị khác (quầy này thuộc đơn vị {unit})",
            event.dossier
        ));
    }
    if event.origin == own_origin {
        return Err("Sự kiện mang mã của chính quầy này nhưng đến từ luồng chung".into());
    }
    if matches!(event.body, EventBody::Received { .. })
        && desk_range(own_index).contains(&event.dossier.number())
    {
        return Err(format!(
            "Mã hồ sơ {} thuộc dải số của chính quầy này nhưng do máy khác tiếp nhận",
            event.dossier
        ));
    }
    check_event(event, now)
}

/// A catalogue entry is usable: a sane time limit and clean texts.
pub fn check_procedure(p: &Procedure) -> Result<(), String> {
    if let Some(case) = p
        .time_limits
        .iter()
        .find(|c| c.limit.value > MAX_TIME_LIMIT)
    {
        return Err(format!(
            "Thủ tục {}: thời hạn {} quá lớn (tối đa {MAX_TIME_LIMIT})",
            p.code, case.limit.value
        ));
    }
    let named = |e: String| format!("Thủ tục {}: {e}", p.code);
    for case in &p.time_limits {
        check_text("Trường hợp thời hạn", &case.label, MAX_NOTE, false).map_err(named)?;
    }
    check_text("Tên thủ tục", &p.name, 500, true).map_err(named)?;
    check_text("Lĩnh vực", &p.field, 500, false).map_err(named)?;
    check_text("Cơ quan thực hiện", &p.agency, 500, false).map_err(named)?;
    check_text("Lệ phí", &p.fee_text, MAX_NOTE, false).map_err(named)?;
    check_text("Căn cứ pháp lý", &p.legal_basis, 10_000, false).map_err(named)?;
    if p.fee_amount
        .is_some_and(|f| !(0..=1_000_000_000).contains(&f))
    {
        return Err(named("lệ phí ngoài khoảng cho phép".into()));
    }
    if p.documents.len() > MAX_REQUIRED_DOCUMENTS {
        return Err(named(format!(
            "tối đa {MAX_REQUIRED_DOCUMENTS} thành phần hồ sơ"
        )));
    }
    for d in &p.documents {
        check_text("Thành phần hồ sơ", &d.name, 500, true).map_err(named)?;
        if !(1..=999).contains(&d.count) {
            return Err(named(
                "số bản của thành phần hồ sơ phải từ 1 đến 999".into(),
            ));
        }
    }
    Ok(())
}

/// A catalogue update: every entry usable, and not absurdly many.
pub fn check_catalogue(procedures: &[Procedure]) -> Result<(), String> {
    if procedures.len() > MAX_PROCEDURES {
        return Err(format!("Danh mục có quá {MAX_PROCEDURES} thủ tục"));
    }
    procedures.iter().try_for_each(check_procedure)
}

/// A calendar update: dates in the era and at most a few years ahead of `now`, named,
/// and at most [`MAX_DAYS_OFF_PER_YEAR`] days off in any year.
pub fn check_calendar(entries: &[CalendarEntry], now: Timestamp) -> Result<(), String> {
    let last_year = to_wall(now).year() + CALENDAR_YEARS_AHEAD;
    let mut off_per_year = std::collections::BTreeMap::<i32, usize>::new();
    for e in entries {
        let year = e.date.year();
        if e.date < era_start() || year > last_year {
            return Err(format!(
                "Lịch có ngày {} ngoài khoảng {ERA_START_YEAR}–{last_year}",
                e.date.format("%d/%m/%Y")
            ));
        }
        check_text("Tên ngày nghỉ", &e.name, 200, true)?;
        if matches!(e.kind, crate::domain::calendar::CalendarEntryKind::Off(_)) {
            *off_per_year.entry(year).or_default() += 1;
        }
    }
    if let Some((year, n)) = off_per_year
        .into_iter()
        .find(|(_, n)| *n > MAX_DAYS_OFF_PER_YEAR)
    {
        return Err(format!(
            "Lịch năm {year} có {n} ngày nghỉ, quá {MAX_DAYS_OFF_PER_YEAR} ngày: không áp dụng"
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "trust_tests.rs"]
mod tests;
