//! Making a release key and signing a release, in minisign's format (the province's
//! release machine, `.ci/release` and the tests; never the centre's server, which only
//! stores what it is given).
//!
//! The signature is minisign's pre-hashed kind ("ED": Ed25519 over BLAKE2b-512 of the
//! file), so `minisign -V` checks it too. The secret key file is this tool's own
//! unencrypted form (`Ed`, key id, seed; base64): keep it offline, on the release machine.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use blake2::Digest as _;
use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::domain::document::Sha256Hex;
use crate::update::manifest::MAX_RELEASE_BYTES;
use crate::update::{Manifest, UpdateError, Version};

/// A release key pair: the key id minisign uses to match signatures, and the seed.
#[derive(Debug)]
pub struct SecretKey {
    key_id: [u8; 8],
    seed: [u8; 32],
}

/// What the signer claims of the package beside its bytes.
#[derive(Debug, Clone)]
pub struct ReleaseClaim {
    pub version: Version,
    pub platform: String,
    pub min_version: Option<Version>,
}

fn bad_key(why: &str) -> UpdateError {
    UpdateError::BadKey(why.to_string())
}

impl SecretKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<SecretKey, UpdateError> {
        let mut bytes = [0u8; 40];
        getrandom::fill(&mut bytes).map_err(|e| bad_key(&e.to_string()))?;
        let mut key = SecretKey {
            key_id: [0; 8],
            seed: [0; 32],
        };
        key.key_id.copy_from_slice(&bytes[..8]);
        key.seed.copy_from_slice(&bytes[8..]);
        Ok(key)
    }

    /// The secret key file's text.
    pub fn to_file_text(&self) -> String {
        let mut bin = b"Ed".to_vec();
        bin.extend_from_slice(&self.key_id);
        bin.extend_from_slice(&self.seed);
        format!(
            "untrusted comment: motcua release secret key {} (keep offline)\n{}\n",
            self.id_hex(),
            B64.encode(bin)
        )
    }

    pub fn from_file_text(text: &str) -> Result<SecretKey, UpdateError> {
        let line = text
            .lines()
            .nth(1)
            .ok_or_else(|| bad_key("thiếu dòng khoá"))?;
        let bin = B64
            .decode(line.trim())
            .map_err(|_| bad_key("dòng khoá không phải base64"))?;
        if bin.len() != 42 || &bin[..2] != b"Ed" {
            return Err(bad_key("không phải khoá bí mật của motcua"));
        }
        let mut key = SecretKey {
            key_id: [0; 8],
            seed: [0; 32],
        };
        key.key_id.copy_from_slice(&bin[2..10]);
        key.seed.copy_from_slice(&bin[10..]);
        Ok(key)
    }

    fn pair(&self) -> Result<Ed25519KeyPair, UpdateError> {
        Ed25519KeyPair::from_seed_unchecked(&self.seed).map_err(|e| bad_key(&e.to_string()))
    }

    /// minisign prints the key id as the little-endian number in upper-case hex.
    fn id_hex(&self) -> String {
        self.key_id
            .iter()
            .rev()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// The public key file's text, as `minisign -G` writes it.
    pub fn public_file_text(&self) -> Result<String, UpdateError> {
        let mut bin = b"Ed".to_vec();
        bin.extend_from_slice(&self.key_id);
        bin.extend_from_slice(self.pair()?.public_key().as_ref());
        Ok(format!(
            "untrusted comment: minisign public key {}\n{}\n",
            self.id_hex(),
            B64.encode(bin)
        ))
    }

    /// Signs `package` with the manifest `claim` makes of it; returns the `.minisig` text.
    pub fn sign(&self, package: &Path, claim: &ReleaseClaim) -> Result<String, UpdateError> {
        let io = |e: std::io::Error| UpdateError::Io {
            path: package.display().to_string(),
            reason: e.to_string(),
        };
        let mut file = File::open(package).map_err(io)?;
        let (mut blake, mut sha) = (
            blake2::Blake2b512::new(),
            <sha2::Sha256 as sha2::Digest>::new(),
        );
        let mut size = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            blake.update(&buf[..n]);
            sha2::Digest::update(&mut sha, &buf[..n]);
        }
        if size == 0 || size > MAX_RELEASE_BYTES {
            return Err(UpdateError::BadManifest(format!(
                "kích thước {size} byte ngoài giới hạn"
            )));
        }
        let manifest = Manifest {
            version: claim.version,
            platform: claim.platform.clone(),
            size,
            sha256: Sha256Hex::from_digest(&sha2::Digest::finalize(sha)),
            min_version: claim.min_version,
        };
        let comment = manifest.to_line();
        self.signature_text(&blake.finalize(), &comment)
    }

    /// The four lines of a pre-hashed minisign signature over `hash` with `comment`.
    pub fn signature_text(&self, hash: &[u8], comment: &str) -> Result<String, UpdateError> {
        let pair = self.pair()?;
        let sig = pair.sign(hash);
        let mut bin1 = b"ED".to_vec();
        bin1.extend_from_slice(&self.key_id);
        bin1.extend_from_slice(sig.as_ref());
        let mut global = sig.as_ref().to_vec();
        global.extend_from_slice(comment.as_bytes());
        let global_sig = pair.sign(&global);
        Ok(format!(
            "untrusted comment: signature from motcua release key {}\n{}\ntrusted comment: {comment}\n{}\n",
            self.id_hex(),
            B64.encode(bin1),
            B64.encode(global_sig.as_ref())
        ))
    }
}

#[cfg(test)]
mod tests;
