//! The official per-year calendar table (announced days off and make-up Saturdays).
//!
//! The table is a CSV with header `date,weekday,kind,name,calendar_rule,confidence,source`
//! and `#` comment lines. `kind` is STATUTORY, BRIDGE (swapped day off), COMP (compensatory
//! day off, BLLĐ Art 111(3)) or MAKEUP (Saturday worked, a working day). Only the first four
//! columns are used; the others document provenance. The weekday column is checked against
//! the date because a mismatch means the row was typed wrong. The shipped table (2025–2027)
//! is embedded at compile time; the centre may send a newer one as text.

use super::{CalendarEntry, CalendarEntryKind, CalendarError, DayOffKind};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// The shipped table, `assets/calendar/vn_holidays_2025_2027.csv`.
pub const OFFICIAL_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/calendar/vn_holidays_2025_2027.csv"
));

const HEADER: [&str; 7] = [
    "date",
    "weekday",
    "kind",
    "name",
    "calendar_rule",
    "confidence",
    "source",
];

/// The shipped table, parsed.
pub fn official_entries() -> Vec<CalendarEntry> {
    parse_official_csv(OFFICIAL_CSV).expect("the shipped calendar table is valid (tested)")
}

/// Parse a calendar table. Rows come back in file order. Errors name the line.
pub fn parse_official_csv(csv: &str) -> Result<Vec<CalendarEntry>, CalendarError> {
    // Comment and blank lines are dropped here rather than by the csv reader, whose line
    // numbers would then skip them; `line_of` maps back to the caller's line numbers.
    let mut kept = String::with_capacity(csv.len());
    let mut line_of = Vec::new();
    for (line, text) in (1u64..).zip(csv.lines()) {
        if text.trim().is_empty() || text.trim_start().starts_with('#') {
            continue;
        }
        kept.push_str(text);
        kept.push('\n');
        line_of.push(line);
    }
    let original_line = |csv_line: u64| {
        usize::try_from(csv_line.saturating_sub(1))
            .ok()
            .and_then(|i| line_of.get(i).copied())
            .unwrap_or(csv_line)
    };
    let csv_error = |e: csv::Error| CalendarError::Csv {
        line: original_line(e.position().map_or(0, |p| p.line())),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(kept.as_bytes());
    let header = reader.headers().map_err(csv_error)?.clone();
    let found: Vec<&str> = header.iter().collect();
    if found != HEADER {
        return Err(CalendarError::Header {
            expected: HEADER.join(","),
            found: found.join(","),
        });
    }
    let mut entries = Vec::new();
    let mut seen = BTreeSet::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = original_line(record.position().map_or(0, |p| p.line()));
        // The header check and the reader's equal-length rule guarantee 7 fields.
        let field = |i: usize| record.get(i).unwrap_or_default();
        let date =
            NaiveDate::parse_from_str(field(0), "%Y-%m-%d").map_err(|_| CalendarError::Date {
                line,
                value: field(0).to_string(),
            })?;
        let weekday = weekday_abbrev(date.weekday());
        if !field(1).eq_ignore_ascii_case(weekday) {
            return Err(CalendarError::Weekday {
                line,
                date,
                expected: weekday,
                found: field(1).to_string(),
            });
        }
        let kind = match field(2) {
            "STATUTORY" => CalendarEntryKind::Off(DayOffKind::Statutory),
            "BRIDGE" => CalendarEntryKind::Off(DayOffKind::Bridge),
            "COMP" => CalendarEntryKind::Off(DayOffKind::Compensatory),
            "MAKEUP" => CalendarEntryKind::MakeUpWorkday,
            other => {
                return Err(CalendarError::Kind {
                    line,
                    value: other.to_string(),
                });
            }
        };
        // A make-up day on a weekday would change nothing: it is a data error.
        if kind == CalendarEntryKind::MakeUpWorkday && !super::is_weekend(date) {
            return Err(CalendarError::MakeUpOnWeekday { line, date });
        }
        let name = field(3);
        if name.is_empty() {
            return Err(CalendarError::EmptyName { line });
        }
        if !seen.insert(date) {
            return Err(CalendarError::Duplicate { line, date });
        }
        entries.push(CalendarEntry {
            date,
            kind,
            name: name.to_string(),
        });
    }
    Ok(entries)
}

fn weekday_abbrev(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_CSV: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/calendar/vn_holidays_2025_2027.csv"
    ));
    const HEAD: &str = "date,weekday,kind,name,calendar_rule,confidence,source\n";

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn shipped_table_parses() {
        let entries = parse_official_csv(TEST_CSV).expect("valid");
        assert_eq!(entries, official_entries());
        assert_eq!(entries.len(), 42);
        let makeup: Vec<NaiveDate> = entries
            .iter()
            .filter(|e| e.kind == CalendarEntryKind::MakeUpWorkday)
            .map(|e| e.date)
            .collect();
        assert_eq!(makeup, [d(2026, 1, 10), d(2026, 8, 22)]);
        let first = &entries[0];
        assert_eq!(first.date, d(2025, 1, 1));
        assert_eq!(first.kind, CalendarEntryKind::Off(DayOffKind::Statutory));
        assert_eq!(first.name, "Tết Dương lịch");
        let bridge = entries.iter().find(|e| e.date == d(2026, 8, 31));
        assert_eq!(
            bridge.map(|e| e.kind),
            Some(CalendarEntryKind::Off(DayOffKind::Bridge))
        );
        let comp = entries.iter().find(|e| e.date == d(2026, 4, 27));
        assert_eq!(
            comp.map(|e| e.kind),
            Some(CalendarEntryKind::Off(DayOffKind::Compensatory))
        );
    }

    #[test]
    fn comments_and_empty_table() {
        let text = format!("{HEAD}# only a comment, with, commas\n");
        assert_eq!(parse_official_csv(&text), Ok(vec![]));
    }

    #[test]
    fn weekday_mismatch_is_rejected() {
        let text = format!("{HEAD}# c\n\n2026-01-01,Fri,STATUTORY,Tết,r,HIGH,s\n");
        assert_eq!(
            parse_official_csv(&text),
            Err(CalendarError::Weekday {
                line: 4,
                date: d(2026, 1, 1),
                expected: "Thu",
                found: "Fri".into()
            })
        );
    }

    #[test]
    fn precise_errors() {
        let bad_date = format!("{HEAD}2026-02-30,Mon,STATUTORY,x,r,c,s\n");
        assert_eq!(
            parse_official_csv(&bad_date),
            Err(CalendarError::Date {
                line: 2,
                value: "2026-02-30".into()
            })
        );
        let bad_kind = format!("{HEAD}2026-01-01,Thu,HOLIDAY,x,r,c,s\n");
        assert!(matches!(
            parse_official_csv(&bad_kind),
            Err(CalendarError::Kind { line: 2, .. })
        ));
        let makeup_weekday = format!("{HEAD}2026-01-01,Thu,MAKEUP,x,r,c,s\n");
        assert!(matches!(
            parse_official_csv(&makeup_weekday),
            Err(CalendarError::MakeUpOnWeekday { line: 2, .. })
        ));
        let empty_name = format!("{HEAD}2026-01-01,Thu,STATUTORY, ,r,c,s\n");
        assert_eq!(
            parse_official_csv(&empty_name),
            Err(CalendarError::EmptyName { line: 2 })
        );
        let dup =
            format!("{HEAD}2026-01-01,Thu,STATUTORY,a,r,c,s\n2026-01-01,Thu,BRIDGE,b,r,c,s\n");
        assert!(matches!(
            parse_official_csv(&dup),
            Err(CalendarError::Duplicate { line: 3, .. })
        ));
        let short = format!("{HEAD}# c\n2026-01-01,Thu,STATUTORY\n");
        assert!(matches!(
            parse_official_csv(&short),
            Err(CalendarError::Csv { line: 3, .. })
        ));
        let header = "date,kind,name\n2026-01-01,STATUTORY,x\n";
        assert!(matches!(
            parse_official_csv(header),
            Err(CalendarError::Header { .. })
        ));
    }

    #[test]
    fn error_messages_name_the_line() {
        let text = format!("{HEAD}2026-01-01,Fri,STATUTORY,Tết,r,HIGH,s\n");
        let msg = parse_official_csv(&text).expect_err("mismatch").to_string();
        assert!(msg.contains("dòng 2"), "{msg}");
        assert!(msg.contains("Thu"), "{msg}");
    }
}
