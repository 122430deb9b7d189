use super::*;

fn period() -> Period {
    Period::preset("2026-Q2").expect("valid")
}

fn contribution(facts: &DossierFacts<'_>, period: &Period) -> Option<Counts> {
    super::contribution(facts, &PeriodKeys::from(period))
}

fn facts<'a>(received: &'a str, due: &'a str) -> DossierFacts<'a> {
    DossierFacts::new(Channel::InPerson, Status::Processing, received, due)
}

#[test]
fn presets_and_keys() {
    let q2 = period();
    assert_eq!(q2.from, NaiveDate::from_ymd_opt(2026, 4, 1).expect("date"));
    assert_eq!(q2.to, NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"));
    assert_eq!(q2.start_key(), "2026-04-01T00:00:00+07:00");
    assert_eq!(q2.end_key(), "2026-07-01T00:00:00+07:00");
    let y = Period::preset("2026").expect("year");
    assert_eq!(
        (y.from.to_string(), y.to.to_string()),
        ("2026-01-01".into(), "2026-12-31".into())
    );
    assert_eq!(
        Period::preset("2026-q4").expect("q4").to.to_string(),
        "2026-12-31"
    );
    assert!(Period::preset("2026-Q5").is_err());
    assert!(Period::new(q2.to, q2.from).is_err());
    assert_eq!(q2.describe_vi(), "Từ ngày 01/04/2026 đến ngày 30/06/2026");
}

#[test]
fn resolved_early_on_time_and_late_by_the_appointment_s_minute() {
    let p = period();
    let mut early = facts("2026-05-04T09:00:00+07:00", "2026-05-07T09:00:00+07:00");
    early.result_ready_at = Some("2026-05-06T16:00:00+07:00");
    early.status = Status::ResultReady;
    let c = contribution(&early, &p).expect("in period");
    assert_eq!((c.received_direct, c.resolved_early), (1, 1));

    // Within the appointment's minute: đúng hạn.
    let mut on_time = early;
    on_time.result_ready_at = Some("2026-05-07T09:00:30+07:00");
    assert_eq!(contribution(&on_time, &p).expect("in").resolved_on_time, 1);
    // Hours after the printed time on the due day: quá hạn (QĐ 766 compares times).
    let mut same_day = early;
    same_day.result_ready_at = Some("2026-05-07T16:59:00+07:00");
    assert_eq!(contribution(&same_day, &p).expect("in").resolved_late, 1);

    // An hour late, crossing midnight into the next day: quá hạn.
    let mut late = facts("2026-05-04T09:00:00+07:00", "2026-05-07T23:30:00+07:00");
    late.result_ready_at = Some("2026-05-08T00:30:00+07:00");
    assert_eq!(contribution(&late, &p).expect("in").resolved_late, 1);
    // Returned without a separate result-ready record counts by its return.
    let mut returned = facts("2026-05-04T09:00:00+07:00", "2026-05-07T09:00:00+07:00");
    returned.returned_at = Some("2026-05-07T08:00:00+07:00");
    assert_eq!(contribution(&returned, &p).expect("in").resolved_early, 1);
}

#[test]
fn pending_across_the_period_boundaries() {
    let p = period();
    // Received in March, resolved in April: carried over and resolved.
    let mut carried = facts("2026-03-30T09:00:00+07:00", "2026-04-02T09:00:00+07:00");
    carried.result_ready_at = Some("2026-04-03T10:00:00+07:00");
    let c = contribution(&carried, &p).expect("in");
    assert_eq!(
        (c.carried_over, c.received_direct, c.resolved_late),
        (1, 0, 1)
    );
    // Resolved before the period: not in it at all.
    carried.result_ready_at = Some("2026-03-31T10:00:00+07:00");
    assert_eq!(contribution(&carried, &p), None);
    // Received after the period: not in it.
    assert_eq!(
        contribution(
            &facts("2026-07-01T07:00:00+07:00", "2026-07-03T07:00:00+07:00"),
            &p
        ),
        None
    );
    // Still open at the end, due after it: pending in time; due before it: pending late.
    let open_in_time = facts("2026-06-29T09:00:00+07:00", "2026-07-02T09:00:00+07:00");
    assert_eq!(
        contribution(&open_in_time, &p).expect("in").pending_in_time,
        1
    );
    let open_late = facts("2026-06-22T09:00:00+07:00", "2026-06-25T09:00:00+07:00");
    assert_eq!(contribution(&open_late, &p).expect("in").pending_late, 1);
    // Resolved after the period ends: pending at the end of this one.
    let mut later = open_late;
    later.result_ready_at = Some("2026-07-02T09:00:00+07:00");
    assert_eq!(contribution(&later, &p).expect("in").pending_late, 1);
}

#[test]
fn supplement_waiting_online_and_closed_dossiers() {
    let p = period();
    let mut waiting = facts("2026-06-01T09:00:00+07:00", "2026-06-04T09:00:00+07:00");
    waiting.status = Status::SupplementRequested;
    waiting.channel = Channel::Online;
    waiting.waiting_since = Some("2026-06-02T09:00:00+07:00");
    let c = contribution(&waiting, &p).expect("in");
    assert_eq!(
        (c.received_online, c.pending_in_time, c.pending_late),
        (1, 1, 0)
    );
    // Asked for papers only after the appointment had passed: late (QĐ 766 2.1).
    waiting.waiting_since = Some("2026-06-05T09:00:00+07:00");
    let c = contribution(&waiting, &p).expect("in");
    assert_eq!((c.pending_in_time, c.pending_late), (0, 1));
    // A second request: late.
    waiting.waiting_since = Some("2026-06-03T09:00:00+07:00");
    waiting.second_supplement_at = Some("2026-06-03T09:00:00+07:00");
    let c = contribution(&waiting, &p).expect("in");
    assert_eq!((c.pending_in_time, c.pending_late), (0, 1));
    // Closed without a result by the due day: on time (domain::on_time).
    let mut withdrawn = facts("2026-06-01T09:00:00+07:00", "2026-06-04T09:00:00+07:00");
    withdrawn.status = Status::Withdrawn;
    withdrawn.closed_at = Some("2026-06-03T09:00:00+07:00");
    assert_eq!(
        contribution(&withdrawn, &p).expect("in").resolved_on_time,
        1
    );
    // After the due day: late, the limit had already passed.
    withdrawn.closed_at = Some("2026-06-10T09:00:00+07:00");
    assert_eq!(contribution(&withdrawn, &p).expect("in").resolved_late, 1);
}

#[test]
fn totals_and_rate() {
    let c = Counts {
        carried_over: 2,
        received_online: 3,
        received_direct: 5,
        resolved_early: 6,
        resolved_on_time: 1,
        resolved_late: 1,
        pending_in_time: 1,
        pending_late: 1,
    };
    assert_eq!(
        (c.received_total(), c.resolved_total(), c.pending_total()),
        (10, 8, 2)
    );
    assert_eq!(c.on_time_rate(), Some(7.0 / 8.0));
    assert_eq!(Counts::default().on_time_rate(), None);
    let line = |code: &str, n| ProcedureLine {
        code: code.into(),
        name: code.into(),
        counts: Counts {
            received_direct: n,
            ..Counts::default()
        },
    };
    let r = Report::assemble(
        "Phường Hồng Gai".into(),
        period(),
        vec![
            ("Hộ tịch".into(), line("1.004873", 2)),
            ("Chứng thực".into(), line("2.000884", 3)),
            ("Hộ tịch".into(), line("1.001193", 4)),
        ],
    );
    assert_eq!(r.groups[0].field, "Chứng thực");
    assert_eq!(r.groups[1].procedures[0].code, "1.001193");
    assert_eq!(r.groups[1].subtotal.received_direct, 6);
    assert_eq!(r.total.received_direct, 9);
}

/// A report of a period that has not ended yet judges open dossiers now, not at the
/// period's end: a dossier due next week is not late today (issue 12 §6).
#[test]
fn open_dossiers_of_a_running_period_are_judged_now() {
    let year = Period::preset("2026").expect("year");
    let open = facts("2026-11-27T09:00:00+07:00", "2026-12-04T09:00:00+07:00");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-29T10:00:00+07:00").expect("now");
    let c = super::contribution(&open, &PeriodKeys::at(&year, now)).expect("in period");
    assert_eq!((c.pending_in_time, c.pending_late), (1, 0));
    // Past its due time it is late, whether judged now or at the period's end.
    let overdue = facts("2026-11-20T09:00:00+07:00", "2026-11-27T09:00:00+07:00");
    let c = super::contribution(&overdue, &PeriodKeys::at(&year, now)).expect("in period");
    assert_eq!((c.pending_in_time, c.pending_late), (0, 1));
    // A period that has ended is judged at its end, however late the report is made.
    let q2 = period();
    let june = facts("2026-06-22T09:00:00+07:00", "2026-07-02T09:00:00+07:00");
    let c = super::contribution(&june, &PeriodKeys::at(&q2, now)).expect("in period");
    assert_eq!((c.pending_in_time, c.pending_late), (1, 0));
}

#[test]
fn the_console_names_a_month_a_quarter_or_a_year() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let may = Period::named("2026-05").expect("month");
    assert_eq!((may.from, may.to), (day(2026, 5, 1), day(2026, 5, 31)));
    let dec = Period::named(" 2026-12 ").expect("december");
    assert_eq!((dec.from, dec.to), (day(2026, 12, 1), day(2026, 12, 31)));
    let feb = Period::named("2028-02").expect("leap february");
    assert_eq!(feb.to, day(2028, 2, 29));
    // "2026-01" is January, not the first quarter.
    assert_eq!(
        Period::named("2026-01").expect("january").to,
        day(2026, 1, 31)
    );
    let q2 = Period::named("2026-Q2").expect("quarter");
    assert_eq!((q2.from, q2.to), (day(2026, 4, 1), day(2026, 6, 30)));
    assert_eq!(Period::named("2026").expect("year").to, day(2026, 12, 31));
    for bad in ["2026-13", "2026-00", "2026-Q5", "tháng 5", ""] {
        let e = Period::named(bad).expect_err(bad).to_string();
        assert!(e.contains("2026-05 (tháng)"), "{bad}: {e}");
    }
}
