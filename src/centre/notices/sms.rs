//! An SMS brandname HTTP API. Vietnamese providers (carriers and resellers) each
//! have their own field names; this client posts the common core as JSON and sends
//! the idempotency key both as a header and in the body (`request_id`), which the
//! providers that dedupe read. A provider with other names needs a small adapter in
//! front of it or a variant of this file.

use super::gateway::{Gateway, SendFuture, international, post_json};
use super::outbox::Notice;

pub struct SmsBrandname {
    pub client: reqwest::Client,
    /// The provider's send endpoint.
    pub url: String,
    pub api_key: String,
    /// The registered sender name shown on the phone.
    pub brandname: String,
}

impl Gateway for SmsBrandname {
    fn name(&self) -> &'static str {
        "sms"
    }

    fn send<'a>(&'a self, notice: &'a Notice) -> SendFuture<'a> {
        Box::pin(async move {
            let body = serde_json::json!({
                "brandname": self.brandname,
                "phone": international(&notice.phone),
                "message": notice.text,
                // GSM-7, unaccented: see `text.rs`.
                "unicode": false,
                "request_id": notice.key,
            });
            let request = self
                .client
                .post(&self.url)
                .bearer_auth(&self.api_key)
                .header("idempotency-key", &notice.key);
            post_json(request, &body).await.map(|_| ())
        })
    }
}

/// Never prints the API key.
impl std::fmt::Debug for SmsBrandname {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsBrandname")
            .field("url", &self.url)
            .field("brandname", &self.brandname)
            .finish_non_exhaustive()
    }
}
