//! Office hours of a unit: the two working intervals of a day.
//!
//! Written and read as `"07:00-11:30,13:30-17:00"`, which is how a unit's settings store
//! them. The 15:00 same-day cut-off is statute ([`super::SAME_DAY_CUTOFF`]), not a setting:
//! a third part is refused when typed, and ignored in a value stored by an older version.

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why office hours cannot be used. Messages are shown to the unit's administrator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DueError {
    #[error("Giờ làm việc '{input}' không đúng dạng 07:00-11:30,13:30-17:00")]
    Format { input: String },
    #[error("Giờ '{value}' không hợp lệ (cần HH:MM)")]
    Time { value: String },
    #[error(
        "Giờ làm việc phải tăng dần: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc"
    )]
    Order,
    #[error(
        "Giờ chốt nhận hồ sơ trong ngày là 15 giờ theo Luật Hộ tịch (Điều 5 khoản 3), không do đơn vị đặt: \
         chỉ nhập giờ làm việc buổi sáng và buổi chiều, ví dụ 07:00-11:30,13:30-17:00"
    )]
    Cutoff,
}

/// A unit's office hours: a morning and an afternoon interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub morning_start: NaiveTime,
    pub morning_end: NaiveTime,
    pub afternoon_start: NaiveTime,
    pub afternoon_end: NaiveTime,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("constant office hour is a valid time")
}

impl Default for WorkingHours {
    /// 07:00–11:30 and 13:30–17:00 (Thanh Hóa defaults).
    fn default() -> Self {
        Self {
            morning_start: hm(7, 0),
            morning_end: hm(11, 30),
            afternoon_start: hm(13, 30),
            afternoon_end: hm(17, 0),
        }
    }
}

impl WorkingHours {
    /// Intervals are non-empty and in order (a zero-length lunch is allowed).
    pub fn validate(&self) -> Result<(), DueError> {
        let ordered = self.morning_start < self.morning_end
            && self.morning_end <= self.afternoon_start
            && self.afternoon_start < self.afternoon_end;
        if !ordered {
            return Err(DueError::Order);
        }
        Ok(())
    }

    /// Parse `"07:00-11:30,13:30-17:00"` as typed by an administrator. The result is
    /// validated; a third part (a cut-off, once a setting) is refused with the reason.
    pub fn parse(s: &str) -> Result<Self, DueError> {
        if s.split(',').count() == 3 {
            return Err(DueError::Cutoff);
        }
        Self::parse_stored(s)
    }

    /// Parse a stored value: as [`WorkingHours::parse`], but a cut-off written by an
    /// older version (`",15:00"`) is ignored, since the statute decides it.
    pub fn parse_stored(s: &str) -> Result<Self, DueError> {
        let format_err = || DueError::Format {
            input: s.to_string(),
        };
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let (morning, afternoon) = match parts.as_slice() {
            [m, a] | [m, a, _] => (*m, *a),
            _ => return Err(format_err()),
        };
        let interval = |text: &str| -> Result<(NaiveTime, NaiveTime), DueError> {
            let (start, end) = text.split_once('-').ok_or_else(format_err)?;
            Ok((parse_time(start)?, parse_time(end)?))
        };
        let (morning_start, morning_end) = interval(morning)?;
        let (afternoon_start, afternoon_end) = interval(afternoon)?;
        let hours = Self {
            morning_start,
            morning_end,
            afternoon_start,
            afternoon_end,
        };
        hours.validate()?;
        Ok(hours)
    }

    /// Working intervals of one day, in order.
    pub(crate) fn intervals(&self) -> [(NaiveTime, NaiveTime); 2] {
        [
            (self.morning_start, self.morning_end),
            (self.afternoon_start, self.afternoon_end),
        ]
    }
}

impl fmt::Display for WorkingHours {
    /// The [`WorkingHours::parse`] format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{},{}-{}",
            fmt_time(self.morning_start),
            fmt_time(self.morning_end),
            fmt_time(self.afternoon_start),
            fmt_time(self.afternoon_end)
        )
    }
}

impl FromStr for WorkingHours {
    type Err = DueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn parse_time(s: &str) -> Result<NaiveTime, DueError> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .map_err(|_| DueError::Time {
            value: s.to_string(),
        })
}

fn fmt_time(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_parse_display_validate() {
        let h = WorkingHours::default();
        assert_eq!(h.validate(), Ok(()));
        assert_eq!(h.to_string(), "07:00-11:30,13:30-17:00");
        assert_eq!(WorkingHours::parse("07:00-11:30,13:30-17:00"), Ok(h));
        assert_eq!(" 07:00 - 11:30 , 13:30 - 17:00 ".parse(), Ok(h));
        let custom = WorkingHours::parse("7:30-11:30,13:00-16:30").expect("valid");
        assert_eq!(custom.to_string(), "07:30-11:30,13:00-16:30");
        assert_eq!(WorkingHours::parse(&custom.to_string()), Ok(custom));
        // A cut-off stored by an older version is dropped: the statute decides it.
        assert_eq!(
            WorkingHours::parse_stored("7:30-11:30,13:00-16:30,14:00"),
            Ok(custom)
        );
        // No lunch break is allowed.
        assert!(WorkingHours::parse("07:00-12:00,12:00-16:00").is_ok());
    }

    #[test]
    fn hours_errors() {
        assert!(matches!(
            WorkingHours::parse("07:00-11:30"),
            Err(DueError::Format { .. })
        ));
        assert!(matches!(
            WorkingHours::parse("07:00-11:30;13:30-17:00"),
            Err(DueError::Format { .. })
        ));
        assert!(matches!(
            WorkingHours::parse("07:00-11:30,13:30+17:00"),
            Err(DueError::Format { .. })
        ));
        assert_eq!(
            WorkingHours::parse("07:00-11:30,13:30-25:00"),
            Err(DueError::Time {
                value: "25:00".into()
            })
        );
        assert_eq!(
            WorkingHours::parse("07:00-11:30,11:00-17:00"),
            Err(DueError::Order)
        );
        assert_eq!(
            WorkingHours::parse("07:00-07:00,13:30-17:00"),
            Err(DueError::Order)
        );
        // The 15:00 cut-off is statute (Luật Hộ tịch Art 5(3)): typing one is refused.
        assert_eq!(
            WorkingHours::parse("07:00-11:30,13:30-17:00,14:00"),
            Err(DueError::Cutoff)
        );
        assert!(DueError::Cutoff.to_string().contains("Luật Hộ tịch"));
    }
}
