//! The refused events as the console shows them (by unit and reason, body included) and
//! an operator's review of one: who looked, when, and what they wrote.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::centre::error::ApiError;

/// The longest note kept with a review.
pub const MAX_NOTE_CHARS: usize = 1000;
/// Bodies are shown up to this many bytes (the rest is cut, the size says how much).
pub const SHOWN_BODY_BYTES: usize = 8 * 1024;
/// Rows on one page.
pub const PAGE: i64 = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub unit_code: String,
    pub desk_id: Uuid,
    pub desk_seq: i64,
    pub dossier_code: String,
    pub kind: String,
    pub reason: String,
    pub body: String,
    pub body_bytes: i64,
    pub reviewed: Option<(DateTime<Utc>, String, String)>,
}

/// Refused events of `unit` (every unit when `None`), unit and reason together, newest
/// first within them; at most [`PAGE`].
pub async fn list(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<Refused>, ApiError> {
    let shown = i32::try_from(SHOWN_BODY_BYTES).unwrap_or(i32::MAX);
    let rows = client
        .query(
            "SELECT id, quarantined_at, unit_code, desk_id, desk_seq, dossier_code, kind, reason,
                    left(body, $2), octet_length(body)::bigint, reviewed_at, reviewed_by, review_note
             FROM quarantine WHERE $1::text IS NULL OR unit_code = $1
             ORDER BY unit_code, reason, quarantined_at DESC, id DESC LIMIT $3",
            &[&unit, &shown, &PAGE],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Refused {
            id: r.get(0),
            at: r.get(1),
            unit_code: r.get(2),
            desk_id: r.get(3),
            desk_seq: r.get(4),
            dossier_code: r.get(5),
            kind: r.get(6),
            reason: r.get(7),
            body: r.get(8),
            body_bytes: r.get(9),
            reviewed: r.get::<_, Option<DateTime<Utc>>>(10).map(|at| {
                (
                    at,
                    r.get::<_, Option<String>>(11).unwrap_or_default(),
                    r.get::<_, Option<String>>(12).unwrap_or_default(),
                )
            }),
        })
        .collect())
}

/// The unit of a refused event (`None`: no such row).
pub async fn unit_of(client: &impl GenericClient, id: i64) -> Result<Option<String>, ApiError> {
    Ok(client
        .query_opt("SELECT unit_code FROM quarantine WHERE id = $1", &[&id])
        .await?
        .map(|r| r.get(0)))
}

/// Checks a review note: required, bounded, no control characters but line breaks.
pub fn check_note(note: &str) -> Result<String, ApiError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(ApiError::BadRequest("Hãy ghi chú đã xử lý thế nào".into()));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::BadRequest(format!(
            "Ghi chú dài quá {MAX_NOTE_CHARS} ký tự"
        )));
    }
    if note
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(ApiError::BadRequest("Ghi chú có ký tự điều khiển".into()));
    }
    Ok(note.to_string())
}

/// Marks one refused event reviewed (in the caller's transaction, beside the audit entry).
pub async fn mark_reviewed(
    client: &impl GenericClient,
    id: i64,
    by: &str,
    note: &str,
) -> Result<(), ApiError> {
    let n = client
        .execute(
            "UPDATE quarantine SET reviewed_at = now(), reviewed_by = $2, review_note = $3
             WHERE id = $1",
            &[&id, &by, &note],
        )
        .await?;
    if n == 0 {
        return Err(ApiError::NotFound(format!(
            "Không có sự kiện bị từ chối số {id}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_required_and_bounded() {
        assert!(check_note("  ").is_err());
        assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
        assert!(check_note("a\u{0}b").is_err());
        assert_eq!(
            check_note(" Đã gọi quầy 2\nsửa giờ máy ").ok(),
            Some("Đã gọi quầy 2\nsửa giờ máy".to_string())
        );
    }
}
