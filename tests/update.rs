//! Updates through the centre (issue 25 §3), on a real PostgreSQL and the real
//! `motcua-centre` binary: the operator signs and uploads a 0.1.1 release, a 0.1.0 desk
//! learns of it, downloads it through the file transfer, checks it against the key
//! built into the exe and stages it. A hostile centre (a changed package, another key,
//! an older version) is refused and leaves nothing on the desk; a tampered upload is
//! refused by the centre and leaves nothing there.

mod sync_support;
#[cfg(feature = "desk")]
#[path = "update/window.rs"]
mod window;

use std::path::{Path, PathBuf};

use motcua::desk::update::UpdateFailure;
use motcua::sync::client::SyncError;
use motcua::update::{UpdateError, Version, this_platform};
use sync_support::*;

const TEST_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/release/test-release.key"
);

/// A centre with units, and one enrolled 0.1.0 desk of unit A.
struct World {
    centre: Centre,
    db: String,
    desk: Desk,
    work: tempfile::TempDir,
}

fn world() -> World {
    world_via(|centre| centre.url())
}

/// A world whose desk reaches the centre at the address `via` gives (a counting line).
fn world_via(via: impl FnOnce(&Centre) -> String) -> World {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&via(&centre), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enroll");
    World {
        centre,
        db,
        desk,
        work: tempfile::tempdir().expect("work"),
    }
}

impl World {
    /// A package file of `version` (its bytes differ per version).
    fn package(&self, version: &str) -> PathBuf {
        let path = self
            .work
            .path()
            .join(format!("motcua-{version}-{}.tar.gz", this_platform()));
        let body = format!("motcua {version} package\n").repeat(50_000);
        std::fs::write(&path, body).expect("write package");
        path
    }

    fn sign(&self, package: &Path, key: &str, version: &str) -> PathBuf {
        let sig = PathBuf::from(format!("{}.minisig", package.display()));
        centre_admin(
            &self.db,
            &[
                "release",
                "sign",
                &s(package),
                "--key",
                key,
                "--version",
                version,
                "--platform",
                &this_platform(),
                "--min-version",
                "0.1.0",
            ],
        );
        sig
    }

    fn upload_args(&self, package: &Path, sig: &Path) -> Vec<String> {
        [
            "--files-dir",
            &s(self.centre.files.path()),
            "release",
            "upload",
            &s(package),
            "--signature",
            &s(sig),
        ]
        .map(str::to_string)
        .to_vec()
    }

    fn upload(&self, package: &Path, sig: &Path, extra: &[&str]) -> std::process::Output {
        let mut args = self.upload_args(package, sig);
        args.extend(extra.iter().map(|a| a.to_string()));
        std::process::Command::new(centre_bin())
            .args(&args)
            .env("DATABASE_URL", &self.db)
            .env("MOTCUA_LOG", "warn")
            .output()
            .expect("motcua-centre runs")
    }

    fn desk(&self) -> motcua::desk::Desk {
        motcua::desk::Desk::new(self.desk.store())
    }

    /// Changes the uploaded `package` on the centre's disk (same name, other bytes), as
    /// a hostile or broken centre serves it; returns its real hash.
    fn change_on_centre_disk(&self, package: &Path) -> motcua::domain::document::Sha256Hex {
        let sha = motcua::domain::document::Sha256Hex::of(&std::fs::read(package).expect("read"));
        let kept = self
            .centre
            .files
            .path()
            .join(&sha.as_str()[..2])
            .join(sha.as_str());
        let mut bytes = std::fs::read(&kept).expect("kept");
        bytes[5] ^= 1;
        std::fs::write(&kept, bytes).expect("write");
        sha
    }

    /// What the desk keeps of updates (nothing, when every offer was refused).
    fn staged_files(&self) -> Vec<String> {
        let dir = self.desk.dir.path().join("updates");
        let mut names: Vec<String> = walk(&dir);
        names.sort();
        names
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.filter_map(Result::ok)
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk(&p)
            } else {
                vec![p.display().to_string()]
            }
        })
        .collect()
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn a_desk_learns_downloads_checks_and_stages_a_newer_release() {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    let out = w.upload(&package, &sig, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0.1.1"));
    // Uploading it again changes nothing.
    assert!(w.upload(&package, &sig, &[]).status.success());
    assert_eq!(centre_count(&w.db, "app_release"), 1);
    let listed = w.centre.admin(&["release", "list"]);
    assert!(listed.contains("0.1.1"), "{listed}");

    let desk = w.desk();
    let offer = block_on(desk.release_offer())
        .expect("offer")
        .expect("a newer release");
    assert_eq!(offer.version, "0.1.1");
    let staged = block_on(desk.stage_release(&offer)).expect("staged");
    assert_eq!(staged.version, Version::parse("0.1.1").expect("v"));
    assert_eq!(
        std::fs::read(&staged.package).expect("read"),
        std::fs::read(&package).expect("read")
    );
    assert_eq!(desk.staged_release(), Some(staged.clone()));
    // A staged copy changed on disk afterwards is no longer offered for install.
    let mut bytes = std::fs::read(&staged.package).expect("read");
    bytes[10] ^= 1;
    std::fs::write(&staged.package, bytes).expect("write");
    assert_eq!(desk.staged_release(), None);
    // The desk still syncs.
    w.desk.sync(Some(&w.centre.url())).expect("sync");
}

#[test]
fn a_tampered_upload_is_refused_by_the_centre_and_nothing_is_kept() {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    let mut bytes = std::fs::read(&package).expect("read");
    bytes[100] ^= 1;
    std::fs::write(&package, bytes).expect("write");
    let out = w.upload(&package, &sig, &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Chữ ký không khớp"), "{err}");
    assert_eq!(centre_count(&w.db, "app_release"), 0);
    assert_eq!(centre_count(&w.db, "file_blob"), 0);
    assert_eq!(block_on(w.desk().release_offer()).expect("asked"), None);
}

#[test]
fn a_hostile_centre_serving_a_changed_package_changes_nothing_on_the_desk() {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    // The centre's disk is changed under it: same name, other bytes.
    let sha = motcua::domain::document::Sha256Hex::of(&std::fs::read(&package).expect("read"));
    let kept = w
        .centre
        .files
        .path()
        .join(&sha.as_str()[..2])
        .join(sha.as_str());
    let mut bytes = std::fs::read(&kept).expect("kept");
    bytes[5] ^= 1;
    std::fs::write(&kept, bytes).expect("write");
    let desk = w.desk();
    let offer = block_on(desk.release_offer())
        .expect("offer")
        .expect("offered");
    let refused = block_on(desk.stage_release(&offer)).expect_err("refused");
    assert!(
        matches!(refused, UpdateFailure::Sync(SyncError::Protocol(_))),
        "{refused}"
    );
    assert_eq!(w.staged_files(), Vec::<String>::new());
    assert_eq!(desk.staged_release(), None);
}

/// A release whose download failed its check is remembered with its reason, and "tự
/// cập nhật" does not fetch it again for a day: a hostile centre cannot make every desk
/// pull the package (up to 256 MiB) every 15 minutes. An administrator's yes still tries.
#[test]
fn a_refused_download_is_not_fetched_again_within_the_day() {
    use motcua::desk::update::UpdateStep;
    use std::sync::atomic::Ordering;
    let line = std::cell::OnceCell::new();
    let w = world_via(|centre| {
        let l = sync_support::proxy::SlowLine::start(centre.addr, 10_000_000_000);
        let url = l.url();
        let _ = line.set(l);
        url
    });
    let line = line.get().expect("line");
    let down = || line.down_bytes.load(Ordering::Relaxed);
    let package = w.package("0.1.1");
    let size = std::fs::metadata(&package).expect("size").len();
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    let sha = w.change_on_centre_disk(&package);
    let desk = w.desk();
    desk.change_settings(&[(motcua::desk::settings::SETTING_AUTO_UPDATE, "1".into())])
        .expect("setting");

    let before = down();
    let refused = block_on(desk.look_for_update(false)).expect_err("refused");
    assert!(down() - before >= size, "the first round downloads it");
    assert!(refused.to_string().contains("mã băm"), "{refused}");
    let reason = desk.refused_release(sha.as_str()).expect("remembered");
    assert!(reason.contains("mã băm"), "{reason}");

    // The next round, minutes later: the offer is read, the package is not fetched.
    let before = down();
    let step = block_on(desk.look_for_update(false)).expect("no error said twice");
    assert!(matches!(step, UpdateStep::Offered(_)), "{step:?}");
    assert!(
        down() - before < size / 10,
        "{} bytes came down: no download",
        down() - before
    );
    assert_eq!(w.staged_files(), Vec::<String>::new());

    // An administrator's yes fetches it again (and it is refused again).
    let before = down();
    assert!(block_on(desk.look_for_update(true)).is_err());
    assert!(down() - before >= size, "the yes tries again");
}

#[test]
fn a_release_signed_with_another_key_is_refused_with_nothing_kept() {
    let w = world();
    let keys = w.work.path().join("other");
    centre_admin(&w.db, &["release", "keygen", "--out", &s(&keys)]);
    let package = w.package("0.1.1");
    let sig = w.sign(&package, &s(&keys.join("release.key")), "0.1.1");
    // The built-in key refuses it at the centre too…
    assert!(!w.upload(&package, &sig, &[]).status.success());
    // …but a hostile centre takes it with its own key.
    let out = w.upload(
        &package,
        &sig,
        &["--public-key", &s(&keys.join("release.pub"))],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let desk = w.desk();
    let offer = block_on(desk.release_offer())
        .expect("offer")
        .expect("offered");
    let refused = block_on(desk.stage_release(&offer)).expect_err("refused");
    assert!(
        matches!(refused, UpdateFailure::Refused(UpdateError::WrongKey)),
        "{refused}"
    );
    assert!(refused.to_string().contains("khoá khác"), "{refused}");
    assert_eq!(w.staged_files(), Vec::<String>::new());
}

#[test]
fn an_older_or_equal_release_is_not_offered_nor_staged() {
    let w = world();
    let package = w.package("0.1.0");
    let sig = w.sign(&package, TEST_KEY, "0.1.0");
    assert!(w.upload(&package, &sig, &[]).status.success());
    let desk = w.desk();
    assert_eq!(block_on(desk.release_offer()).expect("asked"), None);
    // Even when a hostile centre pushes it: the signed manifest says 0.1.0.
    let offer = motcua::sync::protocol::ReleaseOffer {
        version: "9.9.9".into(),
        platform: this_platform(),
        sha256: motcua::domain::document::Sha256Hex::of(&std::fs::read(&package).expect("read"))
            .to_string(),
        size: std::fs::metadata(&package).expect("meta").len(),
        signature: std::fs::read_to_string(&sig).expect("sig"),
    };
    let refused = block_on(desk.stage_release(&offer)).expect_err("refused");
    assert!(
        matches!(
            refused,
            UpdateFailure::Refused(UpdateError::NotNewer { .. })
        ),
        "{refused}"
    );
    assert_eq!(w.staged_files(), Vec::<String>::new());
}

#[test]
fn the_status_line_offers_it_and_tu_cap_nhat_takes_it_by_itself() {
    use motcua::desk::update::UpdateStep;
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    let desk = w.desk();
    let step = block_on(desk.look_for_update(false)).expect("looked");
    assert!(matches!(step, UpdateStep::Offered(_)), "{step:?}");
    assert_eq!(step.status_line(), "Có phiên bản mới 0.1.1");
    assert_eq!(w.staged_files(), Vec::<String>::new());
    desk.change_settings(&[(motcua::desk::settings::SETTING_AUTO_UPDATE, "1".into())])
        .expect("setting");
    let step = block_on(desk.look_for_update(false)).expect("looked");
    assert!(matches!(step, UpdateStep::Staged(_)), "{step:?}");
    assert!(step.status_line().contains("0.1.1"));
    // Asked again, the staged copy is found, not downloaded twice.
    assert_eq!(block_on(desk.look_for_update(false)).expect("looked"), step);
}

#[test]
fn the_administrator_accepts_from_the_command_line() {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(desk_bin())
            .env("MOTCUA_DATA_DIR", w.desk.dir.path())
            .args(args)
            .output()
            .expect("motcua runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert!(run(&["update"]).contains("Có phiên bản mới 0.1.1"));
    assert_eq!(w.staged_files(), Vec::<String>::new());
    assert!(
        run(&["update", "--accept"]).contains("Phiên bản 0.1.1 sẽ được cài khi đóng chương trình")
    );
    assert_eq!(w.staged_files().len(), 2, "package and signature");
}

/// `motcua sync` running on its timer, its messages written to `log`.
fn sync_loop(w: &World, log: &Path) -> KillOnDrop {
    let log = std::fs::File::create(log).expect("log");
    let child = std::process::Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", w.desk.dir.path())
        .args(["sync", "--interval", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .expect("motcua sync runs");
    KillOnDrop(child)
}

#[test]
fn the_background_sync_loop_offers_a_release_and_stages_it_with_tu_cap_nhat() {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    let log = w.work.path().join("sync.log");
    let read = || std::fs::read_to_string(&log).unwrap_or_default();

    let running = sync_loop(&w, &log);
    eventually(std::time::Duration::from_secs(60), || {
        let text = read();
        text.contains("Có phiên bản mới 0.1.1 (chạy: motcua update --accept)")
            .then_some(())
            .ok_or(text)
    });
    drop(running);
    assert_eq!(w.staged_files(), Vec::<String>::new(), "only offered");

    w.desk()
        .change_settings(&[(motcua::desk::settings::SETTING_AUTO_UPDATE, "1".into())])
        .expect("setting");
    let _running = sync_loop(&w, &log);
    eventually(std::time::Duration::from_secs(60), || {
        let text = read();
        text.contains("Phiên bản 0.1.1 sẽ được cài khi đóng chương trình")
            .then_some(())
            .ok_or(text)
    });
    assert_eq!(w.staged_files().len(), 2, "package and signature");
    assert_eq!(
        w.desk().staged_release().map(|r| r.version.to_string()),
        Some("0.1.1".into())
    );
}
