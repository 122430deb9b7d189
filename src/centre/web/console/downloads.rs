//! Downloads from the console: the DVCQG export of a period
//! (`/quan-tri/xuat-dvcqg?tu=…&den=…`), by the same code as `motcua-centre export-dvcqg`
//! (`centre::report::export_dvcqg`) and audited as it is. The export holds every unit's
//! dossiers, so a unit leader is refused it.

use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::centre::audit::{self, Entry};
use crate::centre::error::ApiError;
use crate::centre::report;
use crate::centre::routes::AppState;
use crate::centre::web::console::PageError;
use crate::centre::web::console::score::{ScoreQuery, period};
use crate::centre::web::console::session::Signed;
use crate::centre::web::console::signin::console_operator;

/// `GET /quan-tri/xuat-dvcqg`: the period's dossiers for the national portal, as JSON.
pub async fn dvcqg(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ScoreQuery>,
) -> Result<Response, PageError> {
    if signed.0.account.role.own_unit().is_some() {
        return Err(ApiError::Forbidden(
            "Tệp xuất Cổng DVCQG gồm hồ sơ của mọi đơn vị: chỉ tài khoản cấp tỉnh hoặc kiểm tra được tải"
                .into(),
        )
        .into());
    }
    let p = period(&q)?;
    let client = state.pool.get().await?;
    let rows = report::export_dvcqg(&client, p.from, p.to).await?;
    let json = serde_json::to_vec_pretty(&rows).map_err(|e| ApiError::Internal(e.to_string()))?;
    let name = format!(
        "dvcqg-{}-{}.json",
        p.from.format("%Y%m%d"),
        p.to.format("%Y%m%d")
    );
    let operator = console_operator(&signed.0.account.username)?;
    let entry = Entry {
        operator: &operator,
        action: "export-dvcqg",
        detail: format!(
            "{} – {}: {} hồ sơ, tải từ bảng quản trị",
            p.from,
            p.to,
            rows.len()
        ),
    };
    audit::log(&client, &entry).await?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (CONTENT_DISPOSITION, disposition),
        ],
        json,
    )
        .into_response())
}
