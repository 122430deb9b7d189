//! A dossier by code (`/quan-tri/ho-so?ma=…`): its units, timeline and documents, and
//! a document opened as a download (`/quan-tri/ho-so/tep?ma=…&sha=…`). Who may see
//! what is `centre::console::dossier`; opening a citizen's paper is audited.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::centre::audit::{self, Entry};
use crate::centre::blobs::FileBody;
use crate::centre::console::dossier::{self, DossierView, at_text};
use crate::centre::error::ApiError;
use crate::centre::routes::AppState;
use crate::centre::web::console::session::Signed;
use crate::centre::web::console::signin::console_operator;
use crate::centre::web::console::{DOSSIER, DOSSIER_FILE, PageError, frame};
use crate::domain::document::{Sha256Hex, size_vi};

#[derive(Debug, Default, Deserialize)]
pub struct DossierQuery {
    #[serde(rename = "ma")]
    code: Option<String>,
    sha: Option<String>,
}

fn search_form(code: &str) -> Markup {
    html! {
        form method="get" action=(DOSSIER) {
            label for="ma" { "Mã hồ sơ" }
            " "
            input id="ma" name="ma" value=(code) size="28" maxlength="40" required;
            " "
            button type="submit" { "Tra cứu" }
        }
    }
}

async fn view(state: &AppState, signed: &Signed, raw: &str) -> Result<DossierView, PageError> {
    let code = dossier::parse_code(raw)?;
    let client = state.pool.get().await?;
    let files = state.files.clone();
    Ok(
        dossier::look_up(&client, &signed.0.account.role, &code, |sha| {
            files.blobs.has(sha)
        })
        .await?,
    )
}

fn file_link(v: &DossierView, sha: &Sha256Hex) -> String {
    format!("{DOSSIER_FILE}?ma={}&sha={sha}", v.code)
}

fn render(v: &DossierView) -> Markup {
    html! {
        h2 { "Các đơn vị liên quan" }
        ul { @for u in &v.units { li { (u.part) ": " (u.unit) } } }
        h2 { "Diễn biến" }
        table {
            thead { tr { th { "Lúc" } th { "Bước" } th { "Người thực hiện" } th { "Máy" } } }
            tbody {
                @for e in &v.timeline {
                    tr {
                        td { (at_text(e.at)) }
                        td { (e.body.kind().label_vi()) }
                        td { (e.actor.name) }
                        td { (e.origin) }
                    }
                }
            }
        }
        h2 { "Giấy tờ số hóa" }
        @if v.documents.is_empty() {
            p.muted { "Hồ sơ chưa có giấy tờ số hóa nào." }
        } @else {
            table {
                thead { tr { th { "Thành phần" } th { "Tệp" } th { "Cỡ" } th { "Số hóa lúc" } } }
                tbody {
                    @for d in &v.documents {
                        tr {
                            td { (d.doc.item) }
                            td {
                                @if d.granted {
                                    a href=(file_link(v, &d.doc.file.sha256)) { (d.doc.file.name) }
                                } @else {
                                    (d.doc.file.name) " "
                                    span.muted { "(trung tâm chưa nhận tệp; quầy sẽ gửi ở lần đồng bộ tới)" }
                                }
                            }
                            td { (size_vi(d.doc.file.size)) }
                            td { (at_text(d.doc.attached_at)) " — " (d.doc.attached_by) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /quan-tri/ho-so`: the search form, and the dossier when `ma` is given.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<DossierQuery>,
) -> Result<Response, PageError> {
    let raw = q.code.as_deref().map(str::trim).unwrap_or_default();
    let (title, body) = if raw.is_empty() {
        ("Tra cứu hồ sơ".to_string(), search_form(""))
    } else {
        let v = view(&state, &signed, raw).await?;
        let body = html! { (search_form(raw)) (render(&v)) };
        (format!("Hồ sơ {}", v.code), body)
    };
    Ok(frame(&title, &signed.0.account, &signed.0.csrf, body).into_response())
}

/// `GET /quan-tri/ho-so/tep`: one document of the dossier, as a download.
pub async fn file(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<DossierQuery>,
) -> Result<Response, PageError> {
    let v = view(&state, &signed, q.code.as_deref().unwrap_or_default()).await?;
    let sha = Sha256Hex::parse(q.sha.as_deref().unwrap_or_default().trim())
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    // Only a file the dossier holds now and one of its units uploaded: a hash merely
    // named in the link may be another unit's citizen's paper.
    let doc = v.servable(&sha).ok_or_else(|| {
        ApiError::NotFound(format!(
            "Hồ sơ {} không có tệp {} ở trung tâm",
            v.code,
            sha.short()
        ))
    })?;
    let file = tokio::fs::File::open(state.files.blobs.path(&sha))
        .await
        .map_err(|e| ApiError::Internal(format!("tệp không còn trên đĩa của trung tâm: {e}")))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| ApiError::Internal(format!("lỗi đọc đĩa của trung tâm: {e}")))?
        .len();
    let client = state.pool.get().await?;
    let operator = console_operator(&signed.0.account.username)?;
    let entry = Entry {
        operator: &operator,
        action: "console file open",
        detail: format!("tệp {} ({len} byte) của hồ sơ {}", sha.short(), v.code),
    };
    audit::log(&client, &entry).await?;
    let disposition = HeaderValue::from_str(&dossier::attachment_header(&doc.file.name))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (CONTENT_LENGTH, HeaderValue::from(len)),
            (CONTENT_DISPOSITION, disposition),
        ],
        Body::new(FileBody::new(file, len)),
    )
        .into_response())
}
