//! Finding dossiers: by code prefix through the code index, by anything else (name,
//! ID number, phone, address, procedure) through FTS5 over folded text.
//!
//! FTS5's unicode61 tokenizer strips tone marks but keeps đ, so both the indexed text
//! and the query are folded by the program (`text::fold`: lowercase, no marks, đ→d).
//! Results come newest first (`ORDER BY rowid DESC`), which FTS5 serves without sorting
//! all matches, so a common name on a million dossiers stays fast.

use rusqlite::{Row, Transaction, params};
use serde::Serialize;

use crate::domain::dossier::DossierState;
use crate::domain::status::Status;
use crate::domain::text;
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::fold_dossier;

/// The folded text a dossier is found by.
pub fn search_text(state: &DossierState) -> String {
    let c = &state.content;
    let a = &c.applicant;
    let mut parts = vec![
        state.code.to_string(),
        a.full_name.clone(),
        a.id_text().to_string(),
        a.address.clone(),
        c.procedure.name.clone(),
    ];
    parts.extend(a.search_words());
    parts.extend(a.phone.clone());
    if let Some(p) = &c.authorised {
        parts.push(p.full_name.clone());
        parts.push(p.id_number.as_str().to_string());
    }
    text::fold(&parts.join(" "))
}

/// Migration step: fills the search text of dossiers written before v2.
pub fn backfill_search_text(tx: &Transaction<'_>) -> Result<()> {
    let codes: Vec<String> = {
        let mut stmt = tx.prepare("SELECT code FROM dossier")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for code in codes {
        if let Some(state) = fold_dossier(tx, &code)? {
            tx.execute(
                "UPDATE dossier SET search_text = ?1 WHERE code = ?2",
                params![search_text(&state), code],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO dossier_fts (dossier_fts) VALUES ('rebuild')",
        [],
    )?;
    Ok(())
}

/// One line of a result list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierSummary {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub status: Status,
    pub received_at: String,
    pub due_at: String,
}

pub(crate) const SUMMARY_COLUMNS: &str = "d.code, d.procedure_code, coalesce(p.name, ''), d.applicant_name, \
     d.id_number, d.phone, d.status, d.received_at, d.due_at";

pub(crate) fn summary(r: &Row<'_>) -> rusqlite::Result<DossierSummary> {
    let status: u8 = r.get(6)?;
    Ok(DossierSummary {
        code: r.get(0)?,
        procedure_code: r.get(1)?,
        procedure_name: r.get(2)?,
        applicant_name: r.get(3)?,
        id_number: r.get(4)?,
        phone: r.get(5)?,
        status: Status::from_code(status).unwrap_or(Status::Received),
        received_at: r.get(7)?,
        due_at: r.get(8)?,
    })
}

/// A query that looks like the start of a dossier code: `H22.39.15-2611…`.
pub(crate) fn code_prefix(query: &str) -> Option<String> {
    let q = query.trim().to_uppercase();
    let (unit, _) = q.split_once('-')?;
    let looks_like_code = !unit.is_empty()
        && unit.chars().any(|c| c.is_ascii_uppercase())
        && q.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    looks_like_code.then_some(q)
}

/// The FTS5 query for folded words: every word must match; with `last_as_prefix`, the
/// last word may be the start of a word (the clerk is still typing it).
pub(crate) fn fts_query(query: &str, last_as_prefix: bool) -> Option<String> {
    let folded = text::fold(query);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if last_as_prefix && i == last {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    Some(terms.join(" "))
}

impl Store {
    /// Dossiers matching `query`, newest first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<DossierSummary>> {
        let limit = i64::try_from(limit.clamp(1, 1000)).unwrap_or(1000);
        if let Some(prefix) = code_prefix(query) {
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure_code
                 WHERE d.code >= ?1 AND d.code < ?2 ORDER BY d.code DESC LIMIT ?3"
            ))?;
            let upper = format!("{prefix}\u{10FFFF}");
            let rows = stmt.query_map(params![prefix, upper, limit], summary)?;
            return rows
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(StoreError::from);
        }
        // Whole words first: FTS5 walks an exact term's list lazily, newest first, and
        // stops at the limit. A prefix term (no prefix index) must merge the lists of
        // every word it matches before the first row comes back, so it is only tried
        // when the words as typed find nothing.
        for last_as_prefix in [false, true] {
            let Some(fts) = fts_query(query, last_as_prefix) else {
                return Ok(Vec::new());
            };
            let found = self.fts_search(&fts, limit)?;
            if !found.is_empty() || last_as_prefix {
                return Ok(found);
            }
        }
        Ok(Vec::new())
    }

    fn fts_search(&self, fts: &str, limit: i64) -> Result<Vec<DossierSummary>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM dossier_fts f
             JOIN dossier d ON d.id = f.rowid
             LEFT JOIN procedure p ON p.code = d.procedure_code
             WHERE dossier_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![fts, limit], summary)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(StoreError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_classified_and_folded() {
        assert_eq!(
            code_prefix("h22.39.15-2611").as_deref(),
            Some("H22.39.15-2611")
        );
        assert_eq!(code_prefix("Nguyễn Văn"), None);
        assert_eq!(
            code_prefix("0912-345"),
            None,
            "digits only: a phone, not a code"
        );
        assert_eq!(
            fts_query("Đặng  Hữu-Nghĩa", false).as_deref(),
            Some("\"dang\" \"huu\" \"nghia\"")
        );
        assert_eq!(
            fts_query("Đặng  Hữu-Ngh", true).as_deref(),
            Some("\"dang\" \"huu\" \"ngh\"*")
        );
        assert_eq!(fts_query(" \"*) ", true), None);
    }
}
