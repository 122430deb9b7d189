//! The scan folder: a network scanner (or a copier's "scan to folder") writes files
//! into a shared folder; the clerk takes the newest document from it. A file still
//! being written is not taken.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::ScanError;

/// A file this old (by modification time) is taken as finished.
const SETTLED: Duration = Duration::from_secs(2);
/// A younger file is taken only if its size and time do not change over this interval.
const SAMPLE: Duration = Duration::from_millis(400);
/// Entries looked at, at most: a folder of years of scans must not stall the window.
const MAX_ENTRIES: usize = 20_000;

/// The newest finished PDF, JPEG or PNG in `dir` (other files, hidden files and empty
/// files are ignored), or `None` when there is none.
pub fn newest_in_folder(dir: &Path) -> Result<Option<PathBuf>, ScanError> {
    let folder_error = |e: std::io::Error| ScanError::Folder {
        folder: dir.display().to_string(),
        detail: e.to_string(),
    };
    let mut candidates: Vec<(SystemTime, u64, PathBuf)> = std::fs::read_dir(dir)
        .map_err(folder_error)?
        .take(MAX_ENTRIES)
        .flatten()
        .filter(|e| is_document_name(&e.path()))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            (meta.is_file() && meta.len() > 0)
                .then(|| Some((meta.modified().ok()?, meta.len(), e.path())))?
        })
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.2.cmp(&a.2)));
    let now = SystemTime::now();
    for (modified, size, path) in candidates {
        let age = now.duration_since(modified).unwrap_or(Duration::ZERO);
        if age >= SETTLED || unchanged(&path, modified, size) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// A document by its name: `.pdf`, `.jpg`, `.jpeg`, `.png`, not hidden, not a
/// download/copy in progress.
fn is_document_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') || name.starts_with('~') {
        return false;
    }
    crate::documents::kind_from_name(path).is_some()
}

fn unchanged(path: &Path, modified: SystemTime, size: u64) -> bool {
    std::thread::sleep(SAMPLE);
    std::fs::metadata(path).is_ok_and(|m| m.len() == size && m.modified().ok() == Some(modified))
}
