//! The numbers a dossier is given once, at intake, and printed on every paper after:
//! the receipt's "Số: N/TTPVHCC" and its place in its lĩnh vực's tracking book
//! ("Vào Sổ theo dõi hồ sơ, Quyển số: 02/2026 Số thứ tự: 15").
//!
//! NĐ 30/2020 Art 15(1): a number is unique within a year. Desks of one unit work
//! offline, so, as for the dossier code (`dossier_code`), each desk owns a range and
//! never needs to ask another:
//!
//! - **Receipt number**: desk k numbers k×100000+1 … k×100000+99999 through the receipt
//!   year (desk 0: 1, 2, 3 …; desk 1: 100001, 100002 …). Ranges of different desks
//!   are disjoint, and a desk takes the next number of its own range inside the
//!   transaction that writes the receipt, so no two dossiers of a unit and year share
//!   one. A single-desk ward prints plain 1, 2, 3; desk k's numbers read "k, then the
//!   count", like its dossier codes k001, k002.
//! - **Book place**: each desk keeps its own volume (quyển) of every lĩnh vực's book of
//!   the year, Quyển số = desk index + 1 ("02/2026" for desk 1), its Số thứ tự running
//!   1, 2, 3 … per lĩnh vực. The pair (quyển, số thứ tự) is unique within a lĩnh vực
//!   and year because the quyển belongs to one desk and that desk counts in one
//!   transaction.
//!
//! Dossiers received before numbers existed (and events of an older desk arriving by
//! sync) carry none; they get numbers that are a pure function of their dossier code,
//! so every desk and the centre compute the same ones, whatever order events arrive
//! in: [`legacy`]. These are MMDD×10000 + NNNN of the code (1207 0003 for
//! `…-261207-0003`), at least 1 010 001, above every range number (at most 999 999),
//! and unique because the code is unique within the unit.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use chrono::Datelike;

use crate::domain::dossier_code::{DeskIndex, DossierCode};

/// How many receipts (and book lines per lĩnh vực) a desk may number in one year.
pub const NUMBERS_PER_DESK_YEAR: u32 = 99_999;

/// The numbers given at intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct IntakeNumbers {
    /// Số of the receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả).
    pub receipt: u32,
    /// Quyển số of the lĩnh vực's book of the receipt year: the desk's volume.
    pub volume: u8,
    /// Số thứ tự in that volume.
    pub seq: u32,
}

impl IntakeNumbers {
    /// Quyển số as printed: "02/2026".
    pub fn volume_vi(&self, year: i32) -> String {
        format!("{:02}/{year}", self.volume)
    }
}

/// Receipt numbers desk `desk` may give in a year.
pub fn receipt_range(desk: DeskIndex) -> RangeInclusive<u32> {
    let base = u32::from(desk.get()) * 100_000;
    base + 1..=base + NUMBERS_PER_DESK_YEAR
}

/// Book numbers (Số thứ tự) a desk's volume holds.
pub fn seq_range() -> RangeInclusive<u32> {
    1..=NUMBERS_PER_DESK_YEAR
}

/// The volume (Quyển số) of desk `desk`.
pub fn volume_of(desk: DeskIndex) -> u8 {
    desk.get() + 1
}

/// The desk whose range a dossier code's number lies in (k×1000+…).
pub fn desk_of(code: &DossierCode) -> u8 {
    // Numbers run 1–9999, so the quotient is 0–9.
    (code.number() / 1000) as u8
}

/// The next number after `last` (the highest this desk used, `None` if none) in
/// `range`, or `None` when the range is used up.
pub fn next_in(range: &RangeInclusive<u32>, last: Option<u32>) -> Option<u32> {
    match last {
        None => Some(*range.start()),
        Some(l) if l < *range.start() => Some(*range.start()),
        Some(l) if l >= *range.end() => None,
        Some(l) => Some(l + 1),
    }
}

/// The numbers of a dossier whose receipt carries none: a pure function of its code
/// (see the module note), the same on every machine.
pub fn legacy(code: &DossierCode) -> IntakeNumbers {
    let date = code.date();
    let number = date.month() * 1_000_000 + date.day() * 10_000 + u32::from(code.number());
    IntakeNumbers {
        receipt: number,
        volume: desk_of(code) + 1,
        seq: number,
    }
}

/// The numbers a dossier prints: those of its receipt, or the legacy ones.
pub fn effective(code: &DossierCode, carried: Option<IntakeNumbers>) -> IntakeNumbers {
    carried.unwrap_or_else(|| legacy(code))
}

/// Checks numbers another machine sent with a receipt: they lie in the range of the
/// desk whose code range the dossier's code lies in, so a peer can neither take another
/// desk's numbers nor forge legacy ones.
pub fn check(code: &DossierCode, numbers: &IntakeNumbers) -> Result<(), String> {
    let desk = DeskIndex::new(desk_of(code)).map_err(|e| e.to_string())?;
    let range = receipt_range(desk);
    if !range.contains(&numbers.receipt) {
        return Err(format!(
            "Số tiếp nhận {} của hồ sơ {code} nằm ngoài dải {}–{} của quầy số {desk}",
            numbers.receipt,
            range.start(),
            range.end()
        ));
    }
    if numbers.volume != volume_of(desk) {
        return Err(format!(
            "Quyển số {:02} của hồ sơ {code} không phải quyển của quầy số {desk} ({:02})",
            numbers.volume,
            volume_of(desk)
        ));
    }
    if !seq_range().contains(&numbers.seq) {
        return Err(format!(
            "Số thứ tự {} của hồ sơ {code} phải từ 1 đến {NUMBERS_PER_DESK_YEAR}",
            numbers.seq
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DossierCode {
        DossierCode::parse(s).expect("code")
    }

    fn desk(k: u8) -> DeskIndex {
        DeskIndex::new(k).expect("desk")
    }

    #[test]
    fn desk_ranges_are_disjoint_and_below_every_legacy_number() {
        let mut last_end = 0;
        for k in 0..=9 {
            let r = receipt_range(desk(k));
            assert!(*r.start() > last_end, "desk {k} overlaps the one before");
            last_end = *r.end();
        }
        assert!(last_end < 1_000_000);
        let first_legacy = legacy(&code("H22.39.15-260101-0001"));
        assert_eq!(first_legacy.receipt, 1_010_001);
        assert!(first_legacy.receipt > last_end);
    }

    #[test]
    fn legacy_numbers_follow_the_code_and_never_repeat_in_a_year() {
        let a = legacy(&code("H22.39.15-261207-0003"));
        assert_eq!(a.receipt, 12_070_003);
        assert_eq!(a.volume, 1);
        let b = legacy(&code("H22.39.15-261207-1003"));
        assert_eq!((b.receipt, b.volume), (12_071_003, 2));
        let c = legacy(&code("H22.39.15-261027-0003"));
        assert_ne!(a.receipt, c.receipt);
        assert_eq!(legacy(&code("H22.39.15-261231-9999")).receipt, 12_319_999);
    }

    #[test]
    fn next_in_counts_up_and_stops_at_the_end() {
        let r = receipt_range(desk(1));
        assert_eq!(next_in(&r, None), Some(100_001));
        assert_eq!(next_in(&r, Some(100_041)), Some(100_042));
        assert_eq!(next_in(&r, Some(199_999)), None);
    }

    #[test]
    fn check_refuses_numbers_of_another_desk() {
        let c = code("H22.39.15-261207-1004");
        let good = IntakeNumbers {
            receipt: 100_004,
            volume: 2,
            seq: 3,
        };
        assert_eq!(check(&c, &good), Ok(()));
        let other_range = IntakeNumbers { receipt: 4, ..good };
        assert!(check(&c, &other_range).is_err());
        let other_volume = IntakeNumbers { volume: 1, ..good };
        assert!(check(&c, &other_volume).is_err());
        let zero = IntakeNumbers { seq: 0, ..good };
        assert!(check(&c, &zero).is_err());
    }
}
