//! Counts per unit and status with the on-time rate (`motcua-centre stats`) and the
//! QĐ 766 scorecards of the console, from the centre's merged log.

use std::collections::BTreeMap;

use deadpool_postgres::GenericClient;
use serde::Serialize;

use super::folded;
use crate::centre::error::ApiError;
use crate::domain::clock::{Timestamp, now_vn};
use crate::domain::dossier::DossierState;
use crate::domain::handover;
use crate::domain::lifecycle::classify;
use crate::domain::report::Period;
use crate::domain::scorecard::{self, ScoreDossier, Scorecard};
use crate::domain::status::Timeliness;

#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitStats {
    pub unit: String,
    pub dossiers: u64,
    /// National status code → count.
    pub by_status: BTreeMap<u8, u64>,
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
    pub pending_in_time: u64,
    pub pending_late: u64,
    /// (early + on time) / resolved, in percent; none when nothing is resolved.
    pub on_time_rate: Option<f64>,
    /// "Nhận hộ": dossiers this unit received for another unit of the province, which
    /// are counted there, not here (`domain::handover::counted_at`).
    #[serde(default)]
    pub received_for_others: u64,
}

pub async fn stats(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<UnitStats>, ApiError> {
    let states: Vec<DossierState> = folded(client, unit)
        .await?
        .into_iter()
        .map(|(state, _)| state)
        .collect();
    let mut stats = stats_of(&states, now_vn());
    // A unit's cross-commune dossiers bring their other unit along: not its figures.
    if let Some(unit) = unit {
        stats.retain(|s| s.unit == unit);
    }
    Ok(stats)
}

/// The unit a dossier is counted at: the deciding unit (issue 23).
fn counted_unit(state: &DossierState) -> String {
    handover::counted_at(state.code.unit(), state.deciding_unit.as_ref()).to_string()
}

/// Counts per unit at `now`, each dossier classed by the one on-time rule, QĐ 766
/// indicator 2.1 (`lifecycle::classify` → `domain::on_time`), the rule of Biểu 06 and
/// of the desk's dashboard.
pub fn stats_of(states: &[DossierState], now: Timestamp) -> Vec<UnitStats> {
    fn entry(per_unit: &mut BTreeMap<String, UnitStats>, unit: String) -> &mut UnitStats {
        per_unit.entry(unit.clone()).or_insert_with(|| UnitStats {
            unit,
            ..UnitStats::default()
        })
    }
    let mut per_unit: BTreeMap<String, UnitStats> = BTreeMap::new();
    for state in states {
        if state.deciding_unit.is_some() {
            entry(&mut per_unit, state.code.unit().to_string()).received_for_others += 1;
        }
        let s = entry(&mut per_unit, counted_unit(state));
        s.dossiers += 1;
        *s.by_status.entry(state.status.code()).or_default() += 1;
        match classify(state, now) {
            Timeliness::Early => s.early += 1,
            Timeliness::OnTime => s.on_time += 1,
            Timeliness::Late => s.late += 1,
            Timeliness::PendingInTime => s.pending_in_time += 1,
            Timeliness::PendingLate => s.pending_late += 1,
        }
    }
    per_unit
        .into_values()
        .map(|mut s| {
            let resolved = s.early + s.on_time + s.late;
            s.on_time_rate =
                (resolved > 0).then(|| 100.0 * (s.early + s.on_time) as f64 / resolved as f64);
            s
        })
        .collect()
}

/// The QĐ 766 scorecard of each unit for `period` at `now`, by the desk's own code
/// (`domain::scorecard`). Every dossier here is synced: the centre holds its receipt.
pub fn scorecards_of(
    states: &[DossierState],
    period: &Period,
    now: Timestamp,
) -> Vec<(String, Scorecard)> {
    let mut per_unit: BTreeMap<String, Vec<ScoreDossier>> = BTreeMap::new();
    for state in states {
        per_unit
            .entry(counted_unit(state))
            .or_default()
            .push(scorecard::of_state(state, true));
    }
    per_unit
        .into_iter()
        .map(|(unit, dossiers)| (unit, scorecard::scorecard(&dossiers, period, now)))
        .collect()
}

/// The scorecard of each unit (of `unit` only when given) and of them all together (the
/// province's figures when no unit is given), read from the events the centre holds.
pub async fn scorecards(
    client: &impl GenericClient,
    unit: Option<&str>,
    period: &Period,
    now: Timestamp,
) -> Result<(Vec<(String, Scorecard)>, Scorecard), ApiError> {
    let states: Vec<DossierState> = folded(client, unit)
        .await?
        .into_iter()
        .map(|(state, _)| state)
        .collect();
    let all: Vec<ScoreDossier> = states
        .iter()
        .map(|s| scorecard::of_state(s, true))
        .collect();
    let total = scorecard::scorecard(&all, period, now);
    Ok((scorecards_of(&states, period, now), total))
}
