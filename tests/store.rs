//! The local store under stress: schema upgrades from a shipped database, a full disk,
//! a killed writer, an exhausted desk range.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use motcua::domain::intake::IntakeInput;
use motcua::store::migrations::{MIGRATIONS, latest_version, migrate_to};
use motcua::store::{DataPaths, Store, StoreError};
use rusqlite::Connection;

const V1_FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1.sqlite");

fn intake(store: &mut Store, procedure: &str, received_at: &str) -> Result<String, StoreError> {
    let input = IntakeInput::from_json(&common::dossier_json(procedure, received_at))?;
    store
        .intake(input, "Trần Thị Mai", common::at(2026, 11, 27, 16, 0))
        .map(|s| s.code.to_string())
}

/// Every table, index, trigger and virtual table (and FTS5's shadow tables) as the SQL
/// that made it, whitespace normalised: two databases with equal lists have the same
/// schema, down to a column default, an index's columns or a trigger's body.
fn schema(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .expect("prepares");
    stmt.query_map([], |r| {
        let sql: String = r.get(3)?;
        Ok(format!(
            "{} {} on {}: {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            sql.split_whitespace().collect::<Vec<_>>().join(" ")
        ))
    })
    .expect("queries")
    .collect::<Result<_, _>>()
    .expect("rows")
}

#[test]
fn a_shipped_v1_database_with_real_rows_upgrades_to_the_current_schema() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = DataPaths::in_dir(tmp.path());
    std::fs::copy(V1_FIXTURE, &paths.db).expect("copies the fixture");
    let v1 = Connection::open(&paths.db).expect("opens");
    let version: i64 = v1
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("reads");
    assert_eq!(version, 1, "the fixture is a v1 database");
    drop(v1);

    let mut store = Store::open(paths.clone()).expect("upgrades");
    let version: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("reads");
    assert_eq!(version, latest_version());
    // The rows written by v1 are all there and readable.
    assert_eq!(store.dossier_count().expect("counts"), 3);
    let d = store
        .dossier("H22.39.15-261102-0002")
        .expect("v1 dossier folds");
    assert_eq!(d.content.applicant.full_name, "Đặng Hữu Nghĩa");
    assert_eq!(d.status.code(), 9);
    // v2's search index was filled from the old rows: đ folds to d.
    let found = store.search("dang huu nghia", 10).expect("searches");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "H22.39.15-261102-0002");
    assert_eq!(store.search("Ánh", 10).expect("searches").len(), 2);
    // A backup was taken before migrating.
    let backups: Vec<String> = std::fs::read_dir(&paths.backups)
        .expect("lists")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(
        backups.iter().any(|b| b.starts_with("pre-migration-v1-")),
        "{backups:?}"
    );
    // The research catalogue v1 seeded is replaced by the clean one, with its
    // time-limit cases (issue 12 §2–3); old dossiers keep what their receipt promised.
    let ket_hon = store
        .procedure(&motcua::domain::procedure::ProcedureCode::parse("1.000894").expect("code"))
        .expect("procedure");
    assert_eq!(ket_hon.time_limits.len(), 2);
    assert!(
        !ket_hon
            .documents
            .iter()
            .any(|d| d.name.contains("UNCONFIRMED"))
    );
    let khai_sinh = store
        .procedure(&motcua::domain::procedure::ProcedureCode::parse("1.001193").expect("code"))
        .expect("procedure");
    assert!(
        khai_sinh
            .documents
            .iter()
            .all(|d| !d.name.contains("portal")),
        "{:?}",
        khai_sinh.documents
    );
    // The desk keeps numbering after the upgraded day's last number.
    let next = intake(&mut store, "1.004873", "2026-11-02T15:00:00+07:00").expect("intake");
    assert_eq!(next, "H22.39.15-261102-0004");

    // The upgraded schema is the schema of a fresh database.
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let fresh = Store::open(DataPaths::in_dir(fresh_dir.path())).expect("opens");
    let upgraded = schema(store.conn());
    assert_eq!(upgraded, schema(fresh.conn()));
    for kind in ["table ", "index ", "trigger ", "table dossier_fts "] {
        assert!(
            upgraded.iter().any(|line| line.starts_with(kind)),
            "the comparison covers {kind}: {upgraded:#?}"
        );
    }
    // A difference that column names cannot see is seen.
    store
        .conn()
        .execute_batch("DROP TRIGGER outbox_unsent_delete")
        .expect("drops");
    assert_ne!(schema(store.conn()), schema(fresh.conn()));
}

/// Searching words ranks the people named so first: the whole name, then the name's
/// words, then the words anywhere (address, procedure), newest first within each.
#[test]
fn a_name_search_lists_the_people_with_that_name_first() {
    use common::intake::Intake;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let people = [
        ("Nguyễn Thị Lan", "Số 3 đường Lê Lợi, phường Hồng Gai"),
        ("Trần Thị Lan", "Số 5 đường Nguyễn Văn Cừ, phường Hồng Hải"),
        (
            "Nguyễn Thị Lan Anh",
            "Số 8 đường Lê Thánh Tông, phường Hồng Gai",
        ),
        (
            "Nguyễn Thùy Lan",
            "Số 7 phố Đoàn Thị Điểm, phường Bạch Đằng",
        ),
        ("Lê Văn Hùng", "Số 9 đường Nguyễn Thị Lan, phường Hà Lầm"),
        ("Phạm Văn Nam", "Số 1 đường Lê Thánh Tông, phường Hồng Gai"),
        ("NGUYỄN THỊ LAN", "Tổ 4, khu 2, phường Hà Tu"),
        ("Nguyễn Thị Lành", "Số 2 đường Cao Thắng, phường Hồng Gai"),
    ];
    let mut code = std::collections::HashMap::new();
    for (i, (name, address)) in people.iter().enumerate() {
        let input = Intake {
            address: (*address).into(),
            received_at: Some(format!("2026-11-02T09:{:02}:00+07:00", 10 + i)),
            ..Intake::named(name)
        };
        let c = store
            .intake(
                IntakeInput::from_json(&input.json()).expect("json"),
                "Trần Thị Mai",
                common::at(2026, 11, 2, 10, 0),
            )
            .expect("intake")
            .code
            .to_string();
        code.insert(c, *name);
    }
    let names = |found: Vec<String>| -> Vec<&str> { found.iter().map(|c| code[c]).collect() };
    let expected = vec![
        // The whole name, newest first.
        "NGUYỄN THỊ LAN",
        "Nguyễn Thị Lan",
        // Every word in the name (the last as the start of a word), newest first.
        "Nguyễn Thị Lành",
        "Nguyễn Thị Lan Anh",
        // The words elsewhere, newest first.
        "Lê Văn Hùng",
        "Nguyễn Thùy Lan",
        "Trần Thị Lan",
    ];
    let found = store.search("nguyen thi lan", 20).expect("search");
    assert_eq!(names(found.into_iter().map(|s| s.code).collect()), expected);

    // A last word longer than the prefix indexes goes through the known words.
    let found = store.search("nguyen thi lanh", 20).expect("search");
    assert_eq!(
        names(found.into_iter().map(|s| s.code).collect()),
        vec!["Nguyễn Thị Lành"]
    );
    // Only the last word is a start: "lan" is not "Lành".
    let found = store.search("lan nguy", 20).expect("search");
    assert_eq!(
        names(found.into_iter().map(|s| s.code).collect()),
        vec![
            "NGUYỄN THỊ LAN",
            "Nguyễn Thùy Lan",
            "Nguyễn Thị Lan Anh",
            "Nguyễn Thị Lan",
            "Lê Văn Hùng",
            "Trần Thị Lan",
        ]
    );

    // Pages of two walk the same order, across the ranks.
    let filter = motcua::store::listing::ListFilter {
        query: "Nguyễn thị LAN".into(),
        ..Default::default()
    };
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_dossiers(&filter, after.as_ref(), 2, common::at(2026, 11, 2, 11, 0))
            .expect("page");
        paged.extend(page.rows.into_iter().map(|r| r.summary.code));
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(names(paged), expected);
}

/// The status line's count of dossiers the centre has not acknowledged, kept by
/// triggers, equals the count over the outbox after every kind of write.
#[test]
fn the_unsent_dossier_count_stays_exact() {
    use motcua::store::dossiers::ActionRequest;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let slow = |store: &Store| -> i64 {
        store
            .conn()
            .query_row(
                "SELECT count(DISTINCT e.dossier_code) FROM outbox o
                 JOIN dossier_event e ON e.id = o.event_id
                 WHERE o.seq > (SELECT acked_seq FROM sync_state WHERE id = 1)",
                [],
                |r| r.get(0),
            )
            .expect("counts")
    };
    let check = |store: &Store, expected: i64, step: &str| {
        assert_eq!(slow(store), expected, "{step}: the slow count");
        assert_eq!(store.unsent_dossiers().expect("count"), expected, "{step}");
    };
    check(&store, 0, "empty");
    let a = intake(&mut store, "1.004873", "2026-11-02T09:00:00+07:00").expect("a");
    let b = intake(&mut store, "1.004873", "2026-11-02T09:10:00+07:00").expect("b");
    let c = intake(&mut store, "1.004873", "2026-11-02T09:20:00+07:00").expect("c");
    check(&store, 3, "three intakes");
    let ready = || ActionRequest::ResultReady {
        note: String::new(),
    };
    let now = common::at(2026, 11, 3, 9, 0);
    store
        .record(&a, ready(), None, "Mai", now)
        .expect("a ready");
    check(&store, 3, "a second event of a");
    // seq 1..3 are the intakes, 4 is a's result: the centre holds up to 3.
    store.set_acked(3, None).expect("ack");
    check(&store, 1, "acknowledged up to c's intake");
    store.set_acked(4, None).expect("ack");
    check(&store, 0, "all acknowledged");
    store
        .record(&b, ready(), None, "Mai", now)
        .expect("b ready");
    check(&store, 1, "b again");
    // A new enrollment starts the acknowledged seq again from 0.
    store
        .set_enrollment(
            &motcua::store::sync_state::Enrollment {
                centre_url: "https://centre.example".into(),
                token: "t".repeat(32),
            },
            now,
        )
        .expect("enroll");
    check(&store, 3, "after a new enrollment");
    store.set_acked(5, None).expect("ack");
    check(&store, 0, "acknowledged again");
    // Recovery renumbers an own event (a local one the centre does not hold).
    store
        .record(&c, ready(), None, "Mai", now)
        .expect("c ready");
    check(&store, 1, "c again");
    store
        .conn()
        .execute("UPDATE outbox SET seq = 7 WHERE seq = 6", [])
        .expect("renumber");
    check(&store, 1, "renumbered");
    store.set_acked(6, None).expect("ack");
    check(&store, 1, "the gap acknowledged, not c's event");
    store
        .conn()
        .execute("DELETE FROM outbox WHERE seq = 7", [])
        .expect("delete");
    check(&store, 0, "c's event gone from the outbox");
}

#[test]
fn a_full_disk_is_reported_plainly_and_harms_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let first = intake(&mut store, "1.004873", "2026-11-02T09:00:00+07:00").expect("intake");
    let pages: i64 = store
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("reads");
    store
        .conn()
        .pragma_update(None, "max_page_count", pages)
        .expect("limits");
    let before = store.dossier_count().expect("counts");
    let mut failures = 0;
    for i in 0..50 {
        match intake(
            &mut store,
            "1.004873",
            &format!("2026-11-03T09:{:02}:00+07:00", i),
        ) {
            Err(StoreError::DiskFull) => failures += 1,
            Err(other) => panic!("unexpected error: {other}"),
            Ok(_) => {}
        }
    }
    assert!(failures > 0, "the page limit must have been hit");
    let message = StoreError::DiskFull.to_string();
    assert!(message.contains("Ổ đĩa đã đầy"), "{message}");
    let integrity: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("checks");
    assert_eq!(integrity, "ok");
    assert!(store.dossier_count().expect("counts") >= before);
    assert_eq!(
        store
            .dossier(&first)
            .expect("still there")
            .content
            .applicant
            .full_name,
        "Nguyễn Thị Ngọc Ánh"
    );
    // Space returns: work resumes.
    store
        .conn()
        .pragma_update(None, "max_page_count", 1_073_741_823)
        .expect("lifts");
    intake(&mut store, "1.004873", "2026-11-04T09:00:00+07:00").expect("works again");
    assert_consistent(store.conn());
}

/// Every dossier has its receipt event, every own event is in the outbox exactly once
/// with contiguous numbers, and nothing refers to a missing row.
fn assert_consistent(conn: &Connection) {
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(
        q(
            "SELECT count(*) FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM dossier_event e WHERE e.dossier_code = d.code AND e.kind = 'received')"
        ),
        0,
        "dossier without receipt"
    );
    assert_eq!(
        q(
            "SELECT count(*) FROM dossier_event e WHERE NOT EXISTS (SELECT 1 FROM dossier d WHERE d.code = e.dossier_code)"
        ),
        0,
        "event without dossier"
    );
    assert_eq!(
        q("SELECT count(*) FROM dossier_event"),
        q("SELECT count(*) FROM outbox")
    );
    assert_eq!(
        q("SELECT coalesce(max(seq), 0) FROM outbox"),
        q("SELECT count(*) FROM outbox"),
        "contiguous"
    );
    assert_eq!(
        q("SELECT count(*) FROM dossier"),
        q("SELECT count(*) FROM dossier_fts")
    );
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("checks");
    assert_eq!(integrity, "ok");
}

/// Set in the environment of the writer child: its data directory.
const WRITER_DIR: &str = "MOTCUA_TEST_CRASH_WRITER_DIR";
/// The writer's life number, which spreads its receipt times over distinct slots.
const WRITER_LIFE: &str = "MOTCUA_TEST_CRASH_WRITER_LIFE";
const INTAKES_PER_LIFE: usize = 20;
const KILLS: usize = 220;

/// A receipt time of its own for every (life, intake): 480 one-minute slots per
/// weekday, so no day comes near the desk's 999 numbers.
fn slot_time(slot: usize) -> String {
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("a Monday");
    for _ in 0..slot / 480 {
        day = day.succ_opt().expect("next day");
        while chrono::Datelike::weekday(&day).number_from_monday() > 5 {
            day = day.succ_opt().expect("next day");
        }
    }
    let minute = (slot % 480) as u32;
    format!("{day}T{:02}:{:02}:00+07:00", 8 + minute / 60, minute % 60)
}

/// The writer process of the crash test (this test binary, started again with the
/// environment set): takes dossiers one after another and prints each code only once
/// `intake` has returned, as the desk shows it to the clerk. Without the environment
/// (an ordinary test run) it does nothing.
#[test]
fn crash_writer_child() {
    let Ok(dir) = std::env::var(WRITER_DIR) else {
        return;
    };
    let life: usize = std::env::var(WRITER_LIFE)
        .expect("life")
        .parse()
        .expect("number");
    let mut store = Store::open(DataPaths::in_dir(&dir)).expect("opens");
    for k in 0..INTAKES_PER_LIFE {
        let received = slot_time(life * INTAKES_PER_LIFE + k);
        let input =
            IntakeInput::from_json(&common::dossier_json("1.004873", &received)).expect("json");
        let state = store
            .intake(input, "Trần Thị Mai", common::at(2027, 1, 29, 16, 0))
            .expect("intake");
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "SAVED {}", state.code).expect("print");
        out.flush().expect("flush");
    }
}

/// Kills a writer process (SIGKILL) at random moments, hundreds of times, then checks
/// that every code it showed survived with all its fields, that the database is
/// intact, and that the outbox holds exactly the saved dossiers' events.
#[test]
fn killed_writers_lose_no_dossier_they_showed() {
    let started = std::time::Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(common::new_store(tmp.path()));
    let exe = std::env::current_exe().expect("test binary");
    let mut printed = Vec::new();
    let mut rng = fastrand::Rng::with_seed(7);
    for life in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_DIR, tmp.path())
            .env(WRITER_LIFE, life.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(Duration::from_micros(rng.u64(0..60_000)));
        let _ = child.kill(); // SIGKILL
        let out = child.wait_with_output().expect("waits");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        // libtest prints "test crash_writer_child ... " without a newline first.
        printed.extend(
            text.lines()
                .filter_map(|l| l.split_once("SAVED "))
                .map(|(_, c)| c.trim().to_string()),
        );
    }
    eprintln!(
        "{KILLS} kills, {} dossiers shown before the kills, {:.1} s",
        printed.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        printed.len() >= KILLS / 2,
        "the writers got some work done between kills ({})",
        printed.len()
    );
    let store = Store::open(DataPaths::in_dir(tmp.path())).expect("opens after kills");
    assert_consistent(store.conn());
    for code in &printed {
        let d = store
            .dossier(code)
            .expect("every code shown to the clerk survives");
        let a = &d.content.applicant;
        assert_eq!(a.full_name, "Nguyễn Thị Ngọc Ánh");
        assert_eq!(a.id_text(), "022190001234");
        assert!(matches!(
            &a.identity,
            motcua::domain::applicant::Identity::Citizen { date_of_birth, .. }
                if date_of_birth.to_string() == "1990-05-17"
        ));
        assert_eq!(
            a.address,
            "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh"
        );
        assert_eq!(a.phone.as_deref(), Some("0912345678"));
        assert_eq!(d.content.procedure.code.as_str(), "1.004873");
    }
    // At most one dossier per life can be saved but not yet shown when the kill lands.
    let saved = store.dossier_count().expect("count");
    assert!(
        saved >= printed.len() as i64 && saved <= (printed.len() + KILLS) as i64,
        "{saved} saved, {} shown",
        printed.len()
    );
    let q = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(q("SELECT count(*) FROM outbox"), saved, "one receipt each");
    assert_eq!(
        q(
            "SELECT count(*) FROM outbox o JOIN dossier_event e ON e.id = o.event_id JOIN dossier d ON d.code = e.dossier_code"
        ),
        saved,
        "no orphan in the outbox"
    );
}

#[test]
fn a_desk_range_that_is_used_up_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let first = intake(&mut store, "1.004873", "2026-11-06T09:00:00+07:00").expect("intake");
    // Pretend the desk already took its 999th dossier of the day (in its log, which is
    // what numbering counts, and in the projection).
    for table in ["dossier SET code", "dossier_event SET dossier_code"] {
        let column = table.rsplit(' ').next().expect("column");
        store
            .conn()
            .execute(
                &format!("UPDATE {table} = 'H22.39.15-261106-0999' WHERE {column} = ?1"),
                [&first],
            )
            .expect("renumbers");
    }
    let err =
        intake(&mut store, "1.004873", "2026-11-06T10:00:00+07:00").expect_err("range used up");
    let message = err.to_string();
    assert!(message.contains("999"), "{message}");
    assert!(message.contains("06/11/2026"), "{message}");
    // Another day has a fresh range.
    assert_eq!(
        intake(&mut store, "1.004873", "2026-11-09T10:00:00+07:00").expect("next day"),
        "H22.39.15-261109-0001"
    );
}

#[test]
fn every_migration_is_numbered_in_order() {
    let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    let expected: Vec<i64> = (1..=versions.len() as i64).collect();
    assert_eq!(versions, expected);
}

/// Writes `tests/fixtures/v1.sqlite`: a database as version 1 of the program left it,
/// with real rows. Run once when v1 shipped (`cargo test -- --ignored make_v1_fixture`);
/// it must never be regenerated with a later schema.
#[test]
#[ignore = "generates the checked-in fixture"]
fn make_v1_fixture() {
    use motcua::domain::clock::format_rfc3339;
    use motcua::domain::lifecycle::fold;
    let path = Path::new(V1_FIXTURE);
    let _ = std::fs::remove_file(path);
    // Build the rows with today's code in a scratch store, then copy them into a
    // database migrated to v1 only, column by column as v1 had them.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let a = intake(&mut store, "1.004873", "2026-11-02T09:00:00+07:00").expect("intake");
    let mut b_json = common::dossier_json("2.000884", "2026-11-02T09:30:00+07:00");
    b_json = b_json
        .replace("Nguyễn Thị Ngọc Ánh", "Đặng Hữu Nghĩa")
        .replace("022190001234", "022085004321")
        .replace("1990-05-17", "1985-01-09")
        .replace("\"Nữ\"", "\"Nam\"");
    let b = store
        .intake(
            IntakeInput::from_json(&b_json).expect("json"),
            "Trần Thị Mai",
            common::at(2026, 11, 2, 9, 30),
        )
        .expect("intake")
        .code
        .to_string();
    store
        .record(
            &b,
            motcua::store::dossiers::ActionRequest::ResultReady {
                note: String::new(),
            },
            Some(common::at(2026, 11, 2, 10, 0)),
            "Trần Thị Mai",
            common::at(2026, 11, 2, 10, 0),
        )
        .expect("result ready");
    let c = intake(&mut store, "1.004873", "2026-11-02T14:00:00+07:00").expect("intake");

    let mut v1 = Connection::open(path).expect("creates");
    v1.pragma_update(None, "journal_mode", "DELETE")
        .expect("journal");
    migrate_to(&mut v1, 1).expect("v1 schema");
    let src = store.conn();
    for table in [
        "unit",
        "desk",
        "procedure",
        "calendar_day",
        "dossier_event",
        "outbox",
    ] {
        let cols: Vec<String> = v1
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .expect("prepares")
            .query_map([], |r| r.get(0))
            .expect("queries")
            .collect::<Result<_, _>>()
            .expect("cols");
        let list = cols.join(", ");
        let mut read = src
            .prepare(&format!("SELECT {list} FROM {table}"))
            .expect("prepares");
        let n = cols.len();
        let rows: Vec<Vec<rusqlite::types::Value>> = read
            .query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .expect("queries")
            .collect::<Result<_, _>>()
            .expect("rows");
        let marks = vec!["?"; n].join(", ");
        for row in rows {
            v1.execute(
                &format!("INSERT OR REPLACE INTO {table} ({list}) VALUES ({marks})"),
                rusqlite::params_from_iter(row),
            )
            .expect("inserts");
        }
    }
    for code in [&a, &b, &c] {
        let events = motcua::store::log::load_events(src, code).expect("events");
        let state = fold(&events).expect("folds");
        let ct = &state.content;
        v1.execute(
            "INSERT INTO dossier (code, procedure_code, applicant_name, id_number, phone, channel, status,
                 received_at, due_at, result_ready_at, returned_at, closed_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, NULL, ?11)",
            rusqlite::params![
                code,
                ct.procedure.code.as_str(),
                ct.applicant.full_name,
                ct.applicant.id_text(),
                ct.applicant.phone,
                ct.channel.code(),
                state.status.code(),
                format_rfc3339(ct.received_at),
                format_rfc3339(state.due_at),
                state.result_ready_at.map(format_rfc3339),
                format_rfc3339(state.last_event_at),
            ],
        )
        .expect("inserts dossier");
    }
    v1.execute_batch("VACUUM").expect("compacts");
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

/// Citizens' data stays owner-only: the data and backup directories, the database,
/// every backup, and a restored database, even when the directory was created open.
#[cfg(unix)]
#[test]
fn the_data_directory_and_backups_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("du-lieu");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let store = common::new_store(&dir);
    let paths = store.paths().clone();
    assert_eq!(mode(&paths.dir), 0o700, "an open directory is closed");
    assert_eq!(mode(&paths.backups), 0o700);
    assert_eq!(mode(&paths.db), 0o600);
    let daily = store
        .daily_backup(common::at(2026, 11, 27, 9, 0))
        .expect("backup")
        .expect("made");
    assert_eq!(mode(&daily), 0o600);
    let manual = tmp.path().join("sao-luu.sqlite");
    store.backup_to(&manual).expect("backup");
    assert_eq!(mode(&manual), 0o600);
    drop(store);
    let report = motcua::store::backup::restore(&paths, &manual, common::at(2026, 11, 27, 10, 0))
        .expect("restores");
    assert_eq!(mode(&paths.db), 0o600);
    let kept = report.previous_kept_at.expect("kept");
    assert_eq!(mode(&kept), 0o600, "the set-aside database too");
}

fn sha(p: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(p).expect("read")).to_vec()
}

fn dir_listing(p: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(p)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A corrupt database is refused, left byte for byte as it was, and the refusal names
/// the newest backup and the exact command that restores it; that command works.
#[test]
fn a_corrupt_database_is_refused_untouched_with_the_restore_command() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("phường hồng gai");
    let mut store = common::new_store(&dir);
    let code = intake(&mut store, "1.004873", "2026-11-04T09:00:00+07:00").expect("intake");
    let paths = store.paths().clone();
    let older = paths.backups.join("daily-2026-11-03.sqlite");
    store.backup_to(&older).expect("backup");
    std::thread::sleep(Duration::from_millis(20));
    let newest = paths.backups.join("daily-2026-11-04.sqlite");
    store.backup_to(&newest).expect("backup");
    drop(store);

    // Damage the header (as a failing disk or a half-copied file would).
    let mut bytes = std::fs::read(&paths.db).expect("read");
    bytes[..16].copy_from_slice(b"not a database!!");
    std::fs::write(&paths.db, &bytes).expect("write");
    let before = sha(&paths.db);
    let listing = dir_listing(&dir);

    let err = Store::open(DataPaths::in_dir(&dir)).expect_err("refused");
    let message = err.to_string();
    match &err {
        StoreError::Corrupt { newest_backup, .. } => {
            assert_eq!(newest_backup.as_deref(), Some(newest.as_path()));
        }
        other => panic!("not Corrupt: {other:?}"),
    }
    let command = format!(
        "motcua --data-dir '{}' restore '{}'",
        dir.display(),
        newest.display()
    );
    assert!(message.contains(&command), "{message}");
    assert!(message.contains("không bị ghi đè hay xóa"), "{message}");
    assert_eq!(sha(&paths.db), before, "the file is untouched");
    assert_eq!(dir_listing(&dir), listing, "nothing created or removed");

    // The command line refuses too, with the same advice, and still touches nothing.
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args([
            "--data-dir",
            dir.to_str().expect("utf-8"),
            "search",
            "nguyen",
        ])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&command));
    assert_eq!(sha(&paths.db), before);

    // The advised command, run as printed, restores and keeps the damaged file aside.
    let out = Command::new("sh")
        .arg("-c")
        .arg(command.replacen("motcua", env!("CARGO_BIN_EXE_motcua"), 1))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kept: Vec<String> = dir_listing(&dir)
        .into_iter()
        .filter(|n| n.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        sha(&dir.join(&kept[0])),
        before,
        "the damaged file is kept as it was"
    );
    let store = Store::open(DataPaths::in_dir(&dir)).expect("opens");
    store.dossier(&code).expect("the dossier is back");

    // No backup at all: the message says where backups would be and how to restore.
    let empty = tmp.path().join("empty");
    drop(common::new_store(&empty));
    std::fs::write(
        empty.join("motcua.sqlite"),
        b"garbage, not sqlite at all......",
    )
    .expect("w");
    let message = Store::open(DataPaths::in_dir(&empty))
        .expect_err("refused")
        .to_string();
    assert!(
        message.contains("Không có bản sao lưu nào") && message.contains("restore TỆP_SAO_LƯU"),
        "{message}"
    );
}
