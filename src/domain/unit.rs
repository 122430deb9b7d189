//! The receiving unit's electronic ID code (mã định danh điện tử của đơn vị).
//!
//! QĐ 20/2020/QĐ-TTg issues codes read left to right, from the level-1 group down, e.g.
//! `H22` (a province), `H22.39` (a district/commune authority), `H22.39.15`. Before 2020
//! codes were written right to left, e.g. `000.00.06.H56`, and still appear on old
//! dossiers. Both are accepted: dot-separated groups of `A–Z 0–9`, at most 35 characters,
//! with at least one group containing a letter (the level-1 code such as `H22`/`H56`).
//! The code starts every dossier code, so it never contains `-`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// QĐ 20/2020/QĐ-TTg: at most 35 characters.
pub const MAX_UNIT_CODE_LEN: usize = 35;

/// A validated unit code: uppercase ASCII letters, digits and dots, as issued.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitCodeError {
    #[error("Mã định danh đơn vị không được để trống")]
    Empty,
    #[error(
        "Mã định danh đơn vị chỉ gồm chữ in hoa A–Z, chữ số 0–9 và dấu chấm; \
         ký tự '{ch}' ở vị trí {position} không hợp lệ"
    )]
    InvalidChar { ch: char, position: usize },
    #[error("Mã định danh đơn vị phải viết chữ in hoa: hãy nhập '{suggestion}' thay cho '{input}'")]
    Lowercase { input: String, suggestion: String },
    #[error("Mã định danh đơn vị dài tối đa {MAX_UNIT_CODE_LEN} ký tự (đã nhập {len})")]
    TooLong { len: usize },
    #[error("Mã định danh đơn vị '{0}' không được bắt đầu hoặc kết thúc bằng dấu chấm")]
    EdgeDot(String),
    #[error(
        "Mã định danh đơn vị '{0}' có hai dấu chấm liền nhau; mỗi nhóm giữa hai dấu chấm phải có ký tự"
    )]
    EmptyGroup(String),
    #[error(
        "Mã định danh đơn vị '{0}' thiếu nhóm mã cấp 1 có chữ cái (ví dụ H22 hoặc H56); \
         hãy nhập đúng mã được cấp, ví dụ H22.39.15 hoặc 000.00.06.H56"
    )]
    NoLetterGroup(String),
}

impl UnitCode {
    /// Parses a unit code, ignoring surrounding whitespace.
    pub fn parse(raw: &str) -> Result<Self, UnitCodeError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(UnitCodeError::Empty);
        }
        if let Some((i, ch)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '.'))
        {
            return Err(UnitCodeError::InvalidChar {
                ch,
                position: i + 1,
            });
        }
        // Only ASCII from here on, so byte length is the character count.
        if s.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(UnitCodeError::Lowercase {
                input: s.to_string(),
                suggestion: s.to_ascii_uppercase(),
            });
        }
        if s.len() > MAX_UNIT_CODE_LEN {
            return Err(UnitCodeError::TooLong { len: s.len() });
        }
        if s.starts_with('.') || s.ends_with('.') {
            return Err(UnitCodeError::EdgeDot(s.to_string()));
        }
        if s.contains("..") {
            return Err(UnitCodeError::EmptyGroup(s.to_string()));
        }
        if !s
            .split('.')
            .any(|group| group.bytes().any(|b| b.is_ascii_uppercase()))
        {
            return Err(UnitCodeError::NoLetterGroup(s.to_string()));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for UnitCode {
    type Err = UnitCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for UnitCode {
    type Error = UnitCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<UnitCode> for String {
    fn from(code: UnitCode) -> Self {
        code.0
    }
}

/// The receiving unit (đơn vị) as printed on every form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub code: UnitCode,
    pub name: String,
    /// Cơ quan chủ quản, printed above the unit's name.
    pub authority: String,
    /// Địa danh, printed before the date ("Phường Hồng Gai, ngày …").
    pub place: String,
    pub hours: crate::domain::due::WorkingHours,
}

/// Whether a header looks like the pattern first-run setup once suggested: "UBND tỉnh …"
/// over "UBND phường/xã …". The official header is the commune's UBND over its Trung
/// tâm Phục vụ hành chính công (or Bộ phận Tiếp nhận và Trả kết quả).
pub fn old_header_pattern(unit_name: &str, authority: &str) -> bool {
    let is_ubnd = |folded: &str, level: &[&str]| {
        ["ubnd ", "uy ban nhan dan "].iter().any(|head| {
            folded
                .strip_prefix(head)
                .is_some_and(|rest| level.iter().any(|l| rest.starts_with(l)))
        })
    };
    let unit = crate::domain::text::fold(unit_name);
    let authority = crate::domain::text::fold(authority);
    is_ubnd(&authority, &["tinh", "thanh pho"]) && is_ubnd(&unit, &["phuong", "xa", "dac khu"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_header_pattern_is_recognised() {
        assert!(old_header_pattern(
            "UBND phường Hồng Gai",
            "UBND tỉnh Quảng Ninh"
        ));
        assert!(old_header_pattern(
            "Ủy ban nhân dân xã Tiên Lãng",
            "Ủy ban nhân dân thành phố Hải Phòng"
        ));
        assert!(!old_header_pattern(
            "Trung tâm Phục vụ hành chính công phường Hồng Gai",
            "UBND phường Hồng Gai"
        ));
        assert!(!old_header_pattern(
            "Bộ phận Tiếp nhận và Trả kết quả",
            "UBND xã Tiên Lãng"
        ));
    }

    fn msg(raw: &str) -> String {
        match UnitCode::parse(raw) {
            Ok(code) => panic!("{raw} should be rejected, got {code}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn accepts_both_styles() {
        for ok in [
            "H22.39.15",
            "H56.14",
            "H56",
            "000.00.06.H56",
            "G12.35.01.A02",
        ] {
            assert_eq!(UnitCode::parse(ok).map(|c| c.to_string()), Ok(ok.into()));
        }
        assert_eq!(
            UnitCode::parse("  H22.39.15\n").map(|c| c.as_str().to_string()),
            Ok("H22.39.15".into())
        );
        let max = format!("H{}", "1".repeat(34));
        assert!(UnitCode::parse(&max).is_ok());
    }

    #[test]
    fn rejects_lowercase_with_suggestion() {
        assert_eq!(
            UnitCode::parse("h22.39.15"),
            Err(UnitCodeError::Lowercase {
                input: "h22.39.15".into(),
                suggestion: "H22.39.15".into()
            })
        );
        assert_eq!(
            msg("h56.14"),
            "Mã định danh đơn vị phải viết chữ in hoa: hãy nhập 'H56.14' thay cho 'h56.14'"
        );
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(UnitCode::parse(""), Err(UnitCodeError::Empty));
        assert_eq!(UnitCode::parse("   "), Err(UnitCodeError::Empty));
        assert_eq!(
            UnitCode::parse("H22-39"),
            Err(UnitCodeError::InvalidChar {
                ch: '-',
                position: 4
            })
        );
        assert!(matches!(
            UnitCode::parse("Đ22"),
            Err(UnitCodeError::InvalidChar { ch: 'Đ', .. })
        ));
        assert!(matches!(
            UnitCode::parse("H22 39"),
            Err(UnitCodeError::InvalidChar { ch: ' ', .. })
        ));
        assert_eq!(
            UnitCode::parse(".H22"),
            Err(UnitCodeError::EdgeDot(".H22".into()))
        );
        assert_eq!(
            UnitCode::parse("H22."),
            Err(UnitCodeError::EdgeDot("H22.".into()))
        );
        assert_eq!(
            UnitCode::parse("H22..15"),
            Err(UnitCodeError::EmptyGroup("H22..15".into()))
        );
        assert_eq!(
            UnitCode::parse("000.00.06"),
            Err(UnitCodeError::NoLetterGroup("000.00.06".into()))
        );
        let long = format!("H{}", "1".repeat(35));
        assert_eq!(
            UnitCode::parse(&long),
            Err(UnitCodeError::TooLong { len: 36 })
        );
        assert_eq!(
            msg(&long),
            "Mã định danh đơn vị dài tối đa 35 ký tự (đã nhập 36)"
        );
    }

    #[test]
    fn serde_round_trip_validates() -> Result<(), serde_json::Error> {
        let code = UnitCode::parse("H22.39.15").map_err(serde::de::Error::custom)?;
        let json = serde_json::to_string(&code)?;
        assert_eq!(json, "\"H22.39.15\"");
        assert_eq!(serde_json::from_str::<UnitCode>(&json)?, code);
        assert!(serde_json::from_str::<UnitCode>("\"h22\"").is_err());
        assert!(serde_json::from_str::<UnitCode>("\"H22..1\"").is_err());
        Ok(())
    }
}
