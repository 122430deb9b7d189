//! Ratings and renewed tracking tokens in the fold: a rating only once returned and
//! only once; a renewed token in every status, replacing the old one.

use super::*;
use crate::domain::rating::{self, Answer, Choice, Indicator, RatingChannel};
use crate::domain::tracking::TrackingToken;

fn answers(attitude: Choice) -> Vec<Answer> {
    vec![
        Answer {
            indicator: Indicator::Bodies,
            choice: Choice::B,
        },
        Answer {
            indicator: Indicator::Published,
            choice: Choice::A,
        },
        Answer {
            indicator: Indicator::Attitude,
            choice: attitude,
        },
    ]
}

fn ready_at(at: NaiveDateTime) -> Event {
    event(at, EventBody::ResultReady { note: note() })
}

fn returned_at(at: NaiveDateTime) -> Event {
    event(
        at,
        EventBody::Returned {
            collected_by: "Nguyễn Thị Hoa".into(),
            note: note(),
        },
    )
}

fn returned_early() -> DossierState {
    fold(&[
        received(),
        ready_at(wall(2026, 3, 3, 9, 0)),
        returned_at(wall(2026, 3, 3, 10, 0)),
    ])
    .expect("folds")
}

fn rated(at: NaiveDateTime, r: rating::Rating) -> Event {
    event(at, EventBody::Rated { rating: r })
}

#[test]
fn computed_indicators_come_from_the_dossier_and_asked_ones_from_the_answers() {
    let state = returned_early();
    let r = rating::rate(&state, RatingChannel::Counter, answers(Choice::A)).expect("rate");
    let points = |i: Indicator| r.scores.iter().find(|s| s.indicator == i).map(|s| s.points);
    // Early, no supplement request: 2, 2, 2; "only the one-stop desk": 1; published
    // both ways: 2; no complaint and early: 2.
    assert_eq!(points(Indicator::TotalTime), Some(2));
    assert_eq!(points(Indicator::UnitTime), Some(2));
    assert_eq!(points(Indicator::Contacts), Some(2));
    assert_eq!(points(Indicator::Bodies), Some(1));
    assert_eq!(points(Indicator::Published), Some(2));
    assert_eq!(points(Indicator::Attitude), Some(2));
    assert!(rating::check(&r).is_ok());
    let complaint = rating::rate(&state, RatingChannel::Web, answers(Choice::C)).expect("rate");
    assert_eq!(
        complaint
            .scores
            .iter()
            .find(|s| s.indicator == Indicator::Attitude)
            .map(|s| s.points),
        Some(0)
    );
}

#[test]
fn late_and_twice_asked_dossiers_score_low() {
    let supplement = |at| {
        event(
            at,
            EventBody::SupplementRequested {
                items: vec!["Bản sao giấy khai sinh".into()],
                reason: "Thiếu".into(),
            },
        )
    };
    let back = |at, due| {
        event(
            at,
            EventBody::SupplementReceived {
                due_at: from_wall(due),
                note: note(),
            },
        )
    };
    let state = fold(&[
        received(),
        supplement(wall(2026, 3, 2, 10, 0)),
        back(wall(2026, 3, 2, 11, 0), wall(2026, 3, 5, 11, 0)),
        supplement(wall(2026, 3, 2, 12, 0)),
        back(wall(2026, 3, 2, 13, 0), wall(2026, 3, 5, 13, 0)),
        ready_at(wall(2026, 3, 3, 9, 0)),
        returned_at(wall(2026, 3, 3, 10, 0)),
    ])
    .expect("folds");
    let r = rating::rate(&state, RatingChannel::Counter, answers(Choice::A)).expect("rate");
    let points = |i: Indicator| r.scores.iter().find(|s| s.indicator == i).map(|s| s.points);
    assert_eq!(points(Indicator::TotalTime), Some(0), "two requests = late");
    assert_eq!(points(Indicator::Contacts), Some(0));
    // No complaint, late: the form has no line for it; scored 1.
    assert_eq!(points(Indicator::Attitude), Some(1));
}

#[test]
fn a_rating_needs_the_result_returned_and_comes_once() {
    let open = fold(&[received()]).expect("folds");
    let now = wall(2026, 3, 3, 11, 0);
    let calendar = WorkCalendar::default();
    let early = returned_early();
    let r = rating::rate(&early, RatingChannel::Counter, answers(Choice::A)).expect("rate");
    let body = EventBody::Rated { rating: r.clone() };
    assert!(matches!(
        check(&open, &body, now, &calendar),
        Err(TransitionError::NotReturned { .. })
    ));
    assert_eq!(check(&early, &body, now, &calendar), Ok(()));
    let twice = fold(&[
        received(),
        ready_at(wall(2026, 3, 3, 9, 0)),
        returned_at(wall(2026, 3, 3, 10, 0)),
        rated(wall(2026, 3, 3, 10, 1), r.clone()),
        rated(wall(2026, 3, 3, 10, 2), r.clone()),
    ])
    .expect("folds");
    assert_eq!(twice.rating, Some(r.clone()));
    assert_eq!(twice.status, Status::Returned);
    assert_eq!(twice.anomalies.len(), 1);
    assert_eq!(twice.anomalies[0].kind, EventKind::Rated);
    assert_eq!(
        check(&twice, &body, now, &calendar),
        Err(TransitionError::AlreadyRated)
    );
    // Synced before its return (clocks disagree): kept as an anomaly, no effect.
    let early_rating = fold(&[received(), rated(wall(2026, 3, 2, 10, 0), r)]).expect("folds");
    assert_eq!(early_rating.rating, None);
    assert_eq!(early_rating.anomalies.len(), 1);
}

#[test]
fn a_summary_counts_channels_averages_and_complaints() {
    let state = returned_early();
    let mut sum = rating::Summary::default();
    sum.add(&rating::rate(&state, RatingChannel::Counter, answers(Choice::A)).expect("rate"));
    sum.add(&rating::rate(&state, RatingChannel::Web, answers(Choice::C)).expect("rate"));
    assert_eq!(
        (sum.count, sum.counter, sum.web, sum.complaints),
        (2, 1, 1, 1)
    );
    assert_eq!(sum.average(Indicator::Attitude), Some(1.0));
    assert_eq!(sum.average(Indicator::TotalTime), Some(2.0));
    assert_eq!(rating::Summary::default().average(Indicator::Bodies), None);
}

#[test]
fn answers_are_checked() {
    assert_eq!(rating::check_answers(&[]), Err(rating::RatingError::Empty));
    let computed = [Answer {
        indicator: Indicator::TotalTime,
        choice: Choice::A,
    }];
    assert!(matches!(
        rating::check_answers(&computed),
        Err(rating::RatingError::NotAsked(_))
    ));
    // The attitude question has no middle line.
    let middle = [Answer {
        indicator: Indicator::Attitude,
        choice: Choice::B,
    }];
    assert!(matches!(
        rating::check_answers(&middle),
        Err(rating::RatingError::BadChoice(_))
    ));
    let mut twice = answers(Choice::A);
    twice.push(twice[0]);
    assert!(matches!(
        rating::check_answers(&twice),
        Err(rating::RatingError::Twice(_))
    ));
    for q in rating::QUESTIONS {
        assert!(q.indicator.is_asked());
        assert!(q.options.len() >= 2);
    }
}

#[test]
fn a_renewed_token_replaces_the_old_in_any_status() {
    let first = TrackingToken::generate().expect("token");
    let second = TrackingToken::generate().expect("token");
    let EventBody::Received {
        content, numbers, ..
    } = received().body
    else {
        panic!("a receipt");
    };
    let receipt = event(
        wall(2026, 3, 2, 9, 30),
        EventBody::Received {
            content,
            numbers,
            deciding_unit: None,
            tracking: Some(first.clone()),
            consent: None,
        },
    );
    let state = fold(std::slice::from_ref(&receipt)).expect("folds");
    assert_eq!(state.tracking, Some(first));
    let renewed = fold(&[
        receipt,
        ready_at(wall(2026, 3, 3, 9, 0)),
        returned_at(wall(2026, 3, 3, 10, 0)),
        event(
            wall(2026, 3, 3, 11, 0),
            EventBody::TrackingRenewed {
                token: second.clone(),
            },
        ),
    ])
    .expect("folds");
    assert_eq!(renewed.tracking, Some(second));
    assert_eq!(renewed.status, Status::Returned);
    assert!(renewed.anomalies.is_empty());
    assert!(!EventKind::TrackingRenewed.is_processing_step());
    assert!(!EventKind::Rated.is_processing_step());
    assert!(EventKind::Returned.is_processing_step());
}
