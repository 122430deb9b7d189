//! The citizen's pages (issue 22 §1): `GET /tra-cuu/<token>` from the receipt's QR, and
//! `GET /tra-cuu?ma=<code>&so=<4 digits>` for a citizen without the receipt. No cookie,
//! no script; every unknown token gets the same page, and failed look-ups are limited
//! per client address ([`limit`]).

pub mod limit;
pub mod page;
pub mod rate;

use std::sync::Arc;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use serde::Deserialize;

use crate::centre::citizen_lookup as lookup;
use crate::centre::proxy::ClientAddr;
use crate::centre::routes::AppState;
use crate::domain::event::EventKind;
use crate::domain::public_view;
use crate::domain::tracking::TrackingToken;
use limit::CitizenLimits;

pub const ROUTE_TRACKING: &str = "/tra-cuu/{token}";
pub const ROUTE_LOOKUP: &str = "/tra-cuu";

/// What the citizen's handlers share: the per-address limits and the nonce key.
#[derive(Debug)]
pub struct Citizen {
    pub limits: CitizenLimits,
    pub key: rate::NonceKey,
}

pub fn router() -> Router<AppState> {
    let mut r = Router::new()
        .route(ROUTE_TRACKING, get(tracking).post(rate_post))
        .route(ROUTE_LOOKUP, get(lookup_page));
    match rate::NonceKey::generate() {
        Ok(key) => {
            r = r.layer(Extension(Arc::new(Citizen {
                limits: CitizenLimits::default(),
                key,
            })));
        }
        // No randomness: the pages are not served rather than served with a weak key.
        Err(e) => tracing::error!(error = %e, "không phục vụ trang tra cứu"),
    }
    r
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
    ClientAddr(ip): ClientAddr,
    Extension(citizen): Extension<Arc<Citizen>>,
    Path(raw): Path<String>,
) -> Response {
    if let Err(wait) = citizen.limits.tokens.check(ip) {
        return limited(wait);
    }
    let Some(token) = TrackingToken::parse(&raw) else {
        citizen.limits.tokens.missed(ip);
        return html(StatusCode::NOT_FOUND, page::unknown());
    };
    let found = match state.pool.get().await {
        Ok(client) => lookup::by_token(&client, &token).await,
        Err(e) => Err(e.into()),
    };
    match found {
        Ok(Some(f)) => {
            let view = public_view::build(&f.state, &f.events);
            let action = format!("/tra-cuu/{}", token.as_str());
            let nonce = citizen.key.issue(&token);
            html(
                StatusCode::OK,
                page::dossier(&view, f.desk_synced_at, Some((&action, &nonce))),
            )
        }
        Ok(None) => {
            citizen.limits.tokens.missed(ip);
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
    ClientAddr(ip): ClientAddr,
    Extension(citizen): Extension<Arc<Citizen>>,
    query: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let (Some(code), Some(digits)) = (q.ma, q.so) else {
        return html(StatusCode::OK, page::lookup(None));
    };
    if let Err(wait) = citizen.limits.lookups.check(ip) {
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
                    html(StatusCode::OK, page::dossier(&view, f.desk_synced_at, None))
                }
            }
        }
        Ok(_) => {
            citizen.limits.lookups.missed(ip);
            html(StatusCode::NOT_FOUND, page::lookup(Some(NOT_MATCHED)))
        }
        Err(e) => {
            tracing::warn!(error = %e, "không tra cứu được hồ sơ");
            html(StatusCode::SERVICE_UNAVAILABLE, page::busy())
        }
    }
}

/// `POST /tra-cuu/<token>`: the rating form. Refusals are pages the citizen can act
/// on; a success goes back to the dossier's page, which then thanks them.
async fn rate_post(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Extension(citizen): Extension<Arc<Citizen>>,
    Path(raw): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    if let Err(wait) = citizen.limits.tokens.check(ip) {
        return limited(wait);
    }
    let Some(token) = TrackingToken::parse(&raw) else {
        citizen.limits.tokens.missed(ip);
        return html(StatusCode::NOT_FOUND, page::unknown());
    };
    let back = format!("/tra-cuu/{}", token.as_str());
    let refused = |status, why: &str| html(status, page::rating_refused(&back, why));
    let Ok(Form(fields)) = form else {
        return refused(StatusCode::BAD_REQUEST, "Không đọc được nội dung đánh giá.");
    };
    let nonce = fields
        .iter()
        .find(|(k, _)| k == "nonce")
        .map_or("", |(_, v)| v.as_str());
    if !citizen.key.verify(&token, nonce) {
        return refused(
            StatusCode::BAD_REQUEST,
            "Trang đánh giá đã quá hạn: mời Ông/Bà mở lại trang hồ sơ và gửi lại.",
        );
    }
    let answers = match rate::answers_from(&fields) {
        Ok(a) => a,
        Err(e) => return refused(StatusCode::BAD_REQUEST, &e),
    };
    let written = async {
        let mut client = state.pool.get().await?;
        let Some(found) = lookup::by_token(&client, &token).await? else {
            return Ok(None);
        };
        let code = found.state.code.to_string();
        rate::record(&mut client, &token, &code, answers)
            .await
            .map(Some)
    };
    match written.await {
        Ok(Some(())) => {
            tracing::info!(
                kind = EventKind::Rated.as_str(),
                "ghi nhận đánh giá trực tuyến"
            );
            (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
        }
        Ok(None) => {
            citizen.limits.tokens.missed(ip);
            html(StatusCode::NOT_FOUND, page::unknown())
        }
        Err(crate::centre::error::ApiError::Conflict(why)) => refused(StatusCode::CONFLICT, &why),
        Err(e) => {
            tracing::warn!(error = %e, "không ghi được đánh giá");
            html(StatusCode::SERVICE_UNAVAILABLE, page::busy())
        }
    }
}
