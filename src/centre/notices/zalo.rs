//! Zalo ZNS (Zalo Notification Service): a template registered with Zalo, filled
//! with data. The request shape is Zalo's "send ZNS template message" API as resold
//! and documented by its partners (eTelecom, Infinix): POST JSON `{phone: "84…",
//! template_id, template_data, tracking_id}`, the OA's token in the `access_token`
//! header; Zalo answers HTTP 200 with `{"error": 0, …}` on success and a non-zero
//! `error` otherwise. `tracking_id` carries the idempotency key.

use super::gateway::{Gateway, SendError, SendFuture, international, post_json};
use super::outbox::Notice;

/// Zalo's endpoint; the operator may point the client at a partner's instead.
pub const ZNS_URL: &str = "https://business.openapi.zalo.me/message/template";

pub struct ZaloZns {
    pub client: reqwest::Client,
    pub url: String,
    pub access_token: String,
    /// The template registered for the dossier status message; its parameters are
    /// `don_vi`, `ma_ho_so`, `trang_thai`, `hen_tra`.
    pub template_id: String,
}

impl Gateway for ZaloZns {
    fn name(&self) -> &'static str {
        "zalo"
    }

    fn send<'a>(&'a self, notice: &'a Notice) -> SendFuture<'a> {
        Box::pin(async move {
            let body = serde_json::json!({
                "phone": international(&notice.phone),
                "template_id": self.template_id,
                "template_data": notice.data,
                "tracking_id": notice.key,
            });
            let request = self
                .client
                .post(&self.url)
                .header("access_token", &self.access_token);
            let answer = post_json(request, &body).await?;
            let error = serde_json::from_str::<serde_json::Value>(&answer)
                .ok()
                .and_then(|v| v.get("error").and_then(serde_json::Value::as_i64));
            match error {
                Some(0) => Ok(()),
                Some(code) => Err(SendError::Refused(format!("Zalo ZNS lỗi {code}: {answer}"))),
                None => Err(SendError::Transient(format!(
                    "Zalo ZNS trả lời không đọc được: {answer}"
                ))),
            }
        })
    }
}

/// Never prints the access token.
impl std::fmt::Debug for ZaloZns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZaloZns")
            .field("url", &self.url)
            .field("template_id", &self.template_id)
            .finish_non_exhaustive()
    }
}
