//! What the administrator changes on the settings screen (F9): the unit's printed
//! details and office hours, and the desk's settings, each saved whole in one
//! transaction after validation. The unit code and the desk index never change here:
//! they are part of every dossier code already issued.

use rusqlite::params;

use crate::domain::due::WorkingHours;
use crate::domain::text;
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::setup::UnitConfig;

const MAX_NAME: usize = 200;

/// The unit's editable details as typed, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitEdit {
    pub name: String,
    pub authority: String,
    pub place: String,
    pub working_hours: String,
}

/// Which field a unit validation error belongs to, so it is shown in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitField {
    Name,
    Authority,
    Place,
    Hours,
}

/// A field's error, worded for the administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError {
    pub field: UnitField,
    pub message: String,
}

impl UnitEdit {
    pub fn from_unit(unit: &UnitConfig) -> UnitEdit {
        UnitEdit {
            name: unit.name.clone(),
            authority: unit.authority.clone(),
            place: unit.place.clone(),
            working_hours: unit.hours.to_string(),
        }
    }

    /// The same checks as the first-run set-up (`InitInput::validate`), per field.
    pub fn validate(&self, code: &UnitConfig) -> std::result::Result<UnitConfig, Vec<UnitError>> {
        let mut errors = Vec::new();
        let mut check = |field, key, label, value: &str| match text::clean_field(
            key, label, value, MAX_NAME, true,
        ) {
            Ok(v) => v,
            Err(e) => {
                errors.push(UnitError {
                    field,
                    message: e.to_string(),
                });
                String::new()
            }
        };
        let name = check(UnitField::Name, "unit_name", "Tên đơn vị", &self.name);
        let authority = check(
            UnitField::Authority,
            "authority",
            "Cơ quan chủ quản",
            &self.authority,
        );
        let place = check(UnitField::Place, "place", "Địa danh", &self.place);
        let hours = match WorkingHours::parse(self.working_hours.trim()) {
            Ok(h) => h,
            Err(e) => {
                errors.push(UnitError {
                    field: UnitField::Hours,
                    message: e.to_string(),
                });
                WorkingHours::default()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UnitConfig {
            code: code.code.clone(),
            name,
            authority,
            place,
            hours,
        })
    }
}

impl Store {
    /// Saves the unit's name, authority, place and office hours in one transaction.
    /// Nothing is written when any field is invalid.
    pub fn update_unit(
        &mut self,
        edit: &UnitEdit,
    ) -> Result<std::result::Result<UnitConfig, Vec<UnitError>>> {
        let current = self.unit()?;
        let unit = match edit.validate(&current) {
            Ok(u) => u,
            Err(errors) => return Ok(Err(errors)),
        };
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE unit SET name = ?1, authority = ?2, place = ?3, working_hours = ?4
                 WHERE id = 1",
                params![
                    unit.name,
                    unit.authority,
                    unit.place,
                    unit.hours.to_string()
                ],
            )?;
            if n != 1 {
                return Err(StoreError::NotInitialised);
            }
            Ok(())
        })?;
        Ok(Ok(unit))
    }

    /// Writes several settings together: all of them, or none. An empty value removes
    /// the setting (back to its default).
    pub fn set_settings(&mut self, values: &[(&str, String)]) -> Result<()> {
        self.write(|tx| {
            for (key, value) in values {
                if value.trim().is_empty() {
                    tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
                } else {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![key, value.trim()],
                    )?;
                }
            }
            Ok(())
        })
    }
}
