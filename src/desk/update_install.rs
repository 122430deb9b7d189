//! Installing the staged release (issue 25 §3), called when the window closes (never
//! during an intake: the window checks that first) or by `motcua update --install`.
//!
//! The staged copy is checked once more against the built-in key, installed beside the
//! running version (`update::install`), and then removed. After a rollback the reason is
//! kept in `updates/rolled-back-<version>` so that "tự cập nhật" does not install the same
//! release at every close; an administrator's yes stages it again.

use std::time::Duration;

use crate::desk::Desk;
use crate::desk::update::{UpdateFailure, rolled_back_name};
use crate::update::install::{HealthCheck, InstallOutcome, Layout, install, mark_healthy};

/// The close path: installs the staged release of the desk at `paths` into the layout
/// this exe runs from. Returns what happened in words (None: nothing staged); never
/// fails the close (the running version stays when anything goes wrong).
pub fn install_after_close(paths: crate::desk::DataPaths) -> Option<String> {
    let desk = Desk::open(paths).ok()?;
    desk.staged_release()?;
    let layout = std::env::current_exe()
        .map_err(|e| e.to_string())
        .and_then(|exe| Layout::of_exe(&exe).map_err(|e| e.to_string()));
    let layout = match layout {
        Ok(l) => l,
        Err(why) => return Some(why),
    };
    match desk.install_staged(&layout, HEALTH_TIMEOUT) {
        Ok(outcome) => outcome.map(|o| o.message()),
        Err(e) => Some(e.to_string()),
    }
}

/// How long the new version has to open and migrate the store.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(60);

impl Desk {
    /// Installs the staged release into `layout`, if one is staged and still passes every
    /// check. `None`: nothing to install.
    pub fn install_staged(
        &self,
        layout: &Layout,
        timeout: Duration,
    ) -> Result<Option<InstallOutcome>, UpdateFailure> {
        let Some(staged) = self.staged_release() else {
            return Ok(None);
        };
        let updates = self.updates_dir();
        let check = HealthCheck {
            data_dir: self.paths().dir.clone(),
            updates_dir: updates.clone(),
            timeout,
        };
        let outcome = install(layout, &staged.package, staged.version, &check)?;
        if let InstallOutcome::RolledBack { version, reason } = &outcome {
            let note = updates.join(rolled_back_name(*version));
            let _ = crate::files::write_atomically(&note, reason.as_bytes());
        }
        if let Some(dir) = staged.package.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
        Ok(Some(outcome))
    }

    /// The running version's "I started": the store is open and migrated.
    pub fn mark_healthy(&self) -> Result<(), UpdateFailure> {
        Ok(mark_healthy(&self.updates_dir())?)
    }
}
