//! Processing time limits (thời hạn giải quyết) of administrative procedures.
//!
//! A limit is a number plus a unit. The units are those of the national catalogue
//! (`processingTimeUnit`: WORKING_DAY, DAY, MONTH, HOUR) plus `SAME_DAY_15H`, the
//! hộ tịch / chứng thực rule "resolved the same day; received after 15:00 → next working
//! day" (Luật Hộ tịch 2014 Art 5(3), NĐ 23/2015 Art 7). How a limit turns into a due
//! time is decided in [`crate::domain::due`]; this module only names and prints limits.

use serde::{Deserialize, Serialize};

/// Unit of a processing time limit. Serialized as the catalogue code (`WORKING_DAY` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimeUnit {
    /// Ngày làm việc: skips weekends, holidays and days off; counts make-up Saturdays.
    WorkingDay,
    /// Ngày (calendar days), rolled forward to a working day at the end.
    Day,
    /// Tháng (calendar months), rolled forward to a working day at the end.
    Month,
    /// Giờ làm việc: counted inside office hours only.
    Hour,
    /// Trong ngày, with the 15:00 cut-off.
    #[serde(rename = "SAME_DAY_15H")]
    SameDay15h,
}

impl TimeUnit {
    /// Every unit, in catalogue order.
    pub const ALL: [TimeUnit; 5] = [
        TimeUnit::WorkingDay,
        TimeUnit::Day,
        TimeUnit::Month,
        TimeUnit::Hour,
        TimeUnit::SameDay15h,
    ];

    /// The catalogue / storage code, identical to the serde name.
    pub fn code(self) -> &'static str {
        match self {
            TimeUnit::WorkingDay => "WORKING_DAY",
            TimeUnit::Day => "DAY",
            TimeUnit::Month => "MONTH",
            TimeUnit::Hour => "HOUR",
            TimeUnit::SameDay15h => "SAME_DAY_15H",
        }
    }

    /// Inverse of [`TimeUnit::code`]; exact match (codes are machine data).
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == s)
    }

    /// The spelling used on the command line: `working-day`, `day`, `month`, `hour`,
    /// `same-day` (also `same-day-15h`). Case-insensitive, surrounding spaces ignored.
    pub fn from_cli(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "working-day" => Some(TimeUnit::WorkingDay),
            "day" => Some(TimeUnit::Day),
            "month" => Some(TimeUnit::Month),
            "hour" => Some(TimeUnit::Hour),
            "same-day" | "same-day-15h" => Some(TimeUnit::SameDay15h),
            _ => None,
        }
    }

    /// The unit as printed on Vietnamese forms.
    pub fn label_vi(self) -> &'static str {
        match self {
            TimeUnit::WorkingDay => "ngày làm việc",
            TimeUnit::Day => "ngày",
            TimeUnit::Month => "tháng",
            TimeUnit::Hour => "giờ làm việc",
            TimeUnit::SameDay15h => "trong ngày (trước 15 giờ)",
        }
    }
}

/// The same-day limit as the statute words it (Luật Hộ tịch 2014 Art 5(3): "… giải quyết
/// ngay trong ngày; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì
/// trả kết quả trong ngày làm việc tiếp theo"; NĐ 23/2015 Art 7 for chứng thực).
pub const SAME_DAY_VI: &str = "Giải quyết ngay trong ngày; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo";

/// A processing time limit. For [`TimeUnit::SameDay15h`] the value is not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    pub value: u32,
    pub unit: TimeUnit,
}

impl TimeLimit {
    pub fn new(value: u32, unit: TimeUnit) -> Self {
        Self { value, unit }
    }

    /// The limit as written in Vietnamese documents: numbers are zero-padded to two
    /// digits ("03 ngày làm việc"), as on Mẫu 01 and in the national catalogue.
    pub fn describe_vi(&self) -> String {
        match self.unit {
            // Luật Hộ tịch 2014 Art 5(3); NĐ 23/2015 Art 7 says the same for chứng thực.
            TimeUnit::SameDay15h => SAME_DAY_VI.to_string(),
            unit => format!("{:02} {}", self.value, unit.label_vi()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for u in TimeUnit::ALL {
            assert_eq!(TimeUnit::from_code(u.code()), Some(u));
        }
        assert_eq!(TimeUnit::from_code("working_day"), None);
        assert_eq!(TimeUnit::from_code("OTHER"), None);
    }

    #[test]
    fn cli_spellings() {
        assert_eq!(
            TimeUnit::from_cli("working-day"),
            Some(TimeUnit::WorkingDay)
        );
        assert_eq!(TimeUnit::from_cli("day"), Some(TimeUnit::Day));
        assert_eq!(TimeUnit::from_cli(" Month "), Some(TimeUnit::Month));
        assert_eq!(TimeUnit::from_cli("hour"), Some(TimeUnit::Hour));
        assert_eq!(TimeUnit::from_cli("same-day"), Some(TimeUnit::SameDay15h));
        assert_eq!(TimeUnit::from_cli("WORKING_DAY"), None);
        assert_eq!(TimeUnit::from_cli("week"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(TimeUnit::WorkingDay.label_vi(), "ngày làm việc");
        assert_eq!(TimeUnit::Hour.label_vi(), "giờ làm việc");
        assert_eq!(TimeUnit::SameDay15h.label_vi(), "trong ngày (trước 15 giờ)");
    }

    #[test]
    fn describe() {
        assert_eq!(
            TimeLimit::new(3, TimeUnit::WorkingDay).describe_vi(),
            "03 ngày làm việc"
        );
        assert_eq!(TimeLimit::new(15, TimeUnit::Day).describe_vi(), "15 ngày");
        assert_eq!(TimeLimit::new(1, TimeUnit::Month).describe_vi(), "01 tháng");
        assert_eq!(
            TimeLimit::new(4, TimeUnit::Hour).describe_vi(),
            "04 giờ làm việc"
        );
        assert_eq!(
            TimeLimit::new(0, TimeUnit::SameDay15h).describe_vi(),
            "Giải quyết ngay trong ngày; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo"
        );
    }

    /// Serde names are the catalogue codes (checked through the csv serializer, the
    /// only serde format among this module's dependencies).
    #[test]
    fn serde_uses_codes() {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for u in TimeUnit::ALL {
            w.serialize(TimeLimit::new(2, u)).expect("serialize");
        }
        let text = String::from_utf8(w.into_inner().expect("flush")).expect("utf8");
        assert_eq!(
            text,
            "2,WORKING_DAY\n2,DAY\n2,MONTH\n2,HOUR\n2,SAME_DAY_15H\n"
        );
        let back: Vec<TimeLimit> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("deserialize");
        let units: Vec<TimeUnit> = back.iter().map(|l| l.unit).collect();
        assert_eq!(units, TimeUnit::ALL);
    }
}
