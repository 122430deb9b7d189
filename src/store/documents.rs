//! Digitised documents in the store: the attach and detach events (each one
//! transaction), the projection of each dossier's current files, and the queue of
//! files still to send to the centre.
//!
//! The file itself is stored (and flushed) in the `FileStore` before the event's
//! transaction, by the caller: an event never names a file this desk does not have.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::document::{FileRef, MediaType, Sha256Hex};
use crate::domain::dossier::DossierState;
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::EventBody;
use crate::domain::lifecycle;
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::files::FileStore;
use crate::store::log::{fold_dossier, record_clerk_event};

/// A file waiting to go to the centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFile {
    pub sha256: Sha256Hex,
    pub size: u64,
}

/// A dossier's current file as the projection lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    pub dossier: String,
    pub item: String,
    pub file: FileRef,
    pub origin: String,
}

/// Rewrites the projection rows of one dossier's current files. `existed` says
/// whether the dossier had a projection row before (a new one has no files yet
/// listed, so the delete is skipped: bulk loads stay fast).
pub(crate) fn write_files(tx: &Transaction<'_>, state: &DossierState, existed: bool) -> Result<()> {
    let code = state.code.to_string();
    if existed {
        tx.prepare_cached("DELETE FROM dossier_file WHERE dossier_code = ?1")?
            .execute([&code])?;
    }
    for d in &state.documents {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO dossier_file (event_id, dossier_code, sha256, item, name,
                 media_type, size, pages, origin, attached_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            d.event.to_string(),
            code,
            d.file.sha256.as_str(),
            d.item,
            d.file.name,
            d.file.media_type.mime(),
            d.file.size as i64,
            d.file.pages,
            d.origin,
            format_rfc3339(d.attached_at),
        ])?;
    }
    Ok(())
}

/// A clerk's document action, before it becomes an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentAction {
    Attach { item: String, file: FileRef },
    Detach { sha256: Sha256Hex, reason: String },
}

impl Store {
    /// The desk's stored files.
    pub fn file_store(&self) -> FileStore {
        FileStore::new(self.paths().files.clone())
    }

    /// Writes an attach or detach event on `code` in one transaction, if the dossier's
    /// state allows it (a detach names a file the dossier lists; a file is attached
    /// once). The texts are already checked by the caller; a file to attach must
    /// already be in the file store.
    pub fn record_document(
        &mut self,
        code: &str,
        action: DocumentAction,
        clerk: &str,
        now: Timestamp,
    ) -> Result<DossierState> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        let desk = self.desk()?;
        let unit = self.unit()?;
        let calendar = self.calendar()?.clone();
        if let DocumentAction::Attach { file, .. } = &action
            && !self.file_store().has(&file.sha256)
        {
            return Err(StoreError::Invalid(format!(
                "Tệp {} chưa được lưu trên máy: không đính kèm",
                file.sha256.short()
            )));
        }
        self.write(|tx| {
            let mut state = fold_dossier(tx, &code.to_string())?
                .ok_or_else(|| StoreError::UnknownDossier(code.to_string()))?;
            let body = match action {
                DocumentAction::Attach { item, file } => EventBody::DocumentAttached { item, file },
                DocumentAction::Detach { sha256, reason } => {
                    let item = state
                        .documents
                        .iter()
                        .find(|d| d.file.sha256 == sha256)
                        .map(|d| d.item.clone())
                        .unwrap_or_default();
                    EventBody::DocumentDetached {
                        sha256,
                        item,
                        reason,
                    }
                }
            };
            lifecycle::check(&state, &body, crate::domain::clock::to_wall(now), &calendar)?;
            state
                .units()
                .check_write(&unit.code, body.kind())
                .map_err(StoreError::Invalid)?;
            record_clerk_event(tx, &mut state, body, clerk, &desk.desk_id, now, now)?;
            Ok(state)
        })
    }

    /// The current files of one dossier, in attach order.
    pub fn dossier_files(&self, code: &str) -> Result<Vec<ListedFile>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT dossier_code, item, sha256, name, media_type, size, pages, origin
             FROM dossier_file WHERE dossier_code = ?1 ORDER BY attached_at, event_id",
        )?;
        let rows = stmt.query_map([code.trim()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (dossier, item, sha, name, mime, size, pages, origin) = row?;
            out.push(ListedFile {
                dossier,
                item,
                file: file_ref_of(&sha, name, &mime, size, pages)?,
                origin,
            });
        }
        Ok(out)
    }

    /// Files this desk attached to a dossier's current list, present here, that the
    /// centre has not confirmed: what the sync round sends, oldest first.
    pub fn files_to_upload(&self, limit: usize) -> Result<Vec<PendingFile>> {
        let desk = self.desk()?;
        let files = self.file_store();
        let mut stmt = self.conn().prepare_cached(
            // Event ids are UUIDv7: their order is the order of attaching.
            "SELECT sha256, max(size), min(event_id) AS first FROM dossier_file
             WHERE origin = ?1 AND sha256 NOT IN (SELECT sha256 FROM file_upload)
             GROUP BY sha256 ORDER BY first, sha256",
        )?;
        let rows = stmt.query_map([&desk.desk_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (sha, size) = row?;
            let sha = Sha256Hex::parse(&sha).map_err(|e| StoreError::decode("mã băm tệp", e))?;
            // A file missing here (a restored database without its files folder)
            // cannot be sent; it is skipped, not an error that stops the round.
            if files.has(&sha) {
                out.push(PendingFile {
                    sha256: sha,
                    size: u64::try_from(size).unwrap_or(0),
                });
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// The centre holds `sha` (its upload finished, or it was fetched from there).
    pub fn mark_file_uploaded(&mut self, sha: &Sha256Hex, at: Timestamp) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO file_upload (sha256, uploaded_at) VALUES (?1, ?2)",
                params![sha.as_str(), format_rfc3339(at)],
            )?;
            Ok(())
        })
    }

    /// What the log says about the file `sha` (from any attach event this desk knows,
    /// detached or not): its name, type, size and pages. Of several events, the one
    /// with the smallest size: another desk naming the file as larger cannot widen
    /// the bound of its download.
    pub fn file_ref(&self, sha: &Sha256Hex) -> Result<Option<FileRef>> {
        let json: Option<String> = self
            .conn()
            .query_row(
                "SELECT json_extract(event, '$.body.file') FROM dossier_event
                 WHERE kind = 'document_attached'
                   AND json_extract(event, '$.body.file.sha256') = ?1
                 ORDER BY json_extract(event, '$.body.file.size') ASC
                 LIMIT 1",
                [sha.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::decode("tệp đính kèm", e)))
            .transpose()
    }

    /// Every file any event of this desk's log names (for backups and checks).
    pub fn referenced_files(&self) -> Result<Vec<Sha256Hex>> {
        crate::store::backup_files::referenced(self.conn())
    }
}

fn file_ref_of(sha: &str, name: String, mime: &str, size: i64, pages: u32) -> Result<FileRef> {
    Ok(FileRef {
        sha256: Sha256Hex::parse(sha).map_err(|e| StoreError::decode("mã băm tệp", e))?,
        name,
        media_type: MediaType::from_mime(mime)
            .ok_or_else(|| StoreError::decode("loại tệp", mime.to_string()))?,
        size: u64::try_from(size).map_err(|e| StoreError::decode("cỡ tệp", e))?,
        pages,
    })
}

#[cfg(test)]
#[path = "documents_tests.rs"]
mod tests;
