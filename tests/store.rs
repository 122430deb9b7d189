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

fn columns(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT m.name, p.name, p.type, p.\"notnull\", coalesce(p.dflt_value, '')
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' ORDER BY m.name, p.cid",
        )
        .expect("prepares");
    stmt.query_map([], |r| {
        Ok(format!(
            "{}.{} {} {} {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?
        ))
    })
    .expect("queries")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn indexes(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .expect("prepares");
    stmt.query_map([], |r| {
        Ok(format!(
            "{} on {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?
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
    // The desk keeps numbering after the upgraded day's last number.
    let next = intake(&mut store, "1.004873", "2026-11-02T15:00:00+07:00").expect("intake");
    assert_eq!(next, "H22.39.15-261102-0004");

    // The upgraded schema is the schema of a fresh database.
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let fresh = Store::open(DataPaths::in_dir(fresh_dir.path())).expect("opens");
    assert_eq!(columns(store.conn()), columns(fresh.conn()));
    assert_eq!(indexes(store.conn()), indexes(fresh.conn()));
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

#[test]
fn a_killed_intake_leaves_no_half_written_dossier() {
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(common::new_store(tmp.path()));
    let bin = env!("CARGO_BIN_EXE_motcua");
    let mut printed = Vec::new();
    let mut rng = fastrand::Rng::with_seed(7);
    for i in 0..40 {
        let mut child = Command::new(bin)
            .args(["intake", "--json", "-"])
            .env("MOTCUA_DATA_DIR", tmp.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        let input = common::dossier_json(
            "1.004873",
            &format!("2026-11-05T{:02}:{:02}:00+07:00", 8 + i / 60, i % 60),
        );
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(input.as_bytes());
        }
        std::thread::sleep(Duration::from_micros(rng.u64(0..25_000)));
        let _ = child.kill(); // SIGKILL
        let out = child.wait_with_output().expect("waits");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if let Some(code) = text
            .split_whitespace()
            .find(|w| w.starts_with("H22.39.15-"))
        {
            printed.push(code.to_string());
        }
    }
    eprintln!("{} of 40 intakes finished before the kill", printed.len());
    let store = Store::open(DataPaths::in_dir(tmp.path())).expect("opens after kills");
    assert_consistent(store.conn());
    for code in &printed {
        let d = store
            .dossier(code)
            .expect("every code shown to the clerk survives");
        assert_eq!(d.content.applicant.id_number.as_str(), "022190001234");
    }
}

#[test]
fn a_desk_range_that_is_used_up_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let first = intake(&mut store, "1.004873", "2026-11-06T09:00:00+07:00").expect("intake");
    // Pretend the desk already took its 999th dossier of the day.
    store
        .conn()
        .execute(
            "UPDATE dossier SET code = 'H22.39.15-261106-0999' WHERE code = ?1",
            [&first],
        )
        .expect("renumbers");
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
                ct.applicant.id_number.as_str(),
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
