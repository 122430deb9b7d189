//! What the application keeps in memory while a clerk is signed in: who, which unit,
//! the catalogue and calendar (for instant procedure search and live due times), and
//! the settings the screens read. Loaded once by a desk job, reloaded on change.

use std::sync::Arc;

use crate::desk::Clerk;
use crate::desk::Desk;
use crate::desk::DeskConfig;
use crate::desk::Result;
use crate::domain::calendar::WorkCalendar;
use crate::domain::procedure::Procedure;
use crate::domain::unit::Unit as UnitConfig;

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
    pub fn load(desk: &Desk, clerk: Clerk) -> Result<Session> {
        Ok(Session {
            clerk,
            unit: desk.unit()?,
            desk: desk.desk_config()?,
            catalogue: Arc::new(desk.procedures()?),
            calendar: Arc::new(desk.calendar()?),
            settings: desk.settings()?,
        })
    }

    /// The catalogue and calendar as the store has them now (after a sync round
    /// brought new ones).
    pub fn reference(desk: &Desk) -> Result<(Arc<Vec<Procedure>>, Arc<WorkCalendar>)> {
        Ok((Arc::new(desk.procedures()?), Arc::new(desk.calendar()?)))
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.catalogue.iter().find(|p| p.code.as_str() == code)
    }
}
