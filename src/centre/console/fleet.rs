//! The fleet of desks as the console shows it: every desk with what it last reported and
//! what the centre holds about it, in one query (no query per desk), and the desks dark
//! for more than [`DARK_HOURS`] with the dossiers that cost the province under QĐ 766
//! indicator 1.4 (dossiers received but not synced count against the sync rate).

use chrono::{DateTime, Duration, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use crate::centre::error::ApiError;
use crate::sync::protocol::{DeskReport, MAX_VERSION_CHARS};

/// A desk with no finished round for this long is "dark".
pub const DARK_HOURS: i64 = 24;

/// One row of the fleet page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskRow {
    pub unit_code: String,
    pub unit_name: String,
    pub desk_index: i16,
    pub desk_id: Uuid,
    pub version: Option<String>,
    /// The end of its last finished round (`None`: never synced since it enrolled).
    pub last_sync: Option<DateTime<Utc>>,
    pub enrolled_at: DateTime<Utc>,
    /// Dossiers the desk said were not yet at the centre, at its last round's start.
    pub unsent: Option<i64>,
    /// The desk's clock minus the centre's, in milliseconds, at that moment.
    pub clock_skew_ms: Option<i64>,
    pub refused: i64,
    pub refused_unreviewed: i64,
    /// Documents the desk attached whose bytes the centre does not hold yet.
    pub files_waiting: i64,
    /// Retired by an operator: not dark, just gone.
    pub retired_at: Option<DateTime<Utc>>,
}

impl DeskRow {
    /// Dark: no finished round for more than [`DARK_HOURS`] (since enrollment when none).
    pub fn is_dark(&self, now: DateTime<Utc>) -> bool {
        self.retired_at.is_none()
            && self.last_sync.unwrap_or(self.enrolled_at) < now - Duration::hours(DARK_HOURS)
    }

    /// Dossiers at risk for indicator 1.4: the unsent dossiers of a dark desk.
    pub fn at_risk(&self, now: DateTime<Utc>) -> i64 {
        if self.is_dark(now) {
            self.unsent.unwrap_or(0).max(0)
        } else {
            0
        }
    }
}

/// How the list is ordered (a fixed set: nothing from the request reaches the SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Unit,
    /// Longest without a sync first.
    LastSync,
    /// Most unsent dossiers first.
    Unsent,
}

impl Sort {
    pub fn parse(s: Option<&str>) -> Sort {
        match s {
            Some("dong-bo") => Sort::LastSync,
            Some("chua-gui") => Sort::Unsent,
            _ => Sort::Unit,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Sort::Unit => "don-vi",
            Sort::LastSync => "dong-bo",
            Sort::Unsent => "chua-gui",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::Unit => "d.unit_code, d.desk_index",
            Sort::LastSync => "coalesce(d.last_sync_at, d.enrolled_at), d.unit_code, d.desk_index",
            Sort::Unsent => "coalesce(d.unsent_count, 0) DESC, d.unit_code, d.desk_index",
        }
    }
}

const FLEET_SQL: &str = "
WITH refused AS (
    SELECT desk_id, count(*) AS n, count(*) FILTER (WHERE reviewed_at IS NULL) AS open
    FROM quarantine GROUP BY desk_id),
waiting AS (
    SELECT e.desk_id, count(DISTINCT e.body::jsonb #>> '{body,file,sha256}') AS n
    FROM event e
    WHERE e.kind = 'document_attached' AND e.desk_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM file_blob b
                      WHERE b.sha256 = e.body::jsonb #>> '{body,file,sha256}')
    GROUP BY e.desk_id)
SELECT d.unit_code, u.name, d.desk_index, d.desk_id, d.app_version, d.last_sync_at,
       d.enrolled_at, d.unsent_count, d.clock_skew_ms,
       coalesce(r.n, 0), coalesce(r.open, 0), coalesce(w.n, 0), d.retired_at
FROM desk d
JOIN unit u ON u.code = d.unit_code
LEFT JOIN refused r ON r.desk_id = d.desk_id
LEFT JOIN waiting w ON w.desk_id = d.desk_id
WHERE $1::text IS NULL OR d.unit_code = $1
ORDER BY ";

/// Every desk (of `unit` when given), in `sort` order.
pub async fn list(
    client: &impl GenericClient,
    unit: Option<&str>,
    sort: Sort,
) -> Result<Vec<DeskRow>, ApiError> {
    let sql = format!("{FLEET_SQL}{}", sort.order_by());
    let rows = client.query(&sql, &[&unit]).await?;
    Ok(rows
        .iter()
        .map(|r| DeskRow {
            unit_code: r.get(0),
            unit_name: r.get(1),
            desk_index: r.get(2),
            desk_id: r.get(3),
            version: r.get(4),
            last_sync: r.get(5),
            enrolled_at: r.get(6),
            unsent: r.get(7),
            clock_skew_ms: r.get(8),
            refused: r.get(9),
            refused_unreviewed: r.get(10),
            files_waiting: r.get(11),
            retired_at: r.get(12),
        })
        .collect())
}

/// The unit codes and names, for the filter (a leader's list holds their unit only).
pub async fn units(
    client: &impl GenericClient,
    only: Option<&str>,
) -> Result<Vec<(String, String)>, ApiError> {
    let rows = client
        .query(
            "SELECT code, name FROM unit WHERE $1::text IS NULL OR code = $1 ORDER BY code",
            &[&only],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// The most unsent dossiers a desk's report is believed for (a desk holds far fewer).
pub const MAX_REPORTED_UNSENT: i64 = 100_000_000;
/// A clock skew beyond this is kept as this (a year).
pub const MAX_SKEW_MS: i64 = 366 * 24 * 3600 * 1000;

/// A desk's report as the centre keeps it: a version of printable ASCII within
/// `MAX_VERSION_CHARS` (else dropped), the unsent count within bounds, and the skew
/// of its clock against `now`, clamped. Whatever a desk sends is hostile.
pub fn checked_report(
    report: &DeskReport,
    now: DateTime<Utc>,
) -> (Option<String>, Option<i64>, Option<i64>) {
    let version = report.version.as_deref().map(str::trim).filter(|v| {
        !v.is_empty() && v.len() <= MAX_VERSION_CHARS && v.bytes().all(|b| b.is_ascii_graphic())
    });
    let unsent = report
        .unsent
        .filter(|n| (0..=MAX_REPORTED_UNSENT).contains(n));
    let skew = report.desk_time.map(|t| {
        (t - now)
            .num_milliseconds()
            .clamp(-MAX_SKEW_MS, MAX_SKEW_MS)
    });
    (version.map(str::to_string), unsent, skew)
}

/// What a desk says of itself at the start of a round (`GET /v1/push`), stored on its
/// row once [`checked_report`] has bounded it.
pub async fn record_report(
    client: &impl GenericClient,
    desk: Uuid,
    report: &DeskReport,
) -> Result<(), ApiError> {
    let (version, unsent, skew_ms) = checked_report(report, Utc::now());
    if version.is_none() && unsent.is_none() && skew_ms.is_none() {
        return Ok(());
    }
    client
        .execute(
            "UPDATE desk SET app_version = coalesce($2, app_version),
                    unsent_count = coalesce($3, unsent_count),
                    clock_skew_ms = coalesce($4, clock_skew_ms), reported_at = now()
             WHERE desk_id = $1",
            &[&desk, &version, &unsent, &skew_ms],
        )
        .await?;
    Ok(())
}

/// A desk finished a round: it pulled the last page of its feed.
pub async fn record_synced(client: &impl GenericClient, desk: Uuid) -> Result<(), ApiError> {
    client
        .execute(
            "UPDATE desk SET last_sync_at = now() WHERE desk_id = $1",
            &[&desk],
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(last: Option<DateTime<Utc>>, unsent: Option<i64>) -> DeskRow {
        DeskRow {
            unit_code: "A".into(),
            unit_name: "Phường A".into(),
            desk_index: 0,
            desk_id: Uuid::nil(),
            version: None,
            last_sync: last,
            enrolled_at: Utc::now() - Duration::days(30),
            unsent,
            clock_skew_ms: None,
            refused: 0,
            refused_unreviewed: 0,
            files_waiting: 0,
            retired_at: None,
        }
    }

    #[test]
    fn a_report_is_bounded() {
        let now = Utc::now();
        let r = DeskReport {
            version: Some("<script>alert(1)</script> x".into()),
            unsent: Some(-4),
            desk_time: Some(now + Duration::days(4000)),
        };
        assert_eq!(checked_report(&r, now), (None, None, Some(MAX_SKEW_MS)));
        let r = DeskReport {
            version: Some("0.1.0".into()),
            unsent: Some(12),
            desk_time: Some(now - Duration::seconds(90)),
        };
        assert_eq!(
            checked_report(&r, now),
            (Some("0.1.0".into()), Some(12), Some(-90_000))
        );
    }

    #[test]
    fn a_desk_is_dark_after_a_day_and_its_unsent_dossiers_are_at_risk() {
        let now = Utc::now();
        let fresh = row(Some(now - Duration::hours(2)), Some(7));
        assert!(!fresh.is_dark(now));
        assert_eq!(fresh.at_risk(now), 0);
        let dark = row(Some(now - Duration::hours(25)), Some(7));
        assert!(dark.is_dark(now));
        assert_eq!(dark.at_risk(now), 7);
        let never = row(None, None);
        assert!(never.is_dark(now));
        assert_eq!(never.at_risk(now), 0);
    }
}
