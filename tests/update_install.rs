//! Install and rollback end to end (issue 25 §3), on Linux, with a real PostgreSQL, the
//! real `motcua-centre` and the real `motcua` exe installed side by side:
//! `<root>/versions/0.1.0/motcua` and `current` → it. The 0.1.1 release is a signed
//! tarball holding this same exe started as 0.1.1 (`MOTCUA_VERSION_OVERRIDE`, read at run
//! time by debug builds). The 0.1.0 desk stages it through sync, installs it, the new
//! version opens the store and syncs on; a release that does not start is rolled back;
//! a staged copy changed on disk and a downgrade are refused with nothing changed.
#![cfg(unix)]

mod sync_support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use motcua::update::install::Layout;
use motcua::update::{Version, this_platform};
use sync_support::*;

const TEST_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/release/test-release.key"
);

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn v(text: &str) -> Version {
    Version::parse(text).expect("version")
}

/// Places the real exe (a hard link, else a copy) at `to`.
fn place_exe(to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("dir");
    if std::fs::hard_link(desk_bin(), to).is_err() {
        std::fs::copy(desk_bin(), to).expect("copy exe");
    }
}

/// A release tarball whose `motcua` runs `script`, beside the real exe as `motcua-bin`.
fn tarball(work: &Path, name: &str, script: &str) -> PathBuf {
    let src = work.join(format!("src-{name}"));
    // A copy, not a hard link: tests linking the same exe at once change its inode's
    // ctime, and tar refuses a file that changed as it read it.
    std::fs::create_dir_all(&src).expect("src");
    std::fs::copy(desk_bin(), src.join("motcua-bin")).expect("copy exe");
    let exe = src.join("motcua");
    std::fs::write(&exe, format!("#!/bin/sh\n{script}\n")).expect("exe");
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("mode");
    let out = work.join(format!("motcua-{name}-{}.tar.gz", this_platform()));
    let ok = Command::new("tar")
        .args(["--use-compress-program=gzip -1", "-cf"])
        .arg(&out)
        .arg("-C")
        .arg(&src)
        .arg(".")
        .status()
        .expect("tar");
    assert!(ok.success());
    out
}

/// The 0.1.1 that starts: the real exe under that version.
const STARTS: &str = "MOTCUA_VERSION_OVERRIDE=0.1.1 exec \"$(dirname \"$0\")/motcua-bin\" \"$@\"";

/// Signs `package` as `version` with the test key and uploads it to the centre.
fn publish(db: &str, centre: &Centre, package: &Path, version: &str) {
    let sig = format!("{}.minisig", package.display());
    centre_admin(
        db,
        &[
            "release",
            "sign",
            &s(package),
            "--key",
            TEST_KEY,
            "--version",
            version,
            "--platform",
            &this_platform(),
            "--min-version",
            "0.1.0",
        ],
    );
    let files = s(centre.files.path());
    let args = ["--files-dir", &files, "release", "upload", &s(package)];
    centre_admin(db, &[&args[..], &["--signature", &sig]].concat());
}

struct World {
    db: String,
    centre: Centre,
    desk: Desk,
    work: tempfile::TempDir,
    layout: Layout,
}

/// A centre, an enrolled desk holding two dossiers, and 0.1.0 installed side by side.
fn world() -> World {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enroll");
    desk.take_dossiers(2);
    let work = tempfile::tempdir().expect("work");
    let layout = Layout::new(work.path().join("install"));
    place_exe(&layout.exe(v("0.1.0")));
    layout.switch_to(v("0.1.0")).expect("current");
    World {
        db,
        centre,
        desk,
        work,
        layout,
    }
}

impl World {
    /// `<root>/current/motcua ARGS` on the desk's data, as the desktop entry starts it.
    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(self.layout.root.join("current").join("motcua"))
            .env_remove("MOTCUA_VERSION_OVERRIDE")
            .env("MOTCUA_DATA_DIR", self.desk.dir.path())
            .args(args)
            .output()
            .expect("motcua runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    fn versions(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.layout.root.join("versions"))
            .expect("versions")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

#[test]
fn a_0_1_0_desk_installs_0_1_1_from_the_centre_restarts_keeps_its_data_and_syncs_on() {
    let w = world();
    let package = tarball(w.work.path(), "0.1.1", STARTS);
    publish(&w.db, &w.centre, &package, "0.1.1");
    let codes = w.desk.dossier_codes();

    let (ok, out) = w.run(&["update", "--accept"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("Phiên bản 0.1.1 sẽ được cài khi đóng chương trình"),
        "{out}"
    );
    let (ok, out) = w.run(&["update", "--install"]);
    assert!(ok, "{out}");
    assert!(out.contains("Đã cài phiên bản 0.1.1"), "{out}");
    assert_eq!(w.layout.current(), Some(v("0.1.1")));
    assert_eq!(
        w.versions(),
        ["0.1.0", "0.1.1"],
        "the previous version is kept"
    );
    assert!(w.desk.dir.path().join("updates/healthy-0.1.1").is_file());

    // Restarted: the new version runs, says once that it was installed, finds nothing
    // newer, keeps the data, syncs on.
    let (ok, out) = w.run(&["update"]);
    assert!(ok, "{out}");
    assert!(out.contains("Đã cài phiên bản 0.1.1"), "{out}");
    assert!(out.contains("Đang dùng phiên bản mới nhất"), "{out}");
    let (ok, out) = w.run(&["update"]);
    assert!(ok, "{out}");
    assert!(!out.contains("Đã cài"), "said once: {out}");
    assert_eq!(w.desk.dossier_codes(), codes);
    w.desk.take_dossiers(1);
    let (ok, out) = w.run(&["sync", "--once", "--centre", &w.centre.url()]);
    assert!(ok, "{out}");
    assert_eq!(centre_event_ids(&w.db, UNIT_A), w.desk.event_ids());
}

#[test]
fn a_release_that_does_not_start_is_rolled_back_and_not_reinstalled_by_itself() {
    let w = world();
    let package = tarball(w.work.path(), "broken", "exit 1");
    publish(&w.db, &w.centre, &package, "0.1.1");
    let (ok, out) = w.run(&["update", "--accept"]);
    assert!(ok, "{out}");
    let (ok, out) = w.run(&["update", "--install"]);
    assert!(ok, "{out}");
    assert!(out.contains("đã quay lại phiên bản trước"), "{out}");
    assert_eq!(w.layout.current(), Some(v("0.1.0")));
    assert_eq!(w.versions(), ["0.1.0"]);
    // The old version still runs on the same data.
    let (ok, out) = w.run(&["sync", "--once", "--centre", &w.centre.url()]);
    assert!(ok, "{out}");
    // Even with "tự cập nhật" on, the rolled-back release waits for an administrator.
    let desk = motcua::desk::Desk::new(w.desk.store());
    desk.change_settings(&[(motcua::desk::settings::SETTING_AUTO_UPDATE, "1".into())])
        .expect("auto update");
    let (ok, out) = w.run(&["update"]);
    assert!(ok, "{out}");
    assert!(out.contains("Có phiên bản mới 0.1.1"), "{out}");
    assert!(
        out.contains("Lần cài trước phiên bản này không khởi động được"),
        "{out}"
    );
}

#[test]
fn a_staged_copy_changed_on_disk_or_a_downgrade_installs_nothing() {
    let w = world();
    let package = tarball(w.work.path(), "0.1.1", STARTS);
    publish(&w.db, &w.centre, &package, "0.1.1");
    let (ok, out) = w.run(&["update", "--accept"]);
    assert!(ok, "{out}");
    let staged = w.desk.dir.path().join("updates/0.1.1/package");
    let mut bytes = std::fs::read(&staged).expect("staged");
    bytes[200] ^= 1;
    std::fs::write(&staged, bytes).expect("tamper");
    let (ok, out) = w.run(&["update", "--install"]);
    assert!(ok, "{out}");
    assert!(out.contains("Không có bản cập nhật nào"), "{out}");
    // A signed 0.0.9 put among the staged releases is not newer: refused as well.
    let old = tarball(w.work.path(), "0.0.9", STARTS);
    let dir = w.desk.dir.path().join("updates/0.0.9");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(&old, dir.join("package")).expect("copy");
    centre_admin(
        &w.db,
        &[
            "release",
            "sign",
            &s(&dir.join("package")),
            "--key",
            TEST_KEY,
            "--version",
            "0.0.9",
            "--platform",
            &this_platform(),
        ],
    );
    let (ok, out) = w.run(&["update", "--install"]);
    assert!(ok, "{out}");
    assert!(out.contains("Không có bản cập nhật nào"), "{out}");
    assert_eq!(w.layout.current(), Some(v("0.1.0")));
    assert_eq!(w.versions(), ["0.1.0"]);
}

/// A copy of the desk's store as a newer version would leave it after migrating: one
/// table more and a schema number this exe does not know.
fn migrated_copy(w: &World) -> PathBuf {
    let to = w.work.path().join("migrated.sqlite");
    let db = motcua::store::DataPaths::in_dir(w.desk.dir.path()).db;
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute("VACUUM INTO ?1", [s(&to)]).expect("copy");
    drop(conn);
    let newer = motcua::store::migrations::latest_version() + 1;
    let conn = rusqlite::Connection::open(&to).expect("open copy");
    conn.execute_batch(&format!(
        "CREATE TABLE future_thing (id INTEGER PRIMARY KEY); PRAGMA user_version = {newer};"
    ))
    .expect("migrate copy");
    to
}

#[test]
fn a_release_that_migrates_the_store_then_fails_is_rolled_back_with_the_store_put_back() {
    let w = world();
    let codes = w.desk.dossier_codes();
    let events = w.desk.event_ids();
    // The new version's self-check does what a newer store does on opening: a backup of
    // the store as it is (the real exe's `backup`, named as the store names its
    // pre-migration backups), then the migration; and then it fails.
    let migrated = migrated_copy(&w);
    let backups = motcua::store::DataPaths::in_dir(w.desk.dir.path()).backups;
    let backup = backups.join(format!(
        "pre-migration-v{}-20261207T230000.sqlite",
        motcua::store::migrations::latest_version()
    ));
    let script = format!(
        "D=\"$2\"\n\"$(dirname \"$0\")/motcua-bin\" --data-dir \"$D\" backup --out '{}' || exit 3\n\
         rm -f \"$D/motcua.sqlite-wal\" \"$D/motcua.sqlite-shm\"\n\
         cp '{}' \"$D/motcua.sqlite\"\nexit 1",
        s(&backup),
        s(&migrated)
    );
    let package = tarball(w.work.path(), "migrates", &script);
    publish(&w.db, &w.centre, &package, "0.1.1");
    let (ok, out) = w.run(&["update", "--accept"]);
    assert!(ok, "{out}");
    let (ok, out) = w.run(&["update", "--install"]);
    assert!(ok, "{out}");
    assert!(out.contains("đã quay lại phiên bản trước"), "{out}");
    assert!(
        out.contains("dữ liệu đã được đưa về bản sao lưu trước khi nâng cấp"),
        "{out}"
    );
    assert_eq!(w.layout.current(), Some(v("0.1.0")));
    assert_eq!(w.versions(), ["0.1.0"]);
    // The migrated store is kept beside, not lost.
    let kept = std::fs::read_dir(w.desk.dir.path())
        .expect("data")
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept, "the migrated store is kept beside");

    // The old version opens its store, the data is intact, and it syncs on.
    assert_eq!(w.desk.dossier_codes(), codes);
    assert_eq!(w.desk.event_ids(), events);
    let (ok, out) = w.run(&["sync", "--once", "--centre", &w.centre.url()]);
    assert!(ok, "{out}");
    w.desk.take_dossiers(1);
    let (ok, out) = w.run(&["sync", "--once", "--centre", &w.centre.url()]);
    assert!(ok, "{out}");
    assert_eq!(centre_event_ids(&w.db, UNIT_A), w.desk.event_ids());
}
