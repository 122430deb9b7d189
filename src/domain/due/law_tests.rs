//! The due time against an independent model of the law (issue 12 §1).
//!
//! The model reads the shipped calendar table itself (days off, make-up Saturdays) and
//! applies BLDS 2015 Art 147–148 literally: the day of receipt is not counted; the period
//! ends at the end of its last day, taken as the close of office hours (17:00) since the
//! promise is to hand over a result at the counter; a last day that is a rest day moves the
//! end to the close of the next working day. Hộ tịch/chứng thực same-day matters follow
//! Luật Hộ tịch Art 5(3): by 15:00 → today's close, else the next working day's close.
//!
//! Asserted for every receipt moment (random across 2025–2027, and every day of those years
//! at the edge times):
//! - the printed due time is never after the legal end;
//! - received after closing or on a rest day, it is exactly the legal end (no day lost);
//! - it lies on a working day, inside office hours, after the receipt;
//! - for working days it equals the Thanh Hóa production algorithm (next opening + N × 8
//!   working hours), written here independently, as a moment of working time (17:00 of
//!   one day and 07:00 of the next are the same moment; the receipt prints either).

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use proptest::prelude::*;

use super::{WorkingHours, due_at};
use crate::domain::calendar::WorkCalendar;
use crate::domain::time_limit::{TimeLimit, TimeUnit};

const CALENDAR_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/calendar/vn_holidays_2025_2027.csv"
));

fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, s).expect("valid model time")
}

/// The model's office hours: the Thanh Hóa defaults, 07:00–11:30 and 13:30–17:00.
fn open() -> NaiveTime {
    hms(7, 0, 0)
}
fn close() -> NaiveTime {
    hms(17, 0, 0)
}
fn intervals() -> [(NaiveTime, NaiveTime); 2] {
    [
        (hms(7, 0, 0), hms(11, 30, 0)),
        (hms(13, 30, 0), hms(17, 0, 0)),
    ]
}

/// The calendar as the model reads the CSV: no code shared with `domain::calendar`.
struct Model {
    off: BTreeSet<NaiveDate>,
    make_up: BTreeSet<NaiveDate>,
}

impl Model {
    fn load() -> Self {
        let mut off = BTreeSet::new();
        let mut make_up = BTreeSet::new();
        for line in CALENDAR_CSV.lines().skip(1) {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split(',');
            let date = cols.next().expect("date column");
            let kind = cols.nth(1).expect("kind column");
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("ISO date");
            match kind {
                "MAKEUP" => make_up.insert(date),
                "STATUTORY" | "BRIDGE" | "COMP" => off.insert(date),
                other => panic!("unknown kind {other}"),
            };
        }
        assert!(off.len() > 30 && make_up.len() == 2, "table read");
        Self { off, make_up }
    }

    fn working(&self, d: NaiveDate) -> bool {
        if self.make_up.contains(&d) {
            return true;
        }
        !self.off.contains(&d) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The n-th working day strictly after `d` (n ≥ 1).
    fn nth_working_after(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let (mut cur, mut seen) = (d, 0);
        loop {
            cur = cur.succ_opt().expect("in range");
            if self.working(cur) {
                seen += 1;
                if seen == n {
                    return cur;
                }
            }
        }
    }

    /// `d` if it is a working day, else the next one (Art 148(5)).
    fn working_from(&self, d: NaiveDate) -> NaiveDate {
        if self.working(d) {
            d
        } else {
            self.nth_working_after(d, 1)
        }
    }

    fn in_hours(&self, r: NaiveDateTime) -> bool {
        self.working(r.date()) && r.time() <= close()
    }

    /// The legal end of a period of `n ≥ 1` units started by a receipt at `r`.
    fn legal_end(&self, r: NaiveDateTime, limit: TimeLimit) -> NaiveDateTime {
        let d = r.date();
        let n = limit.value;
        let end_day = match limit.unit {
            TimeUnit::WorkingDay => self.nth_working_after(d, n),
            TimeUnit::Day => self.working_from(d + Days::new(u64::from(n))),
            TimeUnit::Month => self.working_from(add_months(d, n)),
            // Working hours are not a day period; 8 of them make one working day, so the
            // end is no later than the close of the ⌈n/8⌉-th working day.
            TimeUnit::Hour => self.nth_working_after(d, n.div_ceil(8)),
            TimeUnit::SameDay15h => {
                if self.working(d) && r.time() <= hms(15, 0, 0) {
                    d
                } else {
                    self.nth_working_after(d, 1)
                }
            }
        };
        end_day.and_time(close())
    }

    /// The same moment of working time written one way: the close of a day is the next
    /// opening, the end of the morning is the afternoon opening (Thanh Hóa prints a
    /// receipt at 07:00 + 8 h as 17:00 that day, the same-clock rule as 07:00 the next).
    fn working_instant(&self, t: NaiveDateTime) -> NaiveDateTime {
        if t.time() == close() {
            self.nth_working_after(t.date(), 1).and_time(open())
        } else if t.time() == hms(11, 30, 0) {
            t.date().and_time(hms(13, 30, 0))
        } else {
            t
        }
    }

    /// Thanh Hóa `CaculateTime`: normalise to the next opening, then count n × 8 hours
    /// inside office hours, day by day.
    fn thanh_hoa(&self, r: NaiveDateTime, n: u32) -> NaiveDateTime {
        let (d, t) = (r.date(), r.time());
        let start = if !self.in_hours(r) {
            self.nth_working_after(d, 1).and_time(open())
        } else if t < open() {
            d.and_time(open())
        } else if hms(11, 30, 0) < t && t < hms(13, 30, 0) {
            d.and_time(hms(13, 30, 0))
        } else {
            r
        };
        let mut remaining = i64::from(n) * 8 * 3600;
        let (mut day, mut from) = (start.date(), start.time());
        loop {
            for (s, e) in intervals() {
                let begin = from.max(s);
                if begin >= e {
                    continue;
                }
                let available = (e - begin).num_seconds();
                if remaining <= available {
                    return day.and_time(begin + TimeDelta::seconds(remaining));
                }
                remaining -= available;
            }
            day = self.nth_working_after(day, 1);
            from = NaiveTime::MIN;
        }
    }
}

/// Art 147–148 for months: the same day number n months later, or the month's last day.
fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    let months = d.year() * 12 + i32::try_from(d.month0() + n).expect("small");
    let (y, m) = (months / 12, u32::try_from(months % 12).expect("small") + 1);
    let mut day = d.day();
    loop {
        if let Some(x) = NaiveDate::from_ymd_opt(y, m, day) {
            return x;
        }
        day -= 1;
    }
}

fn check(model: &Model, cal: &WorkCalendar, r: NaiveDateTime, limit: TimeLimit) {
    let due = due_at(r, limit, cal, &WorkingHours::default());
    let end = model.legal_end(r, limit);
    let ctx = format!("received {r}, {}", limit.describe_vi());
    assert!(due <= end, "{ctx}: due {due} after the legal end {end}");
    assert!(due > r, "{ctx}: due {due} not after the receipt");
    assert!(model.working(due.date()), "{ctx}: due {due} on a rest day");
    let t = due.time();
    assert!(
        intervals().iter().any(|(s, e)| *s <= t && t <= *e),
        "{ctx}: due {due} outside office hours"
    );
    let day_period = !matches!(limit.unit, TimeUnit::Hour);
    if day_period && !model.in_hours(r) {
        assert_eq!(
            due, end,
            "{ctx}: after hours the period ends at the legal end"
        );
    }
    if limit.unit == TimeUnit::SameDay15h {
        assert_eq!(due, end, "{ctx}: Luật Hộ tịch Art 5(3)");
    }
    if limit.unit == TimeUnit::WorkingDay {
        assert_eq!(
            model.working_instant(due),
            model.working_instant(model.thanh_hoa(r, limit.value)),
            "{ctx}: Thanh Hóa"
        );
    }
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid")
}

/// Receipts up to here keep every result inside the table's years (2025–2027).
fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 10, 31).expect("valid")
}

/// Moments where the rules change: around opening, lunch, the 15:00 cut-off, closing.
fn edge_times() -> Vec<NaiveTime> {
    vec![
        hms(0, 0, 0),
        hms(6, 59, 59),
        hms(7, 0, 0),
        hms(9, 32, 0),
        hms(11, 30, 0),
        hms(11, 30, 1),
        hms(13, 29, 59),
        hms(13, 30, 0),
        hms(15, 0, 0),
        hms(15, 0, 1),
        hms(16, 59, 59),
        hms(17, 0, 0),
        hms(17, 0, 1),
        hms(23, 59, 59),
    ]
}

fn limits() -> Vec<TimeLimit> {
    let mut out = vec![TimeLimit::new(0, TimeUnit::SameDay15h)];
    for n in [1, 2, 3, 5, 7, 15] {
        out.push(TimeLimit::new(n, TimeUnit::WorkingDay));
    }
    for n in [1, 4, 8, 9, 40] {
        out.push(TimeLimit::new(n, TimeUnit::Hour));
    }
    for n in [1, 5, 15, 30] {
        out.push(TimeLimit::new(n, TimeUnit::Day));
    }
    out.push(TimeLimit::new(1, TimeUnit::Month));
    out
}

/// Every day of 2025–2027 (up to [`last_day`]) at every edge time, every limit kind.
#[test]
fn every_day_at_every_edge_time_holds_the_law() {
    let (model, cal) = (Model::load(), WorkCalendar::official());
    let mut d = first_day();
    let limits = limits();
    while d <= last_day() {
        for t in edge_times() {
            for limit in &limits {
                check(&model, &cal, d.and_time(t), *limit);
            }
        }
        d = d.succ_opt().expect("in range");
    }
}

/// Every limit of every case of the shipped catalogue (issue 19 §4: the promise holds
/// over the catalogue's real cases, the default and the others).
fn catalogue_limits() -> Vec<TimeLimit> {
    let mut out: Vec<TimeLimit> = crate::domain::catalogue_seed::seed_catalogue()
        .iter()
        .flat_map(|p| p.time_limits.iter().map(|c| c.limit))
        .collect();
    out.dedup();
    out
}

fn unit_strategy() -> impl Strategy<Value = TimeLimit> {
    prop_oneof![
        proptest::sample::select(catalogue_limits()),
        (1u32..=20).prop_map(|n| TimeLimit::new(n, TimeUnit::WorkingDay)),
        (1u32..=60).prop_map(|n| TimeLimit::new(n, TimeUnit::Day)),
        (1u32..=2).prop_map(|n| TimeLimit::new(n, TimeUnit::Month)),
        (1u32..=80).prop_map(|n| TimeLimit::new(n, TimeUnit::Hour)),
        Just(TimeLimit::new(0, TimeUnit::SameDay15h)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Random receipt moments across 2025–2027, to the second.
    #[test]
    fn random_receipts_never_pass_the_legal_end(
        day in 0u64..=1034,
        second in 0u32..86_400,
        limit in unit_strategy(),
    ) {
        let (model, cal) = (Model::load(), WorkCalendar::official());
        let date = first_day() + Days::new(day);
        prop_assume!(date <= last_day());
        let r = date.and_time(NaiveTime::MIN + TimeDelta::seconds(i64::from(second)));
        check(&model, &cal, r, limit);
    }
}
