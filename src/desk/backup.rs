//! Backups: today's (made by the first write of each day, see `Desk`), one on demand,
//! and restoring one. Restoring replaces the database file, so it runs with no desk
//! open on the data directory (the command line, with the window closed); the
//! restored desk then refuses intake until it has synced once.

use std::path::Path;

use crate::desk::{Desk, now};
use crate::store::backup::{self, RestoreReport};
use crate::store::backup_files::FilesCopied;
use crate::store::{DataPaths, Result};

impl Desk {
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
