//! Backups: today's (started by the first write of each day, see `Desk`), one on
//! demand, and restoring one. Restoring replaces the database file, so it runs with no
//! desk open on the data directory (the command line, with the window closed); the
//! restored desk then refuses intake until it has synced once.
//!
//! Today's backup never delays a receipt: the write that starts it returns at once,
//! and the copy runs on a thread with a connection of its own (WAL: the clerk keeps
//! writing meanwhile). A backup that failed is reported by the next write's
//! `backup_warning` (and retried by it), or by `finish_backup`.

use std::path::Path;
use std::sync::Mutex;
use std::thread::JoinHandle;

use crate::desk::{Desk, now};
use crate::domain::clock::Timestamp;
use crate::store::backup::{self, RestoreReport};
use crate::store::backup_files::FilesCopied;
use crate::store::{DataPaths, Result};

/// The daily backup running in the background, and the failure of the last one that
/// nobody has been told of yet.
#[derive(Debug, Default)]
pub(crate) struct DailyBackup {
    running: Mutex<Option<JoinHandle<Option<String>>>>,
    untold: Mutex<Option<String>>,
}

impl DailyBackup {
    /// Waits for the running backup, keeping its failure for the next write to tell.
    fn wait(&self) {
        let handle = lock(&self.running).take();
        if let Some(handle) = handle {
            let failure = handle
                .join()
                .unwrap_or_else(|_| Some("bản sao lưu hằng ngày dừng giữa chừng".to_string()));
            if failure.is_some() {
                *lock(&self.untold) = failure;
            }
        }
    }
}

impl Drop for DailyBackup {
    /// The program never ends in the middle of a copy (the command line returns
    /// before it is done): the last owner of the desk waits for it.
    fn drop(&mut self) {
        self.wait();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The clerk's words for a failed daily backup.
fn worded(e: impl std::fmt::Display) -> String {
    format!(
        "Đã lưu, nhưng chưa tạo được bản sao lưu hằng ngày: {e}. Hãy báo quản trị viên kiểm tra ổ đĩa (còn chỗ trống, được ghi vào thư mục sao lưu)."
    )
}

impl Desk {
    /// Starts today's backup if there is none yet and none is running; returns at
    /// once. Returns the failure of an earlier backup not yet told (the write stands
    /// regardless; this one retries it).
    pub(crate) fn backup_after_write(&self, now: Timestamp) -> Option<String> {
        let untold = lock(&self.backup.untold).take();
        let mut running = lock(&self.backup.running);
        if running.as_ref().is_some_and(|h| !h.is_finished()) {
            return untold;
        }
        let earlier = running
            .take()
            .and_then(|h| h.join().unwrap_or(None))
            .or(untold);
        if backup::daily_path(&self.paths, now).exists() {
            return earlier;
        }
        let paths = self.paths.clone();
        let spawned = std::thread::Builder::new()
            .name("daily-backup".into())
            .spawn(move || backup::daily_backup_apart(&paths, now).err().map(worded));
        match spawned {
            Ok(handle) => *running = Some(handle),
            Err(e) => return Some(worded(e)),
        }
        earlier
    }

    /// Waits for today's backup when one is running (the clerk's store stays free).
    /// Its failure, if any, is still told by the next write or `finish_backup`.
    pub fn wait_for_backup(&self) {
        self.backup.wait();
    }

    /// Waits for today's backup and returns what went wrong with it (or with an
    /// earlier one not yet told): for a command that ends after its write.
    pub fn finish_backup(&self) -> Option<String> {
        self.backup.wait();
        lock(&self.backup.untold).take()
    }

    /// Makes today's backup now if there is none yet, and waits for it.
    pub fn daily_backup(&self, now: Timestamp) -> Option<String> {
        let earlier = self.backup_after_write(now);
        self.finish_backup().or(earlier)
    }

    /// Writes a consistent copy of the database to `dest` (SQLite online backup), and
    /// the digitised documents its log names to the `files` folder beside it.
    pub fn back_up_to(&self, dest: &Path) -> Result<FilesCopied> {
        self.lock().backup_to(dest)
    }
}

/// Restores the desk in `paths` from the backup `file`, keeping the current database
/// beside it.
pub fn restore(paths: &DataPaths, file: &Path) -> Result<RestoreReport> {
    backup::restore(paths, file, now())
}
