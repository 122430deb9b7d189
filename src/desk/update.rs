//! Updates at the desk (issue 25 §3): learn of a release at sync, download it through
//! the hash-checked file transfer, check it against the key built into this exe, and
//! keep it staged for the install when the window closes.
//!
//! Staged releases live in `<data folder>/updates/<version>/` as `package` and
//! `package.minisig`. A download goes to a temporary file beside them and takes its
//! place only once it passed every check; a refused one is deleted, so a hostile centre
//! changes nothing on the desk. The staged copy is checked again before it is used.

use std::path::{Path, PathBuf};

use crate::desk::Desk;
use crate::domain::document::Sha256Hex;
use crate::sync::client::{CentreClient, SyncError};
use crate::sync::protocol::ReleaseOffer;
use crate::update::key::trusted_key;
use crate::update::manifest::MAX_RELEASE_BYTES;
use crate::update::{
    UpdateError, Version, check_manifest, read_signature, this_platform, verify_release,
};

/// Why no update happened.
#[derive(Debug, thiserror::Error)]
pub enum UpdateFailure {
    /// The centre could not be asked or the download failed (tried again next round).
    #[error("{0}")]
    Sync(#[from] SyncError),
    /// The release is not one this desk may install: nothing was kept.
    #[error("{0}")]
    Refused(#[from] UpdateError),
    #[error("Không ghi được bản cập nhật vào {path}: {reason}")]
    Disk { path: String, reason: String },
    /// The install itself failed before the switch: the running version stays.
    #[error("{0}")]
    Install(#[from] crate::update::install::InstallError),
    /// The desk's store could not be opened or put back.
    #[error("{0}")]
    Store(#[from] crate::desk::StoreError),
    /// A version that failed after migrating the store left no backup to put back.
    #[error(
        "Phiên bản mới đã nâng cấp dữ liệu rồi không khởi động được, và không thấy bản sao lưu trước khi nâng cấp trong {0}: hãy khôi phục bằng `motcua restore` từ bản sao lưu gần nhất"
    )]
    NoPreMigrationBackup(String),
}

impl UpdateFailure {
    /// Whether the package itself is bad (the centre's description, its hash or size,
    /// its signature or manifest), as opposed to a line or disk that may do better on
    /// the next round. A garbled answer at the file route counts as bad: the whole
    /// package may have come down before it was found wrong.
    pub fn is_bad_package(&self) -> bool {
        matches!(
            self,
            UpdateFailure::Refused(_)
                | UpdateFailure::Sync(SyncError::Protocol(_) | SyncError::TooLarge { .. })
        )
    }
}

/// A release checked and waiting on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    pub version: Version,
    pub package: PathBuf,
    pub signature: PathBuf,
}

fn disk(path: &Path) -> impl Fn(std::io::Error) -> UpdateFailure + '_ {
    move |e| UpdateFailure::Disk {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// What one look for a release came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateStep {
    /// Nothing newer for this desk.
    UpToDate,
    /// A newer release waits for an administrator's yes (the status line's offer).
    Offered(ReleaseOffer),
    /// Downloaded, checked and staged: installed when the window closes.
    Staged(Staged),
}

impl UpdateStep {
    /// The status line's words for it (empty when up to date).
    pub fn status_line(&self) -> String {
        match self {
            UpdateStep::UpToDate => String::new(),
            UpdateStep::Offered(o) => format!("Có phiên bản mới {}", o.version),
            UpdateStep::Staged(s) => {
                format!("Phiên bản {} sẽ được cài khi đóng chương trình", s.version)
            }
        }
    }
}

/// How often a background round also asks for a newer version: releases are rare, and
/// 3,000 desks asking at every 30-second round would be 100 requests a second for nothing.
pub const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// When the next look for a newer version is due (the window's and `motcua sync`'s
/// rounds): the first successful round, then every `LOOK_EVERY`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LookSchedule {
    last: Option<std::time::Instant>,
}

impl LookSchedule {
    /// Whether to look now; a yes counts as the look.
    pub fn due(&mut self, now: std::time::Instant) -> bool {
        let due = self
            .last
            .is_none_or(|at| now.saturating_duration_since(at) >= LOOK_EVERY);
        if due {
            self.last = Some(now);
        }
        due
    }
}

/// The file kept after a rollback (its text is the reason).
pub fn rolled_back_name(v: Version) -> String {
    format!("rolled-back-{v}")
}

impl Desk {
    /// After a sync round: asks the centre for a release and, when the administrator
    /// `accepted` it or "tự cập nhật" is on, downloads, checks and stages it.
    pub async fn look_for_update(&self, accepted: bool) -> Result<UpdateStep, UpdateFailure> {
        let Some(offer) = self.release_offer().await? else {
            return Ok(UpdateStep::UpToDate);
        };
        if let Some(staged) = self.staged_release()
            && staged.version.to_string() == offer.version
        {
            return Ok(UpdateStep::Staged(staged));
        }
        let auto = self
            .with_store(|s| crate::desk::settings::auto_update(s))
            .map_err(|e| SyncError::Local(e.to_string()))?;
        // A release that was rolled back is staged again only on an administrator's yes.
        let rolled_back = Version::parse(&offer.version)
            .is_ok_and(|v| self.updates_dir().join(rolled_back_name(v)).exists());
        // A package refused here within the day is not fetched again by itself: its
        // reason was said when it was refused, and the offer stays for a yes.
        let refused = self.refused_release(&offer.sha256).is_some();
        let by_itself = auto && !rolled_back && !refused;
        if !(accepted || by_itself) {
            return Ok(UpdateStep::Offered(offer));
        }
        Ok(UpdateStep::Staged(self.stage_release(&offer).await?))
    }

    /// `look_for_update` for callers off any async runtime (the window's jobs run on a
    /// blocking thread, the background `motcua sync` loop): a small runtime of its own.
    pub fn look_for_update_blocking(&self, accepted: bool) -> Result<UpdateStep, UpdateFailure> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SyncError::Local(e.to_string()))?
            .block_on(self.look_for_update(accepted))
    }

    /// Why `version` was rolled back when it was installed here before, if it was (the
    /// administrator sees it beside the offer before saying yes again).
    pub fn rolled_back_reason(&self, version: &str) -> Option<String> {
        let v = Version::parse(version).ok()?;
        let text = std::fs::read_to_string(self.updates_dir().join(rolled_back_name(v))).ok()?;
        // Written by this program, but bounded all the same.
        Some(
            text.chars()
                .take(300)
                .collect::<String>()
                .trim()
                .to_string(),
        )
    }

    /// The folder of staged releases.
    pub fn updates_dir(&self) -> PathBuf {
        updates_dir_of(self.paths())
    }

    /// The release the centre offers, if it is one this desk could install (newer, of
    /// its platform, allowed from its version). Judged on what the centre says; the
    /// download is judged on what the key signed.
    pub async fn release_offer(&self) -> Result<Option<ReleaseOffer>, UpdateFailure> {
        let enrollment = self
            .with_store(|s| s.enrollment())
            .map_err(|e| SyncError::Local(e.to_string()))?
            .ok_or(SyncError::NotEnrolled)?;
        let client = CentreClient::new(&enrollment.centre_url)?;
        let Some(offer) = client
            .release_offer(&enrollment.token, &this_platform())
            .await?
        else {
            return Ok(None);
        };
        let (_, manifest) = read_signature(&offer.signature)?;
        match check_manifest(&manifest, Version::running()?, &this_platform()) {
            Ok(()) => Ok(Some(offer)),
            // Nothing newer (the usual answer) is no failure.
            Err(UpdateError::NotNewer { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Downloads `offer`, checks it and stages it. On any refusal nothing is kept but
    /// the refusal itself (`update_refused`), so that it is not fetched again soon.
    pub async fn stage_release(&self, offer: &ReleaseOffer) -> Result<Staged, UpdateFailure> {
        let staged = self.download_and_check(offer).await;
        if let Err(e) = &staged
            && e.is_bad_package()
        {
            self.remember_refused_release(&offer.sha256, &e.to_string());
        }
        staged
    }

    async fn download_and_check(&self, offer: &ReleaseOffer) -> Result<Staged, UpdateFailure> {
        let enrollment = self
            .with_store(|s| s.enrollment())
            .map_err(|e| SyncError::Local(e.to_string()))?
            .ok_or(SyncError::NotEnrolled)?;
        let (_, claimed) = read_signature(&offer.signature)?;
        let sha = Sha256Hex::parse(&offer.sha256)
            .map_err(|_| UpdateError::BadManifest("mã SHA-256 không hợp lệ".into()))?;
        if sha != claimed.sha256 || offer.size != claimed.size {
            // The centre's own description disagrees with the signed one.
            return Err(UpdateError::Tampered.into());
        }
        let dir = self.updates_dir();
        std::fs::create_dir_all(&dir).map_err(disk(&dir))?;
        let temp = dir.join(format!(".download-{}", sha.as_str()));
        let client = CentreClient::new(&enrollment.centre_url)?;
        client
            .fetch_file(
                &enrollment.token,
                &sha,
                &temp,
                claimed.size.min(MAX_RELEASE_BYTES),
            )
            .await?;
        let checked = verify_release(
            &trusted_key()?,
            &offer.signature,
            &temp,
            Version::running()?,
            &this_platform(),
        );
        let verified = match checked {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                return Err(e.into());
            }
        };
        let target = dir.join(verified.manifest.version.to_string());
        let staged = Staged {
            version: verified.manifest.version,
            package: target.join("package"),
            signature: target.join("package.minisig"),
        };
        let kept = std::fs::create_dir_all(&target)
            .and_then(|()| {
                crate::files::write_atomically(&staged.signature, offer.signature.as_bytes())
            })
            .and_then(|()| std::fs::rename(&temp, &staged.package));
        if let Err(e) = kept {
            let _ = std::fs::remove_file(&temp);
            let _ = std::fs::remove_dir_all(&target);
            return Err(disk(&target)(e));
        }
        Ok(staged)
    }

    /// The newest staged release that still passes every check (a staged copy changed
    /// on disk since, or made stale by an install, is not offered).
    pub fn staged_release(&self) -> Option<Staged> {
        staged_in(&self.updates_dir())
    }
}

/// The folder of staged releases of the desk at `paths`.
pub fn updates_dir_of(paths: &crate::desk::DataPaths) -> PathBuf {
    paths.dir.join("updates")
}

/// `Desk::staged_release` for the folder `updates` (no store needed).
pub fn staged_in(updates: &Path) -> Option<Staged> {
    let key = trusted_key().ok()?;
    let running = Version::running().ok()?;
    let mut found: Vec<Staged> = std::fs::read_dir(updates)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = Version::parse(&e.file_name().to_string_lossy()).ok()?;
            let dir = e.path();
            Some(Staged {
                version,
                package: dir.join("package"),
                signature: dir.join("package.minisig"),
            })
        })
        .collect();
    found.sort_by_key(|s| std::cmp::Reverse(s.version));
    found.into_iter().find(|s| {
        let sig = std::fs::read_to_string(&s.signature).unwrap_or_default();
        verify_release(&key, &sig, &s.package, running, &this_platform())
            .is_ok_and(|v| v.manifest.version == s.version)
    })
}
