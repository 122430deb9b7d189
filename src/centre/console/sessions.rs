//! Server-side sessions in PostgreSQL. The browser holds a random 256-bit id; the table
//! holds its SHA-256, the operator and a CSRF token. Every sign-in makes a new id (an
//! id a browser brought before is never promoted: no fixation). A session ends at
//! sign-out, after [`IDLE_MINUTES`] unused, or [`MAX_HOURS`] after sign-in; `serve`
//! deletes ended ones every few minutes ([`spawn_sweeper`]). A disabled account's
//! sessions are deleted with the change, and never found.

use chrono::{Duration, Utc};
use deadpool_postgres::GenericClient;

use crate::centre::auth::{hash_secret, random_hex};
use crate::centre::console::operators::{Account, Role};
use crate::centre::error::ApiError;

pub const IDLE_MINUTES: i64 = 60;
pub const MAX_HOURS: i64 = 10;

/// A live session: who, and the token its forms must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
}

/// A new session for `username`; returns the id for the cookie (shown nowhere else).
pub async fn open(
    client: &impl GenericClient,
    username: &str,
) -> Result<(String, String), ApiError> {
    let id = random_hex(32).map_err(ApiError::Internal)?;
    let csrf = random_hex(32).map_err(ApiError::Internal)?;
    let expires = Utc::now() + Duration::hours(MAX_HOURS);
    sweep(client).await?;
    client
        .execute(
            "INSERT INTO console_session (id_hash, username, csrf, expires_at)
             VALUES ($1, $2, $3, $4)",
            &[&hash_secret(&id), &username, &csrf, &expires],
        )
        .await?;
    Ok((id, csrf))
}

/// The session of a cookie id, if it is live; touching it keeps it alive.
pub async fn find(client: &impl GenericClient, id: &str) -> Result<Option<Session>, ApiError> {
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let idle = Duration::minutes(IDLE_MINUTES);
    let cutoff = Utc::now() - idle;
    let row = client
        .query_opt(
            "UPDATE console_session s SET last_seen = now()
             FROM console_operator o
             WHERE s.id_hash = $1 AND o.username = s.username
               AND s.expires_at > now() AND s.last_seen > $2
               AND o.password_hash NOT LIKE '!%'
             RETURNING o.username, o.full_name, o.role, o.unit_code, s.csrf",
            &[&hash_secret(id), &cutoff],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let role = Role::parse(row.get(2), row.get(3)).map_err(ApiError::Internal)?;
    Ok(Some(Session {
        account: Account {
            username: row.get(0),
            full_name: row.get(1),
            role,
        },
        csrf: row.get(4),
    }))
}

/// Ends a session (sign-out, or the one a browser brought to a new sign-in).
pub async fn close(client: &impl GenericClient, id: &str) -> Result<(), ApiError> {
    client
        .execute(
            "DELETE FROM console_session WHERE id_hash = $1",
            &[&hash_secret(id)],
        )
        .await?;
    Ok(())
}

/// Ends every session of `username` but `keep` (the one changing its own password):
/// a disabled account, a reset or a changed password signs its other browsers out.
pub async fn close_all_of(
    client: &impl GenericClient,
    username: &str,
    keep: Option<&str>,
) -> Result<u64, ApiError> {
    let keep = keep.map(hash_secret);
    Ok(client
        .execute(
            "DELETE FROM console_session
             WHERE username = $1 AND ($2::text IS NULL OR id_hash <> $2)",
            &[&username, &keep],
        )
        .await?)
}

/// Deletes the sessions that ended (past their absolute or their idle limit).
pub async fn sweep(client: &impl GenericClient) -> Result<u64, ApiError> {
    let cutoff = Utc::now() - Duration::minutes(IDLE_MINUTES);
    Ok(client
        .execute(
            "DELETE FROM console_session WHERE expires_at < now() OR last_seen < $1",
            &[&cutoff],
        )
        .await?)
}

/// How often `serve` sweeps: ended sessions go even when nobody signs in.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Sweeps now and then, for as long as the server runs.
pub fn spawn_sweeper(pool: deadpool_postgres::Pool) {
    tokio::spawn(async move {
        loop {
            let swept = match pool.get().await {
                Ok(client) => sweep(&client).await,
                Err(e) => Err(e.into()),
            };
            match swept {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "đã xóa các phiên quản trị hết hạn"),
                Err(e) => tracing::warn!(error = %e, "không dọn được các phiên quản trị"),
            }
            tokio::time::sleep(SWEEP_EVERY).await;
        }
    });
}

/// Compares two tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", ""));
    }
}
