//! The notice outbox in PostgreSQL: written in the transaction that stores an event,
//! read by the sender loop. The key (event id, kind) makes each notice exist once.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::centre::error::ApiError;
use crate::domain::event::{Event, EventBody};
use crate::domain::notice::NoticeConsent;

use super::text::{NoticeKind, sms, when};

/// One notice as the gateways see it.
#[derive(Debug, Clone)]
pub struct Notice {
    /// `<event id>:<kind>`: the idempotency key every gateway receives, the same on
    /// every attempt, so a gateway that accepted and then timed out drops the retry.
    pub key: String,
    /// Domestic digits, `0…` (each gateway writes it its own way).
    pub phone: String,
    pub text: String,
    /// The ZNS template's parameters.
    pub data: serde_json::Value,
    /// Attempts so far, this one included.
    pub attempt: i32,
}

/// The consent in the dossier's Received event: in `event` itself, or already stored.
async fn consent_of(
    tx: &impl GenericClient,
    event: &Event,
) -> Result<Option<(NoticeConsent, Option<String>)>, ApiError> {
    if let EventBody::Received {
        consent, content, ..
    } = &event.body
    {
        return Ok(consent.clone().map(|c| (c, Some(when(&content.due_at)))));
    }
    let row = tx
        .query_opt(
            "SELECT body FROM event WHERE unit_code = $1 AND dossier_code = $2
                 AND kind = 'received' LIMIT 1",
            &[&event.dossier.unit().as_str(), &event.dossier.to_string()],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.get(0);
    // Stored events were checked on the way in; an unreadable one just sends nothing.
    let received: Option<Event> = serde_json::from_str(&body).ok();
    Ok(received.and_then(|e| match e.body {
        EventBody::Received { consent, .. } => consent.map(|c| (c, None)),
        _ => None,
    }))
}

/// Queues the notice `event` calls for, if the citizen agreed to notices. Call it in
/// the transaction that stored the event, only when it was newly stored. `Ok(true)`
/// if a notice was queued now.
pub async fn enqueue(tx: &impl GenericClient, event: &Event) -> Result<bool, ApiError> {
    let Some(kind) = NoticeKind::of(&event.body) else {
        return Ok(false);
    };
    let Some((consent, received_due)) = consent_of(tx, event).await? else {
        return Ok(false);
    };
    let due = match &event.body {
        EventBody::Extended { due_at, .. } => Some(when(due_at)),
        _ => received_due,
    };
    let unit = event.dossier.unit().as_str();
    let name: String = tx
        .query_opt("SELECT name FROM unit WHERE code = $1", &[&unit])
        .await?
        .map_or_else(|| unit.to_string(), |r| r.get(0));
    let code = event.dossier.to_string();
    let text = sms(kind, &name, &code, due.as_deref());
    let data = serde_json::json!({
        "don_vi": name,
        "ma_ho_so": code,
        "trang_thai": kind.label_vi(),
        "hen_tra": due.unwrap_or_default(),
    });
    let n = tx
        .execute(
            "INSERT INTO notice_outbox (event_id, kind, dossier_code, phone, text, data, next_at)
             VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, now())
             ON CONFLICT DO NOTHING",
            &[
                &event.id.0,
                &kind.as_str(),
                &code,
                &consent.phone,
                &text,
                &data.to_string(),
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Claims up to `limit` due notices: each claim counts an attempt and moves its next
/// time past the back-off (30 s doubling per attempt, at most an hour), so a sender killed mid-request retries later, with the same
/// key. Rows locked by another sender are skipped.
pub async fn claim(
    client: &mut deadpool_postgres::Client,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Notice>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    let rows = tx
        .query(
            "UPDATE notice_outbox o
             SET attempts = o.attempts + 1,
                 next_at = $1 + make_interval(secs => least(30 * power(2, least(o.attempts, 20)), 3600))
             FROM (SELECT event_id, kind FROM notice_outbox
                   WHERE state = 'pending' AND next_at <= $1
                   ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
             WHERE o.event_id = due.event_id AND o.kind = due.kind
             RETURNING o.event_id, o.kind, o.phone, o.text, o.data::text, o.attempts",
            &[&now, &limit],
        )
        .await?;
    tx.commit().await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let id: Uuid = r.get(0);
            let kind: String = r.get(1);
            let phone: Option<String> = r.get(2);
            let data: String = r.get(4);
            Some(Notice {
                key: format!("{id}:{kind}"),
                phone: phone?,
                text: r.get(3),
                data: serde_json::from_str(&data).unwrap_or_default(),
                attempt: r.get(5),
            })
        })
        .collect())
}

/// The key's parts, for the updates below.
fn key_parts(key: &str) -> Option<(Uuid, &str)> {
    let (id, kind) = key.split_once(':')?;
    Some((Uuid::parse_str(id).ok()?, kind))
}

/// Marks a notice sent and forgets the phone number.
pub async fn mark_sent(
    client: &deadpool_postgres::Client,
    key: &str,
) -> Result<(), tokio_postgres::Error> {
    if let Some((id, kind)) = key_parts(key) {
        client
            .execute(
                "UPDATE notice_outbox SET state = 'sent', sent_at = now(), phone = NULL,
                        last_error = NULL
                 WHERE event_id = $1 AND kind = $2",
                &[&id, &kind],
            )
            .await?;
    }
    Ok(())
}

/// Records a failed attempt; `give_up` ends the notice for good (state `failed`).
pub async fn mark_failed(
    client: &deadpool_postgres::Client,
    key: &str,
    error: &str,
    give_up: bool,
) -> Result<(), tokio_postgres::Error> {
    if let Some((id, kind)) = key_parts(key) {
        let error: String = error.chars().take(500).collect();
        client
            .execute(
                "UPDATE notice_outbox
                 SET last_error = $3,
                     state = CASE WHEN $4 THEN 'failed' ELSE state END,
                     phone = CASE WHEN $4 THEN NULL ELSE phone END
                 WHERE event_id = $1 AND kind = $2 AND state = 'pending'",
                &[&id, &kind, &error, &give_up],
            )
            .await?;
    }
    Ok(())
}
