//! The bytes on the wire: JSON, gzip-compressed, read back under a size limit.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("Nội dung quá lớn (vượt {limit} byte sau khi giải nén)")]
    TooLarge { limit: usize },
    #[error("Nội dung nén gzip không hợp lệ: {0}")]
    Gzip(String),
    #[error("JSON không hợp lệ: {0}")]
    Json(String),
}

pub fn to_gzip_json<T: Serialize>(value: &T) -> Vec<u8> {
    let json = serde_json::to_vec(value).unwrap_or_default();
    gzip(&json)
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Decompresses at most `limit` bytes; more is `TooLarge`, whatever the compressed size.
pub fn gunzip_limited(bytes: &[u8], limit: usize) -> Result<Vec<u8>, WireError> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| WireError::Gzip(e.to_string()))?;
    if out.len() > limit {
        return Err(WireError::TooLarge { limit });
    }
    Ok(out)
}

/// Reads a body that is gzip when `gzipped`, plain JSON otherwise.
pub fn from_body<T: DeserializeOwned>(
    bytes: &[u8],
    gzipped: bool,
    limit: usize,
) -> Result<T, WireError> {
    let plain;
    let json = if gzipped {
        plain = gunzip_limited(bytes, limit)?;
        &plain[..]
    } else {
        if bytes.len() > limit {
            return Err(WireError::TooLarge { limit });
        }
        bytes
    };
    serde_json::from_slice(json).map_err(|e| WireError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_bounds_a_bomb() {
        let value = vec!["Nguyễn"; 1000];
        let z = to_gzip_json(&value);
        let back: Vec<String> = from_body(&z, true, 1 << 20).expect("reads");
        assert_eq!(back.len(), 1000);
        let bomb = gzip(&vec![b' '; 1 << 20]);
        assert!(bomb.len() < 20_000, "{}", bomb.len());
        assert_eq!(
            from_body::<Vec<String>>(&bomb, true, 1000),
            Err(WireError::TooLarge { limit: 1000 })
        );
        assert!(matches!(
            from_body::<Vec<String>>(b"[1,", false, 1000),
            Err(WireError::Json(_))
        ));
    }
}
