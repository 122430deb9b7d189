use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::applicant::{Applicant, Gender, Identity, PersonalId};
use crate::domain::clock::from_wall;
use crate::domain::dossier::{Channel, DossierContent, ProcedureRef};
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::{Actor, ActorRole, EventId};
use crate::domain::procedure::ProcedureCode;
use crate::domain::time_limit::{TimeLimit, TimeUnit};
use crate::domain::unit::UnitCode;

fn wall(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid test time")
}

fn code() -> DossierCode {
    DossierCode::new(
        UnitCode::parse("H22.39.15").expect("unit"),
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
        1,
    )
    .expect("code")
}

fn content(received: NaiveDateTime, due: NaiveDateTime) -> DossierContent {
    DossierContent {
        procedure: ProcedureRef {
            code: ProcedureCode::parse("1.004873").expect("code"),
            name: "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân".into(),
            field: "Hộ tịch".into(),
            time_limit: TimeLimit {
                value: 3,
                unit: TimeUnit::WorkingDay,
            },
            time_limit_case: None,
            time_limit_reason: None,
        },
        applicant: Applicant {
            full_name: "Nguyễn Thị Hoa".into(),
            identity: Identity::Citizen {
                id_number: PersonalId::parse("034303011829").expect("id"),
                date_of_birth: NaiveDate::from_ymd_opt(2003, 3, 21).expect("dob"),
                gender: Gender::Female,
            },
            address: "Thôn Lai Ổn, An Quý, Quỳnh Phụ, Thái Bình".into(),
            phone: None,
            email: None,
        },
        authorised: None,
        documents: vec![],
        sets: 1,
        channel: Channel::InPerson,
        result_at: "Bộ phận Tiếp nhận và Trả kết quả".into(),
        received_at: from_wall(received),
        due_at: from_wall(due),
        fee_amount: None,
        received_by: "Trần Thị Mai".into(),
    }
}

fn event(at: NaiveDateTime, body: EventBody) -> Event {
    Event {
        id: EventId::new(),
        dossier: code(),
        at: from_wall(at),
        actor: Actor {
            name: "Trần Thị Mai".into(),
            role: ActorRole::Clerk,
        },
        origin: "desk-a".into(),
        body,
    }
}

fn received() -> Event {
    event(
        wall(2026, 3, 2, 9, 30),
        EventBody::Received {
            content: Box::new(content(wall(2026, 3, 2, 9, 30), wall(2026, 3, 5, 9, 30))),
            numbers: None,
            tracking: None,
            consent: None,
        },
    )
}

fn note() -> String {
    String::new()
}

#[test]
fn fold_follows_the_happy_path_to_returned() {
    let events = [
        received(),
        event(
            wall(2026, 3, 2, 10, 0),
            EventBody::Transferred {
                to: "Tư pháp".into(),
                note: note(),
            },
        ),
        event(
            wall(2026, 3, 4, 15, 0),
            EventBody::ResultReady { note: note() },
        ),
        event(
            wall(2026, 3, 5, 8, 0),
            EventBody::Returned {
                collected_by: "Nguyễn Thị Hoa".into(),
                note: note(),
            },
        ),
    ];
    // Order of the log does not matter: the fold sorts.
    let reversed: Vec<Event> = events.iter().rev().cloned().collect();
    let state = fold(&reversed).expect("folds");
    assert_eq!(state.status, Status::Returned);
    assert_eq!(state.status.code(), 10);
    assert_eq!(state.returned_to.as_deref(), Some("Nguyễn Thị Hoa"));
    assert!(state.anomalies.is_empty());
    assert_eq!(
        classify(&state, from_wall(wall(2026, 3, 10, 8, 0))),
        Timeliness::Early
    );
}

#[test]
fn a_receipt_is_needed_and_comes_first_whatever_its_clock() {
    let ready = event(
        wall(2026, 3, 1, 8, 0),
        EventBody::ResultReady { note: note() },
    );
    assert_eq!(fold([&ready]), Err(FoldError::NoReceipt));
    // A centre event stamped before the desk's receipt (clocks disagree) still applies.
    let r = received();
    let state = fold([&ready, &r]).expect("folds");
    assert_eq!(state.status, Status::ResultReady);
}

#[test]
fn disallowed_events_from_sync_are_kept_as_anomalies_without_effect() {
    let events = vec![
        received(),
        event(
            wall(2026, 3, 2, 11, 0),
            EventBody::Withdrawn { note: note() },
        ),
        event(
            wall(2026, 3, 3, 9, 0),
            EventBody::ResultReady { note: note() },
        ),
    ];
    let state = fold(&events).expect("folds");
    assert_eq!(state.status, Status::Withdrawn);
    assert_eq!(state.anomalies.len(), 1);
    assert_eq!(state.anomalies[0].kind, EventKind::ResultReady);
    // Withdrawn before its due day: on time, by the one on-time rule.
    assert_eq!(
        classify(&state, from_wall(wall(2026, 3, 9, 8, 0))),
        Timeliness::OnTime
    );
}

#[test]
fn supplement_restarts_the_due_time_and_pending_is_in_time() {
    let new_due = from_wall(wall(2026, 3, 13, 14, 0));
    let events = vec![
        received(),
        event(
            wall(2026, 3, 3, 9, 0),
            EventBody::SupplementRequested {
                items: vec!["Giấy tờ chứng minh tình trạng hôn nhân".into()],
                reason: "Thiếu giấy tờ".into(),
            },
        ),
    ];
    let waiting = fold(&events).expect("folds");
    assert_eq!(waiting.status, Status::SupplementRequested);
    // Waiting for the citizen is not the administration's delay.
    assert_eq!(
        classify(&waiting, from_wall(wall(2026, 4, 1, 8, 0))),
        Timeliness::PendingInTime
    );
    let mut events = events;
    events.push(event(
        wall(2026, 3, 10, 14, 0),
        EventBody::SupplementReceived {
            due_at: new_due,
            note: note(),
        },
    ));
    let state = fold(&events).expect("folds");
    assert_eq!(state.status, Status::Processing);
    assert_eq!(state.due_at, new_due);
    assert_eq!(
        state.content.due_at,
        from_wall(wall(2026, 3, 5, 9, 30)),
        "the receipt keeps its promise"
    );
    // QĐ 766 2.1: the end less the time waited for papers (3/3 09:00 → 10/3 14:00)
    // against the appointment the dossier carries.
    assert_eq!(state.supplement_wait_secs, (7 * 24 + 5) * 3600);
    assert_eq!(state.waiting_since, None);
    assert_eq!(
        classify(&state, from_wall(wall(2026, 3, 20, 19, 0))),
        Timeliness::PendingInTime
    );
    assert_eq!(
        classify(&state, from_wall(wall(2026, 3, 20, 19, 1))),
        Timeliness::PendingLate
    );
    // A second request is the dossier's second chance taken: late from then on.
    let second = second_request();
    events.push(second);
    let twice = fold(&events).expect("folds");
    assert_eq!(twice.supplement_requests, 2);
    assert!(makes_late(
        &state,
        &EventBody::SupplementRequested {
            items: vec!["Tờ khai".into()],
            reason: "Sai thông tin".into()
        }
    ));
    assert_eq!(
        classify(&twice, from_wall(wall(2026, 3, 12, 8, 0))),
        Timeliness::PendingLate
    );
}

fn second_request() -> Event {
    event(
        wall(2026, 3, 11, 9, 0),
        EventBody::SupplementRequested {
            items: vec!["Tờ khai".into()],
            reason: "Sai thông tin".into(),
        },
    )
}

#[test]
fn a_first_request_does_not_make_the_dossier_late() {
    let state = fold([&received()]).expect("folds");
    let body = EventBody::SupplementRequested {
        items: vec!["Tờ khai".into()],
        reason: "Thiếu".into(),
    };
    assert!(!makes_late(&state, &body));
    assert!(!makes_late(
        &state,
        &EventBody::ResultReady { note: note() }
    ));
}

#[test]
fn on_time_classes_compare_date_times() {
    // Due Thu 5/3 09:30.
    let mut state = fold([&received()]).expect("folds");
    for (ready, expected) in [
        (wall(2026, 3, 4, 16, 0), Timeliness::Early),
        (wall(2026, 3, 5, 9, 0), Timeliness::Early),
        (wall(2026, 3, 5, 9, 30), Timeliness::OnTime),
        (wall(2026, 3, 5, 16, 59), Timeliness::Late),
        (wall(2026, 3, 6, 8, 0), Timeliness::Late),
    ] {
        state.result_ready_at = Some(from_wall(ready));
        assert_eq!(classify(&state, from_wall(ready)), expected, "{ready}");
    }
}

#[test]
fn extension_is_once_only_and_at_least_one_working_day_before_due() {
    let calendar = WorkCalendar::official();
    let state = fold([&received()]).expect("folds");
    let extend = |until| EventBody::Extended {
        due_at: from_wall(until),
        reason: "Cần xác minh".into(),
    };
    // Due Thu 5/3 09:30: the last day to extend is Wed 4/3.
    assert_eq!(
        check(
            &state,
            &extend(wall(2026, 3, 10, 9, 30)),
            wall(2026, 3, 4, 16, 0),
            &calendar
        ),
        Ok(())
    );
    assert!(matches!(
        check(
            &state,
            &extend(wall(2026, 3, 10, 9, 30)),
            wall(2026, 3, 5, 8, 0),
            &calendar
        ),
        Err(TransitionError::ExtensionTooLate { .. })
    ));
    assert!(matches!(
        check(
            &state,
            &extend(wall(2026, 3, 5, 9, 0)),
            wall(2026, 3, 3, 8, 0),
            &calendar
        ),
        Err(TransitionError::ExtensionNotLater { .. })
    ));
    let extended = fold(&[
        received(),
        event(wall(2026, 3, 3, 8, 0), extend(wall(2026, 3, 10, 9, 30))),
    ])
    .expect("folds");
    assert!(extended.extended);
    assert_eq!(extended.due_at, from_wall(wall(2026, 3, 10, 9, 30)));
    assert_eq!(
        check(
            &extended,
            &extend(wall(2026, 3, 12, 9, 30)),
            wall(2026, 3, 4, 8, 0),
            &calendar
        ),
        Err(TransitionError::AlreadyExtended)
    );
}

#[test]
fn clerk_actions_follow_the_transition_table() {
    let calendar = WorkCalendar::official();
    let now = wall(2026, 3, 3, 8, 0);
    let state = fold([&received()]).expect("folds");
    let ret = EventBody::Returned {
        collected_by: "X".into(),
        note: note(),
    };
    let err = check(&state, &ret, now, &calendar).expect_err("cannot return before a result");
    assert_eq!(
        err.to_string(),
        "Hồ sơ đang ở trạng thái \"Đã tiếp nhận\": không thể trả kết quả"
    );
    let returned = fold(&[
        received(),
        event(
            wall(2026, 3, 3, 9, 0),
            EventBody::ResultReady { note: note() },
        ),
        event(wall(2026, 3, 3, 10, 0), ret.clone()),
    ])
    .expect("folds");
    for body in [
        EventBody::Withdrawn { note: note() },
        EventBody::ResultReady { note: note() },
        ret,
        EventBody::Stopped { reason: "x".into() },
    ] {
        assert!(
            check(&returned, &body, now, &calendar).is_err(),
            "{:?}",
            body.kind()
        );
    }
    assert_eq!(
        check(
            &state,
            &EventBody::Received {
                content: Box::new(state.content.clone()),
                numbers: None,
                tracking: None,
                consent: None,
            },
            now,
            &calendar
        ),
        Err(TransitionError::AlreadyReceived)
    );
}

#[test]
fn a_correction_changes_content_but_not_the_promised_dates() {
    let mut fixed = content(wall(2026, 3, 2, 9, 30), wall(2026, 3, 5, 9, 30));
    fixed.applicant.address = "Số 5 đường Lê Thánh Tông, phường Hồng Gai".into();
    fixed.due_at = from_wall(wall(2027, 1, 1, 0, 0));
    let state = fold(&[
        received(),
        event(
            wall(2026, 3, 2, 10, 0),
            EventBody::Corrected {
                content: Box::new(fixed),
                note: "Sửa địa chỉ".into(),
            },
        ),
    ])
    .expect("folds");
    assert_eq!(
        state.content.applicant.address,
        "Số 5 đường Lê Thánh Tông, phường Hồng Gai"
    );
    assert_eq!(state.due_at, from_wall(wall(2026, 3, 5, 9, 30)));
    assert_eq!(state.content.due_at, from_wall(wall(2026, 3, 5, 9, 30)));
}

/// Every arrival order of the same events folds to the same state, whatever the
/// machines' clocks said: a desk whose clock ran hours fast stamped the receipt after
/// the centre's steps, and a slow desk stamped its transfer before the receipt.
#[test]
fn the_fold_does_not_depend_on_arrival_order_or_on_clocks_agreeing() {
    let receipt_fast_clock = event(
        wall(2026, 3, 2, 13, 30),
        EventBody::Received {
            content: Box::new(content(wall(2026, 3, 2, 13, 30), wall(2026, 3, 5, 13, 30))),
            numbers: None,
            tracking: None,
            consent: None,
        },
    );
    let transfer_slow_clock = event(
        wall(2026, 3, 2, 7, 0),
        EventBody::Transferred {
            to: "Công chức Tư pháp - Hộ tịch".into(),
            note: note(),
        },
    );
    let supplement = event(
        wall(2026, 3, 2, 10, 0),
        EventBody::SupplementRequested {
            items: vec!["Bản sao giấy khai sinh".into()],
            reason: "Thiếu giấy tờ".into(),
        },
    );
    let ready = event(
        wall(2026, 3, 3, 9, 0),
        EventBody::ResultReady { note: note() },
    );
    let events = [receipt_fast_clock, transfer_slow_clock, supplement, ready];
    let reference = fold(&events).expect("folds");
    let mut seen = 0;
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    let order = [a, b, c, d];
                    if (0..4).any(|i| !order.contains(&i)) {
                        continue;
                    }
                    let shuffled: Vec<&Event> = order.iter().map(|&i| &events[i]).collect();
                    assert_eq!(fold(shuffled).expect("folds"), reference, "{order:?}");
                    seen += 1;
                }
            }
        }
    }
    assert_eq!(seen, 24);
    assert_eq!(
        reference.content.received_at,
        from_wall(wall(2026, 3, 2, 13, 30))
    );
}

#[path = "lifecycle_documents_tests.rs"]
mod documents;

#[path = "lifecycle_rating_tests.rs"]
mod rating;
