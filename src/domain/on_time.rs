//! The one rule that classes a dossier early / on time / late (trước hạn / đúng hạn /
//! quá hạn) or, still open, in time / late. The dossier's lifecycle (`classify`, used by
//! the centre's statistics and the control slip), Biểu 06 (`report::contribution`) and
//! the dashboard all call [`judge`], so their figures cannot disagree.
//!
//! - **With a result** (result ready, or returned): by the day the result was ready
//!   against the due day (the current due time: restarted by a supplement, extended by a
//!   Mẫu 04): earlier day = trước hạn, same day = đúng hạn, later day = quá hạn. The
//!   control slip's column and Biểu 06 judge by day (design §3).
//! - **Closed without a result** (refused / returned unresolved, withdrawn by the
//!   citizen, stopped): an answer the office owes within the limit like a result
//!   (NĐ 61/2018 Art 19(8): a refusal after review is issued within the processing
//!   period). Closed on or before the due day it counts as đúng hạn — as
//!   Biểu II.06a prints it ("Đúng hạn, bao gồm cả hồ sơ … trả lại/xin rút") — never as
//!   trước hạn, since no result was delivered early. Closed after the due day it counts
//!   as quá hạn: the limit had already passed while the office held the dossier, and a
//!   later withdrawal does not undo that.
//! - **Open** at the cut-off (now, or the end of a report's period): in time while the
//!   due time has not passed; a dossier waiting for a supplement is in time, its clock
//!   restarting from the complete dossier (NĐ 61/2018 Art 19(4)).

use std::cmp::Ordering;

use crate::domain::status::Timeliness;

/// How a dossier ended, when it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish<T> {
    /// The result was ready (or handed over) at this moment.
    Result(T),
    /// Refused, withdrawn or stopped at this moment.
    NoResult(T),
}

/// The rule (see the module docs). `T` is a moment (a timestamp, or canonical RFC 3339
/// text, which sorts the same way); `day` gives its calendar day in Vietnam time.
/// `finished` must be at or before `cutoff`; a dossier that finished later is open at the
/// cut-off and is passed as `None`.
pub fn judge<T: Ord + Copy, D: Ord>(
    finished: Option<Finish<T>>,
    due: T,
    waiting_supplement: bool,
    cutoff: T,
    day: impl Fn(T) -> D,
) -> Timeliness {
    match finished {
        Some(Finish::Result(at)) => match day(at).cmp(&day(due)) {
            Ordering::Less => Timeliness::Early,
            Ordering::Equal => Timeliness::OnTime,
            Ordering::Greater => Timeliness::Late,
        },
        Some(Finish::NoResult(at)) => match day(at).cmp(&day(due)) {
            Ordering::Less | Ordering::Equal => Timeliness::OnTime,
            Ordering::Greater => Timeliness::Late,
        },
        None if waiting_supplement || due >= cutoff => Timeliness::PendingInTime,
        None => Timeliness::PendingLate,
    }
}

/// The finish of a dossier from its projection's moments: a result (ready, else
/// returned) wins over a closing.
pub fn finish_of<T: Copy>(
    result_ready_at: Option<T>,
    returned_at: Option<T>,
    closed_at: Option<T>,
) -> Option<Finish<T>> {
    result_ready_at
        .or(returned_at)
        .map(Finish::Result)
        .or(closed_at.map(Finish::NoResult))
}

/// The calendar day of a canonical RFC 3339 time at +07:00 (its first ten characters).
pub fn text_day(key: &str) -> &str {
    key.get(..10).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(finished: Option<Finish<&str>>, due: &str, supplement: bool) -> Timeliness {
        judge(
            finished,
            due,
            supplement,
            "2026-05-10T00:00:00+07:00",
            text_day,
        )
    }

    const DUE: &str = "2026-05-07T10:00:00+07:00";

    #[test]
    fn results_by_day() {
        let r = |at| Some(Finish::Result(at));
        assert_eq!(
            j(r("2026-05-06T16:00:00+07:00"), DUE, false),
            Timeliness::Early
        );
        assert_eq!(
            j(r("2026-05-07T16:30:00+07:00"), DUE, false),
            Timeliness::OnTime
        );
        assert_eq!(
            j(r("2026-05-08T07:00:00+07:00"), DUE, false),
            Timeliness::Late
        );
    }

    #[test]
    fn closed_without_a_result_is_never_early_and_late_after_the_due_day() {
        let c = |at| Some(Finish::NoResult(at));
        assert_eq!(
            j(c("2026-05-04T09:00:00+07:00"), DUE, false),
            Timeliness::OnTime
        );
        assert_eq!(
            j(c("2026-05-07T17:00:00+07:00"), DUE, false),
            Timeliness::OnTime
        );
        assert_eq!(
            j(c("2026-05-08T09:00:00+07:00"), DUE, false),
            Timeliness::Late
        );
    }

    #[test]
    fn open_dossiers_at_the_cut_off() {
        assert_eq!(
            j(None, "2026-05-10T00:00:00+07:00", false),
            Timeliness::PendingInTime
        );
        assert_eq!(
            j(None, "2026-05-09T23:59:59+07:00", false),
            Timeliness::PendingLate
        );
        assert_eq!(
            j(None, DUE, true),
            Timeliness::PendingInTime,
            "waiting for papers"
        );
    }

    #[test]
    fn a_result_wins_over_a_closing() {
        assert_eq!(
            finish_of(Some(1), Some(2), Some(3)),
            Some(Finish::Result(1))
        );
        assert_eq!(finish_of(None, Some(2), Some(3)), Some(Finish::Result(2)));
        assert_eq!(finish_of(None, None, Some(3)), Some(Finish::NoResult(3)));
        assert_eq!(finish_of::<i32>(None, None, None), None);
    }
}
