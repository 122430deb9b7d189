//! The due time (hẹn trả) of a dossier, from its receipt time and the procedure's limit.
//!
//! All times are Vietnam wall-clock `NaiveDateTime`. The due time is never later than the
//! legal end of the period (BLDS 2015 Art 147–148: the day of receipt is not counted; the
//! period ends at the end of its last day, here the close of office hours; a last day that
//! is a rest day moves the end to the next working day).
//!
//! Received within working hours on a working day (before opening → opening; lunch →
//! afternoon opening):
//! - WORKING_DAY N: the same clock time N working days later (N working days of 8 hours
//!   counted inside office hours give the same result; the printed receipt of Fri
//!   27/10/2023 09:32 + 5 days → Fri 03/11/2023 09:32 shows it);
//! - HOUR N: N hours counted inside office hours; ending exactly at closing stays there;
//! - DAY / MONTH N: calendar arithmetic (BLDS 2015 Art 145), then, if the day is not a
//!   working day, the next working day (Art 148(5)), same clock time.
//!
//! Received after closing or on a rest day: the close of the N-th working day after the
//! day of receipt (DAY / MONTH: the close of the last day, rolled forward to a working
//! day). This is also what the Thanh Hóa algorithm (next opening + N × 8 working hours)
//! gives; moving the receipt to the next morning and then adding N days would give a day
//! more than the law allows. HOUR N counts from the next opening. A zero limit is due at
//! the next opening.
//!
//! SAME_DAY_15H: closing time today if received by [`SAME_DAY_CUTOFF`] on a working day,
//! else closing time of the next working day (Luật Hộ tịch 2014 Art 5(3), NĐ 23/2015 Art 7).
//!
//! The extension rule (Mẫu 04 at least one working day before the due date, NĐ 61/2018
//! Art 19(9)) is here too because it is a calendar question. Office hours live in
//! [`hours`].

pub mod hours;
#[cfg(test)]
mod law_tests;
pub mod new_due;

pub use hours::{DueError, WorkingHours};

use crate::domain::calendar::WorkCalendar;
use crate::domain::time_limit::{TimeLimit, TimeUnit};
use chrono::{Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// The same-day cut-off of Luật Hộ tịch 2014 Art 5(3) and NĐ 23/2015/NĐ-CP Art 7: a
/// statute, the same for every unit, so not a setting.
pub const SAME_DAY_CUTOFF: NaiveTime =
    NaiveTime::from_hms_opt(15, 0, 0).expect("15:00 is a valid time");

/// The moment the clock starts: `at` moved into office hours (before opening → opening;
/// lunch → afternoon opening; after closing or on a non-working day → next working
/// morning). A time exactly at the end of the morning or of the day stays where it is.
pub fn normalize_receipt(
    at: NaiveDateTime,
    cal: &WorkCalendar,
    hours: &WorkingHours,
) -> NaiveDateTime {
    let (date, t) = (at.date(), at.time());
    let next_morning = || cal.next_working_day(date).and_time(hours.morning_start);
    if !within_working_day(at, cal, hours) {
        next_morning()
    } else if t < hours.morning_start {
        date.and_time(hours.morning_start)
    } else if hours.morning_end < t && t < hours.afternoon_start {
        date.and_time(hours.afternoon_start)
    } else {
        at
    }
}

/// Received on a working day no later than closing (before opening counts as that day).
fn within_working_day(at: NaiveDateTime, cal: &WorkCalendar, hours: &WorkingHours) -> bool {
    cal.is_working_day(at.date()) && at.time() <= hours.afternoon_end
}

/// The due time of a dossier received at `received` (see the module docs).
pub fn due_at(
    received: NaiveDateTime,
    limit: TimeLimit,
    cal: &WorkCalendar,
    hours: &WorkingHours,
) -> NaiveDateTime {
    let start = normalize_receipt(received, cal, hours);
    if !within_working_day(received, cal, hours) {
        return due_after_hours(received.date(), start, limit, cal, hours);
    }
    let (date, time) = (start.date(), start.time());
    match limit.unit {
        TimeUnit::WorkingDay => cal.add_working_days(date, limit.value).and_time(time),
        TimeUnit::Hour => add_working_hours(start, limit.value, cal, hours),
        TimeUnit::Day => add_days(date, limit.value, cal).and_time(time),
        TimeUnit::Month => add_months(date, limit.value, cal).and_time(time),
        TimeUnit::SameDay15h => {
            let day = if time <= SAME_DAY_CUTOFF {
                date
            } else {
                cal.next_working_day(date)
            };
            day.and_time(hours.afternoon_end)
        }
    }
}

/// Received after closing or on a rest day (`day`): the receipt day is not counted and the
/// period ends at the close of its last day (BLDS Art 147(2), 148). `start` is the next
/// opening.
fn due_after_hours(
    day: NaiveDate,
    start: NaiveDateTime,
    limit: TimeLimit,
    cal: &WorkCalendar,
    hours: &WorkingHours,
) -> NaiveDateTime {
    let close = hours.afternoon_end;
    let n = limit.value;
    match limit.unit {
        TimeUnit::Hour => add_working_hours(start, n, cal, hours),
        TimeUnit::SameDay15h => cal.next_working_day(day).and_time(close),
        _ if n == 0 => start,
        TimeUnit::WorkingDay => cal.add_working_days(day, n).and_time(close),
        TimeUnit::Day => add_days(day, n, cal).and_time(close),
        TimeUnit::Month => add_months(day, n, cal).and_time(close),
    }
}

/// `n` calendar days after `date`, rolled forward to a working day.
fn add_days(date: NaiveDate, n: u32, cal: &WorkCalendar) -> NaiveDate {
    let end = date.checked_add_days(Days::new(u64::from(n)));
    roll_forward(end.unwrap_or(NaiveDate::MAX), cal)
}

/// `n` months after `date`, rolled forward to a working day. chrono clamps to the
/// month's last day (31/01 + 1 month → 28/29 Feb).
fn add_months(date: NaiveDate, n: u32, cal: &WorkCalendar) -> NaiveDate {
    let end = date.checked_add_months(Months::new(n));
    roll_forward(end.unwrap_or(NaiveDate::MAX), cal)
}

/// An extension (Mẫu 04) must be sent at least one working day before the due date:
/// allowed iff `now`'s date is on or before the last working day before the due date.
/// (That it is allowed only once is checked by the dossier lifecycle.)
pub fn extension_allowed(
    now: NaiveDateTime,
    current_due: NaiveDateTime,
    cal: &WorkCalendar,
) -> bool {
    now.date() <= cal.previous_working_day(current_due.date())
}

/// `date` if it is a working day, else the next working day.
fn roll_forward(date: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
    if cal.is_working_day(date) {
        date
    } else {
        cal.next_working_day(date)
    }
}

/// `n` hours counted inside office hours from `start` (already normalized).
fn add_working_hours(
    start: NaiveDateTime,
    n: u32,
    cal: &WorkCalendar,
    hours: &WorkingHours,
) -> NaiveDateTime {
    let intervals = hours.intervals();
    let day_secs: i64 = intervals
        .iter()
        .map(|(s, e)| (*e - *s).num_seconds().max(0))
        .sum();
    let mut remaining = i64::from(n) * 3600;
    // Unvalidated hours with no working time: nothing can be counted.
    if remaining == 0 || day_secs == 0 {
        return start;
    }
    let (mut date, mut from) = (start.date(), start.time());
    loop {
        if from == NaiveTime::MIN {
            // Skip whole days at once, leaving at least one second for the last day so a
            // result at closing time stays on that day.
            let whole = (remaining - 1) / day_secs;
            if whole > 0 {
                let whole_days = u32::try_from(whole).unwrap_or(u32::MAX);
                date = cal.add_working_days(date, whole_days);
                remaining -= i64::from(whole_days) * day_secs;
            }
        }
        for (s, e) in intervals {
            let begin = from.max(s);
            if begin >= e {
                continue;
            }
            let available = (e - begin).num_seconds();
            if remaining <= available {
                return date.and_time(begin + TimeDelta::seconds(remaining));
            }
            remaining -= available;
        }
        let next = cal.next_working_day(date);
        if next == date {
            return date.and_time(hours.afternoon_end); // end of chrono's range
        }
        date = next;
        from = NaiveTime::MIN;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_opt(h, mi, s))
            .expect("valid test time")
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid test time")
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::official()
    }

    fn due(received: NaiveDateTime, value: u32, unit: TimeUnit) -> NaiveDateTime {
        due_at(
            received,
            TimeLimit::new(value, unit),
            &cal(),
            &WorkingHours::default(),
        )
    }

    fn norm(t: NaiveDateTime) -> NaiveDateTime {
        normalize_receipt(t, &cal(), &WorkingHours::default())
    }

    #[test]
    fn normalization() {
        // Mon 02/03/2026, an ordinary working day.
        assert_eq!(norm(at(2026, 3, 2, 6, 30, 0)), at(2026, 3, 2, 7, 0, 0));
        assert_eq!(norm(at(2026, 3, 2, 10, 15, 42)), at(2026, 3, 2, 10, 15, 42));
        assert_eq!(norm(at(2026, 3, 2, 11, 30, 0)), at(2026, 3, 2, 11, 30, 0));
        assert_eq!(norm(at(2026, 3, 2, 11, 30, 1)), at(2026, 3, 2, 13, 30, 0));
        assert_eq!(norm(at(2026, 3, 2, 13, 29, 59)), at(2026, 3, 2, 13, 30, 0));
        assert_eq!(norm(at(2026, 3, 2, 13, 30, 0)), at(2026, 3, 2, 13, 30, 0));
        assert_eq!(norm(at(2026, 3, 2, 17, 0, 0)), at(2026, 3, 2, 17, 0, 0));
        assert_eq!(norm(at(2026, 3, 2, 17, 0, 1)), at(2026, 3, 3, 7, 0, 0));
        // Weekend and evening before a weekend → Monday morning.
        assert_eq!(norm(at(2026, 3, 7, 9, 0, 0)), at(2026, 3, 9, 7, 0, 0));
        assert_eq!(norm(at(2026, 3, 6, 18, 0, 0)), at(2026, 3, 9, 7, 0, 0));
        // Evening before Tết Bính Ngọ → after the break.
        assert_eq!(norm(at(2026, 2, 13, 17, 30, 0)), at(2026, 2, 23, 7, 0, 0));
        // Evening before a make-up Saturday → that Saturday.
        assert_eq!(norm(at(2026, 1, 9, 18, 0, 0)), at(2026, 1, 10, 7, 0, 0));
    }

    #[test]
    fn working_days_across_tet_2026() {
        assert_eq!(
            due(at(2026, 2, 13, 10, 0, 0), 3, TimeUnit::WorkingDay),
            at(2026, 2, 25, 10, 0, 0)
        );
        // Received during Tết: the first working day after it is Mon 23/02, which ends
        // the period at its close.
        assert_eq!(
            due(at(2026, 2, 18, 9, 0, 0), 1, TimeUnit::WorkingDay),
            at(2026, 2, 23, 17, 0, 0)
        );
        assert_eq!(
            due(at(2026, 2, 18, 9, 0, 0), 0, TimeUnit::WorkingDay),
            at(2026, 2, 23, 7, 0, 0)
        );
    }

    /// BLDS 2015 Art 147–148: the day of receipt is not counted and the period ends at
    /// the close of its last day, so a receipt after closing or on a rest day gets no
    /// extra day (issue 12 §1).
    #[test]
    fn after_hours_receipt_ends_at_the_close_of_the_nth_working_day() {
        // Fri 06/03/2026 17:30, 02 ngày làm việc → Tue 10/03/2026 17:00.
        assert_eq!(
            due(at(2026, 3, 6, 17, 30, 0), 2, TimeUnit::WorkingDay),
            at(2026, 3, 10, 17, 0, 0)
        );
        // Sat 21/03/2026, 01 ngày làm việc → Mon 23/03/2026 17:00.
        assert_eq!(
            due(at(2026, 3, 21, 9, 0, 0), 1, TimeUnit::WorkingDay),
            at(2026, 3, 23, 17, 0, 0)
        );
        // Within working hours nothing changes: same clock time N working days later.
        assert_eq!(
            due(at(2026, 3, 6, 16, 59, 0), 2, TimeUnit::WorkingDay),
            at(2026, 3, 10, 16, 59, 0)
        );
    }

    #[test]
    fn after_hours_calendar_days_end_at_the_close() {
        // Sat 07/03/2026 + 1 ngày = Sun 08 (rest day) → the close of Mon 09.
        assert_eq!(
            due(at(2026, 3, 7, 10, 0, 0), 1, TimeUnit::Day),
            at(2026, 3, 9, 17, 0, 0)
        );
        // Tue 31/03/2026 18:00 + 1 tháng = Thu 30/04 (holiday) → the close of Mon 04/05.
        assert_eq!(
            due(at(2026, 3, 31, 18, 0, 0), 1, TimeUnit::Month),
            at(2026, 5, 4, 17, 0, 0)
        );
    }

    #[test]
    fn documented_receipt_2023() {
        // Thanh Hóa receipt: Fri 27/10/2023 09:32, 5 ngày làm việc → Fri 03/11/2023.
        assert_eq!(
            due(at(2023, 10, 27, 9, 32, 0), 5, TimeUnit::WorkingDay),
            at(2023, 11, 3, 9, 32, 0)
        );
        // 40 working hours give the same moment.
        assert_eq!(
            due(at(2023, 10, 27, 9, 32, 0), 40, TimeUnit::Hour),
            at(2023, 11, 3, 9, 32, 0)
        );
    }

    #[test]
    fn make_up_saturdays_count() {
        // Thu 08/01/2026 + 2 → Fri 09, Sat 10 (làm bù).
        assert_eq!(
            due(at(2026, 1, 8, 10, 0, 0), 2, TimeUnit::WorkingDay),
            at(2026, 1, 10, 10, 0, 0)
        );
        // Thu 20/08/2026 + 3 → Fri 21, Sat 22 (làm bù), Mon 24.
        assert_eq!(
            due(at(2026, 8, 20, 14, 0, 0), 3, TimeUnit::WorkingDay),
            at(2026, 8, 24, 14, 0, 0)
        );
        // Fri 28/08/2026 + 1 → Thu 03/09 (29/8–02/9 off: weekend, bridge, Quốc khánh).
        assert_eq!(
            due(at(2026, 8, 28, 9, 0, 0), 1, TimeUnit::WorkingDay),
            at(2026, 9, 3, 9, 0, 0)
        );
    }

    #[test]
    fn van_hoa_day_2026() {
        // Mon 23/11/2026 + 1 → Wed 25/11 (Tue 24/11 Ngày Văn hóa Việt Nam).
        assert_eq!(
            due(at(2026, 11, 23, 8, 0, 0), 1, TimeUnit::WorkingDay),
            at(2026, 11, 25, 8, 0, 0)
        );
    }

    #[test]
    fn same_day_cutoff() {
        let u = TimeUnit::SameDay15h;
        // Tue 03/03/2026.
        assert_eq!(
            due(at(2026, 3, 3, 15, 0, 0), 0, u),
            at(2026, 3, 3, 17, 0, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 15, 0, 1), 0, u),
            at(2026, 3, 4, 17, 0, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 6, 30, 0), 0, u),
            at(2026, 3, 3, 17, 0, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 12, 0, 0), 0, u),
            at(2026, 3, 3, 17, 0, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 18, 0, 0), 0, u),
            at(2026, 3, 4, 17, 0, 0)
        );
        // Saturday → Monday.
        assert_eq!(due(at(2026, 3, 7, 9, 0, 0), 0, u), at(2026, 3, 9, 17, 0, 0));
        // Fri 13/02/2026 16:00 → after Tết, Mon 23/02.
        assert_eq!(
            due(at(2026, 2, 13, 16, 0, 0), 1, u),
            at(2026, 2, 23, 17, 0, 0)
        );
    }

    #[test]
    fn working_hours_limit() {
        let u = TimeUnit::Hour;
        // Tue 03/03/2026: across lunch, ending at noon closing, same day, overnight.
        assert_eq!(
            due(at(2026, 3, 3, 10, 30, 0), 2, u),
            at(2026, 3, 3, 14, 30, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 9, 30, 0), 2, u),
            at(2026, 3, 3, 11, 30, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 12, 10, 0), 1, u),
            at(2026, 3, 3, 14, 30, 0)
        );
        assert_eq!(
            due(at(2026, 3, 3, 16, 0, 0), 1, u),
            at(2026, 3, 3, 17, 0, 0)
        );
        assert_eq!(due(at(2026, 3, 3, 16, 0, 0), 2, u), at(2026, 3, 4, 8, 0, 0));
        assert_eq!(due(at(2026, 3, 3, 7, 0, 0), 8, u), at(2026, 3, 3, 17, 0, 0));
        assert_eq!(
            due(at(2026, 3, 3, 10, 0, 0), 0, u),
            at(2026, 3, 3, 10, 0, 0)
        );
        // Friday afternoon → Monday.
        assert_eq!(due(at(2026, 3, 6, 16, 0, 0), 2, u), at(2026, 3, 9, 8, 0, 0));
        // Many days at once: 80 h from Mon 02/03 07:00 end Fri 13/03 17:00; 81 h → Mon 08:00.
        assert_eq!(
            due(at(2026, 3, 2, 7, 0, 0), 80, u),
            at(2026, 3, 13, 17, 0, 0)
        );
        assert_eq!(
            due(at(2026, 3, 2, 7, 0, 0), 81, u),
            at(2026, 3, 16, 8, 0, 0)
        );
        // Across Tết: Fri 13/02/2026 16:00 + 3 h → Mon 23/02 09:00.
        assert_eq!(
            due(at(2026, 2, 13, 16, 0, 0), 3, u),
            at(2026, 2, 23, 9, 0, 0)
        );
    }

    /// The day-skipping shortcut agrees with counting hour by hour.
    #[test]
    fn hour_counting_is_consistent() {
        let start = at(2026, 2, 10, 9, 17, 5);
        let mut prev = due(start, 0, TimeUnit::Hour);
        for n in 1..=200 {
            let step = due(prev, 1, TimeUnit::Hour);
            let direct = due(start, n, TimeUnit::Hour);
            // Stepping from a closing time first moves to the next opening; compare the
            // moment within working time instead of the printed closing time.
            assert_eq!(norm_after(direct), norm_after(step), "n = {n}");
            prev = direct;
        }
    }

    fn norm_after(t: NaiveDateTime) -> NaiveDateTime {
        norm(t + TimeDelta::seconds(1))
    }

    #[test]
    fn calendar_days_roll_forward() {
        // Mon 20/04/2026 + 5 days = Sat 25/04; Sun 26 Giỗ Tổ, Mon 27 compensatory → Tue 28.
        assert_eq!(
            due(at(2026, 4, 20, 10, 0, 0), 5, TimeUnit::Day),
            at(2026, 4, 28, 10, 0, 0)
        );
        // Working-day target keeps its date.
        assert_eq!(
            due(at(2026, 4, 20, 10, 0, 0), 2, TimeUnit::Day),
            at(2026, 4, 22, 10, 0, 0)
        );
    }

    #[test]
    fn months_clamp_and_roll_forward() {
        // Tue 31/03/2026 + 1 month = Thu 30/04 (holiday), Fri 01/5 (holiday) → Mon 04/5.
        assert_eq!(
            due(at(2026, 3, 31, 9, 0, 0), 1, TimeUnit::Month),
            at(2026, 5, 4, 9, 0, 0)
        );
        // Wed 31/01/2024 + 1 month → Thu 29/02/2024 (leap year, rule-computed).
        assert_eq!(
            due(at(2024, 1, 31, 9, 0, 0), 1, TimeUnit::Month),
            at(2024, 2, 29, 9, 0, 0)
        );
        // Tue 31/01/2023 + 1 month → Tue 28/02/2023.
        assert_eq!(
            due(at(2023, 1, 31, 9, 0, 0), 1, TimeUnit::Month),
            at(2023, 2, 28, 9, 0, 0)
        );
        // Fri 30/01/2026 + 1 month → Sat 28/02 → Mon 02/03.
        assert_eq!(
            due(at(2026, 1, 30, 9, 0, 0), 1, TimeUnit::Month),
            at(2026, 3, 2, 9, 0, 0)
        );
    }

    #[test]
    fn extension_boundaries() {
        let c = cal();
        // Due Wed 25/02/2026: last day to extend is Tue 24/02.
        let due_wed = at(2026, 2, 25, 10, 0, 0);
        assert!(extension_allowed(at(2026, 2, 24, 16, 59, 0), due_wed, &c));
        assert!(extension_allowed(at(2026, 2, 24, 23, 59, 59), due_wed, &c));
        assert!(!extension_allowed(at(2026, 2, 25, 7, 0, 0), due_wed, &c));
        // Due Mon 23/02/2026 (after Tết): last day is Fri 13/02.
        let due_mon = at(2026, 2, 23, 10, 0, 0);
        assert!(extension_allowed(at(2026, 2, 13, 16, 0, 0), due_mon, &c));
        assert!(!extension_allowed(at(2026, 2, 14, 9, 0, 0), due_mon, &c));
        // Due Mon 12/01/2026: the make-up Saturday 10/01 is the last day.
        let due_jan = at(2026, 1, 12, 10, 0, 0);
        assert!(extension_allowed(at(2026, 1, 10, 11, 0, 0), due_jan, &c));
        assert!(!extension_allowed(at(2026, 1, 11, 9, 0, 0), due_jan, &c));
    }

    #[test]
    fn degenerate_hours_do_not_loop() {
        let h = WorkingHours {
            morning_start: hm(8, 0),
            morning_end: hm(8, 0),
            afternoon_start: hm(8, 0),
            afternoon_end: hm(8, 0),
        };
        assert!(h.validate().is_err());
        let r = at(2026, 3, 3, 8, 0, 0);
        let limit = TimeLimit::new(5, TimeUnit::Hour);
        assert_eq!(due_at(r, limit, &cal(), &h), r);
    }
}
