//! Sync protocol v1: routes, limits and the JSON bodies shared by desk and centre.
//!
//! The model (design §6): each desk numbers its own events with a contiguous `seq`;
//! the centre inserts idempotently (unique on event id and on desk+seq) and answers the
//! highest contiguous seq it holds for that desk. Each unit has its own feed (since
//! centre schema v5; before, one sequence over every unit): a desk pulls its unit's
//! (other desks' events, centre-side events, the catalogue and calendar updates as
//! numbered in that unit) after a cursor. The wire is unchanged: a cursor of the old
//! single feed is a valid cursor of the desk's unit (centre migration 0005).
//! Every answer carries the centre's clock so the desk can report its offset.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::calendar::CalendarEntry;
use crate::domain::event::Event;
use crate::domain::procedure::Procedure;

pub const ROUTE_HEALTHZ: &str = "/healthz";
pub const ROUTE_ENROLL: &str = "/v1/enroll";
/// `GET`: the acknowledged seq; `POST`: a batch of events.
pub const ROUTE_PUSH: &str = "/v1/push";
pub const ROUTE_PULL: &str = "/v1/pull";
/// `GET`: the desk's own events the centre already holds after a seq, so a desk
/// restored from an old backup takes them back instead of reusing their numbers.
pub const ROUTE_OWN: &str = "/v1/own";

/// `GET`: how much of a file the centre holds for this desk's unit (`?size=S`);
/// `PUT ?size=S&offset=N`: the next chunk of it (design §6, "Files").
pub const ROUTE_FILE_UPLOAD: &str = "/v1/files/{sha}/upload";
/// `GET`: a stored file, to a desk of a unit that has uploaded it.
pub const ROUTE_FILE: &str = "/v1/files/{sha}";

/// Largest chunk of one `PUT`; a larger body is refused with 413.
pub const MAX_FILE_CHUNK: u64 = 4 * 1024 * 1024;
/// The chunk a desk sends: small enough to arrive within the centre's request timeout
/// on a slow ward line (1 MiB at 512 kbit/s is about 16 s), large enough for speed.
pub const FILE_CHUNK: u64 = 1024 * 1024;

/// Most events in one push; a larger batch is refused with 413.
pub const MAX_PUSH_EVENTS: usize = 500;
/// Largest body on the wire (compressed), refused with 413 before it is read further.
pub const MAX_WIRE_BYTES: usize = 2 * 1024 * 1024;
/// Largest body once decompressed: a bound on what a gzip bomb can cost.
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// Most feed items in one pull page.
pub const MAX_PULL_PAGE: i64 = 1000;
/// Most bytes of stored bodies in one pull page past its first item: a page of huge
/// events is cut short (`more: true`) instead of growing without bound.
pub const MAX_PULL_BYTES: usize = 1024 * 1024;
/// Most own events in one page of `GET /v1/own`.
pub const MAX_OWN_PAGE: i64 = 500;
/// The desk warns when its clock differs from the centre's by more than this (the
/// default of `sync::health::Thresholds::max_clock_skew`).
pub const CLOCK_WARN_MS: i64 = 5 * 60 * 1000;

/// The origin of events written at the centre.
pub const CENTRE_ORIGIN: &str = "centre";

/// `POST /v1/enroll`: the desk presents a single-use code and who it already is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    /// The id the desk chose at `motcua init`; it stays the origin of its events.
    pub desk_id: Uuid,
    pub unit_code: String,
    /// The index the desk has numbered its dossiers with since `motcua init`.
    pub desk_index: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub desk_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub desk_index: u8,
    /// 256-bit bearer token, hex; the centre keeps only its SHA-256.
    pub token: String,
    pub server_time: DateTime<Utc>,
    /// The centre's public address, where the citizen's tracking pages live (issue
    /// 22): the receipt's QR holds `<public_url>/tra-cuu/<token>`. Absent from centres
    /// that serve no such page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

/// One of the desk's own events with its place in the desk's sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEvent {
    pub seq: i64,
    pub event: Event,
}

/// `POST /v1/push` (gzip): events after the centre's acknowledged seq, in seq order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub events: Vec<OutboxEvent>,
}

/// The query of `GET /v1/push`, the first request of every round: what the desk says of
/// itself for the centre's fleet page. Every field is optional, so a desk older than
/// them sends none and a centre older than them ignores the query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskReport {
    /// The desk program's version (at most [`MAX_VERSION_CHARS`], printable ASCII).
    #[serde(default)]
    pub version: Option<String>,
    /// Dossiers the desk holds that the centre has not acknowledged.
    #[serde(default)]
    pub unsent: Option<i64>,
    /// The desk's clock when it sent the request (the centre works out the skew).
    #[serde(default)]
    pub desk_time: Option<DateTime<Utc>>,
}

/// Longest version string a centre keeps from a desk.
pub const MAX_VERSION_CHARS: usize = 40;

impl DeskReport {
    /// The report as a query string (`version=…&unsent=…&desk_time=…`); values are
    /// percent-encoded, so any version text travels safely.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = &self.version {
            parts.push(format!("version={}", percent(v)));
        }
        if let Some(n) = self.unsent {
            parts.push(format!("unsent={n}"));
        }
        if let Some(t) = self.desk_time {
            let t = t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            parts.push(format!("desk_time={}", percent(&t)));
        }
        parts.join("&")
    }
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The answer to a push, and to `GET /v1/push`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckResponse {
    /// The highest seq such that the centre holds every seq from 1 up to it.
    pub acked_seq: i64,
    /// Events of this request the centre did not already have.
    #[serde(default)]
    pub inserted: u64,
    /// The id of the event the centre holds at `acked_seq`: a desk restored from an
    /// old backup that has since written other events under the same numbers sees
    /// that its series diverged instead of believing them sent.
    #[serde(default)]
    pub acked_event: Option<Uuid>,
    /// Events of this request the centre would not take: quarantined there for an
    /// operator and counted in `acked_seq`, so the desk's other events go on. Absent
    /// (empty) from centres before this field existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedEvent>,
    pub server_time: DateTime<Utc>,
    /// The centre's public address, as at enrollment: every round carries it, so a
    /// desk learns a new one at its next sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

/// One of the desk's events the centre refused (kept in `domain`, where the desk's
/// store records it too).
pub use crate::domain::sync_state::RefusedEvent;

/// `GET /v1/pull?after=CURSOR&limit=N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub after: i64,
    pub limit: Option<i64>,
    /// If given, must be the desk's own unit (403 otherwise).
    pub unit: Option<String>,
    /// The version of the province's lists the desk holds (issue 23); the answer
    /// carries them only when they differ. Older desks send none and get them each time
    /// (and ignore them); older centres ignore it.
    #[serde(default)]
    pub province: Option<String>,
    /// The centre's epoch the desk last pulled under (its restored-backup guard,
    /// `centre/epoch.rs`): a desk of an older epoch is served again from the point
    /// the centre was restored to. Older desks send none; older centres ignore it.
    #[serde(default)]
    pub epoch: Option<Uuid>,
}

/// The province's lists for cross-commune intake, with their version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceUpdate {
    pub version: String,
    pub lists: crate::domain::province::ProvinceLists,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub items: Vec<FeedItem>,
    /// Where the next pull starts; the desk stores it with the page, in one transaction.
    pub next_cursor: i64,
    /// Whether another page is already waiting.
    pub more: bool,
    pub server_time: DateTime<Utc>,
    /// The province's lists, when they differ from the version the desk sent (absent
    /// from older centres).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceUpdate>,
    /// The centre's epoch: the desk keeps it with the page and sends it next time.
    /// Absent from centres older than the guard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<Uuid>,
    /// Set when the centre served the page after an earlier cursor than the desk
    /// asked for: it was restored to a point before the desk's cursor, and numbers
    /// after that point may now name other events. Never more than the desk's cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewound_to: Option<i64>,
}

/// `GET /v1/own?after_seq=N&limit=M`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnQuery {
    #[serde(default)]
    pub after_seq: i64,
    pub limit: Option<i64>,
}

/// The desk's own events the centre holds with `after_seq < seq <= acked_seq`, in seq
/// order; the desk applies a page in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnResponse {
    pub events: Vec<OutboxEvent>,
    /// The centre's acknowledged seq for this desk (the end of what it will return).
    pub acked_seq: i64,
    /// Whether another page is already waiting.
    pub more: bool,
    pub server_time: DateTime<Utc>,
}

/// One entry of the centre's feed, in server order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    pub seq: i64,
    #[serde(flatten)]
    pub body: FeedBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeedBody {
    /// An event of a dossier of the desk's unit, written by another desk or the centre.
    Event { event: Event },
    /// An official catalogue update: these procedures replace the desk's copies.
    Catalogue { procedures: Vec<Procedure> },
    /// An official calendar: every year present replaces the desk's table for it.
    Calendar { entries: Vec<CalendarEntry> },
}

/// The query of both upload routes: the file's whole size (declared by the desk,
/// checked against the centre's ceiling, and by the hash at the end), and for a `PUT`
/// where this chunk starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadQuery {
    pub size: u64,
    pub offset: Option<u64>,
}

/// Where an upload stands for the asking desk's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadState {
    /// Bytes the centre holds of this unit's upload: the next chunk starts here.
    pub offset: u64,
    /// The file is kept and this unit may read it: nothing more to send.
    pub complete: bool,
}

/// The 409 answer to a chunk sent at the wrong offset: the offset to resume from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetConflict {
    pub error: String,
    pub offset: u64,
}

/// Every refusal: a message in Vietnamese, precise enough to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub server_time: DateTime<Utc>,
}

/// `GET ?platform=P`: the newest release the operator uploaded for that platform (issue
/// 25 §3). Its package is fetched from `ROUTE_FILE` like any stored file. A route of its
/// own rather than a field of the pull page, so that a desk asks once per round.
pub const ROUTE_RELEASE: &str = "/v1/release";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseQuery {
    /// As `update::this_platform` names it: `windows-x86_64`, `linux-x86_64`.
    pub platform: String,
}

/// The answer of `ROUTE_RELEASE`: `release` is absent when there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseAnswer {
    #[serde(default)]
    pub release: Option<ReleaseOffer>,
}

/// A release as the centre offers it. Nothing of it is trusted by the desk until the
/// downloaded package passes `update::verify_release` with the signature given here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseOffer {
    pub version: String,
    pub platform: String,
    pub sha256: String,
    pub size: u64,
    /// The minisign signature file's text (its trusted comment is the manifest).
    pub signature: String,
}
