use chrono::NaiveDate;

use super::*;
use crate::domain::calendar::WorkCalendar;
use crate::domain::catalogue_seed::seed_catalogue;
use crate::domain::clock::from_wall;
use crate::domain::dossier_code::DossierCode;
use crate::domain::due::WorkingHours;
use crate::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use crate::domain::intake::{IntakeContext, IntakeInput};
use crate::domain::lifecycle;

const A: &str = "H22.39.15";
const B: &str = "H22.39.16";

fn at(day: u32, hour: u32) -> Timestamp {
    from_wall(
        NaiveDate::from_ymd_opt(2026, 5, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("valid"),
    )
}

fn unit(s: &str) -> UnitCode {
    UnitCode::parse(s).expect("unit code")
}

/// A dossier of Chứng thực received by `code`'s unit on 4/5, decided by `deciding`,
/// with its result ready at `ready` when given.
fn dossier(code: &str, deciding: Option<&str>, ready: Option<Timestamp>) -> DossierState {
    let procedure = seed_catalogue()
        .into_iter()
        .find(|p| p.code.as_str() == "2.000884")
        .expect("in the catalogue");
    let received = at(4, 9);
    let (calendar, hours) = (WorkCalendar::official(), WorkingHours::default());
    let json = serde_json::json!({"procedure": "2.000884", "applicant": {
        "full_name": "Nguyễn Thị Hoa", "id_number": "034303011829",
        "date_of_birth": "2003-03-21", "gender": "Nữ", "address": "Thái Bình"
    }});
    let content = IntakeInput::from_json(&json.to_string())
        .and_then(|i| {
            i.validate(IntakeContext {
                procedure: &procedure,
                now: received,
                calendar: &calendar,
                hours: &hours,
                clerk: "Trần Thị Mai",
            })
        })
        .expect("valid intake");
    let first = Event {
        id: EventId::new(),
        dossier: DossierCode::parse(code).expect("code"),
        at: received,
        actor: Actor {
            name: "Trần Thị Mai".into(),
            role: ActorRole::Clerk,
        },
        origin: "desk-a".into(),
        body: EventBody::Received {
            content: Box::new(content),
            numbers: None,
            deciding_unit: deciding.map(unit),
            tracking: None,
            consent: None,
        },
    };
    let mut events = vec![first.clone()];
    if let Some(ready) = ready {
        events.push(Event {
            id: EventId::new(),
            at: ready,
            body: EventBody::ResultReady {
                note: String::new(),
            },
            ..first
        });
    }
    lifecycle::fold(&events).expect("folds")
}

fn may() -> Period {
    Period::new(
        NaiveDate::from_ymd_opt(2026, 5, 1).expect("day"),
        NaiveDate::from_ymd_opt(2026, 5, 31).expect("day"),
    )
    .expect("period")
}

fn report(states: &[DossierState], scope: Scope<'_>) -> Report {
    tally(states, scope, &may(), at(31, 23)).into_report("Đơn vị".into(), String::new(), may())
}

#[test]
fn the_facts_of_a_fold_are_the_desk_s_projection_texts() {
    let state = dossier("H22.39.15-260504-0001", None, Some(at(4, 14)));
    let facts = StateFacts::of(&state);
    let f = facts.facts();
    assert_eq!(f.received_at, "2026-05-04T09:00:00+07:00");
    assert_eq!(f.result_ready_at, Some("2026-05-04T14:00:00+07:00"));
    assert_eq!(f.due_at, format_rfc3339(state.due_at));
    assert_eq!((f.returned_at, f.closed_at), (None, None));
    assert_eq!(f.channel, Channel::InPerson);
    assert_eq!(f.status, state.status);
}

#[test]
fn a_cross_commune_dossier_counts_once_at_its_deciding_unit() {
    let states = vec![
        // Received by A for B, resolved the same day: B's figure, A's "nhận hộ".
        dossier("H22.39.15-260504-0001", Some(B), Some(at(4, 14))),
        // A's own, still open at the end of May: pending late.
        dossier("H22.39.15-260504-0002", None, None),
        // B's own, received by B.
        dossier("H22.39.16-260504-0001", None, Some(at(4, 14))),
    ];
    let (a, b) = (unit(A), unit(B));
    let ra = report(&states, Scope::Unit(&a));
    assert_eq!(ra.total.received_total(), 1);
    assert_eq!(ra.total.pending_late, 1);
    assert_eq!(ra.received_for_others, 1);
    let rb = report(&states, Scope::Unit(&b));
    assert_eq!(rb.total.received_total(), 2);
    assert_eq!(rb.total.resolved_total(), 2);
    assert_eq!(rb.received_for_others, 0);
    let province = report(&states, Scope::Province);
    assert_eq!(province.total.received_total(), 3, "each dossier once");
    assert_eq!(province.received_for_others, 0);
    let mut sum = ra.total;
    sum.add(&rb.total);
    assert_eq!(province.total, sum, "the province is the sum of its units");
    assert_eq!(province.groups.len(), 1);
    assert_eq!(province.groups[0].field, "Chứng thực");
    assert_eq!(province.groups[0].procedures[0].code, "2.000884");
}

#[test]
fn a_dossier_outside_the_period_is_not_counted() {
    let states = vec![dossier("H22.39.15-260504-0001", None, Some(at(4, 14)))];
    let april = Period::new(
        NaiveDate::from_ymd_opt(2026, 4, 1).expect("day"),
        NaiveDate::from_ymd_opt(2026, 4, 30).expect("day"),
    )
    .expect("period");
    let r = tally(&states, Scope::Province, &april, at(31, 23)).into_report(
        "Tỉnh".into(),
        String::new(),
        april,
    );
    assert_eq!(r.total, Counts::default());
    assert!(r.groups.is_empty());
}
