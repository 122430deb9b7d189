//! Request bodies as the centre reads them, before any database work: the
//! `Content-Encoding` (gzip or identity), the size limits, the JSON, and for a push the
//! batch checks. Pure functions of the bytes (and, for a push, of the desk that
//! authenticated), so they can be tested and fuzzed without a server.

use serde::de::DeserializeOwned;

use crate::centre::auth::AuthedDesk;
use crate::centre::error::ApiError;
use crate::centre::feed;
use crate::sync::protocol::{
    EnrollRequest, MAX_JSON_BYTES, MAX_PUSH_EVENTS, MAX_WIRE_BYTES, PushRequest,
};
use crate::sync::wire;

/// Whether a body is gzip, from the raw bytes of its `Content-Encoding` header (absent:
/// identity). Only `gzip` and `identity` are accepted, in any ASCII case.
pub fn is_gzipped(content_encoding: Option<&[u8]>) -> Result<bool, ApiError> {
    match content_encoding {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case(b"gzip") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case(b"identity") => Ok(false),
        Some(_) => Err(ApiError::BadRequest(
            "Content-Encoding chỉ nhận gzip hoặc identity".into(),
        )),
    }
}

/// Reads a JSON body (gzip or not): 413 above [`MAX_WIRE_BYTES`] on the wire (the HTTP
/// layer refuses those before the handler runs) or [`MAX_JSON_BYTES`] once
/// decompressed, 400 for a bad encoding, bad gzip or bad JSON.
pub fn decode_body<T: DeserializeOwned>(
    content_encoding: Option<&[u8]>,
    body: &[u8],
) -> Result<T, ApiError> {
    let gzipped = is_gzipped(content_encoding)?;
    if body.len() > MAX_WIRE_BYTES {
        return Err(ApiError::TooLarge(format!(
            "Nội dung gửi lên quá lớn ({} byte, tối đa {MAX_WIRE_BYTES})",
            body.len()
        )));
    }
    Ok(wire::from_body(body, gzipped, MAX_JSON_BYTES)?)
}

/// `POST /v1/enroll`'s body.
pub fn decode_enroll(
    content_encoding: Option<&[u8]>,
    body: &[u8],
) -> Result<EnrollRequest, ApiError> {
    decode_body(content_encoding, body)
}

/// `POST /v1/push`'s body from an authenticated desk: decoded, at most
/// [`MAX_PUSH_EVENTS`] events (413), and the batch checked (seqs positive and
/// increasing: 400; the desk's own unit and origin only: 403).
pub fn decode_push(
    desk: &AuthedDesk,
    content_encoding: Option<&[u8]>,
    body: &[u8],
) -> Result<PushRequest, ApiError> {
    let req: PushRequest = decode_body(content_encoding, body)?;
    if req.events.len() > MAX_PUSH_EVENTS {
        return Err(ApiError::TooLarge(format!(
            "Lô có {} sự kiện, tối đa {MAX_PUSH_EVENTS}",
            req.events.len()
        )));
    }
    feed::check_batch(desk, &req.events)?;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn desk() -> AuthedDesk {
        AuthedDesk {
            desk_id: uuid::Uuid::nil(),
            unit_code: "H22.39.15".into(),
            desk_index: 0,
        }
    }

    #[test]
    fn content_encoding() {
        assert!(!is_gzipped(None).expect("absent"));
        assert!(is_gzipped(Some(b"GZip")).expect("gzip"));
        assert!(!is_gzipped(Some(b"identity")).expect("identity"));
        for bad in [&b"br"[..], b"gzip, br", b" gzip", b"", b"\xffgzip"] {
            let e = is_gzipped(Some(bad)).expect_err("refused");
            assert_eq!(e.status(), StatusCode::BAD_REQUEST, "{bad:?}");
            assert_eq!(
                e.to_string(),
                "Content-Encoding chỉ nhận gzip hoặc identity"
            );
        }
    }

    #[test]
    fn sizes_and_json() {
        let empty: PushRequest = decode_push(
            &desk(),
            Some(b"gzip"),
            &wire::to_gzip_json(&serde_json::json!({"events": []})),
        )
        .expect("empty batch");
        assert!(empty.events.is_empty());
        let big = vec![b' '; MAX_WIRE_BYTES + 1];
        assert_eq!(
            decode_push(&desk(), None, &big)
                .expect_err("too big")
                .status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let bomb = wire::gzip(&vec![b' '; MAX_JSON_BYTES + 1]);
        assert!(bomb.len() < MAX_WIRE_BYTES);
        assert_eq!(
            decode_push(&desk(), Some(b"gzip"), &bomb)
                .expect_err("bomb")
                .status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let e = decode_push(&desk(), Some(b"gzip"), b"{\"events\": []}").expect_err("not gzip");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert!(
            e.to_string().starts_with("Nội dung nén gzip không hợp lệ"),
            "{e}"
        );
        let e = decode_enroll(None, b"{\"code\": 1}").expect_err("bad json");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert!(e.to_string().starts_with("JSON không hợp lệ"), "{e}");
    }
}
