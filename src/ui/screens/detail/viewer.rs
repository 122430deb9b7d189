//! Showing and printing a stored document outside the window: a copy under the
//! document's own name (the store names files by hash) in a private folder of the
//! temporary directory, opened with the system's viewer; printing hands the PDF to
//! CUPS as forms are printed. Copies older than a day are removed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::domain::document::Sha256Hex;

/// How long a copy made for viewing is kept.
const KEEP: Duration = Duration::from_secs(24 * 3600);

/// The private folder the copies go in.
pub fn viewing_dir() -> PathBuf {
    std::env::temp_dir().join("motcua-xem-giay-to")
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// A copy of `stored` named `name` (a PDF), in a folder of its own per file.
pub fn copy_for_viewing(stored: &Path, name: &str, sha: &Sha256Hex) -> std::io::Result<PathBuf> {
    let root = viewing_dir();
    private_dir(&root)?;
    forget_old(&root);
    let dir = root.join(&sha.as_str()[..16]);
    private_dir(&dir)?;
    // The name was checked when attached; still keep only its last part.
    let base = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "giay-to".to_string());
    let base = if base.to_lowercase().ends_with(".pdf") {
        base
    } else {
        format!("{base}.pdf")
    };
    let copy = dir.join(base);
    std::fs::copy(stored, &copy)?;
    Ok(copy)
}

/// Removes copies made more than a day ago (they hold citizens' papers).
fn forget_old(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let now = SystemTime::now();
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > KEEP);
        if old {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Opens `path` with the system's viewer (xdg-open, `cmd /c start`, macOS `open`).
pub fn open_in_viewer(path: &Path) -> Result<(), String> {
    let mut cmd = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    let mut child = cmd
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("chưa có chương trình mở tệp PDF ({e})"))?;
    // Reaped in the background: the viewer may stay open for a long time.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
