//! The scorecard on a dataset that takes every branch of the QĐ 766 indicator 2.1 rule,
//! against a count made by hand (below, per dossier).

use super::*;
use crate::domain::on_time::{Finish, Supplements};

fn t(s: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-{s}+07:00")).expect("time")
}

struct Row {
    code: &'static str,
    received: &'static str,
    due: &'static str,
    finish: Option<Finish<&'static str>>,
    supplements: (Option<&'static str>, Option<&'static str>, i64),
    synced: bool,
    digitised: bool,
    /// The class written by hand, at the end of May.
    class: Option<Timeliness>,
}

#[allow(non_snake_case)]
fn R(s: &'static str) -> Option<Finish<&'static str>> {
    Some(Finish::Result(s))
}

#[allow(non_snake_case)]
fn C(s: &'static str) -> Option<Finish<&'static str>> {
    Some(Finish::NoResult(s))
}
const NONE: (Option<&str>, Option<&str>, i64) = (None, None, 0);

use Timeliness::{Early, Late, OnTime, PendingInTime as InTime, PendingLate as Overdue};

/// May 2026, judged after it ended. `supplements` = (second request, waiting since,
/// seconds waited).
fn rows() -> Vec<Row> {
    let row = |code, received, due, finish, supplements, synced, digitised, class| Row {
        code,
        received,
        due,
        finish,
        supplements,
        synced,
        digitised,
        class,
    };
    vec![
        // Same-day procedure ready 5½ hours before its 16:30: trước hạn.
        row(
            "D01",
            "05-04T09:00:00",
            "05-04T16:30:00",
            R("05-04T11:00:00"),
            NONE,
            true,
            true,
            Some(Early),
        ),
        // Ready within the printed minute: đúng hạn.
        row(
            "D02",
            "05-05T08:00:00",
            "05-07T10:00:00",
            R("05-07T10:00:40"),
            NONE,
            true,
            false,
            Some(OnTime),
        ),
        // Ready five hours after the printed time, the same day: quá hạn.
        row(
            "D03",
            "05-05T09:00:00",
            "05-07T10:00:00",
            R("05-07T15:00:00"),
            NONE,
            false,
            true,
            Some(Late),
        ),
        // Withdrawn before the appointment: đúng hạn (never trước hạn).
        row(
            "D04",
            "05-06T09:00:00",
            "05-08T10:00:00",
            C("05-07T09:00:00"),
            NONE,
            true,
            false,
            Some(OnTime),
        ),
        // Stopped after the appointment: quá hạn.
        row(
            "D05",
            "05-06T09:00:00",
            "05-08T10:00:00",
            C("05-11T09:00:00"),
            NONE,
            true,
            false,
            Some(Late),
        ),
        // Ready a day after the appointment, two days waited for papers: trước hạn.
        row(
            "D06",
            "05-11T09:00:00",
            "05-14T09:00:00",
            R("05-15T09:00:00"),
            (None, None, 172_800),
            true,
            true,
            Some(Early),
        ),
        // Asked for papers twice, then ready early: quá hạn.
        row(
            "D07",
            "05-11T09:00:00",
            "05-20T09:00:00",
            R("05-15T09:00:00"),
            (Some("05-13T09:00:00"), None, 3600),
            true,
            true,
            Some(Late),
        ),
        // Waiting for papers asked before the appointment: trong hạn.
        row(
            "D08",
            "05-12T09:00:00",
            "05-15T09:00:00",
            None,
            (None, Some("05-13T09:00:00"), 0),
            false,
            false,
            Some(InTime),
        ),
        // Waiting for papers asked after the appointment: quá hạn.
        row(
            "D09",
            "05-12T09:00:00",
            "05-15T09:00:00",
            None,
            (None, Some("05-18T09:00:00"), 0),
            true,
            false,
            Some(Overdue),
        ),
        // Waiting after a second request: quá hạn.
        row(
            "D10",
            "05-12T09:00:00",
            "05-25T09:00:00",
            None,
            (Some("05-20T09:00:00"), Some("05-20T09:00:00"), 3600),
            true,
            true,
            Some(Overdue),
        ),
        // Open, due after the period: trong hạn.
        row(
            "D11",
            "05-29T09:00:00",
            "06-03T09:00:00",
            None,
            NONE,
            false,
            false,
            Some(InTime),
        ),
        // Open, due in the period: quá hạn.
        row(
            "D12",
            "05-20T09:00:00",
            "05-25T09:00:00",
            None,
            NONE,
            true,
            true,
            Some(Overdue),
        ),
        // Ready in June, due in May: open and late at the end of May.
        row(
            "D13",
            "05-27T09:00:00",
            "05-29T09:00:00",
            R("06-02T09:00:00"),
            NONE,
            true,
            false,
            Some(Overdue),
        ),
        // Received in June: not in May.
        row(
            "D14",
            "06-02T09:00:00",
            "06-05T09:00:00",
            None,
            NONE,
            true,
            true,
            None,
        ),
        // Finished in April: not in May.
        row(
            "D15",
            "04-20T09:00:00",
            "04-23T09:00:00",
            R("04-22T09:00:00"),
            NONE,
            true,
            true,
            None,
        ),
        // Carried over from April, ready an hour early: trước hạn; counts in 2.1 and
        // 5.4, not in 1.4 and 4.x (received before the period).
        row(
            "D16",
            "04-28T09:00:00",
            "05-04T09:00:00",
            R("05-04T08:00:00"),
            NONE,
            false,
            false,
            Some(Early),
        ),
    ]
}

fn dossier(r: &Row) -> ScoreDossier {
    let (second, waiting, waited) = r.supplements;
    ScoreDossier {
        code: r.code.into(),
        received_at: t(r.received),
        progress: Progress {
            due: t(r.due),
            finish: r.finish.map(|f| match f {
                Finish::Result(s) => Finish::Result(t(s)),
                Finish::NoResult(s) => Finish::NoResult(t(s)),
            }),
            supplements: Supplements {
                second_request_at: second.map(t),
                waiting_since: waiting.map(t),
                waited_secs: waited,
            },
        },
        synced: r.synced,
        digitised: r.digitised,
    }
}

fn may() -> Period {
    Period::new(
        chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("day"),
        chrono::NaiveDate::from_ymd_opt(2026, 5, 31).expect("day"),
    )
    .expect("period")
}

fn codes(i: &Indicator) -> Vec<&str> {
    i.costs.iter().map(|c| c.code.as_str()).collect()
}

#[test]
fn each_dossier_takes_the_branch_written_by_hand() {
    let end = t("06-01T00:00:00");
    for r in rows() {
        let Some(expected) = r.class else { continue };
        let mut p = dossier(&r).progress;
        // A finish after May is not known at its end.
        if p.finish.is_some_and(|f| f.at() >= end) {
            p.finish = None;
        }
        assert_eq!(judge(&p, end), expected, "{}", r.code);
    }
}

#[test]
fn the_scorecard_matches_the_hand_count() {
    let dossiers: Vec<ScoreDossier> = rows().iter().map(dossier).collect();
    let card = scorecard(&dossiers, &may(), t("06-15T08:00:00"));
    // 2.1: D01–D13 and D16 (14); late: D03 D05 D07 D09 D10 D12 D13 (7).
    assert_eq!((card.on_time.met, card.on_time.of), (7, 14));
    assert_eq!(
        codes(&card.on_time),
        ["D03", "D05", "D07", "D09", "D10", "D12", "D13"]
    );
    assert_eq!(card.on_time.rate(), Some(0.5));
    assert_eq!(card.on_time.costs[4].why, "Đang giải quyết, đã quá hẹn");
    assert_eq!(card.on_time.costs[0].why, "Giải quyết quá hạn");
    // 1.4: received in May, D01–D13 (13); not synced: D03 D08 D11.
    assert_eq!((card.synced.met, card.synced.of), (10, 13));
    assert_eq!(codes(&card.synced), ["D03", "D08", "D11"]);
    // 4.2/4.3: digitised D01 D03 D06 D07 D10 D12 (6 of 13).
    assert_eq!((card.digitised.met, card.digitised.of), (6, 13));
    assert_eq!(
        codes(&card.digitised),
        ["D02", "D04", "D05", "D08", "D09", "D11", "D13"]
    );
    let share = card.digitised.share_of_points().expect("share");
    assert!((share - (6.0 / 13.0) / 0.8).abs() < 1e-9, "{share}");
    // 5.4: 100% − 50% late, no complaint data: 7 of 14, half of 90%.
    assert_eq!((card.satisfaction.met, card.satisfaction.of), (7, 14));
    assert_eq!(codes(&card.satisfaction), codes(&card.on_time));
    assert!(card.satisfaction.note.is_some());
}

#[test]
fn an_empty_period_has_no_rate() {
    let card = scorecard(&[], &may(), t("06-15T08:00:00"));
    for i in card.indicators() {
        assert_eq!((i.met, i.of, i.rate()), (0, 0, None), "{}", i.id);
    }
}

#[test]
fn a_running_period_judges_open_dossiers_now() {
    let rows = rows();
    let d11 = rows
        .iter()
        .find(|r| r.code == "D11")
        .map(dossier)
        .expect("D11");
    // Judged on 30/5: D11 (due 3/6) in time; D12 (due 25/5) already late.
    let d12 = rows
        .iter()
        .find(|r| r.code == "D12")
        .map(dossier)
        .expect("D12");
    let card = scorecard(&[d11, d12], &may(), t("05-30T08:00:00"));
    assert_eq!((card.on_time.met, card.on_time.of), (1, 2));
}
