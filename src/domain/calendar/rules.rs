//! Public holidays computed by rule, for years with no announced table.
//!
//! BLLĐ 2019 Art 112(1) fixes the holidays; the Prime Minister picks the exact Tết days and
//! the extra Quốc khánh day each year (Art 112(3)), so for unannounced years we apply the
//! usual pattern, chosen as follows:
//! - Tết Dương lịch 01/01; Ngày Chiến thắng 30/4; Quốc tế lao động 01/5.
//! - Tết Nguyên đán, 5 days: the last day of the lunar year (29 or 30 Chạp) and mùng 1–4.
//! - Giỗ Tổ Hùng Vương: 10/3 lunar (the ordinary month 3, never a leap 3rd month).
//! - Quốc khánh: 02/9 and one adjacent day, [`quoc_khanh_adjacent_day`]: 03/9 when 02/9 is
//!   a Monday or Thursday, otherwise 01/9. This reproduces every announcement under
//!   BLLĐ 2019 (2021 Thu→3/9, 2022 Fri→1/9, 2023 Sat→1/9, 2024 Mon→3/9, 2025 Tue→1/9,
//!   2026 Wed→1/9, 2027 Thu→3/9): the day joins the break to a weekend where it can, and a
//!   Sunday 02/9 gives Mon+Tue off whichever side is picked.
//! - Ngày Văn hóa Việt Nam 24/11, from 01/7/2026 (NQ 28/2026/QH16), so from 2026 on.
//! - Two holidays on the same date count once (no extra day: Art 111(3) compensates only
//!   a weekly rest day).
//! - Art 111(3): each holiday on a Saturday or Sunday gives a compensatory day on the next
//!   Monday–Friday that is neither a holiday nor already a compensatory day, taken in date
//!   order (two weekend holidays in a row push the second one further).
//!
//! Announced swaps (a bridge day off against a make-up Saturday) cannot be predicted and
//! are never produced here.

use super::lunar::{can_chi_year, lunar_from_solar, solar_from_lunar};
use super::{CalendarEntry, CalendarEntryKind, DayOffKind, is_weekend};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// First day on which 24/11 is a paid holiday (NQ 28/2026/QH16).
pub fn van_hoa_effective_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).expect("2026-07-01 is a valid date")
}

/// The extra Quốc khánh day of `year` under the rule above (module docs).
pub fn quoc_khanh_adjacent_day(year: i32) -> Option<NaiveDate> {
    let national_day = NaiveDate::from_ymd_opt(year, 9, 2)?;
    match national_day.weekday() {
        Weekday::Mon | Weekday::Thu => NaiveDate::from_ymd_opt(year, 9, 3),
        _ => NaiveDate::from_ymd_opt(year, 9, 1),
    }
}

/// The statutory holidays of `year` (weekend ones included) and their compensatory days,
/// sorted by date. Every date lies within `year`.
pub fn rule_entries(year: i32) -> Vec<CalendarEntry> {
    let mut holidays: Vec<(NaiveDate, String)> = Vec::new();
    let mut solar = |month: u32, day: u32, name: &str| {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            holidays.push((date, name.to_string()));
        }
    };
    solar(1, 1, "Tết Dương lịch");
    solar(4, 30, "Ngày Chiến thắng");
    solar(5, 1, "Ngày Quốc tế lao động");
    solar(9, 2, "Quốc khánh");
    if let Some(date) = NaiveDate::from_ymd_opt(year, 11, 24)
        && date >= van_hoa_effective_from()
    {
        holidays.push((date, "Ngày Văn hóa Việt Nam".to_string()));
    }
    if let Some(date) = quoc_khanh_adjacent_day(year) {
        holidays.push((date, "Quốc khánh (ngày liền kề)".to_string()));
    }
    let can_chi = can_chi_year(year);
    if let Some(new_year) = solar_from_lunar(year, 1, 1, false) {
        if let Some(eve) = new_year.pred_opt() {
            let chap = lunar_from_solar(eve).day;
            holidays.push((eve, format!("Tết Nguyên đán {can_chi} ({chap} Tết)")));
        }
        for i in 0..4u32 {
            if let Some(date) = new_year.checked_add_days(Days::new(u64::from(i))) {
                let name = format!("Tết Nguyên đán {can_chi} (mùng {})", i + 1);
                holidays.push((date, name));
            }
        }
    }
    if let Some(date) = solar_from_lunar(year, 3, 10, false) {
        holidays.push((date, format!("Giỗ Tổ Hùng Vương (10/3 {can_chi})")));
    }
    holidays.sort_by_key(|(date, _)| *date);
    // Two holidays on one date (Giỗ Tổ on 30/4, as in 1947) give one day off: Art 111(3)
    // compensates only a weekly rest day, not another holiday.
    holidays.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 = format!("{}; {}", earlier.1, later.1);
        }
        same
    });
    with_compensatory_days(holidays)
}

/// Add Art 111(3) compensatory days to a sorted holiday list.
fn with_compensatory_days(holidays: Vec<(NaiveDate, String)>) -> Vec<CalendarEntry> {
    let holiday_dates: BTreeSet<NaiveDate> = holidays.iter().map(|(d, _)| *d).collect();
    let mut taken = BTreeSet::new();
    let mut entries = Vec::new();
    for (date, name) in holidays {
        if is_weekend(date) {
            let mut comp = date;
            while let Some(next) = comp.succ_opt() {
                comp = next;
                if !is_weekend(comp) && !holiday_dates.contains(&comp) && !taken.contains(&comp) {
                    taken.insert(comp);
                    let rest = if date.weekday() == Weekday::Sat {
                        "Thứ Bảy"
                    } else {
                        "Chủ nhật"
                    };
                    entries.push(CalendarEntry {
                        date: comp,
                        kind: CalendarEntryKind::Off(DayOffKind::Compensatory),
                        name: format!("Nghỉ bù {name} ({} là {rest})", date.format("%d/%m")),
                    });
                    break;
                }
            }
        }
        entries.push(CalendarEntry {
            date,
            kind: CalendarEntryKind::Off(DayOffKind::Statutory),
            name,
        });
    }
    entries.sort_by_key(|e| e.date);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn dates(year: i32, kind: DayOffKind) -> Vec<NaiveDate> {
        rule_entries(year)
            .into_iter()
            .filter(|e| e.kind == CalendarEntryKind::Off(kind))
            .map(|e| e.date)
            .collect()
    }

    #[test]
    fn quoc_khanh_matches_announcements_2021_2027() {
        let announced = [
            (2021, d(2021, 9, 3)),
            (2022, d(2022, 9, 1)),
            (2023, d(2023, 9, 1)),
            (2024, d(2024, 9, 3)),
            (2025, d(2025, 9, 1)),
            (2026, d(2026, 9, 1)),
            (2027, d(2027, 9, 3)),
        ];
        for (year, day) in announced {
            assert_eq!(quoc_khanh_adjacent_day(year), Some(day), "{year}");
        }
    }

    #[test]
    fn statutory_days_2026() {
        let expected = [
            d(2026, 1, 1),
            d(2026, 2, 16),
            d(2026, 2, 17),
            d(2026, 2, 18),
            d(2026, 2, 19),
            d(2026, 2, 20),
            d(2026, 4, 26),
            d(2026, 4, 30),
            d(2026, 5, 1),
            d(2026, 9, 1),
            d(2026, 9, 2),
            d(2026, 11, 24),
        ];
        assert_eq!(dates(2026, DayOffKind::Statutory), expected);
        // Giỗ Tổ on Sunday 26/4 → Monday 27/4.
        assert_eq!(dates(2026, DayOffKind::Compensatory), [d(2026, 4, 27)]);
    }

    #[test]
    fn eleven_days_before_2026_twelve_after() {
        assert_eq!(dates(2025, DayOffKind::Statutory).len(), 11);
        assert!(!dates(2025, DayOffKind::Statutory).contains(&d(2025, 11, 24)));
        assert_eq!(dates(2028, DayOffKind::Statutory).len(), 12);
        assert!(dates(2028, DayOffKind::Statutory).contains(&d(2028, 11, 24)));
    }

    #[test]
    fn tet_names() {
        let entries = rule_entries(2025);
        let eve = entries.iter().find(|e| e.date == d(2025, 1, 28));
        assert_eq!(
            eve.map(|e| e.name.as_str()),
            Some("Tết Nguyên đán Ất Tỵ (29 Tết)")
        );
        let first = entries.iter().find(|e| e.date == d(2025, 1, 29));
        assert_eq!(
            first.map(|e| e.name.as_str()),
            Some("Tết Nguyên đán Ất Tỵ (mùng 1)")
        );
    }

    /// Two weekend days inside Tết 2027 (Sat 06, Sun 07/02): the second compensatory day
    /// is pushed past the first one (and past the holidays of 08–09/02).
    #[test]
    fn consecutive_weekend_holidays_push_compensation() {
        assert_eq!(
            dates(2027, DayOffKind::Compensatory),
            [d(2027, 2, 10), d(2027, 2, 11), d(2027, 5, 3)]
        );
    }

    #[test]
    fn compensation_across_holidays_2022() {
        // 01/01/2022 Sat → Mon 03/01; Giỗ Tổ 10/4 Sun → Mon 11/4; 30/4 Sat + 01/5 Sun →
        // Mon 02/5 and Tue 03/5 (all as announced). Quốc khánh 01–02/9 (Thu–Fri): no hit.
        assert_eq!(
            dates(2022, DayOffKind::Compensatory),
            [d(2022, 1, 3), d(2022, 4, 11), d(2022, 5, 2), d(2022, 5, 3)]
        );
    }

    #[test]
    fn quoc_khanh_on_weekend() {
        // 2023: 02/9 Saturday → 01/9 Fri adjacent, compensatory Mon 04/9 (as announced).
        assert!(dates(2023, DayOffKind::Compensatory).contains(&d(2023, 9, 4)));
        // 2029: 02/9 Sunday → 01/9 Sat adjacent; both compensated on Mon 03/9 and Tue 04/9.
        let comp = dates(2029, DayOffKind::Compensatory);
        assert!(comp.contains(&d(2029, 9, 3)) && comp.contains(&d(2029, 9, 4)));
        // 2029: 24/11 is Saturday → Monday 26/11.
        assert!(comp.contains(&d(2029, 11, 26)));
    }

    #[test]
    fn coinciding_holidays_merge() {
        // 1947: Giỗ Tổ (10/3 Đinh Hợi) fell on 30/4.
        let entries = rule_entries(1947);
        let day = entries
            .iter()
            .filter(|e| e.date == d(1947, 4, 30))
            .collect::<Vec<_>>();
        assert_eq!(day.len(), 1);
        assert_eq!(
            day[0].name,
            "Ngày Chiến thắng; Giỗ Tổ Hùng Vương (10/3 Đinh Hợi)"
        );
    }

    #[test]
    fn gio_to_on_saturday_2023() {
        // 29/4 Sat (Giỗ Tổ), 30/4 Sun, 01/5 Mon → compensatory Tue 02/5 and Wed 03/5,
        // as announced for 2023.
        let comp = dates(2023, DayOffKind::Compensatory);
        assert!(comp.contains(&d(2023, 5, 2)) && comp.contains(&d(2023, 5, 3)));
    }

    #[test]
    fn entries_stay_in_their_year() {
        for year in 1900..=2199 {
            let entries = rule_entries(year);
            assert!(entries.iter().all(|e| e.date.year() == year), "{year}");
            assert!(entries.windows(2).all(|w| w[0].date < w[1].date), "{year}");
        }
    }
}
