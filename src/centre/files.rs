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
//! `GET /v1/files/{sha}` streams a kept file to a desk of a unit that has it (or to any
//! desk, when it is a release's package: `releases`); any
//! other unit gets 403, whether or not the file exists (no oracle on hashes) — except
//! that a unit whose own dossier names the file in a pushed `DocumentAttached` gets
//! 404 "not uploaded yet": it is its own paper, on its way from the desk that scanned it.

use std::pin::Pin;
use std::sync::Arc;

use axum::body::{Body, HttpBody};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::centre::auth::authenticate;
use crate::centre::blobs::{self, FileBody, Kept};
use crate::centre::error::ApiError;
use crate::centre::file_access::{self, grant, has_access, named_by_unit, named_types};
use crate::centre::routes::AppState;
use crate::centre::uploads::Files;
use crate::domain::document::{MediaType, Sha256Hex, size_vi};
use crate::domain::event::EventBody;
use crate::domain::text::escape_controls;
use crate::sync::protocol::{MAX_FILE_CHUNK, OutboxEvent, UploadQuery, UploadState};

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
    let max = files.settings().max_bytes;
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
    let held = state.files.blobs.partial_len(&desk.unit_code, &sha);
    // A partial longer than the file (another size declared before) is not this
    // file: it starts again, and the next chunk at 0 discards it.
    let offset = match (complete, held > q.size) {
        (true, _) => q.size,
        (false, true) => 0,
        (false, false) => held,
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
    if offset == 0 {
        check_quota(&client, &state.files, &desk.unit_code, q.size).await?;
    }
    let blobs = &state.files.blobs;
    let limit = state.files.settings().max_partials_per_unit;
    // A new partial at any offset counts against the unit's bound (a PUT at offset 1
    // used to create one unchecked); the folder is read off the async workers.
    let (files, unit, s) = (state.files.clone(), desk.unit_code.clone(), sha.clone());
    let (exists, count) = tokio::task::spawn_blocking(move || {
        if files.blobs.partial_len(&unit, &s) > q.size {
            files.blobs.discard_partial(&unit, &s);
        }
        let exists = files.blobs.has_partial(&unit, &s);
        (
            exists,
            if exists {
                0
            } else {
                files.blobs.partial_count(&unit)
            },
        )
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !exists && count >= limit {
        return Err(ApiError::TooManyRequests {
            message: format!(
                "Đơn vị đang có {limit} tệp gửi dở trên trung tâm; quầy sẽ gửi tệp này sau khi các tệp kia xong"
            ),
            retry_after: 60,
        });
    }
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
    // Checked again at the end: uploads of the unit that ran side by side.
    let checked = match check_quota(&client, &state.files, &desk.unit_code, q.size).await {
        Ok(()) => check_type(&client, &state.files, &desk.unit_code, &sha).await,
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        let (files, unit, s) = (state.files.clone(), desk.unit_code.clone(), sha.clone());
        let _ = tokio::task::spawn_blocking(move || files.blobs.discard_partial(&unit, &s)).await;
        return Err(e);
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
    let release = crate::centre::releases::is_release(&client, &sha).await?;
    if !release && !has_access(&client, &sha, &desk.unit_code).await? {
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
    let body = Body::new(FileBody::new(file, len));
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

/// Refuses bytes whose kind (magic bytes) is not the one the unit's events give the
/// file: an HTML page sent as "CCCD.pdf" is never kept. A file no event names yet is
/// let through; `recheck_named` checks it when its event arrives, and the orphan sweep
/// removes it if none names it in time.
async fn check_type(
    client: &deadpool_postgres::Client,
    files: &Arc<Files>,
    unit: &str,
    sha: &Sha256Hex,
) -> Result<(), ApiError> {
    let named = named_types(client, unit, sha).await?;
    if named.is_empty() {
        return Ok(());
    }
    let (f, u, s) = (files.clone(), unit.to_string(), sha.clone());
    let head = tokio::task::spawn_blocking(move || f.blobs.partial_head(&u, &s, 1024))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| disk_error(&e))?;
    match wrong_type(&named, &head, sha) {
        None => Ok(()),
        Some(why) => Err(ApiError::BadRequest(why)),
    }
}

/// Why bytes starting with `head` are not any of the `named` types, if they are not.
fn wrong_type(named: &[String], head: &[u8], sha: &Sha256Hex) -> Option<String> {
    let actual = MediaType::of_bytes(head);
    if actual.is_some_and(|k| named.iter().any(|m| m == k.mime())) {
        return None;
    }
    let said = named
        .iter()
        .filter_map(|m| MediaType::from_mime(m))
        .map(MediaType::label)
        .collect::<Vec<_>>()
        .join("/");
    Some(format!(
        "Nội dung tệp {}… không phải {said} như hồ sơ ghi (là {}): tệp không được giữ; hãy quét hoặc nhập lại giấy tờ",
        sha.short(),
        actual.map_or("loại không nhận", MediaType::label)
    ))
}

/// After a push: a file the unit uploaded before the event naming it arrived was kept
/// unchecked. Now that it is named, kept bytes of another type lose the unit's access
/// (and leave the disk when no unit holds them and no upload of them runs): the state
/// the other order gives, where the event is kept and the upload refused. The event
/// stays, as the clerk's record; no protocol change is needed. Returns how many files
/// the unit lost.
pub async fn recheck_named(
    client: &mut deadpool_postgres::Client,
    files: &Arc<Files>,
    unit: &str,
    events: &[OutboxEvent],
) -> Result<usize, ApiError> {
    let mut shas: Vec<&Sha256Hex> = events
        .iter()
        .filter_map(|e| match &e.event.body {
            EventBody::DocumentAttached { file, .. } => Some(&file.sha256),
            _ => None,
        })
        .collect();
    shas.sort();
    shas.dedup();
    let mut lost = 0;
    for sha in shas {
        if !has_access(client, sha, unit).await? {
            continue;
        }
        let named = named_types(client, unit, sha).await?;
        let (f, s) = (files.clone(), sha.clone());
        let head = tokio::task::spawn_blocking(move || kept_head(&f, &s))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let Some(why) = wrong_type(&named, &head, sha).filter(|_| !named.is_empty()) else {
            continue;
        };
        revoke(client, files, unit, sha).await?;
        tracing::warn!(unit, file = %sha.short(), reason = %why, "tệp tải lên trước sự kiện nêu tên nó sai loại: đơn vị không còn giữ tệp");
        lost += 1;
    }
    Ok(lost)
}

fn kept_head(files: &Files, sha: &Sha256Hex) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::new();
    if let Ok(f) = std::fs::File::open(files.blobs.path(sha)) {
        let _ = f.take(1024).read_to_end(&mut head);
    }
    head
}

/// Takes the unit's access to a kept file away, in one transaction with the file's
/// row when no unit holds it any more; the file leaves the disk after the commit,
/// under the removal lock (`Files::take_for_removal`).
async fn revoke(
    client: &mut deadpool_postgres::Client,
    files: &Arc<Files>,
    unit: &str,
    sha: &Sha256Hex,
) -> Result<(), ApiError> {
    let removal = files.take_for_removal(std::slice::from_ref(sha));
    let taken: Vec<&str> = removal.shas().iter().map(Sha256Hex::as_str).collect();
    let gone = file_access::revoke(client, unit, sha, &taken).await?;
    crate::centre::orphans::remove_files(files, gone.iter().map(String::as_str)).await;
    drop(removal);
    Ok(())
}

/// Refuses a file that would take the unit past its storage quota on the centre.
async fn check_quota(
    client: &deadpool_postgres::Client,
    files: &Files,
    unit: &str,
    size: u64,
) -> Result<(), ApiError> {
    let used = file_access::used_by_unit(client, unit).await?;
    let quota = files.settings().quota_per_unit;
    if used.saturating_add(size) > quota {
        return Err(ApiError::TooLarge(format!(
            "Đơn vị {unit} đã dùng {} trên trung tâm, hạn mức là {}: tệp {} không được nhận; hãy liên hệ quản trị trung tâm để nâng hạn mức",
            size_vi(used),
            size_vi(quota),
            size_vi(size)
        )));
    }
    Ok(())
}
