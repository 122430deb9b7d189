//! Showing and printing a stored document outside the window: a copy under the
//! document's own name (the store names files by hash) in a private folder of the
//! user's own cache (never the shared `/tmp`, where another account could plant the
//! folder or links in it), opened with the system's viewer; printing hands the PDF to
//! CUPS as forms are printed. Copies older than a day are removed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::domain::document::Sha256Hex;

/// How long a copy made for viewing is kept.
const KEEP: Duration = Duration::from_secs(24 * 3600);

/// The private folder the copies go in: the user's cache folder (per user on every
/// system), the temporary directory only when the system names no home.
pub fn viewing_dir() -> PathBuf {
    directories::ProjectDirs::from("vn", "motcua", "motcua").map_or_else(
        || std::env::temp_dir().join("motcua-xem-giay-to"),
        |d| d.cache_dir().join("xem-giay-to"),
    )
}

/// Creates `dir` owner-only, or checks that the one there is a real folder (not a
/// link) and this user's: only its owner may change its mode to 0700.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} không phải là thư mục riêng",
            dir.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// A copy of `stored` named `name` (a PDF), in a folder of its own per file.
pub fn copy_for_viewing(stored: &Path, name: &str, sha: &Sha256Hex) -> std::io::Result<PathBuf> {
    copy_into(&viewing_dir(), stored, name, sha)
}

fn copy_into(root: &Path, stored: &Path, name: &str, sha: &Sha256Hex) -> std::io::Result<PathBuf> {
    private_dir(root)?;
    forget_old(root);
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
    // A new owner-only file: whatever was at that name (a link too) is removed first,
    // never followed.
    match std::fs::remove_file(&copy) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut to = options.open(&copy)?;
    std::io::copy(&mut std::fs::File::open(stored)?, &mut to)?;
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn copies_go_to_a_private_folder_and_never_through_a_planted_link() {
        assert!(!viewing_dir().starts_with("/tmp/motcua-xem-giay-to"));
        let tmp = tempfile::tempdir().expect("temp");
        let stored = tmp.path().join("stored");
        std::fs::write(&stored, b"%PDF-1.7 giay to").expect("write");
        let sha = Sha256Hex::of(b"giay to");
        let root = tmp.path().join("xem");
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, b"untouched").expect("write");
        // Another account planted a link where the copy goes.
        std::fs::create_dir_all(root.join(&sha.as_str()[..16])).expect("mkdir");
        std::os::unix::fs::symlink(&victim, root.join(&sha.as_str()[..16]).join("CCCD.pdf"))
            .expect("link");
        let copy = copy_into(&root, &stored, "CCCD.pdf", &sha).expect("copied");
        assert_eq!(std::fs::read(&victim).expect("read"), b"untouched");
        assert_eq!(std::fs::read(&copy).expect("read"), b"%PDF-1.7 giay to");
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| {
            std::fs::symlink_metadata(p)
                .expect("meta")
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode(&copy), 0o600);
        assert_eq!(mode(&root), 0o700);
        // A link in place of the folder itself is refused.
        let linked = tmp.path().join("linked");
        std::os::unix::fs::symlink(tmp.path(), &linked).expect("link");
        assert!(copy_into(&linked, &stored, "CCCD.pdf", &sha).is_err());
    }
}
