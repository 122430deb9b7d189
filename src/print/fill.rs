//! Filling the forms' inputs from a stored dossier: its folded state, its events
//! (reasons, times and clerks of each step) and the unit.

use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody};
use crate::domain::lifecycle::classify;
use crate::domain::unit::Unit as UnitConfig;
use crate::print::PrintError;
use crate::print::forms::book::BookRow;
use crate::print::forms::control::{ControlInput, DESK, Handover};
use crate::print::forms::notices::{ApologyInput, RefusalInput, StopInput, SupplementInput};
use crate::print::forms::receipt::{Authorised, BookEntry, ReceiptInput};
use crate::print::forms::{Issuer, Party};

pub fn issuer(unit: &UnitConfig) -> Issuer {
    Issuer {
        authority: unit.authority.clone(),
        unit: unit.name.clone(),
        place: unit.place.clone(),
        signer_title: String::new(),
    }
}

pub fn party(state: &DossierState) -> Party {
    let a = &state.content.applicant;
    Party {
        kind: a.kind(),
        gender: a.gender(),
        name: a.full_name.clone(),
        signer: a.signer().to_string(),
        id_number: a.id_text().to_string(),
        address: a.address.clone(),
        phone: a.phone.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
    }
}

/// The person authorised to submit, as Mẫu 01 and 03 name them.
pub fn authorised(state: &DossierState) -> Option<Authorised> {
    state.content.authorised.as_ref().map(|a| Authorised {
        name: a.full_name.clone(),
        id_number: a.id_number.as_str().to_string(),
        address: a.address.clone(),
        phone: a.phone.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        document: a.authorisation_document.clone(),
    })
}

/// Mẫu 01 as received (the due time printed is the one promised at the counter).
pub fn receipt(
    unit: &UnitConfig,
    state: &DossierState,
    book: Option<BookEntry>,
    tracking_url: Option<String>,
    public_base: Option<&str>,
) -> ReceiptInput {
    let c = &state.content;
    ReceiptInput {
        issuer: issuer(unit),
        code: state.code.to_string(),
        applicant: party(state),
        authorised: authorised(state),
        procedure: c.procedure.name.clone(),
        documents: c
            .documents
            .iter()
            .filter(|d| d.form.is_handed_in())
            .cloned()
            .collect(),
        sets: c.sets,
        time_limit: c.procedure.time_limit_vi(),
        received_at: c.received_at,
        due_at: c.due_at,
        result_at: c.result_at.clone(),
        book,
        clerk: c.received_by.clone(),
        tracking_url,
        tracking_link: state
            .tracking
            .as_ref()
            .zip(public_base)
            .map(|(token, base)| crate::domain::tracking::tracking_url(base, token)),
        // The code only; `desk::forms` adds the name from the province's list.
        deciding_unit: state.deciding_unit.as_ref().map(|u| u.to_string()),
    }
}

/// The latest event matching `pick`, with the event itself.
fn latest<'a, T>(
    events: &'a [Event],
    pick: impl Fn(&'a EventBody) -> Option<T>,
) -> Option<(&'a Event, T)> {
    events
        .iter()
        .rev()
        .find_map(|e| pick(&e.body).map(|t| (e, t)))
}

fn missing(state: &DossierState, what: &str) -> PrintError {
    PrintError::Input(format!("Hồ sơ {} chưa có {what}", state.code))
}

pub fn supplement(
    unit: &UnitConfig,
    state: &DossierState,
    events: &[Event],
    contact_phone: &str,
) -> Result<SupplementInput, PrintError> {
    let (event, (items, reason)) = latest(events, |b| match b {
        EventBody::SupplementRequested { items, reason } => Some((items, reason)),
        _ => None,
    })
    .ok_or_else(|| {
        missing(
            state,
            "yêu cầu bổ sung hồ sơ (ghi nhận bằng: motcua record MÃ supplement-request)",
        )
    })?;
    Ok(SupplementInput {
        issuer: issuer(unit),
        date: to_wall(event.at).date(),
        code: Some(state.code.to_string()),
        applicant: party(state),
        procedure: state.content.procedure.name.clone(),
        items: items.clone(),
        reason: reason.clone(),
        contact: event.actor.name.clone(),
        contact_phone: contact_phone.to_string(),
        clerk: event.actor.name.clone(),
    })
}

pub fn refusal(
    unit: &UnitConfig,
    state: &DossierState,
    events: &[Event],
) -> Result<RefusalInput, PrintError> {
    let (event, reason) = latest(events, |b| match b {
        EventBody::Refused { reason } => Some(reason),
        _ => None,
    })
    .ok_or_else(|| {
        missing(
            state,
            "quyết định từ chối (ghi nhận bằng: motcua record MÃ refuse)",
        )
    })?;
    Ok(RefusalInput {
        issuer: issuer(unit),
        date: to_wall(event.at).date(),
        code: Some(state.code.to_string()),
        applicant: party(state),
        procedure: state.content.procedure.name.clone(),
        reason: reason.clone(),
        clerk: event.actor.name.clone(),
        authorised: authorised(state),
    })
}

/// The due time in force just before `until` (the receipt's, or the one a supplement
/// restarted).
fn due_before(state: &DossierState, events: &[Event], until: &Event) -> Timestamp {
    let mut due = state.content.due_at;
    for e in events {
        if e.id == until.id {
            break;
        }
        if let EventBody::SupplementReceived { due_at, .. } = &e.body {
            due = *due_at;
        }
    }
    due
}

pub fn apology(
    unit: &UnitConfig,
    state: &DossierState,
    events: &[Event],
) -> Result<ApologyInput, PrintError> {
    let (event, (new_due, reason)) = latest(events, |b| match b {
        EventBody::Extended { due_at, reason } => Some((*due_at, reason)),
        _ => None,
    })
    .ok_or_else(|| {
        missing(
            state,
            "gia hạn (ghi nhận bằng: motcua record MÃ extend --until …)",
        )
    })?;
    Ok(ApologyInput {
        issuer: issuer(unit),
        date: to_wall(event.at).date(),
        code: state.code.to_string(),
        applicant: party(state),
        procedure: state.content.procedure.name.clone(),
        received_at: state.content.received_at,
        old_due: due_before(state, events, event),
        new_due,
        reason: reason.clone(),
    })
}

pub fn stop(
    unit: &UnitConfig,
    state: &DossierState,
    events: &[Event],
) -> Result<StopInput, PrintError> {
    // The office stops it, or the applicant withdraws it (TT 03/2025 Art 7; NĐ 118/2025
    // Art 21(1)): both are notified with Mẫu 05.
    let (event, reason) = latest(events, |b| match b {
        EventBody::Stopped { reason } => Some(reason.clone()),
        EventBody::Withdrawn { note } => Some(withdrawal_reason(note)),
        _ => None,
    })
    .ok_or_else(|| {
        missing(
            state,
            "quyết định dừng giải quyết hoặc việc rút hồ sơ (ghi nhận bằng: motcua record \
             MÃ stop, hoặc motcua record MÃ withdraw)",
        )
    })?;
    Ok(StopInput {
        issuer: issuer(unit),
        date: to_wall(event.at).date(),
        code: state.code.to_string(),
        applicant: party(state),
        procedure: state.content.procedure.name.clone(),
        received_at: state.content.received_at,
        stopped_at: event.at,
        reason,
    })
}

/// The reason Mẫu 05 gives when the applicant withdraws: "Người nộp rút hồ sơ" (words
/// that fit a person and an organisation), with the clerk's note when there is one.
pub fn withdrawal_reason(note: &str) -> String {
    match note.trim() {
        "" => WITHDRAWN.to_string(),
        note => format!("{WITHDRAWN} ({note})"),
    }
}

/// The words of a withdrawal (Mẫu 05, the dossier's history).
pub const WITHDRAWN: &str = "Người nộp rút hồ sơ";

/// Where the dossier was sent for processing, if it was.
fn handler(events: &[Event]) -> Option<(&Event, String)> {
    latest(events, |b| match b {
        EventBody::Transferred { to, .. } => Some(to.clone()),
        _ => None,
    })
}

/// Mẫu 06: the hand-over to the processing department and the return of the result;
/// `now` only classifies a result that is not ready yet (trong hạn / quá hạn).
pub fn control(
    unit: &UnitConfig,
    state: &DossierState,
    events: &[Event],
    now: Timestamp,
) -> ControlInput {
    let transfer = handler(events);
    let to = transfer
        .as_ref()
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let ready = latest(events, |b| {
        matches!(b, EventBody::ResultReady { .. }).then_some(())
    });
    let result = match ready {
        Some(_) => classify(state, now).label_vi().to_string(),
        None => String::new(),
    };
    ControlInput {
        issuer: issuer(unit),
        date: to_wall(state.content.received_at).date(),
        code: state.code.to_string(),
        handler: to.clone(),
        coordinator: String::new(),
        received_at: state.content.received_at,
        due_at: state.due_at,
        handovers: vec![
            Handover {
                from: DESK.to_string(),
                to: to.clone(),
                at: transfer.map(|(e, _)| e.at),
                result: String::new(),
                note: String::new(),
            },
            Handover {
                from: to,
                to: DESK.to_string(),
                at: ready.map(|(e, _)| e.at),
                result,
                note: String::new(),
            },
        ],
    }
}

/// One line of Mẫu 07.
pub fn book_row(state: &DossierState, events: &[Event]) -> BookRow {
    let p = party(state);
    // The book the dossier was entered in at intake: its lĩnh vực then, its numbers.
    let field = if state.book_field.is_empty() {
        &state.content.procedure.field
    } else {
        &state.book_field
    };
    BookRow {
        volume: state.numbers.volume_vi(state.book_year()),
        seq: state.numbers.seq,
        code: state.code.to_string(),
        field: field.clone(),
        procedure: state.content.procedure.name.clone(),
        applicant: p.name,
        address: p.address,
        phone: p.phone,
        handler: handler(events).map(|(_, t)| t).unwrap_or_default(),
        received_at: state.content.received_at,
        due_at: state.due_at,
        returned_at: state.returned_at,
        result_method: state.content.result_method_vi().to_string(),
    }
}
