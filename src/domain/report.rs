//! Biểu 06/VPCP/KSTT: how many dossiers a unit received, resolved and still holds in a
//! period, per field (lĩnh vực) and procedure, with the on-time rate leaders are judged by.
//!
//! The rules (domain.md §8, as production one-stop systems apply them):
//! - **received**: carried over (received before the period, not yet resolved when it
//!   began) or received in the period, online or in person/by post;
//! - **resolved** in the period (a result, or closed without one) and **pending** at the
//!   end of the period, classed by the one on-time rule, [`crate::domain::on_time`],
//!   with the period's end as the cut-off.
//!
//! Times are canonical RFC 3339 strings at +07:00 (how the store writes them), which
//! sort chronologically as text: whether a dossier touches the period is decided on
//! the text; only the moments the on-time rule compares are parsed.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use thiserror::Error;

use crate::domain::clock::Timestamp;
use crate::domain::dossier::Channel;
use crate::domain::on_time::{Finish, Progress, Supplements, finish_of, judge};
use crate::domain::status::{Status, Timeliness};

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("Ngày bắt đầu {from} sau ngày kết thúc {to}")]
    Reversed { from: String, to: String },
    #[error("Kỳ báo cáo '{0}' không hợp lệ: dùng dạng 2026-Q1 (quý) hoặc 2026 (năm)")]
    Preset(String),
    #[error(
        "Kỳ báo cáo '{0}' không hợp lệ: dùng dạng 2026-05 (tháng), 2026-Q2 (quý) hoặc 2026 (năm)"
    )]
    Named(String),
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError::Reversed {
                from: from.format("%d/%m/%Y").to_string(),
                to: to.format("%d/%m/%Y").to_string(),
            });
        }
        Ok(Period { from, to })
    }

    /// `2026` (the year) or `2026-Q3` (a quarter).
    pub fn preset(s: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::Preset(s.to_string());
        let (year, quarter) = match s.trim().split_once(['-', ' ']) {
            Some((y, q)) => (y, Some(q.trim_start_matches(['Q', 'q']))),
            None => (s.trim(), None),
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        let (first_month, last_month) = match quarter {
            None => (1, 12),
            Some(q) => match q.parse::<u32>() {
                Ok(q @ 1..=4) => (q * 3 - 2, q * 3),
                _ => return Err(bad()),
            },
        };
        let from = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or_else(bad)?;
        let next = if last_month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, last_month + 1, 1)
        }
        .ok_or_else(bad)?;
        Period::new(from, next.pred_opt().ok_or_else(bad)?)
    }

    /// A month (`2026-05`), a quarter (`2026-Q2`) or a year (`2026`): the periods the
    /// centre's console offers. Two digits after the dash are a month, never a quarter.
    pub fn named(s: &str) -> Result<Period, PeriodError> {
        // The text is echoed in the error: a few characters are enough to recognise it.
        let bad = || PeriodError::Named(s.trim().chars().take(24).collect());
        let t = s.trim();
        let month = t
            .split_once('-')
            .filter(|(y, m)| y.len() == 4 && m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()));
        let Some((year, month)) = month else {
            return Period::preset(t).map_err(|_| bad());
        };
        let (year, month): (i32, u32) = (
            year.parse().map_err(|_| bad())?,
            month.parse().map_err(|_| bad())?,
        );
        let from = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .ok_or_else(bad)?;
        Period::new(from, next.pred_opt().ok_or_else(bad)?)
    }

    /// First instant of the period, as canonical text.
    pub fn start_key(&self) -> String {
        crate::domain::clock::day_key(self.from)
    }

    /// First instant after the period, as canonical text.
    pub fn end_key(&self) -> String {
        let next = self.to.succ_opt().unwrap_or(self.to);
        crate::domain::clock::day_key(next)
    }

    pub fn describe_vi(&self) -> String {
        format!(
            "Từ ngày {} đến ngày {}",
            self.from.format("%d/%m/%Y"),
            self.to.format("%d/%m/%Y")
        )
    }

    pub fn year(&self) -> i32 {
        self.to.year()
    }
}

/// What the report needs of one dossier (its projection row).
#[derive(Debug, Clone, Copy)]
pub struct DossierFacts<'a> {
    pub channel: Channel,
    pub status: Status,
    pub received_at: &'a str,
    pub due_at: &'a str,
    pub result_ready_at: Option<&'a str>,
    pub returned_at: Option<&'a str>,
    pub closed_at: Option<&'a str>,
    /// The supplement facts of the fold (`DossierState`): the second request, the
    /// open request, the seconds waited in ended ones.
    pub second_supplement_at: Option<&'a str>,
    pub waiting_since: Option<&'a str>,
    pub supplement_wait_secs: i64,
}

impl<'a> DossierFacts<'a> {
    /// Facts with no supplement, for a dossier's projection moments.
    pub fn new(channel: Channel, status: Status, received_at: &'a str, due_at: &'a str) -> Self {
        DossierFacts {
            channel,
            status,
            received_at,
            due_at,
            result_ready_at: None,
            returned_at: None,
            closed_at: None,
            second_supplement_at: None,
            waiting_since: None,
            supplement_wait_secs: 0,
        }
    }

    /// What the on-time rule reads, parsed; `None` when a stored time is not RFC 3339.
    pub fn progress(&self) -> Option<Progress> {
        let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
        let opt = |s: Option<&str>| match s {
            Some(s) => parse(s).map(Some),
            None => Some(None),
        };
        let finish = match finish_of(self.result_ready_at, self.returned_at, self.closed_at) {
            Some(Finish::Result(at)) => Some(Finish::Result(parse(at)?)),
            Some(Finish::NoResult(at)) => Some(Finish::NoResult(parse(at)?)),
            None => None,
        };
        Some(Progress {
            due: parse(self.due_at)?,
            finish,
            supplements: Supplements {
                second_request_at: opt(self.second_supplement_at)?,
                waiting_since: opt(self.waiting_since)?,
                waited_secs: self.supplement_wait_secs,
            },
        })
    }
}

/// The counts of one line of the report (a procedure, a field, or the whole unit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub carried_over: u64,
    pub received_online: u64,
    pub received_direct: u64,
    pub resolved_early: u64,
    pub resolved_on_time: u64,
    pub resolved_late: u64,
    pub pending_in_time: u64,
    pub pending_late: u64,
}

impl Counts {
    /// Tổng số nhận giải quyết: carried over plus received in the period.
    pub fn received_total(&self) -> u64 {
        self.carried_over + self.received_online + self.received_direct
    }

    pub fn resolved_total(&self) -> u64 {
        self.resolved_early + self.resolved_on_time + self.resolved_late
    }

    pub fn pending_total(&self) -> u64 {
        self.pending_in_time + self.pending_late
    }

    /// Share of resolved dossiers resolved by their appointment (Biểu 06's rate); None
    /// when none.
    pub fn on_time_rate(&self) -> Option<f64> {
        let resolved = self.resolved_total();
        (resolved > 0)
            .then(|| (self.resolved_early + self.resolved_on_time) as f64 / resolved as f64)
    }

    pub fn add(&mut self, other: &Counts) {
        self.carried_over += other.carried_over;
        self.received_online += other.received_online;
        self.received_direct += other.received_direct;
        self.resolved_early += other.resolved_early;
        self.resolved_on_time += other.resolved_on_time;
        self.resolved_late += other.resolved_late;
        self.pending_in_time += other.pending_in_time;
        self.pending_late += other.pending_late;
    }
}

/// A period's bounds as canonical text, computed once for a whole report, and the
/// moment open dossiers are judged at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodKeys {
    start: String,
    end: String,
    /// The period's end, or the report's moment when the period has not ended yet:
    /// a dossier due after today is not late today.
    judged_at: Timestamp,
}

/// The first instant after the period.
fn end_instant(p: &Period) -> Timestamp {
    let next = p.to.succ_opt().unwrap_or(p.to);
    crate::domain::clock::from_wall(next.and_time(chrono::NaiveTime::MIN))
}

impl PeriodKeys {
    /// The keys of `p` for a report made at `now`.
    pub fn at(p: &Period, now: Timestamp) -> Self {
        PeriodKeys {
            start: p.start_key(),
            end: p.end_key(),
            judged_at: now.min(end_instant(p)),
        }
    }
}

impl PeriodKeys {
    /// The moment open dossiers are judged at.
    pub fn judged_at(&self) -> Timestamp {
        self.judged_at
    }

    /// Whether a dossier received at `received_at` was received in the period.
    pub fn received_in(&self, received_at: &str) -> bool {
        received_at >= self.start.as_str() && received_at < self.end.as_str()
    }
}

impl From<&Period> for PeriodKeys {
    /// The keys of a period judged at its end (a report made after it).
    fn from(p: &Period) -> Self {
        PeriodKeys {
            start: p.start_key(),
            end: p.end_key(),
            judged_at: end_instant(p),
        }
    }
}

/// Where one dossier counts in a period, or `None` when it is outside it.
pub fn contribution(facts: &DossierFacts<'_>, keys: &PeriodKeys) -> Option<Counts> {
    let (start, end) = (keys.start.as_str(), keys.end.as_str());
    if facts.received_at >= end {
        return None;
    }
    let finished = finish_of(facts.result_ready_at, facts.returned_at, facts.closed_at);
    let finished_at = finished.map(|f| match f {
        Finish::Result(at) | Finish::NoResult(at) => at,
    });
    if finished_at.is_some_and(|at| at < start) {
        return None;
    }
    let mut c = Counts::default();
    if facts.received_at < start {
        c.carried_over = 1;
    } else if facts.channel == Channel::Online {
        c.received_online = 1;
    } else {
        c.received_direct = 1;
    }
    let mut progress = facts.progress()?;
    // Finished after the period: still open at its end.
    if finished_at.is_some_and(|at| at >= end) {
        progress.finish = None;
    }
    match judge(&progress, keys.judged_at) {
        Timeliness::Early => c.resolved_early = 1,
        Timeliness::OnTime => c.resolved_on_time = 1,
        Timeliness::Late => c.resolved_late = 1,
        Timeliness::PendingInTime => c.pending_in_time = 1,
        Timeliness::PendingLate => c.pending_late = 1,
    }
    Some(c)
}

/// One procedure's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureLine {
    pub code: String,
    pub name: String,
    pub counts: Counts,
}

/// A field (lĩnh vực) with its procedures and subtotal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldGroup {
    pub field: String,
    pub procedures: Vec<ProcedureLine>,
    pub subtotal: Counts,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub unit_name: String,
    /// Đơn vị nhận báo cáo: by default the unit's cơ quan chủ quản.
    #[serde(default)]
    pub recipient: String,
    pub period: Period,
    pub groups: Vec<FieldGroup>,
    pub total: Counts,
    /// "Nhận hộ": dossiers received in the period for another unit of the province,
    /// counted at that unit, not in these figures (`domain::handover::counted_at`).
    #[serde(default)]
    pub received_for_others: u64,
}

impl Report {
    /// Groups per-procedure counts by field, both sorted by name (Vietnamese folding).
    pub fn assemble(
        unit_name: String,
        period: Period,
        lines: Vec<(String, ProcedureLine)>,
    ) -> Report {
        use std::collections::BTreeMap;
        let mut by_field: BTreeMap<String, Vec<ProcedureLine>> = BTreeMap::new();
        for (field, line) in lines {
            by_field.entry(field).or_default().push(line);
        }
        let mut total = Counts::default();
        let mut groups: Vec<FieldGroup> = by_field
            .into_iter()
            .map(|(field, mut procedures)| {
                procedures.sort_by_key(|p| p.code.clone());
                let mut subtotal = Counts::default();
                for p in &procedures {
                    subtotal.add(&p.counts);
                }
                total.add(&subtotal);
                FieldGroup {
                    field,
                    procedures,
                    subtotal,
                }
            })
            .collect();
        groups.sort_by_key(|g| crate::domain::text::fold(&g.field));
        Report {
            unit_name,
            recipient: String::new(),
            period,
            groups,
            total,
            received_for_others: 0,
        }
    }
}

/// The same report from folded dossiers, as the centre builds it.
#[path = "report_fold.rs"]
pub mod fold;

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
