//! The dossier code (mã hồ sơ) `{unit code}-{YYMMDD}-{NNNN}` (TT 01/2018 Art 19, kept by
//! TT 03/2025), e.g. `H22.39.15-261127-0001` or the older `000.00.06.H56-231027-0361`.
//!
//! The 4-digit number restarts every day and must be unique within the unit even while
//! desks are offline, so each desk owns a fixed daily range (design §3): desk k numbers
//! k×1000+1 … k×1000+999 (desk 0: 0001–0999, desk 9: 9001–9999). No desk can collide with
//! another without talking to it; the price is at most 999 dossiers per desk per day.
//!
//! The later TT 04/2025 format `…-YYMMDD-AAXXXX` (6-digit tail, centrally hosted
//! services) is not produced by a desk and is rejected here.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::unit::{UnitCode, UnitCodeError};

/// How many numbers each desk has per day.
pub const NUMBERS_PER_DESK: u16 = 999;

/// A dossier's code: receiving unit, receipt date, daily number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode {
    unit: UnitCode,
    date: NaiveDate,
    number: u16,
}

/// A desk's index within its unit, 0–9, given at enrollment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct DeskIndex(u8);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DossierCodeError {
    #[error(
        "Mã hồ sơ '{0}' không đúng dạng <mã đơn vị>-YYMMDD-NNNN \
         (ví dụ H22.39.15-261127-0001)"
    )]
    Format(String),
    #[error("Mã hồ sơ có mã đơn vị không hợp lệ: {0}")]
    Unit(UnitCodeError),
    #[error("Phần ngày '{0}' trong mã hồ sơ không phải ngày có thật dạng YYMMDD (năm 20YY)")]
    Date(String),
    #[error("Số thứ tự '{0}' trong mã hồ sơ phải gồm đúng 4 chữ số, từ 0001 đến 9999")]
    NumberText(String),
    #[error("Số thứ tự hồ sơ phải từ 1 đến 9999 (nhận được {0})")]
    NumberOutOfRange(u16),
    #[error(
        "Năm tiếp nhận {0} nằm ngoài khoảng 2000–2099 mà mã hồ sơ (YYMMDD) biểu diễn được; \
         hãy kiểm tra đồng hồ của máy"
    )]
    YearOutOfRange(i32),
    #[error("Số thứ tự quầy phải từ 0 đến 9 (nhận được {0})")]
    DeskIndex(u8),
    #[error(
        "Quầy số {desk} đã dùng hết {NUMBERS_PER_DESK} số thứ tự của dải {first:04}–{last:04} \
         trong ngày {day}; hãy tiếp nhận hồ sơ này tại quầy khác hoặc liên hệ Trung tâm \
         để được hỗ trợ",
        first = .range.start(),
        last = .range.end(),
        day = .day.format("%d/%m/%Y")
    )]
    Exhausted {
        desk: u8,
        day: NaiveDate,
        range: RangeInclusive<u16>,
    },
    #[error(
        "Lỗi chương trình: số thứ tự {number:04} không thuộc dải {first:04}–{last:04} của quầy số {desk}",
        first = .range.start(),
        last = .range.end()
    )]
    ForeignNumber {
        desk: u8,
        number: u16,
        range: RangeInclusive<u16>,
    },
}

impl DeskIndex {
    pub fn new(index: u8) -> Result<Self, DossierCodeError> {
        if index <= 9 {
            Ok(Self(index))
        } else {
            Err(DossierCodeError::DeskIndex(index))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for DeskIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u8> for DeskIndex {
    type Error = DossierCodeError;
    fn try_from(index: u8) -> Result<Self, Self::Error> {
        Self::new(index)
    }
}

impl From<DeskIndex> for u8 {
    fn from(desk: DeskIndex) -> Self {
        desk.0
    }
}

/// The daily numbers desk `desk` may use: k×1000+1 ..= k×1000+999.
pub fn desk_range(desk: DeskIndex) -> RangeInclusive<u16> {
    let base = u16::from(desk.0) * 1000;
    base + 1..=base + NUMBERS_PER_DESK
}

/// The next free number of `desk` on `day`, given the highest number that desk has used
/// that day (`None` if none yet). `day` is only used to word the error.
///
/// The caller must look up `last_used_today` within this desk's range only (e.g.
/// `MAX(number)` over codes starting with [`code_prefix_for_day`] and with the number in
/// [`desk_range`]): a number outside the range means the query is wrong, and is refused
/// with [`DossierCodeError::ForeignNumber`] instead of silently continuing another desk's
/// sequence.
pub fn next_number(
    desk: DeskIndex,
    day: NaiveDate,
    last_used_today: Option<u16>,
) -> Result<u16, DossierCodeError> {
    let range = desk_range(desk);
    match last_used_today {
        None => Ok(*range.start()),
        Some(last) if !range.contains(&last) => Err(DossierCodeError::ForeignNumber {
            desk: desk.0,
            number: last,
            range,
        }),
        Some(last) if last == *range.end() => Err(DossierCodeError::Exhausted {
            desk: desk.0,
            day,
            range,
        }),
        Some(last) => Ok(last + 1),
    }
}

/// `"{unit}-{YYMMDD}-"`: the prefix every code of that unit and day starts with, for a
/// `LIKE 'prefix%'` query. Unit codes contain only `A–Z 0–9 .`, so the prefix needs no
/// LIKE escaping. `date` must lie in 2000–2099 (checked by [`DossierCode::new`]).
pub fn code_prefix_for_day(unit: &UnitCode, date: NaiveDate) -> String {
    format!("{}-{}-", unit, date.format("%y%m%d"))
}

impl DossierCode {
    pub fn new(unit: UnitCode, date: NaiveDate, number: u16) -> Result<Self, DossierCodeError> {
        if !(2000..=2099).contains(&date.year()) {
            return Err(DossierCodeError::YearOutOfRange(date.year()));
        }
        if !(1..=9999).contains(&number) {
            return Err(DossierCodeError::NumberOutOfRange(number));
        }
        Ok(Self { unit, date, number })
    }

    /// Parses `{unit}-{YYMMDD}-{NNNN}`, ignoring surrounding whitespace (a scanned receipt
    /// barcode usually ends with CR/LF).
    pub fn parse(raw: &str) -> Result<Self, DossierCodeError> {
        let s = raw.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let [unit, date, number] = parts.as_slice() else {
            return Err(DossierCodeError::Format(s.to_string()));
        };
        let unit = UnitCode::parse(unit).map_err(DossierCodeError::Unit)?;
        let date = parse_yymmdd(date).ok_or_else(|| DossierCodeError::Date(date.to_string()))?;
        if number.len() != 4 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DossierCodeError::NumberText(number.to_string()));
        }
        let number: u16 = number
            .parse()
            .map_err(|_| DossierCodeError::NumberText(number.to_string()))?;
        if number == 0 {
            return Err(DossierCodeError::NumberText("0000".to_string()));
        }
        Self::new(unit, date, number)
    }

    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    pub fn number(&self) -> u16 {
        self.number
    }
}

fn parse_yymmdd(s: &str) -> Option<NaiveDate> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: i32 = s.get(0..2)?.parse().ok()?;
    let mm: u32 = s.get(2..4)?.parse().ok()?;
    let dd: u32 = s.get(4..6)?.parse().ok()?;
    NaiveDate::from_ymd_opt(2000 + yy, mm, dd)
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{:04}",
            code_prefix_for_day(&self.unit, self.date),
            self.number
        )
    }
}

impl FromStr for DossierCode {
    type Err = DossierCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DossierCode {
    type Error = DossierCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<DossierCode> for String {
    fn from(code: DossierCode) -> Self {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(s: &str) -> UnitCode {
        UnitCode::parse(s).expect("test unit code is valid")
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
    }

    fn desk(k: u8) -> DeskIndex {
        DeskIndex::new(k).expect("test desk index is valid")
    }

    #[test]
    fn display_and_parse_round_trip() {
        let code = DossierCode::new(unit("H22.39.15"), day(2026, 11, 27), 1);
        let code = code.expect("valid code");
        assert_eq!(code.to_string(), "H22.39.15-261127-0001");
        assert_eq!(
            DossierCode::parse("H22.39.15-261127-0001"),
            Ok(code.clone())
        );
        assert_eq!(code.unit().as_str(), "H22.39.15");
        assert_eq!(code.date(), day(2026, 11, 27));
        assert_eq!(code.number(), 1);

        let old = DossierCode::parse(" 000.00.06.H56-231027-0361\r\n").expect("real example");
        assert_eq!(old.to_string(), "000.00.06.H56-231027-0361");
        assert_eq!(old.number(), 361);
    }

    #[test]
    fn parse_rejects_bad_codes() {
        use DossierCodeError as E;
        assert_eq!(
            DossierCode::parse("H22.39.15-261127"),
            Err(E::Format("H22.39.15-261127".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-39-261127-0001"),
            Err(E::Format("H22-39-261127-0001".into()))
        );
        assert!(matches!(
            DossierCode::parse("h22.39.15-261127-0001"),
            Err(E::Unit(UnitCodeError::Lowercase { .. }))
        ));
        assert_eq!(
            DossierCode::parse("H22-260230-0001"),
            Err(E::Date("260230".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-2611-0001"),
            Err(E::Date("2611".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-261127-001"),
            Err(E::NumberText("001".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-261127-000123"),
            Err(E::NumberText("000123".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-261127-+001"),
            Err(E::NumberText("+001".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-261127-0000"),
            Err(E::NumberText("0000".into()))
        );
        assert_eq!(
            DossierCode::parse("H22-240229-9999").map(|c| c.number()),
            Ok(9999)
        );
        assert_eq!(
            DossierCode::parse("H22-261127-00x1")
                .map_err(|e| e.to_string())
                .err()
                .as_deref(),
            Some("Số thứ tự '00x1' trong mã hồ sơ phải gồm đúng 4 chữ số, từ 0001 đến 9999")
        );
    }

    #[test]
    fn new_checks_year_and_number() {
        assert_eq!(
            DossierCode::new(unit("H22"), day(2100, 1, 1), 1),
            Err(DossierCodeError::YearOutOfRange(2100))
        );
        assert_eq!(
            DossierCode::new(unit("H22"), day(2026, 1, 1), 0),
            Err(DossierCodeError::NumberOutOfRange(0))
        );
        assert_eq!(
            DossierCode::new(unit("H22"), day(2026, 1, 1), 10000),
            Err(DossierCodeError::NumberOutOfRange(10000))
        );
    }

    #[test]
    fn serde_as_string() -> Result<(), serde_json::Error> {
        let code = DossierCode::parse("H56.14-250701-2001").map_err(serde::de::Error::custom)?;
        let json = serde_json::to_string(&code)?;
        assert_eq!(json, "\"H56.14-250701-2001\"");
        assert_eq!(serde_json::from_str::<DossierCode>(&json)?, code);
        assert!(serde_json::from_str::<DossierCode>("\"H56.14-250732-0001\"").is_err());
        assert_eq!(serde_json::to_string(&desk(3))?, "3");
        assert!(serde_json::from_str::<DeskIndex>("10").is_err());
        Ok(())
    }

    #[test]
    fn desk_index_bounds() {
        assert_eq!(DeskIndex::new(9).map(DeskIndex::get), Ok(9));
        assert_eq!(DeskIndex::new(10), Err(DossierCodeError::DeskIndex(10)));
        assert_eq!(
            DeskIndex::new(10).map_err(|e| e.to_string()),
            Err("Số thứ tự quầy phải từ 0 đến 9 (nhận được 10)".to_string())
        );
    }

    #[test]
    fn desk_ranges_are_disjoint_and_fit_four_digits() {
        assert_eq!(desk_range(desk(0)), 1..=999);
        assert_eq!(desk_range(desk(1)), 1001..=1999);
        assert_eq!(desk_range(desk(9)), 9001..=9999);
        for a in 0..10 {
            for b in (a + 1)..10 {
                let (ra, rb) = (desk_range(desk(a)), desk_range(desk(b)));
                assert!(ra.end() < rb.start());
            }
        }
    }

    #[test]
    fn next_number_walks_the_range() {
        let d = day(2026, 11, 27);
        assert_eq!(next_number(desk(0), d, None), Ok(1));
        assert_eq!(next_number(desk(0), d, Some(1)), Ok(2));
        assert_eq!(next_number(desk(2), d, None), Ok(2001));
        assert_eq!(next_number(desk(2), d, Some(2998)), Ok(2999));
        assert_eq!(next_number(desk(9), d, Some(9998)), Ok(9999));
    }

    #[test]
    fn next_number_exhausted() {
        let d = day(2026, 11, 27);
        let err = next_number(desk(2), d, Some(2999));
        assert_eq!(
            err,
            Err(DossierCodeError::Exhausted {
                desk: 2,
                day: d,
                range: 2001..=2999
            })
        );
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err(
                "Quầy số 2 đã dùng hết 999 số thứ tự của dải 2001–2999 trong ngày 27/11/2026; \
                 hãy tiếp nhận hồ sơ này tại quầy khác hoặc liên hệ Trung tâm để được hỗ trợ"
                    .to_string()
            )
        );
        assert!(matches!(
            next_number(desk(0), d, Some(999)),
            Err(DossierCodeError::Exhausted { desk: 0, .. })
        ));
    }

    #[test]
    fn next_number_refuses_another_desks_number() {
        let d = day(2026, 11, 27);
        assert_eq!(
            next_number(desk(1), d, Some(5)),
            Err(DossierCodeError::ForeignNumber {
                desk: 1,
                number: 5,
                range: 1001..=1999
            })
        );
        assert!(next_number(desk(0), d, Some(0)).is_err());
        assert!(next_number(desk(0), d, Some(1000)).is_err());
    }

    #[test]
    fn prefix_matches_display() {
        let u = unit("H22.39.15");
        let d = day(2026, 11, 27);
        assert_eq!(code_prefix_for_day(&u, d), "H22.39.15-261127-");
        let code = DossierCode::new(u.clone(), d, 1042).expect("valid code");
        assert!(code.to_string().starts_with(&code_prefix_for_day(&u, d)));
        assert_eq!(code.to_string(), "H22.39.15-261127-1042");
    }
}
