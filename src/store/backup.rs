//! Online backups and restore.
//!
//! Backups use SQLite's online backup API, so a backup is a consistent database even
//! while the desk works. A rotating set is kept: one a day (the last `DAILY_KEEP`
//! days) and one before every migration. Restore never deletes the current database:
//! it is set aside next to it first. The digitised documents a backup's log names go
//! with it, in the `files` folder beside it (see `backup_files`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};

use crate::domain::clock::{Timestamp, format_rfc3339, to_wall};
use crate::store::Store;
use crate::store::backup_files::{FilesCopied, back_up_files, files_beside, restore_files};
use crate::store::error::{Result, StoreError};
use crate::store::files::FileStore;
use crate::store::migrations::latest_version;
use crate::store::paths::{DataPaths, set_mode};
use crate::store::recovery::RESTORED_KEY;

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
        // One step over the whole file: one read snapshot, so a write by another
        // connection meanwhile neither blocks (WAL) nor restarts the copy.
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                // Another connection holds a lock for a moment: try again.
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    withhold_token(&target)?;
    // A backup is a single self-contained file: no WAL beside it.
    target.pragma_update(None, "journal_mode", "DELETE")?;
    drop(target);
    set_mode(dest, 0o600)?;
    Ok(())
}

/// The desk's bearer token never leaves the machine in a backup (a backup file travels
/// on USB sticks): it is blanked in the copy, with `secure_delete` so its bytes are
/// overwritten. A restore takes the token back from the database it replaces.
fn withhold_token(db: &Connection) -> Result<()> {
    let has_token: bool = db.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('sync_state') WHERE name = 'desk_token')",
        [],
        |r| r.get(0),
    )?;
    if has_token {
        db.pragma_update(None, "secure_delete", true)?;
        db.execute(
            "UPDATE sync_state SET desk_token = '' WHERE desk_token IS NOT NULL",
            [],
        )?;
    }
    Ok(())
}

/// Puts back the token of the database a restore replaced, when it is the same desk.
fn carry_token(restored: &Path, previous: &Path) -> Result<()> {
    let Ok(old) = Connection::open_with_flags(previous, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return Ok(());
    };
    let token: Option<(String, String)> = old
        .query_row(
            "SELECT d.desk_id, s.desk_token FROM desk d, sync_state s
             WHERE s.id = 1 AND coalesce(s.desk_token, '') <> ''",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    let Some((desk_id, token)) = token else {
        return Ok(());
    };
    let conn = Connection::open(restored)?;
    conn.execute(
        "UPDATE sync_state SET desk_token = ?1
         WHERE id = 1 AND desk_token IS NOT NULL
               AND (SELECT desk_id FROM desk WHERE id = 1) = ?2",
        rusqlite::params![token, desk_id],
    )?;
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
    with_files(conn, &FileStore::new(paths.files.clone()), &dest)?;
    Ok(dest)
}

/// The most recently written backup file (`*.sqlite`) in `dir`, if any.
pub fn newest_backup(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "sqlite"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, p)| p)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// Where the database that was in place went (None if there was none).
    pub previous_kept_at: Option<PathBuf>,
    pub dossiers: i64,
    /// The restored database is enrolled with a centre: it must sync before intake.
    pub enrolled: bool,
    /// The digitised documents the restored log names: brought back, already here,
    /// or found nowhere (the centre may still hold them).
    pub files: FilesCopied,
}

/// On an enrolled database, records that it was restored (see `recovery`). Returns
/// whether it is enrolled. A backup older than enrollment has no token column.
fn mark_restored(db: &Path, now: Timestamp) -> Result<bool> {
    let conn = Connection::open(db)?;
    let enrolled = conn
        .query_row(
            "SELECT desk_token IS NOT NULL FROM sync_state WHERE id = 1",
            [],
            |r| r.get::<_, bool>(0),
        )
        .unwrap_or(false);
    if enrolled {
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rusqlite::params![RESTORED_KEY, format_rfc3339(now)],
        )?;
    }
    Ok(enrolled)
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

/// Copies the files of a backup just written to `dest`; a backup that could not take
/// its files is removed (it would restore a log naming files it lacks, and a daily
/// backup is then retried by the next write).
fn with_files(conn: &Connection, local: &FileStore, dest: &Path) -> Result<FilesCopied> {
    back_up_files(conn, local, dest).inspect_err(|_| {
        let _ = std::fs::remove_file(dest);
    })
}

fn fold_wal(db: &Path) -> Result<()> {
    let conn = Connection::open(db)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// `motcua.sqlite` + `-wal` → `motcua.sqlite-wal`.
fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Replaces the desk database with a backup. The current database is kept beside it as
/// `motcua.sqlite.before-restore-<time>`; the store must not be open.
pub fn restore(paths: &DataPaths, file: &Path, now: Timestamp) -> Result<RestoreReport> {
    let dossiers = check_backup(file)?;
    paths.ensure_dirs()?;
    let previous_kept_at = if paths.db.exists() {
        // Fold the WAL into the main file first, so the kept copy is complete by itself.
        // A corrupt database cannot be folded: it is kept exactly as it is, WAL and all.
        let folded = fold_wal(&paths.db).is_ok();
        let stamp = to_wall(now).format("%Y%m%dT%H%M%S");
        let kept = paths.dir.join(format!(
            "{}.before-restore-{stamp}",
            crate::store::paths::DB_FILE
        ));
        std::fs::rename(&paths.db, &kept).map_err(|e| StoreError::io(&kept, e))?;
        if !folded {
            for suffix in ["-wal", "-shm"] {
                let side = sidecar(&paths.db, suffix);
                if side.exists() {
                    let to = sidecar(&kept, suffix);
                    std::fs::rename(&side, &to).map_err(|e| StoreError::io(&to, e))?;
                }
            }
        }
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
    if let Some(kept) = &previous_kept_at {
        carry_token(&paths.db, kept)?;
    }
    let enrolled = mark_restored(&paths.db, now)?;
    let files = restore_files(
        &paths.db,
        &FileStore::new(paths.files.clone()),
        &[
            FileStore::new(files_beside(file)),
            FileStore::new(paths.backups.join("files")),
        ],
    )?;
    Ok(RestoreReport {
        restored_from: file.to_path_buf(),
        previous_kept_at,
        dossiers,
        enrolled,
        files,
    })
}

impl Store {
    /// Writes a backup of the open database to `dest`, and the files its log names
    /// to the `files` folder beside it (only those not there yet).
    pub fn backup_to(&self, dest: &Path) -> Result<FilesCopied> {
        backup_connection(self.conn(), dest)?;
        with_files(self.conn(), &self.file_store(), dest)
    }

    /// Makes today's daily backup if there is none yet, and keeps the newest few.
    pub fn daily_backup(&self, now: Timestamp) -> Result<Option<PathBuf>> {
        daily_backup_of(self.conn(), self.paths(), now)
    }
}

/// Where today's daily backup goes.
pub fn daily_path(paths: &DataPaths, now: Timestamp) -> PathBuf {
    let day = to_wall(now).format("%Y-%m-%d");
    paths.backups.join(format!("{DAILY_PREFIX}{day}.sqlite"))
}

/// Today's daily backup made on a connection of its own, so the clerk's connection is
/// never held while it runs: in WAL mode the copy reads one snapshot while the clerk
/// keeps writing (a whole-file step, so a write does not restart it).
pub fn daily_backup_apart(paths: &DataPaths, now: Timestamp) -> Result<Option<PathBuf>> {
    if daily_path(paths, now).exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        &paths.db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    daily_backup_of(&conn, paths, now)
}

/// The daily backup of `conn`'s database: written under a temporary name and renamed,
/// so a backup cut short (power, a killed process) is never taken for today's.
fn daily_backup_of(
    conn: &Connection,
    paths: &DataPaths,
    now: Timestamp,
) -> Result<Option<PathBuf>> {
    let dest = daily_path(paths, now);
    if dest.exists() {
        return Ok(None);
    }
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let part = paths
        .backups
        .join(format!(".{name}.{}.part", std::process::id()));
    let _ = std::fs::remove_file(&part);
    backup_connection(conn, &part)?;
    if let Err(e) = with_files(conn, &FileStore::new(paths.files.clone()), &part) {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    std::fs::rename(&part, &dest).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        StoreError::io(&dest, e)
    })?;
    let dir = &paths.backups;
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
