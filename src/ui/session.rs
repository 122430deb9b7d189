//! What the application keeps in memory while a clerk is signed in: who, which unit,
//! the catalogue and calendar (for instant procedure search and live due times), and
//! the settings the screens read. Loaded once by a store job, reloaded on change.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::calendar::WorkCalendar;
use crate::domain::procedure::Procedure;
use crate::print::Paper;
use crate::print::job::{SETTING_PRINTER, SETTING_UNIT_PHONE, paper_setting};
use crate::store::Store;
use crate::store::accounts::Clerk;
use crate::store::error::Result;
use crate::store::setup::{DeskConfig, UnitConfig};

/// Minutes without a key press or click before the screen locks.
pub const SETTING_IDLE_LOCK_MINUTES: &str = "idle_lock_minutes";
pub const DEFAULT_IDLE_LOCK_MINUTES: u64 = 10;

#[derive(Debug, Clone)]
pub struct Session {
    pub clerk: Clerk,
    pub unit: UnitConfig,
    pub desk: DeskConfig,
    pub catalogue: Arc<Vec<Procedure>>,
    pub calendar: Arc<WorkCalendar>,
    pub settings: Settings,
}

/// Settings the screens read, with their defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub printer: Option<String>,
    pub paper: Paper,
    pub idle_lock: Duration,
    /// The desk's phone, printed on notices as the contact.
    pub unit_phone: String,
}

impl Settings {
    pub fn load(store: &Store) -> Result<Settings> {
        let printer = store
            .setting(SETTING_PRINTER)?
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        let paper = paper_setting(store).unwrap_or(crate::print::DEFAULT_PAPER);
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

impl Session {
    pub fn load(store: &Store, clerk: Clerk) -> Result<Session> {
        Ok(Session {
            clerk,
            unit: store.unit()?,
            desk: store.desk()?,
            catalogue: Arc::new(store.procedures()?),
            calendar: Arc::new(store.calendar()?.clone()),
            settings: Settings::load(store)?,
        })
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.catalogue.iter().find(|p| p.code.as_str() == code)
    }
}
