//! The centre's web pages: the citizen's tracking page and the operators' console share
//! this one layer. Pages are rendered on the server with `maud` (every interpolation is
//! HTML-escaped), styled by one embedded stylesheet, and carry no script at all, so the
//! Content Security Policy in `headers` can forbid every script and every outside asset.
//!
//! `layout` is the page frame, `headers` the security headers every page gets, `assets`
//! the embedded static files. Each audience mounts its own router here.

pub mod assets;
pub mod citizen;
pub mod console;
pub mod headers;
pub mod layout;

use axum::Router;
use axum::middleware;

use crate::centre::routes::AppState;

/// Every web route of the centre (beside the desks' `/v1` API).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(console::router())
        .merge(citizen::router())
        .layer(middleware::from_fn(headers::security_headers))
}
