//! The centre trusts a desk only inside what it owns (design §6, "Trust").
//!
//! Before a push is inserted, each event the centre does not already hold is screened:
//! its times and texts ([`trust::check_event`]), a receipt's number inside the pushing
//! desk's range, and any other event only for a dossier the centre holds (or that this
//! batch receives first), and for a cross-commune dossier only from the unit that
//! writes it now (`domain::handover`). An event that fails is not dropped and does not block the
//! rest: it goes to `quarantine` with the reason, its seq counts as acknowledged, and
//! the desk is told in the answer's `refused` list. Resending it is idempotent.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use serde::Serialize;
use uuid::Uuid;

use crate::centre::auth::AuthedDesk;
use crate::centre::cross::{self, Known};
use crate::centre::error::ApiError;
use crate::domain::clock::Timestamp;
use crate::domain::dossier_code::DeskIndex;
use crate::domain::event::EventBody;
use crate::domain::handover::DossierUnits;
use crate::domain::trust;
use crate::domain::unit::UnitCode;
use crate::sync::protocol::{OutboxEvent, RefusedEvent};

/// A batch split into what may be inserted and what is refused.
#[derive(Debug, Default)]
pub struct Screened<'a> {
    pub accepted: Vec<OutboxEvent>,
    /// Refused now: to be written to `quarantine`.
    pub refused: Vec<(&'a OutboxEvent, String)>,
    /// Refused earlier and sent again: reported again, nothing written.
    pub already: Vec<RefusedEvent>,
}

/// What the screening knows of the province beside the desk's own unit.
#[derive(Debug)]
pub struct Province<'k> {
    /// The cross-commune dossiers of the batch; receipts and handovers accepted are
    /// added as the batch goes.
    pub known: &'k mut Known,
    /// The units of the batch that exist on the centre.
    pub units: &'k BTreeSet<String>,
}

/// What one event is checked against.
struct Context<'c> {
    unit: &'c UnitCode,
    index: DeskIndex,
    dossiers: &'c HashSet<String>,
    known: &'c Known,
    units: &'c BTreeSet<String>,
    flagged: &'c BTreeSet<String>,
}

/// Screens a batch inside the push transaction (under the units' feed locks).
pub async fn screen<'a>(
    tx: &impl GenericClient,
    desk: &AuthedDesk,
    events: &'a [OutboxEvent],
    province: Province<'_>,
    now: Timestamp,
) -> Result<Screened<'a>, ApiError> {
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    let held: HashSet<i64> = tx
        .query(
            "SELECT desk_seq FROM event
             WHERE unit_code = $3 AND desk_id = $1 AND desk_seq = ANY($2)",
            &[&desk.desk_id, &seqs, &desk.unit_code],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let quarantined: HashMap<i64, (Uuid, String, String)> = tx
        .query(
            "SELECT desk_seq, event_id, dossier_code, reason FROM quarantine
             WHERE desk_id = $1 AND desk_seq = ANY($2)",
            &[&desk.desk_id, &seqs],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();
    let codes: Vec<String> = events
        .iter()
        .filter(|e| !matches!(e.event.body, EventBody::Received { .. }))
        .map(|e| e.event.dossier.to_string())
        .collect();
    let mut dossiers: HashSet<String> = tx
        .query(
            "SELECT dossier_code FROM event
             WHERE unit_code = $2 AND kind = 'received' AND dossier_code = ANY($1)",
            &[&codes, &desk.unit_code],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let index = DeskIndex::new(desk.desk_index)
        .map_err(|e| ApiError::Internal(format!("chỉ số quầy hỏng: {e}")))?;
    let unit = UnitCode::parse(&desk.unit_code)
        .map_err(|e| ApiError::Internal(format!("mã đơn vị của quầy hỏng: {e}")))?;
    let procedures: Vec<String> = events
        .iter()
        .filter_map(|e| match &e.event.body {
            EventBody::Received {
                content,
                deciding_unit: Some(_),
                ..
            } => Some(content.procedure.code.to_string()),
            _ => None,
        })
        .collect();
    let flagged = cross::flagged_procedures(tx, &procedures).await?;

    let mut out = Screened::default();
    for item in events {
        if held.contains(&item.seq) {
            // Already inserted: the insert sees a retry (or names the clash).
            out.accepted.push(item.clone());
            continue;
        }
        if let Some((id, dossier, reason)) = quarantined.get(&item.seq) {
            if *id != item.event.id.0 {
                return Err(ApiError::Conflict(format!(
                    "sự kiện số {} đã được trung tâm cách ly với một sự kiện khác; không ghi gì từ lô này",
                    item.seq
                )));
            }
            out.already.push(RefusedEvent {
                seq: item.seq,
                event: *id,
                dossier: dossier.clone(),
                reason: reason.clone(),
            });
            continue;
        }
        let context = Context {
            unit: &unit,
            index,
            dossiers: &dossiers,
            known: province.known,
            units: province.units,
            flagged: &flagged,
        };
        match check(item, &context, now) {
            Ok(()) => {
                if matches!(item.event.body, EventBody::Received { .. }) {
                    dossiers.insert(item.event.dossier.to_string());
                }
                cross::learn(province.known, &unit, &item.event);
                out.accepted.push(item.clone());
            }
            Err(reason) => out.refused.push((item, trust::safe_reason(&reason))),
        }
    }
    Ok(out)
}

fn check(item: &OutboxEvent, c: &Context<'_>, now: Timestamp) -> Result<(), String> {
    trust::check_event(&item.event, now)?;
    let code = item.event.dossier.to_string();
    match &item.event.body {
        EventBody::Received {
            content,
            deciding_unit,
            ..
        } => {
            trust::check_receipt_range(&item.event.dossier, c.index)?;
            match deciding_unit {
                Some(d) if d != c.unit => check_cross_receipt(d, &content.procedure.code, c),
                _ => Ok(()),
            }
        }
        body => {
            let units = match c.known.get(&code) {
                Some(cross) => cross.units(),
                None if c.dossiers.contains(&code) => DossierUnits::new(c.unit, None, false),
                None => {
                    return Err(format!(
                        "Trung tâm chưa có hồ sơ {code} (chưa có sự kiện tiếp nhận)"
                    ));
                }
            };
            units.check_write(c.unit, body.kind())
        }
    }
}

/// A receipt for another unit: that unit is of the province, and the procedure is on
/// the province's list of those any commune may receive.
fn check_cross_receipt(
    deciding: &UnitCode,
    procedure: &impl std::fmt::Display,
    c: &Context<'_>,
) -> Result<(), String> {
    if !c.units.contains(deciding.as_str()) {
        return Err(format!(
            "Đơn vị giải quyết {deciding} chưa có trên trung tâm của tỉnh"
        ));
    }
    if !c.flagged.contains(&procedure.to_string()) {
        return Err(format!(
            "Thủ tục {procedure} không thuộc danh mục tiếp nhận không phụ thuộc địa giới \
             hành chính của tỉnh: chỉ đơn vị giải quyết được tiếp nhận"
        ));
    }
    Ok(())
}

/// Writes the refused events and warns in the log (ids and reasons only).
pub async fn record(
    tx: &impl GenericClient,
    desk: &AuthedDesk,
    refused: &[(&OutboxEvent, String)],
) -> Result<Vec<RefusedEvent>, ApiError> {
    let mut out = Vec::with_capacity(refused.len());
    for (item, reason) in refused {
        let body = serde_json::to_string(&item.event)
            .map_err(|e| ApiError::Internal(format!("không mã hóa được sự kiện: {e}")))?;
        let code = item.event.dossier.to_string();
        tx.execute(
            "INSERT INTO quarantine (desk_id, unit_code, desk_seq, event_id, dossier_code, kind,
                                     reason, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &desk.desk_id,
                &desk.unit_code,
                &item.seq,
                &item.event.id.0,
                &code,
                &item.event.body.kind().as_str(),
                reason,
                &body,
            ],
        )
        .await?;
        tracing::warn!(
            desk = %desk.desk_id,
            seq = item.seq,
            dossier = %code,
            reason = %reason,
            "sự kiện bị cách ly"
        );
        out.push(RefusedEvent {
            seq: item.seq,
            event: item.event.id.0,
            dossier: code,
            reason: reason.clone(),
        });
    }
    Ok(out)
}

/// One quarantined event, as `motcua-centre quarantine` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarantineRow {
    pub quarantined_at: DateTime<Utc>,
    pub desk_id: Uuid,
    pub unit_code: String,
    pub seq: i64,
    pub event_id: Uuid,
    pub dossier_code: String,
    pub kind: String,
    pub reason: String,
}

/// Quarantined events of a unit (or every unit), oldest first.
pub async fn list(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<QuarantineRow>, ApiError> {
    let rows = client
        .query(
            "SELECT quarantined_at, desk_id, unit_code, desk_seq, event_id, dossier_code, kind,
                    reason
             FROM quarantine WHERE $1::text IS NULL OR unit_code = $1
             ORDER BY quarantined_at, id",
            &[&unit],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| QuarantineRow {
            quarantined_at: r.get(0),
            desk_id: r.get(1),
            unit_code: r.get(2),
            seq: r.get(3),
            event_id: r.get(4),
            dossier_code: r.get(5),
            kind: r.get(6),
            reason: r.get(7),
        })
        .collect())
}
