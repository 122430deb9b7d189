//! The queries behind the citizen's pages (`web::citizen`): a dossier by its tracking token or by its
//! code, and when its receiving desk last synced.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;

use crate::centre::admin::dossier_events;
use crate::centre::error::ApiError;
use crate::domain::dossier::DossierState;
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::Event;
use crate::domain::lifecycle;
use crate::domain::tracking::TrackingToken;

/// A dossier as the page shows it.
#[derive(Debug)]
pub struct Found {
    pub state: DossierState,
    pub events: Vec<Event>,
    /// When the desk that took it in last completed a sync; `None` before it ever did.
    pub desk_synced_at: Option<DateTime<Utc>>,
}

/// The dossier `token` opens, if the token is the dossier's current one (a token a
/// reprint replaced opens nothing).
pub async fn by_token(
    client: &impl GenericClient,
    token: &TrackingToken,
) -> Result<Option<Found>, ApiError> {
    let row = client
        .query_opt(
            "SELECT dossier_code FROM event
                 WHERE kind = 'received' AND (body::jsonb) #>> '{body,tracking}' = $1
             UNION
             SELECT dossier_code FROM event
                 WHERE kind = 'tracking_renewed' AND (body::jsonb) #>> '{body,token}' = $1
             LIMIT 1",
            &[&token.as_str()],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let code: String = row.get(0);
    let found = by_code(client, &code).await?;
    Ok(found.filter(|f| f.state.tracking.as_ref() == Some(token)))
}

/// The dossier of `code`, folded, with its desk's last sync.
pub async fn by_code(client: &impl GenericClient, code: &str) -> Result<Option<Found>, ApiError> {
    let Ok(parsed) = DossierCode::parse(code) else {
        return Ok(None);
    };
    let code = parsed.to_string();
    let events = dossier_events(client, &code).await?;
    let Ok(state) = lifecycle::fold(&events) else {
        return Ok(None);
    };
    let synced = client
        .query_opt(
            "SELECT d.last_sync_at FROM event e JOIN desk d ON d.desk_id = e.desk_id
             WHERE e.unit_code = $1 AND e.dossier_code = $2 AND e.kind = 'received'",
            &[&parsed.unit().as_str(), &code],
        )
        .await?;
    Ok(Some(Found {
        state,
        events,
        desk_synced_at: synced.and_then(|r| r.get(0)),
    }))
}
