//! Issue 19 §5: one on-time rule, QĐ 766 indicator 2.1, on a quarter whose dossiers
//! take every branch of it through the real store. Biểu 06, the F5 scorecard, the
//! centre's statistics and its per-unit scorecard all match the count written here by
//! hand, dossier by dossier.

mod common;

use std::sync::atomic::AtomicBool;

use motcua::centre::report::stats::{scorecards_of, stats_of};
use motcua::domain::clock::Timestamp;
use motcua::domain::intake::IntakeInput;
use motcua::domain::lifecycle::classify;
use motcua::domain::report::{Counts, Period};
use motcua::domain::status::Timeliness::{
    self, Early, Late, OnTime, PendingInTime as InTime, PendingLate as Overdue,
};
use motcua::store::Store;
use motcua::store::dossiers::ActionRequest;

const HO_TICH: &str = "1.004873"; // 3 working days, same clock time
const CHUNG_THUC: &str = "2.000884"; // same day

fn t(s: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-{s}+07:00")).expect("rfc 3339")
}

fn now() -> Timestamp {
    t("07-15T08:00:00")
}

fn take(s: &mut Store, procedure: &str, received: &str) -> String {
    let json = common::dossier_json(procedure, &format!("2026-{received}+07:00"));
    let input = IntakeInput::from_json(&json).expect("input");
    s.intake(input, "Trần Thị Mai", now())
        .expect("intake")
        .code
        .to_string()
}

fn act(s: &mut Store, code: &str, at: &str, request: ActionRequest) {
    s.record(code, request, Some(t(at)), "Trần Thị Mai", now())
        .expect("recorded");
}

fn ready(s: &mut Store, code: &str, at: &str) {
    let note = String::new();
    act(s, code, at, ActionRequest::ResultReady { note });
}

fn ask(s: &mut Store, code: &str, at: &str) {
    let request = ActionRequest::RequestSupplement {
        items: vec!["Tờ khai".into()],
        reason: "Thiếu giấy tờ".into(),
    };
    act(s, code, at, request);
}

fn complete(s: &mut Store, code: &str, at: &str) {
    let note = String::new();
    act(s, code, at, ActionRequest::ReceiveSupplement { note });
}

/// The dataset: (code, class at the end of June written by hand); P14 and P15 lie
/// outside the quarter.
fn dataset(s: &mut Store) -> Vec<(String, Option<Timeliness>)> {
    let mut out = Vec::new();
    // P1: same-day procedure (due Tue 5/5 at closing), ready 11:00: trước hạn.
    let p1 = take(s, CHUNG_THUC, "05-05T09:00:00");
    // P2: due Thu 7/5 10:00, ready within the minute: đúng hạn.
    let p2 = take(s, HO_TICH, "05-04T10:00:00");
    // The centre acknowledged the first two receipts (1.4).
    s.set_acked(2, None).expect("acked");
    ready(s, &p1, "05-05T11:00:00");
    ready(s, &p2, "05-07T10:00:30");
    out.push((p1, Some(Early)));
    out.push((p2, Some(OnTime)));
    // P3: due Thu 7/5 11:00, ready at 16:00 the same day: quá hạn.
    let p3 = take(s, HO_TICH, "05-04T11:00:00");
    ready(s, &p3, "05-07T16:00:00");
    out.push((p3, Some(Late)));
    // P4: withdrawn Wed 6/5, before its appointment: đúng hạn.
    let p4 = take(s, HO_TICH, "05-04T13:00:00");
    let note = String::new();
    act(s, &p4, "05-06T09:00:00", ActionRequest::Withdraw { note });
    out.push((p4, Some(OnTime)));
    // P5: stopped Fri 8/5, after its appointment (7/5 14:00): quá hạn.
    let p5 = take(s, HO_TICH, "05-04T14:00:00");
    let reason = "Người nộp không bổ sung".to_string();
    act(s, &p5, "05-08T09:00:00", ActionRequest::Stop { reason });
    out.push((p5, Some(Late)));
    // P6: papers asked 11/5 10:00, brought Fri 15/5 09:00 (new appointment Wed 20/5
    // 09:00); ready Thu 21/5 09:00. Less the 4 days 23 hours waited: trước hạn.
    let p6 = take(s, HO_TICH, "05-11T09:00:00");
    ask(s, &p6, "05-11T10:00:00");
    complete(s, &p6, "05-15T09:00:00");
    ready(s, &p6, "05-21T09:00:00");
    out.push((p6, Some(Early)));
    // P7: papers asked twice; ready early all the same: quá hạn.
    let p7 = take(s, HO_TICH, "05-11T09:30:00");
    ask(s, &p7, "05-11T10:00:00");
    complete(s, &p7, "05-12T09:00:00");
    ask(s, &p7, "05-13T09:00:00");
    complete(s, &p7, "05-14T09:00:00");
    ready(s, &p7, "05-15T09:00:00");
    out.push((p7, Some(Late)));
    // P8: due Thu 4/6 09:00, waiting for papers asked on 2/6: trong hạn.
    let p8 = take(s, HO_TICH, "06-01T09:00:00");
    ask(s, &p8, "06-02T09:00:00");
    out.push((p8, Some(InTime)));
    // P9: due Thu 4/6 10:00, papers asked only on 5/6: quá hạn.
    let p9 = take(s, HO_TICH, "06-01T10:00:00");
    ask(s, &p9, "06-05T09:00:00");
    out.push((p9, Some(Overdue)));
    // P10: open, due Thu 2/7: trong hạn.
    let p10 = take(s, HO_TICH, "06-29T09:00:00");
    out.push((p10, Some(InTime)));
    // P11: open, due Thu 25/6: quá hạn.
    let p11 = take(s, HO_TICH, "06-22T09:00:00");
    out.push((p11, Some(Overdue)));
    // P12: carried over from March (due Thu 2/4), ready Wed 1/4: trước hạn.
    let p12 = take(s, HO_TICH, "03-30T09:00:00");
    ready(s, &p12, "04-01T09:00:00");
    out.push((p12, Some(Early)));
    // P13: due Mon 29/6 09:00, ready Thu 2/7: open and late at the end of June.
    let p13 = take(s, HO_TICH, "06-24T09:00:00");
    ready(s, &p13, "07-02T09:00:00");
    out.push((p13, Some(Overdue)));
    // P14: received in July; P15: finished in March.
    let p14 = take(s, HO_TICH, "07-01T09:00:00");
    out.push((p14, None));
    let p15 = take(s, HO_TICH, "03-02T09:00:00");
    ready(s, &p15, "03-03T09:00:00");
    out.push((p15, None));
    out
}

fn q2() -> Period {
    Period::preset("2026-Q2").expect("quarter")
}

#[test]
fn every_dossier_is_classed_as_written_by_hand() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    let end = t("07-01T00:00:00");
    for (code, class) in dataset(&mut s) {
        let Some(class) = class else { continue };
        let state = s.dossier(&code).expect("dossier");
        assert_eq!(classify(&state, end), class, "{code}");
    }
}

#[test]
fn biểu_06_the_scorecard_and_the_centre_agree_with_the_hand_count() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    let data = dataset(&mut s);
    let code = |n: usize| data[n - 1].0.clone();
    let report = s
        .report(q2(), now(), &AtomicBool::new(false), |_| {})
        .expect("report")
        .total;
    // Early P1 P6 P12; on time P2 P4; late P3 P5 P7; open in time P8 P10; open late
    // P9 P11 P13. Carried over: P12.
    assert_eq!(
        report,
        Counts {
            carried_over: 1,
            received_online: 0,
            received_direct: 12,
            resolved_early: 3,
            resolved_on_time: 2,
            resolved_late: 3,
            pending_in_time: 2,
            pending_late: 3,
        }
    );

    let card = s.scorecard(q2(), now()).expect("scorecard");
    assert_eq!((card.on_time.met, card.on_time.of), (7, 13));
    let mut late: Vec<String> = [3, 5, 7, 9, 11, 13].into_iter().map(code).collect();
    late.sort();
    let costs: Vec<String> = card.on_time.costs.iter().map(|c| c.code.clone()).collect();
    assert_eq!(costs, late);
    // Received in the quarter: P1–P11, P13; the centre holds P1 and P2.
    assert_eq!((card.synced.met, card.synced.of), (2, 12));
    assert!(!card.synced.costs.iter().any(|c| c.code == code(1)));
    assert_eq!((card.digitised.met, card.digitised.of), (0, 12));
    assert_eq!((card.satisfaction.met, card.satisfaction.of), (7, 13));

    // The centre: the same classes and the same 2.1 from the folded dossiers.
    let states: Vec<_> = data
        .iter()
        .map(|(c, _)| s.dossier(c).expect("dossier"))
        .collect();
    let end = t("07-01T00:00:00");
    let inside: Vec<_> = data
        .iter()
        .zip(&states)
        .filter(|((_, class), _)| class.is_some())
        .map(|(_, st)| st.clone())
        .collect();
    let centre = &stats_of(&inside, end)[0];
    assert_eq!(
        (centre.early, centre.on_time, centre.late),
        (3, 2, 3),
        "resolved"
    );
    assert_eq!((centre.pending_in_time, centre.pending_late), (2, 3));
    let per_unit = scorecards_of(&states, &q2(), now());
    assert_eq!(per_unit.len(), 1);
    let centre_card = &per_unit[0].1;
    assert_eq!(centre_card.on_time, card.on_time, "the same code, per unit");
    assert_eq!((centre_card.synced.met, centre_card.synced.of), (12, 12));
}

/// Migration 13 fills the supplement columns of dossiers that existed before it.
#[test]
fn the_migration_step_restores_the_supplement_columns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = common::new_store(tmp.path());
    dataset(&mut s);
    let before = s.scorecard(q2(), now()).expect("scorecard");
    let db = motcua::store::paths::DataPaths::in_dir(tmp.path()).db;
    drop(s);
    let mut conn = rusqlite::Connection::open(&db).expect("opens");
    conn.execute(
        "UPDATE dossier SET second_supplement_at = NULL, waiting_since = NULL,
             supplement_wait_secs = 0",
        [],
    )
    .expect("cleared");
    let tx = conn.transaction().expect("tx");
    motcua::store::log::reproject_supplements(&tx).expect("step");
    tx.commit().expect("commit");
    drop(conn);
    let s = Store::open(motcua::store::paths::DataPaths::in_dir(tmp.path())).expect("opens");
    assert_eq!(s.scorecard(q2(), now()).expect("scorecard"), before);
}
