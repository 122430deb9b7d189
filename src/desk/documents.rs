//! Digitised documents at the counter: attach a checked file to a dossier, detach one
//! with a reason, find a file on this desk, and watch the disk it fills.
//!
//! Order of an attach: check everything, store the file and flush it to the disk,
//! then the one transaction that writes the event. A crash in between leaves at most
//! a stored file no event names (harmless); never an event naming a missing file.

use std::path::PathBuf;

use crate::desk::settings::DocumentSettings;
use crate::desk::work::Written;
use crate::desk::{Desk, now};
use crate::domain::document::{
    FileRef, NewDocument, Sha256Hex, check_file_ref, check_name, size_vi,
};
use crate::domain::lifecycle;
use crate::domain::text;
use crate::domain::trust::{MAX_DOCUMENT_ITEM, MAX_NOTE};
use crate::store::documents::DocumentAction;
use crate::store::files::{DiskSpace, disk_space};
use crate::store::{Result, StoreError};

/// Free space an attach must leave on the disk: room for the database to grow, its
/// write-ahead log and today's backup. Under it, nothing more is stored.
pub const SAFETY_FLOOR_BYTES: u64 = 256 * 1024 * 1024;

/// The refusal when writing `size` more bytes would leave less than `floor` free.
pub fn disk_refusal(space: DiskSpace, size: u64, floor: u64) -> Option<String> {
    if space.available >= size.saturating_add(floor) {
        return None;
    }
    Some(format!(
        "Ổ đĩa chỉ còn trống {}: lưu thêm tệp {} sẽ làm ổ đĩa gần đầy (cần chừa ít nhất {} cho cơ sở dữ liệu và bản sao lưu). Chưa đính kèm gì; hãy giải phóng dung lượng ổ đĩa hoặc báo quản trị viên rồi thử lại.",
        size_vi(space.available),
        size_vi(size),
        size_vi(floor)
    ))
}

/// The warning the window shows while free space is under `warn_bytes` (the setting
/// "disk_warn_mb"); `None` when there is room.
pub fn disk_warning(space: DiskSpace, warn_bytes: u64) -> Option<String> {
    if space.available >= warn_bytes {
        return None;
    }
    let severe = space.available < SAFETY_FLOOR_BYTES;
    Some(if severe {
        format!(
            "Ổ đĩa gần đầy: chỉ còn trống {}. Không thể số hóa thêm giấy tờ; hãy giải phóng dung lượng hoặc báo quản trị viên ngay.",
            size_vi(space.available)
        )
    } else {
        format!(
            "Ổ đĩa sắp đầy: còn trống {} (dưới mức cảnh báo {}). Hãy giải phóng dung lượng hoặc báo quản trị viên.",
            size_vi(space.available),
            size_vi(warn_bytes)
        )
    })
}

fn invalid(e: impl ToString) -> StoreError {
    StoreError::Invalid(e.to_string())
}

impl Desk {
    /// Attaches `doc` to the checklist item `item` of dossier `code`.
    pub fn attach(&self, code: &str, item: &str, doc: NewDocument, clerk: &str) -> Result<Written> {
        self.attach_with_floor(code, item, doc, clerk, SAFETY_FLOOR_BYTES)
    }

    /// [`Desk::attach`] with the free-space floor given (tests).
    #[doc(hidden)]
    pub fn attach_with_floor(
        &self,
        code: &str,
        item: &str,
        doc: NewDocument,
        clerk: &str,
        floor: u64,
    ) -> Result<Written> {
        let item = text::clean_field("item", "Thành phần hồ sơ", item, MAX_DOCUMENT_ITEM, true)
            .map_err(invalid)?;
        let file = FileRef {
            sha256: Sha256Hex::of(&doc.bytes),
            name: check_name(&doc.name).map_err(invalid)?,
            media_type: doc.media_type,
            size: doc.bytes.len() as u64,
            pages: doc.pages,
        };
        let files = {
            let store = self.lock();
            let limits = DocumentSettings::load(&store)?.limits;
            check_file_ref(&file, &limits).map_err(invalid)?;
            // Refuse what the transaction would refuse before writing any file.
            let state = store.dossier(code)?;
            let body = crate::domain::event::EventBody::DocumentAttached {
                item: item.clone(),
                file: file.clone(),
            };
            let calendar = store.calendar()?.clone();
            lifecycle::check(
                &state,
                &body,
                crate::domain::clock::to_wall(now()),
                &calendar,
            )?;
            store.file_store()
        };
        // The file is written (and flushed) with the store released: a large file
        // never holds up the clerk's other work.
        if !files.has(&file.sha256) {
            let space = disk_space(&self.paths().files)?;
            if let Some(why) = disk_refusal(space, file.size, floor) {
                return Err(StoreError::Invalid(why));
            }
            files.put(&doc.bytes)?;
        }
        self.write_document(code, DocumentAction::Attach { item, file }, clerk)
    }

    /// One document event in one transaction, then today's backup.
    fn write_document(&self, code: &str, action: DocumentAction, clerk: &str) -> Result<Written> {
        let mut store = self.lock();
        let now = now();
        let state = store.record_document(code, action, clerk, now)?;
        let backup_warning = self.backup_after_write(now);
        Ok(Written::unprinted(state, backup_warning))
    }

    /// Detaches the file `sha` from dossier `code` (the log keeps both events; the
    /// file stays stored, as other dossiers or the history may name it).
    pub fn detach(
        &self,
        code: &str,
        sha: &Sha256Hex,
        reason: &str,
        clerk: &str,
    ) -> Result<Written> {
        let reason = text::clean_field("reason", "Lý do gỡ giấy tờ", reason, MAX_NOTE, true)
            .map_err(invalid)?;
        let action = DocumentAction::Detach {
            sha256: sha.clone(),
            reason,
        };
        self.write_document(code, action, clerk)
    }

    /// The stored file `sha` on this desk; `None` when it is not here (attached on
    /// another desk and not fetched yet).
    pub fn document_path(&self, sha: &Sha256Hex) -> Option<PathBuf> {
        let files = crate::store::files::FileStore::new(self.paths().files.clone());
        files.has(sha).then(|| files.path(sha))
    }

    /// The space of the disk holding the desk's files (beside its database).
    pub fn disk_space(&self) -> Result<DiskSpace> {
        disk_space(&self.paths().files)
    }

    /// The low-disk warning for the status line, by the desk's setting; `None` when
    /// there is room (or the space cannot be read: nothing useful to say then).
    pub fn disk_warning(&self) -> Option<String> {
        let warn = self
            .with_store(|s| DocumentSettings::load(s).map(|d| d.disk_warn_bytes))
            .ok()?;
        disk_warning(self.disk_space().ok()?, warn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn an_attach_must_leave_the_floor_free() {
        let space = DiskSpace {
            available: 300 * MB,
            total: 1000 * MB,
        };
        assert_eq!(disk_refusal(space, 10 * MB, 256 * MB), None);
        let why = disk_refusal(space, 50 * MB, 256 * MB).expect("refused");
        assert!(why.contains("300,0 MB"), "{why}");
        assert!(why.contains("Chưa đính kèm gì"), "{why}");
        assert!(disk_refusal(space, u64::MAX, 0).is_some(), "no overflow");
    }

    #[test]
    fn the_disk_warning_grows_sharper_under_the_floor() {
        let space = |mb| DiskSpace {
            available: mb * MB,
            total: 100_000 * MB,
        };
        assert_eq!(disk_warning(space(3000), 2048 * MB), None);
        let soon = disk_warning(space(1000), 2048 * MB).expect("warn");
        assert!(soon.starts_with("Ổ đĩa sắp đầy"), "{soon}");
        let now = disk_warning(space(100), 2048 * MB).expect("warn");
        assert!(now.contains("Không thể số hóa thêm"), "{now}");
    }
}
