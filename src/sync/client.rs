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
use crate::domain::text::{escape_controls, mask_personal};
use crate::domain::trust;
use crate::store::recovery::RESTORED_KEY;
use crate::store::sync_state::{Enrollment, PulledItem};
use crate::store::{Store, StoreError};
use crate::sync::bounds::{self, MAX_PULL_PAGES_PER_ROUND};
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
    #[error("Trả lời của trung tâm quá lớn (vượt {limit} byte); sẽ xin trang nhỏ hơn")]
    TooLarge { limit: usize },
    #[error(
        "Địa chỉ trung tâm '{0}' dùng http:// không mã hóa: dữ liệu công dân và mã truy cập của quầy có thể bị đọc hoặc sửa trên đường truyền. Hãy dùng https:// (http:// chỉ được phép với máy này: 127.0.0.1, localhost)"
    )]
    PlainHttp(String),
    #[error("Không đọc được chứng chỉ CA của trung tâm ({0})")]
    Ca(String),
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
            SyncError::Network(_) | SyncError::Protocol(_) | SyncError::TooLarge { .. } => true,
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
    /// Items refused this round: own events the centre quarantined, and feed items
    /// this desk would not apply (see `motcua sync status`).
    pub refused: u64,
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

/// Environment variable naming a PEM file of CA certificates to trust for the centre
/// (a province that runs its own CA), in addition to the system's roots.
pub const CA_FILE_ENV: &str = "MOTCUA_CENTRE_CA";

/// HTTPS, or plain HTTP to this very machine (tests, a local proxy).
pub fn check_scheme(base: &str) -> Result<(), SyncError> {
    let url = reqwest::Url::parse(base)
        .map_err(|e| SyncError::Network(format!("địa chỉ trung tâm không hợp lệ: {e}")))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = url.host_str().unwrap_or_default();
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err(SyncError::PlainHttp(base.to_string()))
            }
        }
        other => Err(SyncError::Network(format!(
            "địa chỉ trung tâm phải bắt đầu bằng https:// (nhận {other}://)"
        ))),
    }
}

impl CentreClient {
    pub fn new(base: &str) -> Result<Self, SyncError> {
        check_scheme(base)?;
        // reqwest is built without a default crypto provider (no aws-lc); use ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            // A redirect could lead to plain HTTP or elsewhere: never followed.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(path) = std::env::var_os(CA_FILE_ENV).filter(|p| !p.is_empty()) {
            let pem = std::fs::read(&path).map_err(|e| {
                SyncError::Ca(format!("{}: {e}", std::path::Path::new(&path).display()))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| SyncError::Ca(e.to_string()))?;
            if certs.is_empty() {
                return Err(SyncError::Ca("tệp PEM không có chứng chỉ nào".into()));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
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

    pub async fn pull(
        &self,
        token: &str,
        after: i64,
        limit: i64,
    ) -> Result<PullResponse, SyncError> {
        let resp = self
            .http
            .get(format!(
                "{}{ROUTE_PULL}?after={after}&limit={limit}",
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
    let mut resp = resp.map_err(|e| SyncError::Network(describe(&e)))?;
    let status = resp.status();
    let gzipped = resp
        .headers()
        .get(CONTENT_ENCODING)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
    let bytes = read_limited(&mut resp, MAX_JSON_BYTES).await?;
    if status != StatusCode::OK {
        let message = wire::from_body::<ErrorBody>(&bytes, gzipped, MAX_JSON_BYTES)
            .map(|b| b.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).chars().take(300).collect());
        return Err(SyncError::Rejected {
            status: status.as_u16(),
            message: escape_controls(&message).into_owned(),
        });
    }
    wire::from_body(&bytes, gzipped, MAX_JSON_BYTES).map_err(|e| match e {
        wire::WireError::TooLarge { limit } => SyncError::TooLarge { limit },
        other => SyncError::Protocol(other.to_string()),
    })
}

/// Reads a body chunk by chunk and stops as soon as it passes `limit`: a huge reply
/// costs the desk at most `limit` bytes of memory, whatever it announces.
async fn read_limited(resp: &mut reqwest::Response, limit: usize) -> Result<Vec<u8>, SyncError> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(SyncError::TooLarge { limit });
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| SyncError::Network(describe(&e)))?
    {
        if out.len() + chunk.len() > limit {
            return Err(SyncError::TooLarge { limit });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn describe(e: &reqwest::Error) -> String {
    // The TLS failure is deep in the source chain; its words are the only sign.
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        chain.push_str(&s.to_string());
        source = s.source();
    }
    if chain.to_ascii_lowercase().contains("certificate") {
        return format!(
            "chứng chỉ HTTPS của trung tâm không được tin cậy; nếu tỉnh dùng CA riêng, đặt {CA_FILE_ENV}=đường dẫn tệp PEM của CA"
        );
    }
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
    let origin = store.desk()?.desk_id;
    let unit = store.unit()?.code;
    let mut total = 0;
    for _ in 0..MAX_PULL_PAGES_PER_ROUND {
        let page = client.own(token, after).await?;
        let Some(last) = page.events.last().map(|e| e.seq) else {
            break;
        };
        if last <= after {
            return Err(SyncError::Protocol("số thứ tự sự kiện lùi lại".to_string()));
        }
        // Only this desk's own events of its own unit may be taken back as its own:
        // anything else would be renumbered into its series.
        if let Some(foreign) = page
            .events
            .iter()
            .find(|e| e.event.origin != origin || e.event.dossier.unit() != &unit)
        {
            return Err(SyncError::Protocol(format!(
                "trung tâm trả lại sự kiện số {} không phải của quầy này; không ghi gì",
                foreign.seq
            )));
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
        if !resp.refused.is_empty() {
            // The centre quarantined these; the rest of the series goes on.
            store.record_push_refusals(&resp.refused, now_vn())?;
            report.refused += resp.refused.len() as u64;
        }
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

    pull(store, &client, token, report).await
}

/// Pulls the unit's feed page by page (at most [`MAX_PULL_PAGES_PER_ROUND`]), checking
/// every page and item before anything is written; a page too large to read is asked
/// for again in smaller pages.
async fn pull(
    store: &mut Store,
    client: &CentreClient,
    token: &str,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let desk = store.desk()?;
    let unit = store.unit()?.code;
    let mut cursor = store.sync_state()?.pull_cursor;
    let mut limit = MAX_PULL_PAGE;
    for _ in 0..MAX_PULL_PAGES_PER_ROUND {
        let page = match client.pull(token, cursor, limit).await {
            Err(SyncError::TooLarge { .. }) if limit > 1 => {
                limit = (limit / 4).max(1);
                continue;
            }
            other => other?,
        };
        bounds::check_page(cursor, &page).map_err(SyncError::Protocol)?;
        let now = now_vn();
        let items: Vec<(i64, PulledItem)> = page
            .items
            .into_iter()
            .map(|item| (item.seq, screen(item.body, &unit, &desk, now)))
            .collect();
        let applied = store.apply_pull_page(&items, page.next_cursor, now_vn())?;
        if applied.updates > 0 {
            store.forget_cached_calendar();
        }
        report.pulled_events += applied.new_events;
        report.pulled_updates += applied.updates;
        report.refused += applied.refused;
        let moved = page.next_cursor > cursor;
        cursor = page.next_cursor;
        if !page.more || !moved {
            break;
        }
    }
    report.pull_cursor = cursor;
    Ok(())
}

/// One feed item as the store will apply it: checked, or refused with the reason.
fn screen(
    body: FeedBody,
    unit: &crate::domain::unit::UnitCode,
    desk: &crate::store::setup::DeskConfig,
    now: crate::domain::clock::Timestamp,
) -> PulledItem {
    let refused =
        |event_id: Option<String>, dossier: Option<String>, reason: String| PulledItem::Refused {
            event_id,
            dossier,
            reason: trust::safe_reason(&reason),
        };
    match body {
        FeedBody::Event { event } => {
            match trust::check_pulled_event(&event, unit, &desk.desk_id, desk.index, now) {
                Ok(()) => PulledItem::Event(Box::new(event)),
                Err(reason) => refused(
                    Some(event.id.to_string()),
                    Some(event.dossier.to_string()),
                    reason,
                ),
            }
        }
        FeedBody::Catalogue { procedures } => match trust::check_catalogue(&procedures) {
            Ok(()) => PulledItem::Catalogue(procedures),
            Err(reason) => refused(None, None, format!("Cập nhật danh mục: {reason}")),
        },
        FeedBody::Calendar { entries } => match trust::check_calendar(&entries, now) {
            Ok(()) => PulledItem::Calendar(entries),
            Err(reason) => refused(None, None, format!("Cập nhật lịch: {reason}")),
        },
    }
}
