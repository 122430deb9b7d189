//! What the desk knows of its link to the centre: enrollment, how far the centre has
//! acknowledged its events, the pull cursor, the last contacts and the last error.
//! The store keeps it; `sync::health` turns it into words for the clerk.

use serde::{Deserialize, Serialize};

/// What `motcua sync status` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncState {
    pub centre_url: Option<String>,
    pub enrolled: bool,
    pub enrolled_at: Option<String>,
    pub acked_seq: i64,
    pub last_seq: i64,
    pub pull_cursor: i64,
    pub last_push_at: Option<String>,
    pub last_pull_at: Option<String>,
    pub last_error: Option<String>,
    pub clock_offset_ms: Option<i64>,
    /// Items refused in either direction (the store's `sync_refused` table).
    pub refused: i64,
}

impl SyncState {
    /// Own events the centre has not acknowledged yet.
    pub fn pending(&self) -> i64 {
        (self.last_seq - self.acked_seq).max(0)
    }
}

/// One of the desk's events the centre refused, and why (Vietnamese, never quoting
/// the refused text): in the push response, and recorded by the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedEvent {
    pub seq: i64,
    pub event: uuid::Uuid,
    pub dossier: String,
    pub reason: String,
}
