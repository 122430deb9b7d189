//! The centre's files on disk. A kept file is content-addressed, `<dir>/ab/<sha>`:
//! written once, owner-only, never changed, whoever sent it and however often. An
//! upload in progress is a partial file per unit, `<dir>/partial/<unit>/<sha>`, that
//! grows chunk by chunk (its length is the offset a cut upload resumes from) and
//! becomes the kept file only once its SHA-256 is the name it was sent under. Units do
//! not share partials, so no unit can spoil another's upload or gain a file by
//! finishing another's.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use axum::body::{Bytes, HttpBody};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, ReadBuf};

use crate::domain::document::Sha256Hex;

/// The folder of kept and partial files.
#[derive(Debug, Clone)]
pub struct BlobDir {
    root: PathBuf,
}

/// How the last chunk of an upload ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// The bytes were the file: kept (or already there, and the copy dropped).
    Stored,
    /// The bytes hash to something else: the partial is gone.
    Mismatch(Sha256Hex),
}

impl BlobDir {
    pub fn new(root: impl Into<PathBuf>) -> BlobDir {
        BlobDir { root: root.into() }
    }

    /// The default folder: the centre's per-user data folder (e.g.
    /// `~/.local/share/motcua-centre/files`, or under the service account's home).
    pub fn default_root() -> Result<PathBuf, String> {
        directories::ProjectDirs::from("vn", "motcua", "motcua-centre")
            .map(|d| d.data_dir().join("files"))
            .ok_or_else(|| {
                "không xác định được thư mục dữ liệu; dùng --files-dir THƯ_MỤC".to_string()
            })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates the folders, owner-only: they hold citizens' papers.
    pub fn ensure(&self) -> io::Result<()> {
        for d in [self.root.clone(), self.root.join("partial")] {
            fs::create_dir_all(&d)?;
            restrict(&d, 0o700)?;
        }
        Ok(())
    }

    pub fn path(&self, sha: &Sha256Hex) -> PathBuf {
        self.root.join(&sha.as_str()[..2]).join(sha.as_str())
    }

    pub fn has(&self, sha: &Sha256Hex) -> bool {
        self.path(sha).is_file()
    }

    pub fn partial_path(&self, unit: &str, sha: &Sha256Hex) -> PathBuf {
        self.unit_dir(unit).join(sha.as_str())
    }

    fn unit_dir(&self, unit: &str) -> PathBuf {
        // Unit codes are the operator's ("H22.39.15"); anything else cannot name a path.
        let safe: String = unit
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.root.join("partial").join(safe.trim_start_matches('.'))
    }

    /// Bytes of the unit's upload the centre holds (0 when none).
    pub fn partial_len(&self, unit: &str, sha: &Sha256Hex) -> u64 {
        fs::metadata(self.partial_path(unit, sha)).map_or(0, |m| m.len())
    }

    /// How many unfinished uploads the unit has on disk.
    pub fn partial_count(&self, unit: &str) -> usize {
        fs::read_dir(self.unit_dir(unit)).map_or(0, |d| d.count())
    }

    /// Whether the unit has an unfinished upload of `sha` (even an empty one).
    pub fn has_partial(&self, unit: &str, sha: &Sha256Hex) -> bool {
        self.partial_path(unit, sha).exists()
    }

    /// The unit's partial file positioned at `offset` for the next chunk, or the
    /// length it has when that is not `offset` (`Err(Ok(len))`). Only a chunk at
    /// offset 0 starts a partial: any other offset is told to start from 0, and
    /// leaves nothing on disk.
    pub fn open_partial(
        &self,
        unit: &str,
        sha: &Sha256Hex,
        offset: u64,
    ) -> Result<File, Result<u64, io::Error>> {
        self.ensure().map_err(Err)?;
        let dir = self.unit_dir(unit);
        fs::create_dir_all(&dir).map_err(Err)?;
        restrict(&dir, 0o700).map_err(Err)?;
        let opened = OpenOptions::new()
            .create(offset == 0)
            .truncate(false)
            .write(true)
            .open(self.partial_path(unit, sha));
        let mut file = match opened {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Ok(0)),
            other => other.map_err(Err)?,
        };
        let len = file.metadata().map_err(Err)?.len();
        if len != offset {
            return Err(Ok(len));
        }
        file.seek(SeekFrom::Start(offset)).map_err(Err)?;
        Ok(file)
    }

    /// The first `n` bytes of the unit's partial (fewer when it is shorter).
    pub fn partial_head(&self, unit: &str, sha: &Sha256Hex, n: u64) -> io::Result<Vec<u8>> {
        let mut head = Vec::new();
        File::open(self.partial_path(unit, sha))?
            .take(n)
            .read_to_end(&mut head)?;
        Ok(head)
    }

    pub fn discard_partial(&self, unit: &str, sha: &Sha256Hex) {
        let _ = fs::remove_file(self.partial_path(unit, sha));
    }

    /// The end of an upload: hashes the unit's partial; a match becomes the kept file
    /// (fsynced before it gets its name) unless that exists already, and the partial
    /// is gone either way. Blocking: run it off the async workers.
    pub fn keep(&self, unit: &str, sha: &Sha256Hex) -> io::Result<Kept> {
        let partial = self.partial_path(unit, sha);
        let actual = hash_file(&partial)?;
        if &actual != sha {
            let _ = fs::remove_file(&partial);
            return Ok(Kept::Mismatch(actual));
        }
        let dest = self.path(sha);
        if dest.is_file() {
            let _ = fs::remove_file(&partial);
            return Ok(Kept::Stored);
        }
        File::open(&partial)?.sync_all()?;
        restrict(&partial, 0o600)?;
        let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir)?;
        restrict(&dir, 0o700)?;
        fs::rename(&partial, &dest)?;
        sync_dir(&dir);
        Ok(Kept::Stored)
    }

    /// Removes partial uploads untouched for `older_than`; returns how many. A desk
    /// that comes back later starts that file again from 0.
    pub fn sweep(&self, older_than: Duration) -> usize {
        let now = SystemTime::now();
        let mut removed = 0;
        let Ok(units) = fs::read_dir(self.root.join("partial")) else {
            return 0;
        };
        for unit in units.flatten() {
            let Ok(files) = fs::read_dir(unit.path()) else {
                continue;
            };
            for f in files.flatten() {
                let old = f
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| now.duration_since(t).ok())
                    .is_some_and(|age| age > older_than);
                if old && fs::remove_file(f.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        removed
    }
}

/// The SHA-256 of a file, read in pieces.
pub fn hash_file(path: &Path) -> io::Result<Sha256Hex> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(Sha256Hex::from_digest(&hasher.finalize()))
}

/// Appends `bytes` to an open partial (synchronous on purpose: a chunk's write is
/// never left half-done in a background task when a cut connection drops the
/// handler, so the file's length is always the true resume offset).
pub fn append(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)
}

/// A kept file as a response body, read in pieces as the desk takes them.
#[derive(Debug)]
pub struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
}

impl FileBody {
    /// The first `len` bytes of `file`.
    pub fn new(file: tokio::fs::File, len: u64) -> FileBody {
        FileBody {
            file,
            remaining: len,
        }
    }
}

impl HttpBody for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let mut buf = vec![0u8; 64 * 1024];
        let mut read = ReadBuf::new(&mut buf);
        match Pin::new(&mut self.file).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                if n == 0 {
                    return Poll::Ready(Some(Err(std::io::ErrorKind::UnexpectedEof.into())));
                }
                let n = n.min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
                self.remaining -= n as u64;
                buf.truncate(n);
                Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(buf)))))
            }
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

fn sync_dir(dir: &Path) {
    // A directory cannot be opened for fsync on Windows; the rename is durable enough.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_resumes_at_its_length_and_is_kept_once_by_hash() {
        let dir = tempfile::tempdir().expect("temp");
        let blobs = BlobDir::new(dir.path().join("files"));
        let bytes = b"%PDF-1.7 giay to so hoa".to_vec();
        let sha = Sha256Hex::of(&bytes);
        let mut f = blobs.open_partial("H22.39.15", &sha, 0).expect("open");
        append(&mut f, &bytes[..5]).expect("write");
        drop(f);
        assert_eq!(blobs.partial_len("H22.39.15", &sha), 5);
        assert!(matches!(
            blobs.open_partial("H22.39.15", &sha, 0),
            Err(Ok(5))
        ));
        let mut f = blobs.open_partial("H22.39.15", &sha, 5).expect("resume");
        append(&mut f, &bytes[5..]).expect("write");
        drop(f);
        assert_eq!(blobs.keep("H22.39.15", &sha).expect("keep"), Kept::Stored);
        assert_eq!(fs::read(blobs.path(&sha)).expect("kept"), bytes);
        assert_eq!(blobs.partial_len("H22.39.15", &sha), 0);

        // Wrong bytes under the name: refused, nothing left behind.
        let other = Sha256Hex::of(b"something else");
        let mut f = blobs.open_partial("../H22", &other, 0).expect("open");
        append(&mut f, b"not it").expect("write");
        drop(f);
        assert!(blobs.partial_path("../H22", &other).starts_with(dir.path()));
        assert!(matches!(
            blobs.keep("../H22", &other).expect("keep"),
            Kept::Mismatch(_)
        ));
        assert!(!blobs.has(&other));
        assert_eq!(blobs.partial_len("../H22", &other), 0);
    }

    #[test]
    fn old_partials_are_swept_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().expect("temp");
        let blobs = BlobDir::new(dir.path());
        let sha = Sha256Hex::of(b"x");
        let mut f = blobs.open_partial("H22.39.15", &sha, 0).expect("open");
        append(&mut f, b"x").expect("write");
        drop(f);
        assert_eq!(blobs.sweep(Duration::from_secs(3600)), 0);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(blobs.sweep(Duration::from_millis(1)), 1);
        assert_eq!(blobs.partial_len("H22.39.15", &sha), 0);
    }
}
