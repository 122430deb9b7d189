//! The digitised documents of a backup.
//!
//! Layout (one rule everywhere): a backup database `X.sqlite` carries its files in the
//! `files` folder beside it, in the desk's own layout (`files/ab/<sha>`). The desk's
//! daily and pre-migration backups therefore share `backups/files/`, and a backup
//! written to a USB stick as `E:\sao-luu\motcua.sqlite` brings `E:\sao-luu\files\`.
//! Files are immutable and named by their hash, so a backup copies only the files not
//! there yet, and several backups in one folder share them.
//!
//! A restore brings back every file the restored log names that is missing here,
//! from the files beside the backup, else from the desk's own backup folder, each
//! checked against its hash. A file found nowhere (attached on another desk and never
//! fetched) is counted, not fatal: the centre can still send it.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::domain::document::Sha256Hex;
use crate::store::error::{Result, StoreError};
use crate::store::files::FileStore;

/// The folder of files that goes with the backup database `db`.
pub fn files_beside(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("files")
}

/// What copying a backup's files did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilesCopied {
    /// Files newly copied.
    pub copied: usize,
    /// Files already in place.
    pub present: usize,
    /// Files the log names that could not be found (or failed their hash check).
    pub missing: Vec<Sha256Hex>,
}

/// Every file any attach event of the database names.
pub fn referenced(conn: &Connection) -> Result<Vec<Sha256Hex>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT json_extract(event, '$.body.file.sha256') FROM dossier_event
         WHERE kind = 'document_attached'",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?;
    let mut out = Vec::new();
    for row in rows {
        let Some(sha) = row? else { continue };
        out.push(Sha256Hex::parse(&sha).map_err(|e| StoreError::decode("mã băm tệp", e))?);
    }
    out.sort();
    Ok(out)
}

/// Copies into the files folder beside `dest_db` every file `conn`'s log names that
/// `local` holds. A file this desk does not hold is skipped (listed as missing).
pub fn back_up_files(conn: &Connection, local: &FileStore, dest_db: &Path) -> Result<FilesCopied> {
    let target = FileStore::new(files_beside(dest_db));
    let mut out = FilesCopied::default();
    for sha in referenced(conn)? {
        if target.has(&sha) {
            out.present += 1;
        } else if local.has(&sha) {
            target.copy_from(local, &sha)?;
            out.copied += 1;
        } else {
            out.missing.push(sha);
        }
    }
    Ok(out)
}

/// Brings into `local` every file the database `db` names that is missing, from the
/// first of `sources` that holds a copy whose bytes match its name.
pub fn restore_files(db: &Path, local: &FileStore, sources: &[FileStore]) -> Result<FilesCopied> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut out = FilesCopied::default();
    for sha in referenced(&conn)? {
        if local.has(&sha) {
            out.present += 1;
            continue;
        }
        // A copy that fails its hash check is passed over for the next source.
        let found = sources
            .iter()
            .filter(|s| s.root() != local.root() && s.has(&sha))
            .any(|s| local.copy_from(s, &sha).is_ok());
        if found {
            out.copied += 1;
        } else {
            out.missing.push(sha);
        }
    }
    Ok(out)
}
