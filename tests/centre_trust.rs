//! Issue #11, the centre's side: a desk is trusted only inside what it owns. Each test
//! is one row of "What was seen", played through real HTTP against the real centre on
//! PostgreSQL by a desk that holds a valid token (a stolen code, an old backup, a buggy
//! build). Answers are read as plain JSON so the tests ran unchanged against the code
//! before the fix (where each of them failed).

mod sync_support;

use chrono::{Duration, NaiveDate};
use motcua::domain::clock::{from_wall, now_vn};
use motcua::domain::dossier_code::DossierCode;
use motcua::domain::event::{Event, EventBody, EventId};
use motcua::sync::protocol::{OutboxEvent, PushRequest};
use motcua::sync::wire;
use serde_json::Value;
use sync_support::*;

struct Ward {
    db: String,
    centre: Centre,
    /// Desk 0 of unit A: the honest one.
    honest: Desk,
    /// Desk 1 of unit A: faulty or hostile, with a valid token.
    rogue: Desk,
    rogue_token: String,
}

fn token(desk: &Desk) -> String {
    desk.store()
        .enrollment()
        .expect("read")
        .expect("enrolled")
        .token
}

fn desk_id(desk: &Desk) -> String {
    desk.store().desk().expect("desk").desk_id
}

fn ward() -> Ward {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let honest = Desk::new(UNIT_A, 0);
    let rogue = Desk::new(UNIT_A, 1);
    honest
        .enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolls");
    rogue
        .enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(1)))
        .expect("enrolls");
    let rogue_token = token(&rogue);
    Ward {
        db,
        centre,
        honest,
        rogue,
        rogue_token,
    }
}

/// Posts a batch; returns the status and the answer as JSON (or the text as a string).
fn push(url: &str, token: &str, events: Vec<(i64, Event)>) -> (u16, Value) {
    let body = wire::to_gzip_json(&PushRequest {
        events: events
            .into_iter()
            .map(|(seq, event)| OutboxEvent { seq, event })
            .collect(),
    });
    block_on(async {
        let resp = reqwest::Client::new()
            .post(format!("{url}/v1/push"))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Encoding", "gzip")
            .body(body)
            .send()
            .await
            .expect("answer");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    })
}

/// The honest desk's first own event (a receipt), as a template to forge from.
fn a_receipt(desk: &Desk) -> Event {
    desk.store()
        .outbox_after(0, 1)
        .expect("outbox")
        .into_iter()
        .next()
        .expect("one event")
        .1
}

/// `template` re-signed by `origin` under a fresh id.
fn forged(template: &Event, origin: &str) -> Event {
    Event {
        id: EventId::new(),
        origin: origin.to_string(),
        ..template.clone()
    }
}

fn count(db: &str, where_: &str) -> i64 {
    centre_count(db, &format!("event WHERE {where_}"))
}

fn refused_seqs(answer: &Value) -> Vec<i64> {
    answer["refused"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["seq"].as_i64()).collect())
        .unwrap_or_default()
}

#[test]
fn row1_a_receipt_in_another_desks_range_is_quarantined_and_the_owner_keeps_syncing() {
    let w = ward();
    let codes = w.honest.take_dossiers(2);
    // The rogue desk claims the honest desk's first number before it syncs.
    let mut planted = forged(&a_receipt(&w.honest), &desk_id(&w.rogue));
    if let EventBody::Received { content } = &mut planted.body {
        content.applicant.full_name = "Kẻ Mạo Danh".into();
    }
    let (status, answer) = push(&w.centre.url(), &w.rogue_token, vec![(1, planted)]);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![1], "{answer}");
    assert_eq!(answer["acked_seq"], 1, "the rogue desk is not stuck either");
    let reason = answer["refused"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("1001–1999"), "{reason}");
    assert_eq!(
        count(&w.db, &format!("origin = '{}'", desk_id(&w.rogue))),
        0
    );

    // The real dossier reaches the centre and the honest desk is not blocked.
    let report = w.honest.sync(None).expect("the honest desk syncs");
    assert_eq!(report.acked_seq, 2);
    assert_eq!(
        count(&w.db, &format!("dossier_code = '{}'", codes[0])),
        1,
        "the citizen's real dossier is held"
    );
    // The operator sees it.
    let listed = w.centre.admin(&["quarantine"]);
    assert!(
        listed.contains(&codes[0]) && listed.contains("1001–1999"),
        "{listed}"
    );
}

#[test]
fn row3_an_event_for_a_dossier_the_centre_does_not_hold_is_quarantined() {
    let w = ward();
    let template = {
        let codes = w.honest.take_dossiers(1);
        w.honest.sync(None).expect("sync");
        let mut e = forged(&a_receipt(&w.honest), &desk_id(&w.rogue));
        // The honest desk's next number, not taken yet.
        e.dossier = DossierCode::parse(&codes[0].replace("-0001", "-0002")).expect("code");
        e
    };
    let withdrawn = Event {
        body: EventBody::Withdrawn {
            note: "rút trước".into(),
        },
        at: now_vn(),
        ..template.clone()
    };
    let ready = Event {
        id: EventId::new(),
        body: EventBody::ResultReady {
            note: String::new(),
        },
        ..withdrawn.clone()
    };
    let (status, answer) = push(
        &w.centre.url(),
        &w.rogue_token,
        vec![(1, withdrawn), (2, ready)],
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![1, 2], "{answer}");
    assert_eq!(answer["acked_seq"], 2);
    assert_eq!(
        count(&w.db, &format!("dossier_code = '{}'", template.dossier)),
        0
    );

    // The citizen who comes next gets that number, and a fresh dossier, not a withdrawn one.
    let codes = w.honest.take_dossiers(1);
    assert_eq!(codes[0], template.dossier.to_string());
    w.honest.sync(None).expect("sync");
    assert_eq!(
        w.honest.status_of(&codes[0]),
        2,
        "Đã tiếp nhận, not Công dân đã rút"
    );
}

#[test]
fn row4_events_at_absurd_times_are_refused() {
    let w = ward();
    let codes = w.honest.take_dossiers(1);
    w.honest.sync(None).expect("sync");
    let honest_id = desk_id(&w.honest);
    let receipt = a_receipt(&w.honest);
    let at = |y: i32, m: u32, d: u32| {
        from_wall(
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(8, 0, 0))
                .expect("date"),
        )
    };
    let ready_at = |t| Event {
        id: EventId::new(),
        at: t,
        body: EventBody::ResultReady {
            note: String::new(),
        },
        ..forged(&receipt, &honest_id)
    };
    let events = vec![
        (2, ready_at(at(1900, 1, 1))),
        (3, ready_at(at(2999, 1, 1))),
        (4, ready_at(at(9999, 12, 31))),
        (5, ready_at(now_vn() + Duration::hours(2))),
    ];
    let (status, answer) = push(&w.centre.url(), &token(&w.honest), events);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![2, 3, 4, 5], "{answer}");
    assert_eq!(
        count(
            &w.db,
            &format!("dossier_code = '{}' AND kind = 'result_ready'", codes[0])
        ),
        0
    );
    // A receipt antedated to 1900 is refused too, and a sane event after it still goes in.
    let mut old = forged(&receipt, &honest_id);
    if let EventBody::Received { content } = &mut old.body {
        content.received_at = at(1900, 1, 1);
    }
    let fine = Event {
        id: EventId::new(),
        at: now_vn(),
        body: EventBody::ResultReady {
            note: String::new(),
        },
        ..forged(&receipt, &honest_id)
    };
    let (status, answer) = push(
        &w.centre.url(),
        &token(&w.honest),
        vec![(6, old), (7, fine)],
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![6], "{answer}");
    assert_eq!(answer["acked_seq"], 7);
    assert_eq!(
        count(
            &w.db,
            &format!("dossier_code = '{}' AND kind = 'result_ready'", codes[0])
        ),
        1
    );
}

#[test]
fn row5_text_intake_would_refuse_is_refused_on_push_without_blocking_the_rest() {
    let w = ward();
    let codes = w.honest.take_dossiers(1);
    let honest_id = desk_id(&w.honest);
    let receipt = a_receipt(&w.honest);
    let named = |number: u16, name: String| {
        let mut e = forged(&receipt, &honest_id);
        e.dossier =
            DossierCode::parse(&codes[0].replace("-0001", &format!("-{number:04}"))).expect("code");
        if let EventBody::Received { content } = &mut e.body {
            content.applicant.full_name = name;
        }
        e
    };
    let bad_names = [
        "Nguyễn ".repeat(150_000),
        String::new(),
        "Nguyễn\u{0}Hoa".into(),
        "Nguyễn\nHoa".into(),
        "Nguyễn \u{1b}]0;pwned\u{7}\u{1b}[2J Hoa".into(),
        "Nguyễn \u{202E}aoH".into(),
    ];
    let mut events = vec![(1, receipt.clone())];
    for (i, name) in bad_names.into_iter().enumerate() {
        events.push((i as i64 + 2, named(i as u16 + 10, name)));
    }
    // A later valid event of the same desk.
    events.push((
        8,
        Event {
            id: EventId::new(),
            at: now_vn(),
            body: EventBody::ResultReady {
                note: String::new(),
            },
            ..forged(&receipt, &honest_id)
        },
    ));
    let (status, answer) = push(&w.centre.url(), &token(&w.honest), events.clone());
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![2, 3, 4, 5, 6, 7], "{answer}");
    assert_eq!(answer["acked_seq"], 8);
    assert_eq!(
        count(&w.db, "kind = 'received'"),
        1,
        "only the genuine receipt"
    );
    assert_eq!(count(&w.db, "kind = 'result_ready'"), 1, "not blocked");
    for r in answer["refused"].as_array().expect("list") {
        let reason = r["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains("Họ và tên") || reason.contains("full_name"),
            "{reason}"
        );
        assert!(
            !reason.contains("pwned") && !reason.contains('\u{1b}'),
            "{reason}"
        );
    }
    // A resend (the answer was lost) is reported the same way and writes nothing twice.
    let (status, again) = push(&w.centre.url(), &token(&w.honest), events);
    assert_eq!(status, 200, "{again}");
    assert_eq!(refused_seqs(&again), vec![2, 3, 4, 5, 6, 7], "{again}");
    assert_eq!(again["acked_seq"], 8);
    let listed = w.centre.admin(&["quarantine", "--unit", UNIT_A]);
    assert_eq!(listed.lines().count(), 6, "{listed}");
    assert!(!listed.contains('\u{1b}'), "{listed}");
}

#[test]
fn row9_a_query_value_is_not_echoed_raw() {
    let w = ward();
    let (status, text) = block_on(async {
        let resp = reqwest::Client::new()
            .get(format!(
                "{}/v1/pull?unit=H22%0AFORGED%20LINE%1B%5B31m%00",
                w.centre.url()
            ))
            .header("Authorization", format!("Bearer {}", w.rogue_token))
            .send()
            .await
            .expect("answer");
        (resp.status().as_u16(), resp.text().await.expect("body"))
    });
    assert_eq!(status, 403, "{text}");
    let message: Value = serde_json::from_str(&text).expect("json");
    let message = message["error"].as_str().expect("error");
    assert!(
        !message.contains('\n') && !message.contains('\u{1b}') && !message.contains('\0'),
        "{message:?}"
    );
}
