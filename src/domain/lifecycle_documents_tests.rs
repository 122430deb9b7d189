//! Digitised documents in the fold: allowed in every status, never a status change, a
//! detach of a file not attached refused to a clerk and kept as an anomaly from sync.

use super::*;
use crate::domain::document::{FileRef, MediaType, Sha256Hex};

fn file(bytes: &[u8]) -> FileRef {
    FileRef {
        sha256: Sha256Hex::of(bytes),
        name: "CCCD người nộp.pdf".into(),
        media_type: MediaType::Pdf,
        size: bytes.len() as u64,
        pages: 1,
    }
}

fn attach(at: NaiveDateTime, bytes: &[u8]) -> Event {
    event(
        at,
        EventBody::DocumentAttached {
            item: "Bản sao CCCD".into(),
            file: file(bytes),
        },
    )
}

fn detach(at: NaiveDateTime, bytes: &[u8]) -> Event {
    event(
        at,
        EventBody::DocumentDetached {
            sha256: Sha256Hex::of(bytes),
            item: "Bản sao CCCD".into(),
            reason: "Quét nhầm trang".into(),
        },
    )
}

fn returned_events() -> Vec<Event> {
    vec![
        received(),
        event(
            wall(2026, 3, 3, 9, 0),
            EventBody::ResultReady { note: note() },
        ),
        event(
            wall(2026, 3, 3, 10, 0),
            EventBody::Returned {
                collected_by: "Nguyễn Thị Hoa".into(),
                note: note(),
            },
        ),
    ]
}

#[test]
fn documents_attach_in_every_status_and_change_no_status() {
    let mut events = returned_events();
    let before = fold(&events).expect("folds");
    events.push(attach(wall(2026, 3, 4, 8, 0), b"one"));
    events.push(attach(wall(2026, 3, 4, 8, 5), b"two"));
    let after = fold(&events).expect("folds");
    assert_eq!(after.status, Status::Returned);
    assert_eq!(after.status, before.status);
    assert_eq!(after.due_at, before.due_at);
    assert_eq!(after.closed_at, before.closed_at);
    assert!(after.anomalies.is_empty(), "{:?}", after.anomalies);
    let names: Vec<_> = after
        .documents
        .iter()
        .map(|d| d.file.sha256.clone())
        .collect();
    assert_eq!(names, vec![Sha256Hex::of(b"one"), Sha256Hex::of(b"two")]);
    assert_eq!(after.documents[0].attached_by, "Trần Thị Mai");
    assert_eq!(after.documents[0].origin, "desk-a");
    assert_eq!(after.documents[0].event, events[3].id);
    // A clerk may attach to a returned (closed) dossier too.
    let calendar = WorkCalendar::official();
    let body = attach(wall(2026, 3, 5, 8, 0), b"three").body;
    assert_eq!(
        check(&before, &body, wall(2026, 3, 5, 8, 0), &calendar),
        Ok(())
    );
}

#[test]
fn a_detach_removes_the_file_from_the_list_and_the_log_keeps_both() {
    let events = vec![
        received(),
        attach(wall(2026, 3, 2, 10, 0), b"one"),
        attach(wall(2026, 3, 2, 10, 1), b"two"),
        detach(wall(2026, 3, 2, 11, 0), b"one"),
    ];
    let state = fold(&events).expect("folds");
    assert_eq!(state.status, Status::Received);
    assert_eq!(state.documents.len(), 1);
    assert_eq!(state.documents[0].file.sha256, Sha256Hex::of(b"two"));
    assert!(state.anomalies.is_empty());
}

#[test]
fn a_detach_of_a_file_not_attached_is_refused_to_a_clerk_and_an_anomaly_from_sync() {
    let calendar = WorkCalendar::official();
    let state = fold([&received()]).expect("folds");
    let body = detach(wall(2026, 3, 2, 11, 0), b"never").body;
    let err = check(&state, &body, wall(2026, 3, 2, 11, 0), &calendar).expect_err("refused");
    assert!(matches!(err, TransitionError::DocumentNotAttached { .. }));
    assert!(err.to_string().contains("không có gì để gỡ"), "{err}");
    let events = vec![
        received(),
        detach(wall(2026, 3, 2, 11, 0), b"never"),
        attach(wall(2026, 3, 2, 12, 0), b"one"),
    ];
    let state = fold(&events).expect("folds");
    assert_eq!(state.anomalies.len(), 1);
    assert_eq!(state.anomalies[0].kind, EventKind::DocumentDetached);
    assert_eq!(state.documents.len(), 1, "the later attach still applies");
}

#[test]
fn a_clerk_cannot_attach_the_same_file_twice_but_two_desks_may() {
    let calendar = WorkCalendar::official();
    let events = vec![received(), attach(wall(2026, 3, 2, 10, 0), b"one")];
    let state = fold(&events).expect("folds");
    let again = attach(wall(2026, 3, 2, 10, 5), b"one").body;
    let err = check(&state, &again, wall(2026, 3, 2, 10, 5), &calendar).expect_err("twice");
    assert!(err.to_string().contains("Bản sao CCCD"), "{err}");
    // From sync: both kept, no anomaly; one detach removes the file.
    let mut events = events;
    events.push(attach(wall(2026, 3, 2, 10, 6), b"one"));
    assert!(fold(&events).expect("folds").anomalies.is_empty());
    events.push(detach(wall(2026, 3, 2, 11, 0), b"one"));
    assert!(fold(&events).expect("folds").documents.is_empty());
}
