//! The session cookie and the checks every console request goes through: a page needs a
//! live session (else the sign-in page), a form post also needs that session's CSRF
//! token, and a change needs a role that may change things.
//!
//! Cookies are always `HttpOnly; Secure; SameSite=Strict; Path=/`. `Secure` is kept even
//! for plain HTTP on loopback: browsers treat `http://127.0.0.1` and `localhost` as
//! secure origins and store such cookies, so the tests use the production flags.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};

use crate::centre::console::sessions::{self, Session, same_token};
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::centre::web::console::{PageError, SIGN_IN};

pub const SESSION_COOKIE: &str = "mc_sid";
/// Carries the sign-in form's own CSRF token before there is a session.
pub const PRE_COOKIE: &str = "mc_pre";

/// The value of cookie `name` in a request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value with the console's flags; `None` clears the cookie.
pub fn set_cookie(name: &str, value: Option<&str>, max_age_secs: i64) -> HeaderValue {
    let text = match value {
        Some(v) => {
            format!("{name}={v}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={max_age_secs}")
        }
        None => format!("{name}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"),
    };
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"))
}

/// Adds a `Set-Cookie` to a response.
pub fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().append(SET_COOKIE, cookie);
    response
}

/// A request made in a live session.
#[derive(Debug, Clone)]
pub struct Signed(pub Session);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to(SIGN_IN).into_response());
        };
        let client = state
            .pool
            .get()
            .await
            .map_err(|e| PageError::from(e).into_response())?;
        match sessions::find(&client, id).await {
            Ok(Some(s)) => Ok(Signed(s)),
            Ok(None) => Err(with_cookie(
                Redirect::to(SIGN_IN).into_response(),
                set_cookie(SESSION_COOKIE, None, 0),
            )),
            Err(e) => Err(PageError(e).into_response()),
        }
    }
}

impl Signed {
    /// A form post: its token must be this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        if same_token(sent, &self.0.csrf) {
            Ok(())
        } else {
            Err(PageError(ApiError::Forbidden(
                "Biểu mẫu đã hết hạn hoặc không gửi từ trang này; hãy tải lại trang rồi thử lại"
                    .into(),
            )))
        }
    }

    /// A change: only the province operator makes one.
    pub fn check_may_change(&self) -> Result<(), PageError> {
        if self.0.account.role.may_change() {
            Ok(())
        } else {
            Err(PageError(ApiError::Forbidden(
                "Tài khoản này chỉ được xem, không được thay đổi".into(),
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name_and_set_with_every_flag() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static("a=1; mc_sid=abc ; b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        let set = set_cookie(SESSION_COOKIE, Some("xyz"), 60);
        let set = set.to_str().unwrap_or_default();
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(set.contains(flag), "{set}");
        }
    }
}
