//! The desk's sync client: one round = push everything pending, then pull everything
//! new. The CLI runs one round (`motcua sync --once`); a GUI subscription will run
//! rounds in a loop, waiting `Backoff::next_delay` after a failure and going at once on
//! "Đồng bộ ngay". A round may be cut anywhere: every step is idempotent, and the
//! store only ever records what the centre confirmed.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::clock::now_vn;
use crate::domain::text::mask_personal;
use crate::store::recovery::RESTORED_KEY;
use crate::store::sync_state::{Enrollment, PulledItem};
use crate::store::{Store, StoreError};
use crate::sync::protocol::{
    AckResponse, EnrollRequest, EnrollResponse, ErrorBody, FeedBody, MAX_JSON_BYTES, MAX_OWN_PAGE,
    MAX_PULL_PAGE, MAX_PUSH_EVENTS, OutboxEvent, OwnResponse, PullResponse, PushRequest,
    ROUTE_ENROLL, ROUTE_OWN, ROUTE_PULL, ROUTE_PUSH,
};
use crate::sync::wire;

/// Events per push: well under the centre's limits, large enough for throughput.
pub const PUSH_BATCH: usize = MAX_PUSH_EVENTS;

#[derive(Debug, Clone, thiserror::Error)]
pub enum SyncError {
    #[error(
        "Quầy chưa đăng ký với trung tâm. Chạy: motcua enroll --centre ĐỊA_CHỈ --code MÃ_ĐĂNG_KÝ"
    )]
    NotEnrolled,
    #[error("Không kết nối được trung tâm ({0}); dữ liệu vẫn an toàn trên máy, sẽ gửi lại sau")]
    Network(String),
    #[error("Trung tâm từ chối ({status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("Trả lời của trung tâm không đọc được: {0}")]
    Protocol(String),
    #[error(
        "Sự kiện số {seq} của quầy này trên trung tâm vẫn khác với sự kiện cùng số trên máy sau khi đã lấy lại dữ liệu từ trung tâm. Không gửi gì thêm để tránh mất dữ liệu; hãy liên hệ quản trị trung tâm."
    )]
    Diverged { seq: i64 },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Worth retrying later by itself (a cut link, a restarting centre), as opposed to
    /// a refusal a person must look at.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network(_) | SyncError::Protocol(_) => true,
            SyncError::Rejected { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// What one round moved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Own events sent (and acknowledged) in this round.
    pub pushed: u64,
    /// Own events taken back from the centre (the desk was restored from a backup).
    pub recovered: u64,
    pub acked_seq: i64,
    /// Own events still waiting after the round.
    pub pending: i64,
    /// Events of other desks or the centre that were new to this desk.
    pub pulled_events: u64,
    /// Catalogue and calendar updates applied.
    pub pulled_updates: u64,
    pub pull_cursor: i64,
    /// Centre clock minus desk clock.
    pub clock_offset_ms: Option<i64>,
}

/// HTTP access to one centre.
#[derive(Debug, Clone)]
pub struct CentreClient {
    http: reqwest::Client,
    base: String,
}

impl CentreClient {
    pub fn new(base: &str) -> Result<Self, SyncError> {
        // reqwest is built without a default crypto provider (no aws-lc); use ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| SyncError::Network(e.to_string()))?;
        Ok(CentreClient {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    pub async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, SyncError> {
        let body = serde_json::to_vec(req).map_err(|e| SyncError::Protocol(e.to_string()))?;
        let resp = self
            .http
            .post(format!("{}{ROUTE_ENROLL}", self.base))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        read(resp).await
    }

    pub async fn acked(&self, token: &str) -> Result<AckResponse, SyncError> {
        let resp = self
            .http
            .get(format!("{}{ROUTE_PUSH}", self.base))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await;
        read(resp).await
    }

    pub async fn push(&self, token: &str, req: &PushRequest) -> Result<AckResponse, SyncError> {
        let resp = self
            .http
            .post(format!("{}{ROUTE_PUSH}", self.base))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "gzip")
            .body(wire::to_gzip_json(req))
            .send()
            .await;
        read(resp).await
    }

    pub async fn own(&self, token: &str, after_seq: i64) -> Result<OwnResponse, SyncError> {
        let resp = self
            .http
            .get(format!(
                "{}{ROUTE_OWN}?after_seq={after_seq}&limit={MAX_OWN_PAGE}",
                self.base
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ACCEPT_ENCODING, "gzip")
            .send()
            .await;
        read(resp).await
    }

    pub async fn pull(&self, token: &str, after: i64) -> Result<PullResponse, SyncError> {
        let resp = self
            .http
            .get(format!(
                "{}{ROUTE_PULL}?after={after}&limit={MAX_PULL_PAGE}",
                self.base
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ACCEPT_ENCODING, "gzip")
            .send()
            .await;
        read(resp).await
    }
}

async fn read<T: DeserializeOwned>(
    resp: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, SyncError> {
    let resp = resp.map_err(|e| SyncError::Network(describe(&e)))?;
    let status = resp.status();
    let gzipped = resp
        .headers()
        .get(CONTENT_ENCODING)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| SyncError::Network(describe(&e)))?;
    if status != StatusCode::OK {
        let message = wire::from_body::<ErrorBody>(&bytes, gzipped, MAX_JSON_BYTES)
            .map(|b| b.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).chars().take(300).collect());
        return Err(SyncError::Rejected {
            status: status.as_u16(),
            message,
        });
    }
    wire::from_body(&bytes, gzipped, MAX_JSON_BYTES).map_err(|e| SyncError::Protocol(e.to_string()))
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "hết thời gian chờ".to_string()
    } else if e.is_connect() {
        "không mở được kết nối".to_string()
    } else {
        "kết nối bị ngắt".to_string()
    }
}

fn offset_ms(sent: DateTime<Utc>, received: DateTime<Utc>, server: DateTime<Utc>) -> i64 {
    let mid = sent + (received - sent) / 2;
    (server - mid).num_milliseconds()
}

/// Fetches back, page by page, the desk's own events the centre holds after `after`,
/// and writes each page in one transaction. Returns how many were taken back.
async fn recover(
    store: &mut Store,
    client: &CentreClient,
    token: &str,
    mut after: i64,
) -> Result<u64, SyncError> {
    let mut total = 0;
    loop {
        let page = client.own(token, after).await?;
        let Some(last) = page.events.last().map(|e| e.seq) else {
            break;
        };
        if last <= after {
            return Err(SyncError::Protocol("số thứ tự sự kiện lùi lại".to_string()));
        }
        let events: Vec<(i64, crate::domain::event::Event)> =
            page.events.into_iter().map(|e| (e.seq, e.event)).collect();
        let done = store.recover_own_page(&events, page.acked_seq, now_vn())?;
        total += done.events;
        after = last;
        if !page.more {
            break;
        }
    }
    Ok(total)
}

/// Enrolls this desk with the centre and stores the token.
pub async fn enroll(
    store: &mut Store,
    centre: &str,
    code: &str,
) -> Result<EnrollResponse, SyncError> {
    let unit = store.unit()?;
    let desk = store.desk()?;
    let desk_id = uuid::Uuid::parse_str(&desk.desk_id)
        .map_err(|e| SyncError::Store(StoreError::decode("mã quầy", e)))?;
    let client = CentreClient::new(centre)?;
    let resp = client
        .enroll(&EnrollRequest {
            code: code.trim().to_string(),
            desk_id,
            unit_code: unit.code.to_string(),
            desk_index: desk.index.get(),
        })
        .await?;
    store.set_enrollment(
        &Enrollment {
            centre_url: centre.trim_end_matches('/').to_string(),
            token: resp.token.clone(),
        },
        now_vn(),
    )?;
    Ok(resp)
}

/// One round: push then pull. `centre` overrides the enrolled address for this round
/// (e.g. through a proxy). The outcome (error or none, clock offset) is recorded.
/// The clock offset is kept even when the round fails after measuring it: a wrong
/// clock is worth reporting most when something else goes wrong too.
pub async fn sync_once(store: &mut Store, centre: Option<&str>) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let result = round(store, centre, &mut report).await;
    let recorded = match &result {
        Ok(()) => store.record_sync_outcome(None, report.clock_offset_ms),
        // Kept and shown as the last error: never a quoted ID or phone number.
        Err(e) => {
            store.record_sync_outcome(Some(&mask_personal(&e.to_string())), report.clock_offset_ms)
        }
    };
    result?;
    recorded?;
    Ok(report)
}

async fn round(
    store: &mut Store,
    centre: Option<&str>,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let enrollment = store.enrollment()?.ok_or(SyncError::NotEnrolled)?;
    let base = centre.unwrap_or(&enrollment.centre_url);
    let client = CentreClient::new(base)?;
    let token = &enrollment.token;

    // Ask first: after a restore from backup the local ack may be behind or ahead.
    let sent = Utc::now();
    let ack = client.acked(token).await?;
    report.clock_offset_ms = Some(offset_ms(sent, Utc::now(), ack.server_time));
    let state = store.sync_state()?;
    let matches_centre = |store: &Store| -> Result<bool, SyncError> {
        Ok(match ack.acked_event {
            Some(id) => store.outbox_event_id(ack.acked_seq)? == Some(id.to_string()),
            None => ack.acked_seq <= store.sync_state()?.last_seq,
        })
    };
    if !matches_centre(store)? {
        // Restored from an old backup: take back what the centre holds first.
        report.recovered =
            recover(store, &client, token, state.acked_seq.min(ack.acked_seq)).await?;
        if !matches_centre(store)? {
            return Err(SyncError::Diverged { seq: ack.acked_seq });
        }
    }
    if store.setting(RESTORED_KEY)?.is_some() {
        store.clear_restored_flag()?;
    }
    let last_seq = store.sync_state()?.last_seq;
    store.set_acked(ack.acked_seq, None)?;
    let mut acked = ack.acked_seq;

    // Bounded: every successful batch must move the ack forward, and a batch the
    // centre finds too large (413: long notes) is halved until it passes.
    let mut batch_size = PUSH_BATCH;
    while acked < last_seq {
        let batch = store.outbox_after(acked, batch_size)?;
        if batch.is_empty() {
            break;
        }
        let req = PushRequest {
            events: batch
                .into_iter()
                .map(|(seq, event)| OutboxEvent { seq, event })
                .collect(),
        };
        let resp = match client.push(token, &req).await {
            Err(SyncError::Rejected { status: 413, .. }) if batch_size > 1 => {
                batch_size = (batch_size / 2).max(1);
                continue;
            }
            other => other?,
        };
        if resp.acked_seq <= acked {
            return Err(SyncError::Protocol(format!(
                "trung tâm không xác nhận thêm sự kiện nào (vẫn ở số {})",
                resp.acked_seq
            )));
        }
        report.pushed += (resp.acked_seq - acked) as u64;
        acked = resp.acked_seq;
        store.set_acked(acked, Some(now_vn()))?;
    }
    if acked >= last_seq {
        store.set_acked(acked, Some(now_vn()))?;
    }
    report.acked_seq = acked;
    report.pending = last_seq - acked;

    let mut cursor = store.sync_state()?.pull_cursor;
    loop {
        let page = client.pull(token, cursor).await?;
        if page.next_cursor < cursor {
            return Err(SyncError::Protocol("con trỏ đồng bộ lùi lại".to_string()));
        }
        let items: Vec<(i64, PulledItem)> = page
            .items
            .into_iter()
            .map(|item| {
                let pulled = match item.body {
                    FeedBody::Event { event } => PulledItem::Event(Box::new(event)),
                    FeedBody::Catalogue { procedures } => PulledItem::Catalogue(procedures),
                    FeedBody::Calendar { entries } => PulledItem::Calendar(entries),
                };
                (item.seq, pulled)
            })
            .collect();
        let applied = store.apply_pull_page(&items, page.next_cursor, now_vn())?;
        if applied.updates > 0 {
            store.forget_cached_calendar();
        }
        report.pulled_events += applied.new_events;
        report.pulled_updates += applied.updates;
        let moved = page.next_cursor > cursor;
        cursor = page.next_cursor;
        if !page.more || !moved {
            break;
        }
    }
    report.pull_cursor = cursor;
    Ok(())
}
