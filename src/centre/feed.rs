//! Push and pull against PostgreSQL.
//!
//! Push inserts a desk's batch in one transaction with `ON CONFLICT DO NOTHING`, so a
//! batch sent twice (a cut response, a retry) changes nothing the second time; it then
//! answers the highest seq up to which the desk's series has no gap. An id or seq that
//! clashes with a *different* event is a conflict: the whole batch rolls back and the
//! clash is reported (`conflicts`).
//!
//! # One feed per unit (issue 23)
//!
//! Each unit has its own feed, numbered by its row in `unit_feed` (`next_seq`). A
//! transaction that adds to a unit's feed (a push, a centre-side step, a catalogue or
//! calendar update, which adds to every unit) first locks that row ([`cross::lock_units`], which also locks the other unit's row
//! of a cross-commune dossier, always in unit order) and
//! keeps the lock until it commits or rolls back; it takes its numbers from the row
//! ([`take_numbers`]). Pushes of different units lock different rows: nothing is
//! shared between units, and a slow transaction in unit A never delays unit B.
//!
//! Why a pull never skips a number that commits late: within one unit, numbers are
//! handed out only to the holder of the unit's row lock, and the next holder gets the
//! row only after the previous one has committed or rolled back (PostgreSQL re-reads
//! the updated row then, so it continues after the numbers already taken). So a unit's
//! numbers become visible in increasing order: when a reader sees number n, every
//! smaller number of the unit is already visible or will never be (rolled back: a gap
//! no one fills). A desk's cursor `after = n` is then safe. The same holds for the
//! official updates: they are numbered in each unit's feed (`unit_official`) under that
//! unit's row lock, taken in unit order so two publications cannot deadlock. This is
//! the per-unit form of open-mSupply's answer to the same problem (a cursor must not
//! pass a number whose transaction is still open, their PRs #11947 and #12036): here no
//! number can be open below a visible one, so the reader needs no horizon at all.
//!
//! Compatibility: migration 0005 keeps every old feed number as the item's position in
//! its unit's feed and starts each unit above the highest old number, so the cursor of
//! a desk of an older version (the old global number) is already a cursor of its unit.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::centre::auth::AuthedDesk;
use crate::centre::conflicts::{self, Clash, find_clash};
use crate::centre::cross;
use crate::centre::error::ApiError;
use crate::centre::notices;
use crate::centre::quarantine;
use crate::domain::clock::now_vn;
use crate::domain::event::{Event, EventBody};
use crate::sync::protocol::{FeedBody, FeedItem, MAX_PULL_BYTES, OutboxEvent, RefusedEvent};

/// Checks a batch before anything is written: 403 for another unit's dossier or
/// another machine's event, 400 for a malformed sequence.
pub fn check_batch(desk: &AuthedDesk, events: &[OutboxEvent]) -> Result<(), ApiError> {
    let origin = desk.desk_id.to_string();
    let mut previous = 0i64;
    for (i, item) in events.iter().enumerate() {
        if item.seq < 1 {
            return Err(ApiError::BadRequest(format!(
                "events[{i}].seq phải là số nguyên dương (nhận {})",
                item.seq
            )));
        }
        if item.seq <= previous {
            return Err(ApiError::BadRequest(format!(
                "events[{i}].seq = {} không tăng dần (sau {previous})",
                item.seq
            )));
        }
        previous = item.seq;
        // Another unit's dossier: only a receipt is refused here; the other steps
        // may be of a cross-commune dossier this unit decides (`cross::check_foreign`).
        if item.event.dossier.unit().as_str() != desk.unit_code
            && matches!(item.event.body, EventBody::Received { .. })
        {
            return Err(ApiError::Forbidden(format!(
                "events[{i}]: hồ sơ {} không thuộc đơn vị {} của quầy này",
                item.event.dossier, desk.unit_code
            )));
        }
        if item.event.origin != origin {
            return Err(ApiError::Forbidden(format!(
                "events[{i}]: sự kiện do máy khác ghi ({}), quầy chỉ được gửi sự kiện của mình",
                item.event.origin
            )));
        }
    }
    Ok(())
}

/// Takes `n` consecutive numbers of the unit's feed; returns the first. The caller
/// holds the unit's row ([`cross::lock_units`]).
pub(crate) async fn take_numbers(
    tx: &impl GenericClient,
    unit: &str,
    n: i64,
) -> Result<i64, ApiError> {
    Ok(tx
        .query_one(
            "UPDATE unit_feed SET next_seq = next_seq + $2 WHERE unit_code = $1
             RETURNING next_seq - $2",
            &[&unit, &n],
        )
        .await?
        .get(0))
}

/// Inserts one event if new. `Ok(true)` if inserted, `Ok(false)` if the very same
/// event (same id, same desk+seq) was already held.
pub async fn insert_event(
    tx: &impl GenericClient,
    event: &Event,
    desk: Option<(Uuid, i64)>,
) -> Result<bool, ApiError> {
    let body = serde_json::to_string(event)
        .map_err(|e| ApiError::Internal(format!("không mã hóa được sự kiện: {e}")))?;
    let at: DateTime<Utc> = event.at.with_timezone(&Utc);
    let (desk_id, desk_seq) = (desk.map(|d| d.0), desk.map(|d| d.1));
    let unit = event.dossier.unit().as_str();
    let known = cross::lock_dossier(tx, &event.dossier.to_string(), unit).await?;
    let number = take_numbers(tx, unit, 1).await?;
    let inserted = tx
        .execute(
            "INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, desk_id, desk_seq,
                                body, feed_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT DO NOTHING",
            &[
                &event.id.0,
                &unit,
                &event.dossier.to_string(),
                &event.body.kind().as_str(),
                &at,
                &event.origin,
                &desk_id,
                &desk_seq,
                &body,
                &number,
            ],
        )
        .await?;
    if inserted == 1 {
        cross::share(tx, unit, &[event], &known).await?;
        notices::outbox::enqueue(tx, event).await?;
        return Ok(true);
    }
    let same = tx
        .query_opt(
            "SELECT 1 FROM event WHERE unit_code = $4 AND id = $1
                 AND desk_id IS NOT DISTINCT FROM $2 AND desk_seq IS NOT DISTINCT FROM $3",
            &[&event.id.0, &desk_id, &desk_seq, &unit],
        )
        .await?;
    if same.is_some() {
        return Ok(false);
    }
    Err(ApiError::Conflict(match desk_seq {
        Some(seq) => format!(
            "sự kiện số {seq} (hồ sơ {}) trùng mã sự kiện, số thứ tự hoặc mã hồ sơ với dữ liệu khác đã có trên trung tâm; không ghi gì từ lô này",
            event.dossier
        ),
        None => format!("hồ sơ {} đã có sự kiện này", event.dossier),
    }))
}

/// Inserts a desk's batch with one statement (arrays unnested server-side: one round
/// trip instead of one per event). Returns how many were new; an event that was not
/// inserted must be the very same one already held, else the batch is a clash.
async fn insert_desk_batch(
    tx: &impl GenericClient,
    desk: &AuthedDesk,
    events: &[OutboxEvent],
) -> Result<Result<u64, Clash>, ApiError> {
    let n = events.len();
    let (mut ids, mut units, mut codes, mut kinds, mut ats, mut origins, mut seqs, mut bodies) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for item in events {
        let e = &item.event;
        ids.push(e.id.0);
        // The writer's unit: a step of a cross-commune dossier decided here is kept
        // with this desk's series (its ack and restore read one partition).
        units.push(desk.unit_code.clone());
        codes.push(e.dossier.to_string());
        kinds.push(e.body.kind().as_str());
        ats.push(e.at.with_timezone(&Utc));
        origins.push(e.origin.as_str());
        seqs.push(item.seq);
        bodies.push(
            serde_json::to_string(e)
                .map_err(|err| ApiError::Internal(format!("không mã hóa được sự kiện: {err}")))?,
        );
    }
    if n == 0 {
        return Ok(Ok(0));
    }
    let first = take_numbers(tx, &desk.unit_code, n as i64).await?;
    let inserted = tx
        .query(
            "INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, desk_id, desk_seq,
                                body, feed_seq)
             SELECT t.id, t.unit, t.code, t.kind, t.at, t.origin, $9, t.seq, t.body,
                    $10 + t.i - 1
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                         $6::text[], $7::int8[], $8::text[]) WITH ORDINALITY
                  AS t(id, unit, code, kind, at, origin, seq, body, i)
             ON CONFLICT DO NOTHING
             RETURNING id",
            &[
                &ids,
                &units,
                &codes,
                &kinds,
                &ats,
                &origins,
                &seqs,
                &bodies,
                &desk.desk_id,
                &first,
            ],
        )
        .await?;
    let fresh = inserted.len();
    let new_ids: std::collections::HashSet<Uuid> = inserted.iter().map(|r| r.get(0)).collect();
    // The notices of the events stored now, in this transaction: a re-pushed batch
    // stores nothing new and so queues nothing twice.
    for item in events.iter().filter(|i| new_ids.contains(&i.event.id.0)) {
        notices::outbox::enqueue(tx, &item.event).await?;
    }
    if fresh == n {
        return Ok(Ok(fresh as u64));
    }
    // A retry: the rest must already be here under the same desk and seq.
    let rest: Vec<&OutboxEvent> = events
        .iter()
        .filter(|i| !new_ids.contains(&i.event.id.0))
        .collect();
    match find_clash(tx, desk, &rest).await? {
        None => Ok(Ok(fresh as u64)),
        Some(clash) => Ok(Err(clash)),
    }
}

/// What a push did.
#[derive(Debug, Clone, Default)]
pub struct Pushed {
    pub acked: i64,
    pub inserted: u64,
    /// Events of the batch the centre refused (quarantined now or before).
    pub refused: Vec<RefusedEvent>,
}

/// Stores a desk's batch: the events that pass the trust checks into the feed, the
/// others into quarantine, and advances the ack over both. One transaction.
pub async fn push(
    client: &mut deadpool_postgres::Client,
    desk: &AuthedDesk,
    events: &[OutboxEvent],
) -> Result<Pushed, ApiError> {
    let tx = client.transaction().await?;
    // The unit's row (and the other unit's of a cross-commune dossier), not a
    // province-wide lock: the screening below sees every event of these units
    // committed before it, and nothing of them commits meanwhile. A dossier's cross
    // row is written once with its receipt, so reading it before the lock is safe.
    let mut known = cross::load(&tx, &cross::codes(events)).await?;
    let wanted = cross::units_to_lock(&desk.unit_code, events, &known);
    let units = cross::lock_units(&tx, &wanted, &desk.unit_code).await?;
    cross::check_foreign(&desk.unit_code, events, &known)?;
    // Reread under the locks: a handover may have committed meanwhile.
    known = cross::load(&tx, &cross::codes(events)).await?;
    let province = quarantine::Province {
        known: &mut known,
        units: &units,
    };
    let screened = quarantine::screen(&tx, desk, events, province, now_vn()).await?;
    let inserted = match insert_desk_batch(&tx, desk, &screened.accepted).await? {
        Ok(n) => n,
        Err(clash) => {
            // Nothing of the batch stays; the report is written after the rollback.
            tx.rollback().await?;
            conflicts::record(&*client, desk, &clash).await?;
            return Err(ApiError::Conflict(clash.message()));
        }
    };
    let accepted: Vec<&Event> = screened.accepted.iter().map(|i| &i.event).collect();
    cross::record_receipts(&tx, &desk.unit_code, &accepted).await?;
    cross::share(&tx, &desk.unit_code, &accepted, &known).await?;
    let mut refused = screened.already;
    refused.extend(quarantine::record(&tx, desk, &screened.refused).await?);
    let mut acked: i64 = tx
        .query_one(
            "SELECT acked_seq FROM desk WHERE desk_id = $1 FOR UPDATE",
            &[&desk.desk_id],
        )
        .await?
        .get(0);
    // Walk the series forward from the old ack while there is no gap; a quarantined
    // seq is held too (the desk must not be stuck behind it).
    loop {
        let rows = tx
            .query(
                "SELECT desk_seq FROM event
                     WHERE unit_code = $3 AND desk_id = $1 AND desk_seq > $2
                 UNION ALL
                 SELECT desk_seq FROM quarantine WHERE desk_id = $1 AND desk_seq > $2
                 ORDER BY 1 LIMIT 1000",
                &[&desk.desk_id, &acked, &desk.unit_code],
            )
            .await?;
        let before = acked;
        for row in &rows {
            let seq: i64 = row.get(0);
            if seq != acked + 1 {
                break;
            }
            acked = seq;
        }
        if acked == before || rows.len() < 1000 {
            break;
        }
    }
    tx.execute(
        "UPDATE desk SET acked_seq = $2 WHERE desk_id = $1",
        &[&desk.desk_id, &acked],
    )
    .await?;
    tx.commit().await?;
    Ok(Pushed {
        acked,
        inserted,
        refused,
    })
}

/// The acknowledged seq and the id of the event at it.
pub async fn acked(
    client: &deadpool_postgres::Client,
    desk: &AuthedDesk,
) -> Result<(i64, Option<Uuid>), ApiError> {
    let row = client
        .query_one(
            "SELECT d.acked_seq, coalesce(e.id, q.event_id) FROM desk d
             LEFT JOIN event e ON e.unit_code = d.unit_code AND e.desk_id = d.desk_id
                                  AND e.desk_seq = d.acked_seq
             LEFT JOIN quarantine q ON q.desk_id = d.desk_id AND q.desk_seq = d.acked_seq
             WHERE d.desk_id = $1",
            &[&desk.desk_id],
        )
        .await?;
    Ok((row.get(0), row.get(1)))
}

/// The desk's own events the centre holds with `after < seq <= acked`, in seq order:
/// what a desk restored from an old backup takes back. Quarantined seqs are gaps (the
/// desk never numbers anything under them again). Returns them and the ack.
pub async fn own(
    client: &deadpool_postgres::Client,
    desk: &AuthedDesk,
    after: i64,
    limit: i64,
) -> Result<(Vec<OutboxEvent>, i64), ApiError> {
    let (acked, _) = acked(client, desk).await?;
    let rows = client
        .query(
            "SELECT desk_seq, body FROM event
             WHERE unit_code = $5 AND desk_id = $1 AND desk_seq > $2 AND desk_seq <= $3
             ORDER BY desk_seq LIMIT $4",
            &[&desk.desk_id, &after, &acked, &limit, &desk.unit_code],
        )
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let seq: i64 = row.get(0);
        let event = serde_json::from_str(row.get::<_, &str>(1))
            .map_err(|e| ApiError::Internal(format!("sự kiện số {seq} của quầy hỏng: {e}")))?;
        events.push(OutboxEvent { seq, event });
    }
    Ok((events, acked))
}

/// The pull's query: `$1` the unit, `$2` after, `$3` the desk's origin, `$4` the page's
/// item limit, `$5` its byte limit. Every part names the unit, so PostgreSQL reads one
/// partition of `event` (public for the `EXPLAIN` test).
pub const PULL_SQL: &str = "SELECT feed_seq, kind, body, total FROM (
                 SELECT feed_seq, kind, body, count(*) OVER () AS total,
                        sum(octet_length(body)) OVER (ORDER BY feed_seq) - octet_length(body)
                            AS before
                 FROM (
                     SELECT feed_seq, 'event' AS kind, body FROM event
                         WHERE unit_code = $1 AND feed_seq > $2 AND origin <> $3
                     UNION ALL
                     SELECT f.feed_seq, o.kind, o.body FROM unit_official f
                         JOIN official_update o ON o.feed_seq = f.update_id
                         WHERE f.unit_code = $1 AND f.feed_seq > $2
                     UNION ALL
                     SELECT feed_seq, 'event' AS kind, body FROM shared_feed
                         WHERE unit_code = $1 AND feed_seq > $2
                     ORDER BY 1 LIMIT $4
                 ) page
             ) sized
             WHERE before < $5
             ORDER BY feed_seq";

/// One page of the unit's feed after `after`: other machines' events of the unit, the
/// events of cross-commune dossiers another unit shares with it (`cross`), and
/// the official updates as numbered in the unit's feed, in feed order, at most `limit`
/// items and, past the first item, at most [`MAX_PULL_BYTES`] of bodies (summed in SQL
/// from the stored sizes, so the centre never loads more than that). Returns the items and whether more
/// are waiting.
pub async fn pull(
    client: &deadpool_postgres::Client,
    desk: &AuthedDesk,
    after: i64,
    limit: i64,
) -> Result<(Vec<FeedItem>, bool), ApiError> {
    let origin = desk.desk_id.to_string();
    let max_bytes = MAX_PULL_BYTES as i64;
    let rows = client
        .query(
            PULL_SQL,
            &[&desk.unit_code, &after, &origin, &limit, &max_bytes],
        )
        .await?;
    let total: i64 = rows.first().map_or(0, |r| r.get(3));
    let more = total == limit || (rows.len() as i64) < total;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let seq: i64 = row.get(0);
        let kind: &str = row.get(1);
        let body: &str = row.get(2);
        let bad = |e: serde_json::Error| ApiError::Internal(format!("mục {seq} hỏng: {e}"));
        let body = match kind {
            "event" => FeedBody::Event {
                event: serde_json::from_str(body).map_err(bad)?,
            },
            "catalogue" => FeedBody::Catalogue {
                procedures: serde_json::from_str(body).map_err(bad)?,
            },
            _ => FeedBody::Calendar {
                entries: serde_json::from_str(body).map_err(bad)?,
            },
        };
        items.push(FeedItem { seq, body });
    }
    Ok((items, more))
}
