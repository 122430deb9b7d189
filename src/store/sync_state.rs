//! The desk's side of sync in the store: enrollment, the outbox read for pushing, the
//! acknowledged seq, and applying pulled pages.
//!
//! A pulled page is applied in one transaction together with its cursor: either the
//! whole page and the new cursor are written, or neither, so a cut at any moment means
//! the next pull simply asks again from the old cursor. Events are inserted only when
//! their id is new (merging is a set union), then their dossier is refolded.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::event::Event;
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::{SearchIndex, insert_event, refold_with};
use crate::store::{calendar, catalogue};

/// Set (in the page's own transaction) while pulled pages wait for the search index
/// to be rebuilt: the desk is catching up on its unit's whole feed.
pub const SEARCH_STALE_KEY: &str = "search_index_stale_since";
/// The centre's epoch the desk last pulled under (the centre's restored-backup guard).
pub const CENTRE_EPOCH_KEY: &str = "centre_epoch";

/// The record lives in the domain (the sync status words are a rule over it).
pub use crate::domain::sync_state::SyncState;

/// Where and how to reach the centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    pub centre_url: String,
    pub token: String,
}

/// One pulled item, as the store applies it.
#[derive(Debug, Clone)]
pub enum PulledItem {
    Event(Box<Event>),
    Catalogue(Vec<crate::domain::procedure::Procedure>),
    Calendar(Vec<crate::domain::calendar::CalendarEntry>),
    /// An item that failed the desk's checks: recorded, not applied; the cursor passes it.
    Refused {
        event_id: Option<String>,
        dossier: Option<String>,
        reason: String,
    },
}

/// Which way a refused item travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// One of this desk's events, quarantined by the centre.
    Push,
    /// An item of the centre's feed this desk would not apply.
    Pull,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::Push => "push",
            Direction::Pull => "pull",
        }
    }
}

/// An item refused by sync, as `motcua sync status` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    pub direction: String,
    pub seq: i64,
    pub event_id: Option<String>,
    pub dossier_code: Option<String>,
    pub reason: String,
    pub recorded_at: String,
}

/// What a pulled page changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Events this desk did not have.
    pub new_events: u64,
    /// Catalogue and calendar updates.
    pub updates: u64,
    /// Items refused (not applied; the cursor passed them).
    pub refused: u64,
}

impl Store {
    pub fn sync_state(&self) -> Result<SyncState> {
        let last_seq: i64 =
            self.conn()
                .query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))?;
        self.conn()
            .query_row(
                "SELECT centre_url, coalesce(desk_token, '') <> '', enrolled_at, acked_seq, pull_cursor,
                        last_push_at, last_pull_at, last_error, clock_offset_ms,
                        (SELECT count(*) FROM sync_refused)
                 FROM sync_state WHERE id = 1",
                [],
                |r| {
                    let cursor: Option<String> = r.get(4)?;
                    Ok(SyncState {
                        centre_url: r.get(0)?,
                        enrolled: r.get(1)?,
                        enrolled_at: r.get(2)?,
                        acked_seq: r.get(3)?,
                        last_seq,
                        pull_cursor: cursor.and_then(|c| c.parse().ok()).unwrap_or(0),
                        last_push_at: r.get(5)?,
                        last_pull_at: r.get(6)?,
                        last_error: r.get(7)?,
                        clock_offset_ms: r.get(8)?,
                        refused: r.get(9)?,
                    })
                },
            )
            .map_err(StoreError::from)
    }

    pub fn enrollment(&self) -> Result<Option<Enrollment>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT centre_url, desk_token FROM sync_state
                 WHERE id = 1 AND centre_url IS NOT NULL AND desk_token IS NOT NULL
                       AND desk_token <> ''",
                [],
                |r| {
                    Ok(Enrollment {
                        centre_url: r.get(0)?,
                        token: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores a new enrollment. The acknowledged seq and the cursor start again: the
    /// centre tells the real acknowledged seq before the first push.
    pub fn set_enrollment(&mut self, e: &Enrollment, now: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_state SET centre_url = ?1, desk_token = ?2, enrolled_at = ?3,
                     acked_seq = 0, pull_cursor = NULL, last_error = NULL WHERE id = 1",
                params![e.centre_url, e.token, format_rfc3339(now)],
            )?;
            Ok(())
        })
    }

    /// Own events with seq in (after, after+limit], in order.
    pub fn outbox_after(&self, after: i64, limit: usize) -> Result<Vec<(i64, Event)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT o.seq, e.event FROM outbox o JOIN dossier_event e ON e.id = o.event_id
             WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, json) = row?;
            let event =
                serde_json::from_str(&json).map_err(|e| StoreError::decode("sự kiện", e))?;
            out.push((seq, event));
        }
        Ok(out)
    }

    /// The id of this desk's own event number `seq`, if it has one.
    pub fn outbox_event_id(&self, seq: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT event_id FROM outbox WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Records the centre's acknowledgement (never beyond what this desk wrote).
    pub fn set_acked(&mut self, acked: i64, now: Option<Timestamp>) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_state SET
                     acked_seq = min(?1, (SELECT coalesce(max(seq), 0) FROM outbox)),
                     last_push_at = coalesce(?2, last_push_at)
                 WHERE id = 1",
                params![acked, now.map(format_rfc3339)],
            )?;
            Ok(())
        })
    }

    /// Applies one pulled page and its cursor in one transaction, keeping the search
    /// index up to date row by row.
    pub fn apply_pull_page(
        &mut self,
        items: &[(i64, PulledItem)],
        next_cursor: i64,
        now: Timestamp,
    ) -> Result<Applied> {
        self.apply_pull_page_with(items, next_cursor, now, SearchIndex::RowByRow)
    }

    /// Applies one pulled page and its cursor in one transaction. With
    /// [`SearchIndex::RebuildLater`] (a desk catching up on its unit's whole feed) the
    /// search index is left for [`Store::finish_pull`], and the same transaction marks
    /// it stale, so a cut at any moment leaves a mark the next round acts on.
    pub fn apply_pull_page_with(
        &mut self,
        items: &[(i64, PulledItem)],
        next_cursor: i64,
        now: Timestamp,
        index: SearchIndex,
    ) -> Result<Applied> {
        self.write(|tx| {
            let mut applied = Applied::default();
            let mut touched = std::collections::BTreeSet::new();
            for (seq, item) in items {
                match item {
                    PulledItem::Event(event) => {
                        if apply_event(tx, *seq, event, now, &mut applied)? {
                            touched.insert(event.dossier.to_string());
                        }
                    }
                    PulledItem::Catalogue(procedures) => {
                        catalogue::upsert(tx, procedures, now)?;
                        applied.updates += 1;
                    }
                    PulledItem::Calendar(entries) => {
                        calendar::replace_years(tx, entries, "centre")?;
                        applied.updates += 1;
                    }
                    PulledItem::Refused {
                        event_id,
                        dossier,
                        reason,
                    } => {
                        record_refused(
                            tx,
                            Direction::Pull,
                            *seq,
                            event_id.as_deref(),
                            dossier.as_deref(),
                            reason,
                            now,
                        )?;
                        applied.refused += 1;
                    }
                }
            }
            if index == SearchIndex::RebuildLater && !touched.is_empty() {
                tx.prepare_cached(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO NOTHING",
                )?
                .execute(params![SEARCH_STALE_KEY, format_rfc3339(now)])?;
            }
            refold_with(tx, touched, now, index)?;
            tx.prepare_cached(
                "UPDATE sync_state SET pull_cursor = ?1, last_pull_at = ?2 WHERE id = 1",
            )?
            .execute(params![next_cursor.to_string(), format_rfc3339(now)])?;
            Ok(applied)
        })
    }

    /// A restored centre serves its feed again from `start` (its restored-backup
    /// guard): the numbers after it may now name other events, so the centre's numbers
    /// this desk kept past it are forgotten. The page served again numbers them anew.
    pub fn forget_feed_numbers_after(&mut self, start: i64) -> Result<usize> {
        self.write(|tx| {
            Ok(tx
                .prepare_cached("UPDATE dossier_event SET server_seq = NULL WHERE server_seq > ?1")?
                .execute(params![start])?)
        })
    }

    /// The centre's epoch the desk last pulled under (`None` before the first pull
    /// from a centre with the restored-backup guard).
    pub fn centre_epoch(&self) -> Result<Option<uuid::Uuid>> {
        Ok(self
            .setting(CENTRE_EPOCH_KEY)?
            .and_then(|v| uuid::Uuid::parse_str(&v).ok()))
    }

    /// Keeps the centre's epoch of a page applied (see [`Store::centre_epoch`]).
    pub fn set_centre_epoch(&mut self, epoch: uuid::Uuid) -> Result<()> {
        self.set_setting(CENTRE_EPOCH_KEY, &epoch.to_string())
    }

    /// Whether pulled pages were applied without the search index (see
    /// [`Store::apply_pull_page_with`]) and it still has to be rebuilt.
    pub fn search_index_stale(&self) -> Result<bool> {
        Ok(self.setting(SEARCH_STALE_KEY)?.is_some())
    }

    /// Rebuilds the search index after pages applied with
    /// [`SearchIndex::RebuildLater`], and clears the mark, in one transaction. Nothing
    /// to do (and cheap) when no such page was applied.
    pub fn finish_pull(&mut self) -> Result<()> {
        if !self.search_index_stale()? {
            return Ok(());
        }
        self.write(|tx| {
            crate::store::search::rebuild_index(tx)?;
            tx.execute("DELETE FROM settings WHERE key = ?1", [SEARCH_STALE_KEY])?;
            Ok(())
        })
    }

    /// Records this desk's events the centre refused (quarantined), once per seq.
    pub fn record_push_refusals(
        &mut self,
        refused: &[crate::domain::sync_state::RefusedEvent],
        now: Timestamp,
    ) -> Result<()> {
        self.write(|tx| {
            for r in refused {
                record_refused(
                    tx,
                    Direction::Push,
                    r.seq,
                    Some(&r.event.to_string()),
                    Some(&r.dossier),
                    // The centre's words, kept as shown: cut, escaped, masked.
                    &crate::domain::trust::safe_reason(&r.reason),
                    now,
                )?;
            }
            Ok(())
        })
    }

    /// Items sync refused, newest first.
    pub fn refused_items(&self, limit: usize) -> Result<Vec<Refused>> {
        let mut stmt = self.conn().prepare(
            "SELECT direction, seq, event_id, dossier_code, reason, recorded_at
             FROM sync_refused ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(Refused {
                direction: r.get(0)?,
                seq: r.get(1)?,
                event_id: r.get(2)?,
                dossier_code: r.get(3)?,
                reason: r.get(4)?,
                recorded_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Remembers the outcome of a round: the error (or none) and the clock offset.
    pub fn record_sync_outcome(
        &mut self,
        error: Option<&str>,
        clock_offset_ms: Option<i64>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_state SET last_error = ?1,
                     clock_offset_ms = coalesce(?2, clock_offset_ms) WHERE id = 1",
                params![error, clock_offset_ms],
            )?;
            Ok(())
        })
    }

    /// The calendar may have changed under a pulled page: read it again when next asked.
    pub fn forget_cached_calendar(&mut self) {
        self.calendar = std::cell::OnceCell::new();
    }
}

/// Applies one checked event of a pulled page; `true` when it was new. An event the
/// desk already holds only gets its feed number; one UPDATE tells both apart.
fn apply_event(
    tx: &rusqlite::Transaction<'_>,
    seq: i64,
    event: &Event,
    now: Timestamp,
    applied: &mut Applied,
) -> Result<bool> {
    let id = event.id.to_string();
    let mut numbered =
        tx.prepare_cached("UPDATE dossier_event SET server_seq = ?2 WHERE id = ?1")?;
    if numbered.execute(params![id, seq])? > 0 {
        return Ok(false);
    }
    if let Some(reason) = second_receipt(tx, event)? {
        record_refused(
            tx,
            Direction::Pull,
            seq,
            Some(&id),
            Some(&event.dossier.to_string()),
            &reason,
            now,
        )?;
        applied.refused += 1;
        return Ok(false);
    }
    insert_event(tx, event, now)?;
    numbered.execute(params![id, seq])?;
    applied.new_events += 1;
    Ok(true)
}

/// A pulled receipt for a dossier this desk already holds under another receipt: one
/// receipt per code, ever; a second one is refused, never a replacement of the citizen.
fn second_receipt(tx: &rusqlite::Transaction<'_>, event: &Event) -> Result<Option<String>> {
    if !matches!(event.body, crate::domain::event::EventBody::Received { .. }) {
        return Ok(None);
    }
    let held: Option<String> = tx
        .prepare_cached(
            "SELECT id FROM dossier_event WHERE dossier_code = ?1 AND kind = 'received'
             AND id <> ?2 LIMIT 1",
        )?
        .query_row(
            params![event.dossier.to_string(), event.id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(h) = held {
        return Ok(Some(format!(
            "Hồ sơ {} đã có sự kiện tiếp nhận {h}; sự kiện tiếp nhận thứ hai không được áp dụng",
            event.dossier
        )));
    }
    crate::store::book::numbers_taken(tx, event)
}

fn record_refused(
    tx: &rusqlite::Transaction<'_>,
    direction: Direction,
    seq: i64,
    event_id: Option<&str>,
    dossier: Option<&str>,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_refused (direction, seq, event_id, dossier_code, reason, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (direction, seq) DO NOTHING",
    )?
    .execute(params![
        direction.as_str(),
        seq,
        event_id,
        dossier,
        reason,
        format_rfc3339(now)
    ])?;
    Ok(())
}
