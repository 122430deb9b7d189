//! Taking back the desk's own events after a restore from an old backup.
//!
//! A restored database is behind the centre: events this desk wrote after the backup
//! (and the centre acknowledged) are missing locally, and their seq numbers look free.
//! Before pushing anything, the sync client fetches those events back from the centre
//! and this module writes them, page by page, each page in one transaction: the event
//! into the log, the outbox entry under its original seq (acknowledged), and the
//! refolded projection. The projection is what allocates dossier codes, so a recovered
//! dossier's code is never handed out again.
//!
//! An event written locally after the restore that sits on a seq the centre holds for
//! another event is moved to the end of the series (it was never sent), so no seq ever
//! names two events. A recovered receipt whose dossier code this desk has meanwhile
//! given to a *different* dossier cannot be merged by a program: the page is refused,
//! nothing is written, and the message names the code.
//!
//! `motcua restore` of an enrolled desk sets `RESTORED_KEY`; intake waits for a sync
//! that clears it, so a restored desk cannot hand out a code the centre already holds.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::domain::clock::Timestamp;
use crate::domain::event::{Event, EventBody};
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::{insert_event, refold};

/// Setting written by `motcua restore` on an enrolled desk: intake waits until a sync
/// has compared the restored database with the centre.
pub const RESTORED_KEY: &str = "restored_unsynced_since";

/// What one recovered page changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Recovered {
    /// Own events taken back from the centre.
    pub events: u64,
    /// Local, never-sent events moved to the end of the series.
    pub renumbered: u64,
}

impl Store {
    /// Applies one page of the desk's own events as the centre holds them (seq order,
    /// every seq at most `centre_acked`), in one transaction.
    pub fn recover_own_page(
        &mut self,
        events: &[(i64, Event)],
        centre_acked: i64,
        now: Timestamp,
    ) -> Result<Recovered> {
        self.write(|tx| {
            let mut out = Recovered::default();
            let mut touched = BTreeSet::new();
            let mut last = 0;
            for (seq, event) in events {
                if *seq > centre_acked || *seq <= last {
                    return Err(StoreError::Invalid(format!(
                        "Trung tâm trả lại sự kiện số {seq} không đúng thứ tự; không ghi gì"
                    )));
                }
                last = *seq;
                let id = event.id.to_string();
                let local_seq: Option<i64> = tx
                    .query_row("SELECT seq FROM outbox WHERE event_id = ?1", [&id], |r| {
                        r.get(0)
                    })
                    .optional()?;
                match local_seq {
                    Some(s) if s == *seq => continue,
                    Some(s) => {
                        return Err(StoreError::Invalid(format!(
                            "Sự kiện số {seq} của trung tâm nằm ở số {s} trên máy này; không ghi gì, hãy liên hệ quản trị trung tâm"
                        )));
                    }
                    None => {}
                }
                check_receipt_is_free(tx, event)?;
                if move_local_event(tx, *seq, centre_acked)? {
                    out.renumbered += 1;
                }
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM dossier_event WHERE id = ?1)",
                    [&id],
                    |r| r.get(0),
                )?;
                if !known {
                    insert_event(tx, event, now)?;
                }
                tx.execute(
                    "INSERT INTO outbox (seq, event_id) VALUES (?1, ?2)",
                    params![seq, id],
                )?;
                touched.insert(event.dossier.to_string());
                out.events += 1;
            }
            refold(tx, touched, now)?;
            if last > 0 {
                tx.execute(
                    "UPDATE sync_state SET acked_seq = max(acked_seq, ?1) WHERE id = 1",
                    [last],
                )?;
            }
            Ok(out)
        })
    }

    /// A sync has compared this database with the centre: intake may go on.
    pub fn clear_restored_flag(&mut self) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = ?1", [RESTORED_KEY])?;
            Ok(())
        })
    }
}

/// Refuses a recovered receipt whose code this desk has given to another dossier.
fn check_receipt_is_free(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    if !matches!(event.body, EventBody::Received { .. }) {
        return Ok(());
    }
    let other: Option<String> = tx
        .query_row(
            "SELECT id FROM dossier_event WHERE dossier_code = ?1 AND kind = 'received' AND id <> ?2",
            params![event.dossier.to_string(), event.id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    match other {
        None => Ok(()),
        Some(_) => Err(StoreError::Invalid(format!(
            "Mã hồ sơ {} đã được máy này cấp cho một hồ sơ khác sau khi khôi phục bản sao lưu, trong khi trung tâm giữ hồ sơ cùng mã do máy này tiếp nhận trước đó. Không ghi gì; hãy liên hệ quản trị trung tâm để cấp lại mã cho một trong hai hồ sơ.",
            event.dossier
        ))),
    }
}

/// Moves the local event at `seq` (written after the restore, never sent) to the end
/// of the series, past everything the centre holds. `true` if there was one.
fn move_local_event(tx: &Transaction<'_>, seq: i64, centre_acked: i64) -> Result<bool> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE seq = ?1)",
        [seq],
        |r| r.get(0),
    )?;
    if !taken {
        return Ok(false);
    }
    tx.execute(
        "UPDATE outbox SET seq = max((SELECT max(seq) FROM outbox) + 1, ?2) WHERE seq = ?1",
        params![seq, centre_acked + 1],
    )?;
    Ok(true)
}
