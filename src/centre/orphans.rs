//! The orphan sweep (issue 20 item 4): a unit may upload a file a little before the
//! event naming it reaches the centre, but not keep files no event of its own names.
//! What a unit uploaded and has not named within the grace window loses its access
//! row; a file no unit holds any more (and no release uses) leaves the disk.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::Pool;

use crate::centre::error::ApiError;
use crate::centre::uploads::Files;
use crate::domain::document::Sha256Hex;

/// How often `serve` sweeps.
const EVERY: Duration = Duration::from_secs(600);

/// Removes the unnamed uploads older than `grace`; returns how many access rows went.
/// The rows go in one transaction; the files after it commits (a crash in between
/// leaves a file without a row, never a row without its file).
pub async fn sweep(pool: &Pool, files: &Files, grace: Duration) -> Result<usize, ApiError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let secs = grace.as_secs_f64();
    let orphans = tx
        .query(
            "DELETE FROM file_access a
              WHERE a.granted_at < now() - make_interval(secs => $1)
                AND NOT EXISTS (
                    SELECT 1 FROM event e
                     WHERE e.unit_code = a.unit_code AND e.kind = 'document_attached'
                       AND (e.body::jsonb) #>> '{body,file,sha256}' = a.sha256)
             RETURNING a.sha256",
            &[&secs],
        )
        .await?;
    let shas: Vec<String> = orphans.iter().map(|r| r.get(0)).collect();
    let gone = tx
        .query(
            "DELETE FROM file_blob b
              WHERE b.sha256 = ANY($1)
                AND NOT EXISTS (SELECT 1 FROM file_access a WHERE a.sha256 = b.sha256)
                AND NOT EXISTS (SELECT 1 FROM app_release r WHERE r.sha256 = b.sha256)
             RETURNING b.sha256",
            &[&shas],
        )
        .await?;
    tx.commit().await?;
    for row in gone {
        let raw: String = row.get(0);
        if let Ok(sha) = Sha256Hex::parse(&raw) {
            let _ = std::fs::remove_file(files.blobs.path(&sha));
        }
    }
    Ok(shas.len())
}

/// Sweeps now and then, for as long as the server runs.
pub fn spawn(pool: Pool, files: Arc<Files>) {
    tokio::spawn(async move {
        loop {
            match sweep(&pool, &files, files.settings().orphan_grace).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "đã xóa các tệp không hồ sơ nào nêu tên"),
                Err(e) => tracing::warn!(error = %e, "không dọn được các tệp mồ côi"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
