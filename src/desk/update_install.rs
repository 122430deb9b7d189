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

/// The close path: installs the staged release of the desk at `paths`. Returns what
/// happened in words (None: nothing staged); never fails the close (the running version
/// stays when anything goes wrong).
pub fn install_after_close(paths: crate::desk::DataPaths) -> Option<String> {
    let desk = Desk::open(paths).ok()?;
    match desk.install_staged_here() {
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

    /// Installs the staged release, if any, into the layout this exe runs from.
    pub fn install_staged_here(&self) -> Result<Option<InstallOutcome>, UpdateFailure> {
        if self.staged_release().is_none() {
            return Ok(None);
        }
        let exe = std::env::current_exe().map_err(|e| UpdateFailure::Disk {
            path: "tệp chạy của chương trình".into(),
            reason: e.to_string(),
        })?;
        self.install_staged(&Layout::of_exe(&exe)?, HEALTH_TIMEOUT)
    }

    /// The running version's "I started": the store is open and migrated. Returns the
    /// running version's number.
    pub fn mark_healthy(&self) -> Result<String, UpdateFailure> {
        Ok(mark_healthy(&self.updates_dir())?.to_string())
    }
}
