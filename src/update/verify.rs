//! Whether a downloaded release may be installed: the signature against the built-in key
//! (which also authenticates the manifest), the file against the manifest, and the
//! manifest against this desk (newer, allowed from here, same platform).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use minisign_verify::{Error as MsError, PublicKey, Signature};
use sha2::{Digest, Sha256};

use crate::domain::document::Sha256Hex;
use crate::update::manifest::MAX_RELEASE_BYTES;
use crate::update::{Manifest, UpdateError, Version};

/// Longest signature file read (minisign's are about 350 bytes).
pub const MAX_SIGNATURE_BYTES: usize = 4096;

/// A release whose signature, file and manifest all passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRelease {
    pub manifest: Manifest,
}

/// Decodes a minisign signature and the manifest it carries. The manifest is not yet
/// trusted: only `verify_release` says the key signed it.
pub fn read_signature(text: &str) -> Result<(Signature, Manifest), UpdateError> {
    if text.len() > MAX_SIGNATURE_BYTES {
        return Err(UpdateError::BadSignature("quá dài".into()));
    }
    let sig = Signature::decode(text).map_err(|e| UpdateError::BadSignature(e.to_string()))?;
    let manifest = Manifest::parse(sig.trusted_comment())?;
    Ok((sig, manifest))
}

/// Whether this desk may install what `manifest` describes (checked before a download
/// on what the centre says, and again after it on what the key signed).
pub fn check_manifest(m: &Manifest, running: Version, platform: &str) -> Result<(), UpdateError> {
    if m.platform != platform {
        return Err(UpdateError::WrongPlatform {
            offered: m.platform.clone(),
            ours: platform.to_string(),
        });
    }
    if m.version <= running {
        return Err(UpdateError::NotNewer {
            offered: m.version.to_string(),
            running: running.to_string(),
        });
    }
    if let Some(minimum) = m.min_version.filter(|min| running < *min) {
        return Err(UpdateError::TooOld {
            offered: m.version.to_string(),
            minimum: minimum.to_string(),
            running: running.to_string(),
        });
    }
    Ok(())
}

/// Checks `package` and its signature `sig_text` against `key`, then against this desk.
pub fn verify_release(
    key: &PublicKey,
    sig_text: &str,
    package: &Path,
    running: Version,
    platform: &str,
) -> Result<VerifiedRelease, UpdateError> {
    let manifest = verify_package(key, sig_text, package)?;
    check_manifest(&manifest, running, platform)?;
    Ok(VerifiedRelease { manifest })
}

/// Checks that `key` signed `package` and the manifest, and that the manifest describes
/// the package (the centre's upload checks this much; a desk also `check_manifest`).
/// Reads the file once, in chunks, never past the manifest's size.
pub fn verify_package(
    key: &PublicKey,
    sig_text: &str,
    package: &Path,
) -> Result<Manifest, UpdateError> {
    let (sig, manifest) = read_signature(sig_text)?;
    let mut verifier = key.verify_stream(&sig).map_err(|e| match e {
        MsError::UnexpectedKeyId => UpdateError::WrongKey,
        other => UpdateError::BadSignature(other.to_string()),
    })?;
    let io = |e: std::io::Error| UpdateError::Io {
        path: package.display().to_string(),
        reason: e.to_string(),
    };
    let file = File::open(package).map_err(io)?;
    let actual = file.metadata().map_err(io)?.len();
    if actual != manifest.size || actual > MAX_RELEASE_BYTES {
        return Err(UpdateError::WrongSize {
            expected: manifest.size,
            actual,
        });
    }
    let mut sha = Sha256::new();
    let mut reader = file.take(manifest.size);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        verifier.update(&buf[..n]);
        sha.update(&buf[..n]);
    }
    verifier.finalize().map_err(|_| UpdateError::Tampered)?;
    if Sha256Hex::from_digest(&sha.finalize()) != manifest.sha256 {
        // Signed, but the signer's manifest does not describe the file it signed.
        return Err(UpdateError::Tampered);
    }
    Ok(manifest)
}
