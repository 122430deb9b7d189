//! The province's lists sent to desks at pull (issue 23): its units and the procedures
//! any commune may receive. Sent only when they differ from the version the desk holds,
//! so a round of an up-to-date desk costs two small reads and no bytes on the wire.

use sha2::{Digest, Sha256};

use crate::centre::error::ApiError;
use crate::domain::province::{ProvinceLists, ProvinceUnit};
use crate::sync::protocol::ProvinceUpdate;

/// The lists as they stand, with their version (a hash of their content).
pub async fn current(client: &deadpool_postgres::Client) -> Result<ProvinceUpdate, ApiError> {
    let units = client
        .query("SELECT code, name FROM unit ORDER BY code", &[])
        .await?
        .iter()
        .map(|r| ProvinceUnit {
            code: r.get(0),
            name: r.get(1),
        })
        .collect();
    let cross_procedures = client
        .query(
            "SELECT procedure_code FROM cross_procedure ORDER BY procedure_code",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let lists = ProvinceLists {
        units,
        cross_procedures,
    };
    Ok(ProvinceUpdate {
        version: version_of(&lists),
        lists,
    })
}

/// The lists for a desk that holds `held`: `None` when it already has these.
pub async fn for_desk(
    client: &deadpool_postgres::Client,
    held: Option<&str>,
) -> Result<Option<ProvinceUpdate>, ApiError> {
    let update = current(client).await?;
    Ok((held != Some(update.version.as_str())).then_some(update))
}

/// A content hash: equal lists give equal versions on every centre restart.
fn version_of(lists: &ProvinceLists) -> String {
    let json = serde_json::to_vec(lists).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
