//! The desk forms of TT 03/2025 Phụ lục I, each from a plain input struct.
//!
//! The wording follows `shared/domain.md` §1.3–1.4 (QĐ 3621/QĐ-BYT BM.01–06, the
//! closest copy of the 2025 forms found). Mẫu 05's text is not in any source found and
//! is written in the same register.

pub mod book;
pub mod control;
pub mod notices;
pub mod receipt;

use chrono::NaiveDate;

use crate::domain::clock::date_words_vi;

use crate::domain::applicant::{ApplicantKind, Gender};
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
    /// The head's title as the unit signs ("GIÁM ĐỐC", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
    /// "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"); empty: see [`Issuer::head_title`].
    pub signer_title: String,
}

/// The form's own words for the head, printed only when the unit has not set a title
/// and its name does not tell one.
pub const HEAD_ROLE_GENERIC: &str = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ";

impl Issuer {
    /// The title over the head's signature (Mẫu 04, 05): the unit's setting, a " / "
    /// starting its second line; unset, "GIÁM ĐỐC" for a Trung tâm (its head is a
    /// Giám đốc), else the form's generic words.
    pub fn head_title(&self) -> String {
        let set = self.signer_title.trim();
        if !set.is_empty() {
            return set
                .split('/')
                .map(|l| crate::print::blocks::upper(l.trim()))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
        }
        if crate::domain::text::fold(&self.unit).starts_with("trung tam") {
            "GIÁM ĐỐC".to_string()
        } else {
            HEAD_ROLE_GENERIC.to_string()
        }
    }

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

/// "Hồng Gai, ngày 13 tháng 02 năm 2026", "Hồng Gai, ngày 05 tháng 3 năm 2026".
pub fn place_date(place: &str, date: NaiveDate) -> String {
    format!("{}, {}", place.trim(), date_vi(date))
}

/// The digital-signature notes of the official forms (QĐ 3621/QĐ-BYT BM.01–BM.04).
pub const DIGITAL_RECEIVER: &str = "(Chữ ký số của người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)";

/// "ngày 13 tháng 02 năm 2026", "ngày 05 tháng 3 năm 2026": [`date_words_vi`].
pub fn date_vi(date: NaiveDate) -> String {
    date_words_vi(date)
}

/// The person or organisation a form is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub kind: ApplicantKind,
    /// A citizen's gender, for "Ông"/"Bà"; unknown for a foreigner.
    pub gender: Option<Gender>,
    pub name: String,
    /// Who signs for the party: the person, or an organisation's legal representative.
    pub signer: String,
    /// Số định danh cá nhân/tổ chức.
    pub id_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

impl Party {
    /// How a notice addresses the party: "Ông" or "Bà" from the gender, "Tổ chức" for
    /// an organisation, "Ông/Bà" only when the gender is not known (a foreigner).
    pub fn honorific(&self) -> &'static str {
        match (self.kind, self.gender) {
            (ApplicantKind::Organisation, _) => "Tổ chức",
            (_, Some(Gender::Male)) => "Ông",
            (_, Some(Gender::Female)) => "Bà",
            (_, None) => "Ông/Bà",
        }
    }
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
            signer_title: String::new(),
        };
        let d = NaiveDate::from_ymd_opt(2026, 2, 3).expect("date");
        let h = issuer.header("", "PBS", d);
        assert_eq!(h.number, "Số: ……………/PBS-TTPVHCC");
        assert_eq!(h.place_date, "Hồng Gai, ngày 03 tháng 02 năm 2026");
        assert_eq!(issuer.header("42", "", d).number, "Số: 42/TTPVHCC");
        let march = NaiveDate::from_ymd_opt(2026, 3, 5).expect("date");
        assert_eq!(
            issuer.header("", "", march).place_date,
            "Hồng Gai, ngày 05 tháng 3 năm 2026"
        );
    }

    #[test]
    fn the_head_title_is_the_units_setting_on_its_lines() {
        let mut issuer = Issuer {
            authority: "UBND phường Hồng Gai".into(),
            unit: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
            place: "Hồng Gai".into(),
            signer_title: String::new(),
        };
        assert_eq!(issuer.head_title(), "GIÁM ĐỐC");
        issuer.signer_title = "KT. Giám đốc / Phó Giám đốc".into();
        assert_eq!(issuer.head_title(), "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC");
        issuer.signer_title = String::new();
        issuer.unit = "Bộ phận Tiếp nhận và Trả kết quả".into();
        assert_eq!(issuer.head_title(), HEAD_ROLE_GENERIC);
    }

    #[test]
    fn ong_or_ba_from_the_gender_and_to_chuc_for_an_organisation() {
        let p = |kind, gender| Party {
            kind,
            gender,
            ..Party::default()
        };
        assert_eq!(
            p(ApplicantKind::Citizen, Some(Gender::Male)).honorific(),
            "Ông"
        );
        assert_eq!(
            p(ApplicantKind::Citizen, Some(Gender::Female)).honorific(),
            "Bà"
        );
        assert_eq!(p(ApplicantKind::Organisation, None).honorific(), "Tổ chức");
        assert_eq!(p(ApplicantKind::Foreigner, None).honorific(), "Ông/Bà");
    }
}
