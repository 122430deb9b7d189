//! Sign-in and sign-out. A failed sign-in counts against the account (the account
//! waits after `operators::MAX_FAILED`) and against the client's address (the
//! throttle); a successful one always opens a new session, closing any session the
//! browser brought, and is written to the audit log.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use crate::centre::audit::{self, Entry, Operator};
use crate::centre::auth::random_hex;
use crate::centre::console::operators::{self, SignInError};
use crate::centre::console::sessions::{self, MAX_HOURS, same_token};
use crate::centre::error::ApiError;
use crate::centre::proxy::ClientAddr;
use crate::centre::routes::AppState;
use crate::centre::web::console::session::{
    PRE_COOKIE, SESSION_COOKIE, Signed, cookie, set_cookie, with_cookie,
};
use crate::centre::web::console::{FLEET, PageError, SIGN_IN, SignInThrottle};
use crate::centre::web::layout;

/// Longest name or password read from the form (argon2 of a megabyte is a cheap attack).
const MAX_FIELD_BYTES: usize = 1024;

fn form_page(pre: &str, message: Option<&str>) -> Markup {
    layout::page(
        "Đăng nhập — Quản trị một cửa",
        html! {
            h1 { "Quản trị hệ thống một cửa" }
            div.card {
                @if let Some(m) = message { p.warn role="alert" { (m) } }
                form method="post" action=(SIGN_IN) {
                    input type="hidden" name="csrf" value=(pre);
                    label for="username" { "Tên đăng nhập" }
                    input id="username" name="username" autocomplete="username" required;
                    label for="password" { "Mật khẩu" }
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                    p { button type="submit" { "Đăng nhập" } }
                }
            }
        },
    )
}

/// The sign-in form, with a fresh token in a cookie and in the form (the sign-in post
/// must carry both: a page elsewhere cannot sign a browser into an account of its own).
fn fresh_form(status: StatusCode, message: Option<&str>) -> Result<Response, PageError> {
    let pre = random_hex(16).map_err(ApiError::Internal)?;
    let response = (status, form_page(&pre, message)).into_response();
    Ok(with_cookie(
        response,
        set_cookie(PRE_COOKIE, Some(&pre), 3600),
    ))
}

pub async fn form() -> Result<Response, PageError> {
    fresh_form(StatusCode::OK, None)
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(throttle): Extension<SignInThrottle>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    if let Some(wait) = throttle.0.held_off(ip) {
        let msg = format!(
            "Đã có quá nhiều lần đăng nhập sai từ địa chỉ này; hãy thử lại sau {} phút",
            wait.div_ceil(60)
        );
        return fresh_form(StatusCode::TOO_MANY_REQUESTS, Some(&msg));
    }
    let pre = cookie(&headers, PRE_COOKIE).unwrap_or_default();
    if !same_token(pre, &f.csrf) {
        return fresh_form(
            StatusCode::FORBIDDEN,
            Some("Phiên đăng nhập đã hết hạn; hãy nhập lại tên và mật khẩu"),
        );
    }
    if f.username.len() > MAX_FIELD_BYTES || f.password.len() > MAX_FIELD_BYTES {
        throttle.0.failed_from(ip);
        return fresh_form(StatusCode::BAD_REQUEST, Some("Tên hoặc mật khẩu quá dài"));
    }
    let mut client = state.pool.get().await?;
    let account = match operators::sign_in(&client, &f.username, &f.password).await? {
        Ok(a) => a,
        Err(SignInError::Mismatch) => {
            throttle.0.failed_from(ip);
            return fresh_form(
                StatusCode::UNAUTHORIZED,
                Some("Tên đăng nhập hoặc mật khẩu không đúng"),
            );
        }
        Err(SignInError::Disabled) => {
            throttle.0.failed_from(ip);
            return fresh_form(
                StatusCode::FORBIDDEN,
                Some("Tài khoản đã bị vô hiệu hóa; hãy liên hệ quản trị cấp tỉnh"),
            );
        }
        Err(SignInError::Locked { until }) => {
            throttle.0.failed_from(ip);
            let at = until.with_timezone(&crate::domain::clock::vn_offset());
            let msg = format!(
                "Tài khoản tạm khóa vì đăng nhập sai nhiều lần; hãy thử lại sau {}",
                at.format("%H:%M")
            );
            return fresh_form(StatusCode::TOO_MANY_REQUESTS, Some(&msg));
        }
    };
    let tx = client.transaction().await?;
    // A session the browser brought is never promoted to this sign-in.
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        sessions::close(&tx, old).await?;
    }
    let (id, _csrf) = sessions::open(&tx, &account.username).await?;
    let operator = console_operator(&account.username)?;
    let entry = Entry {
        operator: &operator,
        action: "console sign-in",
        detail: format!("{} ({})", account.username, account.role.label()),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    tracing::info!(operator = %account.username, "đăng nhập bảng quản trị");
    let response = Redirect::to(FLEET).into_response();
    let response = with_cookie(
        response,
        set_cookie(SESSION_COOKIE, Some(&id), MAX_HOURS * 3600),
    );
    Ok(with_cookie(response, set_cookie(PRE_COOKIE, None, 0)))
}

/// The name the audit log records for a console operator.
pub fn console_operator(username: &str) -> Result<Operator, PageError> {
    Operator::resolve(Some(&format!("{username} (bảng quản trị)")))
        .map_err(|e| PageError(ApiError::Internal(e)))
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&f.csrf)?;
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        let client = state.pool.get().await?;
        sessions::close(&client, id).await?;
    }
    Ok(with_cookie(
        Redirect::to(SIGN_IN).into_response(),
        set_cookie(SESSION_COOKIE, None, 0),
    ))
}
