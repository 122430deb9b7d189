//! The fleet page: every desk with its sync health, dark desks flagged with the
//! dossiers they put at risk for QĐ 766 indicator 1.4, a unit filter, three orders,
//! and the same rows as CSV.

use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use crate::centre::console::fleet::{self, DeskRow, Sort};
use crate::centre::routes::AppState;
use crate::centre::web::console::session::Signed;
use crate::centre::web::console::{FLEET, FLEET_CSV, PageError, frame};
use crate::domain::clock::vn_offset;

#[derive(Debug, Default, Deserialize)]
pub struct FleetQuery {
    #[serde(rename = "don-vi")]
    unit: Option<String>,
    #[serde(rename = "sap-xep")]
    sort: Option<String>,
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "chưa bao giờ".to_string(),
        |t| {
            t.with_timezone(&vn_offset())
                .format("%H:%M %d/%m/%Y")
                .to_string()
        },
    )
}

fn skew(ms: Option<i64>) -> String {
    match ms {
        None => "—".into(),
        Some(ms) if ms.abs() < 1000 => "khớp".into(),
        Some(ms) => {
            let secs = ms.abs() / 1000;
            let sign = if ms > 0 { "nhanh" } else { "chậm" };
            if secs >= 3600 {
                format!("{sign} {} giờ {} phút", secs / 3600, secs % 3600 / 60)
            } else if secs >= 60 {
                format!("{sign} {} phút {} giây", secs / 60, secs % 60)
            } else {
                format!("{sign} {secs} giây")
            }
        }
    }
}

fn opt(n: Option<i64>) -> String {
    n.map_or_else(|| "—".into(), |n| n.to_string())
}

async fn rows(
    state: &AppState,
    signed: &Signed,
    q: &FleetQuery,
) -> Result<(Option<String>, Sort, Vec<DeskRow>), PageError> {
    let unit = signed.0.account.role.unit_scope(q.unit.as_deref())?;
    let sort = Sort::parse(q.sort.as_deref());
    let client = state.pool.get().await?;
    let rows = fleet::list(&client, unit.as_deref(), sort).await?;
    Ok((unit, sort, rows))
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<FleetQuery>,
) -> Result<Response, PageError> {
    let (unit, sort, desks) = rows(&state, &signed, &q).await?;
    let client = state.pool.get().await?;
    let units = fleet::units(&client, signed.0.account.role.own_unit()).await?;
    let now = Utc::now();
    let body = html! {
        (summary(&desks, now))
        (filter(&units, unit.as_deref(), sort))
        (table(&desks, now))
    };
    Ok(frame(
        "Các quầy và tình trạng đồng bộ",
        &signed.0.account,
        &signed.0.csrf,
        body,
    )
    .into_response())
}

fn summary(desks: &[DeskRow], now: DateTime<Utc>) -> Markup {
    let dark: Vec<&DeskRow> = desks.iter().filter(|d| d.is_dark(now)).collect();
    let at_risk: i64 = dark.iter().map(|d| d.at_risk(now)).sum();
    html! {
        div.card {
            p { (desks.len()) " quầy." }
            @if dark.is_empty() {
                p.ok { "Mọi quầy đã đồng bộ trong 24 giờ qua." }
            } @else {
                p.warn {
                    (dark.len()) " quầy không đồng bộ quá " (fleet::DARK_HOURS) " giờ; "
                    (at_risk) " hồ sơ chưa gửi về trung tâm có nguy cơ bị trừ điểm chỉ số 1.4 (đồng bộ hồ sơ, QĐ 766)."
                }
            }
        }
    }
}

fn filter(units: &[(String, String)], unit: Option<&str>, sort: Sort) -> Markup {
    let sorts = [
        (Sort::Unit, "Theo đơn vị"),
        (Sort::LastSync, "Lâu chưa đồng bộ nhất"),
        (Sort::Unsent, "Nhiều hồ sơ chưa gửi nhất"),
    ];
    html! {
        form.card method="get" action=(FLEET) {
            label for="don-vi" { "Đơn vị" }
            select id="don-vi" name="don-vi" {
                @if units.len() > 1 { option value="" { "Tất cả đơn vị" } }
                @for (code, name) in units {
                    option value=(code) selected[unit == Some(code.as_str())] { (code) " — " (name) }
                }
            }
            label for="sap-xep" { "Sắp xếp" }
            select id="sap-xep" name="sap-xep" {
                @for (s, label) in sorts {
                    option value=(s.key()) selected[s == sort] { (label) }
                }
            }
            " " button type="submit" { "Xem" }
            " "
            a href={ (FLEET_CSV) "?don-vi=" (unit.unwrap_or_default()) "&sap-xep=" (sort.key()) } { "Tải CSV" }
        }
    }
}

fn table(desks: &[DeskRow], now: DateTime<Utc>) -> Markup {
    html! {
        table {
            thead { tr {
                th { "Đơn vị" } th.num { "Quầy" } th { "Phiên bản" } th { "Đồng bộ xong lần cuối" }
                th.num { "Hồ sơ chưa gửi" } th { "Lệch đồng hồ" } th.num { "Sự kiện bị từ chối" }
                th.num { "Tệp chờ gửi" } th { "Cảnh báo" }
            } }
            tbody {
                @for d in desks {
                    tr class=[d.is_dark(now).then_some("flag")] {
                        td { (d.unit_code) br; span.muted { (d.unit_name) } }
                        td.num { (d.desk_index) }
                        td { (d.version.as_deref().unwrap_or("—")) }
                        td { (when(d.last_sync)) }
                        td.num { (opt(d.unsent)) }
                        td { (skew(d.clock_skew_ms)) }
                        td.num { (d.refused) @if d.refused_unreviewed > 0 { " (" (d.refused_unreviewed) " chưa xem)" } }
                        td.num { (d.files_waiting) }
                        td {
                            @if let Some(at) = d.retired_at {
                                span.muted { "Đã thu hồi " (when(Some(at))) }
                            }
                            @if d.is_dark(now) {
                                span.warn { "Mất liên lạc quá 24 giờ: " (d.at_risk(now)) " hồ sơ có nguy cơ (chỉ số 1.4)" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A CSV field: quoted, and a leading formula character neutralised (a spreadsheet
/// must not run a value a desk sent).
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub async fn csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<FleetQuery>,
) -> Result<Response, PageError> {
    let (_, _, desks) = rows(&state, &signed, &q).await?;
    let now = Utc::now();
    let mut out = String::from(
        "\u{feff}don_vi,ten_don_vi,quay,phien_ban,dong_bo_lan_cuoi,ho_so_chua_gui,lech_dong_ho_ms,su_kien_bi_tu_choi,tep_cho_gui,mat_lien_lac,ho_so_nguy_co_1_4\r\n",
    );
    for d in &desks {
        let cells = [
            field(&d.unit_code),
            field(&d.unit_name),
            d.desk_index.to_string(),
            field(d.version.as_deref().unwrap_or("")),
            d.last_sync.map(|t| t.to_rfc3339()).unwrap_or_default(),
            d.unsent.map(|n| n.to_string()).unwrap_or_default(),
            d.clock_skew_ms.map(|n| n.to_string()).unwrap_or_default(),
            d.refused.to_string(),
            d.files_waiting.to_string(),
            if d.is_dark(now) { "co" } else { "khong" }.to_string(),
            d.at_risk(now).to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"cac-quay.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field("=cmd()"), "\"'=cmd()\"");
        assert_eq!(skew(Some(-125_000)), "chậm 2 phút 5 giây");
        assert_eq!(skew(Some(300)), "khớp");
    }
}
