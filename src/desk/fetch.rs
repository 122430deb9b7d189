//! Opening a digitised document on this desk: the local copy when there is one, else
//! the centre's, fetched only now that a clerk asks for it (desks never download their
//! siblings' scans eagerly: a ward's disk and line are small).
//!
//! The store is held only to read what the log says of the file and the enrollment;
//! the download runs with it released, into a temporary file of the desk's file
//! store, bounded by the size the log records, and is checked against the hash
//! before it takes its name.

use std::path::PathBuf;

use crate::desk::Desk;
use crate::domain::document::{DocumentLimits, Sha256Hex};
use crate::sync::client::{CentreClient, SyncError};

impl Desk {
    /// The path of the document `sha` on this desk, fetched from the centre first if
    /// it is not here. Only a file this desk's log names is fetched.
    pub async fn open_document(&self, sha: &Sha256Hex) -> Result<PathBuf, SyncError> {
        if let Some(path) = self.document_path(sha) {
            return Ok(path);
        }
        let (enrollment, file) = self
            .with_store(|s| -> Result<_, SyncError> { Ok((s.enrollment()?, s.file_ref(sha)?)) })?;
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
        client
            .fetch_file(&enrollment.token, sha, &temp, max)
            .await?;
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
