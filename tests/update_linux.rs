//! The Linux release (issue 25 §3): `.ci/release-linux` makes the signed tarball from a
//! built exe (here the debug one: no release build in tests), and the tarball's
//! `install.sh` does the first install into a temporary HOME: the version's folder, the
//! `current` link the updates switch, the menu entry starting `current/motcua`.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

use motcua::update::install::Layout;
use motcua::update::key::trusted_key;
use motcua::update::{Version, verify_release};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn v(text: &str) -> Version {
    Version::parse(text).expect("version")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?}: {text}");
    text
}

/// `.ci/release-linux` on the debug exe, labelled `version`, into `out`.
fn release(out: &Path, version: &str) -> PathBuf {
    let said = run(Command::new("bash")
        .arg(Path::new(ROOT).join(".ci/release-linux"))
        .args(["--test-key", "--gzip-level", "1", "--version", version])
        .arg("--exe")
        .arg(env!("CARGO_BIN_EXE_motcua"))
        .arg("--centre")
        .arg(env!("CARGO_BIN_EXE_motcua-centre"))
        .arg("--out")
        .arg(out));
    assert!(said.contains("tarball:"), "{said}");
    out.join(format!("motcua-{version}-linux-x86_64.tar.gz"))
}

/// Unpacks `tarball` into a fresh folder under `work` and runs its install.sh with
/// `home` as HOME.
fn first_install(work: &Path, tarball: &Path, home: &Path) -> String {
    let unpacked = work.join(format!(
        "unpacked-{}",
        tarball.file_name().expect("name").to_string_lossy()
    ));
    std::fs::create_dir_all(&unpacked).expect("dir");
    run(Command::new("tar")
        .arg("-xzf")
        .arg(tarball)
        .arg("-C")
        .arg(&unpacked));
    run(Command::new("sh")
        .arg(unpacked.join("install.sh"))
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("MOTCUA_INSTALL_DIR"))
}

#[test]
fn the_release_script_makes_a_signed_tarball_and_install_sh_installs_it_side_by_side() {
    let work = tempfile::tempdir().expect("work");
    let dist = work.path().join("dist");
    let tarball = release(&dist, "0.1.1");

    // Signed for updates with the key this (debug) exe trusts, as linux-x86_64 0.1.1.
    let sig = std::fs::read_to_string(format!("{}.minisig", tarball.display())).expect("sig");
    let checked = verify_release(
        &trusted_key().expect("key"),
        &sig,
        &tarball,
        v("0.1.0"),
        "linux-x86_64",
    )
    .expect("the signature and manifest check");
    assert_eq!(checked.manifest.version, v("0.1.1"));
    let sums = std::fs::read_to_string(dist.join("SHA256SUMS")).expect("sums");
    assert!(sums.contains("motcua-0.1.1-linux-x86_64.tar.gz"), "{sums}");
    // `motcua` at the root: what the update unpacks into versions/<version>/.
    let listing = run(Command::new("tar").arg("-tzf").arg(&tarball));
    let mut members: Vec<&str> = listing.lines().collect();
    members.sort();
    assert_eq!(
        members,
        [
            "./",
            "./VERSION",
            "./install.sh",
            "./motcua",
            "./motcua.ico"
        ]
    );

    // The first install, in a HOME of its own.
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let said = first_install(work.path(), &tarball, &home);
    assert!(said.contains("Đã cài motcua 0.1.1"), "{said}");
    let root = home.join(".local/share/motcua");
    let layout = Layout::new(&root);
    assert_eq!(layout.current(), Some(v("0.1.1")));
    assert_eq!(
        std::fs::read_link(root.join("current")).expect("link"),
        Path::new("versions/0.1.1"),
        "relative, as the updates make it"
    );
    let exe = layout.exe(v("0.1.1"));
    assert_eq!(
        Layout::of_exe(&exe).expect("side by side"),
        layout,
        "the installed exe finds its layout for the next update"
    );
    let help = run(Command::new(root.join("current/motcua")).arg("--help"));
    assert!(help.contains("update"), "{help}");
    let entry = std::fs::read_to_string(home.join(".local/share/applications/motcua.desktop"))
        .expect("entry");
    let exec = format!("Exec=\"{}\"", root.join("current/motcua").display());
    assert!(entry.contains(&exec), "{entry}");
    assert!(entry.contains("Name=Một cửa"), "{entry}");
    assert_eq!(
        std::fs::read_link(home.join(".local/bin/motcua")).expect("bin link"),
        root.join("current/motcua")
    );

    // A later version installed by hand the same way switches `current`, keeps the first.
    let newer = release(&work.path().join("dist2"), "0.1.2");
    let said = first_install(work.path(), &newer, &home);
    assert!(said.contains("Đã cài motcua 0.1.2"), "{said}");
    assert_eq!(layout.current(), Some(v("0.1.2")));
    assert!(layout.exe(v("0.1.1")).is_file());
    let leftovers: Vec<String> = std::fs::read_dir(root.join("versions"))
        .expect("versions")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn install_sh_refuses_an_incomplete_package_and_changes_nothing() {
    let work = tempfile::tempdir().expect("work");
    let pkg = work.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    std::fs::copy(
        Path::new(ROOT).join("assets/linux/install.sh"),
        pkg.join("install.sh"),
    )
    .expect("copy");
    std::fs::write(pkg.join("VERSION"), "0.1.1\n").expect("version");
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let out = Command::new("sh")
        .arg(pkg.join("install.sh"))
        .env("HOME", &home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("MOTCUA_INSTALL_DIR")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("không thấy tệp motcua"), "{err}");
    assert!(!home.join(".local").exists(), "nothing written");
}
