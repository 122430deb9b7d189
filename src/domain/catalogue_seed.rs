//! Reading the procedure catalogue (`assets/catalogue/catalogue_commune.json`, also the
//! format `motcua-centre catalogue import` takes).
//!
//! The file is a JSON array of procedures whose displayed fields are Vietnamese only:
//! `ma`, `ten`, `linh_vuc`, `thoi_han` (time-limit cases, the first is the default; may be
//! empty: the clerk then enters the limit), `thanh_phan_ho_so` (documents with their kind
//! — `ban_chinh`, `ban_sao`, or `xuat_trinh` for papers only shown —, count and
//! `bat_buoc`: mandatory, or only in a case), `phi_le_phi`, `co_quan`, `can_cu_phap_ly`.
//! Provenance (`nguon`, `xac_nhan`) is read so the format stays strict, never displayed.

use serde::Deserialize;
use thiserror::Error;

use crate::domain::procedure::{
    DocumentForm, MAX_CASES, Procedure, ProcedureCode, ProcedureCodeError, RequiredDocument,
    TimeLimitCase, conditional_by_wording,
};
use crate::domain::text;
use crate::domain::time_limit::{TimeLimit, TimeUnit};

/// The catalogue that ships with the program.
pub const SEED_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/catalogue/catalogue_commune.json"
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
    #[error("Thủ tục {code} có {count} trường hợp thời hạn; tối đa {MAX_CASES}")]
    TooManyCases { code: String, count: usize },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedRow {
    ma: String,
    ten: String,
    linh_vuc: String,
    thoi_han: Vec<SeedLimit>,
    thanh_phan_ho_so: Vec<SeedDocument>,
    phi_le_phi: String,
    co_quan: String,
    can_cu_phap_ly: Vec<String>,
    /// Provenance: never displayed.
    #[serde(default, rename = "nguon")]
    _source: String,
    /// Whether every value was read from the official text: never displayed.
    #[serde(default, rename = "xac_nhan")]
    _confirmed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedLimit {
    truong_hop: String,
    so_luong: u32,
    don_vi: SeedUnit,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum SeedUnit {
    NgayLamViec,
    Ngay,
    Thang,
    GioLamViec,
    #[serde(rename = "trong_ngay_15h")]
    TrongNgay15h,
}

impl From<SeedUnit> for TimeUnit {
    fn from(u: SeedUnit) -> Self {
        match u {
            SeedUnit::NgayLamViec => TimeUnit::WorkingDay,
            SeedUnit::Ngay => TimeUnit::Day,
            SeedUnit::Thang => TimeUnit::Month,
            SeedUnit::GioLamViec => TimeUnit::Hour,
            SeedUnit::TrongNgay15h => TimeUnit::SameDay15h,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedDocument {
    ten: String,
    loai: SeedDocumentKind,
    so_luong: u32,
    /// Absent in catalogues before December 2026: then read from the wording (see
    /// [`conditional_by_wording`]).
    #[serde(default)]
    bat_buoc: Option<bool>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum SeedDocumentKind {
    BanChinh,
    BanSao,
    XuatTrinh,
}

impl From<SeedDocumentKind> for DocumentForm {
    fn from(k: SeedDocumentKind) -> Self {
        match k {
            SeedDocumentKind::BanChinh => DocumentForm::Original,
            SeedDocumentKind::BanSao => DocumentForm::Copy,
            SeedDocumentKind::XuatTrinh => DocumentForm::Present,
        }
    }
}

/// Parses a catalogue file in the seed's JSON layout.
pub fn parse_catalogue(json: &str) -> Result<Vec<Procedure>, CatalogueError> {
    let rows: Vec<SeedRow> =
        serde_json::from_str(json).map_err(|e| CatalogueError::Json(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let code = ProcedureCode::parse(&row.ma)
            .map_err(|source| CatalogueError::Code { index, source })?;
        if !seen.insert(code.clone()) {
            return Err(CatalogueError::Duplicate(code.to_string()));
        }
        if row.thoi_han.len() > MAX_CASES {
            return Err(CatalogueError::TooManyCases {
                code: code.to_string(),
                count: row.thoi_han.len(),
            });
        }
        let time_limits = row
            .thoi_han
            .iter()
            .map(|l| TimeLimitCase {
                label: text::nfc(l.truong_hop.trim()),
                limit: TimeLimit::new(l.so_luong, l.don_vi.into()),
            })
            .collect();
        let documents = row
            .thanh_phan_ho_so
            .iter()
            .map(|d| {
                let name = text::nfc(d.ten.trim());
                RequiredDocument {
                    mandatory: d.bat_buoc.unwrap_or_else(|| !conditional_by_wording(&name)),
                    name,
                    form: d.loai.into(),
                    count: d.so_luong,
                }
            })
            .collect();
        let legal_basis: Vec<String> = row
            .can_cu_phap_ly
            .iter()
            .map(|b| text::nfc(b.trim()))
            .filter(|b| !b.is_empty())
            .collect();
        out.push(Procedure {
            code,
            name: text::nfc(row.ten.trim()),
            field: text::nfc(row.linh_vuc.trim()),
            agency: text::nfc(row.co_quan.trim()),
            time_limits,
            fee_amount: parse_fee_amount(&row.phi_le_phi),
            fee_text: text::nfc(row.phi_le_phi.trim()),
            documents,
            legal_basis: legal_basis.join("; "),
        });
    }
    Ok(out)
}

/// The shipped catalogue. It is tested, so a failure here is a build defect.
pub fn seed_catalogue() -> Vec<Procedure> {
    parse_catalogue(SEED_JSON).expect("the shipped catalogue parses (tested)")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text_lint::foreign_words;

    fn find<'a>(all: &'a [Procedure], code: &str) -> &'a Procedure {
        all.iter()
            .find(|p| p.code.as_str() == code)
            .expect("in the catalogue")
    }

    #[test]
    fn shipped_catalogue_parses_with_known_rows() {
        let all = seed_catalogue();
        assert_eq!(all.len(), 48);
        let khai_sinh = find(&all, "1.001193");
        assert_eq!(khai_sinh.name, "Thủ tục đăng ký khai sinh");
        assert_eq!(
            khai_sinh.default_limit(),
            Some(TimeLimit::new(0, TimeUnit::SameDay15h))
        );
        assert_eq!(khai_sinh.fee_amount, Some(0));
        assert_eq!(khai_sinh.documents.len(), 6);
        assert_eq!(khai_sinh.documents[5].form, DocumentForm::Present);

        // Luật Hộ tịch Art 18(2): the same day; 05 working days when verifying.
        let ket_hon = find(&all, "1.000894");
        let cases: Vec<(&str, TimeLimit)> = ket_hon
            .time_limits
            .iter()
            .map(|c| (c.label.as_str(), c.limit))
            .collect();
        assert_eq!(
            cases,
            [
                ("Thông thường", TimeLimit::new(0, TimeUnit::SameDay15h)),
                (
                    "Trường hợp cần xác minh điều kiện kết hôn",
                    TimeLimit::new(5, TimeUnit::WorkingDay)
                ),
            ]
        );
        assert_eq!(ket_hon.documents[1].count, 2, "both parties show their ID");

        assert_eq!(find(&all, "2.000884").fee_amount, Some(10_000));
        let xnhn = find(&all, "1.004873");
        assert_eq!(
            xnhn.default_limit(),
            Some(TimeLimit::new(3, TimeUnit::WorkingDay))
        );
        assert_eq!(xnhn.fee_amount, None, "set by the province, not known");
        let unknown: Vec<&str> = all
            .iter()
            .filter(|p| p.time_limits.is_empty())
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(unknown, ["2.000986", "1.001776"], "the clerk enters these");
    }

    /// Every string of a procedure that a clerk or a citizen reads.
    fn displayed(p: &Procedure) -> Vec<String> {
        let mut out = vec![
            p.name.clone(),
            p.field.clone(),
            p.agency.clone(),
            p.fee_text.clone(),
            p.legal_basis.clone(),
            p.time_limits_vi(),
        ];
        out.extend(p.documents.iter().map(|d| d.name.clone()));
        out
    }

    /// Issue 12 §3: no English and no research notes where the catalogue is displayed.
    #[test]
    fn shipped_catalogue_displays_only_vietnamese() {
        let problems: Vec<String> = seed_catalogue()
            .iter()
            .flat_map(|p| {
                displayed(p).into_iter().filter_map(move |s| {
                    let found = foreign_words(&s);
                    (!found.is_empty()).then(|| format!("{}: {found:?} in {s:?}", p.code))
                })
            })
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// The check catches what the earlier research catalogue printed on receipts.
    #[test]
    fn the_earlier_research_catalogue_fails_the_check() {
        let old: serde_json::Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/procedures_commune_research.json"
        )))
        .expect("fixture parses");
        let rows = old["procedures"].as_array().expect("rows");
        let displayed_keys = [
            "ten_tthc",
            "linh_vuc",
            "co_quan_thuc_hien",
            "thoi_han_text",
            "phi_le_phi",
            "thanh_phan_ho_so",
            "can_cu",
        ];
        let mut flagged = std::collections::BTreeSet::new();
        let mut words = std::collections::BTreeSet::new();
        for row in rows {
            for key in displayed_keys {
                let found = foreign_words(row[key].as_str().unwrap_or_default());
                if !found.is_empty() {
                    flagged.insert(row["ma_tthc"].to_string());
                    words.extend(found);
                }
            }
        }
        assert!(
            flagged.len() > rows.len() / 2,
            "{} rows flagged",
            flagged.len()
        );
        for w in ["portal", "Art", "unconfirmed", "->"] {
            assert!(words.contains(w), "{w} not caught: {words:?}");
        }
    }

    /// Issue 19 §1: the corrected catalogue marks each paper mandatory or conditional,
    /// and xuất trình papers as such; 1.001193 ticks its two papers only.
    #[test]
    fn the_catalogue_says_which_papers_are_mandatory() {
        let all = seed_catalogue();
        let docs: Vec<&RequiredDocument> = all.iter().flat_map(|p| &p.documents).collect();
        assert_eq!(docs.iter().filter(|d| !d.mandatory).count(), 22);
        assert_eq!(
            docs.iter()
                .filter(|d| d.form == DocumentForm::Present)
                .count(),
            44
        );
        let khai_sinh = find(&all, "1.001193");
        let ticked: Vec<&str> = khai_sinh
            .documents
            .iter()
            .filter(|d| d.ticked_by_default())
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(ticked.len(), 2, "{ticked:?}");
        assert!(ticked[0].starts_with("Tờ khai đăng ký khai sinh"));
        assert!(ticked[1].starts_with("Giấy chứng sinh"));
        // Said by the field, not by the wording.
        let copy = &find(&all, "2.000815").documents[1];
        assert_eq!(copy.name, "Bản sao cần chứng thực");
        assert_eq!(copy.form, DocumentForm::Present);
        assert!(!copy.mandatory);
    }

    /// A catalogue without `bat_buoc` (before December 2026) still loads: a paper is
    /// conditional when its wording says so, mandatory otherwise.
    #[test]
    fn an_older_catalogue_without_bat_buoc_reads_the_wording() {
        let old = r#"[{"ma":"1.001193","ten":"Đăng ký khai sinh","linh_vuc":"Hộ tịch",
            "co_quan":"UBND cấp xã","thoi_han":[],"phi_le_phi":"","can_cu_phap_ly":[],
            "thanh_phan_ho_so":[
              {"ten":"Tờ khai đăng ký khai sinh","loai":"ban_chinh","so_luong":1},
              {"ten":"Biên bản xác nhận việc trẻ bị bỏ rơi (trường hợp trẻ bị bỏ rơi)",
               "loai":"ban_chinh","so_luong":1},
              {"ten":"Giấy tờ chứng minh việc đã ly hôn (nếu có)","loai":"xuat_trinh","so_luong":1},
              {"ten":"Sổ hộ khẩu (trừ trường hợp đã có trong cơ sở dữ liệu)","loai":"ban_sao","so_luong":1}
            ]}]"#;
        let p = parse_catalogue(old).expect("an older catalogue loads");
        let mandatory: Vec<bool> = p[0].documents.iter().map(|d| d.mandatory).collect();
        assert_eq!(mandatory, [true, false, false, true]);
        // Every shipped line but one says with its wording what `bat_buoc` says.
        let differ: Vec<String> = seed_catalogue()
            .iter()
            .flat_map(|p| p.documents.iter().map(move |d| (p, d)))
            .filter(|(_, d)| d.mandatory == conditional_by_wording(&d.name))
            .map(|(p, d)| format!("{} {}", p.code, d.name))
            .collect();
        assert_eq!(differ, ["2.000815 Bản sao cần chứng thực"]);
    }

    #[test]
    fn fees() {
        assert_eq!(
            parse_fee_amount("Phí 2.000 đồng/trang; từ trang thứ 3"),
            Some(2000)
        );
        assert_eq!(
            parse_fee_amount("20.000 đ (10.000 đ trực tuyến)"),
            Some(20_000)
        );
        assert_eq!(parse_fee_amount("Không thu lệ phí"), Some(0));
        assert_eq!(parse_fee_amount("Theo Nghị quyết của HĐND tỉnh"), None);
    }

    #[test]
    fn malformed_catalogue_is_refused_precisely() {
        let err = parse_catalogue("[{}]").expect_err("missing keys");
        assert!(err.to_string().contains("không đọc được"));
        let unknown_unit = r#"[{"ma":"1.000894","ten":"a","linh_vuc":"b","co_quan":"c",
            "thoi_han":[{"truong_hop":"","so_luong":1,"don_vi":"tuan"}],
            "thanh_phan_ho_so":[],"phi_le_phi":"","can_cu_phap_ly":[]}]"#;
        assert!(parse_catalogue(unknown_unit).is_err());
    }
}
