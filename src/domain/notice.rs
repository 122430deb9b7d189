//! The citizen's consent to be told by text message (issue 22 §4; NĐ 61/2018 Art
//! 19(9), 20(4)).
//!
//! The consent is a field of the intake screen and travels in the Received event: the
//! centre sends notices to that number and to no other, so a phone typed for the
//! record alone never receives anything.

use serde::{Deserialize, Serialize};

use crate::domain::applicant::normalise_phone;

/// The mobile number the citizen agreed, at intake, to receive notices on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeConsent {
    /// Domestic digits of a mobile number (`0[35789]` + 8 digits).
    pub phone: String,
}

impl NoticeConsent {
    /// The consent for `raw` as typed: a mobile number (a landline cannot receive a
    /// text), normalised to its domestic digits.
    pub fn new(raw: &str) -> Result<Self, String> {
        let phone = normalise_phone(Some(raw))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "Chưa nhập số điện thoại nhận thông báo".to_string())?;
        if phone.len() != 10 {
            return Err(format!(
                "Số {phone} là số cố định, không nhận được tin nhắn: hãy nhập số di động"
            ));
        }
        Ok(Self { phone })
    }

    /// Checks a consent written by another machine: the same rule, and already in its
    /// normal form.
    pub fn check(&self) -> Result<(), String> {
        match Self::new(&self.phone) {
            Ok(c) if c == *self => Ok(()),
            Ok(_) => Err("Số điện thoại nhận thông báo không ở dạng chuẩn".into()),
            Err(e) => Err(format!("Số điện thoại nhận thông báo không hợp lệ: {e}")),
        }
    }

    /// The number as shown back to a clerk or in logs: the last three digits only.
    pub fn masked(&self) -> String {
        let n = self.phone.len();
        let tail = self.phone.get(n.saturating_sub(3)..).unwrap_or("");
        format!("{}{tail}", "•".repeat(n.saturating_sub(3)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_number_is_normalised_and_a_landline_refused() {
        let c = NoticeConsent::new("+84 912 345 678").expect("mobile");
        assert_eq!(c.phone, "0912345678");
        assert!(c.check().is_ok());
        assert_eq!(c.masked(), "•••••••678");
        let e = NoticeConsent::new("024 3825 1234").expect_err("landline");
        assert!(e.contains("số di động"), "{e}");
        assert!(NoticeConsent::new("").is_err());
        let raw = NoticeConsent {
            phone: "+84912345678".into(),
        };
        assert!(raw.check().is_err());
    }
}
