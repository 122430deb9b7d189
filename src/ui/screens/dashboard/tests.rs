use std::sync::atomic::{AtomicBool, AtomicU64};

use iced_test::simulator;

use super::testing::{act, desk, drive, ready, t, take};
use super::*;
use crate::desk::Desk;
use crate::domain::report::Period;
use crate::store::Store;
use crate::store::dossiers::ActionRequest;

const HO_TICH: &str = "1.004873"; // 3 working days
const CHUNG_THUC: &str = "2.000884"; // same day, 15:00 cut-off

/// Wed 18/11/2026 10:00.
fn now() -> Timestamp {
    t("2026-11-18T10:00:00+07:00")
}

/// Dossiers whose every figure is known (the comments give the due times).
struct Data {
    b: String,
    d: String,
}

fn dataset(s: &mut Store) -> Data {
    let n = now();
    // Today: A (due Mon 23/11) and B (same day, due today 17:00, about to be late).
    take(s, HO_TICH, "2026-11-18T08:00:00+07:00", n);
    let b = take(s, CHUNG_THUC, "2026-11-18T09:00:00+07:00", n);
    // C: Fri 13/11 09:00 + 3 → due today 09:00: late an hour ago, and due today.
    take(s, HO_TICH, "2026-11-13T09:00:00+07:00", n);
    // D: due Thu 19/11 09:30, inside one working day from now (19/11 10:00).
    let d = take(s, HO_TICH, "2026-11-16T09:30:00+07:00", n);
    // E: due Thu 19/11 11:00, just outside it.
    take(s, HO_TICH, "2026-11-16T11:00:00+07:00", n);
    // F early, G late, H ready seven hours after its appointment (10/11 09:00),
    // late (QĐ 766 compares times): November.
    let f = take(s, HO_TICH, "2026-11-02T09:00:00+07:00", n);
    ready(s, &f, "2026-11-04T09:00:00+07:00", n);
    let g = take(s, HO_TICH, "2026-11-03T09:00:00+07:00", n);
    ready(s, &g, "2026-11-09T09:00:00+07:00", n);
    let h = take(s, HO_TICH, "2026-11-05T09:00:00+07:00", n);
    ready(s, &h, "2026-11-10T16:00:00+07:00", n);
    // I: waiting for a supplement, its first due day (13/11) passed: neither late nor due.
    let i = take(s, HO_TICH, "2026-11-10T09:00:00+07:00", n);
    act(
        s,
        &i,
        "2026-11-11T09:00:00+07:00",
        ActionRequest::RequestSupplement {
            items: vec!["Giấy xác nhận cư trú".into()],
            reason: "Thiếu giấy tờ".into(),
        },
        n,
    );
    // J late in March, K early in February: the year only.
    let j = take(s, HO_TICH, "2026-03-02T09:00:00+07:00", n);
    ready(s, &j, "2026-03-09T09:00:00+07:00", n);
    let k = take(s, HO_TICH, "2026-02-02T09:00:00+07:00", n);
    ready(s, &k, "2026-02-03T09:00:00+07:00", n);
    // L: resolved last year: not in this year's figures.
    let l = take(s, HO_TICH, "2025-12-15T09:00:00+07:00", n);
    ready(s, &l, "2025-12-22T09:00:00+07:00", n);
    Data { b, d }
}

fn loaded(store: &Desk, session: &Session) -> State {
    let mut state = State::at(now());
    let first = state.on_show(session);
    let rest = drive(store, first, &mut |m| state.update(m, session));
    assert!(rest.is_empty(), "{rest:?}");
    state
}

#[test]
fn figures_match_the_hand_built_dataset_and_biểu_06() {
    let (_dir, store, session) = desk(false);
    let data = dataset(&mut store.lock());
    let state = loaded(&store, &session);
    assert_eq!(state.problem(), None);
    let f = state.figures().expect("figures");
    assert_eq!(f.received_today, 2);
    assert_eq!(f.due_today, 2, "B at 17:00 and C at 09:00");
    assert_eq!(f.overdue, 1, "C only: I waits for a supplement");

    // The month's and year's rates are the official report's totals.
    let never = AtomicBool::new(false);
    let month = Period::new(
        NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
    )
    .expect("month");
    let official_month = store
        .lock()
        .report(month, now(), &never, |_| {})
        .expect("report")
        .total;
    let official_year = store
        .lock()
        .report(Period::preset("2026").expect("year"), now(), &never, |_| {})
        .expect("report")
        .total;
    assert_eq!(f.month, official_month);
    assert_eq!(f.year, official_year);
    assert_eq!(
        (
            f.month.resolved_early,
            f.month.resolved_on_time,
            f.month.resolved_late
        ),
        (1, 0, 2)
    );
    assert_eq!(crate::report::rate_vi(&f.month), "33,33%");
    assert_eq!(
        (
            f.year.resolved_early,
            f.year.resolved_on_time,
            f.year.resolved_late
        ),
        (2, 0, 3)
    );
    assert_eq!(crate::report::rate_vi(&f.year), "40,00%");

    // About to be late: B (today 17:00) then D (tomorrow 09:30); not C (already
    // late), not E (11:00 tomorrow, beyond one working day).
    let soon: Vec<&str> = f.due_soon.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(soon, vec![data.b.as_str(), data.d.as_str()]);
    assert_eq!(soon_until(now(), &session), t("2026-11-19T10:00:00+07:00"));

    // The chart: 13/11 had one dossier, 03/11 one resolved late; today two.
    let bars = state.bars();
    assert_eq!(bars.len(), 30);
    let on = |d: &str| {
        bars.iter()
            .find(|b| b.start.to_string() == d)
            .map(|b| (b.received, b.late))
    };
    assert_eq!(on("2026-11-18"), Some((2, 0)));
    assert_eq!(on("2026-11-03"), Some((1, 1)));
    assert_eq!(on("2026-11-02"), Some((1, 0)));
    assert_eq!(on("2026-11-14"), Some((0, 0)));
    assert_eq!(f.days.len(), 182);
}

#[test]
fn weekly_chart_and_opening_a_dossier_through_the_simulator() -> Result<(), iced_test::Error> {
    let (_dir, store, session) = desk(false);
    let data = dataset(&mut store.lock());
    let mut state = loaded(&store, &session);

    let mut ui = simulator(state.view(&session));
    let _ = ui.click(s::CHART_BY_WEEK)?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    for m in msgs {
        let _ = state.update(m, &session);
    }
    assert!(state.weekly());
    let bars = state.bars();
    assert_eq!(bars.len(), 26);
    let this_week = bars.last().expect("this week");
    // Mon 16/11 – today: D, E, A, B.
    assert_eq!(
        (this_week.start.to_string().as_str(), this_week.received),
        ("2026-11-16", 4)
    );
    // Mon 2/11 – Sun 8/11: F, G (late), H (late).
    assert_eq!((bars[23].received, bars[23].late), (3, 2));

    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::CHART_TITLE_WEEKS).is_ok());
    let _ = ui.click(data.d.as_str())?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let mut ups = Vec::new();
    for m in msgs {
        ups.extend(state.update(m, &session).into_list());
    }
    assert!(
        ups.iter()
            .any(|a| matches!(a, Action::Up(Up::OpenDossier(c)) if *c == data.d)),
        "{ups:?}"
    );
    Ok(())
}

#[test]
fn exporting_the_quarter_writes_the_file_and_cancel_writes_nothing() {
    let (dir, store, session) = desk(false);
    dataset(&mut store.lock());
    let mut state = State::at(now());
    // A free range typed wrongly is refused in place.
    let _ = state.update(
        Message::Export(export::Message::Preset(export::Preset::Range)),
        &session,
    );
    let _ = state.update(
        Message::Export(export::Message::From("31/02/2026".into())),
        &session,
    );
    let _ = state.update(
        Message::Export(export::Message::To("30/11/2026".into())),
        &session,
    );
    let a = state.update(Message::Export(export::Message::Start), &session);
    assert!(matches!(a, Action::None));
    let err = state
        .export()
        .outcome
        .clone()
        .expect("outcome")
        .expect_err("bad date");
    assert!(err.contains("31/02/2026"), "{err}");

    // This quarter as CSV: Q4 2026.
    let _ = state.update(
        Message::Export(export::Message::Preset(export::Preset::ThisQuarter)),
        &session,
    );
    let _ = state.update(
        Message::Export(export::Message::Format(export::Format::Csv)),
        &session,
    );
    let start = state.update(Message::Export(export::Message::Start), &session);
    assert!(state.export().is_running());
    assert_eq!(state.export().rows_read(), Some(0));
    // The simulator shows the progress and a Cancel button while it runs.
    {
        let mut ui = simulator(state.view(&session));
        assert!(ui.find(s::export_progress(0).as_str()).is_ok());
        assert!(ui.find(s::CANCEL).is_ok());
    }
    let rest = drive(&store, start, &mut |m| state.update(m, &session));
    assert!(rest.is_empty());
    assert!(!state.export().is_running());
    let path = state
        .export()
        .outcome
        .clone()
        .expect("outcome")
        .expect("written");
    assert_eq!(
        path,
        dir.path()
            .join("reports")
            .join("bieu06-20261001-20261231.csv")
    );
    let csv = std::fs::read_to_string(&path).expect("csv");
    assert!(csv.contains("Tổng cộng"), "{csv}");

    // Cancelled: the job finds the flag set and writes no file.
    let _ = state.update(
        Message::Export(export::Message::Preset(export::Preset::ThisYear)),
        &session,
    );
    let start = state.update(Message::Export(export::Message::Start), &session);
    let _ = state.update(Message::Export(export::Message::Cancel), &session);
    let _ = drive(&store, start, &mut |m| state.update(m, &session));
    assert_eq!(
        state.export().outcome,
        Some(Err(s::EXPORT_CANCELLED.to_string()))
    );
    assert!(
        !dir.path()
            .join("reports/bieu06-20260101-20261231.csv")
            .exists()
    );

    // The pieces: presets on a date in the first quarter, and a direct write.
    let jan = NaiveDate::from_ymd_opt(2027, 1, 5).expect("date");
    let last = export::period(export::Preset::LastQuarter, jan, "", "").expect("period");
    assert_eq!(last.describe_vi(), "Từ ngày 01/10/2026 đến ngày 31/12/2026");
    let range =
        export::period(export::Preset::Range, jan, "1/11/2026", "30/11/2026").expect("range");
    let rows = AtomicU64::new(0);
    let written = store
        .export_report(range, export::Format::Xlsx, &rows, &AtomicBool::new(false))
        .expect("xlsx");
    assert!(std::fs::metadata(written).expect("file").len() > 0);
    assert_eq!(
        rows.load(std::sync::atomic::Ordering::Relaxed),
        9,
        "rows touching November"
    );
}

/// Issue 19 §5: the month's QĐ 766 scorecard; choosing an indicator lists the dossiers
/// that cost it points, and each one opens.
#[test]
fn the_scorecard_lists_the_dossiers_that_cost_points() -> Result<(), iced_test::Error> {
    let (_dir, store, session) = desk(false);
    dataset(&mut store.lock());
    let mut state = loaded(&store, &session);
    let card = state.figures().expect("figures").scorecard.clone();
    // November: A B C D E F G H I; late: C (an hour past its time), G, H.
    assert_eq!((card.on_time.met, card.on_time.of), (6, 9));
    assert_eq!(card.on_time.costs.len(), 3);
    // No centre: nothing synced; nothing digitised.
    assert_eq!((card.synced.met, card.synced.of), (0, 9));
    assert_eq!((card.digitised.met, card.digitised.of), (0, 9));
    assert_eq!((card.satisfaction.met, card.satisfaction.of), (6, 9));

    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::SCORE_TITLE).is_ok());
    assert!(ui.find("66,67%").is_ok());
    let _ = ui.click(s::score_label("2.1", card.on_time.title).as_str())?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    for m in msgs {
        let _ = state.update(m, &session);
    }
    assert_eq!(state.picked(), Some(0));
    let first = card.on_time.costs[0].code.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::score_costs_title("2.1", 3).as_str()).is_ok());
    let _ = ui.click(first.as_str())?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let mut ups = Vec::new();
    for m in msgs {
        ups.extend(state.update(m, &session).into_list());
    }
    assert!(
        ups.iter()
            .any(|a| matches!(a, Action::Up(Up::OpenDossier(c)) if *c == first)),
        "{ups:?}"
    );
    Ok(())
}

/// Issue 23: a dossier received here for another commune shows as "nhận hộ" and is not
/// counted in this unit's figures; the card is absent while there is none.
#[test]
fn a_dossier_received_for_another_commune_shows_as_nhan_ho() -> Result<(), iced_test::Error> {
    use crate::domain::intake::IntakeInput;
    use crate::domain::province::{ProvinceLists, ProvinceUnit};
    let (_dir, store, session) = desk(false);
    take(
        &mut store.lock(),
        HO_TICH,
        "2026-11-17T09:00:00+07:00",
        now(),
    );
    let state = loaded(&store, &session);
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::CARD_FOR_OTHERS).is_err(), "no card without one");

    let lists = ProvinceLists {
        units: vec![ProvinceUnit {
            code: "H22.39.16".into(),
            name: "UBND phường Bãi Cháy".into(),
        }],
        cross_procedures: vec![HO_TICH.into()],
    };
    let mut s = store.lock();
    s.replace_province_lists(&lists, "v1").expect("kept");
    let code = take(&mut s, HO_TICH, "2026-11-17T10:00:00+07:00", now());
    let state_of = s.dossier(&code).expect("dossier");
    assert!(state_of.deciding_unit.is_none(), "the own unit by default");
    let json = format!(
        r#"{{"procedure": "{HO_TICH}", "deciding_unit": "H22.39.16",
  "applicant": {{"full_name": "Lê Văn Hùng", "id_number": "022085004321",
    "date_of_birth": "1985-02-01", "gender": "Nam",
    "address": "Số 3 đường Hạ Long, phường Bãi Cháy, tỉnh Quảng Ninh"}},
  "received_at": "2026-11-17T11:00:00+07:00"}}"#
    );
    let input = IntakeInput::from_json(&json).expect("input");
    s.intake(input, "Trần Thị Mai", now())
        .expect("cross intake");
    drop(s);
    let state = loaded(&store, &session);
    let f = state.figures().expect("figures");
    assert_eq!(f.received_for_others, 1);
    assert_eq!(f.month.received_total(), 2, "counted at the deciding unit");
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::CARD_FOR_OTHERS).is_ok());
    assert!(ui.find(s::CARD_FOR_OTHERS_NOTE).is_ok());
    Ok(())
}
