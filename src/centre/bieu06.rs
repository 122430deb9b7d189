//! Biểu 06 of a unit or of the province for a period, from the events the centre holds,
//! by the desk's own fold (`domain::report::fold`): a unit's report here is the one its
//! desks print, each dossier counted at the unit that decides it (issue 23).
//!
//! The events are read through a cursor in dossier order, a page at a time, and each
//! dossier is folded and summed as soon as its last event is read: memory holds one
//! page and one dossier, not the province (a province's year is millions of events).

use deadpool_postgres::Client;

use crate::centre::error::ApiError;
use crate::domain::clock::Timestamp;
use crate::domain::event::Event;
use crate::domain::lifecycle;
use crate::domain::report::fold::{Scope, Tally};
use crate::domain::report::{Period, Report};
use crate::domain::unit::UnitCode;

/// Rows fetched from the cursor at a time.
const PAGE: i32 = 2_000;

/// The report of `unit` (of the province when `None`) for `period`, made at `now`. An
/// unknown unit is 404, before any event is read.
pub async fn bieu06(
    client: &mut Client,
    unit: Option<&str>,
    period: Period,
    now: Timestamp,
) -> Result<Report, ApiError> {
    let Some(unit) = unit else {
        let units: i64 = client
            .query_one("SELECT count(*) FROM unit", &[])
            .await?
            .get(0);
        let name = format!("Toàn tỉnh ({units} đơn vị)");
        let t = sum(client, Scope::Province, &period, now).await?;
        return Ok(t.into_report(name, String::new(), period));
    };
    let code = UnitCode::parse(unit).map_err(|e| {
        let shown: String = unit.chars().take(40).collect();
        ApiError::BadRequest(format!("Mã đơn vị '{shown}' không hợp lệ: {e}"))
    })?;
    let name: String = client
        .query_opt("SELECT name FROM unit WHERE code = $1", &[&code.as_str()])
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| ApiError::NotFound(format!("Trung tâm không có đơn vị {code}")))?;
    let t = sum(client, Scope::Unit(&code), &period, now).await?;
    Ok(t.into_report(name, String::new(), period))
}

/// Every dossier of the scope (a unit's: its own and the cross-commune ones it
/// received or decides, as `centre::report` reads them), folded and summed.
async fn sum(
    client: &mut Client,
    scope: Scope<'_>,
    period: &Period,
    now: Timestamp,
) -> Result<Tally, ApiError> {
    let tx = client.build_transaction().read_only(true).start().await?;
    // A unit's own events are read from its partition alone; its cross-commune
    // partners' events about the dossiers they share, by the dossier index.
    let portal = match scope {
        Scope::Province => {
            let statement = tx
                .prepare("SELECT dossier_code, body FROM event ORDER BY dossier_code, feed_seq")
                .await?;
            tx.bind(&statement, &[]).await?
        }
        Scope::Unit(unit) => {
            let statement = tx
                .prepare(
                    "SELECT dossier_code, body, feed_seq FROM event WHERE unit_code = $1
                     UNION ALL
                     SELECT dossier_code, body, feed_seq FROM event
                     WHERE unit_code <> $1
                       AND dossier_code IN (SELECT dossier_code FROM cross_dossier
                                            WHERE receiving_unit = $1 OR deciding_unit = $1)
                     ORDER BY dossier_code, feed_seq",
                )
                .await?;
            tx.bind(&statement, &[&unit.as_str()]).await?
        }
    };
    let mut total = Tally::new(period, now);
    let mut code = String::new();
    let mut events: Vec<Event> = Vec::new();
    loop {
        let rows = tx.query_portal(&portal, PAGE).await?;
        for row in &rows {
            let this: &str = row.get(0);
            if this != code {
                add(&mut total, &events, scope);
                events.clear();
                code = this.to_string();
            }
            let event = serde_json::from_str(row.get::<_, &str>(1))
                .map_err(|e| ApiError::Internal(format!("sự kiện hỏng: {e}")))?;
            events.push(event);
        }
        if rows.len() < PAGE as usize {
            break;
        }
    }
    add(&mut total, &events, scope);
    tx.commit().await?;
    Ok(total)
}

/// Folds one dossier's events and adds it where it counts. A dossier whose receipt
/// has not arrived yet has nothing to report (as in `centre::report`).
fn add(total: &mut Tally, events: &[Event], scope: Scope<'_>) {
    if events.is_empty() {
        return;
    }
    if let Ok(state) = lifecycle::fold(events) {
        total.add_for(&state, scope);
    }
}
