//! Reading the shipped procedure catalogue (`assets/catalogue/procedures_commune.json`).
//!
//! The seed was compiled from legal texts; its free-text columns (time limit, fee,
//! documents) are turned into structured values here. Where the source marks a value
//! UNCONFIRMED it stays unknown (`None` / empty) instead of being invented.

use serde::Deserialize;
use thiserror::Error;

use crate::domain::procedure::{
    DocumentForm, Procedure, ProcedureCode, ProcedureCodeError, RequiredDocument,
};
use crate::domain::text;
use crate::domain::time_limit::{TimeLimit, TimeUnit};

/// The catalogue that ships with the program.
pub const SEED_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/catalogue/procedures_commune.json"
));

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogueError {
    #[error("Tệp danh mục thủ tục không đọc được: {0}")]
    Json(String),
    #[error("Danh mục thủ tục, dòng {index}: {source}")]
    Code {
        index: usize,
        source: ProcedureCodeError,
    },
    #[error("Danh mục thủ tục có mã {0} lặp lại")]
    Duplicate(String),
}

#[derive(Deserialize)]
struct SeedFile {
    procedures: Vec<SeedRow>,
}

#[derive(Deserialize)]
struct SeedRow {
    ma_tthc: String,
    ten_tthc: String,
    linh_vuc: String,
    co_quan_thuc_hien: String,
    thoi_han_text: String,
    thoi_han_so: String,
    don_vi_thoi_han: String,
    phi_le_phi: String,
    thanh_phan_ho_so: String,
    can_cu: String,
}

/// Parses a catalogue file in the seed's JSON layout.
pub fn parse_catalogue(json: &str) -> Result<Vec<Procedure>, CatalogueError> {
    let file: SeedFile =
        serde_json::from_str(json).map_err(|e| CatalogueError::Json(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(file.procedures.len());
    for (index, row) in file.procedures.into_iter().enumerate() {
        // A row whose national code was not found cannot be received under any code.
        if row.ma_tthc.trim().starts_with("UNCONFIRMED") {
            continue;
        }
        let code = ProcedureCode::parse(&row.ma_tthc)
            .map_err(|source| CatalogueError::Code { index, source })?;
        if !seen.insert(code.clone()) {
            return Err(CatalogueError::Duplicate(code.to_string()));
        }
        out.push(Procedure {
            code,
            name: text::nfc(row.ten_tthc.trim()),
            field: text::nfc(row.linh_vuc.trim()),
            agency: text::nfc(row.co_quan_thuc_hien.trim()),
            time_limit: parse_time_limit(&row.thoi_han_so, &row.don_vi_thoi_han),
            time_limit_text: text::nfc(row.thoi_han_text.trim()),
            fee_amount: parse_fee_amount(&row.phi_le_phi),
            fee_text: text::nfc(row.phi_le_phi.trim()),
            documents: parse_documents(&row.thanh_phan_ho_so),
            legal_basis: text::nfc(row.can_cu.trim()),
        });
    }
    Ok(out)
}

/// The shipped catalogue. It is tested, so a failure here is a build defect.
pub fn seed_catalogue() -> Vec<Procedure> {
    parse_catalogue(SEED_JSON).expect("the shipped catalogue parses (tested)")
}

/// `"3"` + `"WORKING_DAY"` → 3 working days. The unit column may carry a remark after
/// the code ("SAME_DAY_15H (+2 WORKING_DAY)"): the leading code is the rule applied.
fn parse_time_limit(value: &str, unit: &str) -> Option<TimeLimit> {
    let code = unit.split_whitespace().next()?;
    let unit = TimeUnit::from_code(code)?;
    let value = match unit {
        TimeUnit::SameDay15h => value.trim().parse().unwrap_or(0),
        _ => value.trim().parse().ok()?,
    };
    Some(TimeLimit { value, unit })
}

/// The usual amount in đồng: "Miễn …"/"Không thu" → 0, "Phí 10.000 đ/trường hợp" →
/// 10 000, a locally set fee ("theo NQ HĐND tỉnh") → unknown.
fn parse_fee_amount(raw: &str) -> Option<i64> {
    let folded = text::fold(raw);
    if folded.starts_with("mien") || folded.starts_with("khong thu") {
        return Some(0);
    }
    // The first number written with dot thousands separators followed by "đ".
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().filter(|c| **c != '.').collect();
            let rest: String = chars[i..].iter().collect();
            if rest.trim_start().starts_with('đ') {
                return number.parse().ok();
            }
        }
        i += 1;
    }
    None
}

/// Splits the documents column on top-level `;` (parentheses may hold `;` of their own).
fn parse_documents(raw: &str) -> Vec<RequiredDocument> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with("UNCONFIRMED") {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' if depth <= 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| text::nfc(p.trim()))
        .filter(|p| !p.is_empty())
        .map(|name| RequiredDocument {
            form: guess_form(&name),
            name: capitalise_first(&name),
            count: 1,
        })
        .collect()
}

fn guess_form(name: &str) -> DocumentForm {
    let f = text::fold(name);
    if f.starts_with("xuat trinh") {
        DocumentForm::Present
    } else if f.starts_with("ban chinh") {
        DocumentForm::Original
    } else if f.starts_with("ban sao") {
        DocumentForm::Copy
    } else {
        DocumentForm::Unspecified
    }
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_parses_with_known_rows() {
        let all = seed_catalogue();
        assert_eq!(all.len(), 47, "the row without a national code is left out");
        let khai_sinh = all
            .iter()
            .find(|p| p.code.as_str() == "1.001193")
            .expect("khai sinh present");
        assert_eq!(khai_sinh.name, "Thủ tục đăng ký khai sinh");
        assert_eq!(
            khai_sinh.time_limit,
            Some(TimeLimit {
                value: 0,
                unit: TimeUnit::SameDay15h
            })
        );
        assert_eq!(khai_sinh.fee_amount, Some(0));
        assert_eq!(khai_sinh.documents.len(), 3, "{:?}", khai_sinh.documents);
        assert!(
            khai_sinh.documents[1]
                .name
                .starts_with("Giấy chứng sinh (không có:")
        );

        let chu_ky = all
            .iter()
            .find(|p| p.code.as_str() == "2.000884")
            .expect("present");
        assert_eq!(chu_ky.fee_amount, Some(10_000));
        let xnhn = all
            .iter()
            .find(|p| p.code.as_str() == "1.004873")
            .expect("present");
        assert_eq!(
            xnhn.time_limit,
            Some(TimeLimit {
                value: 3,
                unit: TimeUnit::WorkingDay
            })
        );
        assert_eq!(xnhn.fee_amount, None, "set by the province, not known");
        let unknown = all.iter().filter(|p| p.time_limit.is_none()).count();
        assert_eq!(unknown, 19, "UNCONFIRMED limits stay unknown");
    }

    #[test]
    fn remarks_after_the_unit_code_are_ignored() {
        assert_eq!(
            parse_time_limit("0", "SAME_DAY_15H (+2 WORKING_DAY)"),
            Some(TimeLimit {
                value: 0,
                unit: TimeUnit::SameDay15h
            })
        );
        assert_eq!(parse_time_limit("", "UNCONFIRMED"), None);
        assert_eq!(parse_time_limit("", "WORKING_DAY"), None);
    }

    #[test]
    fn fees_and_documents() {
        assert_eq!(
            parse_fee_amount("Phí 2.000 đ/trang; từ trang thứ 3"),
            Some(2000)
        );
        assert_eq!(
            parse_fee_amount("20.000 đ (10.000 đ trực tuyến)"),
            Some(20_000)
        );
        assert_eq!(parse_fee_amount("Không thu"), Some(0));
        assert_eq!(parse_fee_amount("Lệ phí theo NQ HĐND tỉnh"), None);
        let docs = parse_documents("xuất trình CCCD; bản chính giấy tờ (a; b); ");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].form, DocumentForm::Present);
        assert_eq!(docs[0].name, "Xuất trình CCCD");
        assert_eq!(docs[1].form, DocumentForm::Original);
        assert!(parse_documents("UNCONFIRMED").is_empty());
    }

    #[test]
    fn malformed_catalogue_is_refused_precisely() {
        let err = parse_catalogue("{\"procedures\": [{}]}").expect_err("missing keys");
        assert!(err.to_string().contains("không đọc được"));
    }
}
