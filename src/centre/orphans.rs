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
/// leaves a file without a row, never a row without its file). A file is removed only
/// while no upload of it runs (`Files::take_for_removal`): one that another unit is
/// sending keeps its blob row, and is either recorded again by that upload or swept
/// with that unit's rows later.
pub async fn sweep(pool: &Pool, files: &Arc<Files>, grace: Duration) -> Result<usize, ApiError> {
    sweep_pausing(pool, files, grace, async {}).await
}

/// [`sweep`], awaiting `pause` between the commit and the removal of the files: where
/// an upload of the same bytes used to slip in (tests).
#[doc(hidden)]
pub async fn sweep_pausing(
    pool: &Pool,
    files: &Arc<Files>,
    grace: Duration,
    pause: impl Future<Output = ()>,
) -> Result<usize, ApiError> {
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
    let shas: Vec<Sha256Hex> = orphans
        .iter()
        .filter_map(|r| Sha256Hex::parse(r.get::<_, &str>(0)).ok())
        .collect();
    // Held until the files are gone.
    let removal = files.take_for_removal(&shas);
    let taken: Vec<&str> = removal.shas().iter().map(Sha256Hex::as_str).collect();
    let gone = tx
        .query(
            "DELETE FROM file_blob b
              WHERE b.sha256 = ANY($1)
                AND NOT EXISTS (SELECT 1 FROM file_access a WHERE a.sha256 = b.sha256)
                AND NOT EXISTS (SELECT 1 FROM app_release r WHERE r.sha256 = b.sha256)
             RETURNING b.sha256",
            &[&taken],
        )
        .await?;
    tx.commit().await?;
    pause.await;
    remove_files(files, gone.iter().map(|r| r.get::<_, &str>(0))).await;
    drop(removal);
    Ok(orphans.len())
}

/// Removes kept files whose rows are gone, off the async workers.
pub(crate) async fn remove_files<'a>(files: &Arc<Files>, shas: impl Iterator<Item = &'a str>) {
    let paths: Vec<_> = shas
        .filter_map(|raw| Sha256Hex::parse(raw).ok())
        .map(|sha| files.blobs.path(&sha))
        .collect();
    let _ = tokio::task::spawn_blocking(move || {
        for path in paths {
            let _ = std::fs::remove_file(path);
        }
    })
    .await;
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
