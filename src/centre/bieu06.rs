//! Biểu 06 of a unit or of the province for a period, from the events the centre holds,
//! by the desk's own fold (`domain::report::fold`): a unit's report here is the one its
//! desks print, each dossier counted at the unit that decides it (issue 23).

use deadpool_postgres::GenericClient;

use crate::centre::error::ApiError;
use crate::centre::report::folded;
use crate::domain::clock::Timestamp;
use crate::domain::dossier::DossierState;
use crate::domain::report::fold::{Scope, tally};
use crate::domain::report::{Period, Report};
use crate::domain::unit::UnitCode;

/// The report of `unit` (of the province when `None`) for `period`, made at `now`. An
/// unknown unit is 404, before any event is read.
pub async fn bieu06(
    client: &impl GenericClient,
    unit: Option<&str>,
    period: Period,
    now: Timestamp,
) -> Result<Report, ApiError> {
    let Some(unit) = unit else {
        let units: i64 = client
            .query_one("SELECT count(*) FROM unit", &[])
            .await?
            .get(0);
        let states = states(client, None).await?;
        let name = format!("Toàn tỉnh ({units} đơn vị)");
        let t = tally(&states, Scope::Province, &period, now);
        return Ok(t.into_report(name, String::new(), period));
    };
    let code = UnitCode::parse(unit)
        .map_err(|e| ApiError::BadRequest(format!("Mã đơn vị '{unit}' không hợp lệ: {e}")))?;
    let name: String = client
        .query_opt("SELECT name FROM unit WHERE code = $1", &[&code.as_str()])
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| ApiError::NotFound(format!("Trung tâm không có đơn vị {code}")))?;
    let states = states(client, Some(code.as_str())).await?;
    let t = tally(&states, Scope::Unit(&code), &period, now);
    Ok(t.into_report(name, String::new(), period))
}

async fn states(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<DossierState>, ApiError> {
    Ok(folded(client, unit)
        .await?
        .into_iter()
        .map(|(state, _)| state)
        .collect())
}
