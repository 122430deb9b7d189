//! Release versions: `MAJOR.MINOR.PATCH`, compared as numbers (0.1.10 is after 0.1.9).
//! Anything else (pre-release tags, leading zeros, signs) is refused rather than guessed.

use std::fmt;

use crate::update::UpdateError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub fn parse(text: &str) -> Result<Version, UpdateError> {
        let bad = || UpdateError::BadVersion(text.chars().take(40).collect());
        let mut parts = text.split('.');
        let mut next = || -> Result<u32, UpdateError> {
            let p = parts.next().ok_or_else(bad)?;
            let digits = !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit());
            if !digits || (p.len() > 1 && p.starts_with('0')) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let v = Version {
            major: next()?,
            minor: next()?,
            patch: next()?,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(v)
    }

    /// The version this exe was built as: `MOTCUA_VERSION_OVERRIDE` at build time, else
    /// the crate's version. A **debug** build also reads `MOTCUA_VERSION_OVERRIDE` at run
    /// time, so the end-to-end test's "0.1.1" is this same exe started under that name
    /// (as a debug build trusts the test key); a release build never does.
    pub fn running() -> Result<Version, UpdateError> {
        #[cfg(debug_assertions)]
        if let Ok(v) = std::env::var("MOTCUA_VERSION_OVERRIDE") {
            return Version::parse(&v);
        }
        Version::parse(option_env!("MOTCUA_VERSION_OVERRIDE").unwrap_or(env!("CARGO_PKG_VERSION")))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        let v = |s| Version::parse(s).expect("version");
        assert!(v("0.1.10") > v("0.1.9"));
        assert!(v("1.0.0") > v("0.99.99"));
        assert_eq!(v("0.1.1").to_string(), "0.1.1");
    }

    #[test]
    fn odd_forms_are_refused() {
        for s in [
            "",
            "0.1",
            "0.1.1.1",
            "0.1.x",
            "0.01.1",
            "-1.0.0",
            "0.1.1-rc1",
            " 0.1.1",
        ] {
            assert!(Version::parse(s).is_err(), "{s:?} accepted");
        }
    }

    #[test]
    fn the_running_version_parses() {
        assert!(Version::running().is_ok());
    }
}
