//! Desks that contradict what the centre holds.
//!
//! A push whose event lands on a seq, event id or dossier receipt the centre already
//! holds with *different* data is refused whole (409). Before answering, the centre
//! names the first clash, writes it to `desk_conflicts` (outside the refused
//! transaction, so the report survives the rollback) and logs a warning. Neither
//! carries personal data: ids, numbers and the dossier code only.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use serde::Serialize;
use uuid::Uuid;

use crate::centre::auth::AuthedDesk;
use crate::centre::error::ApiError;
use crate::sync::protocol::OutboxEvent;

/// What the sent event collides with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClashKind {
    /// The desk's seq already holds another event.
    Seq,
    /// The event id is already held under another desk or seq.
    EventId,
    /// The dossier code was already received as another dossier.
    Receipt,
}

impl ClashKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClashKind::Seq => "seq",
            ClashKind::EventId => "event_id",
            ClashKind::Receipt => "receipt",
        }
    }

    fn label_vi(self) -> &'static str {
        match self {
            ClashKind::Seq => "số thứ tự đã có sự kiện khác",
            ClashKind::EventId => "mã sự kiện đã có ở vị trí khác",
            ClashKind::Receipt => "mã hồ sơ đã được tiếp nhận cho hồ sơ khác",
        }
    }
}

/// The first event of a refused batch that contradicts the centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub kind: ClashKind,
    pub seq: i64,
    pub sent_event: Uuid,
    pub held_event: Option<Uuid>,
    pub dossier_code: String,
}

impl Clash {
    /// The 409 message for the desk.
    pub fn message(&self) -> String {
        format!(
            "sự kiện số {} (hồ sơ {}) mâu thuẫn với dữ liệu đã có trên trung tâm: {}; không ghi gì từ lô này",
            self.seq,
            self.dossier_code,
            self.kind.label_vi()
        )
    }
}

/// Names the first event of `events` that was not inserted and is not the very same
/// event already held. `None` when every one of them is a harmless retry.
pub async fn find_clash(
    tx: &impl GenericClient,
    desk: &AuthedDesk,
    events: &[&OutboxEvent],
) -> Result<Option<Clash>, ApiError> {
    for item in events {
        let sent = item.event.id.0;
        let at_seq: Option<Uuid> = tx
            .query_opt(
                "SELECT id FROM event WHERE unit_code = $3 AND desk_id = $1 AND desk_seq = $2",
                &[&desk.desk_id, &item.seq, &desk.unit_code],
            )
            .await?
            .map(|r| r.get(0));
        let clash = |kind, held| Clash {
            kind,
            seq: item.seq,
            sent_event: sent,
            held_event: held,
            dossier_code: item.event.dossier.to_string(),
        };
        match at_seq {
            Some(held) if held == sent => continue,
            Some(held) => return Ok(Some(clash(ClashKind::Seq, Some(held)))),
            None => {}
        }
        let id_held = tx
            .query_opt(
                "SELECT 1 FROM event WHERE unit_code = $2 AND id = $1",
                &[&sent, &desk.unit_code],
            )
            .await?;
        if id_held.is_some() {
            return Ok(Some(clash(ClashKind::EventId, Some(sent))));
        }
        // Neither seq nor id is taken: the unique receipt per dossier code refused it.
        let receipt: Option<Uuid> = tx
            .query_opt(
                "SELECT id FROM event
                 WHERE unit_code = $2 AND dossier_code = $1 AND kind = 'received'",
                &[&item.event.dossier.to_string(), &desk.unit_code],
            )
            .await?
            .map(|r| r.get(0));
        return Ok(Some(clash(ClashKind::Receipt, receipt)));
    }
    Ok(None)
}

/// Keeps the clash for the operators and warns in the log.
pub async fn record(
    client: &impl GenericClient,
    desk: &AuthedDesk,
    clash: &Clash,
) -> Result<(), ApiError> {
    client
        .execute(
            "INSERT INTO desk_conflicts (desk_id, unit_code, kind, seq, sent_event, held_event,
                                         dossier_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &desk.desk_id,
                &desk.unit_code,
                &clash.kind.as_str(),
                &clash.seq,
                &clash.sent_event,
                &clash.held_event,
                &clash.dossier_code,
            ],
        )
        .await?;
    tracing::warn!(
        desk = %desk.desk_id,
        unit = %desk.unit_code,
        kind = clash.kind.as_str(),
        seq = clash.seq,
        dossier = %clash.dossier_code,
        "quầy gửi sự kiện mâu thuẫn với dữ liệu đã có; lô bị từ chối"
    );
    Ok(())
}

/// One recorded conflict, as `motcua-centre conflicts` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictRow {
    pub detected_at: DateTime<Utc>,
    pub desk_id: Uuid,
    pub unit_code: String,
    pub kind: String,
    pub seq: i64,
    pub sent_event: Uuid,
    pub held_event: Option<Uuid>,
    pub dossier_code: String,
}

/// Conflicts detected since `since` (all when `None`), oldest first.
pub async fn list(
    client: &impl GenericClient,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<ConflictRow>, ApiError> {
    let rows = client
        .query(
            "SELECT detected_at, desk_id, unit_code, kind, seq, sent_event, held_event,
                    dossier_code
             FROM desk_conflicts
             WHERE $1::timestamptz IS NULL OR detected_at >= $1
             ORDER BY detected_at, id",
            &[&since],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| ConflictRow {
            detected_at: r.get(0),
            desk_id: r.get(1),
            unit_code: r.get(2),
            kind: r.get(3),
            seq: r.get(4),
            sent_event: r.get(5),
            held_event: r.get(6),
            dossier_code: r.get(7),
        })
        .collect())
}

/// How many conflicts a unit (or every unit) has had.
pub async fn count(client: &impl GenericClient, unit: Option<&str>) -> Result<i64, ApiError> {
    Ok(client
        .query_one(
            "SELECT count(*) FROM desk_conflicts WHERE $1::text IS NULL OR unit_code = $1",
            &[&unit],
        )
        .await?
        .get(0))
}
