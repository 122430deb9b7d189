//! Centre-wide settings an operator sets: for now the public address of the citizen's
//! tracking pages, which desks learn at enrollment and at every sync.

use deadpool_postgres::GenericClient;

use crate::centre::error::ApiError;
use crate::domain::tracking::check_public_base;

const PUBLIC_URL: &str = "public_url";

/// The public address, when one is set.
pub async fn public_url(client: &impl GenericClient) -> Result<Option<String>, ApiError> {
    let row = client
        .query_opt(
            "SELECT value FROM centre_setting WHERE key = $1",
            &[&PUBLIC_URL],
        )
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Sets the public address (checked as the desks will check it); returns it as kept.
pub async fn set_public_url(client: &impl GenericClient, raw: &str) -> Result<String, ApiError> {
    let url = check_public_base(raw).map_err(ApiError::BadRequest)?;
    client
        .execute(
            "INSERT INTO centre_setting (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()",
            &[&PUBLIC_URL, &url],
        )
        .await?;
    Ok(url)
}
