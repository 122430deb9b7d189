//! The 12-digit personal ID number (số định danh cá nhân) and the embedded table of
//! birth-registration province codes it is checked against.

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
        if !PROVINCES.contains_key(code) {
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

    /// The province where the birth was registered, e.g. "Tỉnh Thái Bình".
    pub fn province_name(&self) -> &'static str {
        PROVINCES
            .get(&self.0[..3])
            .map(String::as_str)
            .expect("parse only accepts province codes present in the table")
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
        assert_eq!(hoa.province_name(), "Tỉnh Thái Bình");
        assert_eq!(hoa.birth_year(), 2003);
        assert_eq!(hoa.gender(), Gender::Female);
        let luong = id(" 089 202 017098 ");
        assert_eq!(luong.as_str(), "089202017098");
        assert_eq!(luong.province_name(), "Tỉnh An Giang");
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
        assert!(serde_json::from_str::<PersonalId>("\"999303011829\"").is_err());
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
