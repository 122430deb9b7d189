//! Static files built into the binary: nothing is read from disk or from another site.

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::centre::routes::AppState;

/// The one stylesheet, shared by the citizen's pages and the console.
pub const STYLESHEET_PATH: &str = "/tinh/site.css";
const STYLESHEET: &str = include_str!("../../../assets/web/site.css");

pub fn router() -> Router<AppState> {
    Router::new().route(STYLESHEET_PATH, get(stylesheet))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        STYLESHEET,
    )
}
