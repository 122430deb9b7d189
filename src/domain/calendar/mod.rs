//! The work calendar of a state office: which dates are working days.
//!
//! A working day is Monday–Friday, minus holidays and other days off, plus announced
//! make-up Saturdays ("làm bù", which are working days). The calendar has two sources:
//! - **announced years**: a year with at least one [`CalendarEntry`] (the shipped table,
//!   [`official_entries`], or the centre's newer one) is taken from its entries alone, since
//!   the yearly announcements decide Tết days, swaps and make-up Saturdays;
//! - **every other year** is computed by rule ([`rules`]): BLLĐ 2019 Art 112 holidays, Tết
//!   and Giỗ Tổ from the Vietnamese lunar calendar ([`lunar`]), compensatory days of
//!   Art 111(3).
//!
//! Rule years are computed once per process (1900–2199) and shared by every calendar;
//! years outside that window are computed on demand.

pub mod lunar;
pub mod official;
pub mod rules;

pub use official::{OFFICIAL_CSV, official_entries, parse_official_csv};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Why a day is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayOffKind {
    /// A paid public holiday of BLLĐ Art 112(1) (CSV `STATUTORY`).
    Statutory,
    /// An extra day off gained by a swap against a make-up Saturday (CSV `BRIDGE`).
    Bridge,
    /// A compensatory day for a holiday on a weekly rest day, Art 111(3) (CSV `COMP`).
    Compensatory,
}

/// What a calendar entry says about its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CalendarEntryKind {
    /// Not a working day.
    Off(DayOffKind),
    /// A Saturday (or Sunday) worked in exchange for a bridge day (CSV `MAKEUP`).
    MakeUpWorkday,
}

/// One dated exception to the Monday–Friday week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub date: NaiveDate,
    pub kind: CalendarEntryKind,
    pub name: String,
}

/// A calendar table that cannot be used. Messages are for the person who loads the table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("Bảng lịch: dòng tiêu đề phải là '{expected}', nhận được '{found}'")]
    Header { expected: String, found: String },
    #[error("Bảng lịch, dòng {line}: không đọc được CSV ({message})")]
    Csv { line: u64, message: String },
    #[error("Bảng lịch, dòng {line}: ngày '{value}' không hợp lệ (cần YYYY-MM-DD)")]
    Date { line: u64, value: String },
    #[error("Bảng lịch, dòng {line}: ngày {date} là {expected}, không phải '{found}'")]
    Weekday {
        line: u64,
        date: NaiveDate,
        expected: &'static str,
        found: String,
    },
    #[error(
        "Bảng lịch, dòng {line}: loại '{value}' không hợp lệ (STATUTORY, BRIDGE, COMP, MAKEUP)"
    )]
    Kind { line: u64, value: String },
    #[error("Bảng lịch, dòng {line}: ngày làm bù {date} không phải Thứ Bảy/Chủ nhật")]
    MakeUpOnWeekday { line: u64, date: NaiveDate },
    #[error("Bảng lịch, dòng {line}: thiếu tên ngày")]
    EmptyName { line: u64 },
    #[error("Bảng lịch, dòng {line}: ngày {date} đã có ở dòng trước")]
    Duplicate { line: u64, date: NaiveDate },
}

/// Saturday or Sunday: the weekly rest days of state offices.
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Years precomputed by rule; the lunar algorithm is tested over this span.
const RULE_CACHE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

fn rule_cache() -> &'static BTreeMap<NaiveDate, CalendarEntry> {
    static CACHE: OnceLock<BTreeMap<NaiveDate, CalendarEntry>> = OnceLock::new();
    CACHE.get_or_init(|| {
        RULE_CACHE_YEARS
            .flat_map(rules::rule_entries)
            .map(|e| (e.date, e))
            .collect()
    })
}

/// The rule-computed entries of one year, sorted by date.
fn rule_year(year: i32) -> Vec<CalendarEntry> {
    if RULE_CACHE_YEARS.contains(&year) {
        year_range(rule_cache(), year).cloned().collect()
    } else {
        rules::rule_entries(year)
    }
}

fn year_range(
    map: &BTreeMap<NaiveDate, CalendarEntry>,
    year: i32,
) -> impl Iterator<Item = &CalendarEntry> {
    let bounds = NaiveDate::from_ymd_opt(year, 1, 1).zip(NaiveDate::from_ymd_opt(year, 12, 31));
    bounds
        .into_iter()
        .flat_map(move |(first, last)| map.range(first..=last).map(|(_, e)| e))
}

/// Working days of a state office; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    announced: BTreeMap<NaiveDate, CalendarEntry>,
    announced_years: BTreeSet<i32>,
}

impl WorkCalendar {
    /// Years that have at least one entry are "announced": for them ONLY the entries apply
    /// (plus weekends). Every other year is computed by rule. For a date listed twice the
    /// later entry wins.
    pub fn new(entries: Vec<CalendarEntry>) -> Self {
        let mut cal = Self::default();
        cal.override_years(entries);
        cal
    }

    /// The shipped official table, and rules for the other years.
    pub fn official() -> Self {
        Self::new(official_entries())
    }

    /// Replace whole years by `entries` (e.g. the centre's newer table): each year that has
    /// an entry in `entries` loses its previous entries; other years are untouched.
    pub fn override_years(&mut self, entries: Vec<CalendarEntry>) {
        let years: BTreeSet<i32> = entries.iter().map(|e| e.date.year()).collect();
        self.announced.retain(|d, _| !years.contains(&d.year()));
        self.announced_years.extend(years);
        for e in entries {
            self.announced.insert(e.date, e);
        }
    }

    /// Whether `year` comes from an announced table rather than from the rules.
    pub fn is_announced(&self, year: i32) -> bool {
        self.announced_years.contains(&year)
    }

    /// The announced years, ascending.
    pub fn announced_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.announced_years.iter().copied()
    }

    /// The announced entries, sorted by date.
    pub fn entries(&self) -> impl Iterator<Item = &CalendarEntry> {
        self.announced.values()
    }

    /// The entry (announced or rule-computed) that applies to `d`, if any. Weekend
    /// holidays are included, e.g. to show the holiday's name.
    pub fn entry_on(&self, d: NaiveDate) -> Option<CalendarEntry> {
        if self.is_announced(d.year()) {
            self.announced.get(&d).cloned()
        } else if RULE_CACHE_YEARS.contains(&d.year()) {
            rule_cache().get(&d).cloned()
        } else {
            rules::rule_entries(d.year())
                .into_iter()
                .find(|e| e.date == d)
        }
    }

    fn kind_on(&self, d: NaiveDate) -> Option<CalendarEntryKind> {
        if self.is_announced(d.year()) {
            self.announced.get(&d).map(|e| e.kind)
        } else if RULE_CACHE_YEARS.contains(&d.year()) {
            rule_cache().get(&d).map(|e| e.kind)
        } else {
            self.entry_on(d).map(|e| e.kind)
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.kind_on(d) {
            Some(CalendarEntryKind::Off(_)) => false,
            Some(CalendarEntryKind::MakeUpWorkday) => true,
            None => !is_weekend(d),
        }
    }

    /// The first working day strictly after `d` (saturates at chrono's last date).
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut cur = d;
        while let Some(next) = cur.succ_opt() {
            cur = next;
            if self.is_working_day(cur) {
                break;
            }
        }
        cur
    }

    /// The last working day strictly before `d` (saturates at chrono's first date).
    pub fn previous_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut cur = d;
        while let Some(prev) = cur.pred_opt() {
            cur = prev;
            if self.is_working_day(cur) {
                break;
            }
        }
        cur
    }

    /// The `n`-th working day after `d` (`d` itself for `n = 0`, working day or not).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut cur = d;
        for _ in 0..n {
            let next = self.next_working_day(cur);
            if next == cur {
                break; // saturated at the end of chrono's range
            }
            cur = next;
        }
        cur
    }

    /// Every non-working weekday (Mon–Fri off) and every make-up working weekend day of
    /// `year`, sorted by date. Holidays on a weekend are not listed (they change nothing),
    /// but their compensatory weekdays are.
    pub fn exceptions_in_year(&self, year: i32) -> Vec<CalendarEntry> {
        let entries: Vec<CalendarEntry> = if self.is_announced(year) {
            year_range(&self.announced, year).cloned().collect()
        } else {
            rule_year(year)
        };
        entries
            .into_iter()
            .filter(|e| match e.kind {
                CalendarEntryKind::Off(_) => !is_weekend(e.date),
                CalendarEntryKind::MakeUpWorkday => is_weekend(e.date),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_CSV: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/calendar/vn_holidays_2025_2027.csv"
    ));

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn table() -> WorkCalendar {
        WorkCalendar::new(parse_official_csv(TEST_CSV).expect("valid table"))
    }

    fn exception_dates(cal: &WorkCalendar, year: i32) -> BTreeSet<NaiveDate> {
        cal.exceptions_in_year(year)
            .into_iter()
            .map(|e| e.date)
            .collect()
    }

    #[test]
    fn official_uses_the_table() {
        let cal = WorkCalendar::official();
        assert_eq!(cal, table());
        assert_eq!(
            cal.announced_years().collect::<Vec<_>>(),
            [2025, 2026, 2027]
        );
        assert!(!cal.is_announced(2028));
        assert_eq!(cal.entries().count(), 42);
    }

    #[test]
    fn make_up_saturdays_and_bridges() {
        let cal = WorkCalendar::official();
        assert!(cal.is_working_day(d(2026, 1, 10)));
        assert!(cal.is_working_day(d(2026, 8, 22)));
        assert!(!cal.is_working_day(d(2026, 1, 17))); // an ordinary Saturday
        assert!(!cal.is_working_day(d(2026, 1, 2)));
        assert!(!cal.is_working_day(d(2026, 8, 31)));
        assert!(!cal.is_working_day(d(2026, 11, 24)));
        // The rule calendar knows no swaps.
        let rule = WorkCalendar::new(vec![]);
        assert!(!rule.is_working_day(d(2026, 1, 10)));
        assert!(rule.is_working_day(d(2026, 1, 2)));
    }

    #[test]
    fn navigation() {
        let cal = WorkCalendar::official();
        // Tết Bính Ngọ: off Sat 14/02 – Sun 22/02/2026.
        assert_eq!(cal.next_working_day(d(2026, 2, 13)), d(2026, 2, 23));
        assert_eq!(cal.previous_working_day(d(2026, 2, 23)), d(2026, 2, 13));
        assert_eq!(cal.add_working_days(d(2026, 2, 13), 3), d(2026, 2, 25));
        assert_eq!(cal.add_working_days(d(2026, 2, 14), 0), d(2026, 2, 14));
        // Make-up Saturday 10/01/2026 counts.
        assert_eq!(cal.next_working_day(d(2026, 1, 9)), d(2026, 1, 10));
        assert_eq!(cal.add_working_days(d(2026, 1, 9), 2), d(2026, 1, 12));
        // Saturation at the ends of chrono's range instead of a panic.
        assert_eq!(cal.next_working_day(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(cal.previous_working_day(NaiveDate::MIN), NaiveDate::MIN);
    }

    #[test]
    fn announced_year_ignores_rules() {
        // One entry makes 2030 announced: its Tết is then NOT computed.
        let only = CalendarEntry {
            date: d(2030, 1, 1),
            kind: CalendarEntryKind::Off(DayOffKind::Statutory),
            name: "Tết Dương lịch".into(),
        };
        let cal = WorkCalendar::new(vec![only.clone()]);
        assert_eq!(cal.exceptions_in_year(2030), vec![only]);
        // Tết Canh Tuất: mùng 1 is Sat 02/02/2030, mùng 3 Mon 04/02.
        let mung3 = d(2030, 2, 4);
        assert_eq!(lunar::lunar_new_year(2030), d(2030, 2, 2));
        assert!(cal.is_working_day(mung3));
        assert!(!WorkCalendar::new(vec![]).is_working_day(mung3));
    }

    #[test]
    fn override_replaces_whole_years() {
        let mut cal = WorkCalendar::official();
        cal.override_years(vec![CalendarEntry {
            date: d(2026, 12, 31),
            kind: CalendarEntryKind::Off(DayOffKind::Bridge),
            name: "x".into(),
        }]);
        assert_eq!(
            exception_dates(&cal, 2026),
            BTreeSet::from([d(2026, 12, 31)])
        );
        assert_eq!(exception_dates(&cal, 2025), exception_dates(&table(), 2025));
    }

    #[test]
    fn weekend_holidays_not_listed() {
        let cal = WorkCalendar::official();
        let ex = exception_dates(&cal, 2026);
        assert!(!ex.contains(&d(2026, 4, 26))); // Giỗ Tổ on Sunday
        assert!(ex.contains(&d(2026, 4, 27))); // its compensatory Monday
        assert!(ex.contains(&d(2026, 1, 10))); // make-up Saturday
        assert_eq!(
            cal.entry_on(d(2026, 4, 26)).map(|e| e.kind),
            Some(CalendarEntryKind::Off(DayOffKind::Statutory))
        );
    }

    /// The rule calendar reproduces the table's non-working weekdays, except for the
    /// announced choices listed here.
    #[test]
    fn rules_reproduce_the_table() {
        let official = table();
        let rule = WorkCalendar::new(vec![]);
        // (year, only in the table, only in the rules)
        let known: [(i32, Vec<NaiveDate>, Vec<NaiveDate>); 3] = [
            // Tết Ất Tỵ announced as 28 Chạp – mùng 3 (27–31/01), not 29 Chạp – mùng 4
            // (28/01 – Sat 01/02, compensated Mon 03/02); Fri 02/5 bridge.
            (
                2025,
                vec![d(2025, 1, 27), d(2025, 5, 2)],
                vec![d(2025, 2, 3)],
            ),
            // Swaps: bridges 02/01 and 31/8 against make-up Saturdays 10/01 and 22/8.
            (
                2026,
                vec![
                    d(2026, 1, 2),
                    d(2026, 1, 10),
                    d(2026, 8, 22),
                    d(2026, 8, 31),
                ],
                vec![],
            ),
            // Tết Đinh Mùi announced as 04–10/02, the rule gives 05–11/02 (weekdays).
            (2027, vec![d(2027, 2, 4)], vec![d(2027, 2, 11)]),
        ];
        for (year, only_table, only_rule) in known {
            let t = exception_dates(&official, year);
            let r = exception_dates(&rule, year);
            assert_eq!(t.difference(&r).copied().collect::<Vec<_>>(), only_table);
            assert_eq!(r.difference(&t).copied().collect::<Vec<_>>(), only_rule);
        }
    }

    /// Every STATUTORY day of the table is a statutory day by rule, except the Tết days
    /// the government placed differently.
    #[test]
    fn rules_reproduce_statutory_days() {
        let rule = WorkCalendar::new(vec![]);
        let announced_tet_choice = [d(2025, 1, 27), d(2027, 2, 4)];
        for e in parse_official_csv(TEST_CSV).expect("valid table") {
            if e.kind != CalendarEntryKind::Off(DayOffKind::Statutory)
                || announced_tet_choice.contains(&e.date)
            {
                continue;
            }
            assert_eq!(
                rule.entry_on(e.date).map(|r| r.kind),
                Some(e.kind),
                "{} {}",
                e.date,
                e.name
            );
        }
    }

    #[test]
    fn rule_years_outside_the_cache() {
        let cal = WorkCalendar::new(vec![]);
        // 2200 and 1899 are computed on demand.
        assert!(!cal.is_working_day(d(2200, 1, 1)));
        assert_eq!(
            cal.exceptions_in_year(2200).len(),
            rules::rule_entries(2200)
                .iter()
                .filter(|e| !is_weekend(e.date))
                .count()
        );
        assert_eq!(
            cal.entry_on(lunar::lunar_new_year(1899)).map(|e| e.kind),
            Some(CalendarEntryKind::Off(DayOffKind::Statutory))
        );
    }

    #[test]
    fn rule_year_2023_example_dates() {
        // Fri 27/10/2023 → Fri 03/11/2023 is five working days with no holiday between.
        let cal = WorkCalendar::official();
        assert_eq!(cal.add_working_days(d(2023, 10, 27), 5), d(2023, 11, 3));
        // 2023 by rule: Quốc khánh Fri 01/9 + Sat 02/9, compensatory Mon 04/9.
        assert!(!cal.is_working_day(d(2023, 9, 1)));
        assert!(!cal.is_working_day(d(2023, 9, 4)));
        assert!(cal.is_working_day(d(2023, 9, 5)));
    }
}
