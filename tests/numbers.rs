//! Issue 19 §2 and §4: the numbers a dossier is given at intake (receipt number, Quyển
//! số, Số thứ tự) are unique across desks that were offline, printed the same before
//! and after sync, match Mẫu 07; older dossiers get theirs once by the migration. An
//! extension's new appointment is a working day at a time the desk is open.

#![cfg(feature = "desk")]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use motcua::desk::book::{BookRequest, build, rows};
use motcua::desk::forms::gather;
use motcua::domain::clock::{Timestamp, format_rfc3339, to_wall};
use motcua::domain::dossier::DossierState;
use motcua::domain::dossier_code::DossierCode;
use motcua::domain::due::new_due::NewDue;
use motcua::domain::event::{Event, EventBody};
use motcua::domain::intake::IntakeInput;
use motcua::domain::numbers::{IntakeNumbers, legacy};
use motcua::domain::trust::check_pulled_event;
use motcua::domain::unit::UnitCode;
use motcua::print::forms::receipt::BookEntry;
use motcua::print::job::DossierForm;
use motcua::store::dossiers::ActionRequest;
use motcua::store::sync_state::PulledItem;
use motcua::store::{DataPaths, Store};

const CLERK: &str = "Trần Thị Mai";
/// Hộ tịch: 1.001193 (khai sinh), 1.004873; Chứng thực: 2.000815.
const HO_TICH: [&str; 2] = ["1.001193", "1.004873"];
const CHUNG_THUC: &str = "2.000815";

fn desk(dir: &Path, index: u8) -> Store {
    let mut store = Store::open(DataPaths::in_dir(dir)).expect("opens");
    let mut input = common::init_input();
    input.desk_index = index;
    store
        .init(&input, common::at(2026, 11, 2, 8, 0))
        .expect("init");
    store
}

fn take(store: &mut Store, procedure: &str, now: Timestamp) -> DossierState {
    let json = common::intake::Intake {
        procedure: procedure.into(),
        ..common::intake::Intake::default()
    }
    .json();
    let input = IntakeInput::from_json(&json).expect("json");
    store.intake(input, CLERK, now).expect("intake")
}

fn receipt_entry(store: &Store, code: &str) -> BookEntry {
    gather(store, code, DossierForm::M01)
        .expect("gathered")
        .book
        .expect("Mẫu 01 has its numbers")
}

/// Everything `from` wrote, applied to `to` as the centre's feed would bring it, after
/// the checks a desk makes on pull.
fn sync(from: &Store, to: &mut Store, now: Timestamp) {
    let events: Vec<Event> = from
        .outbox_after(0, 1000)
        .expect("outbox")
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let (unit, own) = (to.unit().expect("unit"), to.desk().expect("desk"));
    let mut items = Vec::new();
    for (i, e) in events.into_iter().enumerate() {
        check_pulled_event(&e, &unit.code, &own.desk_id, own.index, now).expect("trusted");
        items.push((i as i64 + 1, PulledItem::Event(Box::new(e))));
    }
    let last = items.len() as i64;
    to.apply_pull_page(&items, last, now).expect("applied");
}

#[test]
fn two_offline_desks_never_print_the_same_number_and_a_reprint_after_sync_is_the_same() {
    let (da, db) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let (mut a, mut b) = (desk(da.path(), 0), desk(db.path(), 1));
    // Tuesday 24/11/2026, both desks offline, the same lĩnh vực the same morning.
    let mut codes = Vec::new();
    for (i, minute) in [0u32, 5, 10].into_iter().enumerate() {
        let procedure = if i == 2 { CHUNG_THUC } else { HO_TICH[i] };
        let now = common::at(2026, 11, 24, 9, minute);
        codes.push(take(&mut a, procedure, now).code.to_string());
        codes.push(take(&mut b, procedure, now).code.to_string());
    }
    let before: Vec<(String, BookEntry)> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let own = if i % 2 == 0 { &a } else { &b };
            (c.clone(), receipt_entry(own, c))
        })
        .collect();
    // Desk 0 counts 1, 2, 3; desk 1 from 100001; each desk its own quyển of each book.
    let receipts: Vec<u32> = before.iter().map(|(_, e)| e.receipt).collect();
    assert_eq!(receipts, [1, 100_001, 2, 100_002, 3, 100_003]);
    let places: Vec<(&str, u32)> = before
        .iter()
        .map(|(_, e)| (e.book.as_str(), e.seq))
        .collect();
    assert_eq!(
        places,
        [
            ("01/2026", 1),
            ("02/2026", 1),
            ("01/2026", 2),
            ("02/2026", 2),
            ("01/2026", 1),
            ("02/2026", 1),
        ],
        "Hộ tịch 1, 2 in each desk's quyển; Chứng thực starts its own book at 1"
    );
    let unique: BTreeSet<u32> = receipts.iter().copied().collect();
    assert_eq!(unique.len(), receipts.len());

    let now = common::at(2026, 11, 24, 12, 0);
    sync(&a, &mut b, now);
    sync(&b, &mut a, now);
    for store in [&a, &b] {
        for (code, entry) in &before {
            assert_eq!(
                &receipt_entry(store, code),
                entry,
                "{code} reprinted after sync"
            );
        }
    }

    // Mẫu 07 prints the same numbers, on every desk: one book per lĩnh vực and quyển.
    let day = to_wall(now).date();
    let request = BookRequest {
        from: day,
        to: day,
        fields: vec![],
    };
    for store in [&a, &b] {
        let lines = rows(store, &request).expect("rows");
        assert_eq!(lines.len(), before.len());
        for line in &lines {
            let (_, entry) = before
                .iter()
                .find(|(c, _)| *c == line.code)
                .expect("a receipt");
            assert_eq!(
                (line.volume.as_str(), line.seq),
                (entry.book.as_str(), entry.seq)
            );
        }
        let built = build(store, &request, day).expect("book");
        let text: String = built.pages.iter().map(|p| p.flat_text()).collect();
        for quyen in ["Quyển số: 01/2026", "Quyển số: 02/2026"] {
            assert_eq!(
                text.matches(quyen).count(),
                2,
                "{quyen} per lĩnh vực:\n{text}"
            );
        }
    }

    // The next intake continues this desk's own count, whatever the other desk did.
    let next = take(&mut a, HO_TICH[0], common::at(2026, 11, 24, 14, 0));
    assert_eq!(
        (next.numbers.receipt, next.numbers.volume, next.numbers.seq),
        (4, 1, 3)
    );
    // A new year starts both counts again.
    let january = take(&mut b, HO_TICH[0], common::at(2027, 1, 4, 9, 0));
    assert_eq!((january.numbers.receipt, january.numbers.seq), (100_001, 1));
}

fn received_of(store: &Store, code: &str) -> Event {
    store
        .timeline(code)
        .expect("timeline")
        .into_iter()
        .find(|e| matches!(e.body, EventBody::Received { .. }))
        .expect("receipt")
}

#[test]
fn a_receipt_of_an_older_desk_gets_the_same_stable_numbers_everywhere() {
    let (da, db) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let (a, mut b) = (desk(da.path(), 0), desk(db.path(), 1));
    let mut a = a;
    let state = take(&mut a, HO_TICH[0], common::at(2026, 11, 24, 9, 0));
    let code = state.code.to_string();
    // As an older desk writes it: no numbers in the receipt.
    let mut old = received_of(&a, &code);
    if let EventBody::Received { numbers, .. } = &mut old.body {
        *numbers = None;
    }
    let json = serde_json::to_value(&old).expect("json");
    assert!(json["body"].get("numbers").is_none(), "{json}");
    let decoded: Event = serde_json::from_value(json).expect("an old receipt decodes");
    let now = common::at(2026, 11, 24, 12, 0);
    b.apply_pull_page(&[(1, PulledItem::Event(Box::new(decoded)))], 1, now)
        .expect("applied");
    let parsed = DossierCode::parse(&code).expect("code");
    let expected = legacy(&parsed);
    assert_eq!(b.dossier(&code).expect("known").numbers, expected);
    assert_eq!(expected.receipt, 11_240_001, "MMDD, then the code's number");
    assert_eq!(receipt_entry(&b, &code).receipt, expected.receipt);
    // Applied again (a second pull of the same page) the numbers stay.
    assert_eq!(b.dossier(&code).expect("known").numbers, expected);
}

#[test]
fn a_pulled_receipt_with_numbers_another_dossier_holds_is_not_applied() {
    let (da, db) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let (mut a, mut b) = (desk(da.path(), 0), desk(db.path(), 1));
    let now = common::at(2026, 11, 24, 9, 0);
    take(&mut a, HO_TICH[0], now);
    let theirs = take(&mut b, HO_TICH[0], now);
    // Desk 1 forges a second receipt reusing its own first numbers for another code.
    let mut forged = received_of(&b, &theirs.code.to_string());
    forged.id = motcua::domain::event::EventId::new();
    forged.dossier = DossierCode::new(
        UnitCode::parse(common::UNIT).expect("unit"),
        theirs.code.date(),
        1500,
    )
    .expect("code");
    let trusted = check_pulled_event(
        &forged,
        &a.unit().expect("unit").code,
        &a.desk().expect("desk").desk_id,
        a.desk().expect("desk").index,
        now,
    );
    assert_eq!(trusted, Ok(()), "its numbers lie in desk 1's range");
    sync(&b, &mut a, now);
    let applied = a
        .apply_pull_page(&[(9, PulledItem::Event(Box::new(forged.clone())))], 9, now)
        .expect("page");
    assert_eq!(applied.refused, 1, "refused");
    assert!(a.dossier(&forged.dossier.to_string()).is_err());

    // Numbers of another desk's range are refused by the trust checks.
    let mut wrong = received_of(&b, &theirs.code.to_string());
    if let EventBody::Received { numbers, .. } = &mut wrong.body {
        *numbers = Some(IntakeNumbers {
            receipt: 7,
            volume: 2,
            seq: 1,
        });
    }
    let own = a.desk().expect("desk");
    let err = check_pulled_event(
        &wrong,
        &a.unit().expect("u").code,
        &own.desk_id,
        own.index,
        now,
    )
    .expect_err("desk 0's range");
    assert!(err.contains("ngoài dải"), "{err}");
}

#[test]
fn older_dossiers_get_their_numbers_once_by_the_migration() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = desk(dir.path(), 0);
    let first = take(&mut store, HO_TICH[0], common::at(2026, 11, 24, 9, 0));
    let second = take(&mut store, CHUNG_THUC, common::at(2026, 11, 24, 9, 30));
    drop(store);
    // Back to a version-10 database as an older program left it (v12's on-time
    // columns, v13's deciding unit and v14's province lists go too: the program that
    // wrote v10 had none).
    let db = DataPaths::in_dir(dir.path()).db;
    let conn = rusqlite::Connection::open(&db).expect("opens");
    conn.execute_batch(
        "DROP INDEX dossier_receipt_no; DROP INDEX dossier_book;
         ALTER TABLE dossier DROP COLUMN receipt_no;
         ALTER TABLE dossier DROP COLUMN book_volume;
         ALTER TABLE dossier DROP COLUMN book_seq;
         ALTER TABLE dossier DROP COLUMN book_field;
         ALTER TABLE dossier DROP COLUMN second_supplement_at;
         ALTER TABLE dossier DROP COLUMN waiting_since;
         ALTER TABLE dossier DROP COLUMN supplement_wait_secs;
         ALTER TABLE dossier DROP COLUMN deciding_unit;
         DROP TABLE province_unit; DROP TABLE province_cross_procedure;
         DROP INDEX dossier_event_rated_at;
         UPDATE dossier_event SET event = json_remove(event, '$.body.numbers');
         PRAGMA user_version = 10;",
    )
    .expect("downgraded");
    drop(conn);
    let mut store = Store::open(DataPaths::in_dir(dir.path())).expect("migrates");
    for state in [&first, &second] {
        let code = state.code.to_string();
        let expected = legacy(&state.code);
        assert_eq!(store.dossier(&code).expect("known").numbers, expected);
        let (receipt, volume, seq): (u32, u8, u32) = store
            .conn()
            .query_row(
                "SELECT receipt_no, book_volume, book_seq FROM dossier WHERE code = ?1",
                [&code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("row");
        assert_eq!(
            IntakeNumbers {
                receipt,
                volume,
                seq
            },
            expected,
            "the migration and the fold agree"
        );
    }
    // New intakes count from 1: the older numbers lie above every range.
    let next = take(&mut store, HO_TICH[0], common::at(2026, 11, 24, 10, 0));
    assert_eq!((next.numbers.receipt, next.numbers.seq), (1, 1));
}

#[test]
fn an_extension_to_a_sunday_is_refused_and_a_date_alone_means_closing_time() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = desk(dir.path(), 0);
    // 1.004873: 03 working days; Mon 21/12/2026 09:00 → Thu 24/12 09:00.
    let state = take(&mut store, HO_TICH[1], common::at(2026, 12, 21, 9, 0));
    let code = state.code.to_string();
    let at = common::at(2026, 12, 22, 9, 0);
    let extend = |store: &mut Store, until| {
        store.record(
            &code,
            ActionRequest::Extend {
                until,
                reason: "Cần xác minh tại nơi cư trú trước đây".into(),
            },
            Some(at),
            CLERK,
            at,
        )
    };
    let sunday = chrono::NaiveDate::from_ymd_opt(2026, 12, 27).expect("date");
    let err = extend(&mut store, NewDue::Day(sunday)).expect_err("a Sunday");
    let text = err.to_string();
    assert!(text.contains("Chủ nhật 27/12/2026 là ngày nghỉ"), "{text}");
    assert!(text.contains("thứ Hai 28/12/2026"), "{text}");
    let evening = sunday
        .succ_opt()
        .and_then(|d| d.and_hms_opt(19, 0, 0))
        .expect("time");
    let err = extend(&mut store, NewDue::At(evening)).expect_err("after closing");
    assert!(err.to_string().contains("ngoài giờ làm việc"), "{err}");
    assert_eq!(store.dossier(&code).expect("known").due_at, state.due_at);

    let monday = sunday.succ_opt().expect("date");
    let extended = extend(&mut store, NewDue::Day(monday)).expect("a working day");
    assert_eq!(
        format_rfc3339(extended.due_at),
        "2026-12-28T17:00:00+07:00",
        "a date alone is the closing time, not 00:00"
    );
}
