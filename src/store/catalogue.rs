//! The procedure catalogue in the store: seeded from the shipped file, later updated
//! from the centre.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::domain::catalogue_seed::seed_catalogue;
use crate::domain::clock::{Timestamp, format_rfc3339};
use crate::domain::procedure::{Procedure, ProcedureCode, TimeLimitCase};
use crate::domain::time_limit::{TimeLimit, TimeUnit};
use crate::store::Store;
use crate::store::error::{Result, StoreError};

const COLUMNS: &str = "code, name, field, agency, time_limit_value, time_limit_unit, \
     time_limit_text, fee_text, fee_amount, documents, legal_basis, time_limit_cases";

/// Writes (inserts or replaces) procedures. The default case also fills the single-limit
/// columns, which earlier versions read.
pub fn upsert(tx: &Transaction<'_>, procedures: &[Procedure], now: Timestamp) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO procedure (code, name, field, agency, time_limit_value, time_limit_unit,
             time_limit_text, fee_text, fee_amount, documents, legal_basis, updated_at,
             time_limit_cases)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, field = excluded.field,
             agency = excluded.agency, time_limit_value = excluded.time_limit_value,
             time_limit_unit = excluded.time_limit_unit, time_limit_text = excluded.time_limit_text,
             fee_text = excluded.fee_text, fee_amount = excluded.fee_amount,
             documents = excluded.documents, legal_basis = excluded.legal_basis,
             updated_at = excluded.updated_at, time_limit_cases = excluded.time_limit_cases",
    )?;
    for p in procedures {
        let documents = serde_json::to_string(&p.documents)
            .map_err(|e| StoreError::decode("thành phần hồ sơ", e))?;
        let cases = serde_json::to_string(&p.time_limits)
            .map_err(|e| StoreError::decode("thời hạn giải quyết", e))?;
        let default = p.default_limit();
        stmt.execute(params![
            p.code.as_str(),
            p.name,
            p.field,
            p.agency,
            default.map(|l| l.value),
            default.map(|l| l.unit.code()),
            p.time_limits_vi(),
            p.fee_text,
            p.fee_amount,
            documents,
            p.legal_basis,
            format_rfc3339(now),
            cases,
        ])?;
    }
    Ok(())
}

/// Seeds the shipped catalogue into an empty procedure table.
pub fn seed_if_empty(tx: &Transaction<'_>, now: Timestamp) -> Result<()> {
    let count: i64 = tx.query_row("SELECT count(*) FROM procedure", [], |r| r.get(0))?;
    if count == 0 {
        upsert(tx, &seed_catalogue(), now)?;
    }
    Ok(())
}

/// Migration step: the procedures of the shipped catalogue are rewritten from it, so a
/// desk seeded from the earlier research catalogue (English notes printed on receipts)
/// gets the clean texts and the time-limit cases. Other procedures keep their one limit
/// as their only case; the centre's next catalogue update replaces both.
pub fn refresh_seeded(tx: &Transaction<'_>) -> Result<()> {
    let count: i64 = tx.query_row("SELECT count(*) FROM procedure", [], |r| r.get(0))?;
    if count > 0 {
        upsert(tx, &seed_catalogue(), crate::domain::clock::now_vn())?;
    }
    Ok(())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<Procedure>> {
    let code: String = r.get(0)?;
    let value: Option<u32> = r.get(4)?;
    let unit: Option<String> = r.get(5)?;
    let documents: String = r.get(9)?;
    let cases: Option<String> = r.get(11)?;
    let built = (|| {
        let time_limits = match cases {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::decode("thời hạn giải quyết", e))?,
            None => match (value, unit.as_deref().and_then(TimeUnit::from_code)) {
                (Some(value), Some(unit)) => vec![TimeLimitCase {
                    label: String::new(),
                    limit: TimeLimit { value, unit },
                }],
                _ => Vec::new(),
            },
        };
        Ok(Procedure {
            code: ProcedureCode::parse(&code).map_err(|e| StoreError::decode("mã thủ tục", e))?,
            name: r.get(1)?,
            field: r.get(2)?,
            agency: r.get(3)?,
            time_limits,
            fee_text: r.get(7)?,
            fee_amount: r.get(8)?,
            documents: serde_json::from_str(&documents)
                .map_err(|e| StoreError::decode("thành phần hồ sơ", e))?,
            legal_basis: r.get(10)?,
        })
    })();
    Ok(built)
}

impl Store {
    pub fn procedure(&self, code: &ProcedureCode) -> Result<Procedure> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM procedure WHERE code = ?1"),
                [code.as_str()],
                from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownProcedure(code.to_string()))?
    }

    /// All procedures, by code.
    pub fn procedures(&self) -> Result<Vec<Procedure>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM procedure ORDER BY code"))?;
        let rows = stmt.query_map([], from_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }

    /// Procedures whose code starts with the query or whose name or field holds every
    /// word of it, with or without diacritics ("khai sinh", "chung thuc ban sao").
    pub fn find_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        Ok(self
            .procedures()?
            .into_iter()
            .filter(|p| p.matches(query))
            .collect())
    }
}
