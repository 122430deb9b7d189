//! Every refusal of the HTTP API, mapped to its status in one place. The body is
//! `{"error": "…"}` in Vietnamese; a refused request has written nothing.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::text::{escape_controls, mask_personal};
use crate::sync::protocol::ErrorBody;
use crate::sync::wire::WireError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, malformed or unknown token, or an unusable enrollment code.
    #[error("{0}")]
    Unauthorized(String),
    /// A valid desk asking for another unit's data.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    /// Something the desk may rightly ask for that is not there yet.
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    TooLarge(String),
    /// The request contradicts what the centre holds (e.g. a reused seq).
    #[error("{0}")]
    Conflict(String),
    /// A file chunk sent at another offset than the centre holds: the desk resumes
    /// from `offset` (answered in the body with the message).
    #[error("{message}")]
    WrongOffset { message: String, offset: u64 },
    /// Too many failed attempts from one address; `retry_after` in seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// The centre is saturated (`centre::admission`): come back after `retry_after`
    /// seconds. Answered 503 with `Retry-After`.
    #[error("{message}")]
    Busy { message: String, retry_after: u64 },
    #[error("Lỗi máy chủ trung tâm: {0}")]
    Internal(String),
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> Self {
        tracing::error!(error = %mask_personal(&e.to_string()), "lỗi PostgreSQL");
        ApiError::Internal("cơ sở dữ liệu".to_string())
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        tracing::error!(error = %mask_personal(&e.to_string()), "không lấy được kết nối PostgreSQL");
        ApiError::Internal("cơ sở dữ liệu tạm thời không sẵn sàng".to_string())
    }
}

impl From<WireError> for ApiError {
    fn from(e: WireError) -> Self {
        match e {
            WireError::TooLarge { .. } => ApiError::TooLarge(e.to_string()),
            other => ApiError::BadRequest(other.to_string()),
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict(_) | ApiError::WrongOffset { .. } => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        // A 400's message may quote the body (serde names offending values), which can
        // hold an ID or phone number: logs get the status only.
        if status == StatusCode::BAD_REQUEST {
            tracing::warn!(status = 400, "yêu cầu bị từ chối: nội dung không hợp lệ");
        } else if status.is_client_error() {
            tracing::warn!(status = status.as_u16(), reason = %escape_controls(&mask_personal(&self.to_string())), "yêu cầu bị từ chối");
        }
        if let ApiError::WrongOffset { message, offset } = &self {
            let body = crate::sync::protocol::OffsetConflict {
                error: escape_controls(message).into_owned(),
                offset: *offset,
            };
            return (status, Json(body)).into_response();
        }
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after, .. } | ApiError::Busy { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        };
        let mut response = (
            status,
            // A message may quote what the request sent: never its control characters.
            Json(ErrorBody {
                error: escape_controls(&self.to_string()).into_owned(),
            }),
        )
            .into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}
