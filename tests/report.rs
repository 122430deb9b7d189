//! Biểu 06 on a hand-built quarter where every dossier's class is known, checked cell
//! by cell in the report, the CSV and the re-read Excel file.

mod common;

use std::sync::atomic::AtomicBool;

use calamine::{Data, Reader, Xlsx, open_workbook};
use motcua::domain::clock::Timestamp;
use motcua::domain::clock::to_wall;
use motcua::domain::due::new_due::NewDue;
use motcua::domain::intake::IntakeInput;
use motcua::domain::report::{Counts, Period, Report};
use motcua::report::{csv_out, xlsx};
use motcua::store::Store;
use motcua::store::dossiers::ActionRequest;

const HO_TICH: &str = "1.004873"; // 3 working days
const CHUNG_THUC: &str = "2.000884"; // same day, 15:00 cut-off

fn t(s: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(s).expect("rfc 3339")
}

fn now() -> Timestamp {
    t("2026-07-15T08:00:00+07:00")
}

fn take(store: &mut Store, procedure: &str, received: &str, online: bool) -> String {
    let mut json: serde_json::Value =
        serde_json::from_str(&common::dossier_json(procedure, received)).expect("json");
    if online {
        json["channel"] = "online".into();
    }
    let input = IntakeInput::from_json(&json.to_string()).expect("input");
    store
        .intake(input, "Trần Thị Mai", now())
        .expect("intake")
        .code
        .to_string()
}

fn act(store: &mut Store, code: &str, at: &str, request: ActionRequest) {
    store
        .record(code, request, Some(t(at)), "Trần Thị Mai", now())
        .expect("recorded");
}

fn ready(store: &mut Store, code: &str, at: &str) {
    act(
        store,
        code,
        at,
        ActionRequest::ResultReady {
            note: String::new(),
        },
    );
}

fn quarter() -> (tempfile::TempDir, Report) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    dataset(&mut s);
    let period = Period::preset("2026-Q2").expect("quarter");
    let report = s
        .report(
            period,
            t("2026-07-01T00:00:00+07:00"),
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("report");
    (tmp, report)
}

/// Dossiers A–L, each of a known class in 2026-Q2; returns their codes.
fn dataset(s: &mut Store) -> Vec<String> {
    // A: received in March, due Thu 2/4, ready Fri 3/4: carried over, late.
    let a = take(s, HO_TICH, "2026-03-30T09:00:00+07:00", false);
    ready(s, &a, "2026-04-03T10:00:00+07:00");
    // B: due Thu 7/5 09:00, ready Wed 6/5: early.
    let b = take(s, HO_TICH, "2026-05-04T09:00:00+07:00", false);
    ready(s, &b, "2026-05-06T16:00:00+07:00");
    // C: due Thu 7/5 10:00, ready the same day at 16:30: late (QĐ 766 compares times).
    let c = take(s, HO_TICH, "2026-05-04T10:00:00+07:00", false);
    ready(s, &c, "2026-05-07T16:30:00+07:00");
    // D: same-day procedure due Tue 5/5 17:00, ready Wed 08:00, an hour of work late.
    let d = take(s, CHUNG_THUC, "2026-05-05T14:00:00+07:00", false);
    ready(s, &d, "2026-05-06T08:00:00+07:00");
    // E: still open at the end of June, due 2/7: pending in time.
    let e = take(s, HO_TICH, "2026-06-29T09:00:00+07:00", false);
    // F: due 25/6, no result by 30/6: pending late.
    let f = take(s, HO_TICH, "2026-06-22T09:00:00+07:00", false);
    // G: waiting for a supplement since 2/6 (its first due day 4/6 passed): in time.
    let g = take(s, HO_TICH, "2026-06-01T09:00:00+07:00", false);
    act(
        s,
        &g,
        "2026-06-02T09:00:00+07:00",
        ActionRequest::RequestSupplement {
            items: vec!["Giấy xác nhận cư trú".into()],
            reason: "Thiếu giấy tờ".into(),
        },
    );
    // H: due Thu 14/5, extended once on 12/5 to 20/5, ready 19/5: early against the new date.
    let h = take(s, HO_TICH, "2026-05-11T09:00:00+07:00", false);
    act(
        s,
        &h,
        "2026-05-12T09:00:00+07:00",
        ActionRequest::Extend {
            until: NewDue::At(to_wall(t("2026-05-20T09:00:00+07:00"))),
            reason: "Cần xác minh".into(),
        },
    );
    ready(s, &h, "2026-05-19T15:00:00+07:00");
    // I: received online, ready the next day: early.
    let i = take(s, HO_TICH, "2026-05-12T09:00:00+07:00", true);
    ready(s, &i, "2026-05-13T09:00:00+07:00");
    // J: withdrawn by the citizen: resolved, counted on time.
    let j = take(s, HO_TICH, "2026-05-13T09:00:00+07:00", false);
    act(
        s,
        &j,
        "2026-05-14T09:00:00+07:00",
        ActionRequest::Withdraw {
            note: String::new(),
        },
    );
    // K: received after the quarter; L: resolved before it. Neither counts.
    let k = take(s, HO_TICH, "2026-07-01T09:00:00+07:00", false);
    let l = take(s, HO_TICH, "2026-03-02T09:00:00+07:00", false);
    ready(s, &l, "2026-03-03T09:00:00+07:00");
    vec![a, b, c, d, e, f, g, h, i, j, k, l]
}

#[test]
fn every_class_lands_in_its_cell() {
    let (_tmp, r) = quarter();
    assert_eq!(r.groups.len(), 2);
    assert_eq!(r.groups[0].field, "Chứng thực");
    assert_eq!(r.groups[1].field, "Hộ tịch");
    let ho_tich = r.groups[1].procedures[0].counts;
    assert_eq!(
        ho_tich,
        Counts {
            carried_over: 1,
            received_online: 1,
            received_direct: 7,
            resolved_early: 3,
            resolved_on_time: 1,
            resolved_late: 2,
            pending_in_time: 2,
            pending_late: 1,
        }
    );
    let chung_thuc = r.groups[0].subtotal;
    assert_eq!(
        (chung_thuc.received_direct, chung_thuc.resolved_late),
        (1, 1)
    );
    assert_eq!(r.total.received_total(), 10);
    assert_eq!(r.total.resolved_total(), 7);
    assert_eq!(r.total.pending_total(), 3);
    assert_eq!(r.total.on_time_rate(), Some(4.0 / 7.0));
}

#[test]
fn csv_and_excel_carry_the_same_cells() {
    let (tmp, r) = quarter();
    let mut csv = Vec::new();
    csv_out::write_csv(&r, &mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("\u{feff}STT,"), "BOM for Excel");
    // The official form's 13 columns; the rate is below the table, not a 14th column.
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(rows[0].as_bytes())
        .records()
        .next()
        .expect("a header row")
        .expect("valid csv");
    assert_eq!(header.len(), 13, "{header:?}");
    assert_eq!(&header[12], "Số hồ sơ đang giải quyết - Quá hạn");
    assert_eq!(
        rows[4],
        "1,1.004873 - Thủ tục cấp Giấy xác nhận tình trạng hôn nhân,9,1,7,1,6,3,1,2,3,2,1"
    );
    assert_eq!(rows[5], ",Tổng cộng,10,1,8,1,7,3,1,3,3,2,1");
    assert_eq!(
        rows[6],
        ",\"Tỷ lệ hồ sơ giải quyết đúng hạn: 57,14% (4 hồ sơ trước hạn và đúng hạn / 7 hồ sơ đã giải quyết)\""
    );

    let path = tmp.path().join("bieu06.xlsx");
    std::fs::write(&path, xlsx::workbook_bytes(&r).expect("xlsx")).expect("writes");
    let mut book: Xlsx<_> = open_workbook(&path).expect("re-reads");
    let sheet = book.worksheet_range("Biểu 06").expect("sheet");
    let text = |row: u32, col: u32| match sheet.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    let number = |row: u32, col: u32| match sheet.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        other => panic!("no number at ({row},{col}): {other:?}"),
    };
    assert_eq!(text(0, 0), "Biểu số 06/VPCP/KSTT");
    assert_eq!(
        text(1, 0),
        "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
    );
    assert_eq!(
        text(2, 0),
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    );
    assert_eq!(text(3, 0), "(Từ ngày 01/04/2026 đến ngày 30/06/2026)");
    assert!(text(4, 0).starts_with("Đơn vị báo cáo: "), "{}", text(4, 0));
    assert!(
        text(5, 0).starts_with("Đơn vị nhận báo cáo: "),
        "{}",
        text(5, 0)
    );
    assert_eq!(text(6, 2), "Số hồ sơ nhận giải quyết");
    assert_eq!(text(6, 6), "Số hồ sơ đã giải quyết");
    assert_eq!(text(7, 3), "Trong đó");
    assert_eq!(text(7, 5), "Từ kỳ trước");
    assert_eq!(text(9, 12), "(13)");
    assert!(
        matches!(sheet.get_value((9, 13)), None | Some(Data::Empty)),
        "no 14th column"
    );
    let first = xlsx::FIRST_DATA_ROW;
    assert_eq!(text(first, 0), "I");
    assert_eq!(text(first, 1), "Lĩnh vực Chứng thực");
    assert_eq!(
        text(first + 3, 1),
        "1.004873 - Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    );
    let expected = [9.0, 1.0, 7.0, 1.0, 6.0, 3.0, 1.0, 2.0, 3.0, 2.0, 1.0];
    for (k, v) in expected.iter().enumerate() {
        assert_eq!(number(first + 3, 2 + k as u32), *v, "column {}", k + 3);
    }
    assert_eq!(text(first + 4, 1), "Tổng cộng");
    assert!(text(first + 6, 0).starts_with("Tỷ lệ hồ sơ giải quyết đúng hạn: 57,14%"));
    // The two-level headings are merged cells, as on the paper form.
    let merges: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name("Biểu 06")
        .expect("merges")
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    for region in [
        (6, 0, 8, 0),
        (6, 2, 6, 5),
        (6, 6, 6, 9),
        (6, 10, 6, 12),
        (7, 3, 7, 4),
        (7, 5, 8, 5),
        (2, 0, 2, 12),
    ] {
        assert!(
            merges.contains(&region),
            "{region:?} not merged in {merges:?}"
        );
    }
}

#[cfg(feature = "desk")]
#[test]
fn the_pdf_carries_the_same_cells() {
    let (tmp, r) = quarter();
    let path = tmp.path().join("bieu06.pdf");
    std::fs::write(&path, motcua::report::pdf::pdf_bytes(&r).expect("pdf")).expect("writes");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Biểu số 06/VPCP/KSTT",
        "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
        "(Từ ngày 01/04/2026 đến ngày 30/06/2026)",
        "Đơn vị báo cáo:",
        "Đơn vị nhận báo cáo:",
        "Đơn vị tính: Số hồ sơ TTHC",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)",
        "Lĩnh vực Hộ tịch",
        "9 1 7 1 6 3 1 2 3 2 1",
        "Tổng cộng 10 1 8 1 7 3 1 3 3 2 1 Tỷ lệ hồ sơ giải quyết đúng hạn: 57,14%",
        "Trang 1/1",
    ] {
        assert!(flat.contains(expected), "{expected:?} not in:\n{text}");
    }
}

/// Issue 12 §6: Biểu 06, the centre's statistics and the dashboard class one dataset
/// alike, closings without a result included: withdrawn or refused by the due day → on
/// time; stopped after it → late.
#[test]
fn the_three_on_time_figures_agree() {
    use motcua::centre::report::stats::stats_of;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    let mut codes = dataset(&mut s);
    // M: due Thu 7/5, refused Wed 6/5: on time (never early).
    let m = take(&mut s, HO_TICH, "2026-05-04T11:00:00+07:00", false);
    act(
        &mut s,
        &m,
        "2026-05-06T09:00:00+07:00",
        ActionRequest::Refuse {
            reason: "Không thuộc thẩm quyền".into(),
        },
    );
    // N: due Tue 12/5, stopped Wed 13/5: late, the limit had passed.
    let n = take(&mut s, HO_TICH, "2026-05-07T09:00:00+07:00", false);
    act(
        &mut s,
        &n,
        "2026-05-13T09:00:00+07:00",
        ActionRequest::Stop {
            reason: "Người nộp không bổ sung hồ sơ".into(),
        },
    );
    // O: due Wed 13/5, withdrawn Fri 15/5: late.
    let o = take(&mut s, HO_TICH, "2026-05-08T09:00:00+07:00", false);
    act(
        &mut s,
        &o,
        "2026-05-15T09:00:00+07:00",
        ActionRequest::Withdraw {
            note: String::new(),
        },
    );
    codes.extend([m, n, o]);

    // Every dossier lies in March–July; all three are read at its end.
    let from = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("day");
    let to = chrono::NaiveDate::from_ymd_opt(2026, 7, 31).expect("day");
    let cutoff = t("2026-08-01T00:00:00+07:00");
    let report = s
        .report(
            Period::new(from, to).expect("period"),
            cutoff,
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("report")
        .total;
    let states: Vec<_> = codes
        .iter()
        .map(|c| s.dossier(c).expect("dossier"))
        .collect();
    let centre = stats_of(&states, cutoff);
    assert_eq!(centre.len(), 1, "one unit");
    let centre = &centre[0];
    let late_per_day: u64 = s
        .received_per_day(from, to, cutoff)
        .expect("days")
        .iter()
        .map(|d| d.resolved_late)
        .sum();
    let overdue = s.overdue_count(cutoff).expect("overdue");

    assert_eq!(
        (
            report.resolved_early,
            report.resolved_on_time,
            report.resolved_late
        ),
        (centre.early, centre.on_time, centre.late),
        "Biểu 06 and the centre"
    );
    assert_eq!(
        (report.pending_in_time, report.pending_late),
        (centre.pending_in_time, centre.pending_late),
        "Biểu 06 and the centre, open dossiers"
    );
    assert_eq!(
        late_per_day, report.resolved_late,
        "dashboard chart and Biểu 06"
    );
    assert_eq!(overdue, report.pending_late, "dashboard and Biểu 06");
    // Early: B, H, I, L. On time: J (withdrawn), M (refused). Late: A, C (hours after
    // the printed time), D, N, O.
    // Open: G waits for papers (in time); E, F, K are past their due time.
    assert_eq!(
        (
            report.resolved_early,
            report.resolved_on_time,
            report.resolved_late
        ),
        (4, 2, 5)
    );
    assert_eq!((report.pending_in_time, report.pending_late), (1, 3));
}

/// Issue 23: the quarter, plus one dossier received here in May for Bãi Cháy (a
/// procedure the province lets any commune receive).
fn quarter_with_nhan_ho() -> (tempfile::TempDir, Report) {
    use motcua::domain::province::{ProvinceLists, ProvinceUnit};
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    dataset(&mut s);
    let lists = ProvinceLists {
        units: vec![ProvinceUnit {
            code: "H22.39.16".into(),
            name: "UBND phường Bãi Cháy".into(),
        }],
        cross_procedures: vec![HO_TICH.into()],
    };
    s.replace_province_lists(&lists, "v1").expect("kept");
    let mut json: serde_json::Value =
        serde_json::from_str(&common::dossier_json(HO_TICH, "2026-05-12T09:00:00+07:00"))
            .expect("json");
    json["deciding_unit"] = "H22.39.16".into();
    let input = IntakeInput::from_json(&json.to_string()).expect("input");
    s.intake(input, "Trần Thị Mai", now())
        .expect("cross intake");
    let report = s
        .report(
            Period::preset("2026-Q2").expect("quarter"),
            t("2026-07-01T00:00:00+07:00"),
            &AtomicBool::new(false),
            |_| {},
        )
        .expect("report");
    (tmp, report)
}

const NHAN_HO: &str = "Nhận hộ: 1 hồ sơ tiếp nhận trong kỳ cho đơn vị khác giải quyết \
     (không phụ thuộc địa giới hành chính); đã tính tại đơn vị giải quyết, không tính \
     vào bảng trên";

#[test]
fn nhan_ho_is_a_note_under_the_table_in_csv_and_excel() {
    let (_tmp, plain) = quarter();
    let mut csv = Vec::new();
    csv_out::write_csv(&plain, &mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(!csv.contains("Nhận hộ"), "no note without such a dossier");

    let (tmp, r) = quarter_with_nhan_ho();
    assert_eq!(r.received_for_others, 1);
    assert_eq!(
        r.total, plain.total,
        "the table counts it at the deciding unit"
    );
    let mut csv = Vec::new();
    csv_out::write_csv(&r, &mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[5], ",Tổng cộng,10,1,8,1,7,3,1,3,3,2,1");
    assert!(
        rows[6].contains("Tỷ lệ hồ sơ giải quyết đúng hạn"),
        "{}",
        rows[6]
    );
    assert_eq!(rows[7], format!(",\"{NHAN_HO}\""));

    let path = tmp.path().join("bieu06.xlsx");
    std::fs::write(&path, xlsx::workbook_bytes(&r).expect("xlsx")).expect("writes");
    let mut book: Xlsx<_> = open_workbook(&path).expect("re-reads");
    let sheet = book.worksheet_range("Biểu 06").expect("sheet");
    let first = xlsx::FIRST_DATA_ROW;
    let text = |row: u32| match sheet.get_value((row, 0)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    assert!(text(first + 6).starts_with("Tỷ lệ hồ sơ giải quyết đúng hạn: 57,14%"));
    assert_eq!(text(first + 7), NHAN_HO);
}

#[cfg(feature = "desk")]
#[test]
fn nhan_ho_is_a_note_under_the_table_in_the_pdf() {
    let (tmp, r) = quarter_with_nhan_ho();
    let path = tmp.path().join("bieu06.pdf");
    std::fs::write(&path, motcua::report::pdf::pdf_bytes(&r).expect("pdf")).expect("writes");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let note: String = NHAN_HO.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Tổng cộng 10 1 8 1 7 3 1 3 3 2 1"), "{text}");
    assert!(flat.contains(&note), "{note:?} not in:\n{text}");
    assert!(
        flat.find("57,14%") < flat.find("Nhận hộ:"),
        "the note is under the table and the rate"
    );
}

/// Issue 21: the centre's Biểu 06, summed from folded events (`domain::report::fold`),
/// is the desk's, read from its projection rows, cell by cell, both after the quarter
/// and in its middle (open dossiers judged at the moment the report is made).
#[test]
fn the_fold_of_the_events_gives_the_desk_s_report() {
    use motcua::domain::report::fold::{Scope, tally};
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    let mut codes = dataset(&mut s);
    // P: asked twice for papers, the first answered: late from the second request on.
    let p = take(&mut s, HO_TICH, "2026-05-18T09:00:00+07:00", false);
    let ask = |s: &mut Store, at: &str| {
        act(
            s,
            &p,
            at,
            ActionRequest::RequestSupplement {
                items: vec!["Giấy xác nhận cư trú".into()],
                reason: "Thiếu giấy tờ".into(),
            },
        )
    };
    ask(&mut s, "2026-05-19T09:00:00+07:00");
    act(
        &mut s,
        &p,
        "2026-05-21T09:00:00+07:00",
        ActionRequest::ReceiveSupplement {
            note: String::new(),
        },
    );
    ask(&mut s, "2026-05-22T09:00:00+07:00");
    codes.push(p);
    let states: Vec<_> = codes
        .iter()
        .map(|c| s.dossier(c).expect("dossier"))
        .collect();
    let unit = s.unit().expect("unit").code;
    let period = Period::preset("2026-Q2").expect("quarter");
    for now in ["2026-07-01T00:00:00+07:00", "2026-05-20T12:00:00+07:00"] {
        let desk = s
            .report(period, t(now), &AtomicBool::new(false), |_| {})
            .expect("report");
        let centre = tally(&states, Scope::Unit(&unit), &period, t(now)).into_report(
            desk.unit_name.clone(),
            desk.recipient.clone(),
            period,
        );
        assert_eq!(centre, desk, "at {now}");
        assert!(desk.total.received_total() > 0);
    }
}
