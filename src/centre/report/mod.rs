//! Reports from the centre's merged log, one module each: `stats` counts per unit and
//! status with the on-time rate (and the QĐ 766 scorecards), `dvcqg` exports dossiers
//! and their steps in the national portal's sync format. Both read the log through
//! `folded` here.

pub mod dvcqg;
pub mod stats;

use std::collections::HashMap;

use deadpool_postgres::GenericClient;

use crate::centre::error::ApiError;
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody};
use crate::domain::lifecycle;

/// Every dossier of the unit (or of all units), folded, with its events in fold order.
/// A unit's dossiers include the cross-commune ones it received or decides, whose
/// steps are kept in both units' partitions (`centre/cross.rs`).
pub(crate) async fn folded(
    client: &impl GenericClient,
    unit: Option<&str>,
) -> Result<Vec<(DossierState, Vec<Event>)>, ApiError> {
    let rows = client
        .query(
            "SELECT body FROM event WHERE $1::TEXT IS NULL OR unit_code = $1
                 OR dossier_code IN (SELECT dossier_code FROM cross_dossier
                                     WHERE receiving_unit = $1 OR deciding_unit = $1)
             ORDER BY feed_seq",
            &[&unit],
        )
        .await?;
    let mut by_code: HashMap<String, Vec<Event>> = HashMap::new();
    for r in rows {
        let e: Event = serde_json::from_str(r.get::<_, &str>(0))
            .map_err(|e| ApiError::Internal(format!("sự kiện hỏng: {e}")))?;
        by_code.entry(e.dossier.to_string()).or_default().push(e);
    }
    let mut out = Vec::with_capacity(by_code.len());
    for (_, mut events) in by_code {
        // A centre event whose receipt has not arrived yet has nothing to report.
        if let Ok(state) = lifecycle::fold(&events) {
            events.sort_by_key(|e| (!matches!(e.body, EventBody::Received { .. }), e.at, e.id));
            out.push((state, events));
        }
    }
    out.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    Ok(out)
}
