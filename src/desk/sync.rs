//! Talking to the centre: enrollment and the sync round. Both run on the desk's
//! network connection (see the module header of `desk`), never on the clerk's, so
//! a slow or cut link holds up no store action; when a round ends, the clerk's
//! connection forgets what the round made stale and the caller learns what changed.

use crate::desk::round::{self, NetStore};
use crate::desk::{Changed, Desk, now};
use crate::sync::client::{SyncError, SyncReport};
use crate::sync::protocol::EnrollResponse;

/// One round's outcome.
#[derive(Debug, Clone)]
pub struct Synced {
    pub report: SyncReport,
    pub changed: Changed,
}

/// A failed round, in words a clerk can act on, and whether trying again by itself
/// can help (a cut link) or a person must act first (a refused token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    pub message: String,
    pub transient: bool,
    /// Seconds the centre asked the desk to wait (503 with `Retry-After`).
    pub retry_after: Option<u64>,
}

/// The centre no longer knows this desk's token: only a new enrollment helps.
pub const UNAUTHORIZED: &str = "Trung tâm không còn nhận mã truy cập của quầy này (401), nên quầy đã dừng tự đồng bộ. Hồ sơ vẫn được lưu an toàn trên máy. Cần đăng ký lại: xin quản trị trung tâm một mã đăng ký mới, rồi quản trị viên của quầy vào Cài đặt (F9) → Đăng ký với trung tâm.";
/// The centre refuses this desk the unit's data: an administrator must check it.
pub const FORBIDDEN: &str = "Trung tâm không cho quầy này đồng bộ dữ liệu của đơn vị (403), nên quầy đã dừng tự đồng bộ. Hồ sơ vẫn được lưu an toàn trên máy. Hãy báo quản trị trung tâm kiểm tra quầy này có thuộc đúng đơn vị không, rồi bấm «Đồng bộ lại» ở dòng trạng thái.";

impl SyncFailure {
    pub fn of(e: &SyncError) -> SyncFailure {
        let message = match e {
            SyncError::Rejected { status: 401, .. } => UNAUTHORIZED.to_string(),
            SyncError::Rejected { status: 403, .. } => FORBIDDEN.to_string(),
            other => crate::domain::text::mask_personal(&other.to_string()),
        };
        SyncFailure {
            message,
            transient: e.is_transient(),
            retry_after: match e {
                SyncError::Busy { retry_after } => Some(*retry_after),
                _ => None,
            },
        }
    }
}

impl Desk {
    /// One push-then-pull round with the centre (`centre` overrides the enrolled
    /// address for this round).
    pub async fn sync_round(&self, centre: Option<&str>) -> Result<Synced, SyncError> {
        let report = {
            let mut network = self.network.lock().await;
            let store = network_store(&mut network, self).await?;
            round::sync_once(store, centre).await?
        };
        let changed = Changed {
            all_dossiers: report.pulled_events > 0 || report.recovered > 0,
            catalogue: report.pulled_updates > 0,
            calendar: report.pulled_updates > 0,
            sync: true,
            ..Changed::default()
        };
        self.announce(&changed);
        Ok(Synced { report, changed })
    }

    /// Enrolls this desk with the centre with a single-use `code`.
    pub async fn enroll(
        &self,
        centre: &str,
        code: &str,
    ) -> Result<(EnrollResponse, Changed), SyncError> {
        let resp = {
            let mut network = self.network.lock().await;
            let store = network_store(&mut network, self).await?;
            round::enroll(store, centre, code).await?
        };
        let changed = Changed {
            sync: true,
            ..Changed::default()
        };
        self.announce(&changed);
        Ok((resp, changed))
    }

    /// Tells the clerk's connection what another connection wrote.
    fn announce(&self, changed: &Changed) {
        if changed.calendar {
            // The next due date is computed with the calendar the centre just sent.
            self.lock().forget_cached_calendar();
        }
        if changed.any_dossier() || changed.catalogue || changed.sync {
            let _ = self.backup_after_write(now());
        }
    }
}

/// The network connection, opened on first use.
async fn network_store<'a>(
    slot: &'a mut Option<NetStore>,
    desk: &Desk,
) -> Result<&'a NetStore, SyncError> {
    let store = match slot.take() {
        Some(s) => s,
        None => NetStore::open(desk.paths.clone()).await?,
    };
    Ok(slot.insert(store))
}
