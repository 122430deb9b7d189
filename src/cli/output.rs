//! Shared pieces of the command line: reading times, writing JSON.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::cli::CliError;
use crate::domain::clock::{Timestamp, from_wall, vn_offset};

/// Reads a time given on the command line: RFC 3339 (`2026-03-02T09:30:00+07:00`), or a
/// Vietnam wall-clock `2026-03-02T09:30`, `2026-03-02 09:30[:00]`, or a bare date
/// (start of that day).
pub fn parse_time(raw: &str, what: &str) -> Result<Timestamp, CliError> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&vn_offset()));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(from_wall(t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(from_wall(d.and_time(chrono::NaiveTime::MIN)));
    }
    Err(CliError(format!(
        "{what} '{s}' không hợp lệ: dùng dạng 2026-03-02T09:30:00+07:00 hoặc 2026-03-02 09:30 (giờ Việt Nam)"
    )))
}

pub fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError(format!("không tạo được JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::format_rfc3339;

    #[test]
    fn times_in_every_accepted_form() {
        for raw in [
            "2026-03-02T09:30:00+07:00",
            "2026-03-02T02:30:00Z",
            "2026-03-02T09:30",
            "2026-03-02 09:30",
            "2026-03-02 09:30:00",
        ] {
            let t = parse_time(raw, "Thời điểm").expect(raw);
            assert_eq!(format_rfc3339(t), "2026-03-02T09:30:00+07:00", "{raw}");
        }
        assert!(parse_time("02/03/2026", "Thời điểm").is_err());
    }
}
