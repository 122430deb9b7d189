//! The unit this desk serves, the desk itself, and settings.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::dossier_code::DeskIndex;
use crate::domain::due::WorkingHours;
use crate::domain::text;
use crate::domain::unit::UnitCode;
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// The unit entity lives in the domain; the store keeps its row.
pub use crate::domain::unit::Unit as UnitConfig;

/// This workstation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskConfig {
    /// The origin id of every event this desk writes.
    pub desk_id: String,
    pub index: DeskIndex,
}

/// What `motcua init` asks for, unchecked.
#[derive(Debug, Clone)]
pub struct InitInput {
    pub unit_code: String,
    pub unit_name: String,
    pub authority: String,
    pub place: String,
    pub desk_index: u8,
    pub working_hours: Option<String>,
}

const MAX_NAME: usize = 200;

impl InitInput {
    pub fn validate(&self) -> Result<(UnitConfig, DeskIndex)> {
        let invalid = |e: &dyn std::fmt::Display| StoreError::Invalid(e.to_string());
        let code = UnitCode::parse(&self.unit_code).map_err(|e| invalid(&e))?;
        let name = text::clean_field("unit_name", "Tên đơn vị", &self.unit_name, MAX_NAME, true)
            .map_err(|e| invalid(&e))?;
        let authority = text::clean_field(
            "authority",
            "Cơ quan chủ quản",
            &self.authority,
            MAX_NAME,
            true,
        )
        .map_err(|e| invalid(&e))?;
        let place = text::clean_field("place", "Địa danh", &self.place, MAX_NAME, true)
            .map_err(|e| invalid(&e))?;
        let hours = match &self.working_hours {
            Some(s) => WorkingHours::parse(s).map_err(|e| invalid(&e))?,
            None => WorkingHours::default(),
        };
        let index = DeskIndex::new(self.desk_index).map_err(|e| invalid(&e))?;
        Ok((
            UnitConfig {
                code,
                name,
                authority,
                place,
                hours,
            },
            index,
        ))
    }
}

/// Writes the unit and this desk (checked by `InitInput::validate`) in `tx`.
pub(crate) fn insert_unit(
    tx: &rusqlite::Transaction<'_>,
    unit: &UnitConfig,
    desk: &DeskConfig,
    now: Timestamp,
) -> Result<()> {
    tx.execute(
        "INSERT INTO unit (id, code, name, authority, place, working_hours, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            unit.code.as_str(),
            unit.name,
            unit.authority,
            unit.place,
            unit.hours.to_string(),
            format_rfc3339(now)
        ],
    )?;
    tx.execute(
        "INSERT INTO desk (id, desk_id, desk_index) VALUES (1, ?1, ?2)",
        params![desk.desk_id, desk.index.get()],
    )?;
    Ok(())
}

impl Store {
    /// Sets up the unit and this desk, once.
    pub fn init(&mut self, input: &InitInput, now: Timestamp) -> Result<(UnitConfig, DeskConfig)> {
        let (unit, index) = input.validate()?;
        if let Some(existing) = self.unit_opt()? {
            return Err(StoreError::AlreadyInitialised(existing.code.to_string()));
        }
        let desk = DeskConfig {
            desk_id: uuid::Uuid::now_v7().to_string(),
            index,
        };
        self.write(|tx| insert_unit(tx, &unit, &desk, now))?;
        Ok((unit, desk))
    }

    pub fn unit_opt(&self) -> Result<Option<UnitConfig>> {
        let row = self
            .conn()
            .query_row(
                "SELECT code, name, authority, place, working_hours FROM unit WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((code, name, authority, place, hours)) = row else {
            return Ok(None);
        };
        Ok(Some(UnitConfig {
            code: UnitCode::parse(&code).map_err(|e| StoreError::decode("mã đơn vị", e))?,
            name,
            authority,
            place,
            hours: WorkingHours::parse_stored(&hours)
                .map_err(|e| StoreError::decode("giờ làm việc", e))?,
        }))
    }

    pub fn unit(&self) -> Result<UnitConfig> {
        self.unit_opt()?.ok_or(StoreError::NotInitialised)
    }

    pub fn desk(&self) -> Result<DeskConfig> {
        let (desk_id, index): (String, u8) = self
            .conn()
            .query_row(
                "SELECT desk_id, desk_index FROM desk WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotInitialised)?;
        Ok(DeskConfig {
            desk_id,
            index: DeskIndex::new(index).map_err(|e| StoreError::decode("số hiệu quầy", e))?,
        })
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }
}
