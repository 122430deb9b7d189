//! The centre's restore drill (issue 21): `assets/centre/restore-drill.sh` backs up the
//! database with the real `pg_dump` and the files folder with `tar`, drops the database,
//! restores both with `pg_restore`, and checks the counts; then the centre starts again
//! on the restored database and every desk syncs on with nothing lost.

mod sync_support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use sync_support::*;

/// The folder of the PostgreSQL client tools that match the private server.
fn pg_bin_dir() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    dirs.retain(|d| d.join("pg_dump").exists());
    dirs.sort();
    dirs.pop()
        .expect("PostgreSQL client tools (install postgresql)")
}

fn centre_event_ids(db: &str) -> BTreeSet<String> {
    let db = db.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let rows = client
            .query("SELECT id::text FROM event", &[])
            .await
            .expect("events");
        drop(client);
        let _ = task.await;
        rows.iter().map(|r| r.get(0)).collect()
    })
}

#[test]
fn the_restore_drill_brings_the_centre_back_and_desks_sync_on() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    add_units(&db);
    let (a, b) = (Desk::new(UNIT_A, 0), Desk::new(UNIT_A, 1));
    {
        let centre = Centre::start(&db);
        for desk in [&a, &b] {
            desk.take_dossiers(3);
            desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, None))
                .expect("enrolls");
            desk.sync(None).expect("syncs");
        }
        a.sync(None).expect("syncs");
    } // The centre is stopped for the drill.
    let before = centre_event_ids(&db);
    assert_eq!(before.len(), 6);
    let files = tempfile::tempdir().expect("files dir");
    std::fs::create_dir_all(files.path().join("ab")).expect("dir");
    std::fs::write(files.path().join("ab/kept"), b"bytes").expect("file");
    let backup = tempfile::tempdir().expect("backup dir");
    let out = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/centre/restore-drill.sh"
        ))
        .env("DATABASE_URL", &db)
        .env("BACKUP_DIR", backup.path())
        .env("MOTCUA_CENTRE_FILES_DIR", files.path())
        .env("PG_BIN", pg_bin_dir())
        .output()
        .expect("drill runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Đã xóa cơ sở dữ liệu"), "{stdout}");
    assert!(stdout.contains("Diễn tập khôi phục: đạt"), "{stdout}");
    assert!(backup.path().join("centre.dump").exists());
    assert_eq!(
        std::fs::read(files.path().join("ab/kept")).expect("file restored"),
        b"bytes"
    );
    assert_eq!(centre_event_ids(&db), before);
    // The centre starts on the restored database; the desks sync on.
    let centre = Centre::start(&db);
    a.take_dossiers(2);
    for desk in [&a, &b, &a] {
        desk.sync(Some(&centre.url()))
            .expect("syncs after the restore");
    }
    let held = centre_event_ids(&db);
    assert_eq!(held.len(), 8);
    assert!(held.is_superset(&before));
    let ids = |d: &Desk| d.event_ids().into_iter().collect::<BTreeSet<String>>();
    assert_eq!(ids(&a), held, "desk 0 holds the whole unit");
    assert_eq!(ids(&b), held, "desk 1 holds the whole unit");
}

/// Runs one PostgreSQL client tool against the private server and insists it succeeds.
fn pg_tool(tool: &str, args: &[&str]) {
    let out = Command::new(pg_bin_dir().join(tool))
        .args(args)
        .output()
        .expect("PostgreSQL client tool runs");
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The database's name and the URL of the server's `postgres` database.
fn split_url(db: &str) -> (String, String) {
    let (server, name) = db.rsplit_once('/').expect("url with a database");
    let name = name.split('?').next().unwrap_or(name).to_string();
    (name, format!("{server}/postgres"))
}

/// The centre restored from a backup OLDER than what the desks already pulled (the
/// issue's point-in-time recovery to an earlier moment). After the restore the centre
/// hands out again the feed numbers it lost: desk C's new dossiers take them first,
/// then desk A's lost events come back under later numbers. Desk B's cursor had passed
/// C's numbers before the loss, so without the centre's restored-backup guard (a new
/// epoch, `centre/epoch.rs`) B never pulls C's dossiers.
#[test]
fn a_centre_restored_to_an_older_backup_loses_nothing_for_the_desks() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    add_units(&db);
    let (a, b, c) = (
        Desk::new(UNIT_A, 0),
        Desk::new(UNIT_A, 1),
        Desk::new(UNIT_A, 2),
    );
    let backup = tempfile::tempdir().expect("backup dir");
    let dump = backup.path().join("old.dump");
    let dump = dump.to_str().expect("utf-8 path");
    {
        let centre = Centre::start(&db);
        for desk in [&a, &b, &c] {
            desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, None))
                .expect("enrolls");
        }
        a.take_dossiers(2);
        for desk in [&a, &b, &c] {
            desk.sync(None).expect("syncs");
        }
    }
    // The nightly backup, taken here.
    pg_tool("pg_dump", &["-Fc", "-d", &db, "-f", dump]);
    {
        let centre = Centre::start(&db);
        a.take_dossiers(3);
        a.sync(Some(&centre.url())).expect("a syncs");
        b.sync(Some(&centre.url())).expect("b syncs");
        assert_eq!(
            b.dossier_codes().len(),
            5,
            "b held all five before the loss"
        );
    }
    // The database is lost and restored from the older backup.
    let (name, admin) = split_url(&db);
    let drop_db = format!("DROP DATABASE \"{name}\" WITH (FORCE)");
    pg_tool("psql", &["-X", "-q", "-d", &admin, "-c", &drop_db]);
    let create = format!("CREATE DATABASE \"{name}\"");
    pg_tool("psql", &["-X", "-q", "-d", &admin, "-c", &create]);
    pg_tool(
        "pg_restore",
        &["--exit-on-error", "--no-owner", "-d", &db, dump],
    );
    let centre = Centre::start(&db);
    let url = centre.url();
    c.take_dossiers(2);
    c.sync(Some(&url)).expect("c syncs first after the restore");
    a.sync(Some(&url))
        .expect("a sends again what the centre lost");
    for desk in [&b, &c, &a] {
        desk.sync(Some(&url)).expect("syncs after the restore");
    }
    let held: BTreeSet<String> = centre_event_ids(&db);
    let ids = |d: &Desk| d.event_ids().into_iter().collect::<BTreeSet<String>>();
    assert_eq!(held.len(), 7, "the centre holds every dossier again");
    assert_eq!(ids(&a), held, "desk 0 holds the whole unit");
    assert_eq!(ids(&c), held, "desk 2 holds the whole unit");
    assert_eq!(ids(&b), held, "desk 1 holds the whole unit");
    // The new epoch is in the operators' audit log, once.
    let epochs = centre_count(&db, "operator_audit WHERE action = 'epoch'");
    assert_eq!(epochs, 1, "one restore, one new epoch");
}
