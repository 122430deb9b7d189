//! The desk forms of TT 03/2025 Phụ lục I, each from a plain input struct.
//!
//! The wording follows `shared/domain.md` §1.3–1.4 (QĐ 3621/QĐ-BYT BM.01–06, the
//! closest copy of the 2025 forms found). Mẫu 05's text is not in any source found and
//! is written in the same register.

pub mod book;
pub mod control;
pub mod notices;
pub mod receipt;

use chrono::{Datelike, NaiveDate};

use crate::domain::applicant::ApplicantKind;
use crate::print::blocks::{Header, issuer_abbr, or_blank};

/// Who issues a form: the receiving unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// Cơ quan chủ quản.
    pub authority: String,
    /// The unit's name.
    pub unit: String,
    /// Địa danh.
    pub place: String,
}

impl Issuer {
    /// The header with number line `Số: {number}/{symbol}-TTPVHCC` (the symbol left
    /// out when empty) dated `date`.
    pub fn header(&self, number: &str, symbol: &str, date: NaiveDate) -> Header {
        let abbr = issuer_abbr(&self.unit);
        let tail = if symbol.is_empty() {
            abbr.to_string()
        } else {
            format!("{symbol}-{abbr}")
        };
        self.header_raw(number, &tail, date)
    }

    /// The header with number line `Số: {number}/{tail}` as the form writes it.
    pub fn header_raw(&self, number: &str, tail: &str, date: NaiveDate) -> Header {
        Header {
            authority: self.authority.clone(),
            unit: self.unit.clone(),
            number: format!("Số: {}/{tail}", or_blank(number)),
            place_date: place_date(&self.place, date),
        }
    }
}

/// "Hồng Gai, ngày 13 tháng 02 năm 2026".
pub fn place_date(place: &str, date: NaiveDate) -> String {
    format!(
        "{}, ngày {:02} tháng {:02} năm {}",
        place.trim(),
        date.day(),
        date.month(),
        date.year()
    )
}

/// The digital-signature notes of the official forms (QĐ 3621/QĐ-BYT BM.01–BM.04).
pub const DIGITAL_RECEIVER: &str = "(Chữ ký số của người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)";

/// "ngày 13 tháng 02 năm 2026".
pub fn date_vi(date: NaiveDate) -> String {
    format!(
        "ngày {:02} tháng {:02} năm {}",
        date.day(),
        date.month(),
        date.year()
    )
}

/// The person or organisation a form is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub kind: ApplicantKind,
    pub name: String,
    /// Who signs for the party: the person, or an organisation's legal representative.
    pub signer: String,
    /// Số định danh cá nhân/tổ chức.
    pub id_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_and_date_lines() {
        let issuer = Issuer {
            authority: "UBND phường Hồng Gai".into(),
            unit: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
            place: "Hồng Gai".into(),
        };
        let d = NaiveDate::from_ymd_opt(2026, 2, 3).expect("date");
        let h = issuer.header("", "PBS", d);
        assert_eq!(h.number, "Số: ……………/PBS-TTPVHCC");
        assert_eq!(h.place_date, "Hồng Gai, ngày 03 tháng 02 năm 2026");
        assert_eq!(issuer.header("42", "", d).number, "Số: 42/TTPVHCC");
    }
}
