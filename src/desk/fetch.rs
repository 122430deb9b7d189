//! Opening a digitised document on this desk: the local copy when there is one, else
//! the centre's, fetched only now that a clerk asks for it (desks never download their
//! siblings' scans eagerly: a ward's disk and line are small).
//!
//! The store is held only to read what the log says of the file and the enrollment;
//! the download runs with it released, into a temporary file of the desk's file
//! store, bounded by the smallest size the log records for it and by the disk's
//! safety floor, and is checked against the hash and then as an imported file is
//! (a sibling desk may have attached any bytes under a PDF's name) before it takes
//! its name.

use std::path::PathBuf;

use crate::desk::Desk;
use crate::desk::documents::{SAFETY_FLOOR_BYTES, disk_refusal};
use crate::domain::document::{DocumentLimits, FileRef, Sha256Hex};
use crate::domain::document_settings::DocumentSettings;
use crate::store::files::disk_space;
use crate::sync::client::{CentreClient, SyncError};

impl Desk {
    /// The path of the document `sha` on this desk, fetched from the centre first if
    /// it is not here. Only a file this desk's log names is fetched.
    pub async fn open_document(&self, sha: &Sha256Hex) -> Result<PathBuf, SyncError> {
        if let Some(path) = self.document_path(sha) {
            return Ok(path);
        }
        let (enrollment, file, limits) = self.with_store(|s| -> Result<_, SyncError> {
            let limits = DocumentSettings::load(s)?.limits;
            Ok((s.enrollment()?, s.file_ref(sha)?, limits))
        })?;
        let file = file.ok_or_else(|| {
            SyncError::Local(format!(
                "Không hồ sơ nào trên quầy này có tệp {}; không tải về",
                sha.short()
            ))
        })?;
        let enrollment = enrollment.ok_or(SyncError::NotEnrolled)?;
        let files = crate::store::files::FileStore::new(self.paths().files.clone());
        let temp = files.temp_file()?.into_temp_path();
        let client = CentreClient::new(&enrollment.centre_url)?;
        let max = file.size.min(DocumentLimits::CEILING.max_bytes);
        let space = disk_space(&self.paths().files)?;
        if let Some(why) = disk_refusal(space, max, SAFETY_FLOOR_BYTES) {
            return Err(SyncError::Local(why));
        }
        client
            .fetch_file(&enrollment.token, sha, &temp, max)
            .await?;
        check_received(&temp, &file, &limits)?;
        files.put_verified(&temp, sha)?;
        // Already renamed into place; nothing is left for the guard to remove.
        let _ = temp.keep();
        Ok(files.path(sha))
    }

    /// `open_document` for callers on a plain thread (the command line, a window job):
    /// the fetch gets a small runtime of its own.
    pub fn open_document_blocking(&self, sha: &Sha256Hex) -> Result<PathBuf, SyncError> {
        if let Some(path) = self.document_path(sha) {
            return Ok(path);
        }
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SyncError::Local(e.to_string()))?
            .block_on(self.open_document(sha))
    }
}

/// The downloaded copy passes the checks an imported file passes; refused, it is
/// removed with its guard and nothing is stored.
fn check_received(
    temp: &std::path::Path,
    file: &FileRef,
    limits: &DocumentLimits,
) -> Result<(), SyncError> {
    let bytes = std::fs::read(temp).map_err(|e| SyncError::Local(e.to_string()))?;
    crate::documents::check_received(&file.name, &bytes, file.pages, limits)
        .map_err(|e| SyncError::Local(format!("Tệp tải về bị từ chối, không lưu: {e}")))
}
