//! The refused events page: by unit and reason, each body shown escaped with its size;
//! the province operator marks one reviewed with a note (a form post with the session's
//! CSRF token, written to the audit log in the same transaction).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use crate::centre::audit::{self, Entry};
use crate::centre::console::review::{self, Refused};
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::centre::web::console::session::Signed;
use crate::centre::web::console::signin::console_operator;
use crate::centre::web::console::{PageError, QUARANTINE, frame};
use crate::domain::clock::vn_offset;

#[derive(Debug, Default, Deserialize)]
pub struct UnitQuery {
    #[serde(rename = "don-vi")]
    unit: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let unit = signed.0.account.role.unit_scope(q.unit.as_deref())?;
    let client = state.pool.get().await?;
    let rows = review::list(&client, unit.as_deref()).await?;
    let may_change = signed.0.account.role.may_change();
    let csrf = signed.0.csrf.clone();
    let body = html! {
        @if rows.is_empty() {
            p.card.ok { "Không có sự kiện nào bị từ chối." }
        } @else {
            p.muted { (rows.len()) " sự kiện (tối đa " (review::PAGE) "), theo đơn vị và lý do." }
        }
        @for r in &rows {
            div.card {
                h2 { (r.unit_code) " — " (r.reason) }
                p {
                    "Hồ sơ " (r.dossier_code) ", loại " (r.kind) ", quầy " (r.desk_id) " số thứ tự " (r.desk_seq)
                    ", nhận lúc " (r.at.with_timezone(&vn_offset()).format("%H:%M %d/%m/%Y"))
                }
                p.muted { "Nội dung (" (r.body_bytes) " byte" @if body_cut(r) { ", hiển thị " (review::SHOWN_BODY_BYTES) " byte đầu" } "):" }
                pre.body { (r.body) }
                @if let Some((at, by, note)) = &r.reviewed {
                    p.ok { "Đã xem bởi " (by) " lúc " (at.with_timezone(&vn_offset()).format("%H:%M %d/%m/%Y")) ": " (note) }
                } @else if may_change {
                    form method="post" action={ (QUARANTINE) "/" (r.id) "/da-xem" } {
                        input type="hidden" name="csrf" value=(csrf);
                        label for={ "note-" (r.id) } { "Ghi chú xử lý" }
                        textarea id={ "note-" (r.id) } name="note" rows="2" cols="60" required {}
                        p { button type="submit" { "Đánh dấu đã xem" } }
                    }
                } @else {
                    p.warn { "Chưa xem." }
                }
            }
        }
    };
    Ok(frame(
        "Sự kiện bị từ chối",
        &signed.0.account,
        &signed.0.csrf,
        body,
    )
    .into_response())
}

fn body_cut(r: &Refused) -> bool {
    usize::try_from(r.body_bytes).is_ok_and(|n| n > review::SHOWN_BODY_BYTES)
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

pub async fn review(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&f.csrf)?;
    signed.check_may_change()?;
    let note = review::check_note(&f.note)?;
    let mut client = state.pool.get().await?;
    let unit = review::unit_of(&client, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Không có sự kiện bị từ chối số {id}")))?;
    let operator = console_operator(&signed.0.account.username)?;
    let tx = client.transaction().await?;
    review::mark_reviewed(&tx, id, &signed.0.account.username, &note).await?;
    let entry = Entry {
        operator: &operator,
        action: "quarantine review",
        detail: format!(
            "sự kiện bị từ chối số {id}, đơn vị {unit}, lúc {}",
            Utc::now().to_rfc3339()
        ),
    };
    audit::log(&tx, &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(QUARANTINE).into_response())
}
