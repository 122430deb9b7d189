//! The desk's settings schema: which keys exist, what they mean, their defaults,
//! and the use case that changes them. The store keeps them as plain text rows; the
//! forms and the window read the typed `Settings` built here.

#[cfg(feature = "desk")]
use std::time::Duration;

use crate::desk::{Changed, Desk, backup_after_write, now};
#[cfg(feature = "desk")]
use crate::print::{DEFAULT_PAPER, Paper};
use crate::store::{Result, Store, StoreError};
use crate::sync::health::Thresholds;

/// Paper layout of the printed forms (`a5` or `a4-two-up`).
pub const SETTING_PAPER: &str = "paper_layout";
/// The public tracking page printed as a QR code on the receipt.
pub const SETTING_TRACKING_URL: &str = "tracking_url";
/// The desk's phone, printed on notices as the contact.
pub const SETTING_UNIT_PHONE: &str = "unit_phone";
/// The CUPS queue the counter application prints to.
pub const SETTING_PRINTER: &str = "printer";
/// Minutes without a key press or click before the screen locks.
pub const SETTING_IDLE_LOCK_MINUTES: &str = "idle_lock_minutes";
pub const DEFAULT_IDLE_LOCK_MINUTES: u64 = 10;
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

/// The public tracking page, when one is set.
pub fn tracking_url(store: &Store) -> Result<Option<String>> {
    Ok(store
        .setting(SETTING_TRACKING_URL)?
        .filter(|u| !u.trim().is_empty()))
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
    /// Changes desk settings in one transaction (an empty value removes the key).
    pub fn change_settings(&self, values: &[(&str, String)]) -> Result<Changed> {
        let mut store = self.lock();
        store.set_settings(values)?;
        let _ = backup_after_write(&store, now());
        Ok(Changed {
            settings: true,
            ..Changed::default()
        })
    }
}
