//! How near its due time a pending dossier is: one rule for the list (F3, its colours
//! and its "due soon"/"overdue" filters) and the dashboard (F5, its late count and its
//! "about to be late" list), so both show the same dossiers.
//!
//! - The clock runs in `RUNNING` statuses only: a dossier waiting for the citizen's
//!   supplement is not late, its clock restarts when the papers come (as Biểu 06
//!   counts it).
//! - Overdue: the due time is before now.
//! - Due soon: not overdue, and due within one working day of now, counted in the
//!   unit's office hours on the work calendar, as a due time is (`soon_until`, which
//!   is itself in the window).

use serde::Serialize;

use crate::domain::calendar::WorkCalendar;
use crate::domain::clock::{Timestamp, from_wall, to_wall};
use crate::domain::due::{WorkingHours, due_at};
use crate::domain::status::Status;
use crate::domain::time_limit::{TimeLimit, TimeUnit};

/// Statuses whose due time still runs.
pub const RUNNING: [Status; 3] = [
    Status::Received,
    Status::Processing,
    Status::FinancialObligation,
];

/// Whether a dossier in `status` has its clock running.
pub fn is_running(status: Status) -> bool {
    RUNNING.contains(&status)
}

/// The running statuses' codes, comma-separated (`2, 4, 6`), for a query's `IN`.
pub fn running_code_list() -> String {
    RUNNING
        .iter()
        .map(|s| s.code().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The end of the "due soon" window from `now`: one working day later in office hours.
pub fn soon_until(now: Timestamp, calendar: &WorkCalendar, hours: &WorkingHours) -> Timestamp {
    from_wall(due_at(
        to_wall(now),
        TimeLimit::new(1, TimeUnit::WorkingDay),
        calendar,
        hours,
    ))
}

/// How soon a pending dossier is due, for colouring and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Urgency {
    Normal,
    Soon,
    Overdue,
}

/// The urgency of a dossier in `status` due at `due`, seen at `now` with the window
/// ending at `soon_until`. Generic so the store can compare its stored RFC 3339 keys
/// (all at +07:00, so their text order is their time order) without parsing them.
pub fn urgency<T: PartialOrd + ?Sized>(
    status: Status,
    due: &T,
    now: &T,
    soon_until: &T,
) -> Urgency {
    if !is_running(status) {
        Urgency::Normal
    } else if due < now {
        Urgency::Overdue
    } else if due <= soon_until {
        Urgency::Soon
    } else {
        Urgency::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::vn_offset;

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&vn_offset())
    }

    #[test]
    fn due_tuesday_afternoon_is_not_soon_on_monday_morning() {
        // Monday 16/11/2026 10:00: one working day ends Tuesday 10:00.
        let calendar = WorkCalendar::official();
        let hours = WorkingHours::default();
        let now = t("2026-11-16T10:00:00+07:00");
        let until = soon_until(now, &calendar, &hours);
        assert_eq!(until, t("2026-11-17T10:00:00+07:00"));
        let running = Status::Processing;
        let at = |s: &str| urgency(running, &t(s), &now, &until);
        assert_eq!(at("2026-11-17T15:00:00+07:00"), Urgency::Normal);
        assert_eq!(at("2026-11-17T10:00:00+07:00"), Urgency::Soon);
        assert_eq!(at("2026-11-16T10:00:00+07:00"), Urgency::Soon);
        assert_eq!(at("2026-11-16T09:59:00+07:00"), Urgency::Overdue);
        // Waiting for the citizen's papers: the clock does not run.
        let waiting = urgency(
            Status::SupplementRequested,
            &t("2026-11-16T09:00:00+07:00"),
            &now,
            &until,
        );
        assert_eq!(waiting, Urgency::Normal);
    }

    #[test]
    fn friday_afternoon_reaches_into_monday() {
        let calendar = WorkCalendar::official();
        let hours = WorkingHours::default();
        let now = t("2026-11-20T15:00:00+07:00");
        assert_eq!(
            soon_until(now, &calendar, &hours),
            t("2026-11-23T15:00:00+07:00")
        );
    }
}
