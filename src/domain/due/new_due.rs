//! The new appointment of an extension (Mẫu 04, gia hạn): a working day, at a time the
//! desk is open.
//!
//! A date typed without a time means that day's closing time (the end of the afternoon
//! office hours), never 00:00, which would promise a time the desk is shut and,
//! compared by time, the end of the day before. A date that is not a working day, or a
//! time outside office hours, is refused rather than moved: Mẫu 04 is a written promise
//! with the date the clerk typed, signed and handed to the citizen, and a desk that
//! silently printed another date would make the clerk promise what they did not read.
//! The refusal names the nearest working days, so the clerk picks one in one step.

use chrono::Datelike;
use chrono::{NaiveDate, NaiveDateTime, Weekday};
use thiserror::Error;

use crate::domain::calendar::WorkCalendar;
use crate::domain::due::hours::WorkingHours;

/// What the clerk typed as the new appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewDue {
    /// A date and a time (Vietnam wall clock).
    At(NaiveDateTime),
    /// A date alone: the closing time of that day.
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NewDueError {
    #[error(
        "Hạn trả mới {day} là ngày nghỉ; hẹn vào một ngày làm việc, ví dụ {before} hoặc {after}"
    )]
    RestDay {
        day: String,
        before: String,
        after: String,
    },
    #[error(
        "Hạn trả mới {at} ngoài giờ làm việc ({hours}); hẹn trong giờ làm việc, ví dụ {closing}"
    )]
    OutsideHours {
        at: String,
        hours: String,
        closing: String,
    },
}

fn weekday_vi(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "thứ Hai",
        Weekday::Tue => "thứ Ba",
        Weekday::Wed => "thứ Tư",
        Weekday::Thu => "thứ Năm",
        Weekday::Fri => "thứ Sáu",
        Weekday::Sat => "thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

fn day_vi(d: NaiveDate) -> String {
    format!("{} {}", weekday_vi(d), d.format("%d/%m/%Y"))
}

/// The new due time for `input`, or why it cannot be one.
pub fn resolve_new_due(
    input: NewDue,
    calendar: &WorkCalendar,
    hours: &WorkingHours,
) -> Result<NaiveDateTime, NewDueError> {
    let day = match input {
        NewDue::At(t) => t.date(),
        NewDue::Day(d) => d,
    };
    if !calendar.is_working_day(day) {
        return Err(NewDueError::RestDay {
            day: day_vi(day),
            before: day_vi(calendar.previous_working_day(day)),
            after: day_vi(calendar.next_working_day(day)),
        });
    }
    let closing = day.and_time(hours.afternoon_end);
    match input {
        NewDue::Day(_) => Ok(closing),
        NewDue::At(t) => {
            let time = t.time();
            let open = (hours.morning_start..=hours.morning_end).contains(&time)
                || (hours.afternoon_start..=hours.afternoon_end).contains(&time);
            if open {
                Ok(t)
            } else {
                Err(NewDueError::OutsideHours {
                    at: t.format("%H:%M %d/%m/%Y").to_string(),
                    hours: hours.to_string(),
                    closing: closing.format("%H:%M %d/%m/%Y").to_string(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).expect("time")
    }

    #[test]
    fn a_date_alone_means_the_closing_time_of_that_day() {
        let (cal, hours) = (WorkCalendar::official(), WorkingHours::default());
        assert_eq!(
            resolve_new_due(NewDue::Day(d(2026, 12, 28)), &cal, &hours),
            Ok(at(2026, 12, 28, 17, 0))
        );
    }

    #[test]
    fn a_sunday_is_refused_with_the_nearest_working_days() {
        let (cal, hours) = (WorkCalendar::official(), WorkingHours::default());
        let err = resolve_new_due(NewDue::Day(d(2026, 12, 27)), &cal, &hours)
            .expect_err("Sunday 27/12/2026");
        let text = err.to_string();
        assert!(text.contains("Chủ nhật 27/12/2026 là ngày nghỉ"), "{text}");
        assert!(text.contains("thứ Sáu 25/12/2026"), "{text}");
        assert!(text.contains("thứ Hai 28/12/2026"), "{text}");
        // Also with a time, and on a public holiday (Quốc khánh 02/09/2026).
        assert!(resolve_new_due(NewDue::At(at(2026, 12, 27, 9, 0)), &cal, &hours).is_err());
        assert!(resolve_new_due(NewDue::Day(d(2026, 9, 2)), &cal, &hours).is_err());
    }

    #[test]
    fn a_time_outside_office_hours_is_refused() {
        let (cal, hours) = (WorkCalendar::official(), WorkingHours::default());
        for (h, m) in [(0, 0), (6, 59), (12, 0), (17, 1), (20, 0)] {
            let err = resolve_new_due(NewDue::At(at(2026, 12, 28, h, m)), &cal, &hours)
                .expect_err("outside hours");
            assert!(err.to_string().contains("ngoài giờ làm việc"), "{err}");
        }
        for (h, m) in [(7, 0), (11, 30), (13, 30), (16, 0), (17, 0)] {
            assert_eq!(
                resolve_new_due(NewDue::At(at(2026, 12, 28, h, m)), &cal, &hours),
                Ok(at(2026, 12, 28, h, m))
            );
        }
    }
}
