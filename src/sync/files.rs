//! The desk's side of file sync (design §6, "Files"): sending a digitised document to
//! the centre in resumable chunks, and fetching one another desk of the unit sent.
//!
//! An upload first asks where the centre stands, then sends the rest chunk by chunk,
//! each read from the file as it goes (never the whole file in memory). A chunk the
//! centre answers 409 resumes from the offset it names; a cut connection is retried a
//! few times from the offset the centre then reports, and otherwise left to the next
//! round, which resumes where the centre's partial file ends. A fetch streams to the
//! given path under a byte bound and checks the hash before it says yes.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use sha2::{Digest, Sha256};

use crate::domain::document::Sha256Hex;
use crate::domain::text::escape_controls;
use crate::sync::client::{CentreClient, SyncError, describe, read, read_limited};
use crate::sync::protocol::{
    ErrorBody, FILE_CHUNK, MAX_JSON_BYTES, OffsetConflict, ROUTE_FILE, ROUTE_FILE_UPLOAD,
    UploadState,
};

/// Cut connections retried within one upload before it is left for the next round.
const UPLOAD_RETRIES: u32 = 3;
/// Most requests one upload may take: a centre that never moves forward cannot keep a
/// desk sending for ever.
fn max_requests(size: u64) -> u64 {
    size.div_ceil(FILE_CHUNK) * 2 + 8
}

fn route(template: &str, sha: &Sha256Hex) -> String {
    template.replace("{sha}", sha.as_str())
}

fn local(e: std::io::Error, path: &Path) -> SyncError {
    SyncError::Local(format!("Không đọc/ghi được tệp {}: {e}", path.display()))
}

impl CentreClient {
    /// Where the centre stands on this unit's upload of `sha`.
    pub async fn upload_state(
        &self,
        token: &str,
        sha: &Sha256Hex,
        size: u64,
    ) -> Result<UploadState, SyncError> {
        let resp = self
            .http
            .get(format!(
                "{}{}?size={size}",
                self.base,
                route(ROUTE_FILE_UPLOAD, sha)
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await;
        read(resp).await
    }

    /// Sends the file at `path` (of `size` bytes, named by `sha`) until the centre
    /// keeps it for this desk's unit. Idempotent: a file the unit already gave costs
    /// one request.
    pub async fn upload_file(
        &self,
        token: &str,
        sha: &Sha256Hex,
        path: &Path,
        size: u64,
    ) -> Result<(), SyncError> {
        let on_disk = std::fs::metadata(path).map_err(|e| local(e, path))?.len();
        if on_disk != size {
            return Err(SyncError::Local(format!(
                "Tệp {} có {on_disk} byte, không phải {size} như đã ghi nhận",
                path.display()
            )));
        }
        let mut state = self.upload_state(token, sha, size).await?;
        let mut retries = 0;
        for _ in 0..max_requests(size) {
            if state.complete {
                return Ok(());
            }
            // At `size` exactly, every byte arrived but the check did not run (the
            // link died first): an empty last chunk asks for it.
            if state.offset > size {
                return Err(SyncError::Protocol(format!(
                    "trung tâm báo đã nhận {} byte của tệp chỉ có {size} byte",
                    state.offset
                )));
            }
            match self.send_chunk(token, sha, path, size, state.offset).await {
                Ok(Chunk::Accepted(next)) => {
                    if !next.complete && next.offset <= state.offset {
                        return Err(SyncError::Protocol(
                            "trung tâm không ghi nhận phần vừa gửi".into(),
                        ));
                    }
                    state = next;
                }
                Ok(Chunk::Resume(offset)) => state.offset = offset,
                Err(e) if e.is_transient() && retries < UPLOAD_RETRIES => {
                    retries += 1;
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(retries))).await;
                    state = self.upload_state(token, sha, size).await?;
                }
                Err(e) => return Err(e),
            }
        }
        Err(SyncError::Protocol(
            "trung tâm không nhận xong tệp sau quá nhiều lần gửi".into(),
        ))
    }

    async fn send_chunk(
        &self,
        token: &str,
        sha: &Sha256Hex,
        path: &Path,
        size: u64,
        offset: u64,
    ) -> Result<Chunk, SyncError> {
        let len = (size - offset).min(FILE_CHUNK);
        let owned = path.to_path_buf();
        let bytes = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
            let mut f = std::fs::File::open(&owned)?;
            f.seek(SeekFrom::Start(offset))?;
            let mut buf = vec![0u8; usize::try_from(len).unwrap_or(0)];
            f.read_exact(&mut buf)?;
            Ok(buf)
        })
        .await
        .map_err(|e| SyncError::Local(e.to_string()))?
        .map_err(|e| local(e, path))?;
        let resp = self
            .http
            .put(format!(
                "{}{}?size={size}&offset={offset}",
                self.base,
                route(ROUTE_FILE_UPLOAD, sha)
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(bytes)
            .send()
            .await;
        let mut resp = resp.map_err(|e| SyncError::Network(describe(&e)))?;
        if resp.status() == StatusCode::CONFLICT {
            let body = read_limited(&mut resp, MAX_JSON_BYTES).await?;
            if let Ok(c) = serde_json::from_slice::<OffsetConflict>(&body) {
                return Ok(Chunk::Resume(c.offset));
            }
            let message = serde_json::from_slice::<ErrorBody>(&body)
                .map(|b| b.error)
                .unwrap_or_default();
            return Err(SyncError::Rejected {
                status: 409,
                message: escape_controls(&message).into_owned(),
            });
        }
        read(Ok(resp)).await.map(Chunk::Accepted)
    }

    /// Fetches the file named `sha` into `dest` (created or truncated), reading at
    /// most `max_bytes`, and checks its hash; on any failure `dest` is removed.
    /// Returns the file's size.
    pub async fn fetch_file(
        &self,
        token: &str,
        sha: &Sha256Hex,
        dest: &Path,
        max_bytes: u64,
    ) -> Result<u64, SyncError> {
        let got = self.fetch_into(token, sha, dest, max_bytes).await;
        if got.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        got
    }

    async fn fetch_into(
        &self,
        token: &str,
        sha: &Sha256Hex,
        dest: &Path,
        max_bytes: u64,
    ) -> Result<u64, SyncError> {
        // A large file on a slow line takes longer than one JSON request may.
        let allowed =
            Duration::from_secs(30 + max_bytes / (32 * 1024)).min(Duration::from_secs(3600));
        let resp = self
            .http
            .get(format!("{}{}", self.base, route(ROUTE_FILE, sha)))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .timeout(allowed)
            .send()
            .await;
        let mut resp = resp.map_err(|e| SyncError::Network(describe(&e)))?;
        if resp.status() != StatusCode::OK {
            return read::<UploadState>(Ok(resp))
                .await
                .and(Err(SyncError::Protocol("trả lời không mong đợi".into())));
        }
        let limit = usize::try_from(max_bytes).unwrap_or(usize::MAX);
        if resp.content_length().is_some_and(|n| n > max_bytes) {
            return Err(SyncError::TooLarge { limit });
        }
        let mut out = std::fs::File::create(dest).map_err(|e| local(e, dest))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| SyncError::Network(describe(&e)))?
        {
            size += chunk.len() as u64;
            if size > max_bytes {
                return Err(SyncError::TooLarge { limit });
            }
            hasher.update(&chunk);
            out.write_all(&chunk).map_err(|e| local(e, dest))?;
        }
        out.sync_all().map_err(|e| local(e, dest))?;
        let actual = Sha256Hex::from_digest(&hasher.finalize());
        if &actual != sha {
            return Err(SyncError::Protocol(format!(
                "tệp nhận được có mã băm {}…, không phải {}…",
                actual.short(),
                sha.short()
            )));
        }
        Ok(size)
    }
}

/// The centre's answer to one chunk.
enum Chunk {
    Accepted(UploadState),
    /// 409: resume from this offset.
    Resume(u64),
}
