//! Installing a staged release on Linux, with versions side by side (issue 25 §3).
//!
//! Layout of an install folder (`root`):
//! `versions/<version>/motcua` (one folder per version, unpacked from the tarball) and
//! `current` → `versions/<version>` (a symlink; the desktop entry starts
//! `current/motcua`). An install unpacks into a hidden folder, renames it into
//! `versions/`, then switches `current` by renaming a new link over it (atomic: a start
//! at any moment finds the old or the new version, never none).
//!
//! Who rolls back: the *outgoing* version, at close, right after the switch. It runs the
//! new exe's `self-check` (open and migrate the store, write the `healthy-<version>`
//! marker) and waits at most `health_timeout`; without the marker it switches `current`
//! back by itself. Why not the next start: a new exe that does not start at all could
//! never run that check, and a separate launcher would be one more program to ship and
//! update. The outgoing exe is the one version known to work.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::update::Version;

/// The exe's name inside a version folder.
pub const EXE_NAME: &str = "motcua";

#[derive(Debug, Error)]
pub enum InstallError {
    #[error(
        "Chương trình không được cài theo dạng các phiên bản cạnh nhau ({0}): hãy cài phiên bản mới bằng bộ cài của tỉnh."
    )]
    NotSideBySide(String),
    #[error("Không giải nén được bản phát hành: {0}. Chưa thay đổi gì.")]
    Unpack(String),
    #[error(
        "Bản phát hành không có tệp chạy “{EXE_NAME}”: không cài. Báo cho bộ phận CNTT của tỉnh."
    )]
    NoExe,
    #[error("Không ghi được {path}: {reason}.")]
    Disk { path: String, reason: String },
}

fn disk(path: &Path) -> impl Fn(std::io::Error) -> InstallError + '_ {
    move |e| InstallError::Disk {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// What an install came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallOutcome {
    /// The new version reported healthy and is now `current`.
    Installed(Version),
    /// The new version did not report healthy in time: `current` points back to the
    /// previous one and the new version's folder was removed.
    RolledBack { version: Version, reason: String },
}

impl InstallOutcome {
    /// The words for the log and the next start's status line.
    pub fn message(&self) -> String {
        match self {
            InstallOutcome::Installed(v) => format!("Đã cài phiên bản {v}"),
            InstallOutcome::RolledBack { version, reason } => format!(
                "Phiên bản {version} không khởi động được ({reason}): đã quay lại phiên bản trước"
            ),
        }
    }
}

/// One install folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Layout {
        Layout { root: root.into() }
    }

    /// The layout this exe runs from: `<root>/versions/<version>/motcua`, or an error
    /// when it was installed otherwise (a developer build, a distribution package).
    pub fn of_exe(exe: &Path) -> Result<Layout, InstallError> {
        let not = || InstallError::NotSideBySide(exe.display().to_string());
        let versions = exe.parent().and_then(Path::parent).ok_or_else(not)?;
        if versions.file_name().and_then(|n| n.to_str()) != Some("versions") {
            return Err(not());
        }
        Ok(Layout::new(versions.parent().ok_or_else(not)?))
    }

    fn versions(&self) -> PathBuf {
        self.root.join("versions")
    }

    pub fn version_dir(&self, v: Version) -> PathBuf {
        self.versions().join(v.to_string())
    }

    pub fn exe(&self, v: Version) -> PathBuf {
        self.version_dir(v).join(EXE_NAME)
    }

    fn current_link(&self) -> PathBuf {
        self.root.join("current")
    }

    /// The version `current` points to, if any.
    pub fn current(&self) -> Option<Version> {
        let target = std::fs::read_link(self.current_link()).ok()?;
        Version::parse(target.file_name()?.to_str()?).ok()
    }

    /// Unpacks the (already verified) tarball into `versions/<v>`; a leftover of an
    /// interrupted unpack is replaced, an existing complete folder is kept as is.
    pub fn unpack(&self, package: &Path, v: Version) -> Result<PathBuf, InstallError> {
        let dest = self.version_dir(v);
        if dest.join(EXE_NAME).is_file() {
            return Ok(dest);
        }
        let temp = self.versions().join(format!(".unpack-{v}"));
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).map_err(disk(&temp))?;
        // GNU tar refuses absolute and `..` member names by itself; the package is signed.
        let out = Command::new("tar")
            .arg("--no-same-owner")
            .arg("-xzf")
            .arg(package)
            .arg("-C")
            .arg(&temp)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| InstallError::Unpack(e.to_string()))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&temp);
            let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(InstallError::Unpack(why));
        }
        if !temp.join(EXE_NAME).is_file() {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(InstallError::NoExe);
        }
        let _ = std::fs::remove_dir_all(&dest);
        std::fs::rename(&temp, &dest).map_err(disk(&dest))?;
        Ok(dest)
    }

    /// Points `current` at `versions/<v>` atomically (a new link renamed over the old).
    pub fn switch_to(&self, v: Version) -> Result<(), InstallError> {
        let link = self.current_link();
        let fresh = self.root.join(".current-new");
        let _ = std::fs::remove_file(&fresh);
        // Relative, so the install folder may be moved as a whole.
        let target = Path::new("versions").join(v.to_string());
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, &fresh).map_err(disk(&fresh))?;
        // Windows installs with NSIS (issue 25 §3); this keeps the module building there.
        #[cfg(windows)]
        std::os::windows::fs::symlink_dir(&target, &fresh).map_err(disk(&fresh))?;
        std::fs::rename(&fresh, &link).map_err(disk(&link))?;
        // The rename is durable once the folder is synced.
        if let Ok(dir) = std::fs::File::open(&self.root) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// The marker a version writes once it opened and migrated the store.
pub fn health_marker(updates_dir: &Path, v: Version) -> PathBuf {
    updates_dir.join(format!("healthy-{v}"))
}

/// Written by `motcua self-check` of the running version; returns that version.
pub fn mark_healthy(updates_dir: &Path) -> Result<Version, InstallError> {
    let v = Version::running().map_err(|e| InstallError::Unpack(e.to_string()))?;
    std::fs::create_dir_all(updates_dir).map_err(disk(updates_dir))?;
    let marker = health_marker(updates_dir, v);
    std::fs::write(&marker, v.to_string()).map_err(disk(&marker))?;
    Ok(v)
}

/// How the outgoing version asks the new one whether it starts.
#[derive(Debug, Clone)]
pub struct HealthCheck {
    /// The desk's data folder, handed to the new exe.
    pub data_dir: PathBuf,
    /// Where the marker appears (`<data>/updates`).
    pub updates_dir: PathBuf,
    pub timeout: Duration,
}

impl HealthCheck {
    /// Runs `<exe> --data-dir D self-check`, waits for it at most `timeout`, and says
    /// why the version is not healthy (None = healthy).
    fn judge(&self, exe: &Path, v: Version) -> Option<String> {
        let marker = health_marker(&self.updates_dir, v);
        let _ = std::fs::remove_file(&marker);
        let mut child = match Command::new(exe)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .arg("self-check")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => return Some(format!("không chạy được: {e}")),
        };
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) if !status.success() => {
                    return Some(format!("thoát với mã {status}"));
                }
                Ok(Some(_)) => {
                    return (!marker.is_file()).then(|| "không báo khởi động xong".into());
                }
                Ok(None) if started.elapsed() >= self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let secs = self.timeout.as_secs();
                    return Some(format!("không báo khởi động xong sau {secs} giây"));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => return Some(e.to_string()),
            }
        }
    }
}

/// Installs the verified `package` of version `v`: unpack, switch, health check, and the
/// switch back when the new version does not start. The previous version's folder is kept
/// (the next install removes older ones), so a later manual rollback stays possible.
pub fn install(
    layout: &Layout,
    package: &Path,
    v: Version,
    check: &HealthCheck,
) -> Result<InstallOutcome, InstallError> {
    let previous = layout.current();
    layout.unpack(package, v)?;
    layout.switch_to(v)?;
    let Some(reason) = check.judge(&layout.exe(v), v) else {
        prune(layout, v, previous);
        return Ok(InstallOutcome::Installed(v));
    };
    if let Some(p) = previous {
        layout.switch_to(p)?;
    } else {
        let _ = std::fs::remove_file(layout.current_link());
    }
    let _ = std::fs::remove_dir_all(layout.version_dir(v));
    Ok(InstallOutcome::RolledBack { version: v, reason })
}

/// Keeps the new and the previous version folders, removes the others.
fn prune(layout: &Layout, new: Version, previous: Option<Version>) {
    let Ok(entries) = std::fs::read_dir(layout.versions()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(v) = name.to_str().and_then(|n| Version::parse(n).ok()) else {
            continue;
        };
        if v != new && Some(v) != previous {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(all(test, unix))]
#[path = "install_tests.rs"]
mod tests;
