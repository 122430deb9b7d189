//! Install, switch and rollback on real tarballs (made with `tar`) whose `motcua` is a
//! shell script standing for an exe that starts, fails or hangs.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;

fn v(text: &str) -> Version {
    Version::parse(text).expect("version")
}

/// A tarball whose `motcua` runs `script` (given `$MARKER_DIR`-free args as the exe gets).
fn tarball(dir: &Path, name: &str, script: Option<&str>) -> PathBuf {
    let src = dir.join(format!("src-{name}"));
    std::fs::create_dir_all(&src).expect("src");
    std::fs::write(src.join("README"), "motcua").expect("readme");
    if let Some(body) = script {
        let exe = src.join(EXE_NAME);
        std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).expect("exe");
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("mode");
    }
    let out = dir.join(format!("{name}.tar.gz"));
    let ok = Command::new("tar")
        .arg("-czf")
        .arg(&out)
        .arg("-C")
        .arg(&src)
        .arg(".")
        .status()
        .expect("tar");
    assert!(ok.success());
    out
}

/// A layout with 0.1.0 installed and current.
fn installed(dir: &Path) -> (Layout, HealthCheck) {
    let layout = Layout::new(dir.join("install"));
    let pkg = tarball(dir, "old", Some("exit 0"));
    layout.unpack(&pkg, v("0.1.0")).expect("unpack");
    layout.switch_to(v("0.1.0")).expect("switch");
    let data = dir.join("data");
    let check = HealthCheck {
        updates_dir: data.join("updates"),
        data_dir: data,
        timeout: Duration::from_secs(2),
    };
    std::fs::create_dir_all(&check.updates_dir).expect("updates");
    (layout, check)
}

/// The script of a version that starts: it writes its marker where the exe would.
fn healthy(version: &str) -> String {
    // $2 is the data folder (`--data-dir D self-check`).
    format!(
        "[ \"$3\" = self-check ] || exit 3\nprintf {version} > \"$2/updates/healthy-{version}\""
    )
}

#[test]
fn a_healthy_version_becomes_current_and_the_previous_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (layout, check) = installed(dir.path());
    let pkg = tarball(dir.path(), "new", Some(&healthy("0.1.1")));
    let outcome = install(&layout, &pkg, v("0.1.1"), &check).expect("install");
    assert_eq!(outcome, InstallOutcome::Installed(v("0.1.1")));
    assert_eq!(outcome.message(), "Đã cài phiên bản 0.1.1");
    assert_eq!(layout.current(), Some(v("0.1.1")));
    assert!(
        layout.exe(v("0.1.0")).is_file(),
        "the previous version is kept"
    );
    // The link is relative and resolves to the new exe.
    let through = layout.root.join("current").join(EXE_NAME);
    assert_eq!(
        std::fs::read_to_string(through).expect("exe"),
        std::fs::read_to_string(layout.exe(v("0.1.1"))).expect("exe")
    );
}

#[test]
fn a_version_that_fails_or_hangs_is_rolled_back() {
    for (name, script) in [
        ("fails", "exit 1".to_string()),
        ("hangs", "sleep 30".to_string()),
        // Starts, but is not the version it claims (a 0.1.0 exe labelled 0.1.1).
        ("mislabelled", healthy("0.1.0")),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (layout, check) = installed(dir.path());
        let pkg = tarball(dir.path(), name, Some(&script));
        let started = Instant::now();
        let outcome = install(&layout, &pkg, v("0.1.1"), &check).expect("install");
        let InstallOutcome::RolledBack { version, reason } = &outcome else {
            panic!("{name}: {outcome:?}");
        };
        assert_eq!(*version, v("0.1.1"));
        assert!(!reason.is_empty());
        assert!(outcome.message().contains("đã quay lại phiên bản trước"));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name}: the timeout holds"
        );
        assert_eq!(layout.current(), Some(v("0.1.0")), "{name}");
        assert!(!layout.version_dir(v("0.1.1")).exists(), "{name}");
    }
}

#[test]
fn a_package_without_the_exe_or_unreadable_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (layout, check) = installed(dir.path());
    let empty = tarball(dir.path(), "empty", None);
    let err = install(&layout, &empty, v("0.1.1"), &check).expect_err("no exe");
    assert!(matches!(err, InstallError::NoExe), "{err}");
    let junk = dir.path().join("junk.tar.gz");
    std::fs::write(&junk, b"not a tarball").expect("junk");
    let err = install(&layout, &junk, v("0.1.1"), &check).expect_err("junk");
    assert!(err.to_string().contains("Không giải nén được"), "{err}");
    assert_eq!(layout.current(), Some(v("0.1.0")));
    let names: Vec<_> = std::fs::read_dir(layout.root.join("versions"))
        .expect("versions")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("0.1.0")]);
}

#[test]
fn the_layout_is_read_from_the_exe_path() {
    let l = Layout::of_exe(Path::new("/opt/motcua/versions/0.1.0/motcua")).expect("layout");
    assert_eq!(l.root, Path::new("/opt/motcua"));
    let err = Layout::of_exe(Path::new("/home/a/target/debug/motcua")).expect_err("dev");
    assert!(err.to_string().contains("bộ cài của tỉnh"), "{err}");
}

#[test]
fn older_versions_are_pruned_after_a_good_install() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (layout, check) = installed(dir.path());
    let p1 = tarball(dir.path(), "n1", Some(&healthy("0.1.1")));
    install(&layout, &p1, v("0.1.1"), &check).expect("install");
    let p2 = tarball(dir.path(), "n2", Some(&healthy("0.1.2")));
    install(&layout, &p2, v("0.1.2"), &check).expect("install");
    assert!(!layout.version_dir(v("0.1.0")).exists());
    assert!(layout.exe(v("0.1.1")).is_file());
    assert_eq!(layout.current(), Some(v("0.1.2")));
}
