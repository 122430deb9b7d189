//! Signing and checking a release end to end, and every way a release is refused.

use std::path::{Path, PathBuf};

use super::*;
use crate::update::key::{TEST_PUBLIC_KEY, parse_public_key};
use crate::update::{UpdateError, verify_release};

const TEST_SECRET: &str = include_str!("../../../tests/fixtures/release/test-release.key");

fn v(s: &str) -> Version {
    Version::parse(s).expect("version")
}

fn claim(version: &str) -> ReleaseClaim {
    ReleaseClaim {
        version: v(version),
        platform: "linux-x86_64".into(),
        min_version: Some(v("0.1.0")),
    }
}

fn package(dir: &Path) -> PathBuf {
    let path = dir.join("motcua-0.1.1.tar.gz");
    std::fs::write(&path, b"the 0.1.1 package, whatever its bytes".repeat(3000)).expect("write");
    path
}

fn check(
    sig: &str,
    path: &Path,
    running: &str,
) -> Result<crate::update::VerifiedRelease, UpdateError> {
    let key = parse_public_key(TEST_PUBLIC_KEY).expect("key");
    verify_release(&key, sig, path, v(running), "linux-x86_64")
}

#[test]
fn the_test_secret_key_is_the_built_in_test_keys_half() {
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let ours = secret.public_file_text().expect("pub");
    assert_eq!(ours.lines().nth(1), TEST_PUBLIC_KEY.lines().nth(1));
}

#[test]
fn a_signed_newer_release_passes() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let sig = secret.sign(&path, &claim("0.1.1")).expect("sign");
    let ok = check(&sig, &path, "0.1.0").expect("verified");
    assert_eq!(ok.manifest.version, v("0.1.1"));
    assert_eq!(
        ok.manifest.size,
        std::fs::metadata(&path).expect("meta").len()
    );
}

#[test]
fn a_changed_byte_is_tampered() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let sig = secret.sign(&path, &claim("0.1.1")).expect("sign");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[1000] ^= 1;
    std::fs::write(&path, bytes).expect("write");
    assert_eq!(check(&sig, &path, "0.1.0"), Err(UpdateError::Tampered));
}

#[test]
fn an_edited_manifest_is_tampered() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    // A centre that relabels a signed 0.1.1 as 0.2.0 (so that it would pass a minimum).
    let sig = secret.sign(&path, &claim("0.1.1")).expect("sign");
    let forged = sig.replace("\"version\":\"0.1.1\"", "\"version\":\"0.2.0\"");
    assert_ne!(forged, sig);
    assert_eq!(check(&forged, &path, "0.1.0"), Err(UpdateError::Tampered));
}

#[test]
fn another_key_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let other = SecretKey::generate().expect("key");
    let sig = other.sign(&path, &claim("0.1.1")).expect("sign");
    assert_eq!(check(&sig, &path, "0.1.0"), Err(UpdateError::WrongKey));
    // The same key id with another key (a forger copies the id): the signature fails.
    let test = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let forger = SecretKey {
        key_id: test.key_id,
        seed: other.seed,
    };
    let sig = forger.sign(&path, &claim("0.1.1")).expect("sign");
    assert_eq!(check(&sig, &path, "0.1.0"), Err(UpdateError::Tampered));
}

#[test]
fn an_older_or_equal_version_is_a_downgrade() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let sig = secret.sign(&path, &claim("0.1.1")).expect("sign");
    for running in ["0.1.1", "0.2.0"] {
        assert!(matches!(
            check(&sig, &path, running),
            Err(UpdateError::NotNewer { .. })
        ));
    }
}

#[test]
fn another_platform_or_a_too_old_desk_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let mut windows = claim("0.1.1");
    windows.platform = "windows-x86_64".into();
    let sig = secret.sign(&path, &windows).expect("sign");
    assert!(matches!(
        check(&sig, &path, "0.1.0"),
        Err(UpdateError::WrongPlatform { .. })
    ));
    let mut needs = claim("0.3.0");
    needs.min_version = Some(v("0.2.0"));
    let sig = secret.sign(&path, &needs).expect("sign");
    assert!(matches!(
        check(&sig, &path, "0.1.0"),
        Err(UpdateError::TooOld { .. })
    ));
}

#[test]
fn a_longer_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("dir");
    let path = package(dir.path());
    let secret = SecretKey::from_file_text(TEST_SECRET).expect("secret");
    let sig = secret.sign(&path, &claim("0.1.1")).expect("sign");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.push(0);
    std::fs::write(&path, bytes).expect("write");
    assert!(matches!(
        check(&sig, &path, "0.1.0"),
        Err(UpdateError::WrongSize { .. })
    ));
}
