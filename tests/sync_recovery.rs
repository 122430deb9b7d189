//! A desk restored from an old backup repairs itself: before pushing, it takes back
//! from the centre its own events that the backup lacks, never reuses their seq
//! numbers or dossier codes, and converges with the centre without a duplicate.

mod sync_support;

use std::collections::BTreeSet;

use motcua::domain::clock::now_vn;
use motcua::domain::intake::IntakeInput;
use motcua::store::dossiers::ActionRequest;
use motcua::store::{DataPaths, StoreError};
use sync_support::*;

fn outbox_seqs(desk: &Desk) -> Vec<i64> {
    let store = desk.store();
    let mut stmt = store
        .conn()
        .prepare("SELECT seq FROM outbox ORDER BY seq")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

fn transfer(desk: &Desk, code: &str) {
    desk.store()
        .record(
            code,
            ActionRequest::Transfer {
                to: "Công chức Tư pháp - Hộ tịch".into(),
                note: String::new(),
            },
            None,
            "Trần Văn Bình",
            now_vn(),
        )
        .expect("transfer");
}

#[test]
fn a_restored_desk_takes_back_its_later_events_and_reuses_no_seq_or_code() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    let early = desk.take_dossiers(2);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, None))
        .expect("enrolls");
    assert_eq!(desk.sync(None).expect("first push").acked_seq, 2);
    let old = desk.dir.path().join("old.sqlite");
    desk.store().backup_to(&old).expect("backup");

    // After the backup: a step on an early dossier and three more dossiers, all sent.
    transfer(&desk, &early[0]);
    let later = desk.take_dossiers(3);
    assert_eq!(desk.sync(None).expect("second push").acked_seq, 6);
    let before_restore = desk.event_ids();

    let paths = DataPaths::in_dir(desk.dir.path());
    let report = motcua::store::backup::restore(&paths, &old, now_vn()).expect("restores");
    assert!(report.enrolled);
    assert_eq!(
        desk.dossier_codes(),
        early,
        "the backup lacks the later dossiers"
    );

    // Until a sync has compared it with the centre, the restored desk takes no dossier:
    // it would hand out the codes of the dossiers it no longer remembers.
    let refused = desk.store().intake(
        IntakeInput::from_json(&dossier_json(0)).expect("json"),
        "Trần Văn Bình",
        now_vn(),
    );
    assert!(
        matches!(refused, Err(StoreError::RestoredNotSynced)),
        "{refused:?}"
    );
    // A step it may record: its seq (3) is one the centre holds for another event.
    transfer(&desk, &early[1]);

    let r = desk.sync(None).expect("recovers, then pushes");
    assert_eq!(r.recovered, 4, "events 3–6 come back from the centre");
    assert_eq!(
        r.pushed, 1,
        "the step recorded after the restore, renumbered"
    );
    assert_eq!((r.acked_seq, r.pending), (7, 0));
    let codes: BTreeSet<String> = desk.dossier_codes().into_iter().collect();
    for code in early.iter().chain(&later) {
        assert!(codes.contains(code), "{code} is back on the desk");
    }
    assert_eq!(desk.status_of(&early[0]), 4, "the recovered step is folded");
    assert_eq!(desk.status_of(&early[1]), 4);
    for id in &before_restore {
        assert!(desk.event_ids().contains(id), "event {id} is back");
    }

    // New intakes get fresh codes and seqs, past the recovered ones.
    let fresh = desk.take_dossiers(2);
    let max_later = later.iter().max().expect("codes");
    for code in &fresh {
        assert!(code > max_later, "{code} comes after {max_later}");
        assert!(!early.contains(code) && !later.contains(code));
    }
    let r = desk.sync(None).expect("pushes the fresh dossiers");
    assert_eq!((r.pushed, r.acked_seq, r.pending), (2, 9, 0));
    assert_eq!(outbox_seqs(&desk), (1..=9).collect::<Vec<_>>(), "no gap");

    let desk_ids = desk.event_ids();
    assert_eq!(desk_ids, centre_event_ids(&db, UNIT_A), "converged");
    assert_eq!(
        desk_ids.iter().collect::<BTreeSet<_>>().len(),
        9,
        "no duplicate"
    );
    assert_eq!(centre_count(&db, "event"), 9);
    assert_eq!(centre_count(&db, "desk_conflicts"), 0);

    // Another desk of the unit sees the same dossiers in the same states.
    let other = Desk::new(UNIT_A, 1);
    other
        .enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(1)))
        .expect("enrolls");
    other.sync(None).expect("pulls");
    assert_eq!(other.event_ids(), desk_ids);
    for code in desk.dossier_codes() {
        assert_eq!(other.status_of(&code), desk.status_of(&code), "{code}");
    }
}

#[test]
fn a_code_given_twice_after_a_restore_is_refused_with_the_code_and_writes_nothing() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, None))
        .expect("enrolls");
    let old = desk.dir.path().join("empty.sqlite");
    desk.store().backup_to(&old).expect("backup");
    let sent = desk.take_dossiers(1);
    desk.sync(None).expect("push");
    // A database copied back by hand (not with `motcua restore`): no flag, so the desk
    // gives the same code to another citizen before it syncs.
    let paths = DataPaths::in_dir(desk.dir.path());
    motcua::store::backup::restore(&paths, &old, now_vn()).expect("restores");
    desk.store()
        .clear_restored_flag()
        .expect("the flag a hand copy would not have");
    let again = desk.take_dossiers(1);
    assert_eq!(again, sent, "the same code, another dossier");

    let err = desk.sync(None).expect_err("a person must decide");
    assert!(err.contains(&sent[0]) && err.contains("liên hệ"), "{err}");
    let state = desk.store().sync_state().expect("state");
    assert_eq!((state.acked_seq, state.last_seq), (0, 1), "nothing written");
    assert_eq!(centre_count(&db, "event"), 1, "nothing sent");
}
