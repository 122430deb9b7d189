//! The centre's restored-backup guard (issue 21), as the desk has its own.
//!
//! A centre restored from a backup older than what its desks hold (a dump, a
//! point-in-time recovery, a failover to a lagging replica) lost the feed numbers
//! after the backup, and hands them out again to other events: the events that come
//! back from their desks and the new ones. A desk whose cursor had passed those numbers
//! would never pull them. So:
//! - every new database connection runs `centre_check_epoch()` (migration 0012): when
//!   the database is not the one the centre last ran on (cluster, timeline, database
//!   oid), a new epoch starts and each unit's feed head as restored is kept
//!   (`unit_feed.epoch_head`). A restore always ends every connection, so the first
//!   connection to the restored database runs the check before any push is taken;
//! - the desk sends the epoch it last pulled under; a desk of an older epoch, or one
//!   whose cursor is past the unit's head, is served again from the restored head
//!   ([`start_after`]). It forgets the centre's numbers after that point and applies
//!   what it already holds as no change. A desk older than the guard sends no epoch
//!   and is served as before (it would refuse a page starting before its cursor).
//!
//! The desks' pushes need no guard: the centre answers the seq it holds, and a desk
//! sends again from there.

use deadpool_postgres::{Hook, HookError};

use crate::centre::error::ApiError;

/// Runs the epoch check on every new connection. Before migration 0012 the function
/// does not exist yet and nothing is checked (the migration records the identity).
pub fn check_on_connect() -> Hook {
    Hook::async_fn(|client, _| {
        Box::pin(async move {
            client
                .batch_execute(
                    "DO $$ BEGIN
                         IF to_regproc('centre_check_epoch') IS NOT NULL THEN
                             PERFORM centre_check_epoch();
                         END IF;
                     END $$",
                )
                .await
                .map_err(HookError::Backend)
        })
    })
}

/// Where a unit's pull starts, and the epoch it is served under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullStart {
    pub epoch: String,
    /// The cursor the page is read after: the desk's own, or less after a restore.
    pub after: i64,
}

/// The start of a pull after `after` for a desk that last pulled under `desk_epoch`,
/// when the unit's feed head is `head` and the epoch began at `epoch_head` (none: the
/// centre was never restored). A desk of another epoch, or past the head, may have
/// passed numbers the restore handed out again: it is served from the restored head.
pub fn start_after(
    after: i64,
    desk_epoch: Option<&str>,
    epoch: &str,
    head: i64,
    epoch_head: Option<i64>,
) -> i64 {
    // A desk that sends no epoch is older than the guard and would refuse a page
    // that starts before its cursor: it is served as before.
    let Some(desk_epoch) = desk_epoch else {
        return after;
    };
    let restored = epoch_head.unwrap_or(head).min(head);
    if desk_epoch != epoch || after > head {
        after.min(restored).max(0)
    } else {
        after
    }
}

/// Reads the epoch and the unit's heads and works out where its pull starts.
pub async fn pull_start(
    client: &deadpool_postgres::Client,
    unit: &str,
    after: i64,
    desk_epoch: Option<&str>,
) -> Result<PullStart, ApiError> {
    let row = client
        .query_one(
            "SELECT e.epoch::text, f.next_seq - 1, f.epoch_head
             FROM centre_epoch e, unit_feed f WHERE f.unit_code = $1",
            &[&unit],
        )
        .await?;
    let epoch: String = row.get(0);
    let after = start_after(after, desk_epoch, &epoch, row.get(1), row.get(2));
    Ok(PullStart { epoch, after })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "e2";

    #[test]
    fn a_desk_of_this_epoch_within_the_head_goes_on_from_its_cursor() {
        assert_eq!(start_after(40, Some(NOW), NOW, 50, Some(30)), 40);
        assert_eq!(start_after(40, None, NOW, 50, None), 40);
    }

    #[test]
    fn a_desk_of_an_older_epoch_is_served_again_from_the_restored_head() {
        assert_eq!(start_after(40, Some("e1"), NOW, 50, Some(30)), 30);
        // Behind the restored head: nothing it holds was handed out again.
        assert_eq!(start_after(20, Some("e1"), NOW, 50, Some(30)), 20);
    }

    #[test]
    fn a_cursor_past_the_head_is_never_kept() {
        assert_eq!(start_after(60, Some(NOW), NOW, 50, Some(30)), 30);
        assert_eq!(start_after(60, Some(NOW), NOW, 50, None), 50);
    }

    #[test]
    fn a_desk_older_than_the_guard_is_served_as_before() {
        assert_eq!(start_after(60, None, NOW, 50, Some(30)), 60);
        assert_eq!(start_after(40, None, NOW, 50, Some(30)), 40);
    }
}
