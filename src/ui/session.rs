//! What the application keeps in memory while a clerk is signed in: who, which unit,
//! the catalogue and calendar (for instant procedure search and live due times), and
//! the settings the screens read. Loaded once by a store job, reloaded on change.

use std::sync::Arc;

use crate::domain::calendar::WorkCalendar;
use crate::domain::procedure::Procedure;
use crate::store::Store;
use crate::store::accounts::Clerk;
use crate::store::error::Result;
use crate::store::setup::{DeskConfig, UnitConfig};

pub use crate::desk::settings::Settings;

#[derive(Debug, Clone)]
pub struct Session {
    pub clerk: Clerk,
    pub unit: UnitConfig,
    pub desk: DeskConfig,
    pub catalogue: Arc<Vec<Procedure>>,
    pub calendar: Arc<WorkCalendar>,
    pub settings: Settings,
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

    /// The catalogue and calendar as the store has them now (after a sync round
    /// brought new ones).
    pub fn reference(store: &Store) -> Result<(Arc<Vec<Procedure>>, Arc<WorkCalendar>)> {
        Ok((
            Arc::new(store.procedures()?),
            Arc::new(store.calendar()?.clone()),
        ))
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.catalogue.iter().find(|p| p.code.as_str() == code)
    }
}
