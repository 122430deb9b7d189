//! The province's lists kept offline (issue 23): replaced whole when the centre sends
//! them, read by the intake screen's picker and by `Store::intake`.

use rusqlite::params;

use crate::domain::province::{ProvinceLists, ProvinceUnit};
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// The setting holding the version tag of the kept lists, sent back at each pull so
/// the centre sends them only when they changed.
pub const PROVINCE_VERSION_KEY: &str = "province_lists_version";

impl Store {
    /// The lists as last received (empty before the first sync that carried them).
    pub fn province_lists(&self) -> Result<ProvinceLists> {
        let mut stmt = self
            .conn()
            .prepare("SELECT code, name FROM province_unit ORDER BY name, code")?;
        let units = stmt
            .query_map([], |r| {
                Ok(ProvinceUnit {
                    code: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT code FROM province_cross_procedure ORDER BY code")?;
        let cross_procedures = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ProvinceLists {
            units,
            cross_procedures,
        })
    }

    /// Replaces the kept lists with `lists` (checked first: they came from another
    /// machine) and records their version, in one transaction.
    pub fn replace_province_lists(&mut self, lists: &ProvinceLists, version: &str) -> Result<()> {
        lists.check().map_err(StoreError::Invalid)?;
        self.write(|tx| {
            tx.execute("DELETE FROM province_unit", [])?;
            tx.execute("DELETE FROM province_cross_procedure", [])?;
            for u in &lists.units {
                tx.execute(
                    "INSERT OR REPLACE INTO province_unit (code, name) VALUES (?1, ?2)",
                    params![u.code.trim(), u.name.trim()],
                )?;
            }
            for p in &lists.cross_procedures {
                tx.execute(
                    "INSERT OR IGNORE INTO province_cross_procedure (code) VALUES (?1)",
                    [p.trim()],
                )?;
            }
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![PROVINCE_VERSION_KEY, version],
            )?;
            Ok(())
        })
    }
}
