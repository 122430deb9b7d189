//! The release manifest: one line of JSON carried as the signature's trusted comment, so
//! the same signature that covers the package covers what the package claims to be.

use serde::{Deserialize, Serialize};

use crate::domain::document::Sha256Hex;
use crate::update::{UpdateError, Version};

/// The product name a manifest must carry: a signature made for another tool of the
/// province with the same key is not a motcua release.
pub const APP: &str = "motcua";
/// Largest package a desk will fetch or check (the release installer is ~15 MB; room
/// for growth, and a bound on what a hostile centre can make a desk download).
pub const MAX_RELEASE_BYTES: u64 = 256 * 1024 * 1024;
/// Longest trusted comment read: a manifest is about 200 bytes.
const MAX_MANIFEST_CHARS: usize = 1024;

/// The platform this exe runs on, as manifests name it: `windows-x86_64`, `linux-x86_64`.
pub fn this_platform() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

/// A manifest whose fields have all been checked for form (not yet for trust).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub version: Version,
    pub platform: String,
    pub size: u64,
    pub sha256: Sha256Hex,
    /// The oldest version this release may replace (older desks need the installer).
    pub min_version: Option<Version>,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    app: String,
    version: String,
    platform: String,
    size: u64,
    sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_version: Option<String>,
}

impl Manifest {
    /// Reads the manifest from a trusted comment, bounding everything it takes in.
    pub fn parse(line: &str) -> Result<Manifest, UpdateError> {
        let bad = |why: &str| UpdateError::BadManifest(why.to_string());
        if line.len() > MAX_MANIFEST_CHARS {
            return Err(bad("quá dài"));
        }
        let w: Wire = serde_json::from_str(line).map_err(|_| bad("không phải JSON của motcua"))?;
        if w.app != APP {
            return Err(bad("không phải bản phát hành của motcua"));
        }
        let platform_ok = !w.platform.is_empty()
            && w.platform.len() <= 40
            && w.platform
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !platform_ok {
            return Err(bad("nền tảng không hợp lệ"));
        }
        if w.size == 0 || w.size > MAX_RELEASE_BYTES {
            return Err(bad("kích thước ngoài giới hạn"));
        }
        Ok(Manifest {
            version: Version::parse(&w.version)?,
            platform: w.platform,
            size: w.size,
            sha256: Sha256Hex::parse(&w.sha256).map_err(|_| bad("mã SHA-256 không hợp lệ"))?,
            min_version: w.min_version.as_deref().map(Version::parse).transpose()?,
        })
    }

    /// The one-line JSON form, as signed.
    pub fn to_line(&self) -> String {
        let w = Wire {
            app: APP.to_string(),
            version: self.version.to_string(),
            platform: self.platform.clone(),
            size: self.size,
            sha256: self.sha256.to_string(),
            min_version: self.min_version.map(|v| v.to_string()),
        };
        // A struct of strings and integers always serialises.
        serde_json::to_string(&w).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest {
            version: Version::parse("0.1.1").expect("v"),
            platform: "linux-x86_64".into(),
            size: 42,
            sha256: Sha256Hex::of(b"x"),
            min_version: Some(Version::parse("0.1.0").expect("v")),
        }
    }

    #[test]
    fn round_trips_through_its_line() {
        let m = sample();
        let line = m.to_line();
        assert!(!line.contains('\n'));
        assert_eq!(Manifest::parse(&line).expect("parse"), m);
    }

    #[test]
    fn refuses_other_apps_sizes_and_platforms() {
        let line = sample().to_line();
        for (from, to) in [
            ("\"motcua\"", "\"khac\""),
            ("\"size\":42", "\"size\":0"),
            ("\"size\":42", "\"size\":999999999999"),
            ("linux-x86_64", "linux x86/64"),
        ] {
            let bad = line.replace(from, to);
            assert!(Manifest::parse(&bad).is_err(), "{bad} accepted");
        }
        assert!(Manifest::parse(&"x".repeat(2000)).is_err());
    }
}
