//! The desk's HTTP client for the centre: enrollment, push, pull and own-events
//! requests with their limits (size read while reading, no redirects, HTTPS except on
//! loopback), and the errors a round can meet. The round itself (push everything
//! pending, then pull everything new, writing to the store) is `desk::round`; this
//! module knows no store.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::domain::text::escape_controls;
use crate::sync::protocol::{
    AckResponse, DeskReport, EnrollRequest, EnrollResponse, ErrorBody, MAX_JSON_BYTES,
    MAX_OWN_PAGE, MAX_PUSH_EVENTS, OwnResponse, PullResponse, PushRequest, ROUTE_ENROLL, ROUTE_OWN,
    ROUTE_PULL, ROUTE_PUSH,
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
    /// The centre is saturated (503) and asks the desk to come back after
    /// `retry_after` seconds (its `Retry-After`, bounded by [`MAX_RETRY_AFTER`]).
    #[error(
        "Trung tâm đang quá tải, quầy sẽ tự gửi lại sau khoảng {retry_after} giây; dữ liệu vẫn an toàn trên máy"
    )]
    Busy { retry_after: u64 },
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
    /// The desk's own database failed during the round (its message, in Vietnamese).
    #[error("{0}")]
    Local(String),
}

impl SyncError {
    /// Worth retrying later by itself (a cut link, a restarting centre), as opposed to
    /// a refusal a person must look at.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network(_)
            | SyncError::Protocol(_)
            | SyncError::TooLarge { .. }
            | SyncError::Busy { .. } => true,
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
    /// Digitised documents sent to (or found already at) the centre this round.
    #[serde(default)]
    pub files_sent: u64,
    /// Documents still to send after the round (the byte bound of a round, a cut
    /// link, or a refusal shown in `files_error`).
    #[serde(default)]
    pub files_pending: u64,
    /// Why a document could not be sent this round, if one could not (Vietnamese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_error: Option<String>,
    /// Centre clock minus desk clock.
    pub clock_offset_ms: Option<i64>,
}

/// HTTP access to one centre.
#[derive(Debug, Clone)]
pub struct CentreClient {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
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

    /// What the centre holds of this desk's series; `report` tells it the desk's version,
    /// unsent count and clock (optional fields: an older centre ignores them).
    pub async fn acked(&self, token: &str, report: &DeskReport) -> Result<AckResponse, SyncError> {
        let query = report.to_query();
        let url = if query.is_empty() {
            format!("{}{ROUTE_PUSH}", self.base)
        } else {
            format!("{}{ROUTE_PUSH}?{query}", self.base)
        };
        let resp = self
            .http
            .get(url)
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
        self.pull_with(token, after, limit, None, None).await
    }

    /// A pull page, saying which version of the province's lists the desk holds.
    pub async fn pull_with(
        &self,
        token: &str,
        after: i64,
        limit: i64,
        province: Option<&str>,
        epoch: Option<Uuid>,
    ) -> Result<PullResponse, SyncError> {
        // A version is hex (the centre's hash); anything else is not sent.
        let province = province
            .filter(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|v| format!("&province={v}"))
            .unwrap_or_default();
        let epoch = epoch.map(|e| format!("&epoch={e}")).unwrap_or_default();
        let resp = self
            .http
            .get(format!(
                "{}{ROUTE_PULL}?after={after}&limit={limit}{province}{epoch}",
                self.base
            ))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ACCEPT_ENCODING, "gzip")
            .send()
            .await;
        read(resp).await
    }
}

pub(super) async fn read<T: DeserializeOwned>(
    resp: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, SyncError> {
    let mut resp = resp.map_err(|e| SyncError::Network(describe(&e)))?;
    let status = resp.status();
    let gzipped = resp
        .headers()
        .get(CONTENT_ENCODING)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
    let retry_after = retry_after(resp.headers());
    let bytes = read_limited(&mut resp, MAX_JSON_BYTES).await?;
    if status == StatusCode::SERVICE_UNAVAILABLE
        && let Some(retry_after) = retry_after
    {
        return Err(SyncError::Busy { retry_after });
    }
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

/// The longest `Retry-After` a desk obeys: a hostile or misconfigured centre cannot
/// silence a desk for longer than its own backoff's cap.
pub const MAX_RETRY_AFTER: u64 = 300;

/// `Retry-After` in seconds (the delay form; an HTTP date is not used by the centre),
/// bounded to [1, [`MAX_RETRY_AFTER`]].
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| s.clamp(1, MAX_RETRY_AFTER))
}

/// Reads a body chunk by chunk and stops as soon as it passes `limit`: a huge reply
/// costs the desk at most `limit` bytes of memory, whatever it announces.
pub(super) async fn read_limited(
    resp: &mut reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, SyncError> {
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

pub(super) fn describe(e: &reqwest::Error) -> String {
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

pub fn offset_ms(sent: DateTime<Utc>, received: DateTime<Utc>, server: DateTime<Utc>) -> i64 {
    let mid = sent + (received - sent) / 2;
    (server - mid).num_milliseconds()
}
