//! Biểu 06 from folded dossiers (`DossierState`): the centre's way to the report the
//! desk builds from its projection rows (`store::report`). Both reach the same
//! [`DossierFacts`] — the desk's columns are written from these very fields by
//! `clock::format_rfc3339` — and the same [`contribution`], so a unit's figures at the
//! centre are the desk's figures (issue 21).
//!
//! A dossier is counted once, at the unit that decides it
//! (`handover::counted_at`, issue 23); the receiving unit sees it as "nhận hộ".

use std::collections::BTreeMap;

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::dossier::{Channel, DossierState};
use crate::domain::handover;
use crate::domain::report::{
    Counts, DossierFacts, Period, PeriodKeys, ProcedureLine, Report, contribution,
};
use crate::domain::status::Status;
use crate::domain::unit::UnitCode;

/// The texts of a folded dossier's moments, as the desk's projection stores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateFacts {
    channel: Channel,
    status: Status,
    received_at: String,
    due_at: String,
    result_ready_at: Option<String>,
    returned_at: Option<String>,
    closed_at: Option<String>,
    second_supplement_at: Option<String>,
    waiting_since: Option<String>,
    supplement_wait_secs: i64,
}

impl StateFacts {
    pub fn of(state: &DossierState) -> StateFacts {
        let text = |t: Option<Timestamp>| t.map(format_rfc3339);
        StateFacts {
            channel: state.content.channel,
            status: state.status,
            received_at: format_rfc3339(state.content.received_at),
            due_at: format_rfc3339(state.due_at),
            result_ready_at: text(state.result_ready_at),
            returned_at: text(state.returned_at),
            closed_at: text(state.closed_at),
            second_supplement_at: text(state.second_supplement_at),
            waiting_since: text(state.waiting_since),
            supplement_wait_secs: state.supplement_wait_secs,
        }
    }

    /// What the report reads, borrowed from these texts.
    pub fn facts(&self) -> DossierFacts<'_> {
        DossierFacts {
            channel: self.channel,
            status: self.status,
            received_at: &self.received_at,
            due_at: &self.due_at,
            result_ready_at: self.result_ready_at.as_deref(),
            returned_at: self.returned_at.as_deref(),
            closed_at: self.closed_at.as_deref(),
            second_supplement_at: self.second_supplement_at.as_deref(),
            waiting_since: self.waiting_since.as_deref(),
            supplement_wait_secs: self.supplement_wait_secs,
        }
    }
}

/// One procedure's running line: its field and name as the latest dossier received
/// under it names them (a renamed procedure keeps one line), and its counts.
#[derive(Debug, Clone)]
struct Running {
    received_at: Timestamp,
    field: String,
    name: String,
    counts: Counts,
}

/// Biểu 06 being summed, dossier by dossier.
#[derive(Debug, Clone)]
pub struct Tally {
    keys: PeriodKeys,
    per_procedure: BTreeMap<String, Running>,
    received_for_others: u64,
}

impl Tally {
    /// An empty report of `period` made at `now` (open dossiers of a period that has
    /// not ended are judged at `now`, as at the desk).
    pub fn new(period: &Period, now: Timestamp) -> Tally {
        Tally {
            keys: PeriodKeys::at(period, now),
            per_procedure: BTreeMap::new(),
            received_for_others: 0,
        }
    }

    /// Adds one dossier where it counts, if it touches the period.
    pub fn add(&mut self, state: &DossierState) {
        let facts = StateFacts::of(state);
        let Some(c) = contribution(&facts.facts(), &self.keys) else {
            return;
        };
        let p = &state.content.procedure;
        let at = state.content.received_at;
        let line = self
            .per_procedure
            .entry(p.code.as_str().to_string())
            .or_insert_with(|| Running {
                received_at: at,
                field: p.field.clone(),
                name: p.name.clone(),
                counts: Counts::default(),
            });
        if at > line.received_at {
            line.received_at = at;
            line.field = p.field.clone();
            line.name = p.name.clone();
        }
        line.counts.add(&c);
    }

    /// Notes a dossier the unit received in the period for another unit ("nhận hộ").
    pub fn add_received_for_other(&mut self, state: &DossierState) {
        if self
            .keys
            .received_in(&format_rfc3339(state.content.received_at))
        {
            self.received_for_others += 1;
        }
    }

    /// The report, grouped by field, under `unit_name` for `recipient`.
    pub fn into_report(self, unit_name: String, recipient: String, period: Period) -> Report {
        let lines = self
            .per_procedure
            .into_iter()
            .map(|(code, r)| {
                let line = ProcedureLine {
                    code,
                    name: r.name,
                    counts: r.counts,
                };
                (r.field, line)
            })
            .collect();
        Report {
            recipient,
            received_for_others: self.received_for_others,
            ..Report::assemble(unit_name, period, lines)
        }
    }
}

/// Whose figures a report holds.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// One unit: the dossiers it decides; those it received for another unit are
    /// "nhận hộ".
    Unit(&'a UnitCode),
    /// The province: every dossier, once.
    Province,
}

/// Biểu 06 of `scope` over folded dossiers for `period`, made at `now`.
pub fn tally(states: &[DossierState], scope: Scope<'_>, period: &Period, now: Timestamp) -> Tally {
    let mut t = Tally::new(period, now);
    for state in states {
        t.add_for(state, scope);
    }
    t
}

impl Tally {
    /// Adds one dossier to the report of `scope`: where it counts, or as "nhận hộ".
    pub fn add_for(&mut self, state: &DossierState, scope: Scope<'_>) {
        let (receiving, deciding) = (state.code.unit(), state.deciding_unit.as_ref());
        match scope {
            Scope::Province => self.add(state),
            Scope::Unit(unit) if handover::counted_at(receiving, deciding) == unit => {
                self.add(state)
            }
            Scope::Unit(unit) if handover::received_for_other(unit, receiving, deciding) => {
                self.add_received_for_other(state)
            }
            Scope::Unit(_) => {}
        }
    }
}

#[cfg(test)]
#[path = "report_fold_tests.rs"]
mod tests;
