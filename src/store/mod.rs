//! The desk's local SQLite store: the desk's truth, which works with no network.
//!
//! One file per desk, owner-only, in WAL mode with `synchronous=FULL`: a dossier is
//! durable when the clerk sees its code. Every user action is one IMMEDIATE
//! transaction that writes the event, updates the projection and appends to the outbox
//! together (`log`). A database that fails to open is never deleted or recreated: it
//! may hold the only copy of a citizen's dossier.

pub mod accounts;
pub mod admin;
pub mod backup;
pub mod backup_files;
pub mod book;
pub mod calendar;
pub mod catalogue;
pub mod dashboard;
pub mod demo;
pub mod documents;
pub mod dossiers;
pub mod drafts;
pub mod error;
pub mod files;
pub mod listing;
pub mod log;
pub mod migrations;
pub mod paths;
pub mod province;
pub mod rating;
pub mod rating_reads;
pub mod recovery;
pub mod report;
pub mod scorecard;
pub mod search;
pub mod setup;
pub mod sync_state;
#[cfg(test)]
pub mod testkit;
pub mod tracking;

use std::cell::OnceCell;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::domain::calendar::WorkCalendar;
pub use crate::store::error::{Result, StoreError};
pub use crate::store::paths::DataPaths;

/// An open desk database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    paths: DataPaths,
    calendar: OnceCell<WorkCalendar>,
}

impl Store {
    /// Opens (creating if needed) the desk database in `paths`, migrating it forward
    /// after a backup. Refuses a newer or corrupt database without touching it.
    pub fn open(paths: DataPaths) -> Result<Store> {
        paths.ensure_dirs()?;
        let existed = paths.db.exists();
        let mut conn = Connection::open_with_flags(
            &paths.db,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(&paths, e))?;
        // Read the version before any pragma writes to the file.
        let version = migrations::current_version(&conn).map_err(|e| match e {
            StoreError::Sqlite(inner) => open_error(&paths, clone_sqlite(&inner)),
            other => other,
        })?;
        let latest = migrations::latest_version();
        if version > latest {
            return Err(StoreError::TooNew {
                path: paths.db.clone(),
                found: version,
                supported: latest,
            });
        }
        configure(&conn).map_err(|e| match e {
            StoreError::Sqlite(inner) => open_error(&paths, clone_sqlite(&inner)),
            other => other,
        })?;
        if existed && version > 0 && version < latest {
            backup::backup_before_migration(&conn, &paths, version)?;
        }
        // Damage deeper than the header shows only when pages are read.
        let corrupt_to_open = |e: StoreError| match e {
            StoreError::Sqlite(inner) => open_error(&paths, clone_sqlite(&inner)),
            other => other,
        };
        migrations::migrate_to(&mut conn, latest).map_err(corrupt_to_open)?;
        seed(&mut conn).map_err(corrupt_to_open)?;
        paths.restrict_file_permissions()?;
        Ok(Store {
            conn,
            paths,
            calendar: OnceCell::new(),
        })
    }

    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The work calendar: the stored official table, rules for other years.
    pub fn calendar(&self) -> Result<&WorkCalendar> {
        if let Some(c) = self.calendar.get() {
            return Ok(c);
        }
        let loaded = calendar::load(&self.conn)?;
        Ok(self.calendar.get_or_init(|| loaded))
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is written, or none of it.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Fills the catalogue and calendar of a new database from the shipped seed.
fn seed(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    catalogue::seed_if_empty(&tx, crate::domain::clock::now_vn())?;
    calendar::seed_if_empty(&tx)?;
    tx.commit()?;
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Invalid(format!(
            "Không bật được chế độ WAL cho cơ sở dữ liệu (đang là {mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// rusqlite errors are not Clone; rebuild the one we need to classify.
fn clone_sqlite(e: &rusqlite::Error) -> rusqlite::Error {
    match e {
        rusqlite::Error::SqliteFailure(code, msg) => {
            rusqlite::Error::SqliteFailure(*code, msg.clone())
        }
        other => rusqlite::Error::InvalidParameterName(other.to_string()),
    }
}

/// The refusal of a corrupt database, naming the newest backup and the exact command
/// that restores it (the corrupt file is then kept beside the restored one).
pub(crate) fn corrupt(paths: &DataPaths) -> StoreError {
    let newest_backup = backup::newest_backup(&paths.backups);
    let advice = match &newest_backup {
        Some(file) => format!(
            "Bản sao lưu mới nhất là {}. Để khôi phục bản sao lưu này, chạy: motcua --data-dir {} restore {}",
            file.display(),
            shell_quote(&paths.dir),
            shell_quote(file)
        ),
        None => format!(
            "Không có bản sao lưu nào trong {}; nếu có bản sao lưu ở nơi khác, hãy khôi phục bản sao lưu đó: motcua --data-dir {} restore TỆP_SAO_LƯU",
            paths.backups.display(),
            shell_quote(&paths.dir)
        ),
    };
    StoreError::Corrupt {
        path: paths.db.clone(),
        backups: paths.backups.clone(),
        newest_backup,
        advice,
    }
}

/// A path as one shell word (quoted only when it needs it).
fn shell_quote(p: &std::path::Path) -> String {
    let s = p.display().to_string();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn open_error(paths: &DataPaths, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => corrupt(paths),
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::ReadOnly {
            path: paths.db.clone(),
        },
        _ => StoreError::from(e),
    }
}
