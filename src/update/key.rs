//! The release key the desk trusts: its public half is built into the exe.
//!
//! A province build sets `MOTCUA_RELEASE_PUBKEY` (the second line of its minisign `.pub`
//! file, or the whole file) when it compiles; `.ci/release` refuses to build without it.
//! A debug build without it trusts the test key in `assets/release/test-release.pub`
//! (its secret half is in the tests); a release build without it trusts nothing and
//! never updates itself.

use minisign_verify::PublicKey;

use crate::update::UpdateError;

/// The public half of the key the tests sign with. Never trusted by a release build.
pub const TEST_PUBLIC_KEY: &str = include_str!("../../assets/release/test-release.pub");

/// The key built into this exe.
pub fn trusted_key() -> Result<PublicKey, UpdateError> {
    match option_env!("MOTCUA_RELEASE_PUBKEY") {
        Some(text) => parse_public_key(text),
        None if cfg!(debug_assertions) => parse_public_key(TEST_PUBLIC_KEY),
        None => Err(UpdateError::NoTrustedKey),
    }
}

/// A minisign public key: the whole `.pub` file or its base64 line alone.
pub fn parse_public_key(text: &str) -> Result<PublicKey, UpdateError> {
    let text = text.trim();
    let parsed = if text.contains('\n') {
        PublicKey::decode(text)
    } else {
        PublicKey::from_base64(text)
    };
    parsed.map_err(|e| UpdateError::BadKey(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_key_parses_whole_or_as_its_line() {
        assert!(parse_public_key(TEST_PUBLIC_KEY).is_ok());
        let line = TEST_PUBLIC_KEY.lines().nth(1).expect("line");
        assert!(parse_public_key(line).is_ok());
        assert!(parse_public_key("RWQ=").is_err());
    }

    #[test]
    fn a_debug_build_trusts_a_key() {
        assert!(trusted_key().is_ok());
    }
}
