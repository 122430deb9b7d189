//! The desk: the one owner of the desk's database and the home of its use cases.
//!
//! The window (`ui`) and the command line (`cli`) never open the store themselves:
//! they hold a `Desk` and call its use cases — take in (and print), record an action
//! (and print its notice), reprint, search and list, change settings, enroll, run a
//! sync round, back up. Each use case does all of its side effects here, in one
//! place: the transaction, the daily backup, forgetting cached data the write made
//! stale, and — only after the commit and with the store released — the printer and
//! the network. Each returns what it changed (`Changed`), so whoever shows data can
//! refresh exactly that.
//!
//! Locking model: one `Mutex<Store>` is the clerk's connection; every store step
//! takes it briefly and never across a printer or network call. The sync round and
//! enrollment talk to the centre for seconds or minutes, so they run on a second
//! connection of the same database owned here (`network`), one round at a time;
//! SQLite's IMMEDIATE transactions keep the two writers' transactions apart, and the
//! round's changes are announced to the clerk's connection when it ends.

pub mod backup;
#[cfg(feature = "desk")]
pub mod book;
pub mod changed;
pub mod documents;
#[cfg(feature = "desk")]
pub mod fetch;
#[cfg(feature = "desk")]
pub mod forms;
#[cfg(feature = "desk")]
pub mod round;
pub mod settings;
#[cfg(feature = "desk")]
pub mod sync;
pub mod work;

use std::sync::{Arc, Mutex, MutexGuard};

use crate::domain::clock::{Timestamp, now_vn};
use crate::store::{DataPaths, Result, Store};

pub use changed::Changed;

/// The desk's database and its use cases. Cheap to clone: clones share the owner.
#[derive(Debug, Clone)]
pub struct Desk {
    store: Arc<Mutex<Store>>,
    /// The connection of the sync round and enrollment, opened when first needed.
    #[cfg(feature = "desk")]
    network: Arc<tokio::sync::Mutex<Option<Store>>>,
    paths: DataPaths,
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
        }
    }

    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    /// Short store work (a query, a draft) under the one lock. Never print or call
    /// the network inside: use a use case, which releases the store first.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.lock())
    }

    /// The store itself, for tests and tools that need many steps in a row.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        // A job that panicked mid-way left no half transaction (SQLite rolled it back
        // when the guard's transaction was dropped): the store is still usable.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes today's backup if there is none yet (the first write of each day makes
    /// it, whichever screen or command wrote). A failed backup never hides a saved
    /// dossier: it comes back as a warning.
    pub fn daily_backup(&self, now: Timestamp) -> Option<String> {
        backup_after_write(&self.lock(), now)
    }
}

/// The daily backup, as the last step of a write use case holding the store.
fn backup_after_write(store: &Store, now: Timestamp) -> Option<String> {
    store
        .daily_backup(now)
        .err()
        .map(|e| {
            format!(
                "Đã lưu, nhưng chưa tạo được bản sao lưu hằng ngày: {e}. Hãy báo quản trị viên kiểm tra ổ đĩa (còn chỗ trống, được ghi vào thư mục sao lưu)."
            )
        })
}

/// Now, on the desk's clock (one place, so tests read as the use cases do).
fn now() -> Timestamp {
    now_vn()
}
