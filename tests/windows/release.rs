//! What makes the exe and the installer fit to hand out: the exe carries its icon and
//! version resource, and both carry an Authenticode signature that `osslsigncode
//! verify` accepts and that a single changed byte breaks. `.ci/windows` signs its
//! build with a throw-away certificate (target/windows/test-signing/cert.pem); the
//! release (.ci/release) is signed the same way with the province's certificate.

use super::{exe, in_ci, ok, target_dir, text};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `wrestool` (Debian `icoutils`): lists and extracts a PE file's resources.
fn wrestool(args: &[&str], exe: &Path) -> Vec<u8> {
    let out = Command::new("wrestool")
        .args(args)
        .arg(exe)
        .output()
        .expect("wrestool runs (apt install icoutils)");
    assert!(out.status.success(), "wrestool: {}", text(&out.stderr));
    out.stdout
}

/// The images of an .ico file (its directory entries point at them), in order.
fn icon_images(ico: &[u8]) -> Vec<&[u8]> {
    let u16_at = |at: usize| u16::from_le_bytes([ico[at], ico[at + 1]]) as usize;
    let u32_at =
        |at: usize| u32::from_le_bytes([ico[at], ico[at + 1], ico[at + 2], ico[at + 3]]) as usize;
    assert!(ico.len() >= 6 && u16_at(2) == 1, "not an icon file");
    (0..u16_at(4))
        .map(|i| {
            let entry = 6 + 16 * i;
            let (size, offset) = (u32_at(entry + 8), u32_at(entry + 12));
            &ico[offset..offset + size]
        })
        .collect()
}

/// The value of `key` in a VS_VERSIONINFO resource (UTF-16 strings: the key, NUL
/// padding to a 4-byte boundary, then the value).
fn version_value(resource: &[u8], key: &str) -> Option<String> {
    let units: Vec<u16> = resource
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let key: Vec<u16> = key.encode_utf16().chain([0]).collect();
    let at = units.windows(key.len()).position(|w| w == key)? + key.len();
    let start = at + units[at..].iter().position(|&u| u != 0)?;
    let len = units[start..].iter().position(|&u| u == 0)?;
    Some(String::from_utf16_lossy(&units[start..start + len]))
}

#[test]
fn the_exe_carries_the_motcua_icon_and_its_version() {
    let Some(exe) = exe() else { return };
    let listed = text(&wrestool(&["-l"], &exe));
    assert!(listed.contains("type=group_icon"), "no icon: {listed}");
    assert!(
        listed.contains("type=version"),
        "no version resource: {listed}"
    );

    let icon = wrestool(&["-x", "--type=14"], &exe);
    let asset =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/windows/motcua.ico"))
            .expect("reads the icon");
    assert_eq!(
        icon_images(&icon),
        icon_images(&asset),
        "the exe's icon is assets/windows/motcua.ico"
    );

    let version = wrestool(&["-x", "--raw", "--type=16"], &exe);
    let value = |key| version_value(&version, key);
    assert_eq!(value("ProductName").as_deref(), Some("motcua"));
    assert_eq!(
        value("FileVersion").as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        value("ProductVersion").as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    // Task Manager shows the description as the program's name (ProductName is "motcua").
    assert_eq!(value("FileDescription").as_deref(), Some("Một cửa"));
}

/// The signed exe and installer `.ci/windows` made, and its test certificate; `None`
/// (skip) outside CI when they are not there.
fn signed_build() -> Option<(Vec<PathBuf>, PathBuf)> {
    let dir = target_dir().join("windows");
    let cert = dir.join("test-signing/cert.pem");
    let files = vec![
        dir.join("motcua.exe"),
        dir.join(format!("motcua-setup-{}.exe", env!("CARGO_PKG_VERSION"))),
    ];
    let missing: Vec<_> = std::iter::once(&cert)
        .chain(&files)
        .filter(|p| !p.exists())
        .collect();
    if missing.is_empty() {
        return Some((files, cert));
    }
    assert!(
        !in_ci(),
        "{missing:?} missing: in CI, .ci/windows signs the exe and the installer"
    );
    eprintln!("BỎ QUA: chưa có {missing:?} (chạy .ci/windows)");
    None
}

/// `osslsigncode verify` of `file` against `ca`: whether it passed, and its output.
fn verify(file: &Path, ca: &Path) -> (bool, String) {
    let out = Command::new("osslsigncode")
        .arg("verify")
        .arg("-CAfile")
        .arg(ca)
        .arg("-in")
        .arg(file)
        .output()
        .expect("osslsigncode runs (apt install osslsigncode)");
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

#[test]
fn the_exe_and_the_installer_are_signed_and_one_changed_byte_breaks_it() {
    let Some((files, cert)) = signed_build() else {
        return;
    };
    let work = tempfile::tempdir().expect("tempdir");
    for file in &files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let (passed, out) = verify(file, &cert);
        assert!(passed, "{name} is not validly signed: {out}");
        assert!(out.contains("Signature verification: ok"), "{out}");

        // One byte changed in the middle of the program (code or compressed data,
        // which the signature covers): the signature no longer verifies.
        let mut bytes = std::fs::read(file).expect("reads the signed file");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x5A;
        let tampered = work.path().join(format!("tampered-{name}"));
        std::fs::write(&tampered, &bytes).expect("writes the copy");
        let (passed, out) = verify(&tampered, &cert);
        assert!(!passed, "{name} with a changed byte still verifies: {out}");
        assert!(out.contains("MISMATCH"), "the digest differs: {out}");

        // The same file with its signature removed: refused as unsigned.
        let unsigned = work.path().join(format!("unsigned-{name}"));
        ok(
            Command::new("osslsigncode")
                .arg("remove-signature")
                .arg("-in")
                .arg(file)
                .arg("-out")
                .arg(&unsigned)
                .output()
                .expect("osslsigncode runs"),
            "remove-signature",
        );
        let (passed, out) = verify(&unsigned, &cert);
        assert!(!passed, "{name} without its signature verifies: {out}");
        assert!(out.contains("No signature found"), "{out}");
    }
}

#[test]
fn a_signature_by_a_certificate_nobody_trusts_is_refused() {
    let Some((files, trusted)) = signed_build() else {
        return;
    };
    let work = tempfile::tempdir().expect("tempdir");
    // Someone else's certificate, with the same name as the test one.
    let sign = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/sign");
    let other = work.path().join("other");
    ok(
        Command::new("bash")
            .arg(&sign)
            .arg("--make-test-cert")
            .arg(&other)
            .output()
            .expect("bash runs"),
        "make another certificate",
    );
    let copy = work.path().join("motcua.exe");
    std::fs::copy(&files[0], &copy).expect("copies the exe");
    let signed = Command::new("bash")
        .arg(&sign)
        .arg("--cert")
        .arg(other.join("cert.pem"))
        .arg("--key")
        .arg(other.join("key.pem"))
        .arg("--ca")
        .arg(other.join("cert.pem"))
        .arg(&copy)
        .output()
        .expect("bash runs");
    ok(signed, "sign with the other certificate");
    let (passed, out) = verify(&copy, &trusted);
    assert!(!passed, "verified against the wrong certificate: {out}");
    // .ci/sign itself refuses it when told to trust only the test certificate.
    let checked = Command::new("bash")
        .arg(&sign)
        .arg("--verify-only")
        .arg("--ca")
        .arg(&trusted)
        .arg(&copy)
        .output()
        .expect("bash runs");
    assert!(!checked.status.success());
    assert!(
        text(&checked.stderr).contains("does not verify"),
        "{}",
        text(&checked.stderr)
    );
}
