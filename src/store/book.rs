//! The numbers given at intake (see `domain::numbers`) and the tracking book (Sổ theo
//! dõi hồ sơ) they make: the next free numbers of this desk's range, taken inside the
//! intake's transaction, and the dossiers received in a period in book order.
//!
//! One book per lĩnh vực and year (TT 01/2018 Art 10(2)), one volume (quyển) of it per
//! desk. The numbers are stored with the receipt and never recomputed: a reprint, a
//! sync or another desk's dossier cannot move them.

use chrono::{Days, NaiveDate};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::clock::day_key as day_start;
use crate::domain::dossier_code::{DeskIndex, DossierCode};
use crate::domain::event::{Event, EventBody};
use crate::domain::numbers::{
    IntakeNumbers, NUMBERS_PER_DESK_YEAR, next_in, receipt_range, seq_range, volume_of,
};
use crate::store::Store;
use crate::store::error::{Result, StoreError};

/// The first and last possible codes of `code`'s unit in `code`'s year.
fn year_bounds(code: &DossierCode) -> (String, String) {
    let s = code.to_string();
    // `{unit}-YYMMDD-NNNN`: the unit and "-YY" are the first len-11+2 characters.
    let head = &s[..s.len() - 9];
    (format!("{head}0101-0000"), format!("{head}1231-9999"))
}

/// The next receipt number and book place of `desk` for the dossier `code` of lĩnh vực
/// `field`, read and used in the caller's transaction (the intake's), so two intakes
/// of this desk never get the same numbers. Numbers other desks hold lie in their own
/// ranges and volumes; the legacy numbers (above every range) are never counted.
pub(crate) fn allocate_numbers(
    tx: &Transaction<'_>,
    code: &DossierCode,
    desk: DeskIndex,
    field: &str,
) -> Result<IntakeNumbers> {
    let (low, high) = year_bounds(code);
    let receipts = receipt_range(desk);
    let last_receipt: Option<u32> = tx
        .query_row(
            "SELECT max(receipt_no) FROM dossier
             WHERE receipt_no BETWEEN ?1 AND ?2 AND code BETWEEN ?3 AND ?4",
            params![*receipts.start(), *receipts.end(), low, high],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let year = code.date().format("%Y");
    let receipt = next_in(&receipts, last_receipt).ok_or_else(|| {
        StoreError::Invalid(format!(
            "Quầy số {desk} đã dùng hết {NUMBERS_PER_DESK_YEAR} số tiếp nhận của năm {year} \
             (dải {}–{}); hãy tiếp nhận tại quầy khác hoặc liên hệ Trung tâm",
            receipts.start(),
            receipts.end()
        ))
    })?;
    let volume = volume_of(desk);
    let seqs = seq_range();
    let last_seq: Option<u32> = tx
        .query_row(
            "SELECT max(book_seq) FROM dossier
             WHERE book_field = ?1 AND book_volume = ?2 AND book_seq BETWEEN ?3 AND ?4
               AND code BETWEEN ?5 AND ?6",
            params![field, volume, *seqs.start(), *seqs.end(), low, high],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let seq = next_in(&seqs, last_seq).ok_or_else(|| {
        StoreError::Invalid(format!(
            "Quyển số {volume:02}/{year} của sổ lĩnh vực {field} đã đủ {NUMBERS_PER_DESK_YEAR} \
             hồ sơ; hãy tiếp nhận tại quầy khác hoặc liên hệ Trung tâm"
        ))
    })?;
    Ok(IntakeNumbers {
        receipt,
        volume,
        seq,
    })
}

/// Why a receipt from another machine cannot be applied because its numbers are
/// already another dossier's of the same year (a desk restored from an old backup, or
/// a forged event): `None` when they are free. The numbers' range was checked by
/// `domain::numbers::check` already; this is the uniqueness only the store can see.
pub(crate) fn numbers_taken(tx: &Transaction<'_>, event: &Event) -> Result<Option<String>> {
    let EventBody::Received {
        numbers: Some(n),
        content,
        ..
    } = &event.body
    else {
        return Ok(None);
    };
    let (low, high) = year_bounds(&event.dossier);
    let holder: Option<String> = tx
        .prepare_cached(
            "SELECT code FROM dossier
             WHERE code BETWEEN ?1 AND ?2 AND code <> ?3
               AND (receipt_no = ?4
                    OR (book_field = ?5 AND book_volume = ?6 AND book_seq = ?7))
             LIMIT 1",
        )?
        .query_row(
            params![
                low,
                high,
                event.dossier.to_string(),
                n.receipt,
                content.procedure.field,
                n.volume,
                n.seq
            ],
            |r| r.get(0),
        )
        .optional()?;
    Ok(holder.map(|h| {
        format!(
            "Số tiếp nhận {} hoặc Quyển số {:02}, Số thứ tự {} của hồ sơ {} đã được cấp cho hồ              sơ {h}; sự kiện tiếp nhận không được áp dụng",
            n.receipt, n.volume, n.seq, event.dossier
        )
    }))
}

impl Store {
    /// The codes of the dossiers received from `from` to `to` (whole days, Vietnam
    /// time), in receipt order.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_bounds_hold_every_code_of_the_year_and_no_other() {
        let code = DossierCode::parse("H22.39.15-260615-1002").expect("code");
        let (low, high) = year_bounds(&code);
        assert_eq!(low, "H22.39.15-260101-0000");
        assert_eq!(high, "H22.39.15-261231-9999");
        assert!(low.as_str() < "H22.39.15-260101-0001");
        assert!(high.as_str() > "H22.39.15-261231-9999".replace("9999", "9998").as_str());
        assert!("H22.39.15-270101-0001" > high.as_str());
        assert!("H22.39.15-251231-9999" < low.as_str());
    }
}
