//! Accounts (`/quan-tri/tai-khoan`): every operator changes their own password (the old
//! one required); the province operator also disables or enables an account and resets
//! its password. Each change is CSRF-checked, written with its audit entry in one
//! transaction, and ends the account's other sessions at once.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use crate::centre::audit::{self, Entry};
use crate::centre::console::operators::{self, Listed};
use crate::centre::console::sessions;
use crate::centre::error::ApiError;
use crate::centre::proxy::ClientAddr;
use crate::centre::routes::AppState;
use crate::centre::web::console::session::{SESSION_COOKIE, Signed, cookie};
use crate::centre::web::console::signin::console_operator;
use crate::centre::web::console::{
    ACCOUNT_RESET, ACCOUNT_STATE, ACCOUNTS, OWN_PASSWORD, PageError, SignInThrottle, frame,
};
use crate::domain::clock::vn_offset;

pub async fn page(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    let csrf = &signed.0.csrf;
    let all = if signed.0.account.role.may_change() {
        let client = state.pool.get().await?;
        Some(operators::list(&client).await?)
    } else {
        None
    };
    let body = html! {
        div.card {
            h2 { "Đổi mật khẩu của tôi" }
            form method="post" action=(OWN_PASSWORD) {
                input type="hidden" name="csrf" value=(csrf);
                label for="old" { "Mật khẩu đang dùng" }
                input id="old" name="old" type="password" required autocomplete="current-password";
                label for="new" { "Mật khẩu mới (từ " (operators::MIN_PASSWORD_CHARS) " ký tự)" }
                input id="new" name="new" type="password" required autocomplete="new-password";
                label for="again" { "Nhập lại mật khẩu mới" }
                input id="again" name="again" type="password" required autocomplete="new-password";
                p { button type="submit" { "Đổi mật khẩu" } }
            }
        }
        @if let Some(all) = &all { (accounts(all, csrf, &signed.0.account.username)) }
    };
    Ok(frame("Tài khoản", &signed.0.account, csrf, body).into_response())
}

/// The province operator's table: each account with its state and its two forms.
fn accounts(all: &[Listed], csrf: &str, me: &str) -> Markup {
    html! {
        h2 { "Các tài khoản quản trị" }
        table {
            thead { tr { th { "Tên đăng nhập" } th { "Họ tên" } th { "Vai trò" } th { "Trạng thái" } th { "Thao tác" } } }
            tbody {
                @for l in all {
                    tr {
                        td { (l.account.username) }
                        td { (l.account.full_name) }
                        td { (l.account.role.label()) }
                        td { (state_of(l)) }
                        td {
                            @if l.account.username != me {
                                div { form.inline method="post" action=(ACCOUNT_STATE) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="username" value=(l.account.username);
                                    @if l.disabled {
                                        input type="hidden" name="enable" value="1";
                                        button type="submit" { "Cho dùng lại" }
                                    } @else {
                                        input type="hidden" name="enable" value="0";
                                        button type="submit" { "Vô hiệu hóa" }
                                    }
                                } }
                                div { form.inline method="post" action=(ACCOUNT_RESET) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="username" value=(l.account.username);
                                    input name="password" type="password" required autocomplete="new-password"
                                        aria-label="Mật khẩu mới" placeholder="Mật khẩu mới";
                                    " "
                                    button type="submit" { "Đặt lại mật khẩu" }
                                } }
                            } @else {
                                "(tài khoản của tôi)"
                            }
                        }
                    }
                }
            }
        }
    }
}

fn state_of(l: &Listed) -> String {
    if l.disabled {
        return "Đã vô hiệu hóa".into();
    }
    match l.locked_until.filter(|u| *u > chrono::Utc::now()) {
        Some(u) => format!(
            "Tạm khóa đến {}",
            u.with_timezone(&vn_offset()).format("%H:%M %d/%m/%Y")
        ),
        None => "Đang dùng".into(),
    }
}

#[derive(Debug, Deserialize)]
pub struct OwnPasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    old: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// Changes the signed-in operator's own password; their other browsers are signed out.
pub async fn own_password(
    State(state): State<AppState>,
    signed: Signed,
    Extension(throttle): Extension<SignInThrottle>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<OwnPasswordForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&f.csrf)?;
    // A wrong old password counts as a failed sign-in from the address: a borrowed
    // session cannot be used to guess the password.
    if let Some(wait) = throttle.0.held_off(ip) {
        return Err(PageError(ApiError::TooManyRequests {
            message: format!(
                "Đã có quá nhiều lần nhập sai mật khẩu từ địa chỉ này; hãy thử lại sau {} phút",
                wait.div_ceil(60)
            ),
            retry_after: wait,
        }));
    }
    if f.new != f.again {
        return Err(PageError(ApiError::BadRequest(
            "Hai lần nhập mật khẩu mới không giống nhau".into(),
        )));
    }
    let username = &signed.0.account.username;
    let mut client = state.pool.get().await?;
    if f.old.len() > 1024 || !operators::password_matches(&client, username, &f.old).await? {
        throttle.0.failed_from(ip);
        tracing::warn!(operator = %username, "đổi mật khẩu: mật khẩu đang dùng không đúng");
        return Err(PageError(ApiError::Forbidden(
            "Mật khẩu đang dùng không đúng".into(),
        )));
    }
    let operator = console_operator(username)?;
    let tx = client.transaction().await?;
    operators::set_password(&tx, username, &f.new).await?;
    sessions::close_all_of(&tx, username, cookie(&headers, SESSION_COOKIE)).await?;
    let entry = Entry {
        operator: &operator,
        action: "operator password",
        detail: format!("{username} đổi mật khẩu của mình"),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    let body = html! {
        div.card {
            p { "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản này đã kết thúc." }
            p { a href=(ACCOUNTS) { "Về trang tài khoản" } }
        }
    };
    Ok(frame("Tài khoản", &signed.0.account, &signed.0.csrf, body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct StateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    enable: String,
}

/// Disables or enables another account; disabling ends its sessions at once.
pub async fn set_state(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<StateForm>,
) -> Result<Response, PageError> {
    let target = other_account(
        &signed,
        &f.csrf,
        &f.username,
        "Không tự vô hiệu hóa tài khoản của mình được",
    )?;
    let enable = f.enable == "1";
    let operator = console_operator(&signed.0.account.username)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    operators::set_enabled(&tx, &target, enable).await?;
    let ended = if enable {
        0
    } else {
        sessions::close_all_of(&tx, &target, None).await?
    };
    let entry = Entry {
        operator: &operator,
        action: if enable {
            "operator enable"
        } else {
            "operator disable"
        },
        detail: format!("tài khoản {target}; {ended} phiên kết thúc"),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(ACCOUNTS).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Resets another account's password; its sessions end.
pub async fn reset(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let target = other_account(
        &signed,
        &f.csrf,
        &f.username,
        "Mật khẩu của mình đổi ở mục \"Đổi mật khẩu của tôi\" (cần mật khẩu đang dùng)",
    )?;
    let operator = console_operator(&signed.0.account.username)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    operators::set_password(&tx, &target, &f.password).await?;
    let ended = sessions::close_all_of(&tx, &target, None).await?;
    let entry = Entry {
        operator: &operator,
        action: "operator reset-password",
        detail: format!("tài khoản {target}; {ended} phiên kết thúc"),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(ACCOUNTS).into_response())
}

/// The account a province operator's form changes: the form's CSRF and the operator's
/// right to change are checked first, and an operator's own account is refused with
/// `own` (each form says where that change is made instead).
fn other_account(
    signed: &Signed,
    csrf: &str,
    username: &str,
    own: &str,
) -> Result<String, PageError> {
    signed.check_csrf(csrf)?;
    signed.check_may_change()?;
    let target = operators::check_username(username)?;
    if target == signed.0.account.username {
        return Err(PageError(ApiError::BadRequest(own.into())));
    }
    Ok(target)
}
