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
