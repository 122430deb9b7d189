//! The 12-digit personal ID number (số định danh cá nhân) and the embedded table of
//! birth-registration province codes it is checked against.
//!
//! The first three digits are the province where the birth was registered, or, for a
//! birth registered abroad, the country's code (NĐ 137/2015 Art 13; TT 07/2016/TT-BCA
//! Art 7, Phụ lục I provinces 001–096, Phụ lục II countries). The country table was not
//! found in any source we could read; what is known is that country codes do not start
//! with 0 (all province codes do). So a number whose first digit is not 0 is accepted as
//! registered abroad, with a note asking the clerk to compare it with the card, rather
//! than refusing a citizen because our table is incomplete.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{ApplicantError, Gender};
use crate::domain::text;

const PROVINCES_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/cccd_province_codes.json"
));

#[derive(Deserialize)]
struct ProvinceTable {
    codes: BTreeMap<String, String>,
}

/// Birth-registration province codes (3 digits) → province name.
static PROVINCES: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| {
    serde_json::from_str::<ProvinceTable>(PROVINCES_JSON)
        .expect("embedded cccd_province_codes.json is checked by a unit test")
        .codes
});

/// A 12-digit personal ID number whose province code is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonalId(String);

impl PersonalId {
    /// Parses an ID, ignoring spaces anywhere (numbers are often typed in groups).
    pub fn parse(raw: &str) -> Result<Self, ApplicantError> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err(ApplicantError::IdEmpty);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApplicantError::IdNotDigits(text::nfc(raw.trim())));
        }
        if s.len() != 12 {
            return Err(ApplicantError::IdLength(s.len()));
        }
        let code = &s[..3];
        if code.starts_with('0') && !PROVINCES.contains_key(code) {
            return Err(ApplicantError::IdProvince {
                code: code.to_string(),
                id: s,
            });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The gender/century digit G.
    fn g_digit(&self) -> i32 {
        i32::from(self.0.as_bytes()[3] - b'0')
    }

    /// The birth year the ID encodes: century from G, then YY.
    pub fn birth_year(&self) -> i32 {
        let yy =
            i32::from(self.0.as_bytes()[4] - b'0') * 10 + i32::from(self.0.as_bytes()[5] - b'0');
        (self.g_digit() / 2 + 19) * 100 + yy
    }

    /// The gender the ID encodes: even G = male, odd = female.
    pub fn gender(&self) -> Gender {
        if self.g_digit() % 2 == 0 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The province where the birth was registered, e.g. "Tỉnh Thái Bình"; none for a
    /// birth registered abroad.
    pub fn province_name(&self) -> Option<&'static str> {
        PROVINCES.get(&self.0[..3]).map(String::as_str)
    }

    /// True when the first three digits are a country code (birth registered abroad).
    pub fn registered_abroad(&self) -> bool {
        self.province_name().is_none()
    }

    /// Where the birth was registered, in words.
    pub fn birthplace_vi(&self) -> String {
        match self.province_name() {
            Some(p) => p.to_string(),
            None => format!("nước ngoài (mã quốc gia {})", &self.0[..3]),
        }
    }

    /// What the clerk should be told about an ID that was accepted without a full check.
    pub fn note_vi(&self) -> Option<String> {
        self.registered_abroad().then(|| {
            format!(
                "Số định danh {} có mã nơi đăng ký khai sinh {} — khai sinh đăng ký ở nước \
                 ngoài (mã quốc gia theo Phụ lục II Thông tư 07/2016/TT-BCA). Phần mềm chưa \
                 có danh mục mã quốc gia để đối chiếu: hãy so số này với thẻ căn cước.",
                self.0,
                &self.0[..3]
            )
        })
    }

    /// Checks that the ID's century/gender digit and birth year agree with what was typed.
    pub fn check_against(
        &self,
        date_of_birth: NaiveDate,
        gender: Gender,
    ) -> Result<(), ApplicantError> {
        let (id_year, id_gender) = (self.birth_year(), self.gender());
        let id = self.0.clone();
        match (id_year == date_of_birth.year(), id_gender == gender) {
            (true, true) => Ok(()),
            (false, true) => Err(ApplicantError::IdBirthYearMismatch {
                id,
                id_year,
                dob: date_of_birth,
            }),
            (true, false) => Err(ApplicantError::IdGenderMismatch {
                id,
                id_gender,
                gender,
            }),
            (false, false) => Err(ApplicantError::IdBirthYearAndGenderMismatch {
                id,
                id_year,
                id_gender,
                dob: date_of_birth,
                gender,
            }),
        }
    }
}

impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonalId {
    type Error = ApplicantError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonalId> for String {
    fn from(id: PersonalId) -> Self {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
    }

    fn id(s: &str) -> PersonalId {
        PersonalId::parse(s).expect("test ID is valid")
    }

    #[test]
    fn province_table_loads() {
        assert_eq!(PROVINCES.len(), 63);
        assert!(PROVINCES.keys().all(|k| k.len() == 3));
    }

    #[test]
    fn personal_id_decodes_real_samples() {
        let hoa = id("034303011829");
        assert_eq!(hoa.province_name(), Some("Tỉnh Thái Bình"));
        assert_eq!(hoa.note_vi(), None);
        assert_eq!(hoa.birth_year(), 2003);
        assert_eq!(hoa.gender(), Gender::Female);
        let luong = id(" 089 202 017098 ");
        assert_eq!(luong.as_str(), "089202017098");
        assert_eq!(luong.province_name(), Some("Tỉnh An Giang"));
        assert_eq!((luong.birth_year(), luong.gender()), (2002, Gender::Male));
        assert_eq!(id("001099000001").birth_year(), 1999);
        assert_eq!(id("001100000001").gender(), Gender::Female);
        assert_eq!(id("001405000001").birth_year(), 2105);
    }

    #[test]
    fn personal_id_rejects() {
        assert_eq!(PersonalId::parse("  "), Err(ApplicantError::IdEmpty));
        assert_eq!(
            PersonalId::parse("03430301182").map_err(|e| e.to_string()),
            Err("Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11)".to_string())
        );
        assert_eq!(
            PersonalId::parse("03430301182a"),
            Err(ApplicantError::IdNotDigits("03430301182a".into()))
        );
        assert_eq!(
            PersonalId::parse("003303011829"),
            Err(ApplicantError::IdProvince {
                id: "003303011829".into(),
                code: "003".into()
            })
        );
        assert!(serde_json::from_str::<PersonalId>("\"099303011829\"").is_err());
    }

    #[test]
    fn a_birth_registered_abroad_is_accepted_with_a_note() {
        // A country code: first digit not 0. Refused before issue 12.
        let abroad = PersonalId::parse("840303011829").expect("accepted");
        assert!(abroad.registered_abroad());
        assert_eq!(abroad.province_name(), None);
        assert_eq!(abroad.birthplace_vi(), "nước ngoài (mã quốc gia 840)");
        assert_eq!(
            (abroad.birth_year(), abroad.gender()),
            (2003, Gender::Female)
        );
        let note = abroad.note_vi().expect("a note for the clerk");
        assert!(
            note.contains("840") && note.contains("Phụ lục II"),
            "{note}"
        );
        assert!(serde_json::from_str::<PersonalId>("\"840303011829\"").is_ok());
    }

    #[test]
    fn check_against_names_what_disagrees() {
        let hoa = id("034303011829");
        assert_eq!(hoa.check_against(day(2003, 3, 21), Gender::Female), Ok(()));
        assert_eq!(
            hoa.check_against(day(1993, 3, 21), Gender::Female)
                .map_err(|e| e.to_string()),
            Err(
                "Số định danh 034303011829 cho biết người sinh năm 2003, nhưng ngày sinh \
                 đã nhập là 21/03/1993"
                    .to_string()
            )
        );
        assert_eq!(
            hoa.check_against(day(2003, 3, 21), Gender::Male)
                .map_err(|e| e.to_string()),
            Err(
                "Số định danh 034303011829 cho biết giới tính Nữ, nhưng giới tính đã chọn là Nam"
                    .to_string()
            )
        );
        assert_eq!(
            hoa.check_against(day(1993, 3, 21), Gender::Male)
                .map_err(|e| e.to_string()),
            Err(
                "Số định danh 034303011829 cho biết người sinh năm 2003, giới tính Nữ, \
                 nhưng ngày sinh đã nhập là 21/03/1993 và giới tính là Nam"
                    .to_string()
            )
        );
    }
}
