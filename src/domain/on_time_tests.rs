use super::*;
use crate::domain::clock::{from_wall, to_wall};
use chrono::NaiveDate;

fn at(d: u32, h: u32, m: u32, s: u32) -> Timestamp {
    from_wall(
        NaiveDate::from_ymd_opt(2026, 5, d)
            .and_then(|x| x.and_hms_opt(h, m, s))
            .expect("valid"),
    )
}

/// Due Thu 7/5 10:00; judged at the end of 9/5.
fn due() -> Timestamp {
    at(7, 10, 0, 0)
}

fn cutoff() -> Timestamp {
    at(10, 0, 0, 0)
}

fn with(finish: Option<Finish<Timestamp>>, supplements: Supplements) -> Timeliness {
    judge(
        &Progress {
            due: due(),
            finish,
            supplements,
        },
        cutoff(),
    )
}

fn result(t: Timestamp) -> Timeliness {
    with(Some(Finish::Result(t)), Supplements::default())
}

#[test]
fn results_compare_date_times_at_the_printed_minute() {
    // The same day, an hour before the appointment: trước hạn (by day it was đúng hạn).
    assert_eq!(result(at(7, 9, 0, 0)), Timeliness::Early);
    assert_eq!(result(at(6, 16, 0, 0)), Timeliness::Early);
    // Within the printed minute "10 giờ 00 phút": đúng hạn.
    assert_eq!(result(at(7, 10, 0, 0)), Timeliness::OnTime);
    assert_eq!(result(at(7, 10, 0, 59)), Timeliness::OnTime);
    // Hours after the printed time on the same day: quá hạn (by day it was đúng hạn).
    assert_eq!(result(at(7, 10, 1, 0)), Timeliness::Late);
    assert_eq!(result(at(7, 16, 30, 0)), Timeliness::Late);
}

#[test]
fn closed_without_a_result_is_never_early() {
    let closed = |t| with(Some(Finish::NoResult(t)), Supplements::default());
    assert_eq!(closed(at(4, 9, 0, 0)), Timeliness::OnTime);
    assert_eq!(closed(at(7, 10, 0, 30)), Timeliness::OnTime);
    assert_eq!(closed(at(7, 10, 5, 0)), Timeliness::Late);
}

#[test]
fn time_waiting_for_papers_is_taken_off_the_end() {
    // Ready at 11:00, an hour after the appointment, after 2 hours of waiting: on time
    // less the wait (09:00 < 10:00: trước hạn).
    let waited = Supplements {
        waited_secs: 2 * 3600,
        ..Supplements::default()
    };
    assert_eq!(
        with(Some(Finish::Result(at(7, 11, 0, 0))), waited),
        Timeliness::Early
    );
    // Three hours after: still an hour late.
    assert_eq!(
        with(Some(Finish::Result(at(7, 13, 0, 0))), waited),
        Timeliness::Late
    );
}

#[test]
fn waiting_for_papers_ends_at_the_request() {
    let asked = |t| Supplements {
        waiting_since: Some(t),
        ..Supplements::default()
    };
    // Asked before the appointment: in time however long the citizen takes.
    assert_eq!(with(None, asked(at(6, 9, 0, 0))), Timeliness::PendingInTime);
    // Asked after the appointment had passed: the delay was the office's.
    assert_eq!(with(None, asked(at(8, 9, 0, 0))), Timeliness::PendingLate);
    // A request after the cut-off is not known at it: judged as open at the cut-off.
    assert_eq!(with(None, asked(at(11, 9, 0, 0))), Timeliness::PendingLate);
}

#[test]
fn a_second_request_makes_the_dossier_late() {
    let twice = Supplements {
        second_request_at: Some(at(5, 9, 0, 0)),
        waiting_since: Some(at(5, 9, 0, 0)),
        waited_secs: 3600,
    };
    assert_eq!(with(None, twice), Timeliness::PendingLate);
    let done = Supplements {
        waiting_since: None,
        ..twice
    };
    assert_eq!(
        with(Some(Finish::Result(at(5, 15, 0, 0))), done),
        Timeliness::Late
    );
    // Made after the cut-off: not yet.
    let later = Supplements {
        second_request_at: Some(at(11, 9, 0, 0)),
        waiting_since: None,
        waited_secs: 3600,
    };
    assert_eq!(
        with(Some(Finish::Result(at(5, 15, 0, 0))), later),
        Timeliness::Early
    );
}

#[test]
fn open_dossiers_at_the_cut_off() {
    let open = |due: Timestamp| {
        judge(
            &Progress {
                due,
                finish: None,
                supplements: Supplements::default(),
            },
            cutoff(),
        )
    };
    assert_eq!(open(at(10, 0, 0, 0)), Timeliness::PendingInTime);
    assert_eq!(open(at(9, 23, 59, 59)), Timeliness::PendingLate);
    // A finish after the cut-off is not known at it.
    assert_eq!(result(at(11, 9, 0, 0)), Timeliness::PendingLate);
    // Less the time waited for papers.
    let waited = Supplements {
        waited_secs: 3600,
        ..Supplements::default()
    };
    let t = judge(
        &Progress {
            due: at(9, 23, 30, 0),
            finish: None,
            supplements: waited,
        },
        cutoff(),
    );
    assert_eq!(t, Timeliness::PendingInTime);
    assert_eq!(to_wall(cutoff()).to_string(), "2026-05-10 00:00:00");
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
    assert!(is_late(Timeliness::PendingLate) && !is_late(Timeliness::OnTime));
}
