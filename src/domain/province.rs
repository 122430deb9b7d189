//! The province's lists a desk keeps offline for cross-commune intake (issue 23): the
//! units of the province (code and name) and the procedures the province lets any
//! commune receive ("không phụ thuộc địa giới hành chính"). The centre sends them at
//! sync; the desk checks the clerk's choice of deciding unit against them, offline.

use serde::{Deserialize, Serialize};

use crate::domain::handover::MAX_LISTED_PROCEDURES;
use crate::domain::procedure::ProcedureCode;
use crate::domain::unit::UnitCode;

/// Most units a province's list may hold (the largest provinces have about 170
/// communes; the margin covers departments and districts' leftovers).
pub const MAX_PROVINCE_UNITS: usize = 2000;
/// Longest unit name kept.
pub const MAX_UNIT_NAME_CHARS: usize = 200;

/// One unit of the province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceUnit {
    pub code: String,
    pub name: String,
}

/// What the centre sends and the desk keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceLists {
    pub units: Vec<ProvinceUnit>,
    /// National procedure codes on the province's list.
    pub cross_procedures: Vec<String>,
}

impl ProvinceLists {
    /// Checks lists that came from another machine: bounded, every code well formed,
    /// every name present. Errors in Vietnamese.
    pub fn check(&self) -> Result<(), String> {
        if self.units.len() > MAX_PROVINCE_UNITS {
            return Err(format!(
                "Danh sách đơn vị của tỉnh có quá {MAX_PROVINCE_UNITS} đơn vị ({})",
                self.units.len()
            ));
        }
        if self.cross_procedures.len() > MAX_LISTED_PROCEDURES {
            return Err(format!(
                "Danh mục thủ tục phi địa giới có quá {MAX_LISTED_PROCEDURES} thủ tục ({})",
                self.cross_procedures.len()
            ));
        }
        for u in &self.units {
            UnitCode::parse(&u.code).map_err(|e| format!("Đơn vị '{}': {e}", u.code))?;
            let n = u.name.trim().chars().count();
            if n == 0 || n > MAX_UNIT_NAME_CHARS {
                return Err(format!(
                    "Đơn vị {}: tên phải có từ 1 đến {MAX_UNIT_NAME_CHARS} ký tự",
                    u.code
                ));
            }
        }
        for p in &self.cross_procedures {
            ProcedureCode::parse(p).map_err(|e| format!("Thủ tục '{p}': {e}"))?;
        }
        Ok(())
    }

    /// The name of unit `code`, when the list has it.
    pub fn unit_name(&self, code: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|u| u.code == code)
            .map(|u| u.name.as_str())
    }

    /// Whether the province lets any commune receive `procedure`.
    pub fn is_listed(&self, procedure: &str) -> bool {
        self.cross_procedures.iter().any(|p| p == procedure)
    }

    /// The units the clerk may pick for `procedure`: none when the procedure is not on
    /// the list; otherwise every unit, the desk's own first.
    pub fn choices(&self, procedure: &str, own: &str) -> Vec<ProvinceUnit> {
        if !self.is_listed(procedure) {
            return Vec::new();
        }
        let mut out: Vec<ProvinceUnit> = self.units.clone();
        out.sort_by_key(|u| (u.code != own, u.name.clone()));
        out
    }

    /// The deciding unit the receipt records for the clerk's `chosen` unit: `None`
    /// for the desk's own unit (or no choice: the default), the unit otherwise, when
    /// the procedure is on the list and the unit is the province's.
    pub fn deciding(
        &self,
        own: &UnitCode,
        procedure: &str,
        chosen: Option<&str>,
    ) -> Result<Option<UnitCode>, String> {
        let Some(chosen) = chosen.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let unit = UnitCode::parse(chosen).map_err(|e| e.to_string())?;
        if &unit == own {
            return Ok(None);
        }
        if !self.is_listed(procedure) {
            return Err(format!(
                "Thủ tục {procedure} không thuộc danh mục tiếp nhận không phụ thuộc địa giới \
                 hành chính của tỉnh: chỉ tiếp nhận cho đơn vị mình. Hãy bỏ chọn đơn vị \
                 giải quyết {unit}, hoặc đồng bộ để cập nhật danh mục"
            ));
        }
        if self.unit_name(unit.as_str()).is_none() {
            return Err(format!(
                "Đơn vị {unit} không có trong danh sách đơn vị của tỉnh: hãy chọn trong \
                 danh sách, hoặc đồng bộ để cập nhật"
            ));
        }
        Ok(Some(unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> ProvinceLists {
        ProvinceLists {
            units: vec![
                ProvinceUnit {
                    code: "H22.39.15".into(),
                    name: "UBND phường Hồng Gai".into(),
                },
                ProvinceUnit {
                    code: "H22.39.16".into(),
                    name: "UBND phường Bãi Cháy".into(),
                },
            ],
            cross_procedures: vec!["1.001193".into()],
        }
    }

    fn own() -> UnitCode {
        UnitCode::parse("H22.39.15").expect("unit")
    }

    #[test]
    fn the_default_and_the_own_unit_are_no_deciding_unit() {
        let l = lists();
        assert_eq!(l.deciding(&own(), "1.001193", None), Ok(None));
        assert_eq!(l.deciding(&own(), "1.001193", Some(" ")), Ok(None));
        assert_eq!(l.deciding(&own(), "1.004873", Some("H22.39.15")), Ok(None));
    }

    #[test]
    fn another_unit_needs_a_listed_procedure_and_a_known_unit() {
        let l = lists();
        let b = UnitCode::parse("H22.39.16").expect("unit");
        assert_eq!(
            l.deciding(&own(), "1.001193", Some("H22.39.16")),
            Ok(Some(b))
        );
        let e = l
            .deciding(&own(), "1.004873", Some("H22.39.16"))
            .expect_err("not listed");
        assert!(e.contains("không phụ thuộc địa giới"), "{e}");
        let e = l
            .deciding(&own(), "1.001193", Some("H22.39.99"))
            .expect_err("unknown unit");
        assert!(e.contains("không có trong danh sách"), "{e}");
    }

    #[test]
    fn choices_only_for_listed_procedures_own_unit_first() {
        let l = lists();
        assert!(l.choices("1.004873", "H22.39.16").is_empty());
        let c = l.choices("1.001193", "H22.39.16");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].code, "H22.39.16");
    }

    #[test]
    fn hostile_lists_are_refused() {
        let mut l = lists();
        l.units[0].code = "h22".into();
        assert!(l.check().is_err());
        let mut l = lists();
        l.units[1].name = String::new();
        assert!(l.check().is_err());
        let mut l = lists();
        l.cross_procedures = vec!["x".into(); MAX_LISTED_PROCEDURES + 1];
        assert!(l.check().is_err());
        assert_eq!(lists().check(), Ok(()));
    }
}
