//! The desk's settings schema: which keys exist, what they mean, their defaults,
//! and the use case that changes them. The store keeps them as plain text rows; the
//! forms and the window read the typed `Settings` built here.

#[cfg(feature = "desk")]
use std::time::Duration;

use crate::desk::{Changed, Desk, now};
#[cfg(feature = "desk")]
use crate::print::{DEFAULT_PAPER, Paper};
use crate::store::{Result, Store, StoreError};
use crate::sync::health::Thresholds;

/// Paper layout of the printed forms (`a5` or `a4-two-up`).
pub const SETTING_PAPER: &str = "paper_layout";
/// The public tracking page printed as a QR code on the receipt.
pub const SETTING_TRACKING_URL: &str = "tracking_url";
/// The centre's public address for tracking pages, as the centre last announced it
/// (at enrollment and every sync; never typed at the desk).
pub const SETTING_CENTRE_PUBLIC_URL: &str = "centre_public_url";
/// The desk's phone, printed on notices as the contact.
pub const SETTING_UNIT_PHONE: &str = "unit_phone";
/// The head's title over the signature of Mẫu 04 and 05 ("GIÁM ĐỐC", "KT. GIÁM ĐỐC /
/// PHÓ GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"; " / " starts the second line).
pub const SETTING_SIGNER_TITLE: &str = "signer_title";
/// The CUPS queue the counter application prints to.
pub const SETTING_PRINTER: &str = "printer";
/// Minutes without a key press or click before the screen locks.
pub const SETTING_IDLE_LOCK_MINUTES: &str = "idle_lock_minutes";
pub const DEFAULT_IDLE_LOCK_MINUTES: u64 = 10;
/// "Tự cập nhật": `1` lets the desk download and stage a newer release by itself when
/// it learns of one at sync (unset or `0`: the status line offers it to an administrator).
pub const SETTING_AUTO_UPDATE: &str = "auto_update";
/// Where the screen facing the citizen opens (`off`, the default; `right`/`left` of the
/// counter's monitor; or `x,y,width,height` in desktop pixels), see `FacingScreen`.
pub const SETTING_FACING_SCREEN: &str = "facing_screen";
/// `yes`: the idle facing screen lists the codes of results ready for collection.
pub const SETTING_FACING_QUEUE: &str = "facing_queue";
pub use crate::desk::facing::FacingScreen;
/// Whole hours after the last contact with the centre before the status warns / alarms.
pub use crate::sync::health::{
    ALARM_AFTER_KEY as SETTING_SYNC_ALARM_AFTER_HOURS,
    WARN_AFTER_KEY as SETTING_SYNC_WARN_AFTER_HOURS,
};

/// Settings the screens and the forms read, with their defaults applied.
#[cfg(feature = "desk")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub printer: Option<String>,
    pub paper: Paper,
    pub idle_lock: Duration,
    /// The desk's phone, printed on notices as the contact.
    pub unit_phone: String,
    /// The head's title on Mẫu 04 and 05 (empty: from the unit's name).
    pub signer_title: String,
    /// Where the screen facing the citizen opens, or off.
    pub facing: FacingScreen,
    /// The idle facing screen lists the codes of results ready for collection.
    pub facing_queue: bool,
}

#[cfg(feature = "desk")]
impl Settings {
    pub fn load(store: &Store) -> Result<Settings> {
        let printer = store
            .setting(SETTING_PRINTER)?
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        let paper = paper(store).unwrap_or(DEFAULT_PAPER);
        let minutes = store
            .setting(SETTING_IDLE_LOCK_MINUTES)?
            .and_then(|m| m.trim().parse::<u64>().ok())
            .filter(|m| *m > 0)
            .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES);
        Ok(Settings {
            printer,
            paper,
            idle_lock: Duration::from_secs(minutes * 60),
            unit_phone: store.setting(SETTING_UNIT_PHONE)?.unwrap_or_default(),
            signer_title: signer_title(store)?,
            // A value that does not parse (typed by hand in the store) keeps the screen off.
            facing: store
                .setting(SETTING_FACING_SCREEN)?
                .and_then(|v| FacingScreen::parse(&v).ok())
                .unwrap_or_default(),
            facing_queue: store
                .setting(SETTING_FACING_QUEUE)?
                .is_some_and(|v| v.trim() == "yes"),
        })
    }
}

/// The paper layout from the settings (A4 two-up when unset); a value that is not a
/// layout is refused with the two that are.
#[cfg(feature = "desk")]
pub fn paper(store: &Store) -> Result<Paper> {
    match store.setting(SETTING_PAPER)? {
        Some(v) => Paper::parse(&v).ok_or_else(|| {
            StoreError::Invalid(format!(
                "cài đặt {SETTING_PAPER} = '{v}' không hợp lệ: dùng a5 hoặc a4-two-up"
            ))
        }),
        None => Ok(DEFAULT_PAPER),
    }
}

/// Longest head's title accepted.
pub const MAX_SIGNER_TITLE: usize = 120;

/// A head's title as it will be stored (NFC, trimmed), or why not.
pub fn clean_signer_title(raw: &str) -> std::result::Result<String, String> {
    crate::domain::text::clean_field(
        "signer_title",
        "Chức danh người ký",
        raw,
        MAX_SIGNER_TITLE,
        false,
    )
    .map_err(|e| e.to_string())
}

/// The head's title as set (empty when not set).
pub fn signer_title(store: &Store) -> Result<String> {
    Ok(store
        .setting(SETTING_SIGNER_TITLE)?
        .map(|t| t.trim().to_string())
        .unwrap_or_default())
}

/// The public tracking page, when one is set.
pub fn tracking_url(store: &Store) -> Result<Option<String>> {
    Ok(store
        .setting(SETTING_TRACKING_URL)?
        .filter(|u| !u.trim().is_empty()))
}

/// Whether "tự cập nhật" is on.
pub fn auto_update(store: &Store) -> Result<bool> {
    Ok(store
        .setting(SETTING_AUTO_UPDATE)?
        .is_some_and(|v| matches!(v.trim(), "1" | "true" | "có")))
}

/// The centre's public address, when the centre has announced one.
pub fn centre_public_url(store: &Store) -> Result<Option<String>> {
    Ok(store
        .setting(SETTING_CENTRE_PUBLIC_URL)?
        .filter(|u| !u.is_empty()))
}

/// Keeps the public address the centre announced, when it passes the check (it came
/// over the network); a bad one is ignored and the old one kept.
pub fn remember_public_url(store: &mut Store, announced: Option<&str>) -> Result<()> {
    let Some(url) = announced.and_then(|u| crate::domain::tracking::check_public_base(u).ok())
    else {
        return Ok(());
    };
    if centre_public_url(store)?.as_deref() != Some(url.as_str()) {
        store.set_setting(SETTING_CENTRE_PUBLIC_URL, &url)?;
    }
    Ok(())
}

/// The sync status thresholds: the defaults, with the two hour settings when present
/// (positive whole hours, the alarm not before the warning).
pub fn sync_thresholds(store: &Store) -> Result<Thresholds> {
    Thresholds::from_settings(
        store.setting(SETTING_SYNC_WARN_AFTER_HOURS)?.as_deref(),
        store.setting(SETTING_SYNC_ALARM_AFTER_HOURS)?.as_deref(),
    )
    .map_err(StoreError::Invalid)
}

impl Desk {
    /// The desk's settings (printer, paper, phone, idle lock).
    #[cfg(feature = "desk")]
    pub fn settings(&self) -> Result<Settings> {
        Settings::load(&self.lock())
    }

    /// One setting as stored (`None` when never set).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.lock().setting(key)
    }

    /// The document settings: limits, scan resolution, default size.
    pub fn document_settings(&self) -> Result<DocumentSettings> {
        DocumentSettings::load(&self.lock())
    }

    /// Changes desk settings in one transaction (an empty value removes the key).
    pub fn change_settings(&self, values: &[(&str, String)]) -> Result<Changed> {
        let mut store = self.lock();
        store.set_settings(values)?;
        let _ = self.backup_after_write(now());
        Ok(Changed {
            settings: true,
            ..Changed::default()
        })
    }
}

/// Resolution of a scan, dots per inch (`SCAN_DPI_RANGE`; `DEFAULT_SCAN_DPI` by default).
pub const SETTING_SCAN_DPI: &str = "scan_dpi";
pub use crate::domain::document_settings::{
    DEFAULT_DISK_WARN_MB, DEFAULT_SCAN_DPI, DocumentSettings, SCAN_DPI_RANGE, ScanMode,
};
/// `grey` (default), `colour` or `black-white`.
pub const SETTING_SCAN_MODE: &str = "scan_mode";
/// The scanner to use (a SANE device name such as `test:0`); empty: the first one found.
pub const SETTING_SCANNER: &str = "scanner_device";
/// A folder a network scanner writes into; the newest file there can be taken.
pub const SETTING_SCAN_FOLDER: &str = "scan_folder";
/// Largest file that may be attached, in MB.
pub const SETTING_DOCUMENT_MAX_MB: &str = "document_max_mb";
/// Largest image that may be attached, in megapixels.
pub const SETTING_DOCUMENT_MAX_MEGAPIXELS: &str = "document_max_megapixels";
/// Most pages in one attached document.
pub const SETTING_DOCUMENT_MAX_PAGES: &str = "document_max_pages";
/// Free disk space (MB) under which the desk warns.
pub const SETTING_DISK_WARN_MB: &str = "disk_warn_mb";

impl DocumentSettings {
    /// The document settings stored on this desk, defaults applied.
    pub fn load(store: &Store) -> Result<DocumentSettings> {
        use crate::domain::document::DocumentLimits;
        let number = |key: &str| -> Result<Option<u64>> {
            Ok(store
                .setting(key)?
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|v| *v > 0))
        };
        let text = |key: &str| -> Result<Option<String>> {
            Ok(store
                .setting(key)?
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()))
        };
        let default = DocumentSettings::default();
        let ceiling = DocumentLimits::CEILING;
        let mut limits = default.limits;
        if let Some(mb) = number(SETTING_DOCUMENT_MAX_MB)? {
            limits.max_bytes = mb.saturating_mul(1024 * 1024).min(ceiling.max_bytes);
        }
        if let Some(mpx) = number(SETTING_DOCUMENT_MAX_MEGAPIXELS)? {
            limits.max_pixels = mpx.saturating_mul(1_000_000).min(ceiling.max_pixels);
        }
        if let Some(pages) = number(SETTING_DOCUMENT_MAX_PAGES)? {
            limits.max_pages = u32::try_from(pages)
                .unwrap_or(u32::MAX)
                .min(ceiling.max_pages);
        }
        let scan_dpi = number(SETTING_SCAN_DPI)?
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| SCAN_DPI_RANGE.contains(d))
            .unwrap_or(DEFAULT_SCAN_DPI);
        Ok(DocumentSettings {
            scan_dpi,
            scan_mode: text(SETTING_SCAN_MODE)?
                .and_then(|m| ScanMode::parse(&m))
                .unwrap_or(default.scan_mode),
            scanner: text(SETTING_SCANNER)?,
            scan_folder: text(SETTING_SCAN_FOLDER)?.map(std::path::PathBuf::from),
            limits,
            disk_warn_bytes: number(SETTING_DISK_WARN_MB)?
                .map(|mb| mb.saturating_mul(1024 * 1024))
                .unwrap_or(default.disk_warn_bytes),
        })
    }
}
