//! What every operator's command works with (one connection, who is acting, the files
//! folder) and the small helpers they share for printing.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::centre::audit::Operator;
use crate::domain::clock::from_wall;

pub(super) type Fallible = Result<(), String>;

/// What every operator's command works with: one connection and who is acting.
pub(super) struct Ctx {
    pub client: deadpool_postgres::Object,
    pub operator: Operator,
    pub files_dir: PathBuf,
}

pub(super) fn e2s(e: crate::centre::error::ApiError) -> String {
    e.to_string()
}

pub(super) fn print_json<T: serde::Serialize>(value: &T) -> Fallible {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Midnight, Vietnam time, of a day given on the command line.
pub(super) fn start_of_day(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    from_wall(day.and_time(chrono::NaiveTime::MIN)).with_timezone(&chrono::Utc)
}

pub(super) fn vn_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&crate::domain::clock::vn_offset())
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}
