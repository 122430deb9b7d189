//! The enterprise code (mã số doanh nghiệp, which is also the tax code, mã số thuế) of
//! an organisation: 10 digits, the 10th a check digit over the first nine; a branch or
//! dependent unit adds `-NNN` (001–999) to its parent's 10 digits.
//!
//! The check digit: Σ dᵢ·wᵢ over the first nine digits with weights
//! 31, 29, 23, 19, 17, 13, 7, 5, 3; the check digit is 10 − (Σ mod 11). A remainder of
//! 0 would need "10", so no valid code has it. Verified against published codes
//! (Viettel 0100109106, FPT 0101248141, Vinamilk 0300588569) and the algorithm of
//! python-stdnum / stdnum-js `vn.mst`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ApplicantError;
use crate::domain::text;

const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// A checked enterprise/tax code, stored as `NNNNNNNNNN` or `NNNNNNNNNN-NNN`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

/// The check digit of the first nine digits, or `None` when no digit fits.
fn check_digit(first9: &[u8]) -> Option<u8> {
    let sum: u32 = first9
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let r = sum % 11;
    (r != 0).then(|| (10 - r) as u8)
}

impl TaxCode {
    /// Parses a code typed with or without spaces, dots and a dash before the branch part.
    pub fn parse(raw: &str) -> Result<Self, ApplicantError> {
        let shown = text::nfc(raw.trim());
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
            .collect();
        if compact.is_empty() {
            return Err(ApplicantError::TaxCodeEmpty);
        }
        if !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApplicantError::TaxCodeNotDigits(shown));
        }
        if compact.len() != 10 && compact.len() != 13 {
            return Err(ApplicantError::TaxCodeLength(compact.len()));
        }
        let b = compact.as_bytes();
        if &compact[2..9] == "0000000" || &compact[..2] == "00" {
            return Err(ApplicantError::TaxCodeInvalid(shown));
        }
        if check_digit(&b[..9]) != Some(b[9] - b'0') {
            return Err(ApplicantError::TaxCodeCheckDigit(shown));
        }
        if compact.len() == 13 {
            if &compact[10..] == "000" {
                return Err(ApplicantError::TaxCodeInvalid(shown));
            }
            return Ok(Self(format!("{}-{}", &compact[..10], &compact[10..])));
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a branch or dependent unit (10-3 form).
    pub fn is_branch(&self) -> bool {
        self.0.len() == 14
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TaxCode {
    type Error = ApplicantError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<TaxCode> for String {
    fn from(c: TaxCode) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_pass() {
        for code in ["0100109106", "0101248141", "0300588569", "0314409058"] {
            assert_eq!(TaxCode::parse(code).map(|c| c.0), Ok(code.to_string()));
        }
        let branch = TaxCode::parse(" 0101248141 - 001 ").expect("branch");
        assert_eq!(branch.as_str(), "0101248141-001");
        assert!(branch.is_branch());
        assert_eq!(
            TaxCode::parse("0101248141001").map(|c| c.0),
            Ok("0101248141-001".into())
        );
        assert_eq!(
            TaxCode::parse("0100.109.106").map(|c| c.0),
            Ok("0100109106".into())
        );
    }

    #[test]
    fn every_single_digit_slip_in_the_body_is_caught() {
        // Weights are all non-zero mod 11, so any one changed digit changes the sum.
        let good = b"0100109106";
        for pos in 0..10 {
            for d in b'0'..=b'9' {
                if d == good[pos] {
                    continue;
                }
                let mut bad = good.to_vec();
                bad[pos] = d;
                let bad = String::from_utf8(bad).expect("ascii");
                assert!(TaxCode::parse(&bad).is_err(), "{bad} accepted");
            }
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let msg = |s: &str| TaxCode::parse(s).map_err(|e| e.to_string()).err();
        assert_eq!(
            msg("0100109107").as_deref(),
            Some(
                "Mã số doanh nghiệp 0100109107 sai chữ số kiểm tra (chữ số thứ 10); \
                 hãy đối chiếu lại với Giấy chứng nhận đăng ký doanh nghiệp"
            )
        );
        assert_eq!(
            msg("01001091").as_deref(),
            Some(
                "Mã số doanh nghiệp gồm 10 chữ số, hoặc 13 chữ số (dạng 10-3) với đơn vị \
                 phụ thuộc (đã nhập 8 chữ số)"
            )
        );
        assert_eq!(
            msg("").as_deref(),
            Some("Mã số doanh nghiệp không được để trống")
        );
        assert!(msg("01001O9106").is_some_and(|m| m.contains("chỉ được gồm chữ số")));
        assert!(msg("0101248141-000").is_some());
        assert!(serde_json::from_str::<TaxCode>("\"0100109107\"").is_err());
    }
}
