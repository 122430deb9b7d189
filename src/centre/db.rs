//! The centre's PostgreSQL: a connection pool and forward-only migrations run at
//! start-up (under an advisory lock, so two starting servers do not race).
//!
//! Since v5 each unit numbers its own feed under its row in `unit_feed` (see
//! `centre/feed.rs` for why no cursor skips a number); pushes share no lock across
//! units. `FEED_LOCK` only serialises the operators' catalogue and calendar imports.

use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

/// Advisory lock key held by the transactions that publish an official update.
pub const FEED_LOCK: i64 = 0x6d6f_7463_7561; // "motcua"
const MIGRATION_LOCK: i64 = FEED_LOCK + 1;

const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_conflicts_audit.sql")),
    (3, include_str!("migrations/0003_quarantine.sql")),
    (4, include_str!("migrations/0004_files.sql")),
    (5, include_str!("migrations/0005_feeds_by_unit.sql")),
    (6, include_str!("migrations/0006_console.sql")),
    (7, include_str!("migrations/0007_releases.sql")),
    (8, include_str!("migrations/0008_cross_commune.sql")),
    (9, include_str!("migrations/0009_citizen.sql")),
    (10, include_str!("migrations/0010_notices.sql")),
    (11, include_str!("migrations/0011_desk_replace.sql")),
    (12, include_str!("migrations/0012_epoch.sql")),
];

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("Địa chỉ cơ sở dữ liệu không hợp lệ: {0}")]
    Url(String),
    #[error("Không kết nối được PostgreSQL: {0}")]
    Connect(String),
    #[error("Lỗi PostgreSQL: {0}")]
    Pg(#[from] tokio_postgres::Error),
    #[error("Cơ sở dữ liệu có lược đồ v{found}, mới hơn phiên bản này (v{supported})")]
    TooNew { found: i32, supported: i32 },
}

impl From<deadpool_postgres::PoolError> for DbError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        DbError::Connect(e.to_string())
    }
}

pub fn pool(url: &str, size: usize) -> Result<Pool, DbError> {
    let config = tokio_postgres::Config::from_str(url).map_err(|e| DbError::Url(e.to_string()))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .post_create(crate::centre::epoch::check_on_connect())
        .build()
        .map_err(|e| DbError::Connect(e.to_string()))
}

/// Whether the database answers (the health check's round trip).
pub async fn ping(
    client: &impl deadpool_postgres::GenericClient,
) -> Result<(), tokio_postgres::Error> {
    client.query_one("SELECT 1", &[]).await.map(drop)
}

/// Applies the migrations the database lacks, all in one transaction.
pub async fn migrate(pool: &Pool) -> Result<i32, DbError> {
    migrate_to(pool, MIGRATIONS.last().map_or(0, |m| m.0)).await
}

/// Applies the migrations the database lacks up to `target` (tests build an older
/// schema with it, to check that a later migration converts its data).
pub async fn migrate_to(pool: &Pool, target: i32) -> Result<i32, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    let current: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await?
        .get(0);
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(DbError::TooNew {
            found: current,
            supported: latest,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current && m.0 <= target) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[version],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(current.max(target.min(latest)))
}
