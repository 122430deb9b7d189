//! The life of a dossier: which events may follow which status, and the fold of a
//! dossier's event log into its current state.
//!
//! Two entry points with different duties:
//! - [`check`] is asked before a clerk's action is written: a transition that is not
//!   allowed is refused with a Vietnamese reason.
//! - [`fold`] rebuilds the state from whatever the log holds, including events that
//!   arrived by sync from other machines. Nothing received is ever dropped: an event
//!   that does not fit is kept, has no effect, and is listed as an anomaly.

use chrono::NaiveDateTime;
use thiserror::Error;

use crate::domain::calendar::WorkCalendar;
use crate::domain::clock::{Timestamp, format_vi_short, to_wall};
use crate::domain::dossier::{Anomaly, AttachedDocument, DossierState};
use crate::domain::due::extension_allowed;
use crate::domain::event::{Event, EventBody, EventKind};
use crate::domain::numbers;
use crate::domain::on_time;
use crate::domain::status::{Status, Timeliness};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("Hồ sơ đang ở trạng thái \"{status}\": không thể {action}")]
    NotAllowed {
        status: &'static str,
        action: &'static str,
    },
    #[error("Hồ sơ đã được gia hạn một lần; theo quy định chỉ được gia hạn một lần")]
    AlreadyExtended,
    #[error(
        "Phải gia hạn chậm nhất trước hạn trả 01 ngày làm việc (hạn trả hiện tại: {due}); đã quá thời điểm được gia hạn"
    )]
    ExtensionTooLate { due: String },
    #[error("Thời hạn mới ({new}) phải sau hạn trả hiện tại ({due})")]
    ExtensionNotLater { new: String, due: String },
    #[error("Hồ sơ đã có sự kiện tiếp nhận; không thể tiếp nhận lại")]
    AlreadyReceived,
    #[error(
        "Giấy tờ có mã {short} không có trong danh sách giấy tờ đã số hóa của hồ sơ (có thể đã được gỡ): không có gì để gỡ"
    )]
    DocumentNotAttached { short: String },
    #[error("Tệp này đã được đính kèm vào hồ sơ (mục \"{item}\"); không cần đính kèm lại")]
    DocumentAlreadyAttached { item: String },
    #[error("Hồ sơ đang ở trạng thái \"{status}\": chỉ đánh giá được sau khi đã trả kết quả")]
    NotReturned { status: &'static str },
    #[error("Hồ sơ đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần")]
    AlreadyRated,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FoldError {
    #[error("Nhật ký hồ sơ không có sự kiện tiếp nhận")]
    NoReceipt,
}

/// What the clerk is doing, in words for a refusal message.
fn action_vi(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Received => "tiếp nhận",
        EventKind::Refused => "từ chối giải quyết",
        EventKind::Transferred => "chuyển xử lý",
        EventKind::SupplementRequested => "yêu cầu bổ sung",
        EventKind::SupplementReceived => "nhận hồ sơ bổ sung",
        EventKind::Extended => "gia hạn",
        EventKind::Stopped => "dừng giải quyết",
        EventKind::Withdrawn => "rút hồ sơ",
        EventKind::ResultReady => "ghi nhận có kết quả",
        EventKind::Returned => "trả kết quả",
        EventKind::Corrected => "sửa thông tin",
        EventKind::DocumentAttached => "đính kèm giấy tờ đã số hóa",
        EventKind::DocumentDetached => "gỡ giấy tờ đã số hóa",
        EventKind::TrackingRenewed => "cấp mã tra cứu mới",
        EventKind::Rated => "đánh giá",
    }
}

/// The event kinds that may follow a status (a correction may follow any status;
/// attaching and detaching documents are allowed in every status and not listed).
pub fn allowed_after(status: Status) -> &'static [EventKind] {
    use EventKind as K;
    match status {
        Status::Received | Status::Processing => &[
            K::Transferred,
            K::SupplementRequested,
            K::Extended,
            K::ResultReady,
            K::Refused,
            K::Withdrawn,
            K::Stopped,
            K::Corrected,
        ],
        Status::SupplementRequested => &[
            K::SupplementReceived,
            K::Refused,
            K::Withdrawn,
            K::Stopped,
            K::Corrected,
        ],
        Status::FinancialObligation => &[K::ResultReady, K::Withdrawn, K::Stopped, K::Corrected],
        Status::ResultReady => &[K::Returned, K::Corrected],
        Status::Refused | Status::Withdrawn | Status::Stopped | Status::Returned => &[K::Corrected],
    }
}

/// The status rule alone (no calendar): shared by `check` and the fold.
fn status_allows(state: &DossierState, body: &EventBody) -> Result<(), TransitionError> {
    let kind = body.kind();
    if kind == EventKind::Received {
        return Err(TransitionError::AlreadyReceived);
    }
    if let EventBody::DocumentDetached { sha256, .. } = body {
        if !state.documents.iter().any(|d| d.file.sha256 == *sha256) {
            return Err(TransitionError::DocumentNotAttached {
                short: sha256.short().to_string(),
            });
        }
        return Ok(());
    }
    if kind.is_document() || kind == EventKind::TrackingRenewed {
        return Ok(());
    }
    if kind == EventKind::Rated {
        if state.status != Status::Returned {
            return Err(TransitionError::NotReturned {
                status: state.status.label_vi(),
            });
        }
        if state.rating.is_some() {
            return Err(TransitionError::AlreadyRated);
        }
        return Ok(());
    }
    if !allowed_after(state.status).contains(&kind) {
        return Err(TransitionError::NotAllowed {
            status: state.status.label_vi(),
            action: action_vi(kind),
        });
    }
    if let EventBody::Extended { due_at, .. } = body {
        if state.extended {
            return Err(TransitionError::AlreadyExtended);
        }
        if *due_at <= state.due_at {
            return Err(TransitionError::ExtensionNotLater {
                new: format_vi_short(*due_at),
                due: format_vi_short(state.due_at),
            });
        }
    }
    Ok(())
}

/// May a clerk write `body` at wall-clock time `now`? Refuses with the reason.
pub fn check(
    state: &DossierState,
    body: &EventBody,
    now: NaiveDateTime,
    calendar: &WorkCalendar,
) -> Result<(), TransitionError> {
    status_allows(state, body)?;
    // Two desks attaching the same file is harmless in the fold; a clerk doing it twice
    // is a slip worth telling.
    if let EventBody::DocumentAttached { file, .. } = body
        && let Some(d) = state
            .documents
            .iter()
            .find(|d| d.file.sha256 == file.sha256)
    {
        return Err(TransitionError::DocumentAlreadyAttached {
            item: d.item.clone(),
        });
    }
    if matches!(body, EventBody::Extended { .. })
        && !extension_allowed(now, to_wall(state.due_at), calendar)
    {
        return Err(TransitionError::ExtensionTooLate {
            due: format_vi_short(state.due_at),
        });
    }
    Ok(())
}

/// Folds a dossier's events into its state. The receipt comes first whatever its clock
/// says (nothing can precede it); the rest follow in (time, id) order.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<DossierState, FoldError> {
    let mut events: Vec<&Event> = events.into_iter().collect();
    events.sort_by_key(|e| (e.at, e.id));
    let genesis = events
        .iter()
        .position(|e| matches!(e.body, EventBody::Received { .. }))
        .ok_or(FoldError::NoReceipt)?;
    let first = events.remove(genesis);
    let EventBody::Received {
        content,
        numbers,
        tracking,
        consent,
    } = &first.body
    else {
        return Err(FoldError::NoReceipt);
    };
    let mut state = DossierState {
        code: first.dossier.clone(),
        due_at: content.due_at,
        content: (**content).clone(),
        status: Status::Received,
        extended: false,
        result_ready_at: None,
        returned_at: None,
        returned_to: None,
        closed_at: None,
        last_event_at: first.at,
        anomalies: Vec::new(),
        documents: Vec::new(),
        supplement_requests: 0,
        second_supplement_at: None,
        waiting_since: None,
        supplement_wait_secs: 0,
        numbers: numbers::effective(&first.dossier, *numbers),
        book_field: content.procedure.field.clone(),
        tracking: tracking.clone(),
        consent: consent.clone(),
        rating: None,
    };
    for event in events {
        apply(&mut state, event);
    }
    Ok(state)
}

/// Applies one event to a state, or records it as an anomaly when it does not fit.
pub fn apply(state: &mut DossierState, event: &Event) {
    if let Err(why) = status_allows(state, &event.body) {
        state.anomalies.push(Anomaly {
            event: event.id,
            kind: event.body.kind(),
            reason: why.to_string(),
        });
        return;
    }
    state.last_event_at = state.last_event_at.max(event.at);
    match &event.body {
        EventBody::Received { .. } => {}
        EventBody::Transferred { .. } => state.status = Status::Processing,
        EventBody::SupplementRequested { .. } => {
            state.status = Status::SupplementRequested;
            state.supplement_requests += 1;
            if state.supplement_requests == 2 {
                state.second_supplement_at = Some(event.at);
            }
            state.waiting_since = Some(event.at);
        }
        EventBody::SupplementReceived { due_at, .. } => {
            state.status = Status::Processing;
            state.due_at = *due_at;
            end_wait(state, event.at);
        }
        EventBody::Extended { due_at, .. } => {
            state.due_at = *due_at;
            state.extended = true;
        }
        EventBody::Refused { .. } => close(state, Status::Refused, event.at),
        EventBody::Withdrawn { .. } => close(state, Status::Withdrawn, event.at),
        EventBody::Stopped { .. } => close(state, Status::Stopped, event.at),
        EventBody::ResultReady { .. } => {
            state.status = Status::ResultReady;
            state.result_ready_at = Some(event.at);
        }
        EventBody::Returned { collected_by, .. } => {
            state.status = Status::Returned;
            state.returned_at = Some(event.at);
            state.returned_to = Some(collected_by.clone());
        }
        EventBody::Corrected { content, .. } => {
            // A correction fixes what was typed; the promised dates stay as they are.
            let mut corrected = (**content).clone();
            corrected.received_at = state.content.received_at;
            corrected.due_at = state.content.due_at;
            state.content = corrected;
        }
        EventBody::DocumentAttached { item, file } => state.documents.push(AttachedDocument {
            item: item.clone(),
            file: file.clone(),
            attached_at: event.at,
            attached_by: event.actor.name.clone(),
            origin: event.origin.clone(),
            event: event.id,
        }),
        EventBody::DocumentDetached { sha256, .. } => {
            state.documents.retain(|d| d.file.sha256 != *sha256);
        }
        EventBody::TrackingRenewed { token } => state.tracking = Some(token.clone()),
        EventBody::Rated { rating } => state.rating = Some(rating.clone()),
    }
}

fn close(state: &mut DossierState, status: Status, at: Timestamp) {
    state.status = status;
    state.closed_at = Some(at);
    // Closed while waiting for papers: the wait ends here, uncounted.
    end_wait(state, at);
}

/// The open supplement request ends at `at`: its wait joins the time not counted.
fn end_wait(state: &mut DossierState, at: Timestamp) {
    if let Some(asked) = state.waiting_since.take() {
        state.supplement_wait_secs += (at - asked).num_seconds().max(0);
    }
}

/// The dossier's on-time class at `now`, by the one rule of [`on_time::judge`]
/// (QĐ 766 indicator 2.1, the rule Biểu 06, the dashboard and the centre apply too).
pub fn classify(state: &DossierState, now: Timestamp) -> Timeliness {
    on_time::judge(&state.progress(), now)
}

/// Whether recording `body` would be the dossier's second supplement request, which
/// makes it late under QĐ 766 indicator 2.1 whatever happens next: the clerk is told
/// before (the window asks to confirm, the command line wants `--yes`).
pub fn makes_late(state: &DossierState, body: &EventBody) -> bool {
    matches!(body, EventBody::SupplementRequested { .. }) && state.supplement_requests >= 1
}

/// What the clerk is told before asking a dossier for papers again, when it would
/// make the dossier late; `None` for a first request.
pub fn second_supplement_warning(state: &DossierState) -> Option<String> {
    (state.supplement_requests >= 1).then(|| {
        format!(
            "Hồ sơ {} đã được yêu cầu bổ sung {} lần. Yêu cầu bổ sung thêm sẽ làm hồ sơ bị \
             tính QUÁ HẠN (QĐ 766/QĐ-TTg, chỉ số 2.1), dù có kết quả trước hẹn: chỉ yêu cầu \
             bổ sung một lần, nêu đủ mọi giấy tờ còn thiếu (NĐ 61/2018, Điều 19).",
            state.code, state.supplement_requests
        )
    })
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
