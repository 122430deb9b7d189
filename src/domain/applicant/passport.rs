//! A foreigner's passport number and nationality (hộ tịch có yếu tố nước ngoài is handled
//! at commune level since 1/7/2025).
//!
//! Passport numbers follow ICAO Doc 9303: letters A–Z and digits, 9 characters in the
//! machine-readable zone, some states longer. We accept 5–15 after dropping spaces and
//! dashes, upper-cased, so a slip of the keyboard is caught without refusing a real
//! passport whose format we do not know.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ApplicantError;
use crate::domain::text;

const PASSPORT_MIN: usize = 5;
const PASSPORT_MAX: usize = 15;
const NATIONALITY_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Passport(String);

impl Passport {
    pub fn parse(raw: &str) -> Result<Self, ApplicantError> {
        let shown = text::nfc(raw.trim());
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        if compact.is_empty() {
            return Err(ApplicantError::PassportEmpty);
        }
        if !compact
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(ApplicantError::PassportChars(shown));
        }
        if !(PASSPORT_MIN..=PASSPORT_MAX).contains(&compact.len()) {
            return Err(ApplicantError::PassportLength(compact.len()));
        }
        if !compact.bytes().any(|b| b.is_ascii_digit()) {
            return Err(ApplicantError::PassportChars(shown));
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Passport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Passport {
    type Error = ApplicantError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Passport> for String {
    fn from(p: Passport) -> Self {
        p.0
    }
}

/// Nationality as written on the passport, in Vietnamese or the passport's own words
/// ("Hàn Quốc", "Republic of Korea"): required, letters, spaces and a few signs.
pub fn validate_nationality(raw: &str) -> Result<String, ApplicantError> {
    let cleaned = text::clean_field("nationality", "Quốc tịch", raw, NATIONALITY_MAX, true)
        .map_err(ApplicantError::Text)?;
    let s = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = s.chars().find(|c| {
        !(c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '.' | ',' | '(' | ')'))
    }) {
        return Err(ApplicantError::NationalityChar(c));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passports_are_compacted_and_upper_cased() {
        assert_eq!(
            Passport::parse(" m1234 5678 ").map(|p| p.0),
            Ok("M12345678".into())
        );
        assert_eq!(
            Passport::parse("C1234567").map(|p| p.0),
            Ok("C1234567".into())
        );
        assert_eq!(Passport::parse(""), Err(ApplicantError::PassportEmpty));
        assert_eq!(
            Passport::parse("AB12"),
            Err(ApplicantError::PassportLength(4))
        );
        assert_eq!(
            Passport::parse("M1234/5678").map_err(|e| e.to_string()),
            Err(
                "Số hộ chiếu 'M1234/5678' chỉ được gồm chữ cái Latinh không dấu và chữ số, \
                 có ít nhất một chữ số"
                    .into()
            )
        );
        assert!(Passport::parse("ABCDEFGH").is_err(), "no digit at all");
    }

    #[test]
    fn nationality() {
        assert_eq!(validate_nationality("  Hàn   Quốc "), Ok("Hàn Quốc".into()));
        assert_eq!(
            validate_nationality("").map_err(|e| e.to_string()),
            Err("Quốc tịch không được để trống".into())
        );
        assert_eq!(
            validate_nationality("Korea 1"),
            Err(ApplicantError::NationalityChar('1'))
        );
    }
}
