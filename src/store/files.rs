//! The desk's digitised documents on disk: each file stored once, named by its SHA-256,
//! never changed once in place.
//!
//! Layout: `<root>/ab/<sha>` (the first two hex digits as a folder, so no folder holds
//! more than a few thousand files) and `<root>/tmp` for files being written. A file is
//! written to a temporary file in the same filesystem, flushed to the disk, and only
//! then renamed into place (and the folder flushed), so a name under `ab/` always holds
//! complete bytes: a crash leaves at most a stray temporary file, never a torn one.
//! Files are owner-only (0600, folders 0700): they are citizens' papers.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::document::Sha256Hex;
use crate::store::error::{Result, StoreError};
use crate::store::paths::set_mode;

/// The content-addressed store of one desk (or of a backup folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file named `sha` is (or would be).
    pub fn path(&self, sha: &Sha256Hex) -> PathBuf {
        self.root.join(&sha.as_str()[..2]).join(sha.as_str())
    }

    pub fn has(&self, sha: &Sha256Hex) -> bool {
        self.path(sha).is_file()
    }

    /// Stores `bytes` under their hash, durably; a no-op when already stored.
    pub fn put(&self, bytes: &[u8]) -> Result<Sha256Hex> {
        let sha = Sha256Hex::of(bytes);
        if self.present_with_size(&sha, bytes.len() as u64) {
            return Ok(sha);
        }
        let mut temp = self.temp_file()?;
        temp.write_all(bytes)
            .map_err(|e| StoreError::io(temp.path(), e))?;
        self.commit(temp, &sha)?;
        Ok(sha)
    }

    /// A temporary file in `<root>/tmp` (same filesystem, so the final rename is
    /// atomic), owner-only, removed when dropped unless put in place.
    pub fn temp_file(&self) -> Result<tempfile::NamedTempFile> {
        let tmp = self.root.join("tmp");
        make_dir(&self.root)?;
        make_dir(&tmp)?;
        tempfile::Builder::new()
            .prefix("in-")
            .tempfile_in(&tmp)
            .map_err(|e| StoreError::io(&tmp, e))
    }

    /// Puts a finished temporary file (from [`FileStore::temp_file`]) in place after
    /// checking, while reading it, that its content hashes to `expected`. The
    /// temporary file is consumed either way.
    pub fn put_verified(&self, temp: &Path, expected: &Sha256Hex) -> Result<()> {
        let (actual, size) = hash_file(temp)?;
        if actual != *expected {
            let _ = fs::remove_file(temp);
            return Err(StoreError::Invalid(format!(
                "Nội dung tệp không khớp mã băm {} (tính được {}): tệp không được lưu",
                expected.short(),
                actual.short()
            )));
        }
        if self.present_with_size(expected, size) {
            let _ = fs::remove_file(temp);
            return Ok(());
        }
        sync_file(temp)?;
        self.place(temp, expected)
    }

    /// Every stored file (names that are not a hash, such as `tmp`, are skipped).
    pub fn list(&self) -> Result<Vec<Sha256Hex>> {
        let mut out = Vec::new();
        let top = match fs::read_dir(&self.root) {
            Ok(top) => top,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(StoreError::io(&self.root, e)),
        };
        for dir in top {
            let dir = dir.map_err(|e| StoreError::io(&self.root, e))?;
            let name = dir.file_name();
            let Some(prefix) = name.to_str().filter(|n| n.len() == 2) else {
                continue;
            };
            let entries = fs::read_dir(dir.path()).map_err(|e| StoreError::io(dir.path(), e))?;
            for entry in entries {
                let entry = entry.map_err(|e| StoreError::io(dir.path(), e))?;
                if let Some(sha) = entry
                    .file_name()
                    .to_str()
                    .and_then(|n| Sha256Hex::parse(n).ok())
                    .filter(|s| s.as_str().starts_with(prefix))
                {
                    out.push(sha);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Copies the stored file `sha` from `from` into this store (durably, checked
    /// against its hash); a no-op when already here.
    pub fn copy_from(&self, from: &FileStore, sha: &Sha256Hex) -> Result<()> {
        if self.has(sha) {
            return Ok(());
        }
        let source = from.path(sha);
        let mut input = File::open(&source).map_err(|e| StoreError::io(&source, e))?;
        let mut temp = self.temp_file()?;
        std::io::copy(&mut input, temp.as_file_mut()).map_err(|e| StoreError::io(&source, e))?;
        let (path, file) = (temp.path().to_path_buf(), temp.as_file());
        file.sync_all().map_err(|e| StoreError::io(&path, e))?;
        let kept = temp
            .into_temp_path()
            .keep()
            .map_err(|e| StoreError::io(&path, e.error))?;
        self.put_verified(&kept, sha)
    }

    /// Removes temporary files not touched for `age`: left by a crash mid-write or a
    /// download cut short (a file being written now is younger). Returns how many.
    pub fn remove_stale_temps(&self, age: std::time::Duration) -> usize {
        let Ok(entries) = fs::read_dir(self.root.join("tmp")) else {
            return 0;
        };
        let now = std::time::SystemTime::now();
        entries
            .flatten()
            .filter(|e| {
                e.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d > age))
            })
            .filter(|e| fs::remove_file(e.path()).is_ok())
            .count()
    }

    /// A file of this store as it is on disk: present, and its bytes hash to its name.
    pub fn verify(&self, sha: &Sha256Hex) -> Result<bool> {
        if !self.has(sha) {
            return Ok(false);
        }
        Ok(hash_file(&self.path(sha))?.0 == *sha)
    }

    fn present_with_size(&self, sha: &Sha256Hex, size: u64) -> bool {
        // A stored file is complete by construction (renamed only once flushed); the
        // size check only guards against someone truncating it by hand.
        fs::metadata(self.path(sha)).is_ok_and(|m| m.is_file() && m.len() == size)
    }

    fn commit(&self, temp: tempfile::NamedTempFile, sha: &Sha256Hex) -> Result<()> {
        let path = temp.path().to_path_buf();
        temp.as_file()
            .sync_all()
            .map_err(|e| StoreError::io(&path, e))?;
        let kept = temp
            .into_temp_path()
            .keep()
            .map_err(|e| StoreError::io(&path, e.error))?;
        self.place(&kept, sha)
    }

    /// Renames a flushed file into place, owner-only, and flushes the folder so the
    /// new name survives a power cut.
    fn place(&self, temp: &Path, sha: &Sha256Hex) -> Result<()> {
        let dest = self.path(sha);
        let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
        make_dir(&self.root)?;
        let created = !dir.is_dir();
        make_dir(&dir)?;
        set_mode(temp, 0o600)?;
        fs::rename(temp, &dest).map_err(|e| StoreError::io(&dest, e))?;
        sync_dir(&dir)?;
        if created {
            sync_dir(&self.root)?;
        }
        Ok(())
    }
}

/// Free and total bytes of the disk holding a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskSpace {
    /// Bytes this user may still write.
    pub available: u64,
    pub total: u64,
}

/// The space of the disk holding `dir`.
pub fn disk_space(dir: &Path) -> Result<DiskSpace> {
    #[cfg(unix)]
    {
        let s = rustix::fs::statvfs(dir).map_err(|e| StoreError::io(dir, e.into()))?;
        Ok(DiskSpace {
            available: s.f_bavail.saturating_mul(s.f_frsize),
            total: s.f_blocks.saturating_mul(s.f_frsize),
        })
    }
    #[cfg(windows)]
    {
        let (available, total) =
            crate::platform::windows::disk_space(dir).map_err(|e| StoreError::io(dir, e))?;
        Ok(DiskSpace { available, total })
    }
}

fn make_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    set_mode(dir, 0o700)
}

/// The SHA-256 and length of a file, read in blocks (never whole in memory).
pub fn hash_file(path: &Path) -> Result<(Sha256Hex, u64)> {
    let mut file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| StoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((Sha256Hex::from_digest(&hasher.finalize()), size))
}

fn sync_file(path: &Path) -> Result<()> {
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io(path, e))
}

/// Flushes a folder's entries (a rename is durable only then). Windows has no such
/// call on folders; NTFS journals its metadata.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
