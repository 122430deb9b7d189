//! A person's action on a received dossier, and the one rule that turns it into the
//! event it writes: the desk's clerk (`store::dossiers`) and the centre's operator
//! (`centre::admin::record`) both go through `event_for`, so both clean the same texts
//! and require the same ones. Whether the dossier's state allows the event is
//! `lifecycle::check`, after this.

use crate::domain::calendar::WorkCalendar;
use crate::domain::clock::{Timestamp, format_vi_short, from_wall, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::due::new_due::{NewDue, resolve_new_due};
use crate::domain::due::{WorkingHours, due_at};
use crate::domain::event::EventBody;
use crate::domain::intake::MAX_FUTURE_SKEW_MINUTES;
use crate::domain::text;
use crate::domain::trust::MAX_NOTE;

/// A person's action on a received dossier, before it becomes an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRequest {
    Transfer {
        to: String,
        note: String,
    },
    RequestSupplement {
        items: Vec<String>,
        reason: String,
    },
    ReceiveSupplement {
        note: String,
    },
    /// Gia hạn: the new appointment as typed (a date alone means its closing time);
    /// a rest day or a time outside office hours is refused (`due::new_due`).
    Extend {
        until: NewDue,
        reason: String,
    },
    Stop {
        reason: String,
    },
    Withdraw {
        note: String,
    },
    Refuse {
        reason: String,
    },
    ResultReady {
        note: String,
    },
    Return {
        collected_by: Option<String>,
        note: String,
    },
}

fn required(label: &'static str, key: &'static str, s: &str) -> Result<String, String> {
    text::clean_field(key, label, s, MAX_NOTE, true).map_err(|e| e.to_string())
}

fn optional(label: &'static str, key: &'static str, s: &str) -> Result<String, String> {
    text::clean_field(key, label, s, MAX_NOTE, false).map_err(|e| e.to_string())
}

/// Refuses an action dated after `now` by more than the intake's limit
/// ([`MAX_FUTURE_SKEW_MINUTES`]: a slightly fast watch, never a date in the future),
/// or before the dossier was received.
pub fn check_time(at: Timestamp, now: Timestamp, received_at: Timestamp) -> Result<(), String> {
    if at > now + chrono::TimeDelta::minutes(MAX_FUTURE_SKEW_MINUTES) {
        return Err(format!(
            "Thời điểm {} ở tương lai (bây giờ là {})",
            format_vi_short(at),
            format_vi_short(now)
        ));
    }
    if at < received_at {
        return Err(format!(
            "Thời điểm {} trước thời điểm tiếp nhận hồ sơ ({})",
            format_vi_short(at),
            format_vi_short(received_at)
        ));
    }
    Ok(())
}

/// The event `request` writes on the dossier `state` at `at`: texts cleaned (NFC, no
/// control characters, at most `MAX_NOTE`), the required ones present; a received
/// supplement restarts the clock on the unit's `calendar` and `hours`; a result
/// collected by nobody named is collected by the applicant.
pub fn event_for(
    request: ActionRequest,
    state: &DossierState,
    at: Timestamp,
    calendar: &WorkCalendar,
    hours: &WorkingHours,
) -> Result<EventBody, String> {
    Ok(match request {
        ActionRequest::Transfer { to, note } => EventBody::Transferred {
            to: required("Nơi chuyển đến", "to", &to)?,
            note: optional("Ghi chú", "note", &note)?,
        },
        ActionRequest::RequestSupplement { items, reason } => {
            if items.iter().all(|i| i.trim().is_empty()) {
                return Err("Yêu cầu bổ sung cần ít nhất một nội dung cần bổ sung".into());
            }
            EventBody::SupplementRequested {
                items: items
                    .iter()
                    .map(|i| required("Nội dung bổ sung", "items", i))
                    .collect::<Result<_, _>>()?,
                reason: required("Lý do yêu cầu bổ sung", "note", &reason)?,
            }
        }
        ActionRequest::ReceiveSupplement { note } => EventBody::SupplementReceived {
            // The clock restarts from zero once the dossier is complete.
            due_at: from_wall(due_at(
                to_wall(at),
                state.content.procedure.time_limit,
                calendar,
                hours,
            )),
            note: optional("Ghi chú", "note", &note)?,
        },
        ActionRequest::Extend { until, reason } => EventBody::Extended {
            due_at: from_wall(resolve_new_due(until, calendar, hours).map_err(|e| e.to_string())?),
            reason: required("Lý do gia hạn", "note", &reason)?,
        },
        ActionRequest::Stop { reason } => EventBody::Stopped {
            reason: required("Lý do dừng giải quyết", "note", &reason)?,
        },
        ActionRequest::Withdraw { note } => EventBody::Withdrawn {
            note: optional("Ghi chú", "note", &note)?,
        },
        ActionRequest::Refuse { reason } => EventBody::Refused {
            reason: required("Lý do từ chối", "note", &reason)?,
        },
        ActionRequest::ResultReady { note } => EventBody::ResultReady {
            note: optional("Ghi chú", "note", &note)?,
        },
        ActionRequest::Return { collected_by, note } => EventBody::Returned {
            collected_by: match collected_by {
                Some(name) => required("Người nhận kết quả", "collected_by", &name)?,
                None => state.content.applicant.full_name.clone(),
            },
            note: optional("Ghi chú", "note", &note)?,
        },
    })
}
