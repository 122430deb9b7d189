//! The tracking token printed in the receipt's QR (issue 22 §1).
//!
//! The desk makes it offline at intake and carries it in the Received event; the centre
//! serves `/tra-cuu/<token>`. It is 160 random bits from the operating system, so it
//! cannot be guessed from the dossier code (which is sequential) nor enumerated; a
//! reprint may replace it (`TrackingRenewed`), after which the old one is unknown.
//! Written in lower-case RFC 4648 base32 without padding: 32 characters, no symbol a
//! URL or a phone's keyboard would mangle.

use serde::{Deserialize, Serialize};

/// Random bytes in a token: 160 bits (the issue asks for at least 128).
const TOKEN_BYTES: usize = 20;
/// Characters of the written token (160 / 5).
pub const TOKEN_CHARS: usize = 32;
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// An unguessable token that reaches one dossier's public tracking page.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingToken(String);

impl TrackingToken {
    /// A fresh token; fails only when the operating system has no randomness.
    pub fn generate() -> Result<Self, String> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|e| format!("Không lấy được số ngẫu nhiên cho mã tra cứu: {e}"))?;
        Ok(Self(encode(&bytes)))
    }

    /// Reads a token from a URL or the wire: exactly 32 characters of the alphabet
    /// (upper case accepted: a QR reader may shout). Anything else is `None`, and the
    /// caller answers as for an unknown token.
    pub fn parse(s: &str) -> Option<Self> {
        if s.len() != TOKEN_CHARS {
            return None;
        }
        let lower = s.to_ascii_lowercase();
        lower
            .bytes()
            .all(|b| ALPHABET.contains(&b))
            .then_some(Self(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never printed whole in logs and debug output: the token is a bearer secret.
impl std::fmt::Debug for TrackingToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrackingToken({}…)", self.0.get(..4).unwrap_or(""))
    }
}

impl TryFrom<String> for TrackingToken {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| "Mã tra cứu không hợp lệ".to_string())
    }
}

impl From<TrackingToken> for String {
    fn from(t: TrackingToken) -> String {
        t.0
    }
}

/// Base32 (RFC 4648 alphabet, lower case, no padding) of bytes whose bit count is a
/// multiple of 5.
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The address the receipt's QR holds: the centre's public address (given at
/// enrollment and sync) joined with the token's path.
pub fn tracking_url(public_base: &str, token: &TrackingToken) -> String {
    format!(
        "{}/tra-cuu/{}",
        public_base.trim_end_matches('/'),
        token.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_32_base32_characters_and_distinct() {
        let a = TrackingToken::generate().expect("token");
        let b = TrackingToken::generate().expect("token");
        assert_eq!(a.as_str().len(), TOKEN_CHARS);
        assert_ne!(a, b);
        assert_eq!(TrackingToken::parse(a.as_str()), Some(a.clone()));
        assert_eq!(
            TrackingToken::parse(&a.as_str().to_ascii_uppercase()),
            Some(a.clone())
        );
        assert!(!format!("{a:?}").contains(a.as_str()));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "abc",
            "0000000000000000000000000000000a",
            "abcdefghijklmnopqrstuvwxyz23456",
            "abcdefghijklmnopqrstuvwxyz2345678",
            "abcdefghijklmnopqrstuvwxyz23456/",
            "ábcdefghijklmnopqrstuvwxyz23456",
        ] {
            assert!(TrackingToken::parse(bad).is_none(), "{bad}");
        }
        assert!(serde_json::from_str::<TrackingToken>("\"../../etc\"").is_err());
    }

    #[test]
    fn encoding_matches_rfc4648() {
        assert_eq!(encode(b"fooba"), "mzxw6ytb");
        assert_eq!(encode(&[0xff; 5]), "77777777");
    }

    #[test]
    fn the_url_joins_base_and_token() {
        let t = TrackingToken::parse("abcdefghijklmnopqrstuvwxyz234567").expect("t");
        assert_eq!(
            tracking_url("https://motcua.example.vn/", &t),
            "https://motcua.example.vn/tra-cuu/abcdefghijklmnopqrstuvwxyz234567"
        );
    }
}
