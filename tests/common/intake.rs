//! The one intake JSON every integration test builds on (`motcua intake` reads it from
//! stdin, `IntakeInput::from_json` parses it): Nguyễn Thị Ngọc Ánh of Lê Thánh Tông
//! street asks for procedure 1.004873; a test changes only the fields it is about.
#![allow(dead_code)]

use serde_json::{Value, json};

pub const FULL_NAME: &str = "Nguyễn Thị Ngọc Ánh";
pub const ID_NUMBER: &str = "022190001234";
pub const ADDRESS: &str = "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh";

#[derive(Debug, Clone)]
pub struct Intake {
    pub procedure: String,
    pub full_name: String,
    pub id_number: String,
    pub date_of_birth: String,
    pub gender: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Phạm Quỳnh Hương, with a written authorisation, when set.
    pub authorised: bool,
    /// (name, copies); none: the procedure's own list.
    pub documents: Vec<(String, u32)>,
    pub received_at: Option<String>,
}

impl Default for Intake {
    fn default() -> Intake {
        Intake {
            procedure: "1.004873".into(),
            full_name: FULL_NAME.into(),
            id_number: ID_NUMBER.into(),
            date_of_birth: "1990-05-17".into(),
            gender: "Nữ".into(),
            address: ADDRESS.into(),
            phone: Some("0912 345 678".into()),
            email: Some("anh.ntn@example.vn".into()),
            authorised: false,
            documents: Vec::new(),
            received_at: None,
        }
    }
}

impl Intake {
    pub fn named(full_name: &str) -> Intake {
        Intake {
            full_name: full_name.into(),
            ..Intake::default()
        }
    }

    pub fn json(&self) -> String {
        let mut applicant = json!({
            "full_name": self.full_name,
            "id_number": self.id_number,
            "date_of_birth": self.date_of_birth,
            "gender": self.gender,
            "address": self.address,
        });
        if let Some(p) = &self.phone {
            applicant["phone"] = json!(p);
        }
        if let Some(e) = &self.email {
            applicant["email"] = json!(e);
        }
        let mut out = json!({ "procedure": self.procedure, "applicant": applicant });
        if self.authorised {
            out["authorised"] = json!({
                "full_name": "Phạm Quỳnh Hương",
                "id_number": "022195004321",
                "address": "Phường Bãi Cháy, tỉnh Quảng Ninh",
                "phone": "0987 654 321",
                "authorisation_document": "Giấy ủy quyền số 12/2026"
            });
        }
        if !self.documents.is_empty() {
            let docs: Vec<Value> = self
                .documents
                .iter()
                .map(|(name, count)| json!({ "name": name, "count": count }))
                .collect();
            out["documents"] = Value::Array(docs);
        }
        if let Some(r) = &self.received_at {
            out["received_at"] = json!(r);
        }
        serde_json::to_string_pretty(&out).expect("JSON of plain values")
    }
}
