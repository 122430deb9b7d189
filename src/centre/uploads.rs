//! The centre's bounds on uploads in progress: how many at once over all desks, per
//! unit and per desk, one request at a time per unit and file, and the expiry of
//! partial files; and the storage quota of each unit. A kept file is removed only
//! under `Files::take_for_removal`, which no upload of the same file runs beside.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use uuid::Uuid;

use crate::centre::auth::AuthedDesk;
use crate::centre::blobs::BlobDir;
use crate::centre::error::ApiError;
use crate::domain::document::{DocumentLimits, Sha256Hex};

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
    /// Uploads in progress at once from all desks of one unit (a unit with many
    /// desks cannot take every place of the centre).
    pub max_uploads_per_unit: usize,
    /// Bytes of kept files one unit may hold on the centre (each file counted once
    /// for each unit that uploaded it).
    pub quota_per_unit: u64,
    /// An upload no event of its unit names after this long is removed
    /// (`orphans::sweep`): the grace covers an upload that ran before its event.
    pub orphan_grace: Duration,
    /// A partial upload untouched this long is removed.
    pub partial_ttl: Duration,
    /// Unfinished uploads one unit may leave on the centre's disk (with `max_bytes`,
    /// a bound on the disk a unit's desks can fill with files they never finish).
    pub max_partials_per_unit: usize,
}

impl FileSettings {
    pub fn in_dir(dir: impl Into<PathBuf>) -> FileSettings {
        FileSettings {
            dir: dir.into(),
            max_bytes: DocumentLimits::default().max_bytes,
            max_uploads: 64,
            max_uploads_per_desk: 4,
            max_uploads_per_unit: 16,
            quota_per_unit: 20 * 1024 * 1024 * 1024,
            orphan_grace: Duration::from_secs(24 * 3600),
            partial_ttl: Duration::from_secs(24 * 3600),
            max_partials_per_unit: 32,
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
    per_unit: HashMap<String, usize>,
    /// Files being removed from the disk (rows deleted, file next): no upload of them
    /// may start until the removal ends.
    removing: HashSet<Sha256Hex>,
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
    pub(crate) fn slot(
        self: &Arc<Self>,
        desk: &AuthedDesk,
        sha: &Sha256Hex,
    ) -> Result<Slot, ApiError> {
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
        if a.removing.contains(sha) {
            return Err(ApiError::TooManyRequests {
                message: format!(
                    "Tệp {} đang được dọn khỏi trung tâm; quầy sẽ gửi lại sau",
                    sha.short()
                ),
                retry_after: 1,
            });
        }
        let mine = a.per_desk.get(&desk.desk_id).copied().unwrap_or(0);
        let ours = a.per_unit.get(&desk.unit_code).copied().unwrap_or(0);
        if a.keys.len() >= self.settings.max_uploads
            || mine >= self.settings.max_uploads_per_desk
            || ours >= self.settings.max_uploads_per_unit
        {
            return Err(ApiError::TooManyRequests {
                message: "Trung tâm đang nhận nhiều tệp cùng lúc; quầy sẽ gửi lại sau".into(),
                retry_after: 5,
            });
        }
        a.keys.insert(key.clone());
        *a.per_desk.entry(desk.desk_id).or_default() += 1;
        *a.per_unit.entry(desk.unit_code.clone()).or_default() += 1;
        Ok(Slot {
            files: self.clone(),
            key,
            desk: desk.desk_id,
        })
    }

    /// Takes the files of `shas` that no upload (of any unit) is sending now, for
    /// removal: until the returned guard drops, an upload of one of them gets 429. So a
    /// file is never removed after another unit's upload of the same bytes found it on
    /// disk and recorded it (the race of the orphan sweep).
    pub fn take_for_removal(self: &Arc<Self>, shas: &[Sha256Hex]) -> Removal {
        let mut a = self.active.lock().unwrap_or_else(|p| p.into_inner());
        let sending: HashSet<&Sha256Hex> = a.keys.iter().map(|(_, sha)| sha).collect();
        let free: Vec<Sha256Hex> = shas
            .iter()
            .filter(|sha| !sending.contains(sha) && !a.removing.contains(*sha))
            .cloned()
            .collect();
        a.removing.extend(free.iter().cloned());
        Removal {
            files: self.clone(),
            shas: free,
        }
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
pub(crate) struct Slot {
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
        if let Some(n) = a.per_unit.get_mut(&self.key.0) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                a.per_unit.remove(&self.key.0);
            }
        }
    }
}

/// Files taken for removal (`Files::take_for_removal`); uploads of them may start
/// again when dropped.
#[derive(Debug)]
pub struct Removal {
    files: Arc<Files>,
    shas: Vec<Sha256Hex>,
}

impl Removal {
    /// The files taken: those no upload was sending.
    pub fn shas(&self) -> &[Sha256Hex] {
        &self.shas
    }
}

impl Drop for Removal {
    fn drop(&mut self) {
        let mut a = self.files.active.lock().unwrap_or_else(|p| p.into_inner());
        for sha in &self.shas {
            a.removing.remove(sha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk(unit: &str, n: u128) -> AuthedDesk {
        AuthedDesk {
            desk_id: Uuid::from_u128(n),
            unit_code: unit.into(),
            desk_index: 0,
        }
    }

    #[test]
    fn uploads_at_once_are_bounded_per_desk_overall_and_per_file() {
        let files = Arc::new(Files::new(FileSettings {
            max_uploads: 3,
            max_uploads_per_desk: 2,
            ..FileSettings::in_dir("/nonexistent")
        }));
        let sha = |n: u8| Sha256Hex::of(&[n]);
        let (a, a2, b) = (
            desk("H22.39.15", 1),
            desk("H22.39.15", 2),
            desk("H22.39.16", 3),
        );
        let first = files.slot(&a, &sha(1)).expect("first");
        // The same file of the same unit, from a sibling desk: wait for the first.
        let busy = files.slot(&a2, &sha(1)).expect_err("same file");
        assert_eq!(busy.status().as_u16(), 429);
        // Another unit sending the same file has its own partial.
        let other_unit = files.slot(&b, &sha(1)).expect("other unit");
        let second = files.slot(&a, &sha(2)).expect("second of desk a");
        let e = files.slot(&a2, &sha(4)).expect_err("overall limit");
        assert_eq!(e.status().as_u16(), 429);
        drop(other_unit);
        let e = files.slot(&a, &sha(3)).expect_err("per desk");
        assert_eq!(e.status().as_u16(), 429);
        assert!(files.slot(&a2, &sha(3)).is_ok(), "a sibling may");
        drop((first, second));
        assert!(files.slot(&a, &sha(1)).is_ok(), "places are given back");
    }

    #[test]
    fn uploads_at_once_are_bounded_per_unit_over_its_desks() {
        let files = Arc::new(Files::new(FileSettings {
            max_uploads: 100,
            max_uploads_per_desk: 2,
            max_uploads_per_unit: 3,
            ..FileSettings::in_dir("/nonexistent")
        }));
        let sha = |n: u8| Sha256Hex::of(&[n]);
        let (a0, a1, b) = (
            desk("H22.39.15", 1),
            desk("H22.39.15", 2),
            desk("H22.39.16", 3),
        );
        let held = [
            files.slot(&a0, &sha(1)).expect("1"),
            files.slot(&a0, &sha(2)).expect("2"),
            files.slot(&a1, &sha(3)).expect("3"),
        ];
        // A sibling desk with a free place of its own: the unit's are taken.
        let e = files.slot(&a1, &sha(4)).expect_err("per unit");
        assert_eq!(e.status().as_u16(), 429);
        assert!(files.slot(&b, &sha(4)).is_ok(), "another unit may");
        drop(held);
        assert!(files.slot(&a1, &sha(4)).is_ok(), "places are given back");
    }

    #[test]
    fn a_file_is_not_removed_while_it_is_sent_nor_sent_while_it_is_removed() {
        let files = Arc::new(Files::new(FileSettings::in_dir("/nonexistent")));
        let sha = |n: u8| Sha256Hex::of(&[n]);
        let (a, b) = (desk("H22.39.15", 1), desk("H22.39.16", 2));
        let sending = files.slot(&a, &sha(1)).expect("a sends file 1");
        let removal = files.take_for_removal(&[sha(1), sha(2)]);
        assert_eq!(removal.shas(), &[sha(2)], "file 1 is being sent: left");
        // Another unit sending file 2 now would find it on disk just before it goes.
        let e = files
            .slot(&b, &sha(2))
            .expect_err("file 2 is being removed");
        assert_eq!(e.status().as_u16(), 429);
        assert!(
            files.take_for_removal(&[sha(2)]).shas().is_empty(),
            "taken once"
        );
        drop((removal, sending));
        assert!(
            files.slot(&b, &sha(2)).is_ok(),
            "sent again after the removal"
        );
        assert_eq!(files.take_for_removal(&[sha(1)]).shas(), &[sha(1)]);
    }

    #[test]
    fn the_size_setting_never_exceeds_the_ceiling() {
        let files = Files::new(FileSettings {
            max_bytes: u64::MAX,
            ..FileSettings::in_dir("/nonexistent")
        });
        assert_eq!(
            files.settings().max_bytes,
            DocumentLimits::CEILING.max_bytes
        );
    }
}
