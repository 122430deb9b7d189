//! The QĐ 766 scorecard per unit and for the province, from `centre::report` and so by
//! the desk's own `domain::scorecard` code. Each figure opens on the dossiers that cost
//! it points (`?chi-so=ID`). A unit leader's scope is their unit.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};
use serde::Deserialize;

use crate::centre::error::ApiError;
use crate::centre::report;
use crate::centre::routes::AppState;
use crate::centre::web::console::session::Signed;
use crate::centre::web::console::{BIEU06, DVCQG, PageError, SCORE, frame};
use crate::domain::clock::{now_vn, to_wall};
use crate::domain::report::Period;
use crate::domain::scorecard::{Indicator, Scorecard};

#[derive(Debug, Default, Deserialize)]
pub struct ScoreQuery {
    #[serde(rename = "don-vi")]
    pub(super) unit: Option<String>,
    #[serde(rename = "tu")]
    pub(super) from: Option<String>,
    #[serde(rename = "den")]
    pub(super) to: Option<String>,
    #[serde(rename = "chi-so")]
    pub(super) indicator: Option<String>,
}

fn date(s: Option<&str>, default: NaiveDate) -> Result<NaiveDate, ApiError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| ApiError::BadRequest("Ngày phải có dạng YYYY-MM-DD".into())),
    }
}

/// The quarter so far, unless the query names dates.
pub fn period(q: &ScoreQuery) -> Result<Period, ApiError> {
    let today = to_wall(now_vn()).date();
    let quarter_start =
        NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(today);
    let from = date(q.from.as_deref(), quarter_start)?;
    let to = date(q.to.as_deref(), today)?;
    Period::new(from, to).map_err(|e| ApiError::BadRequest(e.to_string()))
}

fn cell(i: &Indicator) -> String {
    match i.rate() {
        Some(r) => format!("{}/{} ({:.1}%)", i.met, i.of, r * 100.0),
        None => "—".into(),
    }
}

fn link(unit: &str, p: &Period, id: &str) -> String {
    format!(
        "{SCORE}?don-vi={unit}&tu={}&den={}&chi-so={id}",
        p.from.format("%Y-%m-%d"),
        p.to.format("%Y-%m-%d")
    )
}

/// The Biểu 06 download of `unit` ("" for the province) for the period, as `form`.
fn bieu06_link(unit: &str, p: &Period, form: &str) -> String {
    format!(
        "{BIEU06}?don-vi={unit}&tu={}&den={}&dang={form}",
        p.from.format("%Y-%m-%d"),
        p.to.format("%Y-%m-%d")
    )
}

/// One unit's line (the province's when `unit` is ""); `downloads` when the operator
/// may download that unit's Biểu 06 (a leader sees a cross-commune partner's line).
fn row(label: &str, unit: &str, card: &Scorecard, p: &Period, downloads: bool) -> Markup {
    html! {
        tr {
            td { (label) }
            @for i in card.indicators() {
                td.num { a href=(link(unit, p, i.id)) { (cell(i)) } }
            }
            td {
                @if downloads {
                    a href=(bieu06_link(unit, p, "xlsx")) { "Excel" } " · "
                    a href=(bieu06_link(unit, p, "pdf")) { "PDF" }
                }
            }
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ScoreQuery>,
) -> Result<Response, PageError> {
    let unit = signed.0.account.role.unit_scope(q.unit.as_deref())?;
    let p = period(&q)?;
    let client = state.pool.get().await?;
    let (units, total) = report::stats::scorecards(&client, unit.as_deref(), &p, now_vn()).await?;
    let own = signed.0.account.role.own_unit();
    let body = html! {
        form.card method="get" action=(SCORE) {
            @if let Some(u) = &unit { input type="hidden" name="don-vi" value=(u); }
            label for="tu" { "Từ ngày" } input id="tu" name="tu" type="date" value=(p.from.format("%Y-%m-%d"));
            label for="den" { "Đến ngày" } input id="den" name="den" type="date" value=(p.to.format("%Y-%m-%d"));
            " " button type="submit" { "Xem" }
        }
        table {
            thead { tr {
                th { "Đơn vị" }
                @for i in total.indicators() { th.num { (i.id) " " (i.title) } }
                th { "Biểu 06 của kỳ" }
            } }
            tbody {
                @for (code, card) in &units {
                    (row(code, code, card, &p, own.is_none_or(|o| o == code)))
                }
                @if unit.is_none() { (row("Toàn tỉnh", "", &total, &p, true)) }
            }
        }
        @if signed.0.account.role.own_unit().is_none() {
            p { a href={ (DVCQG) "?tu=" (p.from.format("%Y-%m-%d")) "&den=" (p.to.format("%Y-%m-%d")) } { "Tải tệp xuất Cổng DVCQG của kỳ này (JSON)" } }
        }
        @if let Some(id) = q.indicator.as_deref() {
            (costs(&units, &total, unit.as_deref(), id))
        }
    };
    Ok(frame("Bộ chỉ số 766", &signed.0.account, &signed.0.csrf, body).into_response())
}

/// The dossiers behind one figure: those that cost it points, with why.
fn costs(units: &[(String, Scorecard)], total: &Scorecard, unit: Option<&str>, id: &str) -> Markup {
    let card = match unit {
        Some(u) => units.iter().find(|(c, _)| c == u).map(|(_, c)| c),
        None => Some(total),
    };
    let indicator = card.and_then(|c| c.indicators().into_iter().find(|i| i.id == id));
    html! {
        @if let Some(i) = indicator {
            h2 { "Chỉ số " (i.id) " " (i.title) ": " (cell(i)) }
            @if let Some(n) = i.note { p.muted { (n) } }
            @if i.costs.is_empty() {
                p.ok { "Không hồ sơ nào làm giảm điểm chỉ số này." }
            } @else {
                table {
                    thead { tr { th { "Hồ sơ" } th { "Lý do" } } }
                    tbody { @for c in &i.costs { tr { td { (c.code) } td { (c.why) } } } }
                }
            }
        } @else {
            p.muted { "Không có số liệu cho chỉ số này trong kỳ." }
        }
    }
}
