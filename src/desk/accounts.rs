//! The people at the desk and the desk's own details: first-run set-up, sign-in and
//! unlocking, clerk accounts and passwords, the unit's details, the clerk's unsaved
//! drafts. Each write is one transaction, then today's backup; each returns what it
//! changed.

use crate::desk::{Changed, Desk, now};
use crate::store::Result;
use crate::store::accounts::{Clerk, LoginError, NewClerk};
use crate::store::admin::{UnitEdit, UnitError};
use crate::store::setup::{DeskConfig, InitInput, UnitConfig};

impl Desk {
    /// First-run set-up in one transaction: the unit and this desk (unless `unit` is
    /// `None`, the database having them already) and the first administrator.
    pub fn set_up_with_admin(
        &self,
        unit: Option<&InitInput>,
        admin: &NewClerk,
    ) -> Result<(Clerk, Changed)> {
        let now = now();
        let clerk = self.lock().set_up(unit, admin, now)?;
        let _ = self.backup_after_write(now);
        let changed = Changed {
            unit: true,
            settings: true,
            ..Changed::default()
        };
        Ok((clerk, changed))
    }

    /// Whether any clerk account exists (the window asks for set-up when none does).
    pub fn has_clerks(&self) -> Result<bool> {
        self.lock().has_clerks()
    }

    /// Signs a clerk in (records the time); a wrong name or password is an `Err`
    /// inside, worded for the clerk.
    pub fn sign_in(
        &self,
        username: &str,
        password: &str,
    ) -> Result<std::result::Result<Clerk, LoginError>> {
        self.lock().login(username, password, now())
    }

    /// Checks a clerk's password without writing (unlocking the screen).
    pub fn check_password(&self, username: &str, password: &str) -> Result<bool> {
        self.lock().check_password(username, password)
    }

    /// Every clerk account, by user name.
    pub fn clerks(&self) -> Result<Vec<Clerk>> {
        self.lock().clerks()
    }

    /// Adds a clerk account.
    pub fn add_clerk(&self, input: &NewClerk) -> Result<(Clerk, Changed)> {
        let now = now();
        let clerk = self.lock().add_clerk(input, now)?;
        let _ = self.backup_after_write(now);
        Ok((clerk, settings_changed()))
    }

    /// Sets a clerk's password.
    pub fn set_password(&self, username: &str, password: &str) -> Result<Changed> {
        self.lock().set_password(username, password)?;
        let _ = self.backup_after_write(now());
        Ok(settings_changed())
    }

    /// Enables or disables an account (never the last active administrator).
    pub fn set_clerk_active(&self, username: &str, active: bool) -> Result<Changed> {
        self.lock().set_clerk_active(username, active)?;
        let _ = self.backup_after_write(now());
        Ok(settings_changed())
    }

    /// This workstation: its origin id and desk number.
    pub fn desk_config(&self) -> Result<DeskConfig> {
        self.lock().desk()
    }

    /// Saves the unit's details in one transaction; the fields' errors when invalid
    /// (nothing written then).
    pub fn update_unit(
        &self,
        edit: &UnitEdit,
    ) -> Result<std::result::Result<(UnitConfig, Changed), Vec<UnitError>>> {
        let saved = self.lock().update_unit(edit)?;
        Ok(saved.map(|unit| {
            let _ = self.backup_after_write(now());
            let changed = Changed {
                unit: true,
                ..Changed::default()
            };
            (unit, changed)
        }))
    }

    /// The clerk's unsaved draft of `screen`, if any.
    pub fn draft(&self, clerk: &str, screen: &str) -> Result<Option<String>> {
        self.lock().draft(clerk, screen)
    }

    /// Keeps the clerk's draft of `screen` (a crash or a power cut loses no typing).
    /// A draft is the clerk's scratch pad, not the desk's data: no backup, no change.
    pub fn save_draft(&self, clerk: &str, screen: &str, body: &str) -> Result<()> {
        self.lock().save_draft(clerk, screen, body, now())
    }

    /// Forgets the clerk's draft of `screen`.
    pub fn discard_draft(&self, clerk: &str, screen: &str) -> Result<()> {
        self.lock().discard_draft(clerk, screen)
    }
}

/// Accounts are part of the desk's settings as the window shows them.
fn settings_changed() -> Changed {
    Changed {
        settings: true,
        ..Changed::default()
    }
}
