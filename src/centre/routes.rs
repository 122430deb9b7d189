//! The HTTP surface, versioned under `/v1`. Every handler authenticates first, checks
//! the whole request, and only then opens a transaction: a refusal writes nothing.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use deadpool_postgres::Pool;
use serde::Serialize;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::centre::admission::Admission;
use crate::centre::auth::authenticate;
use crate::centre::error::ApiError;
use crate::centre::feed;
use crate::centre::files;
use crate::centre::guard::{Guarded, Limits, Peer};
use crate::centre::proxy::{ClientAddr, TrustedProxies};
use crate::centre::request;
use crate::centre::throttle::Throttle;
use crate::centre::uploads::{FileSettings, Files};
use crate::domain::text::escape_controls;
use crate::sync::protocol::{
    AckResponse, DeskReport, Health, MAX_OWN_PAGE, MAX_PULL_PAGE, MAX_WIRE_BYTES, OwnQuery,
    OwnResponse, PullQuery, PullResponse, ROUTE_ENROLL, ROUTE_FILE, ROUTE_FILE_UPLOAD,
    ROUTE_HEALTHZ, ROUTE_OWN, ROUTE_PULL, ROUTE_PUSH, ROUTE_RELEASE,
};
use crate::sync::wire;

#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Failed enrollment attempts per client address.
    pub enroll_throttle: Arc<Throttle>,
    /// Digitised documents: the folder, its bounds, the uploads in progress.
    pub files: Arc<Files>,
    /// The sync routes' request budget and pool wait (503 when saturated).
    pub admission: Arc<Admission>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(ROUTE_HEALTHZ, get(healthz))
        .route(ROUTE_ENROLL, post(enroll))
        .route(ROUTE_PUSH, get(push_state).post(push))
        .route(ROUTE_PULL, get(pull))
        .route(ROUTE_OWN, get(own))
        .route(
            ROUTE_FILE_UPLOAD,
            get(files::upload_state).put(files::upload_chunk),
        )
        .route(ROUTE_FILE, get(files::download))
        .route(ROUTE_RELEASE, get(crate::centre::releases::offer))
        .layer(DefaultBodyLimit::max(MAX_WIRE_BYTES))
        .merge(crate::centre::web::router())
        .with_state(state)
}

/// A JSON answer, gzip-compressed when the desk accepts it.
fn reply<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let gzip_ok = headers
        .get(ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let json = HeaderValue::from_static("application/json");
    if gzip_ok {
        let body = wire::to_gzip_json(value);
        (
            [
                (CONTENT_TYPE, json),
                (CONTENT_ENCODING, HeaderValue::from_static("gzip")),
            ],
            body,
        )
            .into_response()
    } else {
        (
            [(CONTENT_TYPE, json)],
            serde_json::to_vec(value).unwrap_or_default(),
        )
            .into_response()
    }
}

/// A request value as it may appear in an answer or a log line: control characters
/// escaped, and cut short.
fn shown(value: &str) -> String {
    let short: String = value.chars().take(64).collect();
    escape_controls(&short).into_owned()
}

fn content_encoding(headers: &HeaderMap) -> Option<&[u8]> {
    headers.get(CONTENT_ENCODING).map(HeaderValue::as_bytes)
}

async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    crate::centre::db::ping(&client).await?;
    Ok(axum::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        server_time: Utc::now(),
    })
    .into_response())
}

async fn enroll(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let mut code = String::new();
    let attempt = async {
        let req = request::decode_enroll(content_encoding(&headers), &bytes)?;
        code.clone_from(&req.code);
        let mut client = state.pool.get().await?;
        crate::centre::admin::enroll_desk(&mut client, &req).await
    };
    // A right, unused code always enrolls; a wrong one from a held address or with a
    // held code is told only to wait (429), whatever was wrong with it.
    let resp = match attempt.await {
        Ok(resp) => resp,
        Err(e) => {
            if e.status().is_client_error() {
                let held = state.enroll_throttle.held(ip, &code);
                state.enroll_throttle.failed(ip, &code);
                return Err(held.unwrap_or(e));
            }
            return Err(e);
        }
    };
    tracing::info!(desk = %resp.desk_id, unit = %resp.unit_code, index = resp.desk_index, "quầy đã đăng ký");
    Ok(reply(&headers, &resp))
}

async fn push_state(
    State(state): State<AppState>,
    headers: HeaderMap,
    report: Result<Query<DeskReport>, QueryRejection>,
) -> Result<Response, ApiError> {
    let client = state.admission.admit(&state.pool).await?;
    let desk = authenticate(&client, &headers).await?;
    // The desk's report is optional and only informs the console: a malformed one is
    // ignored rather than failing the desk's round.
    if let Ok(Query(report)) = report {
        crate::centre::console::fleet::record_report(&*client, desk.desk_id, &report).await?;
    }
    let (acked_seq, acked_event) = feed::acked(&client, &desk).await?;
    let public_url = crate::centre::settings::public_url(&*client).await?;
    Ok(reply(
        &headers,
        &AckResponse {
            acked_seq,
            inserted: 0,
            acked_event,
            refused: Vec::new(),
            server_time: Utc::now(),
            public_url,
        },
    ))
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let mut client = state.admission.admit(&state.pool).await?;
    let desk = authenticate(&client, &headers).await?;
    let req = request::decode_push(&desk, content_encoding(&headers), &bytes)?;
    let pushed = feed::push(&mut client, &desk, &req.events).await?;
    // Files uploaded before the events naming them are type-checked now. The events
    // are in: a failure here is logged, not the desk's round.
    if let Err(e) =
        files::recheck_named(&mut client, &state.files, &desk.unit_code, &req.events).await
    {
        tracing::warn!(desk = %desk.desk_id, error = %e, "không kiểm tra lại được loại tệp đã nhận");
    }
    tracing::info!(desk = %desk.desk_id, unit = %desk.unit_code, events = req.events.len(),
        inserted = pushed.inserted, refused = pushed.refused.len(), acked_seq = pushed.acked,
        "nhận lô sự kiện");
    Ok(reply(
        &headers,
        &AckResponse {
            acked_seq: pushed.acked,
            inserted: pushed.inserted,
            acked_event: None,
            refused: pushed.refused,
            server_time: Utc::now(),
            public_url: None,
        },
    ))
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let client = state.admission.admit(&state.pool).await?;
    let desk = authenticate(&client, &headers).await?;
    let Query(q) = query.map_err(|e| {
        ApiError::BadRequest(format!(
            "Tham số không hợp lệ: {}",
            escape_controls(&e.body_text())
        ))
    })?;
    if let Some(unit) = &q.unit
        && unit != &desk.unit_code
    {
        return Err(ApiError::Forbidden(format!(
            "Quầy thuộc đơn vị {} không được lấy dữ liệu của đơn vị {}",
            desk.unit_code,
            shown(unit)
        )));
    }
    if q.after < 0 {
        return Err(ApiError::BadRequest("after phải ≥ 0".into()));
    }
    let limit = q.limit.unwrap_or(MAX_PULL_PAGE);
    if !(1..=MAX_PULL_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit phải từ 1 đến {MAX_PULL_PAGE}"
        )));
    }
    // The centre's restored-backup guard: a desk that may have passed numbers a
    // restore handed out again is served from the restored point (`centre/epoch.rs`).
    let epoch = crate::centre::epoch::pull_start(
        &client,
        &desk.unit_code,
        q.after,
        q.epoch.map(|e| e.to_string()).as_deref(),
    )
    .await?;
    let after = epoch.after;
    let (items, more) = feed::pull(&client, &desk, after, limit).await?;
    let next_cursor = items.last().map_or(after, |i| i.seq);
    // On the last page only: one copy per round, after the feed it belongs with.
    let province = if more {
        None
    } else {
        crate::centre::province::for_desk(&client, q.province.as_deref()).await?
    };
    if !more {
        // The desk has everything: its round is complete (the fleet page's "last sync";
        // the round pushed before it pulled, so it is also how fresh the tracking page is).
        crate::centre::console::fleet::record_synced(&*client, desk.desk_id).await?;
    }
    tracing::debug!(desk = %desk.desk_id, after, items = items.len(), "trả trang đồng bộ");
    Ok(reply(
        &headers,
        &PullResponse {
            items,
            next_cursor,
            more,
            server_time: Utc::now(),
            province,
            epoch: epoch.epoch.parse().ok(),
            rewound_to: (after < q.after).then_some(after),
        },
    ))
}

async fn own(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<OwnQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let client = state.admission.admit(&state.pool).await?;
    let desk = authenticate(&client, &headers).await?;
    let Query(q) = query.map_err(|e| {
        ApiError::BadRequest(format!(
            "Tham số không hợp lệ: {}",
            escape_controls(&e.body_text())
        ))
    })?;
    if q.after_seq < 0 {
        return Err(ApiError::BadRequest("after_seq phải ≥ 0".into()));
    }
    let limit = q.limit.unwrap_or(MAX_OWN_PAGE);
    if !(1..=MAX_OWN_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit phải từ 1 đến {MAX_OWN_PAGE}"
        )));
    }
    let (events, acked_seq) = feed::own(&client, &desk, q.after_seq, limit).await?;
    let more = events.last().is_some_and(|e| e.seq < acked_seq);
    tracing::info!(desk = %desk.desk_id, after_seq = q.after_seq, events = events.len(), "trả lại sự kiện của chính quầy");
    Ok(reply(
        &headers,
        &OwnResponse {
            events,
            acked_seq,
            more,
            server_time: Utc::now(),
        },
    ))
}

/// Serves on an already-bound listener (plain TCP or `tls::TlsListener`) with the
/// default connection [`Limits`], files kept in `files_dir`, until `shutdown`
/// completes. Tests bind port 0.
pub async fn serve<L>(
    listener: L,
    pool: Pool,
    files_dir: std::path::PathBuf,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let files = FileSettings::in_dir(files_dir);
    serve_with(listener, pool, Limits::default(), files, shutdown).await
}

/// [`serve`] with the given connection limits and file settings.
pub async fn serve_with<L>(
    listener: L,
    pool: Pool,
    limits: Limits,
    files: FileSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let files = Arc::new(Files::new(files));
    serve_sharing(listener, pool, limits, files, shutdown).await
}

/// [`serve_with`] on a files service the caller keeps too (a test sweeping orphans
/// beside the uploads it serves shares their locks).
pub async fn serve_sharing<L>(
    listener: L,
    pool: Pool,
    limits: Limits,
    files: Arc<Files>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let guarded = Guarded::new(listener, limits);
    let proxies = TrustedProxies::default();
    serve_guarded(guarded, pool, limits, files, proxies, shutdown).await
}

/// [`serve_with`] behind reverse proxies whose `X-Forwarded-For` is believed
/// (`crate::centre::proxy`).
pub async fn serve_behind<L>(
    listener: L,
    pool: Pool,
    limits: Limits,
    files: FileSettings,
    proxies: TrustedProxies,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let guarded = Guarded::new(listener, limits);
    let files = Arc::new(Files::new(files));
    serve_guarded(guarded, pool, limits, files, proxies, shutdown).await
}

/// [`serve_with`] over TLS: each connection holds its place in the bound from before
/// its handshake, so silent clients count against `max_connections` too.
pub async fn serve_tls(
    listener: crate::centre::tls::TlsListener,
    pool: Pool,
    limits: Limits,
    files: FileSettings,
    proxies: TrustedProxies,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let guarded = Guarded::bounded_by_inner(listener, limits);
    let files = Arc::new(Files::new(files));
    serve_guarded(guarded, pool, limits, files, proxies, shutdown).await
}

async fn serve_guarded<L>(
    listener: Guarded<L>,
    pool: Pool,
    limits: Limits,
    files: Arc<Files>,
    proxies: TrustedProxies,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    // The folder is made on the first upload: a centre that never receives a file
    // (and every test that starts one) writes nothing there.
    files.spawn_sweeper();
    crate::centre::orphans::spawn(pool.clone(), files.clone());
    crate::centre::console::sessions::spawn_sweeper(pool.clone());
    let state = AppState {
        pool,
        enroll_throttle: Arc::new(Throttle::default()),
        files,
        admission: Arc::new(Admission::new(limits.admission)),
    };
    axum::serve(
        listener,
        router(state)
            .layer(axum::Extension(proxies))
            .into_make_service_with_connect_info::<Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
