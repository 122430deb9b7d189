//! F5's ratings: the unit's month for everyone, per receiving clerk only for an
//! administrator (issue 22 §3).

use iced_test::simulator;

use super::testing::{act, desk, drive, ready, t};
use super::*;
use crate::desk::Desk;
use crate::domain::intake::IntakeInput;
use crate::domain::rating::{Answer, Choice, Indicator};
use crate::store::Store;
use crate::store::dossiers::ActionRequest;

const HO_TICH: &str = "1.004873"; // 3 working days

/// Wed 18/11/2026 10:00.
fn now() -> Timestamp {
    t("2026-11-18T10:00:00+07:00")
}

/// Takes in a dossier received by `clerk`, hands the result back and rates it at
/// `rated` with the attitude answer `attitude`.
fn rated(s: &mut Store, clerk: &str, received: &str, rated: &str, attitude: Choice) -> String {
    let json = format!(
        r#"{{"procedure": "{HO_TICH}",
  "applicant": {{"full_name": "Nguyễn Thị Ngọc Ánh", "id_number": "022190001234",
    "date_of_birth": "1990-05-17", "gender": "Nữ",
    "address": "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh"}},
  "received_at": "{received}"}}"#
    );
    let input = IntakeInput::from_json(&json).expect("input");
    let code = s
        .intake(input, clerk, now())
        .expect("intake")
        .code
        .to_string();
    ready(s, &code, rated, now());
    act(
        s,
        &code,
        rated,
        ActionRequest::Return {
            collected_by: None,
            note: String::new(),
        },
        now(),
    );
    let answers = vec![
        Answer {
            indicator: Indicator::Bodies,
            choice: Choice::A,
        },
        Answer {
            indicator: Indicator::Attitude,
            choice: attitude,
        },
    ];
    s.rate_at_counter(&code, answers, clerk, t(rated))
        .expect("rated");
    code
}

/// Two clerks' dossiers rated this month, one last month (not counted).
fn dataset(s: &mut Store) {
    rated(
        s,
        "Trần Thị Mai",
        "2026-11-16T08:00:00+07:00",
        "2026-11-16T15:00:00+07:00",
        Choice::A,
    );
    rated(
        s,
        "Lê Văn Hòa",
        "2026-11-17T08:00:00+07:00",
        "2026-11-17T09:00:00+07:00",
        Choice::C,
    );
    rated(
        s,
        "Lê Văn Hòa",
        "2026-10-26T08:00:00+07:00",
        "2026-10-27T09:00:00+07:00",
        Choice::A,
    );
}

fn loaded(store: &Desk, session: &Session) -> State {
    let mut state = State::at(now());
    let first = state.on_show(session);
    let rest = drive(store, first, &mut |m| state.update(m, session));
    assert!(rest.is_empty(), "{rest:?}");
    state
}

#[test]
fn an_administrator_sees_the_units_ratings_and_each_clerks() {
    let (_dir, store, session) = desk(true);
    dataset(&mut store.lock());
    let state = loaded(&store, &session);
    let r = state.ratings().expect("ratings read");
    assert_eq!((r.unit.count, r.unit.counter, r.unit.complaints), (2, 2, 1));
    let names: Vec<&str> = r.clerks.iter().map(|c| c.clerk.as_str()).collect();
    assert_eq!(names, ["Lê Văn Hòa", "Trần Thị Mai"]);
    assert_eq!(
        r.clerks[0].summary.count, 1,
        "October's rating is not November's"
    );

    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::ratings_title("11/2026").as_str()).is_ok());
    assert!(ui.find(s::ratings_count(2, 2, 0).as_str()).is_ok());
    assert!(ui.find(s::ratings_complaints(1).as_str()).is_ok());
    // Indicator 4: both answered "none" (2 points).
    assert!(ui.find(s::ratings_points(Some(2.0)).as_str()).is_ok());
    assert!(ui.find(s::RATINGS_PER_CLERK).is_ok());
    assert!(ui.find("Lê Văn Hòa").is_ok());
    assert!(ui.find("Trần Thị Mai").is_ok());
}

#[test]
fn a_plain_clerk_sees_the_units_ratings_only() {
    let (_dir, store, session) = desk(false);
    dataset(&mut store.lock());
    let state = loaded(&store, &session);
    let r = state.ratings().expect("ratings read");
    assert_eq!((r.unit.count, r.unit.complaints), (2, 1));
    assert!(r.clerks.is_empty(), "not even read for a plain clerk");

    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::ratings_count(2, 2, 0).as_str()).is_ok());
    assert!(ui.find(s::RATINGS_PER_CLERK).is_err());
    assert!(ui.find("Lê Văn Hòa").is_err());
    assert!(ui.find("Trần Thị Mai").is_err());
}

#[test]
fn a_month_without_ratings_says_so() {
    let (_dir, store, session) = desk(false);
    let state = loaded(&store, &session);
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::RATINGS_NONE).is_ok());
}
