//! Desk tokens and enrollment codes: random secrets of which only a SHA-256 is stored,
//! so a copy of the database lets no one act as a desk.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::centre::error::ApiError;

/// A desk that presented a valid token.
#[derive(Debug, Clone)]
pub struct AuthedDesk {
    pub desk_id: Uuid,
    pub unit_code: String,
    /// Its index in the unit: the daily receipt numbers it owns (k×1000+1 … k×1000+999).
    pub desk_index: u8,
}

/// `bytes` random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| format!("không lấy được số ngẫu nhiên: {e}"))?;
    Ok(hex(&buf))
}

/// A 256-bit bearer token.
pub fn new_token() -> Result<String, String> {
    random_hex(32)
}

/// An enrollment code an operator can read out: 4 groups of 5 from an alphabet with
/// no look-alikes (100 bits).
pub fn new_enroll_code() -> Result<String, String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 20];
    getrandom::fill(&mut buf).map_err(|e| format!("không lấy được số ngẫu nhiên: {e}"))?;
    let chars: Vec<char> = buf
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    Ok(chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// How a secret is stored and looked up. Codes are compared case- and dash-blind.
pub fn hash_secret(secret: &str) -> String {
    let normal: String = secret
        .trim()
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    hex(&Sha256::digest(normal.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The token of a request, or 401.
pub fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers.get(AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized("Thiếu mã truy cập (Authorization: Bearer …)".into())
    })?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| ApiError::Unauthorized("Mã truy cập không đúng định dạng".into()))?;
    Ok(token)
}

/// Looks the token up; unknown → 401.
pub async fn authenticate(
    client: &deadpool_postgres::Client,
    headers: &HeaderMap,
) -> Result<AuthedDesk, ApiError> {
    let token = bearer(headers)?;
    let row = client
        .query_opt(
            "SELECT desk_id, unit_code, desk_index FROM desk WHERE token_hash = $1",
            &[&hash_secret(token)],
        )
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized("Mã truy cập không hợp lệ hoặc quầy đã bị thu hồi".into())
        })?;
    Ok(AuthedDesk {
        desk_id: row.get(0),
        unit_code: row.get(1),
        desk_index: u8::try_from(row.get::<_, i16>(2)).unwrap_or(u8::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(hash_secret(&a), a.to_ascii_uppercase());
        let code = new_enroll_code().expect("code");
        assert_eq!(code.len(), 23);
        assert_eq!(
            hash_secret(&code),
            hash_secret(&code.to_lowercase().replace('-', " "))
        );
    }
}
