//! The tracking book (Sổ theo dõi hồ sơ) as queries: where a dossier stands in its
//! year's book, and which dossiers were received in a period.
//!
//! One electronic book per unit and year (TT 01/2018 Art 10(2): a book per year,
//! numbers running from 1 through the year). The sequence is the dossier's rank by
//! receipt time among the dossiers this desk knows; dossiers of other desks that
//! arrive later by sync can shift it, so it is computed when printed, not stored.

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::params;

use crate::domain::clock::to_wall;
use crate::domain::dossier_code::DossierCode;
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// A dossier's place in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookPosition {
    pub year: i32,
    pub seq: u32,
}

use crate::domain::clock::day_key as day_start;

impl Store {
    /// Where dossier `code` stands in its receipt year's book.
    pub fn book_position(&self, code: &str) -> Result<BookPosition> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        let state = self.dossier(&code.to_string())?;
        let received = state.content.received_at;
        let year = to_wall(received).year();
        let start = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| StoreError::Invalid(format!("năm {year} không hợp lệ")))?;
        let stored: String = self.conn().query_row(
            "SELECT received_at FROM dossier WHERE code = ?1",
            [code.to_string()],
            |r| r.get(0),
        )?;
        let seq: u32 = self.conn().query_row(
            "SELECT count(*) FROM dossier
             WHERE received_at >= ?1 AND (received_at < ?2 OR (received_at = ?2 AND code <= ?3))",
            params![day_start(start), stored, code.to_string()],
            |r| r.get(0),
        )?;
        Ok(BookPosition { year, seq })
    }

    /// The codes of the dossiers received from `from` to `to` (whole days, Vietnam
    /// time), in book order.
    pub fn received_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<String>> {
        if to < from {
            return Err(StoreError::Invalid(format!(
                "Ngày kết thúc {} trước ngày bắt đầu {}",
                to.format("%d/%m/%Y"),
                from.format("%d/%m/%Y")
            )));
        }
        let end = to
            .checked_add_days(Days::new(1))
            .ok_or_else(|| StoreError::Invalid("ngày kết thúc không hợp lệ".into()))?;
        let mut stmt = self.conn().prepare(
            "SELECT code FROM dossier WHERE received_at >= ?1 AND received_at < ?2
             ORDER BY received_at, code",
        )?;
        let codes = stmt
            .query_map(params![day_start(from), day_start(end)], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(codes)
    }
}
