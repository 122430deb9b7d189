//! Installing the staged release (issue 25 §3), called when the window closes (never
//! during an intake: the window checks that first) or by `motcua update --install`.
//!
//! The staged copy is checked once more against the built-in key, installed beside the
//! running version (`update::install`), and then removed. After a rollback the reason is
//! kept in `updates/rolled-back-<version>` so that "tự cập nhật" does not install the same
//! release at every close; an administrator's yes stages it again.
//!
//! The running version does not hold the store open while it installs: the new version's
//! `self-check` opens (and may migrate) it, and when that version is then rolled back the
//! backup it took before migrating is put back (`restore_if_migrated`), so this version
//! opens its store again. That needs the store closed here.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::desk::update::{UpdateFailure, rolled_back_name, staged_in, updates_dir_of};
use crate::desk::{DataPaths, Desk, StoreError};
use crate::update::Version;
use crate::update::install::{HealthCheck, InstallOutcome, Layout, install, mark_healthy};

/// How long the new version has to open and migrate the store.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(60);

/// What an install came to, and the backup put back after a rollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallReport {
    pub outcome: InstallOutcome,
    /// The pre-migration backup the store was restored from (the new version had
    /// migrated it before it failed).
    pub restored_from: Option<PathBuf>,
}

impl InstallReport {
    /// The words for the log and the command line.
    pub fn message(&self) -> String {
        let done = self.outcome.message();
        match &self.restored_from {
            Some(file) => format!(
                "{done}; dữ liệu đã được đưa về bản sao lưu trước khi nâng cấp ({}), hãy đồng bộ trước khi tiếp nhận hồ sơ",
                file.display()
            ),
            None => done,
        }
    }
}

/// The close path: installs the staged release of the desk at `paths`. Returns what
/// happened in words (None: nothing staged); never fails the close (the running version
/// stays when anything goes wrong).
pub fn install_after_close(paths: DataPaths) -> Option<String> {
    match install_staged_here(&paths) {
        Ok(report) => report.map(|r| r.message()),
        Err(e) => Some(e.to_string()),
    }
}

/// Installs the staged release of the desk at `paths`, if any, into the layout this exe
/// runs from. The desk's store must not be open in this process.
pub fn install_staged_here(paths: &DataPaths) -> Result<Option<InstallReport>, UpdateFailure> {
    if staged_in(&updates_dir_of(paths)).is_none() {
        return Ok(None);
    }
    let exe = std::env::current_exe().map_err(|e| UpdateFailure::Disk {
        path: "tệp chạy của chương trình".into(),
        reason: e.to_string(),
    })?;
    install_staged(paths, &Layout::of_exe(&exe)?, HEALTH_TIMEOUT)
}

/// Installs the staged release of the desk at `paths` into `layout`, if one is staged
/// and still passes every check (`None`: nothing to install). The store must not be
/// open in this process.
pub fn install_staged(
    paths: &DataPaths,
    layout: &Layout,
    timeout: Duration,
) -> Result<Option<InstallReport>, UpdateFailure> {
    let updates = updates_dir_of(paths);
    let Some(staged) = staged_in(&updates) else {
        return Ok(None);
    };
    let started = SystemTime::now();
    let check = HealthCheck {
        data_dir: paths.dir.clone(),
        updates_dir: updates.clone(),
        timeout,
    };
    let outcome = install(layout, &staged.package, staged.version, &check)?;
    // Done with, either way: a release that failed is not installed again at every close.
    if let Some(dir) = staged.package.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    if let InstallOutcome::Installed(v) = &outcome {
        // Best effort: a note not written only means the first start says nothing.
        let _ = leave_install_note(&updates, *v);
    }
    let mut restored_from = None;
    if let InstallOutcome::RolledBack { version, reason } = &outcome {
        let note = updates.join(rolled_back_name(*version));
        let _ = crate::files::write_atomically(&note, reason.as_bytes());
        restored_from = restore_if_migrated(paths, started)?;
    }
    Ok(Some(InstallReport {
        outcome,
        restored_from,
    }))
}

/// After a rollback: when the failed version migrated the store (this version finds it
/// too new to open), puts back the backup that version's store took just before
/// migrating, made after the install `started`. The migrated database is kept beside
/// (`motcua.sqlite.before-restore-…`), and the restored desk syncs before its next
/// intake, as after any restore.
fn restore_if_migrated(
    paths: &DataPaths,
    started: SystemTime,
) -> Result<Option<PathBuf>, UpdateFailure> {
    match crate::store::Store::open(paths.clone()) {
        Ok(_) => return Ok(None),
        Err(StoreError::TooNew { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let Some(file) = pre_migration_backup(&paths.backups, started) else {
        return Err(UpdateFailure::NoPreMigrationBackup(
            paths.backups.display().to_string(),
        ));
    };
    crate::desk::backup::restore(paths, &file)?;
    Ok(Some(file))
}

/// The newest `pre-migration-v<ours>-….sqlite` in `dir` written since `started`: the
/// store as this version left it, just before the new version migrated it.
fn pre_migration_backup(dir: &Path, started: SystemTime) -> Option<PathBuf> {
    let prefix = format!(
        "pre-migration-v{}-",
        crate::store::migrations::latest_version()
    );
    // File times may be coarser than the clock: a little slack.
    let since = started
        .checked_sub(Duration::from_secs(2))
        .unwrap_or(started);
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name.ends_with(".sqlite")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .filter(|(at, _)| *at >= since)
        .max()
        .map(|(_, p)| p)
}

/// The note an install leaves for the version it installed.
fn install_note(updates: &Path, v: Version) -> PathBuf {
    updates.join(format!("installed-{v}"))
}

/// Leaves word for `v`'s first start that it was just installed here.
pub fn leave_install_note(updates: &Path, v: Version) -> std::io::Result<()> {
    std::fs::create_dir_all(updates)?;
    crate::files::write_atomically(
        &install_note(updates, v),
        InstallOutcome::Installed(v).message().as_bytes(),
    )
}

/// Takes the note an install left for `running` ("Đã cài phiên bản …"): said once, at
/// its first start. A note for another version (installed, then rolled back by hand)
/// is never this version's to say.
pub fn take_install_note(updates: &Path, running: Version) -> Option<String> {
    let note = install_note(updates, running);
    let text = std::fs::read_to_string(&note).ok();
    std::fs::remove_file(&note).ok()?;
    // Written by this program, but bounded all the same.
    Some(
        text?
            .chars()
            .take(300)
            .collect::<String>()
            .trim()
            .to_string(),
    )
}

impl Desk {
    /// The first start after an install: "Đã cài phiên bản …", once (None otherwise).
    pub fn take_install_note(&self) -> Option<String> {
        take_install_note(&self.updates_dir(), Version::running().ok()?)
    }

    /// The running version's "I started": the store is open and migrated. Returns the
    /// running version's number.
    pub fn mark_healthy(&self) -> Result<String, UpdateFailure> {
        Ok(mark_healthy(&self.updates_dir())?.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_at(dir: &Path, name: &str, at: SystemTime) -> PathBuf {
        let path = dir.join(name);
        let f = std::fs::File::create(&path).expect("create");
        f.set_modified(at).expect("mtime");
        path
    }

    #[test]
    fn an_install_note_is_said_once_and_only_by_its_version() {
        let dir = tempfile::tempdir().expect("dir");
        let updates = dir.path().join("updates");
        let v = |s| Version::parse(s).expect("version");
        leave_install_note(&updates, v("0.1.1")).expect("note");
        assert_eq!(
            take_install_note(&updates, v("0.1.0")),
            None,
            "not its version"
        );
        assert_eq!(
            take_install_note(&updates, v("0.1.1")).as_deref(),
            Some("Đã cài phiên bản 0.1.1")
        );
        assert_eq!(take_install_note(&updates, v("0.1.1")), None, "said once");
    }

    #[test]
    fn the_backup_put_back_is_this_versions_pre_migration_one_made_during_the_install() {
        let dir = tempfile::tempdir().expect("dir");
        let started = SystemTime::now();
        let ours = crate::store::migrations::latest_version();
        let hour = Duration::from_secs(3600);
        // Older than the install: a backup of an earlier migration, not this one.
        file_at(
            dir.path(),
            &format!("pre-migration-v{ours}-old.sqlite"),
            started - hour,
        );
        // Another schema's, and a daily backup: not what the new version took.
        file_at(
            dir.path(),
            &format!("pre-migration-v{}-x.sqlite", ours - 1),
            started,
        );
        file_at(dir.path(), "motcua-2026-12-07.sqlite", started);
        assert_eq!(pre_migration_backup(dir.path(), started), None);
        let wanted = file_at(
            dir.path(),
            &format!("pre-migration-v{ours}-new.sqlite"),
            started + Duration::from_secs(1),
        );
        assert_eq!(pre_migration_backup(dir.path(), started), Some(wanted));
    }
}
