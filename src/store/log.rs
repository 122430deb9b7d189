//! The single write path of the dossier log.
//!
//! Within the caller's transaction: the event goes into `dossier_event`, an own event
//! also into the `outbox` under the next contiguous sequence number, and the dossier's
//! projection row (its search entry, its list of digitised files) is rewritten from
//! the new fold.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::dossier::DossierState;
use crate::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use crate::domain::lifecycle;
use crate::store::error::{Result, StoreError};
use crate::store::search::{remember_words, search_name, search_text};

/// A clerk's action on `state`, already checked: the event is written to the log as
/// this desk's own, folded into `state`, and the projection updated, all inside the
/// caller's transaction.
pub fn record_clerk_event(
    tx: &Transaction<'_>,
    state: &mut DossierState,
    body: EventBody,
    clerk: &str,
    origin: &str,
    at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    let event = Event {
        id: EventId::new(),
        dossier: state.code.clone(),
        at,
        actor: Actor {
            name: clerk.to_string(),
            role: ActorRole::Clerk,
        },
        origin: origin.to_string(),
        body,
    };
    append_own(tx, &event, now)?;
    lifecycle::apply(state, &event);
    write_projection(tx, state, now)
}

/// Appends an event this desk wrote: log + outbox.
pub fn append_own(tx: &Transaction<'_>, event: &Event, now: Timestamp) -> Result<i64> {
    insert_event(tx, event, now)?;
    let seq: i64 = tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM outbox", [], |r| {
        r.get(0)
    })?;
    tx.prepare_cached("INSERT INTO outbox (seq, event_id) VALUES (?1, ?2)")?
        .execute(params![seq, event.id.to_string()])?;
    Ok(seq)
}

pub fn insert_event(tx: &Transaction<'_>, event: &Event, now: Timestamp) -> Result<()> {
    let json = serde_json::to_string(event).map_err(|e| StoreError::decode("sự kiện", e))?;
    tx.prepare_cached(
        "INSERT INTO dossier_event (id, dossier_code, kind, at, origin, event, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        event.id.to_string(),
        event.dossier.to_string(),
        event.body.kind().as_str(),
        format_rfc3339(event.at),
        event.origin,
        json,
        format_rfc3339(now)
    ])?;
    Ok(())
}

/// Every event of one dossier, in no particular order (the fold orders them).
pub fn load_events(conn: &Connection, code: &str) -> Result<Vec<Event>> {
    let mut stmt =
        conn.prepare_cached("SELECT event FROM dossier_event WHERE dossier_code = ?1")?;
    let rows = stmt.query_map([code], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        let json = row?;
        out.push(serde_json::from_str(&json).map_err(|e| StoreError::decode("sự kiện", e))?);
    }
    Ok(out)
}

/// Folds a dossier from its stored events.
pub fn fold_dossier(conn: &Connection, code: &str) -> Result<Option<DossierState>> {
    let events = load_events(conn, code)?;
    if events.is_empty() {
        return Ok(None);
    }
    lifecycle::fold(&events)
        .map(Some)
        .map_err(|source| StoreError::Fold {
            code: code.to_string(),
            source,
        })
}

/// Whether the search index is kept up to date row by row, or rebuilt once after a
/// bulk load (much faster for a million rows: see `demo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchIndex {
    RowByRow,
    RebuildLater,
}

/// Rewrites the projection row and search entry of a dossier from its state.
/// Re-folds each dossier whose events changed and rewrites its projection. A dossier
/// whose receipt has not arrived yet (an action on a dossier another desk received)
/// waits in the log: its receipt comes with a later pull.
pub fn refold(
    tx: &Transaction<'_>,
    codes: impl IntoIterator<Item = String>,
    now: Timestamp,
) -> Result<()> {
    refold_with(tx, codes, now, SearchIndex::RowByRow)
}

/// [`refold`], with the search index kept row by row or left for a rebuild.
pub fn refold_with(
    tx: &Transaction<'_>,
    codes: impl IntoIterator<Item = String>,
    now: Timestamp,
    index: SearchIndex,
) -> Result<()> {
    for code in codes {
        match fold_dossier(tx, &code) {
            Ok(Some(state)) => write_projection_with(tx, &state, now, index)?,
            Ok(None)
            | Err(StoreError::Fold {
                source: lifecycle::FoldError::NoReceipt,
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The supplement facts the on-time rule reads (migration 13), after the row exists.
/// A new row already holds the defaults of a dossier never asked for papers.
fn write_supplements(
    tx: &Transaction<'_>,
    code: &str,
    state: &DossierState,
    existed: bool,
) -> Result<()> {
    if !existed && state.supplement_requests == 0 {
        return Ok(());
    }
    let fmt = |t: Option<Timestamp>| t.map(format_rfc3339);
    tx.prepare_cached(
        "UPDATE dossier SET second_supplement_at = ?2, waiting_since = ?3,
             supplement_wait_secs = ?4
         WHERE code = ?1",
    )?
    .execute(params![
        code,
        fmt(state.second_supplement_at),
        fmt(state.waiting_since),
        state.supplement_wait_secs
    ])?;
    Ok(())
}

/// Migration 13: fills the new columns of every dossier with a supplement request
/// from its fold (only those columns: a later migration's columns do not exist yet).
pub fn reproject_supplements(tx: &Transaction<'_>) -> Result<()> {
    let codes: Vec<String> = tx
        .prepare(
            "SELECT DISTINCT dossier_code FROM dossier_event
             WHERE kind = 'supplement_requested'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for code in codes {
        match fold_dossier(tx, &code) {
            Ok(Some(state)) => write_supplements(tx, &code, &state, true)?,
            Ok(None)
            | Err(StoreError::Fold {
                source: lifecycle::FoldError::NoReceipt,
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

pub fn write_projection(tx: &Transaction<'_>, state: &DossierState, now: Timestamp) -> Result<()> {
    write_projection_with(tx, state, now, SearchIndex::RowByRow)
}

pub fn write_projection_with(
    tx: &Transaction<'_>,
    state: &DossierState,
    now: Timestamp,
    index: SearchIndex,
) -> Result<()> {
    let code = state.code.to_string();
    let text = search_text(state);
    let c = &state.content;
    let name = search_name(&state.content.applicant.full_name);
    let existing: Option<(i64, String, String)> = tx
        .prepare_cached("SELECT id, search_text, search_name FROM dossier WHERE code = ?1")?
        .query_row([&code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let fmt = |t: Option<Timestamp>| t.map(format_rfc3339);
    let values = params![
        code,
        c.procedure.code.as_str(),
        c.applicant.full_name,
        c.applicant.id_text(),
        c.applicant.phone,
        c.channel.code(),
        state.status.code(),
        format_rfc3339(c.received_at),
        format_rfc3339(state.due_at),
        fmt(state.result_ready_at),
        fmt(state.returned_at),
        fmt(state.closed_at),
        format_rfc3339(now),
        text,
        name,
        state.numbers.receipt,
        state.numbers.volume,
        state.numbers.seq,
        state.book_field,
        state.deciding_unit.as_ref().map(|u| u.as_str()),
    ];
    crate::store::documents::write_files(tx, state, existing.is_some())?;
    let existed = existing.is_some();
    match existing {
        None => {
            tx.prepare_cached(
                "INSERT INTO dossier (code, procedure_code, applicant_name, id_number, phone,
                     channel, status, received_at, due_at, result_ready_at, returned_at,
                     closed_at, updated_at, search_text, search_name, receipt_no, book_volume,
                     book_seq, book_field, deciding_unit)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19, ?20)",
            )?
            .execute(values)?;
            if index == SearchIndex::RebuildLater {
                return write_supplements(tx, &code, state, false);
            }
            let id = tx.last_insert_rowid();
            tx.prepare_cached("INSERT INTO dossier_fts (rowid, search_text) VALUES (?1, ?2)")?
                .execute(params![id, text])?;
            tx.prepare_cached("INSERT INTO dossier_name_fts (rowid, search_name) VALUES (?1, ?2)")?
                .execute(params![id, name])?;
            remember_words(tx, &text)?;
        }
        Some((id, old_text, old_name)) => {
            tx.prepare_cached(
                "UPDATE dossier SET procedure_code = ?2, applicant_name = ?3, id_number = ?4,
                     phone = ?5, channel = ?6, status = ?7, received_at = ?8, due_at = ?9,
                     result_ready_at = ?10, returned_at = ?11, closed_at = ?12,
                     updated_at = ?13, search_text = ?14, search_name = ?15,
                     receipt_no = ?16, book_volume = ?17, book_seq = ?18, book_field = ?19,
                     deciding_unit = ?20
                 WHERE code = ?1",
            )?
            .execute(values)?;
            if old_text != text && index == SearchIndex::RowByRow {
                tx.prepare_cached("INSERT INTO dossier_fts (dossier_fts, rowid, search_text) VALUES ('delete', ?1, ?2)")?.execute(params![id, old_text],
                )?;
                tx.prepare_cached("INSERT INTO dossier_fts (rowid, search_text) VALUES (?1, ?2)")?
                    .execute(params![id, text])?;
                remember_words(tx, &text)?;
            }
            if old_name != name && index == SearchIndex::RowByRow {
                tx.prepare_cached(
                    "INSERT INTO dossier_name_fts (dossier_name_fts, rowid, search_name)
                     VALUES ('delete', ?1, ?2)",
                )?
                .execute(params![id, old_name])?;
                tx.prepare_cached(
                    "INSERT INTO dossier_name_fts (rowid, search_name) VALUES (?1, ?2)",
                )?
                .execute(params![id, name])?;
            }
        }
    }
    write_supplements(tx, &code, state, existed)
}
