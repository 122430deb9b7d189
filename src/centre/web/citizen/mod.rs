//! The citizen's pages (issue 22 §1): `GET /tra-cuu/<token>` from the receipt's QR, and
//! `GET /tra-cuu?ma=<code>&so=<4 digits>` for a citizen without the receipt. No cookie,
//! no script; every unknown token gets the same page, and failed look-ups are limited
//! per client address ([`limit`]).

pub mod limit;
pub mod lookup;
pub mod page;

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;

use crate::centre::guard::Peer;
use crate::centre::routes::AppState;
use crate::domain::public_view;
use crate::domain::tracking::TrackingToken;
use limit::CitizenLimits;

pub const ROUTE_TRACKING: &str = "/tra-cuu/{token}";
pub const ROUTE_LOOKUP: &str = "/tra-cuu";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(ROUTE_TRACKING, get(tracking))
        .route(ROUTE_LOOKUP, get(lookup_page))
        .layer(Extension(Arc::new(CitizenLimits::default())))
}

fn html(status: StatusCode, markup: maud::Markup) -> Response {
    (status, markup).into_response()
}

fn limited(wait: u64) -> Response {
    let mut r = html(StatusCode::TOO_MANY_REQUESTS, page::limited(wait));
    if let Ok(v) = wait.to_string().parse() {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

async fn tracking(
    State(state): State<AppState>,
    ConnectInfo(Peer(ip)): ConnectInfo<Peer>,
    Extension(limits): Extension<Arc<CitizenLimits>>,
    Path(raw): Path<String>,
) -> Response {
    if let Err(wait) = limits.tokens.check(ip) {
        return limited(wait);
    }
    let Some(token) = TrackingToken::parse(&raw) else {
        limits.tokens.missed(ip);
        return html(StatusCode::NOT_FOUND, page::unknown());
    };
    let found = match state.pool.get().await {
        Ok(client) => lookup::by_token(&client, &token).await,
        Err(e) => Err(e.into()),
    };
    match found {
        Ok(Some(f)) => {
            let view = public_view::build(&f.state, &f.events);
            html(StatusCode::OK, page::dossier(&view, f.desk_synced_at))
        }
        Ok(None) => {
            limits.tokens.missed(ip);
            html(StatusCode::NOT_FOUND, page::unknown())
        }
        Err(e) => {
            tracing::warn!(error = %e, "không tra cứu được hồ sơ");
            html(StatusCode::SERVICE_UNAVAILABLE, page::busy())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct LookupQuery {
    ma: Option<String>,
    so: Option<String>,
}

const NOT_MATCHED: &str =
    "Mã hồ sơ hoặc 4 số cuối không đúng. Mời Ông/Bà kiểm tra lại trên Giấy tiếp nhận.";

async fn lookup_page(
    State(state): State<AppState>,
    ConnectInfo(Peer(ip)): ConnectInfo<Peer>,
    Extension(limits): Extension<Arc<CitizenLimits>>,
    query: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let (Some(code), Some(digits)) = (q.ma, q.so) else {
        return html(StatusCode::OK, page::lookup(None));
    };
    if let Err(wait) = limits.lookups.check(ip) {
        return limited(wait);
    }
    let code: String = code.trim().chars().take(40).collect();
    let found = match state.pool.get().await {
        Ok(client) => lookup::by_code(&client, &code).await,
        Err(e) => Err(e.into()),
    };
    match found {
        Ok(Some(f)) if public_view::lookup_matches(&f.state, digits.trim()) => {
            match &f.state.tracking {
                Some(t) => (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, format!("/tra-cuu/{}", t.as_str()))],
                )
                    .into_response(),
                // Taken in before tokens existed: shown here, at this address only.
                None => {
                    let view = public_view::build(&f.state, &f.events);
                    html(StatusCode::OK, page::dossier(&view, f.desk_synced_at))
                }
            }
        }
        Ok(_) => {
            limits.lookups.missed(ip);
            html(StatusCode::NOT_FOUND, page::lookup(Some(NOT_MATCHED)))
        }
        Err(e) => {
            tracing::warn!(error = %e, "không tra cứu được hồ sơ");
            html(StatusCode::SERVICE_UNAVAILABLE, page::busy())
        }
    }
}
