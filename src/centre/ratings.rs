//! The citizens' ratings per unit (issue 22 §3; TT 01/2018 Art 14): what
//! `motcua-centre ratings` prints. One rating per dossier, as the fold keeps it (the
//! first by time, then id); the desks show their own unit's on F5.

use std::collections::BTreeMap;

use deadpool_postgres::GenericClient;

use crate::centre::error::ApiError;
use crate::domain::event::{Event, EventBody};
use crate::domain::rating::Summary;

/// Each unit's summary, by unit code; `unit` limits it to one.
pub async fn per_unit(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<BTreeMap<String, Summary>, ApiError> {
    let rows = client
        .query(
            "SELECT DISTINCT ON (dossier_code) unit_code, body FROM event
             WHERE kind = 'rated' AND ($1::TEXT IS NULL OR unit_code = $1)
             ORDER BY dossier_code, at, id",
            &[&unit],
        )
        .await?;
    let mut out: BTreeMap<String, Summary> = BTreeMap::new();
    for r in rows {
        let event: Event = serde_json::from_str(r.get::<_, &str>(1))
            .map_err(|e| ApiError::Internal(format!("sự kiện hỏng: {e}")))?;
        if let EventBody::Rated { rating } = &event.body {
            out.entry(r.get(0)).or_default().add(rating);
        }
    }
    Ok(out)
}
