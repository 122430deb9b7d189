//! Notices that gave up (state `failed`: refused by the gateway, or out of attempts),
//! for the operator: listed without the phone number, and put back in the queue.
//!
//! A notice that gave up has forgotten its phone (`outbox::mark_failed`); a retry reads
//! it again from the consent in the dossier's Received event, where it lives on.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use serde::Serialize;
use uuid::Uuid;

use crate::centre::error::ApiError;
use crate::domain::event::{Event, EventBody};

/// Failed notices listed at most at once.
pub const MAX_LISTED: i64 = 1000;

/// One notice that gave up, as the operator sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Failed {
    /// `<event id>:<kind>`, what `notices retry` takes.
    pub id: String,
    pub unit_code: String,
    pub dossier_code: String,
    pub kind: String,
    pub attempts: i32,
    /// The gateway's last answer, with long digit runs hidden (it may echo the phone).
    pub last_error: Option<String>,
    /// When the notice was queued.
    pub queued_at: DateTime<Utc>,
}

/// The failed notices, oldest first, of one unit or all (at most [`MAX_LISTED`]).
pub async fn list(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<Failed>, ApiError> {
    let rows = client
        .query(
            "SELECT o.event_id, o.kind, x.unit_code, o.dossier_code, o.attempts, o.last_error,
                    o.created_at
             FROM notice_outbox o JOIN event x ON x.id = o.event_id
             WHERE o.state = 'failed' AND ($1::text IS NULL OR x.unit_code = $1)
             ORDER BY o.created_at, o.event_id, o.kind
             LIMIT $2",
            &[&unit, &MAX_LISTED],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: Uuid = r.get(0);
            let kind: String = r.get(1);
            let error: Option<String> = r.get(5);
            Failed {
                id: format!("{id}:{kind}"),
                unit_code: r.get(2),
                dossier_code: r.get(3),
                kind,
                attempts: r.get(4),
                last_error: error.map(|e| hide_numbers(&e)),
                queued_at: r.get(6),
            }
        })
        .collect())
}

/// Which failed notices to put back.
#[derive(Debug, Clone)]
pub enum Which<'a> {
    /// One, by its id (`<event id>:<kind>`).
    One(&'a str),
    /// Every failed one, of one unit or all.
    All { unit: Option<&'a str> },
}

/// What a retry did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requeued {
    pub requeued: usize,
    /// Failed notices whose dossier no longer shows a consent (left as they were).
    pub without_consent: usize,
}

/// Puts failed notices back in the queue, due now with a fresh count of attempts and
/// the phone read again from the Received event. Run it in the caller's transaction
/// (with its audit entry); rows are locked so a concurrent retry cannot double them.
pub async fn retry(tx: &impl GenericClient, which: Which<'_>) -> Result<Requeued, ApiError> {
    let (one, unit) = match which {
        Which::One(id) => {
            let (event, kind) = parse_id(id)?;
            (Some((event, kind.to_string())), None)
        }
        Which::All { unit } => (None, unit),
    };
    let (event, kind) = one.unzip();
    let rows = tx
        .query(
            "SELECT o.event_id, o.kind,
                    (SELECT e.body FROM event e
                     WHERE e.unit_code = x.unit_code AND e.dossier_code = o.dossier_code
                       AND e.kind = 'received' LIMIT 1)
             FROM notice_outbox o JOIN event x ON x.id = o.event_id
             WHERE o.state = 'failed'
               AND ($1::uuid IS NULL OR (o.event_id = $1 AND o.kind = $2))
               AND ($3::text IS NULL OR x.unit_code = $3)
             FOR UPDATE OF o",
            &[&event, &kind, &unit],
        )
        .await?;
    if rows.is_empty() && event.is_some() {
        return Err(ApiError::NotFound(
            "Không có thông báo thất bại nào mang mã này; xem `motcua-centre notices failed`"
                .into(),
        ));
    }
    let mut done = Requeued::default();
    for r in &rows {
        let (event_id, kind): (Uuid, String) = (r.get(0), r.get(1));
        let received: Option<String> = r.get(2);
        let Some(phone) = received.as_deref().and_then(consent_phone) else {
            done.without_consent += 1;
            continue;
        };
        tx.execute(
            "UPDATE notice_outbox
             SET state = 'pending', attempts = 0, next_at = now(), phone = $3, last_error = NULL
             WHERE event_id = $1 AND kind = $2 AND state = 'failed'",
            &[&event_id, &kind, &phone],
        )
        .await?;
        done.requeued += 1;
    }
    Ok(done)
}

/// `<event id>:<kind>`, as listed.
fn parse_id(id: &str) -> Result<(Uuid, &str), ApiError> {
    let bad = || {
        ApiError::BadRequest(format!(
            "mã thông báo '{}' không hợp lệ: cần dạng <mã sự kiện>:<loại>, như `notices failed` in ra",
            crate::domain::text::escape_controls(&id.chars().take(80).collect::<String>())
        ))
    };
    let (event, kind) = id.trim().split_once(':').ok_or_else(bad)?;
    let event = Uuid::parse_str(event).map_err(|_| bad())?;
    if kind.is_empty() || kind.len() > 40 {
        return Err(bad());
    }
    Ok((event, kind))
}

/// The phone the citizen agreed to, from a stored Received event's body.
fn consent_phone(body: &str) -> Option<String> {
    let event: Event = serde_json::from_str(body).ok()?;
    match event.body {
        EventBody::Received { consent, .. } => consent.map(|c| c.phone),
        _ => None,
    }
}

/// A gateway's error may quote the number it refused: it is masked by the same rule as
/// the logs (`domain::text::mask_personal`: runs of 9 or more digits become `***`, while
/// dossier codes, dates and HTTP statuses stay readable).
pub fn hide_numbers(s: &str) -> String {
    crate::domain::text::mask_personal(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_gateway_errors_are_hidden() {
        assert_eq!(
            hide_numbers("HTTP 400: số 0912345678 không hợp lệ"),
            "HTTP 400: số *** không hợp lệ"
        );
        assert_eq!(hide_numbers("to +84 912 345 678."), "to +***.");
        assert_eq!(
            hide_numbers("hồ sơ H22.39.15-261127-0001"),
            "hồ sơ H22.39.15-261127-0001"
        );
        assert_eq!(
            hide_numbers("HTTP 503: busy, retry 30"),
            "HTTP 503: busy, retry 30"
        );
        assert_eq!(hide_numbers("ngày 07/12/2026"), "ngày 07/12/2026");
    }

    #[test]
    fn ids_are_checked() {
        let id = "6f1c1c0e-1d2a-4b1e-9a55-0c2b3b6f9e10:result_ready";
        let (_, kind) = parse_id(id).expect("id");
        assert_eq!(kind, "result_ready");
        for bad in [
            "",
            "abc",
            "6f1c1c0e:result_ready",
            "6f1c1c0e-1d2a-4b1e-9a55-0c2b3b6f9e10:",
        ] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
    }
}
