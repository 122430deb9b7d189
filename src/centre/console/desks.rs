//! Units and desks as the console changes them: the unit list with its desks, and a
//! desk retired (its token stops working at once; its events stay). Adding a unit and
//! making an enrollment code reuse `centre::admin`, as the command line does.

use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::centre::error::ApiError;

/// (code, name, desks enrolled and not retired)
pub async fn units(client: &impl GenericClient) -> Result<Vec<(String, String, i64)>, ApiError> {
    let rows = client
        .query(
            "SELECT u.code, u.name, count(d.desk_id) FILTER (WHERE d.retired_at IS NULL)
             FROM unit u LEFT JOIN desk d ON d.unit_code = u.code
             GROUP BY u.code, u.name ORDER BY u.code",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// Retires a desk: its token hash is replaced by a value no token hashes to. Returns
/// its unit and index for the audit entry.
pub async fn retire(client: &impl GenericClient, desk: Uuid) -> Result<(String, i16), ApiError> {
    let row = client
        .query_opt(
            "UPDATE desk SET retired_at = now(), token_hash = 'retired:' || desk_id::text
             WHERE desk_id = $1 AND retired_at IS NULL
             RETURNING unit_code, desk_index",
            &[&desk],
        )
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("Không có quầy {desk} đang hoạt động để thu hồi"))
        })?;
    Ok((row.get(0), row.get(1)))
}
