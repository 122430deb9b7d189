//! Numbered, forward-only schema migrations.
//!
//! Each migration runs in its own transaction and records its number in
//! `PRAGMA user_version`. A database newer than this program is refused untouched.
//! A shipped migration is never edited; a change is a new migration.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::store::error::Result;
use crate::store::{catalogue, log, search};

/// A migration: SQL, then an optional program step for what SQL cannot compute
/// (e.g. the folded search text, which must fold exactly as the program does).
#[derive(Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    pub after: Option<fn(&Transaction<'_>) -> Result<()>>,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("migrations/0001_initial.sql"),
        after: None,
    },
    Migration {
        version: 2,
        name: "search",
        sql: include_str!("migrations/0002_search.sql"),
        after: Some(search::backfill_search_text),
    },
    Migration {
        version: 3,
        name: "report_index",
        sql: include_str!("migrations/0003_report_index.sql"),
        after: None,
    },
    Migration {
        version: 4,
        name: "sync",
        sql: include_str!("migrations/0004_sync.sql"),
        after: None,
    },
    Migration {
        version: 5,
        name: "counter",
        sql: include_str!("migrations/0005_counter.sql"),
        after: None,
    },
    Migration {
        version: 6,
        name: "listing",
        sql: include_str!("migrations/0006_listing.sql"),
        after: None,
    },
    Migration {
        version: 7,
        name: "time_limit_cases",
        sql: include_str!("migrations/0007_time_limit_cases.sql"),
        after: Some(catalogue::refresh_seeded),
    },
    Migration {
        version: 8,
        name: "trust",
        sql: include_str!("migrations/0008_trust.sql"),
        after: None,
    },
    Migration {
        version: 9,
        name: "search_rank",
        sql: include_str!("migrations/0009_search_rank.sql"),
        after: Some(search::fill_search_rank),
    },
    Migration {
        version: 10,
        name: "documents",
        sql: include_str!("migrations/0010_documents.sql"),
        after: None,
    },
    Migration {
        version: 11,
        name: "numbers",
        sql: include_str!("migrations/0011_numbers.sql"),
        after: None,
    },
    Migration {
        version: 12,
        name: "on_time",
        sql: include_str!("migrations/0012_on_time.sql"),
        after: Some(log::reproject_supplements),
    },
    Migration {
        version: 13,
        name: "cross_commune",
        sql: include_str!("migrations/0013_cross_commune.sql"),
        after: None,
    },
    Migration {
        version: 14,
        name: "province",
        sql: include_str!("migrations/0014_province.sql"),
        after: None,
    },
    Migration {
        version: 15,
        name: "rated_index",
        sql: include_str!("migrations/0015_rated_index.sql"),
        after: None,
    },
];

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies every migration above the current version, up to `target`.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current = current_version(conn)?;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(m.sql)?;
        if let Some(step) = m.after {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}
