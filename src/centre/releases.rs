//! The desk app's releases at the centre (issue 25 §3): the operator uploads a signed
//! package, desks ask for the newest one of their platform and fetch its package from
//! the file route like any kept file (any enrolled desk may: a release is no secret).
//!
//! The centre checks the signature at upload (an operator's mistake is caught there,
//! not at 3,000 desks), but the desks never rely on it: each checks the package against
//! the key built into its own exe.

use std::path::Path;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use deadpool_postgres::GenericClient;
use minisign_verify::PublicKey;

use crate::centre::audit::{self, Entry, Operator};
use crate::centre::auth::authenticate;
use crate::centre::blobs::{BlobDir, Kept};
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::domain::document::Sha256Hex;
use crate::domain::text::escape_controls;
use crate::sync::protocol::{ReleaseAnswer, ReleaseOffer, ReleaseQuery};
use crate::update::{Manifest, verify_package};

/// The partial-files folder a release is copied through on its way to being kept
/// (lower case and `_`: never a unit's code, so never a unit's partials).
const STAGING: &str = "_release";

fn version_ints(m: &Manifest) -> [i32; 3] {
    let v = m.version;
    [v.major, v.minor, v.patch].map(|n| i32::try_from(n).unwrap_or(i32::MAX))
}

/// Checks the package against its signature and `key`, keeps it with the other files
/// and records it, in one transaction with its audit line. Uploading the same release
/// again changes nothing; another package under a version already released is refused.
pub async fn upload(
    client: &mut deadpool_postgres::Client,
    blobs: &BlobDir,
    operator: &Operator,
    package: &Path,
    sig_text: &str,
    key: &PublicKey,
) -> Result<Manifest, ApiError> {
    let bad = |e: crate::update::UpdateError| ApiError::BadRequest(e.to_string());
    let manifest = verify_package(key, sig_text, package).map_err(bad)?;
    keep(blobs, package, &manifest.sha256)?;
    let [major, minor, patch] = version_ints(&manifest);
    let size = i64::try_from(manifest.size).unwrap_or(i64::MAX);
    let tx = client.transaction().await?;
    let held: Option<String> = tx
        .query_opt(
            "SELECT sha256 FROM app_release WHERE platform = $1 AND major = $2 AND minor = $3 AND patch = $4",
            &[&manifest.platform, &major, &minor, &patch],
        )
        .await?
        .map(|r| r.get(0));
    match held {
        Some(sha) if sha == manifest.sha256.as_str() => return Ok(manifest),
        Some(_) => {
            return Err(ApiError::Conflict(format!(
                "Đã có bản phát hành {} cho {} với nội dung khác: một số phiên bản chỉ phát hành một lần, hãy tăng số phiên bản",
                manifest.version, manifest.platform
            )));
        }
        None => {}
    }
    tx.execute(
        "INSERT INTO file_blob (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
        &[&manifest.sha256.as_str(), &size],
    )
    .await?;
    tx.execute(
        "INSERT INTO app_release (platform, major, minor, patch, sha256, size, signature, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &manifest.platform,
            &major,
            &minor,
            &patch,
            &manifest.sha256.as_str(),
            &size,
            &sig_text,
            &operator.name(),
        ],
    )
    .await?;
    let detail = format!(
        "bản phát hành {} cho {} ({} byte, {})",
        manifest.version,
        manifest.platform,
        manifest.size,
        manifest.sha256.short()
    );
    audit::log(
        &tx,
        &Entry {
            operator,
            action: "release upload",
            detail,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(manifest)
}

/// Copies the package into the kept files through a partial (hashed again on the way,
/// fsynced before it takes its name).
fn keep(blobs: &BlobDir, package: &Path, sha: &Sha256Hex) -> Result<(), ApiError> {
    let disk = |e: std::io::Error| ApiError::Internal(format!("không ghi được tệp phát hành: {e}"));
    if blobs.has(sha) {
        return Ok(());
    }
    blobs.ensure().map_err(disk)?;
    let mut out = blobs
        .open_partial(STAGING, sha, 0)
        .or_else(|held| match held {
            Ok(_) => {
                blobs.discard_partial(STAGING, sha);
                blobs.open_partial(STAGING, sha, 0).map_err(|e| match e {
                    Ok(n) => ApiError::Internal(format!("tệp tạm còn {n} byte")),
                    Err(e) => disk(e),
                })
            }
            Err(e) => Err(disk(e)),
        })?;
    let mut input = std::fs::File::open(package).map_err(disk)?;
    std::io::copy(&mut input, &mut out).map_err(disk)?;
    drop(out);
    match blobs.keep(STAGING, sha).map_err(disk)? {
        Kept::Stored => Ok(()),
        Kept::Mismatch(_) => Err(ApiError::BadRequest(
            "Tệp phát hành đã thay đổi trong khi đang tải lên: hãy tải lên lại".into(),
        )),
    }
}

/// The newest release for `platform`, with its signature.
pub async fn newest(
    client: &impl GenericClient,
    platform: &str,
) -> Result<Option<ReleaseOffer>, ApiError> {
    let row = client
        .query_opt(
            "SELECT major, minor, patch, sha256, size, signature FROM app_release
             WHERE platform = $1 ORDER BY major DESC, minor DESC, patch DESC LIMIT 1",
            &[&platform],
        )
        .await?;
    Ok(row.map(|r| {
        let (major, minor, patch): (i32, i32, i32) = (r.get(0), r.get(1), r.get(2));
        let size: i64 = r.get(4);
        ReleaseOffer {
            version: format!("{major}.{minor}.{patch}"),
            platform: platform.to_string(),
            sha256: r.get(3),
            size: u64::try_from(size).unwrap_or(0),
            signature: r.get(5),
        }
    }))
}

/// Every release, newest first per platform (for `release list`).
pub async fn all(client: &impl GenericClient) -> Result<Vec<(ReleaseOffer, String)>, ApiError> {
    let rows = client
        .query(
            "SELECT platform, major, minor, patch, sha256, size, signature, uploaded_by FROM app_release
             ORDER BY platform, major DESC, minor DESC, patch DESC",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let (major, minor, patch): (i32, i32, i32) = (r.get(1), r.get(2), r.get(3));
            let size: i64 = r.get(5);
            let offer = ReleaseOffer {
                version: format!("{major}.{minor}.{patch}"),
                platform: r.get(0),
                sha256: r.get(4),
                size: u64::try_from(size).unwrap_or(0),
                signature: r.get(6),
            };
            (offer, r.get(7))
        })
        .collect())
}

/// Whether `sha` is a release's package: any enrolled desk may fetch it.
pub async fn is_release(client: &impl GenericClient, sha: &Sha256Hex) -> Result<bool, ApiError> {
    Ok(client
        .query_opt(
            "SELECT 1 FROM app_release WHERE sha256 = $1 LIMIT 1",
            &[&sha.as_str()],
        )
        .await?
        .is_some())
}

/// `GET /v1/release?platform=P`.
pub async fn offer(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ReleaseQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    authenticate(&client, &headers).await?;
    let Query(q) = query.map_err(|e| {
        ApiError::BadRequest(format!(
            "Tham số không hợp lệ: {}",
            escape_controls(&e.body_text())
        ))
    })?;
    let ok = !q.platform.is_empty()
        && q.platform.len() <= 40
        && q.platform
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(ApiError::BadRequest("Tên nền tảng không hợp lệ".into()));
    }
    let release = newest(&client, &q.platform).await?;
    Ok(axum::Json(ReleaseAnswer { release }).into_response())
}
