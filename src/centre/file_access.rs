//! The rows of the digitised documents' tables (`file_blob`, `file_access`) and the
//! events that name a file: the queries behind `files` (the desk's routes), the
//! `files` commands of the CLI and the national portal's export. The handlers and
//! the command line call these; they hold no SQL of their own (issue 24).

use std::collections::HashSet;

use deadpool_postgres::GenericClient;

use crate::centre::auth::AuthedDesk;
use crate::centre::error::ApiError;
use crate::domain::document::Sha256Hex;

/// The media types the unit's accepted `DocumentAttached` events give the file.
pub async fn named_types(
    client: &impl GenericClient,
    unit: &str,
    sha: &Sha256Hex,
) -> Result<Vec<String>, ApiError> {
    Ok(client
        .query(
            "SELECT DISTINCT (body::jsonb) #>> '{body,file,media_type}' FROM event
              WHERE unit_code = $1 AND kind = 'document_attached'
                AND (body::jsonb) #>> '{body,file,sha256}' = $2",
            &[&unit, &sha.as_str()],
        )
        .await?
        .into_iter()
        .filter_map(|r| r.get::<_, Option<String>>(0))
        .collect())
}

/// Takes the unit's access to a file away and, in the same transaction, the rows of
/// the `taken` files no unit and no release holds any more. Returns the files whose
/// row went: the caller removes them from the disk after the commit.
pub async fn revoke(
    client: &mut deadpool_postgres::Client,
    unit: &str,
    sha: &Sha256Hex,
    taken: &[&str],
) -> Result<Vec<String>, ApiError> {
    let tx = client.transaction().await?;
    tx.execute(
        "DELETE FROM file_access WHERE sha256 = $1 AND unit_code = $2",
        &[&sha.as_str(), &unit],
    )
    .await?;
    let gone = tx
        .query(
            "DELETE FROM file_blob b WHERE b.sha256 = ANY($1)
                AND NOT EXISTS (SELECT 1 FROM file_access a WHERE a.sha256 = b.sha256)
                AND NOT EXISTS (SELECT 1 FROM app_release r WHERE r.sha256 = b.sha256)
             RETURNING b.sha256",
            &[&taken],
        )
        .await?;
    tx.commit().await?;
    Ok(gone.iter().map(|r| r.get(0)).collect())
}

/// The bytes of the files the unit holds on the centre (its use of the quota).
pub async fn used_by_unit(client: &impl GenericClient, unit: &str) -> Result<u64, ApiError> {
    let used: i64 = client
        .query_one(
            "SELECT COALESCE(SUM(b.size), 0)::BIGINT FROM file_access a
               JOIN file_blob b ON b.sha256 = a.sha256 WHERE a.unit_code = $1",
            &[&unit],
        )
        .await?
        .get(0);
    Ok(u64::try_from(used).unwrap_or(0))
}

/// Whether the unit may read the kept file.
pub async fn has_access(
    client: &impl GenericClient,
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
pub async fn named_by_unit(
    client: &impl GenericClient,
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
pub async fn grant(
    client: &impl GenericClient,
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

/// The files (by SHA-256) the unit holds on the centre.
pub async fn held_by_unit(
    client: &impl GenericClient,
    unit: &str,
) -> Result<HashSet<String>, ApiError> {
    Ok(client
        .query(
            "SELECT sha256 FROM file_access WHERE unit_code = $1",
            &[&unit],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Every (file, unit) pair of the centre: which unit holds which file.
pub async fn all_held(client: &impl GenericClient) -> Result<HashSet<(String, String)>, ApiError> {
    Ok(client
        .query("SELECT sha256, unit_code FROM file_access", &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}
