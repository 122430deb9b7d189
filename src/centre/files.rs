//! Digitised documents at the centre (design §6, "Files"): resumable, idempotent
//! uploads and downloads by SHA-256, on the routes of `sync::protocol`.
//!
//! A desk asks `GET /v1/files/{sha}/upload?size=S` where its unit's upload stands,
//! then sends the rest with `PUT …/upload?size=S&offset=N`, one bounded chunk per
//! request, streamed to its unit's partial file (`blobs`); a chunk at another offset
//! is answered 409 with the offset to resume from. The last chunk's file is hashed: a
//! match is kept once on disk and the unit is recorded as one that may read it. A unit
//! gains a file only by sending its bytes, even when the centre already has it (the
//! copy is checked, then dropped): knowing a hash proves nothing.
//!
//! `GET /v1/files/{sha}` streams a kept file to a desk of a unit that has it; any
//! other unit gets 403, whether or not the file exists (no oracle on hashes) — except
//! that a unit whose own dossier names the file in a pushed `DocumentAttached` gets
//! 404 "not uploaded yet": it is its own paper, on its way from the desk that scanned it.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncRead, ReadBuf};
use uuid::Uuid;

use crate::centre::auth::{AuthedDesk, authenticate};
use crate::centre::blobs::{self, BlobDir, Kept};
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::domain::document::{DocumentLimits, Sha256Hex, size_vi};
use crate::domain::text::escape_controls;
use crate::sync::protocol::{MAX_FILE_CHUNK, UploadQuery, UploadState};

/// The centre's settings for files.
#[derive(Debug, Clone)]
pub struct FileSettings {
    pub dir: PathBuf,
    /// Largest file accepted; never above `DocumentLimits::CEILING.max_bytes`.
    pub max_bytes: u64,
    /// Uploads in progress at once, over all desks.
    pub max_uploads: usize,
    /// Uploads in progress at once from one desk.
    pub max_uploads_per_desk: usize,
    /// A partial upload untouched this long is removed.
    pub partial_ttl: Duration,
}

impl FileSettings {
    pub fn in_dir(dir: impl Into<PathBuf>) -> FileSettings {
        FileSettings {
            dir: dir.into(),
            max_bytes: DocumentLimits::default().max_bytes,
            max_uploads: 64,
            max_uploads_per_desk: 4,
            partial_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

/// The files service: the folder, its settings and the uploads in progress.
#[derive(Debug)]
pub struct Files {
    pub blobs: BlobDir,
    settings: FileSettings,
    active: Mutex<Active>,
}

#[derive(Debug, Default)]
struct Active {
    keys: HashSet<(String, Sha256Hex)>,
    per_desk: HashMap<Uuid, usize>,
}

impl Files {
    pub fn new(mut settings: FileSettings) -> Files {
        settings.max_bytes = settings
            .max_bytes
            .clamp(1, DocumentLimits::CEILING.max_bytes);
        Files {
            blobs: BlobDir::new(settings.dir.clone()),
            settings,
            active: Mutex::new(Active::default()),
        }
    }

    pub fn settings(&self) -> &FileSettings {
        &self.settings
    }

    /// Takes a place for one upload, or says why not (429 when busy, or when the
    /// same unit is already sending this file in another request).
    fn slot(self: &Arc<Self>, desk: &AuthedDesk, sha: &Sha256Hex) -> Result<Slot, ApiError> {
        let mut a = self.active.lock().unwrap_or_else(|p| p.into_inner());
        let key = (desk.unit_code.clone(), sha.clone());
        // Usually the request a cut connection left behind, about to end: try again
        // shortly (429, like a busy centre, so a desk retries by itself).
        if a.keys.contains(&key) {
            return Err(ApiError::TooManyRequests {
                message: format!(
                    "Tệp {} của đơn vị đang được nhận trong một yêu cầu khác; quầy sẽ gửi lại sau",
                    sha.short()
                ),
                retry_after: 1,
            });
        }
        let mine = a.per_desk.get(&desk.desk_id).copied().unwrap_or(0);
        if a.keys.len() >= self.settings.max_uploads || mine >= self.settings.max_uploads_per_desk {
            return Err(ApiError::TooManyRequests {
                message: "Trung tâm đang nhận nhiều tệp cùng lúc; quầy sẽ gửi lại sau".into(),
                retry_after: 5,
            });
        }
        a.keys.insert(key.clone());
        *a.per_desk.entry(desk.desk_id).or_default() += 1;
        Ok(Slot {
            files: self.clone(),
            key,
            desk: desk.desk_id,
        })
    }

    /// Removes expired partial uploads now and then, for as long as the server runs.
    pub fn spawn_sweeper(self: &Arc<Self>) {
        let files = self.clone();
        tokio::spawn(async move {
            loop {
                let f = files.clone();
                let ttl = f.settings.partial_ttl;
                let removed = tokio::task::spawn_blocking(move || f.blobs.sweep(ttl))
                    .await
                    .unwrap_or(0);
                if removed > 0 {
                    tracing::info!(removed, "đã xóa các tệp tải lên dở đã hết hạn");
                }
                tokio::time::sleep(Duration::from_secs(600)).await;
            }
        });
    }
}

/// One upload in progress; its place is given back when dropped.
#[derive(Debug)]
struct Slot {
    files: Arc<Files>,
    key: (String, Sha256Hex),
    desk: Uuid,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut a = self.files.active.lock().unwrap_or_else(|p| p.into_inner());
        a.keys.remove(&self.key);
        if let Some(n) = a.per_desk.get_mut(&self.desk) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                a.per_desk.remove(&self.desk);
            }
        }
    }
}

fn parse_sha(raw: &str) -> Result<Sha256Hex, ApiError> {
    Sha256Hex::parse(raw).map_err(|e| ApiError::BadRequest(e.to_string()))
}

fn parse_query(query: Result<Query<UploadQuery>, QueryRejection>) -> Result<UploadQuery, ApiError> {
    query.map(|Query(q)| q).map_err(|e| {
        ApiError::BadRequest(format!(
            "Tham số không hợp lệ: {}",
            escape_controls(&e.body_text())
        ))
    })
}

fn check_size(files: &Files, size: u64) -> Result<(), ApiError> {
    if size == 0 {
        return Err(ApiError::BadRequest("Tệp rỗng: size phải ≥ 1".into()));
    }
    let max = files.settings.max_bytes;
    if size > max {
        return Err(ApiError::TooLarge(format!(
            "Tệp {} vượt giới hạn {} của trung tâm",
            size_vi(size),
            size_vi(max)
        )));
    }
    Ok(())
}

/// `GET /v1/files/{sha}/upload?size=S`.
pub async fn upload_state(
    State(state): State<AppState>,
    Path(sha): Path<String>,
    headers: HeaderMap,
    query: Result<Query<UploadQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    let desk = authenticate(&client, &headers).await?;
    let sha = parse_sha(&sha)?;
    let q = parse_query(query)?;
    check_size(&state.files, q.size)?;
    let complete = has_access(&client, &sha, &desk.unit_code).await?;
    let offset = if complete {
        q.size
    } else {
        state.files.blobs.partial_len(&desk.unit_code, &sha)
    };
    Ok(axum::Json(UploadState { offset, complete }).into_response())
}

/// `PUT /v1/files/{sha}/upload?size=S&offset=N`: one chunk, streamed to the partial.
pub async fn upload_chunk(
    State(state): State<AppState>,
    Path(sha): Path<String>,
    headers: HeaderMap,
    query: Result<Query<UploadQuery>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    let desk = authenticate(&client, &headers).await?;
    let sha = parse_sha(&sha)?;
    let q = parse_query(query)?;
    check_size(&state.files, q.size)?;
    let offset = q
        .offset
        .ok_or_else(|| ApiError::BadRequest("Thiếu tham số offset".into()))?;
    if offset > q.size {
        return Err(ApiError::BadRequest(format!(
            "offset {offset} vượt kích thước tệp {}",
            q.size
        )));
    }
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_FILE_CHUNK) {
        return Err(ApiError::TooLarge(format!(
            "Một phần tệp gửi lên tối đa {MAX_FILE_CHUNK} byte"
        )));
    }
    if has_access(&client, &sha, &desk.unit_code).await? {
        return Ok(axum::Json(UploadState {
            offset: q.size,
            complete: true,
        })
        .into_response());
    }
    let _slot = state.files.slot(&desk, &sha)?;
    let blobs = &state.files.blobs;
    let mut file = match blobs.open_partial(&desk.unit_code, &sha, offset) {
        Ok(f) => f,
        Err(Ok(held)) => {
            return Err(ApiError::WrongOffset {
                message: format!(
                    "Trung tâm đang giữ {held} byte của tệp này, không phải {offset}; hãy gửi tiếp từ byte {held}"
                ),
                offset: held,
            });
        }
        Err(Err(e)) => return Err(disk_error(&e)),
    };
    let room = (q.size - offset).min(MAX_FILE_CHUNK);
    let mut body = body;
    let mut written = 0u64;
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        let data = match frame {
            None => break,
            Some(Ok(frame)) => match frame.into_data() {
                Ok(d) => d,
                Err(_) => continue,
            },
            // The connection was cut: what arrived stays, for the desk to resume after.
            Some(Err(_)) => {
                return Err(ApiError::BadRequest(
                    "Kết nối bị ngắt khi đang gửi; phần đã nhận được giữ lại".into(),
                ));
            }
        };
        if written + data.len() as u64 > room {
            let _ = file.set_len(offset);
            return Err(ApiError::TooLarge(format!(
                "Phần gửi lên dài hơn cho phép ({room} byte từ vị trí {offset})"
            )));
        }
        blobs::append(&mut file, &data).map_err(|e| disk_error(&e))?;
        written += data.len() as u64;
    }
    drop(file);
    let held = offset + written;
    if held < q.size {
        return Ok(axum::Json(UploadState {
            offset: held,
            complete: false,
        })
        .into_response());
    }
    let (files, unit, s) = (state.files.clone(), desk.unit_code.clone(), sha.clone());
    let kept = tokio::task::spawn_blocking(move || files.blobs.keep(&unit, &s))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| disk_error(&e))?;
    if let Kept::Mismatch(actual) = kept {
        return Err(ApiError::BadRequest(format!(
            "Nội dung nhận được có mã băm {}…, không phải {}…: tệp không được giữ; hãy gửi lại từ đầu",
            actual.short(),
            sha.short()
        )));
    }
    grant(&client, &sha, q.size, &desk).await?;
    tracing::info!(desk = %desk.desk_id, unit = %desk.unit_code, file = %sha.short(), size = q.size, "đã nhận tệp");
    Ok(axum::Json(UploadState {
        offset: q.size,
        complete: true,
    })
    .into_response())
}

/// `GET /v1/files/{sha}`: the file, streamed.
pub async fn download(
    State(state): State<AppState>,
    Path(sha): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    let desk = authenticate(&client, &headers).await?;
    let sha = parse_sha(&sha)?;
    if !has_access(&client, &sha, &desk.unit_code).await? {
        if named_by_unit(&client, &sha, &desk.unit_code).await? {
            return Err(ApiError::NotFound(
                "Tệp chưa được tải lên trung tâm; quầy đã số hóa sẽ gửi ở lần đồng bộ tới".into(),
            ));
        }
        return Err(ApiError::Forbidden(format!(
            "Đơn vị {} không có tệp {}",
            desk.unit_code,
            sha.short()
        )));
    }
    drop(client);
    let path = state.files.blobs.path(&sha);
    let file = tokio::fs::File::open(&path).await.map_err(|e| {
        tracing::error!(file = %sha.short(), error = %e, "tệp đã ghi nhận nhưng không còn trên đĩa");
        ApiError::Internal("tệp không còn trên đĩa của trung tâm".into())
    })?;
    let len = file.metadata().await.map_err(|e| disk_error(&e))?.len();
    let body = Body::new(FileBody {
        file,
        remaining: len,
    });
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (CONTENT_LENGTH, HeaderValue::from(len)),
        ],
        body,
    )
        .into_response())
}

fn disk_error(e: &std::io::Error) -> ApiError {
    tracing::error!(error = %e, "lỗi đĩa khi xử lý tệp");
    ApiError::Internal("lỗi ghi/đọc đĩa của trung tâm".into())
}

/// A kept file as a response body, read in pieces as the desk takes them.
#[derive(Debug)]
struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
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

async fn has_access(
    client: &deadpool_postgres::Client,
    sha: &Sha256Hex,
    unit: &str,
) -> Result<bool, ApiError> {
    Ok(client
        .query_opt(
            "SELECT 1 FROM file_access WHERE sha256 = $1 AND unit_code = $2",
            &[&sha.as_str(), &unit],
        )
        .await?
        .is_some())
}

/// Whether an event of the unit's dossiers attaches this file.
async fn named_by_unit(
    client: &deadpool_postgres::Client,
    sha: &Sha256Hex,
    unit: &str,
) -> Result<bool, ApiError> {
    Ok(client
        .query_opt(
            "SELECT 1 FROM event WHERE unit_code = $1 AND kind = 'document_attached'
               AND (body::jsonb) #>> '{body,file,sha256}' = $2 LIMIT 1",
            &[&unit, &sha.as_str()],
        )
        .await?
        .is_some())
}

/// Records the kept file and that the desk's unit may read it (after it is on disk,
/// so no row ever names a missing file).
async fn grant(
    client: &deadpool_postgres::Client,
    sha: &Sha256Hex,
    size: u64,
    desk: &AuthedDesk,
) -> Result<(), ApiError> {
    let size = i64::try_from(size).unwrap_or(i64::MAX);
    client
        .execute(
            "INSERT INTO file_blob (sha256, size) VALUES ($1, $2)
             ON CONFLICT (sha256) DO NOTHING",
            &[&sha.as_str(), &size],
        )
        .await?;
    client
        .execute(
            "INSERT INTO file_access (sha256, unit_code, desk_id) VALUES ($1, $2, $3)
             ON CONFLICT (sha256, unit_code) DO NOTHING",
            &[&sha.as_str(), &desk.unit_code, &desk.desk_id],
        )
        .await?;
    Ok(())
}
