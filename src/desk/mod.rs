//! The desk: the one owner of the desk's database and the home of its use cases.
//!
//! The window (`ui`) and the command line (`cli`) never open the store themselves:
//! they hold a `Desk` and call its use cases. Everything the desk can do, by module:
//!
//! - `accounts`: first-run set-up (unit and first administrator in one transaction),
//!   sign-in and unlocking, clerks and passwords, the unit's details, drafts.
//! - `work`: take a dossier in (and print its Mẫu 01), record an action (and print
//!   its notice).
//! - `reads`: the unit, catalogue, calendar, a dossier and its timeline, search, the
//!   list (F3), the dashboard (F5), Biểu 06, sync status figures, demo data.
//! - `documents`, `attach`, `fetch`: attach a document from files, a scan or the scan
//!   folder; detach; thumbnails; print a stored document; fetch one from the centre.
//! - `forms`: reprint a form, print a laid-out one; `reprint`: Mẫu 01 again with a
//!   new tracking code (the old one revoked).
//! - `ratings`: the citizens' ratings of the month for F5 (per clerk: administrators).
//! - `reports`: export Biểu 06 as a file (rendered with the store released).
//! - `settings`: read and change settings.
//! - `sync`, `round`: enroll, one sync round (its store steps on the blocking pool).
//! - `update`: learn of a release at sync, download, check and stage it.
//! - `backup`: today's backup (in the background), one on demand, restore.
//!
//! Each use case does all of its side effects here, in one place: the transaction,
//! the daily backup (started in the background, never delaying a receipt),
//! forgetting cached data the write made stale, and — only after the commit and with
//! the store released — the printer and the network. Each write returns what it
//! changed (`Changed`), so whoever shows data can refresh exactly that.
//!
//! Locking model: one `Mutex<Store>` is the clerk's connection; every store step
//! takes it briefly and never across a printer or network call. The sync round and
//! enrollment talk to the centre for seconds or minutes, so they run on a second
//! connection of the same database owned here (`network`), one round at a time;
//! SQLite's IMMEDIATE transactions keep the two writers' transactions apart, and the
//! round's changes are announced to the clerk's connection when it ends.

pub mod accounts;
#[cfg(feature = "desk")]
pub mod attach;
pub mod backup;
#[cfg(feature = "desk")]
pub mod book;
pub mod changed;
pub mod documents;
pub mod facing;
#[cfg(feature = "desk")]
pub mod fetch;
#[cfg(feature = "desk")]
pub mod forms;
pub mod ratings;
pub mod reads;
pub mod reports;
#[cfg(feature = "desk")]
pub mod reprint;
#[cfg(feature = "desk")]
pub mod round;
pub mod settings;
#[cfg(feature = "desk")]
pub mod sync;
#[cfg(feature = "desk")]
pub mod update;
#[cfg(feature = "desk")]
pub mod update_install;
#[cfg(feature = "desk")]
pub mod update_refused;
pub mod work;

use std::sync::{Arc, Mutex, MutexGuard};

use crate::domain::clock::{Timestamp, now_vn};
use crate::store::Store;

pub use changed::Changed;

// The types the faces exchange with the desk, kept by the floor that stores them
// (`ui` and `cli` name them here, never in `store`).
pub use crate::store::accounts::{Clerk, LoginError, NewClerk};
pub use crate::store::admin::{UnitEdit, UnitError, UnitField};
pub use crate::store::backup_files::files_beside;
pub use crate::store::dashboard::{Dashboard, DayCount};
pub use crate::store::listing::{Cursor, DueFilter, ListFilter, ListPage, ListRow, SyncMark};
pub use crate::store::setup::{DeskConfig, InitInput};
pub use crate::store::{DataPaths, Result, StoreError};

/// The desk's database and its use cases. Cheap to clone: clones share the owner.
#[derive(Debug, Clone)]
pub struct Desk {
    store: Arc<Mutex<Store>>,
    /// The connection of the sync round and enrollment, opened when first needed.
    #[cfg(feature = "desk")]
    network: Arc<tokio::sync::Mutex<Option<round::NetStore>>>,
    paths: DataPaths,
    /// Today's backup, made in the background by the first write of the day.
    backup: Arc<backup::DailyBackup>,
}

impl Desk {
    /// Opens (creating and migrating if needed) the desk database in `paths`.
    pub fn open(paths: DataPaths) -> Result<Desk> {
        Ok(Desk::new(Store::open(paths)?))
    }

    /// Takes ownership of an open store.
    pub fn new(store: Store) -> Desk {
        let paths = store.paths().clone();
        // Best effort: a stray temporary file only wastes space.
        crate::store::files::FileStore::new(paths.files.clone())
            .remove_stale_temps(std::time::Duration::from_secs(24 * 3600));
        Desk {
            store: Arc::new(Mutex::new(store)),
            #[cfg(feature = "desk")]
            network: Arc::new(tokio::sync::Mutex::new(None)),
            paths,
            backup: Arc::default(),
        }
    }

    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    /// The store under the one lock, for tests and tools that arrange a case (the
    /// faces never use it: they call the named use cases; `.ci/layers` keeps `store`
    /// out of them). Never print or call the network inside.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.lock())
    }

    /// The store itself, for tests and tools that need many steps in a row.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        // A job that panicked mid-way left no half transaction (SQLite rolled it back
        // when the guard's transaction was dropped): the store is still usable.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Now, on the desk's clock (one place, so tests read as the use cases do).
fn now() -> Timestamp {
    now_vn()
}
