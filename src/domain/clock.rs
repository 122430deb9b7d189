//! Vietnam wall-clock time.
//!
//! Every time the desk shows, prints or stores is Vietnam time (UTC+7, no daylight
//! saving). Rules compute on `NaiveDateTime` wall-clock values; stored and exchanged
//! values carry the explicit `+07:00` offset so they stay unambiguous on any machine.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// A point in time with its offset, as stored and exchanged (RFC 3339).
pub type Timestamp = DateTime<FixedOffset>;

/// Seconds east of UTC for Vietnam.
const VN_OFFSET_SECS: i32 = 7 * 3600;

/// The fixed UTC+7 offset of Vietnam.
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(VN_OFFSET_SECS).expect("UTC+7 is a valid offset")
}

/// Now, in Vietnam time.
pub fn now_vn() -> Timestamp {
    Utc::now().with_timezone(&vn_offset())
}

/// A Vietnam wall-clock value as a timestamp with the +07:00 offset.
pub fn from_wall(local: NaiveDateTime) -> Timestamp {
    vn_offset()
        .from_local_datetime(&local)
        .single()
        .expect("a fixed offset maps every local time to exactly one instant")
}

/// The Vietnam wall-clock value of any timestamp (converted to UTC+7 first).
pub fn to_wall(t: Timestamp) -> NaiveDateTime {
    t.with_timezone(&vn_offset()).naive_local()
}

/// The stored key of midnight (Vietnam time) starting `day`, e.g.
/// `2026-03-02T00:00:00+07:00`: every day range over stored times starts here.
pub fn day_key(day: chrono::NaiveDate) -> String {
    format_rfc3339(from_wall(day.and_time(chrono::NaiveTime::MIN)))
}

/// RFC 3339 with seconds and the +07:00 offset, e.g. `2026-03-02T09:30:00+07:00`.
pub fn format_rfc3339(t: Timestamp) -> String {
    t.with_timezone(&vn_offset())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A date as NĐ 30/2020/NĐ-CP Phụ lục I writes it: "ngày 05 tháng 3 năm 2026", "ngày 15
/// tháng 02 năm 2026". Only days below 10 and the months 1 and 2 take a leading zero.
/// Every form and report prints its dates through this one function.
pub fn date_words_vi(date: NaiveDate) -> String {
    let month = date.month();
    let month = if month < 3 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// `HH giờ MM phút, ngày DD tháng M năm YYYY`, the wording of the official forms (the
/// date by [`date_words_vi`]).
pub fn format_vi_long(t: Timestamp) -> String {
    let wall = to_wall(t);
    format!(
        "{}, {}",
        wall.format("%H giờ %M phút"),
        date_words_vi(wall.date())
    )
}

/// `DD/MM/YYYY HH:MM`, the compact form used in lists and messages.
pub fn format_vi_short(t: Timestamp) -> String {
    to_wall(t).format("%d/%m/%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn wall_round_trip_and_formats() {
        let wall = NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("valid");
        let t = from_wall(wall);
        assert_eq!(format_rfc3339(t), "2026-03-02T09:30:00+07:00");
        assert_eq!(
            format_vi_long(t),
            "09 giờ 30 phút, ngày 02 tháng 3 năm 2026"
        );
        assert_eq!(format_vi_short(t), "02/03/2026 09:30");
        let utc = t.with_timezone(&Utc).fixed_offset();
        assert_eq!(to_wall(utc), wall);
    }

    /// NĐ 30/2020 Phụ lục I: a zero before days 1–9 and months 1 and 2 only.
    #[test]
    fn dates_in_words_as_the_decree_writes_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        assert_eq!(date_words_vi(d(2026, 3, 5)), "ngày 05 tháng 3 năm 2026");
        assert_eq!(date_words_vi(d(2026, 2, 15)), "ngày 15 tháng 02 năm 2026");
        assert_eq!(date_words_vi(d(2026, 1, 9)), "ngày 09 tháng 01 năm 2026");
        assert_eq!(date_words_vi(d(2026, 10, 10)), "ngày 10 tháng 10 năm 2026");
        assert_eq!(date_words_vi(d(2026, 12, 31)), "ngày 31 tháng 12 năm 2026");
        assert_eq!(date_words_vi(d(2026, 9, 1)), "ngày 01 tháng 9 năm 2026");
    }
}
