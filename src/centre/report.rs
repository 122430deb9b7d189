//! Reports from the centre's merged log: counts per unit and status with the on-time
//! rate, and the export of dossiers and their steps in the national portal's sync
//! format (domain.md §5: HoSoDongBoDVC and QuaTrinhXuLyDongBoDVC, dates yyyyMMddHHmmss).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use deadpool_postgres::GenericClient;
use serde::Serialize;

use crate::centre::error::ApiError;
use crate::domain::applicant::Applicant;
use crate::domain::clock::{Timestamp, now_vn, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody};
use crate::domain::handover;
use crate::domain::lifecycle::{self, classify};
use crate::domain::report::Period;
use crate::domain::scorecard::{self, ScoreDossier, Scorecard};
use crate::domain::status::Timeliness;

/// Every dossier of the unit (or of all units), folded, with its events in fold order.
/// A unit's dossiers include the cross-commune ones it received or decides, whose
/// steps are kept in both units' partitions (`centre/cross.rs`).
async fn folded(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<(DossierState, Vec<Event>)>, ApiError> {
    let rows = client
        .query(
            "SELECT body FROM event WHERE $1::TEXT IS NULL OR unit_code = $1
                 OR dossier_code IN (SELECT dossier_code FROM cross_dossier
                                     WHERE receiving_unit = $1 OR deciding_unit = $1)
             ORDER BY feed_seq",
            &[&unit],
        )
        .await?;
    let mut by_code: HashMap<String, Vec<Event>> = HashMap::new();
    for r in rows {
        let e: Event = serde_json::from_str(r.get::<_, &str>(0))
            .map_err(|e| ApiError::Internal(format!("sự kiện hỏng: {e}")))?;
        by_code.entry(e.dossier.to_string()).or_default().push(e);
    }
    let mut out = Vec::with_capacity(by_code.len());
    for (_, mut events) in by_code {
        // A centre event whose receipt has not arrived yet has nothing to report.
        if let Ok(state) = lifecycle::fold(&events) {
            events.sort_by_key(|e| (!matches!(e.body, EventBody::Received { .. }), e.at, e.id));
            out.push((state, events));
        }
    }
    out.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    Ok(out)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitStats {
    pub unit: String,
    pub dossiers: u64,
    /// National status code → count.
    pub by_status: BTreeMap<u8, u64>,
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
    pub pending_in_time: u64,
    pub pending_late: u64,
    /// (early + on time) / resolved, in percent; none when nothing is resolved.
    pub on_time_rate: Option<f64>,
    /// "Nhận hộ": dossiers this unit received for another unit of the province, which
    /// are counted there, not here (`domain::handover::counted_at`).
    #[serde(default)]
    pub received_for_others: u64,
}

pub async fn stats(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<UnitStats>, ApiError> {
    let states: Vec<DossierState> = folded(client, unit)
        .await?
        .into_iter()
        .map(|(state, _)| state)
        .collect();
    let mut stats = stats_of(&states, now_vn());
    // A unit's cross-commune dossiers bring their other unit along: not its figures.
    if let Some(unit) = unit {
        stats.retain(|s| s.unit == unit);
    }
    Ok(stats)
}

/// The unit a dossier is counted at: the deciding unit (issue 23).
fn counted_unit(state: &DossierState) -> String {
    handover::counted_at(state.code.unit(), state.deciding_unit.as_ref()).to_string()
}

/// Counts per unit at `now`, each dossier classed by the one on-time rule, QĐ 766
/// indicator 2.1 (`lifecycle::classify` → `domain::on_time`), the rule of Biểu 06 and
/// of the desk's dashboard.
pub fn stats_of(states: &[DossierState], now: Timestamp) -> Vec<UnitStats> {
    fn entry(per_unit: &mut BTreeMap<String, UnitStats>, unit: String) -> &mut UnitStats {
        per_unit.entry(unit.clone()).or_insert_with(|| UnitStats {
            unit,
            ..UnitStats::default()
        })
    }
    let mut per_unit: BTreeMap<String, UnitStats> = BTreeMap::new();
    for state in states {
        if state.deciding_unit.is_some() {
            entry(&mut per_unit, state.code.unit().to_string()).received_for_others += 1;
        }
        let s = entry(&mut per_unit, counted_unit(state));
        s.dossiers += 1;
        *s.by_status.entry(state.status.code()).or_default() += 1;
        match classify(state, now) {
            Timeliness::Early => s.early += 1,
            Timeliness::OnTime => s.on_time += 1,
            Timeliness::Late => s.late += 1,
            Timeliness::PendingInTime => s.pending_in_time += 1,
            Timeliness::PendingLate => s.pending_late += 1,
        }
    }
    per_unit
        .into_values()
        .map(|mut s| {
            let resolved = s.early + s.on_time + s.late;
            s.on_time_rate =
                (resolved > 0).then(|| 100.0 * (s.early + s.on_time) as f64 / resolved as f64);
            s
        })
        .collect()
}

/// The QĐ 766 scorecard of each unit for `period` at `now`, by the desk's own code
/// (`domain::scorecard`). Every dossier here is synced: the centre holds its receipt.
pub fn scorecards_of(
    states: &[DossierState],
    period: &Period,
    now: Timestamp,
) -> Vec<(String, Scorecard)> {
    let mut per_unit: BTreeMap<String, Vec<ScoreDossier>> = BTreeMap::new();
    for state in states {
        per_unit
            .entry(counted_unit(state))
            .or_default()
            .push(scorecard::of_state(state, true));
    }
    per_unit
        .into_iter()
        .map(|(unit, dossiers)| (unit, scorecard::scorecard(&dossiers, period, now)))
        .collect()
}

/// The scorecard of each unit (of `unit` only when given) and of them all together (the
/// province's figures when no unit is given), read from the events the centre holds.
pub async fn scorecards(
    client: &impl GenericClient,
    unit: Option<&str>,
    period: &Period,
    now: Timestamp,
) -> Result<(Vec<(String, Scorecard)>, Scorecard), ApiError> {
    let states: Vec<DossierState> = folded(client, unit)
        .await?
        .into_iter()
        .map(|(state, _)| state)
        .collect();
    let all: Vec<ScoreDossier> = states
        .iter()
        .map(|s| scorecard::of_state(s, true))
        .collect();
    let total = scorecard::scorecard(&all, period, now);
    Ok((scorecards_of(&states, period, now), total))
}

fn dvc_time(t: Option<Timestamp>) -> String {
    t.map(|t| to_wall(t).format("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default()
}

/// One dossier in the portal's HoSoDongBoDVC layout (the fields this system knows).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HoSoDongBo {
    pub ma_ho_so: String,
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: String,
    #[serde(rename = "TenTTHC")]
    pub ten_tthc: String,
    pub ten_linh_vuc: String,
    pub kenh_thuc_hien: String,
    pub chu_ho_so: String,
    pub so_giay_to_chu_ho_so: String,
    pub loai_doi_tuong: String,
    pub so_dien_thoai: String,
    pub email: String,
    pub trich_yeu_ho_so: String,
    pub ngay_tiep_nhan: String,
    pub ngay_hen_tra: String,
    pub ngay_tra: String,
    pub ngay_ket_thuc_xu_ly: String,
    pub ngay_tu_choi: String,
    pub ngay_nop_ho_so: String,
    pub trang_thai_ho_so: String,
    #[serde(rename = "DinhDanhCHS")]
    pub dinh_danh_chs: Vec<DinhDanh>,
    pub qua_trinh_xu_ly: Vec<QuaTrinhXuLy>,
    /// The digitised documents the dossier holds now (attached, not detached).
    pub tai_lieu_nop: Vec<TaiLieuNop>,
    /// "1" when any of its papers is digitised, else "0".
    pub ho_so_co_thanh_phan_so_hoa: String,
}

/// One digitised document, in the TaiLieuNop layout (domain.md §5). The file is named
/// by its SHA-256 (`TepDinhKemId`), which is also how `motcua-centre files get` finds
/// it; `TenThanhPhanHoSo` (the checklist item) and `DinhDang` (MIME type) are ours.
/// There is no public download address, and the portal's component codes are not
/// known here: `DuongDanTaiTepTin` and `MaThanhPhanHoSo` are left empty.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaiLieuNop {
    pub tep_dinh_kem_id: String,
    pub ten_tep_dinh_kem: String,
    pub is_deleted: bool,
    pub ma_thanh_phan_ho_so: String,
    pub ten_thanh_phan_ho_so: String,
    pub dinh_dang: String,
    pub duong_dan_tai_tep_tin: String,
    pub duoc_so_hoa: String,
    pub duoc_tai_su_dung: String,
    #[serde(rename = "DuocLayTuKhoDMQG")]
    pub duoc_lay_tu_kho_dmqg: String,
    pub ma_ket_qua_thay_the: String,
}

/// `held(sha)`: the dossier's unit holds the file at the centre (`file_access`). A
/// document whose hash the unit only named, never uploaded, is not listed: the hash
/// may be another unit's citizen's paper.
fn tai_lieu_nop(state: &DossierState, held: &dyn Fn(&str) -> bool) -> Vec<TaiLieuNop> {
    state
        .documents
        .iter()
        .filter(|d| held(d.file.sha256.as_str()))
        .map(|d| TaiLieuNop {
            tep_dinh_kem_id: d.file.sha256.to_string(),
            ten_tep_dinh_kem: d.file.name.clone(),
            is_deleted: false,
            ma_thanh_phan_ho_so: String::new(),
            ten_thanh_phan_ho_so: d.item.clone(),
            dinh_dang: d.file.media_type.mime().to_string(),
            duong_dan_tai_tep_tin: String::new(),
            duoc_so_hoa: "1".into(),
            duoc_tai_su_dung: "0".into(),
            duoc_lay_tu_kho_dmqg: "0".into(),
            ma_ket_qua_thay_the: String::new(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DinhDanh {
    pub loai_dinh_danh: String,
    pub so_dinh_danh: String,
}

/// One step, in the QuaTrinhXuLyDongBoDVC layout.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuaTrinhXuLy {
    pub ma_ho_so: String,
    pub nguoi_xu_ly: String,
    pub thoi_diem_xu_ly: String,
    pub noi_dung_xu_ly: String,
    pub trang_thai: String,
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 5).chain("...".chars()).collect()
    }
}

fn hoso(state: &DossierState, events: &[Event], held: &dyn Fn(&str) -> bool) -> HoSoDongBo {
    let c = &state.content;
    let code = state.code.to_string();
    let mut step_state = None;
    // Attaching a scan is not a processing step (TaiLieuNop lists the files), nor is a
    // renewed tracking token or a rating.
    let steps = events
        .iter()
        .filter(|e| e.body.kind().is_processing_step())
        .map(|e| {
            let mut st = step_state.clone();
            if let Some(s) = st.as_mut() {
                lifecycle::apply(s, e);
            } else {
                st = lifecycle::fold([e]).ok();
            }
            step_state = st.clone();
            QuaTrinhXuLy {
                ma_ho_so: code.clone(),
                nguoi_xu_ly: truncate(&e.actor.name, 50),
                thoi_diem_xu_ly: dvc_time(Some(e.at)),
                noi_dung_xu_ly: e.body.kind().label_vi().to_string(),
                trang_thai: st.map_or(String::new(), |s| s.status.code().to_string()),
            }
        })
        .collect();
    let refused_at = events
        .iter()
        .find(|e| matches!(e.body, EventBody::Refused { .. }))
        .map(|e| e.at);
    HoSoDongBo {
        ma_ho_so: code,
        ma_tthc: c.procedure.code.as_str().to_string(),
        ten_tthc: c.procedure.name.clone(),
        ten_linh_vuc: c.procedure.field.clone(),
        kenh_thuc_hien: c.channel.code().to_string(),
        chu_ho_so: c.applicant.full_name.clone(),
        so_giay_to_chu_ho_so: c.applicant.id_text().to_string(),
        loai_doi_tuong: c.applicant.kind().loai_doi_tuong().to_string(),
        so_dien_thoai: c.applicant.phone.clone().unwrap_or_default(),
        email: c.applicant.email.clone().unwrap_or_default(),
        trich_yeu_ho_so: truncate(&c.procedure.name, 1000),
        ngay_tiep_nhan: dvc_time(Some(c.received_at)),
        ngay_hen_tra: dvc_time(Some(state.due_at)),
        ngay_tra: dvc_time(state.returned_at),
        // The end of processing as QĐ 766 indicator 2.1 reads it (domain::on_time):
        // result ready, else returned, else refused / stopped / withdrawn.
        ngay_ket_thuc_xu_ly: dvc_time(state.progress().finish.map(|f| f.at())),
        ngay_tu_choi: dvc_time(refused_at),
        ngay_nop_ho_so: dvc_time(Some(c.received_at)),
        trang_thai_ho_so: state.status.code().to_string(),
        dinh_danh_chs: dinh_danh(&c.applicant),
        qua_trinh_xu_ly: steps,
        tai_lieu_nop: tai_lieu_nop(state, held),
        ho_so_co_thanh_phan_so_hoa: if state.documents.is_empty() { "0" } else { "1" }.into(),
    }
}

/// DinhDanhCHS: the owner's personal ID with LoaiDinhDanh "1" (12-digit số định danh).
/// The only other code seen in production is "2" (9-digit CMND); none is known for an
/// enterprise code or a passport, so those go in SoGiayToChuHoSo only and the list is
/// left empty rather than carrying an invented code.
fn dinh_danh(a: &Applicant) -> Vec<DinhDanh> {
    a.personal_id()
        .map(|id| DinhDanh {
            loai_dinh_danh: "1".into(),
            so_dinh_danh: id.as_str().to_string(),
        })
        .into_iter()
        .collect()
}

/// Dossiers received between `from` and `to` (inclusive, Vietnam dates).
pub async fn export_dvcqg(
    client: &impl GenericClient,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<HoSoDongBo>, ApiError> {
    let access: std::collections::HashSet<(String, String)> = client
        .query("SELECT sha256, unit_code FROM file_access", &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(folded(client, None)
        .await?
        .iter()
        .filter(|(s, _)| {
            let d = to_wall(s.content.received_at).date();
            d >= from && d <= to
        })
        .map(|(s, events)| {
            let unit = s.code.unit().to_string();
            hoso(s, events, &|sha| {
                access.contains(&(sha.to_string(), unit.clone()))
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::WorkCalendar;
    use crate::domain::catalogue_seed::seed_catalogue;
    use crate::domain::clock::from_wall;
    use crate::domain::dossier_code::DossierCode;
    use crate::domain::due::WorkingHours;
    use crate::domain::event::{Actor, ActorRole, EventId};
    use crate::domain::intake::{IntakeContext, IntakeInput};

    /// The portal record of a dossier received from `applicant` (intake JSON).
    fn exported(applicant: serde_json::Value) -> serde_json::Value {
        exported_with(applicant, Vec::new())
    }

    /// The same, with more events of the dossier after its receipt.
    fn exported_with(applicant: serde_json::Value, more: Vec<EventBody>) -> serde_json::Value {
        let procedure = seed_catalogue()
            .into_iter()
            .find(|p| p.code.as_str() == "2.000884")
            .expect("in the catalogue");
        let now = from_wall(
            NaiveDate::from_ymd_opt(2026, 3, 2)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .expect("valid"),
        );
        let (calendar, hours) = (WorkCalendar::official(), WorkingHours::default());
        let json = serde_json::json!({"procedure": "2.000884", "applicant": applicant});
        let content = IntakeInput::from_json(&json.to_string())
            .and_then(|i| {
                i.validate(IntakeContext {
                    procedure: &procedure,
                    now,
                    calendar: &calendar,
                    hours: &hours,
                    clerk: "Trần Thị Mai",
                })
            })
            .expect("valid intake");
        let event = Event {
            id: EventId::new(),
            dossier: DossierCode::parse("H22.39.15-260302-0001").expect("code"),
            at: now,
            actor: Actor {
                name: "Trần Thị Mai".into(),
                role: ActorRole::Clerk,
            },
            origin: "desk-a".into(),
            body: EventBody::Received {
                content: Box::new(content),
                numbers: None,
                deciding_unit: None,
                tracking: None,
                consent: None,
            },
        };
        let mut events = vec![event.clone()];
        for (i, body) in more.into_iter().enumerate() {
            events.push(Event {
                id: EventId::new(),
                at: now + chrono::Duration::minutes(i as i64 + 1),
                body,
                ..event.clone()
            });
        }
        let state = lifecycle::fold(&events).expect("folds");
        serde_json::to_value(hoso(&state, &events, &|_| true)).expect("serialises")
    }

    #[test]
    fn the_export_lists_the_documents_the_dossier_holds_now() {
        use crate::domain::document::{FileRef, MediaType, Sha256Hex};
        let file = |name: &str| FileRef {
            sha256: Sha256Hex::of(name.as_bytes()),
            name: name.into(),
            media_type: MediaType::Pdf,
            size: 1000,
            pages: 1,
        };
        let citizen = serde_json::json!({
            "full_name": "Nguyễn Thị Hoa", "id_number": "034303011829",
            "date_of_birth": "2003-03-21", "gender": "Nữ", "address": "Thái Bình"
        });
        let none = exported(citizen.clone());
        assert_eq!(none["TaiLieuNop"], serde_json::json!([]));
        assert_eq!(none["HoSoCoThanhPhanSoHoa"], "0");
        let cccd = file("Bản sao CCCD.pdf");
        let wrong = file("Nhầm giấy.pdf");
        let x = exported_with(
            citizen,
            vec![
                EventBody::DocumentAttached {
                    item: "Bản sao Căn cước công dân".into(),
                    file: cccd.clone(),
                },
                EventBody::DocumentAttached {
                    item: "Tờ khai".into(),
                    file: wrong.clone(),
                },
                EventBody::DocumentDetached {
                    sha256: wrong.sha256.clone(),
                    item: "Tờ khai".into(),
                    reason: "Quét nhầm giấy tờ".into(),
                },
            ],
        );
        assert_eq!(x["HoSoCoThanhPhanSoHoa"], "1");
        let docs = x["TaiLieuNop"].as_array().expect("list");
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0]["TepDinhKemId"], cccd.sha256.as_str());
        assert_eq!(docs[0]["TenTepDinhKem"], "Bản sao CCCD.pdf");
        assert_eq!(docs[0]["TenThanhPhanHoSo"], "Bản sao Căn cước công dân");
        assert_eq!(docs[0]["DinhDang"], "application/pdf");
        assert_eq!(docs[0]["IsDeleted"], false);
        assert_eq!(docs[0]["DuocSoHoa"], "1");
        // Attaching is not a processing step.
        assert_eq!(x["QuaTrinhXuLy"].as_array().expect("steps").len(), 1);
    }

    #[test]
    fn the_export_says_who_the_owner_is_by_kind() {
        // Before issue 12 LoaiDoiTuong was always "1" and DinhDanhCHS always a CCCD.
        let citizen = exported(serde_json::json!({
            "full_name": "Nguyễn Thị Hoa", "id_number": "034303011829",
            "date_of_birth": "2003-03-21", "gender": "Nữ", "address": "Thái Bình"
        }));
        assert_eq!(citizen["LoaiDoiTuong"], "1");
        assert_eq!(
            citizen["DinhDanhCHS"],
            serde_json::json!([{"LoaiDinhDanh": "1", "SoDinhDanh": "034303011829"}])
        );
        let company = exported(serde_json::json!({
            "kind": "organisation", "full_name": "Công ty TNHH Xây dựng số 1 Hạ Long",
            "id_number": "5700100256", "representative": "Phạm Văn Đông",
            "address": "Hồng Gai"
        }));
        assert_eq!(company["LoaiDoiTuong"], "2");
        assert_eq!(company["ChuHoSo"], "Công ty TNHH Xây dựng số 1 Hạ Long");
        assert_eq!(company["SoGiayToChuHoSo"], "5700100256");
        assert_eq!(company["DinhDanhCHS"], serde_json::json!([]));
        let visitor = exported(serde_json::json!({
            "kind": "foreigner", "full_name": "Kim Min-jun", "id_number": "M12345678",
            "nationality": "Hàn Quốc", "address": "Bãi Cháy"
        }));
        assert_eq!(visitor["LoaiDoiTuong"], "1");
        assert_eq!(visitor["SoGiayToChuHoSo"], "M12345678");
        assert_eq!(visitor["DinhDanhCHS"], serde_json::json!([]));
    }
}
