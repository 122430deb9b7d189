//! The operators' console, under `/quan-tri`: sign-in (`signin`), the session and CSRF
//! checks every page goes through (`session`), the fleet of desks (`fleet`) and the
//! refused events (`quarantine`), the accounts (`operators`). Pages render what `centre::console` returns; a unit
//! leader's unit is enforced there (`Role::unit_scope`), not by hiding links.

pub mod dossier;
pub mod downloads;
pub mod fleet;
pub mod operators;
pub mod quarantine;
pub mod score;
pub mod session;
pub mod signin;
pub mod units;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{Markup, html};

use crate::centre::console::operators::Account;
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::centre::throttle::Throttle;
use crate::centre::web::layout;

pub const HOME: &str = "/quan-tri";
pub const SIGN_IN: &str = "/quan-tri/dang-nhap";
pub const SIGN_OUT: &str = "/quan-tri/dang-xuat";
pub const FLEET: &str = "/quan-tri/quay";
pub const FLEET_CSV: &str = "/quan-tri/quay.csv";
pub const QUARANTINE: &str = "/quan-tri/cach-ly";
pub const REVIEW: &str = "/quan-tri/cach-ly/{id}/da-xem";
pub const UNITS: &str = "/quan-tri/don-vi";
pub const SCORE: &str = "/quan-tri/chi-so-766";
pub const ENROLL: &str = "/quan-tri/ma-dang-ky";
pub const RETIRE: &str = "/quan-tri/thu-hoi-quay";
pub const DOSSIER: &str = "/quan-tri/ho-so";
pub const DOSSIER_FILE: &str = "/quan-tri/ho-so/tep";
pub const DVCQG: &str = "/quan-tri/xuat-dvcqg";
pub const BIEU06: &str = "/quan-tri/bieu-06";
pub const ACCOUNTS: &str = "/quan-tri/tai-khoan";
pub const OWN_PASSWORD: &str = "/quan-tri/tai-khoan/mat-khau";
pub const ACCOUNT_STATE: &str = "/quan-tri/tai-khoan/trang-thai";
pub const ACCOUNT_RESET: &str = "/quan-tri/tai-khoan/dat-lai-mat-khau";

/// Failed sign-ins counted per client address (one counter per server).
#[derive(Debug, Clone, Default)]
pub struct SignInThrottle(pub Arc<Throttle>);

pub fn router() -> Router<AppState> {
    Router::new()
        .route(HOME, get(|| async { Redirect::to(FLEET) }))
        .route(SIGN_IN, get(signin::form).post(signin::submit))
        .route(SIGN_OUT, post(signin::sign_out))
        .route(FLEET, get(fleet::page))
        .route(FLEET_CSV, get(fleet::csv))
        .route(QUARANTINE, get(quarantine::page))
        .route(REVIEW, post(quarantine::review))
        .route(UNITS, get(units::page).post(units::add_unit))
        .route(ENROLL, post(units::enroll_code))
        .route(SCORE, get(score::page))
        .route(RETIRE, post(units::retire))
        .route(DOSSIER, get(dossier::page))
        .route(DOSSIER_FILE, get(dossier::file))
        .route(DVCQG, get(downloads::dvcqg))
        .route(BIEU06, get(downloads::bieu06))
        .route(ACCOUNTS, get(operators::page))
        .route(OWN_PASSWORD, post(operators::own_password))
        .route(ACCOUNT_STATE, post(operators::set_state))
        .route(ACCOUNT_RESET, post(operators::reset))
        .layer(Extension(SignInThrottle::default()))
}

/// A console page: the navigation, who is signed in, a sign-out button, then `body`.
pub fn frame(title: &str, account: &Account, csrf: &str, body: Markup) -> Markup {
    let top = html! {
        nav.top {
            a href=(FLEET) { "Các quầy" }
            a href=(QUARANTINE) { "Sự kiện bị từ chối" }
            a href=(UNITS) { "Đơn vị và quầy" }
            a href=(SCORE) { "Bộ chỉ số 766" }
            a href=(DOSSIER) { "Tra cứu hồ sơ" }
            a href=(ACCOUNTS) { "Tài khoản" }
        }
        // A div: a paragraph may not hold a form (the parser would split it).
        div.muted.who {
            (account.full_name) " (" (account.username) ") — " (account.role.label()) " "
            form.inline method="post" action=(SIGN_OUT) {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "Đăng xuất" }
            }
        }
        h1 { (title) }
        (body)
    };
    layout::page(&format!("{title} — Quản trị một cửa"), top)
}

/// A refusal shown as a page (the desks' API answers JSON; a person gets HTML).
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl From<tokio_postgres::Error> for PageError {
    fn from(e: tokio_postgres::Error) -> Self {
        PageError(e.into())
    }
}

impl From<deadpool_postgres::PoolError> for PageError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let title = match status {
            StatusCode::FORBIDDEN => "Không được phép",
            StatusCode::NOT_FOUND => "Không tìm thấy",
            StatusCode::BAD_REQUEST => "Dữ liệu không hợp lệ",
            StatusCode::TOO_MANY_REQUESTS => "Thử lại sau",
            _ => "Có lỗi",
        };
        let body = html! {
            h1 { (title) }
            p.warn { (self.0.to_string()) }
            p { a href=(FLEET) { "Về trang các quầy" } }
        };
        (status, layout::page(title, body)).into_response()
    }
}
