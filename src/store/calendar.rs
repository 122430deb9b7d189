//! The work calendar in the store: the official table (seeded from the shipped file,
//! replaceable by the centre's), from which `WorkCalendar` is built.

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use crate::domain::calendar::{
    CalendarEntry, CalendarEntryKind, DayOffKind, WorkCalendar, official_entries,
};
use crate::store::error::{Result, StoreError};

fn kind_str(kind: &CalendarEntryKind) -> &'static str {
    match kind {
        CalendarEntryKind::Off(DayOffKind::Statutory) => "statutory",
        CalendarEntryKind::Off(DayOffKind::Bridge) => "bridge",
        CalendarEntryKind::Off(DayOffKind::Compensatory) => "compensatory",
        CalendarEntryKind::MakeUpWorkday => "makeup",
    }
}

fn kind_from(s: &str) -> Option<CalendarEntryKind> {
    Some(match s {
        "statutory" => CalendarEntryKind::Off(DayOffKind::Statutory),
        "bridge" => CalendarEntryKind::Off(DayOffKind::Bridge),
        "compensatory" => CalendarEntryKind::Off(DayOffKind::Compensatory),
        "makeup" => CalendarEntryKind::MakeUpWorkday,
        _ => return None,
    })
}

/// Replaces the entries of every year present in `entries` (an official year is
/// announced as a whole), leaving other years alone.
pub fn replace_years(tx: &Transaction<'_>, entries: &[CalendarEntry], source: &str) -> Result<()> {
    use chrono::Datelike;
    let years: std::collections::BTreeSet<i32> = entries.iter().map(|e| e.date.year()).collect();
    for year in years {
        tx.execute(
            "DELETE FROM calendar_day WHERE date >= ?1 AND date <= ?2",
            params![format!("{year:04}-01-01"), format!("{year:04}-12-31")],
        )?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO calendar_day (date, kind, name, source) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for e in entries {
        stmt.execute(params![
            e.date.to_string(),
            kind_str(&e.kind),
            e.name,
            source
        ])?;
    }
    Ok(())
}

pub fn seed_if_empty(tx: &Transaction<'_>) -> Result<()> {
    let count: i64 = tx.query_row("SELECT count(*) FROM calendar_day", [], |r| r.get(0))?;
    if count == 0 {
        replace_years(tx, &official_entries(), "official")?;
    }
    Ok(())
}

pub fn load(conn: &Connection) -> Result<WorkCalendar> {
    let mut stmt = conn.prepare("SELECT date, kind, name FROM calendar_day ORDER BY date")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (date, kind, name) = row?;
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|e| StoreError::decode("lịch làm việc", e))?;
        let kind = kind_from(&kind).ok_or_else(|| StoreError::decode("lịch làm việc", kind))?;
        entries.push(CalendarEntry { date, kind, name });
    }
    Ok(WorkCalendar::new(entries))
}
