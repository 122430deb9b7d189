//! Downloads from the console: the DVCQG export of a period
//! (`/quan-tri/xuat-dvcqg?tu=…&den=…`), by the same code as `motcua-centre export-dvcqg`
//! (`centre::report::dvcqg::export_dvcqg`) and audited as it is. The export holds every unit's
//! dossiers, so a unit leader is refused it. Biểu 06 of a unit or the province
//! (`/quan-tri/bieu-06?don-vi=…&ky=…&dang=xlsx|pdf`), by the desk's writers
//! (`report::xlsx`, `report::pdf`); a unit leader gets only their own unit's.

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
use crate::domain::clock::now_vn;
use crate::domain::report::{Period, Report};

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
    let rows = report::dvcqg::export_dvcqg(&client, p.from, p.to).await?;
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

/// `GET /quan-tri/bieu-06`: `don-vi` (none: the province; a leader: their unit),
/// `ky` (`2026-05`, `2026-Q2`, `2026`) or else `tu`/`den` as on the scorecard, `dang`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Bieu06Query {
    #[serde(rename = "don-vi")]
    unit: Option<String>,
    #[serde(rename = "ky")]
    period: Option<String>,
    #[serde(rename = "tu")]
    from: Option<String>,
    #[serde(rename = "den")]
    to: Option<String>,
    #[serde(rename = "dang")]
    form: Option<String>,
}

/// The two written forms of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Xlsx,
    Pdf,
}

impl Form {
    fn parse(raw: Option<&str>) -> Result<Form, ApiError> {
        match raw.map(str::trim).unwrap_or("xlsx") {
            "" | "xlsx" => Ok(Form::Xlsx),
            "pdf" => Ok(Form::Pdf),
            other => Err(ApiError::BadRequest(format!(
                "Dạng tệp '{}' không có: chọn xlsx (Excel) hoặc pdf",
                other.chars().take(16).collect::<String>()
            ))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Form::Xlsx => "xlsx",
            Form::Pdf => "pdf",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Form::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Form::Pdf => "application/pdf",
        }
    }

    /// The file, drawn off the async workers (a large province's PDF takes a while).
    async fn write(self, report: Report) -> Result<Vec<u8>, ApiError> {
        tokio::task::spawn_blocking(move || match self {
            Form::Xlsx => crate::report::xlsx::workbook_bytes(&report).map_err(|e| e.to_string()),
            Form::Pdf => crate::report::pdf::pdf_bytes(&report).map_err(|e| e.to_string()),
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(format!("không tạo được Biểu 06: {e}")))
    }
}

fn bieu06_period(q: &Bieu06Query) -> Result<Period, ApiError> {
    match q.period.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Period::named(k).map_err(|e| ApiError::BadRequest(e.to_string())),
        None => period(&ScoreQuery {
            from: q.from.clone(),
            to: q.to.clone(),
            ..ScoreQuery::default()
        }),
    }
}

/// `GET /quan-tri/bieu-06`: Biểu 06 of a unit or the province for a period, as a file.
pub async fn bieu06(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<Bieu06Query>,
) -> Result<Response, PageError> {
    // The role first: a leader asking for another unit learns nothing else.
    let unit = signed.0.account.role.unit_scope(q.unit.as_deref())?;
    let form = Form::parse(q.form.as_deref())?;
    let p = bieu06_period(&q)?;
    let mut client = state.pool.get().await?;
    let report = crate::centre::bieu06::bieu06(&mut client, unit.as_deref(), p, now_vn()).await?;
    let received = report.total.received_total();
    let bytes = form.write(report).await?;
    let whose = unit.as_deref().unwrap_or("tinh");
    let name = format!(
        "bieu06-{whose}-{}-{}.{}",
        p.from.format("%Y%m%d"),
        p.to.format("%Y%m%d"),
        form.extension()
    );
    let operator = console_operator(&signed.0.account.username)?;
    let entry = Entry {
        operator: &operator,
        action: "bieu-06",
        detail: format!(
            "{}, {} – {}, {}: {received} hồ sơ nhận giải quyết, tải từ bảng quản trị",
            unit.as_deref().unwrap_or("toàn tỉnh"),
            p.from,
            p.to,
            form.extension()
        ),
    };
    audit::log(&client, &entry).await?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static(form.content_type())),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
