//! The window never shows stale data after a background sync round: a result
//! recorded at the centre appears in the open F3 list and in the open dossier
//! within one round, and the next intake uses the calendar the centre just sent.
//! A real centre on a real PostgreSQL, the window driven through its harness.

#![cfg(feature = "desk")]

mod sync_support;

use motcua::desk::work::Intake;
use motcua::domain::calendar::{OFFICIAL_CSV, WorkCalendar};
use motcua::domain::clock::{from_wall, now_vn, to_wall};
use motcua::domain::due::due_at;
use motcua::domain::intake::IntakeInput;
use motcua::domain::status::Status;
use motcua::store::accounts::NewClerk;
use motcua::store::{DataPaths, Store};
use motcua::ui::app::{Message, Screen};
use motcua::ui::screens::{detail, dossiers, login};
use motcua::ui::testing::Harness;
use sync_support::*;

fn status_in_list(h: &Harness, code: &str) -> Option<Status> {
    h.app
        .dossiers()
        .expect("at the counter")
        .rows()
        .iter()
        .find(|r| r.summary.code == code)
        .map(|r| r.summary.status)
}

fn status_in_detail(h: &Harness) -> Option<Status> {
    h.app
        .detail()
        .and_then(detail::State::loaded)
        .map(|l| l.state.status)
}

/// A signed-in window on the desk in `dir`.
fn window(dir: &std::path::Path) -> Harness {
    let mut store = Store::open(DataPaths::in_dir(dir)).expect("opens");
    let clerk = store
        .add_clerk(
            &NewClerk {
                username: "tran.hoa".into(),
                full_name: "Trần Thị Hòa".into(),
                password: "mật khẩu quầy 1".into(),
                is_admin: false,
            },
            now_vn(),
        )
        .expect("clerk");
    drop(store);
    let mut h = Harness::open(DataPaths::in_dir(dir)).expect("opens");
    h.send(Message::Login(login::Message::Answer(Ok(clerk))));
    assert!(h.app.session().is_some(), "signed in");
    h
}

/// The official table with one more day off: the first working day after today.
fn calendar_with_a_new_day_off(old: &WorkCalendar) -> (String, chrono::NaiveDate) {
    let today = to_wall(now_vn()).date();
    let day = (1..30)
        .map(|n| today + chrono::Duration::days(n))
        .find(|d| old.is_working_day(*d))
        .expect("a working day within a month");
    let line = format!(
        "{},{},BRIDGE,Nghỉ hoán đổi (thử),swap,HIGH,Bộ Nội vụ\n",
        day.format("%Y-%m-%d"),
        day.format("%a")
    );
    let mut csv = OFFICIAL_CSV.to_string();
    if !csv.ends_with('\n') {
        csv.push('\n');
    }
    csv.push_str(&line);
    (csv, day)
}

#[test]
fn a_sync_round_refreshes_the_open_list_the_open_dossier_and_the_calendar() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    let codes = desk.take_dossiers(2);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolls");

    let mut h = window(desk.dir.path());
    h.sync_round();
    assert_eq!(desk.store().sync_state().expect("state").pending(), 0);

    // F3 open: the centre records the first result; one round later the list shows it.
    h.send(Message::Go(Screen::Dossiers));
    assert_eq!(status_in_list(&h, &codes[0]), Some(Status::Received));
    centre.admin(&["record", &codes[0], "result-ready", "--by", "Phòng Tư pháp"]);
    h.sync_round();
    assert_eq!(
        status_in_list(&h, &codes[0]),
        Some(Status::ResultReady),
        "the open list shows the result recorded at the centre"
    );

    // The second dossier open: the same for the detail screen.
    h.send(Message::Dossiers(dossiers::Message::Open(codes[1].clone())));
    assert_eq!(status_in_detail(&h), Some(Status::Received));
    centre.admin(&["record", &codes[1], "result-ready", "--by", "Phòng Tư pháp"]);
    h.sync_round();
    assert_eq!(
        status_in_detail(&h),
        Some(Status::ResultReady),
        "the open dossier shows the result recorded at the centre"
    );

    // The centre announces a new day off; the next intake's due date skips it.
    let old = h.store().calendar().expect("calendar").clone();
    let (csv, day_off) = calendar_with_a_new_day_off(&old);
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), csv).expect("write");
    centre.admin(&["calendar", "import", file.path().to_str().expect("utf-8")]);
    h.sync_round();
    let session = h.app.session().expect("signed in");
    assert!(
        !session.calendar.is_working_day(day_off),
        "the window's calendar has the new day off"
    );
    let written = h
        .desk
        .take_in(
            IntakeInput::from_json(&dossier_json(7)).expect("json"),
            Intake {
                clerk: "Trần Thị Hòa",
                draft: None,
            },
        )
        .expect("taken in");
    let state = written.state;
    let hours = session.unit.hours;
    let limit = state.content.procedure.time_limit;
    let received = to_wall(state.content.received_at);
    let new = Store::open(DataPaths::in_dir(desk.dir.path()))
        .expect("opens")
        .calendar()
        .expect("calendar")
        .clone();
    let expected = from_wall(due_at(received, limit, &new, &hours));
    let stale = from_wall(due_at(received, limit, &old, &hours));
    assert_ne!(expected, stale, "the new day off moves this due date");
    assert_eq!(
        state.due_at, expected,
        "the intake used the calendar the centre just sent"
    );
}
