//! How a procedure travels (centre feed, stored JSON): the cases, plus the default limit
//! and its text in the fields desks of earlier versions read, so a mixed fleet keeps
//! working while it is upgraded.

use serde::{Deserialize, Serialize};

use super::{Procedure, ProcedureCode, RequiredDocument, TimeLimitCase};
use crate::domain::time_limit::TimeLimit;

/// The clerk picks a case with one key (1–9).
pub const MAX_CASES: usize = 9;

#[derive(Serialize, Deserialize)]
pub(super) struct ProcedureWire {
    code: ProcedureCode,
    name: String,
    field: String,
    agency: String,
    /// The default case's limit (earlier versions' only limit).
    #[serde(default)]
    time_limit: Option<TimeLimit>,
    /// All cases in words (earlier versions display it).
    #[serde(default)]
    time_limit_text: String,
    /// Absent in a feed from an earlier centre: then the one limit is the only case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_limit_cases: Option<Vec<TimeLimitCase>>,
    fee_text: String,
    fee_amount: Option<i64>,
    documents: Vec<RequiredDocument>,
    legal_basis: String,
}

impl TryFrom<ProcedureWire> for Procedure {
    type Error = String;
    fn try_from(w: ProcedureWire) -> Result<Self, String> {
        let time_limits = match w.time_limit_cases {
            Some(cases) => cases,
            None => w
                .time_limit
                .map(|limit| TimeLimitCase {
                    label: String::new(),
                    limit,
                })
                .into_iter()
                .collect(),
        };
        if time_limits.len() > MAX_CASES {
            return Err(format!(
                "Thủ tục {} có {} trường hợp thời hạn; tối đa {MAX_CASES}",
                w.code,
                time_limits.len()
            ));
        }
        Ok(Procedure {
            code: w.code,
            name: w.name,
            field: w.field,
            agency: w.agency,
            time_limits,
            fee_text: w.fee_text,
            fee_amount: w.fee_amount,
            documents: w.documents,
            legal_basis: w.legal_basis,
        })
    }
}

impl From<Procedure> for ProcedureWire {
    fn from(p: Procedure) -> Self {
        Self {
            time_limit: p.default_limit(),
            time_limit_text: p.time_limits_vi(),
            time_limit_cases: Some(p.time_limits),
            code: p.code,
            name: p.name,
            field: p.field,
            agency: p.agency,
            fee_text: p.fee_text,
            fee_amount: p.fee_amount,
            documents: p.documents,
            legal_basis: p.legal_basis,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time_limit::TimeUnit;

    fn marriage() -> Procedure {
        Procedure {
            code: ProcedureCode::parse("1.000894").expect("valid"),
            name: "Thủ tục đăng ký kết hôn".into(),
            field: "Hộ tịch".into(),
            agency: "Ủy ban nhân dân cấp xã".into(),
            time_limits: vec![
                TimeLimitCase {
                    label: "Thông thường".into(),
                    limit: TimeLimit::new(0, TimeUnit::SameDay15h),
                },
                TimeLimitCase {
                    label: "Trường hợp cần xác minh điều kiện kết hôn".into(),
                    limit: TimeLimit::new(5, TimeUnit::WorkingDay),
                },
            ],
            fee_text: "Miễn lệ phí".into(),
            fee_amount: Some(0),
            documents: Vec::new(),
            legal_basis: "Luật Hộ tịch số 60/2014/QH13 (Điều 11, 17, 18)".into(),
        }
    }

    #[test]
    fn cases_round_trip_and_earlier_fields_are_written() {
        let p = marriage();
        let json = serde_json::to_value(&p).expect("serialize");
        assert_eq!(json["time_limit"]["unit"], "SAME_DAY_15H");
        assert!(
            json["time_limit_text"]
                .as_str()
                .is_some_and(|t| t.contains("05 ngày làm việc"))
        );
        let back: Procedure = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, p);
    }

    #[test]
    fn a_procedure_from_an_earlier_centre_has_its_one_limit_as_the_only_case() {
        let old = r#"{"code":"1.004873","name":"Cấp Giấy xác nhận tình trạng hôn nhân",
            "field":"Hộ tịch","agency":"UBND cấp xã",
            "time_limit":{"value":3,"unit":"WORKING_DAY"},"time_limit_text":"03 ngày làm việc",
            "fee_text":"","fee_amount":null,"documents":[],"legal_basis":""}"#;
        let p: Procedure = serde_json::from_str(old).expect("old layout reads");
        assert_eq!(p.time_limits.len(), 1);
        assert_eq!(
            p.default_limit(),
            Some(TimeLimit::new(3, TimeUnit::WorkingDay))
        );
    }

    /// `motcua-centre catalogue import` parses the file, stores the procedures as JSON
    /// and the desks read them back from the feed: the cases arrive whole.
    #[test]
    fn the_centre_import_path_keeps_the_cases() {
        let file = crate::domain::catalogue_seed::SEED_JSON;
        let imported = crate::domain::catalogue_seed::parse_catalogue(file).expect("parses");
        let body = serde_json::to_string(&imported).expect("feed body");
        let pulled: Vec<Procedure> = serde_json::from_str(&body).expect("desk reads");
        assert_eq!(pulled, imported);
        let ket_hon = pulled
            .iter()
            .find(|p| p.code.as_str() == "1.000894")
            .expect("present");
        assert_eq!(ket_hon.time_limits.len(), 2);
    }

    /// A feed from a centre before issue 19 has no `mandatory`: read from the wording.
    #[test]
    fn a_document_without_mandatory_reads_its_wording() {
        let old = r#"[{"name":"Tờ khai","form":"original","count":1},
            {"name":"Văn bản ủy quyền (trường hợp ủy quyền)","form":"original","count":1}]"#;
        let docs: Vec<RequiredDocument> = serde_json::from_str(old).expect("reads");
        assert!(docs[0].mandatory);
        assert!(!docs[1].mandatory);
        let back = serde_json::to_value(&docs[1]).expect("serialize");
        assert_eq!(back["mandatory"], false);
    }

    #[test]
    fn more_cases_than_keys_are_refused() {
        let mut p = marriage();
        let case = p.time_limits[1].clone();
        p.time_limits = vec![case; MAX_CASES + 1];
        let json = serde_json::to_string(&p).expect("serialize");
        let err = serde_json::from_str::<Procedure>(&json).expect_err("too many");
        assert!(err.to_string().contains("tối đa 9"), "{err}");
    }
}
