//! The dashboard's figures (F5): today's intake, what is due today, what is late,
//! dossiers received per day with how many of them were resolved late, and the
//! dossiers about to become late. Every query is a range on an index of the
//! projection (`dossier_report` on `received_at`, `dossier_status_due` on
//! `(status, due_at)`), so it stays fast on a million dossiers. The on-time rates
//! come from `Store::report`, so they equal the official Biểu 06; the late dossiers
//! per day are classed by the same rule (`domain::on_time`).

use std::sync::atomic::AtomicBool;

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::params;

use crate::domain::clock::{Timestamp, format_rfc3339, to_wall};
use crate::domain::dossier::Channel;
use crate::domain::on_time;
use crate::domain::report::{Counts, DossierFacts, Period};
use crate::domain::scorecard::Scorecard;
use crate::domain::status::{Status, Timeliness};
use crate::domain::urgency::running_code_list;
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// How many days of per-day counts the dashboard keeps: 26 whole weeks (182 days).
pub const HISTORY_DAYS: u64 = 26 * 7;
/// How many dossiers the "about to be late" list shows at most.
pub const DUE_SOON_LIMIT: usize = 100;

pub use crate::domain::clock::day_key;

fn next_day(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

/// Dossiers received on one day, and how many of them were resolved late (by the one
/// on-time rule of Biểu 06, `domain::on_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    pub day: NaiveDate,
    pub received: u64,
    pub resolved_late: u64,
}

/// A pending dossier whose due time is near.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSoon {
    pub code: String,
    pub applicant: String,
    pub procedure_code: String,
    pub status: Status,
    pub due_at: Timestamp,
}

/// Everything the dashboard shows, read in one job.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub received_today: u64,
    /// Pending dossiers (clock running) due today, whether or not the hour has passed.
    pub due_today: u64,
    /// Pending dossiers (clock running) whose due time has passed.
    pub overdue: u64,
    /// Biểu 06 totals of the current month and year (up to their ends).
    pub month: Counts,
    pub year: Counts,
    /// One entry per day, oldest first, ending today; `HISTORY_DAYS` long.
    pub days: Vec<DayCount>,
    pub due_soon: Vec<DueSoon>,
    /// The QĐ 766 indicators of the current month (the province scores monthly).
    pub scorecard: Scorecard,
    /// "Nhận hộ" (issue 23): dossiers received this month for another unit to decide;
    /// counted there, not in `month` and `year`.
    pub received_for_others: u64,
}

impl Store {
    /// Dossiers received in `[from, to)` (days).
    pub fn received_count_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM dossier WHERE received_at >= ?1 AND received_at < ?2",
            params![day_key(from), day_key(to)],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Pending dossiers (clock running) with a due time in `[from, to)`.
    pub fn running_due_between(&self, from: &str, to: &str) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            &format!(
                "SELECT count(*) FROM dossier
                 WHERE status IN ({}) AND due_at >= ?1 AND due_at < ?2",
                running_code_list()
            ),
            params![from, to],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Pending dossiers (clock running) whose due time is before `now`.
    pub fn overdue_count(&self, now: Timestamp) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            &format!(
                "SELECT count(*) FROM dossier WHERE status IN ({}) AND due_at < ?1",
                running_code_list()
            ),
            [format_rfc3339(now)],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Per-day counts for the days `from..=to`, days without dossiers included; late
    /// ones are those finished by `now` and classed late by [`on_time::judge`] (QĐ 766
    /// indicator 2.1).
    pub fn received_per_day(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: Timestamp,
    ) -> Result<Vec<DayCount>> {
        let mut stmt = self.conn().prepare(
            "SELECT received_at, status, due_at, result_ready_at, returned_at, closed_at,
                    second_supplement_at, waiting_since, supplement_wait_secs
             FROM dossier
             WHERE received_at >= ?1 AND received_at < ?2",
        )?;
        let mut found: std::collections::HashMap<String, (u64, u64)> =
            std::collections::HashMap::new();
        let mut rows = stmt.query(params![day_key(from), day_key(next_day(to))])?;
        while let Some(row) = rows.next()? {
            let received: String = row.get(0)?;
            let status: i64 = row.get(1)?;
            let status = u8::try_from(status)
                .ok()
                .and_then(Status::from_code)
                .ok_or_else(|| StoreError::decode("trạng thái hồ sơ", status))?;
            let due: String = row.get(2)?;
            let texts: [Option<String>; 5] = [
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
            ];
            let facts = DossierFacts {
                result_ready_at: texts[0].as_deref(),
                returned_at: texts[1].as_deref(),
                closed_at: texts[2].as_deref(),
                second_supplement_at: texts[3].as_deref(),
                waiting_since: texts[4].as_deref(),
                supplement_wait_secs: row.get(8)?,
                ..DossierFacts::new(Channel::InPerson, status, &received, &due)
            };
            let progress = facts
                .progress()
                .ok_or_else(|| StoreError::decode("thời điểm của hồ sơ", &received))?;
            // Resolved late: finished by now and classed late by the one rule.
            let late = on_time::judge(&progress, now) == Timeliness::Late;
            let entry = found
                .entry(on_time::text_day(&received).to_string())
                .or_default();
            entry.0 += 1;
            entry.1 += u64::from(late);
        }
        let found: std::collections::HashMap<NaiveDate, (u64, u64)> = found
            .into_iter()
            .map(|(day, counts)| {
                NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .map(|d| (d, counts))
                    .map_err(|e| StoreError::decode("ngày tiếp nhận", e))
            })
            .collect::<Result<_>>()?;
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            let (received, resolved_late) = found.get(&day).copied().unwrap_or((0, 0));
            out.push(DayCount {
                day,
                received,
                resolved_late,
            });
            let next = next_day(day);
            if next == day {
                break;
            }
            day = next;
        }
        Ok(out)
    }

    /// Pending dossiers (clock running) due in `[now, until]`, soonest first.
    pub fn due_soon(&self, now: Timestamp, until: Timestamp, limit: usize) -> Result<Vec<DueSoon>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT code, applicant_name, procedure_code, status, due_at FROM dossier
             WHERE status IN ({}) AND due_at >= ?1 AND due_at <= ?2
             ORDER BY due_at, code LIMIT ?3",
            running_code_list()
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![format_rfc3339(now), format_rfc3339(until), limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let status: i64 = row.get(3)?;
            let due: String = row.get(4)?;
            out.push(DueSoon {
                code: row.get(0)?,
                applicant: row.get(1)?,
                procedure_code: row.get(2)?,
                status: u8::try_from(status)
                    .ok()
                    .and_then(Status::from_code)
                    .ok_or_else(|| StoreError::decode("trạng thái hồ sơ", status))?,
                due_at: chrono::DateTime::parse_from_rfc3339(&due)
                    .map_err(|e| StoreError::decode("hạn trả", e))?,
            });
        }
        Ok(out)
    }

    /// The whole dashboard at `now`; `soon_until` is the end of the "about to be
    /// late" window (one working day ahead, computed by the caller from the calendar).
    pub fn dashboard(&self, now: Timestamp, soon_until: Timestamp) -> Result<Dashboard> {
        let today = to_wall(now).date();
        let tomorrow = next_day(today);
        let month_start = today.with_day(1).unwrap_or(today);
        let month_end = month_end(today);
        let year = Period::preset(&today.year().to_string())
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let month =
            Period::new(month_start, month_end).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let never = AtomicBool::new(false);
        let scorecard = self.scorecard(month, now)?;
        let month = self.report(month, now, &never, |_| {})?;
        let received_for_others = month.received_for_others;
        let month = month.total;
        let year = self.report(year, now, &never, |_| {})?.total;
        let first = today
            .checked_sub_days(Days::new(HISTORY_DAYS - 1))
            .unwrap_or(today);
        Ok(Dashboard {
            today,
            received_today: self.received_count_between(today, tomorrow)?,
            due_today: self.running_due_between(&day_key(today), &day_key(tomorrow))?,
            overdue: self.overdue_count(now)?,
            month,
            year,
            days: self.received_per_day(first, today, now)?,
            due_soon: self.due_soon(now, soon_until, DUE_SOON_LIMIT)?,
            scorecard,
            received_for_others,
        })
    }
}

/// The last day of `day`'s month.
pub fn month_end(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(day)
}
