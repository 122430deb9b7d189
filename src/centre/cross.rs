//! Cross-commune dossiers at the centre (issue 23; the rules are `domain::handover`).
//!
//! A dossier received at unit A for unit B has a row in `cross_dossier` from its
//! receipt on. Its events stay in the partition of the unit that wrote them; each is
//! also numbered in the other unit's feed (`shared_feed`), so both units' desks see
//! every step. Before a push or a centre-side step touches such a dossier, the feed
//! rows of both units are locked, always in unit order, so two units' pushes about the
//! same dossier wait for each other instead of deadlocking.

use std::collections::{BTreeSet, HashMap};

use deadpool_postgres::GenericClient;

use crate::centre::error::ApiError;
use crate::domain::event::{Event, EventBody};
use crate::domain::handover::DossierUnits;
use crate::domain::unit::UnitCode;
use crate::sync::protocol::OutboxEvent;

/// A cross-commune dossier as the centre knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cross {
    pub receiving: UnitCode,
    pub deciding: UnitCode,
    pub handed_over: bool,
}

impl Cross {
    pub fn units(&self) -> DossierUnits<'_> {
        DossierUnits::new(&self.receiving, Some(&self.deciding), self.handed_over)
    }

    /// The unit of the dossier that is not `unit`.
    pub fn partner(&self, unit: &str) -> &UnitCode {
        if self.receiving.as_str() == unit {
            &self.deciding
        } else {
            &self.receiving
        }
    }
}

/// Cross-commune dossiers by code.
pub type Known = HashMap<String, Cross>;

fn unit(raw: &str) -> Result<UnitCode, ApiError> {
    UnitCode::parse(raw).map_err(|e| ApiError::Internal(format!("mã đơn vị hỏng: {e}")))
}

/// The cross-commune dossiers among `codes`, with whether each was handed over (its
/// receiving unit's `transferred`, read in that unit's partition).
pub async fn load(tx: &impl GenericClient, codes: &[String]) -> Result<Known, ApiError> {
    if codes.is_empty() {
        return Ok(Known::new());
    }
    let rows = tx
        .query(
            "SELECT c.dossier_code, c.receiving_unit, c.deciding_unit,
                    EXISTS (SELECT 1 FROM event e
                            WHERE e.unit_code = c.receiving_unit
                              AND e.dossier_code = c.dossier_code
                              AND e.kind = 'transferred')
             FROM cross_dossier c WHERE c.dossier_code = ANY($1)",
            &[&codes],
        )
        .await?;
    let mut out = Known::with_capacity(rows.len());
    for r in rows {
        out.insert(
            r.get(0),
            Cross {
                receiving: unit(r.get(1))?,
                deciding: unit(r.get(2))?,
                handed_over: r.get(3),
            },
        );
    }
    Ok(out)
}

/// The codes of a batch, each once.
pub fn codes(events: &[OutboxEvent]) -> Vec<String> {
    let set: BTreeSet<String> = events.iter().map(|e| e.event.dossier.to_string()).collect();
    set.into_iter().collect()
}

/// The units a push by `own` must lock: its own, the other unit of every known
/// cross-commune dossier of the batch, and the deciding unit a receipt names.
pub fn units_to_lock(own: &str, events: &[OutboxEvent], known: &Known) -> BTreeSet<String> {
    let mut units = BTreeSet::from([own.to_string()]);
    for item in events {
        let code = item.event.dossier.to_string();
        if let Some(c) = known.get(&code) {
            units.insert(c.partner(own).to_string());
        }
        if let EventBody::Received {
            deciding_unit: Some(d),
            ..
        } = &item.event.body
        {
            units.insert(d.to_string());
        }
    }
    units
}

/// Locks the feed rows of `units` in unit order (see the module comment); returns the
/// units that exist. `must` has to be among them.
pub async fn lock_units(
    tx: &impl GenericClient,
    units: &BTreeSet<String>,
    must: &str,
) -> Result<BTreeSet<String>, ApiError> {
    let wanted: Vec<&str> = units.iter().map(String::as_str).collect();
    let locked: BTreeSet<String> = tx
        .query(
            "SELECT unit_code FROM unit_feed WHERE unit_code = ANY($1)
             ORDER BY unit_code FOR UPDATE",
            &[&wanted],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if !locked.contains(must) {
        return Err(ApiError::BadRequest(format!(
            "đơn vị {must} chưa có trên trung tâm; thêm đơn vị bằng `motcua-centre unit add`"
        )));
    }
    Ok(locked)
}

/// 403 unless every dossier of another unit in the batch is a cross-commune dossier
/// this unit decides: a desk still cannot write into a unit that is neither its own
/// nor the dossier's deciding unit (the handover itself is checked per event).
pub fn check_foreign(own: &str, events: &[OutboxEvent], known: &Known) -> Result<(), ApiError> {
    for (i, item) in events.iter().enumerate() {
        let dossier = &item.event.dossier;
        if dossier.unit().as_str() == own {
            continue;
        }
        let decided_here = known
            .get(&dossier.to_string())
            .is_some_and(|c| c.deciding.as_str() == own);
        if !decided_here {
            return Err(ApiError::Forbidden(format!(
                "events[{i}]: hồ sơ {dossier} không thuộc đơn vị {own} của quầy này"
            )));
        }
    }
    Ok(())
}

/// The procedures among `codes` the province lets any commune receive.
pub async fn flagged_procedures(
    tx: &impl GenericClient,
    codes: &[String],
) -> Result<BTreeSet<String>, ApiError> {
    if codes.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(tx
        .query(
            "SELECT procedure_code FROM cross_procedure WHERE procedure_code = ANY($1)",
            &[&codes],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Records the cross-commune receipts among `events` (accepted, written by `own`).
pub async fn record_receipts(
    tx: &impl GenericClient,
    own: &str,
    events: &[&Event],
) -> Result<(), ApiError> {
    for e in events {
        if let EventBody::Received {
            deciding_unit: Some(d),
            ..
        } = &e.body
            && d.as_str() != own
        {
            tx.execute(
                "INSERT INTO cross_dossier (dossier_code, receiving_unit, deciding_unit)
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&e.dossier.to_string(), &own, &d.as_str()],
            )
            .await?;
        }
    }
    Ok(())
}

/// Numbers the events of cross-commune dossiers among `events` (written by `own`) in
/// the other unit's feed. The caller holds both units' rows. An event already shared
/// (a retry) keeps its first number; the number taken for it is a gap.
pub async fn share(
    tx: &impl GenericClient,
    own: &str,
    events: &[&Event],
    known: &Known,
) -> Result<(), ApiError> {
    let mut by_partner: HashMap<String, Vec<&Event>> = HashMap::new();
    for e in events {
        if let Some(c) = known.get(&e.dossier.to_string()) {
            by_partner
                .entry(c.partner(own).to_string())
                .or_default()
                .push(e);
        }
    }
    for (partner, events) in by_partner {
        let first = crate::centre::feed::take_numbers(tx, &partner, events.len() as i64).await?;
        for (i, e) in events.iter().enumerate() {
            let body = serde_json::to_string(e)
                .map_err(|err| ApiError::Internal(format!("không mã hóa được sự kiện: {err}")))?;
            tx.execute(
                "INSERT INTO shared_feed (unit_code, feed_seq, event_id, dossier_code, kind, body)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &partner,
                    &(first + i as i64),
                    &e.id.0,
                    &e.dossier.to_string(),
                    &e.body.kind().as_str(),
                    &body,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// After a batch's receipts are accepted: the cross-commune dossiers they open, as
/// [`Known`] entries, so the rest of the batch (and the sharing) sees them.
pub fn learn(known: &mut Known, own: &UnitCode, event: &Event) {
    match &event.body {
        EventBody::Received {
            deciding_unit: Some(d),
            ..
        } if d != own => {
            known.insert(
                event.dossier.to_string(),
                Cross {
                    receiving: own.clone(),
                    deciding: d.clone(),
                    handed_over: false,
                },
            );
        }
        EventBody::Transferred { .. } => {
            if let Some(c) = known.get_mut(&event.dossier.to_string())
                && &c.receiving == own
            {
                c.handed_over = true;
            }
        }
        _ => {}
    }
}

/// Locks the feed rows a step on one dossier needs (its unit's, and the other unit's
/// when it is cross-commune), in unit order; returns what is known of it.
pub async fn lock_dossier(
    tx: &impl GenericClient,
    code: &str,
    unit: &str,
) -> Result<Known, ApiError> {
    let known = load(tx, &[code.to_string()]).await?;
    let mut units = BTreeSet::from([unit.to_string()]);
    units.extend(known.values().map(|c| c.partner(unit).to_string()));
    lock_units(tx, &units, unit).await?;
    Ok(known)
}

/// Replaces the province's list of procedures any commune may receive, in one
/// transaction: a procedure dropped from the list is no longer accepted for another
/// unit (dossiers already received keep their deciding unit). Returns how many.
pub async fn import_procedures(
    client: &mut deadpool_postgres::Client,
    codes: &[crate::domain::procedure::ProcedureCode],
    decision: &str,
    audit: Option<&crate::centre::audit::Entry<'_>>,
) -> Result<usize, ApiError> {
    let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
    let tx = client.transaction().await?;
    tx.execute("DELETE FROM cross_procedure", &[]).await?;
    tx.execute(
        "INSERT INTO cross_procedure (procedure_code, decision)
         SELECT unnest($1::text[]), $2",
        &[&codes, &decision],
    )
    .await?;
    if let Some(entry) = audit {
        crate::centre::audit::log(&tx, entry).await?;
    }
    tx.commit().await?;
    Ok(codes.len())
}
