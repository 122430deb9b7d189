//! The one small trait every notice gateway implements, and the HTTP plumbing the
//! two real ones share.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::outbox::Notice;

/// Why a send did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth retrying: no answer, a time-out, 5xx, 408, 429.
    #[error("cổng gửi tin tạm thời không nhận: {0}")]
    Transient(String),
    /// Retrying will not help: the gateway refused this notice.
    #[error("cổng gửi tin từ chối tin nhắn: {0}")]
    Refused(String),
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// Sends one notice. Must pass `notice.key` to the provider as its idempotency or
/// tracking key: the sender retries with the same key after a time-out.
pub trait Gateway: Send + Sync {
    fn name(&self) -> &'static str;
    fn send<'a>(&'a self, notice: &'a Notice) -> SendFuture<'a>;
}

/// An HTTP client for a gateway: bounded times, no redirects (a redirect could carry
/// the API key elsewhere).
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    // reqwest is built without a default crypto provider (no aws-lc); use ring.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("không tạo được kết nối HTTP tới cổng gửi tin: {e}"))
}

/// Posts `body` as JSON; classifies the answer. Returns the body of a 2xx answer
/// (bounded: a hostile gateway cannot make the centre read megabytes).
pub async fn post_json(
    request: reqwest::RequestBuilder,
    body: &serde_json::Value,
) -> Result<String, SendError> {
    let answer = request
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| SendError::Transient(e.to_string()))?;
    let status = answer.status();
    let bytes = answer
        .bytes()
        .await
        .map_err(|e| SendError::Transient(e.to_string()))?;
    let text = String::from_utf8_lossy(bytes.get(..4096).unwrap_or(&bytes)).into_owned();
    if status.is_success() {
        Ok(text)
    } else if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
        Err(SendError::Transient(format!("HTTP {status}")))
    } else {
        Err(SendError::Refused(format!("HTTP {status}: {text}")))
    }
}

/// `0912345678` → `84912345678`, the international form both APIs take.
pub fn international(phone: &str) -> String {
    match phone.strip_prefix('0') {
        Some(rest) => format!("84{rest}"),
        None => phone.to_string(),
    }
}
