//! The export of dossiers and their steps in the national portal's sync format
//! (domain.md §5: HoSoDongBoDVC and QuaTrinhXuLyDongBoDVC, dates yyyyMMddHHmmss).

use chrono::NaiveDate;
use deadpool_postgres::GenericClient;
use serde::Serialize;

use super::folded;
use crate::centre::error::ApiError;
use crate::centre::file_access;
use crate::domain::applicant::Applicant;
use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody};
use crate::domain::lifecycle;

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
    let access = file_access::all_held(client).await?;
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
