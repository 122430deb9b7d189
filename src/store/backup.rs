//! Online backups and restore.
//!
//! Backups use SQLite's online backup API, so a backup is a consistent database even
//! while the desk works. A rotating set is kept: one a day (the last `DAILY_KEEP`
//! days) and one before every migration. Restore never deletes the current database:
//! it is set aside next to it first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::domain::clock::{Timestamp, to_wall};
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::migrations::latest_version;
use crate::store::paths::{DataPaths, set_mode};

const DAILY_KEEP: usize = 7;
const DAILY_PREFIX: &str = "daily-";

fn backup_error(path: &Path, reason: impl ToString) -> StoreError {
    StoreError::Backup {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Copies the open database to `dest` (which must not exist) with the online backup API.
pub fn backup_connection(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(backup_error(dest, "tệp đích đã tồn tại; chọn tên khác"));
    }
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
    }
    let mut target = Connection::open(dest)?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
        backup.run_to_completion(4096, Duration::ZERO, None)?;
    }
    // A backup is a single self-contained file: no WAL beside it.
    target.pragma_update(None, "journal_mode", "DELETE")?;
    drop(target);
    set_mode(dest, 0o600)?;
    Ok(())
}

pub fn backup_before_migration(
    conn: &Connection,
    paths: &DataPaths,
    version: i64,
) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let dest = paths
        .backups
        .join(format!("pre-migration-v{version}-{stamp}.sqlite"));
    backup_connection(conn, &dest)?;
    Ok(dest)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// Where the database that was in place went (None if there was none).
    pub previous_kept_at: Option<PathBuf>,
    pub dossiers: i64,
}

/// Checks that `file` is a healthy motcua database this program can read.
fn check_backup(file: &Path) -> Result<i64> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| backup_error(file, e))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| backup_error(file, "không phải cơ sở dữ liệu SQLite"))?;
    if version == 0 {
        return Err(backup_error(file, "không phải cơ sở dữ liệu motcua"));
    }
    if version > latest_version() {
        return Err(backup_error(
            file,
            format!("do phiên bản mới hơn tạo ra (lược đồ v{version}); hãy cập nhật motcua"),
        ));
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| backup_error(file, e))?;
    if check != "ok" {
        return Err(backup_error(file, format!("tệp hỏng ({check})")));
    }
    conn.query_row("SELECT count(*) FROM dossier", [], |r| r.get(0))
        .map_err(|_| backup_error(file, "không có bảng hồ sơ"))
}

/// Replaces the desk database with a backup. The current database is kept beside it as
/// `motcua.sqlite.before-restore-<time>`; the store must not be open.
pub fn restore(paths: &DataPaths, file: &Path, now: Timestamp) -> Result<RestoreReport> {
    let dossiers = check_backup(file)?;
    paths.ensure_dirs()?;
    let previous_kept_at = if paths.db.exists() {
        // Fold the WAL into the main file first, so the kept copy is complete by itself.
        {
            let conn = Connection::open(&paths.db).map_err(StoreError::from)?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            conn.pragma_update(None, "journal_mode", "DELETE")?;
        }
        let stamp = to_wall(now).format("%Y%m%dT%H%M%S");
        let kept = paths.dir.join(format!(
            "{}.before-restore-{stamp}",
            crate::store::paths::DB_FILE
        ));
        std::fs::rename(&paths.db, &kept).map_err(|e| StoreError::io(&kept, e))?;
        Some(kept)
    } else {
        None
    };
    let source = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| backup_error(file, e))?;
    if let Err(e) = backup_connection(&source, &paths.db) {
        // Put the previous database back rather than leave the desk with none.
        if let Some(kept) = &previous_kept_at {
            let _ = std::fs::remove_file(&paths.db);
            let _ = std::fs::rename(kept, &paths.db);
        }
        return Err(e);
    }
    Ok(RestoreReport {
        restored_from: file.to_path_buf(),
        previous_kept_at,
        dossiers,
    })
}

impl Store {
    /// Writes a backup of the open database to `dest`.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        backup_connection(self.conn(), dest)
    }

    /// Makes today's daily backup if there is none yet, and keeps the newest few.
    pub fn daily_backup(&self, now: Timestamp) -> Result<Option<PathBuf>> {
        let day = to_wall(now).format("%Y-%m-%d");
        let dest = self
            .paths()
            .backups
            .join(format!("{DAILY_PREFIX}{day}.sqlite"));
        if dest.exists() {
            return Ok(None);
        }
        self.backup_to(&dest)?;
        let dir = &self.paths().backups;
        let mut daily: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| StoreError::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(DAILY_PREFIX) && n.ends_with(".sqlite"))
            })
            .collect();
        daily.sort();
        while daily.len() > DAILY_KEEP {
            let oldest = daily.remove(0);
            std::fs::remove_file(&oldest).map_err(|e| StoreError::io(&oldest, e))?;
        }
        Ok(Some(dest))
    }
}
