//! Units, enrollment codes and retiring a desk. Reading: every role (a unit leader sees
//! their unit only). Changing: the province operator, with the session's CSRF token,
//! each change and its audit entry in one transaction. An enrollment code is shown once,
//! in the answer to the post that made it, and is never logged.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use crate::centre::admin;
use crate::centre::audit::{self, Entry};
use crate::centre::console::{desks, fleet};
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::centre::web::console::session::Signed;
use crate::centre::web::console::signin::console_operator;
use crate::centre::web::console::{ENROLL, PageError, RETIRE, UNITS, frame};
use crate::domain::clock::vn_offset;

pub async fn page(State(state): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    let role = &signed.0.account.role;
    let client = state.pool.get().await?;
    let mut units = desks::units(&client).await?;
    if let Some(own) = role.own_unit() {
        units.retain(|(code, _, _)| code == own);
    }
    let active: Vec<_> = fleet::list(&client, role.own_unit(), fleet::Sort::Unit)
        .await?
        .into_iter()
        .filter(|d| d.retired_at.is_none())
        .collect();
    let csrf = &signed.0.csrf;
    let body = html! {
        table {
            thead { tr { th { "Mã đơn vị" } th { "Tên" } th.num { "Quầy đang hoạt động" } } }
            tbody { @for (code, name, n) in &units { tr { td { (code) } td { (name) } td.num { (n) } } } }
        }
        @if role.may_change() {
            div.card {
                h2 { "Thêm đơn vị" }
                form method="post" action=(UNITS) {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="code" { "Mã đơn vị (mã định danh, ví dụ H22.39.15)" }
                    input id="code" name="code" required;
                    label for="name" { "Tên đơn vị" }
                    input id="name" name="name" required;
                    p { button type="submit" { "Thêm đơn vị" } }
                }
            }
            div.card {
                h2 { "Cấp mã đăng ký quầy" }
                form method="post" action=(ENROLL) {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="unit" { "Đơn vị" }
                    select id="unit" name="unit" { @for (code, name, _) in &units { option value=(code) { (code) " — " (name) } } }
                    label for="desk_index" { "Số hiệu quầy (0–9, để trống: quầy tự chọn)" }
                    input id="desk_index" name="desk_index" inputmode="numeric";
                    label { input type="checkbox" name="replace" value="1"; " Thay thế quầy số này đã đăng ký (mất mã truy cập, thay máy)" }
                    p { button type="submit" { "Cấp mã (hết hạn sau 24 giờ)" } }
                }
            }
            div.card {
                h2 { "Thu hồi quầy" }
                form method="post" action=(RETIRE) {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="desk" { "Quầy" }
                    select id="desk" name="desk" {
                        @for d in &active { option value=(d.desk_id) { (d.unit_code) " — quầy " (d.desk_index) } }
                    }
                    p { button type="submit" { "Thu hồi (mã truy cập của quầy hết hiệu lực ngay)" } }
                }
            }
        }
    };
    Ok(frame("Đơn vị và quầy", &signed.0.account, csrf, body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

pub async fn add_unit(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<UnitForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&f.csrf)?;
    signed.check_may_change()?;
    let operator = console_operator(&signed.0.account.username)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let code = admin::add_unit(&tx, &f.code, &f.name).await?;
    let entry = Entry {
        operator: &operator,
        action: "unit add",
        detail: format!("đơn vị {code} ({})", f.name.trim()),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(UNITS).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EnrollForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    desk_index: String,
    #[serde(default)]
    replace: Option<String>,
}

pub async fn enroll_code(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<EnrollForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&f.csrf)?;
    signed.check_may_change()?;
    let index =
        match f.desk_index.trim() {
            "" => None,
            s => Some(s.parse::<u8>().ok().filter(|i| *i <= 9).ok_or_else(|| {
                ApiError::BadRequest("Số hiệu quầy phải là số từ 0 đến 9".into())
            })?),
        };
    let replace = f.replace.is_some();
    let operator = console_operator(&signed.0.account.username)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let valid = Duration::hours(24);
    let (code, until) = match (replace, index) {
        (true, Some(i)) => admin::create_replace_code(&tx, &f.unit, i, valid).await?,
        (true, None) => {
            return Err(PageError(ApiError::BadRequest(
                "Thay thế quầy cần số hiệu quầy (0–9)".into(),
            )));
        }
        (false, i) => admin::create_enroll_code(&tx, &f.unit, i, valid).await?,
    };
    // Never the code itself: it is a secret shown once, to this operator.
    let entry = Entry {
        operator: &operator,
        action: "enroll-code",
        detail: format!(
            "đơn vị {}{}{}, hết hạn {}",
            f.unit,
            index.map(|i| format!(", quầy số {i}")).unwrap_or_default(),
            if replace { ", thay thế" } else { "" },
            until.to_rfc3339()
        ),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    let body = html! {
        div.card {
            p { "Mã đăng ký cho đơn vị " (f.unit) @if let Some(i) = index { ", quầy số " (i) } ":" }
            p { strong.code { (code) } }
            p.warn { "Mã chỉ hiện một lần, dùng một lần, hết hạn lúc "
                (until.with_timezone(&vn_offset()).format("%H:%M %d/%m/%Y")) ". Hãy đọc cho người cài quầy ngay." }
            p { a href=(UNITS) { "Về trang đơn vị" } }
        }
    };
    Ok(frame("Mã đăng ký quầy", &signed.0.account, &signed.0.csrf, body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct RetireForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    desk: String,
}

pub async fn retire(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<RetireForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&f.csrf)?;
    signed.check_may_change()?;
    let desk = Uuid::parse_str(f.desk.trim())
        .map_err(|_| ApiError::BadRequest("Mã quầy không hợp lệ".into()))?;
    let operator = console_operator(&signed.0.account.username)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let (unit, index) = desks::retire(&tx, desk).await?;
    let entry = Entry {
        operator: &operator,
        action: "desk retire",
        detail: format!("đơn vị {unit}, quầy số {index} ({desk})"),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(UNITS).into_response())
}
