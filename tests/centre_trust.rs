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
    let rogue_token = rogue.token();
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
    let mut planted = forged(&a_receipt(&w.honest), &w.rogue.desk_id());
    if let EventBody::Received { content, .. } = &mut planted.body {
        content.applicant.full_name = "Kẻ Mạo Danh".into();
    }
    let (status, answer) = push(&w.centre.url(), &w.rogue_token, vec![(1, planted)]);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![1], "{answer}");
    assert_eq!(answer["acked_seq"], 1, "the rogue desk is not stuck either");
    let reason = answer["refused"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("1001–1999"), "{reason}");
    assert_eq!(
        count(&w.db, &format!("origin = '{}'", w.rogue.desk_id())),
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
        let mut e = forged(&a_receipt(&w.honest), &w.rogue.desk_id());
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
    let honest_id = w.honest.desk_id();
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
        (5, ready_at(now_vn() + Duration::days(2))),
    ];
    let (status, answer) = push(&w.centre.url(), &w.honest.token(), events);
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
    if let EventBody::Received { content, .. } = &mut old.body {
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
        &w.honest.token(),
        vec![(6, old), (7, fine)],
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![6], "{answer}");
    assert_eq!(answer["acked_seq"], 7);
    // A refusal reason never carries what looks like an ID or phone number back.
    let mut phone = forged(&receipt, &honest_id);
    phone.dossier = DossierCode::parse(&codes[0].replace("-0001", "-0020")).expect("code");
    if let EventBody::Received { content, .. } = &mut phone.body {
        content.applicant.phone = Some("0912345678999".into());
    }
    let (status, answer) = push(&w.centre.url(), &w.honest.token(), vec![(8, phone)]);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused_seqs(&answer), vec![8], "{answer}");
    let reason = answer["refused"][0]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("điện thoại") && !reason.contains("0912345678999"),
        "{reason}"
    );
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
    let honest_id = w.honest.desk_id();
    let receipt = a_receipt(&w.honest);
    let named = |number: u16, name: String| {
        let mut e = forged(&receipt, &honest_id);
        e.dossier =
            DossierCode::parse(&codes[0].replace("-0001", &format!("-{number:04}"))).expect("code");
        if let EventBody::Received { content, .. } = &mut e.body {
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
    let (status, answer) = push(&w.centre.url(), &w.honest.token(), events.clone());
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
    let (status, again) = push(&w.centre.url(), &w.honest.token(), events);
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

/// `POST /v1/enroll` with a plain JSON body; returns status, Retry-After and the text.
fn enroll_raw(url: &str, body: Value) -> (u16, Option<String>, String) {
    block_on(async {
        let resp = reqwest::Client::new()
            .post(format!("{url}/v1/enroll"))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("answer");
        let status = resp.status().as_u16();
        let retry = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, retry, resp.text().await.expect("body"))
    })
}

fn acked_status(url: &str, token: &str) -> u16 {
    block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/v1/push"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("answer")
            .status()
            .as_u16()
    })
}

#[test]
fn row7_an_enrolled_desk_is_replaced_only_with_a_code_an_operator_pinned_for_it() {
    let w = ward();
    let victim = w.honest.desk_id();
    let victim_token = w.honest.token();
    let takeover = |code: String| json_body(&code, &victim, 0);
    // An unpinned code, then one pinned to the victim's index: both refused.
    for code in [
        enroll_code(&w.db, UNIT_A, None),
        enroll_code(&w.db, UNIT_A, Some(0)),
    ] {
        let (status, _, text) = enroll_raw(&w.centre.url(), takeover(code));
        assert_eq!(status, 409, "{text}");
        assert!(text.contains("--replace-desk 0"), "{text}");
        assert_eq!(
            acked_status(&w.centre.url(), &victim_token),
            200,
            "victim still in"
        );
    }
    // The operator who means it issues a replacement code for desk 0.
    let code = w
        .centre
        .admin(&["enroll-code", "--unit", UNIT_A, "--replace-desk", "0"]);
    let (status, _, text) = enroll_raw(&w.centre.url(), takeover(code));
    assert_eq!(status, 200, "{text}");
    assert_eq!(acked_status(&w.centre.url(), &victim_token), 401);
}

fn json_body(code: &str, desk_id: &str, index: u8) -> Value {
    serde_json::json!({
        "code": code,
        "desk_id": desk_id,
        "unit_code": UNIT_A,
        "desk_index": index,
    })
}

#[test]
fn row8_failed_enrollment_attempts_are_rate_limited() {
    let w = ward();
    let stranger = uuid::Uuid::now_v7().to_string();
    let mut limited = None;
    for i in 0..40 {
        let (status, retry, text) = enroll_raw(
            &w.centre.url(),
            json_body(&format!("AAAAA-BBBBB-CCCCC-{i:05}"), &stranger, 5),
        );
        if status == 429 {
            limited = Some((i, retry, text));
            break;
        }
        assert_eq!(status, 401, "{text}");
    }
    let (after, retry, text) = limited.expect("never limited");
    assert!(after <= 20, "limited only after {after} tries");
    let secs: u64 = retry.expect("Retry-After").parse().expect("seconds");
    assert!((1..=3600).contains(&secs), "{secs}");
    assert!(text.contains("thử lại"), "{text}");
    // A right, unused code is never refused (issue 20: a ward behind one NAT must not
    // lock out its other desks); a wrong one still waits.
    let (status, _, text) = enroll_raw(
        &w.centre.url(),
        json_body(&enroll_code(&w.db, UNIT_A, Some(5)), &stranger, 5),
    );
    assert_eq!(status, 200, "{text}");
    let (status, _, _) = enroll_raw(
        &w.centre.url(),
        json_body(
            "AAAAA-BBBBB-CCCCC-99999",
            &uuid::Uuid::now_v7().to_string(),
            6,
        ),
    );
    assert_eq!(status, 429);
}

#[test]
fn row8_a_connection_that_sends_nothing_more_is_closed() {
    use std::io::{Read, Write};
    let db = fresh_database();
    let (port, _centre) = serve_centre_process(&db, &[("MOTCUA_CENTRE_IDLE_TIMEOUT", "2")]);
    let mut held = eventually(std::time::Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())
    });
    // Half a request, then silence.
    held.write_all(b"GET /healthz HTTP/1.1\r\nHost: centre\r\n")
        .expect("write");
    held.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("timeout");
    let start = std::time::Instant::now();
    let mut buf = [0u8; 256];
    let read = held.read(&mut buf);
    let waited = start.elapsed();
    assert!(
        read.is_ok() && waited < std::time::Duration::from_secs(20),
        "a silent connection was held for {waited:?}: {read:?}"
    );
}

/// Stores `event` with `body` as the centre's row, bypassing push (data from before the
/// checks existed).
fn plant(db: &str, event: &Event, body: &str) {
    let (url, body, event) = (db.to_string(), body.to_string(), event.clone());
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        client
            .execute(
                "WITH n AS (UPDATE unit_feed SET next_seq = next_seq + 1 WHERE unit_code = $2
                            RETURNING next_seq - 1 AS seq)
                 INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, body, feed_seq)
                 SELECT $1, $2, $3, 'received', now(), 'legacy', $4, n.seq FROM n",
                &[
                    &event.id.0,
                    &event.dossier.unit().as_str(),
                    &event.dossier.to_string(),
                    &body,
                ],
            )
            .await
            .expect("insert");
        drop(client);
        let _ = task.await;
    })
}

#[test]
fn row6_a_pull_page_is_bounded_by_bytes_and_huge_events_do_not_block_a_unit() {
    let w = ward();
    let codes = w.honest.take_dossiers(1);
    let receipt = a_receipt(&w.honest);
    for number in [1501u16, 1502] {
        let mut e = forged(&receipt, "legacy");
        e.dossier =
            DossierCode::parse(&codes[0].replace("-0001", &format!("-{number}"))).expect("code");
        if let EventBody::Received { content, .. } = &mut e.body {
            content.applicant.full_name = "Nguyễn ".repeat(9 << 17);
        }
        let body = serde_json::to_string(&e).expect("json");
        assert!(body.len() > 9 << 20);
        plant(&w.db, &e, &body);
    }
    let (items, more) = block_on(async {
        let resp = reqwest::Client::new()
            .get(format!("{}/v1/pull?after=0&limit=1000", w.centre.url()))
            .header("Authorization", format!("Bearer {}", w.honest.token()))
            .send()
            .await
            .expect("answer");
        let v: Value = serde_json::from_str(&resp.text().await.expect("body")).expect("json");
        (v["items"].as_array().map_or(0, Vec::len), v["more"].clone())
    });
    assert_eq!(items, 1, "one 9 MB item per page");
    assert_eq!(more, true);
    // The desk takes the page (and refuses the absurd name) and goes on.
    let report = w
        .honest
        .sync(None)
        .expect("the unit's pulls are not blocked");
    assert_eq!(report.refused, 2);
    assert_eq!(w.honest.status_of(&codes[0]), 2);
}

/// Property: whatever batch a desk sends (receipts in any desk's range, at any time,
/// events for any dossier of its unit), the other desk's receipts stay the ones it
/// took in, it keeps syncing, and its intake keeps numbering.
#[test]
fn random_batches_from_one_desk_never_change_another_desks_receipts() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let w = ward();
    let codes = w.honest.take_dossiers(3);
    w.honest.sync(None).expect("sync");
    let receipt = a_receipt(&w.honest);
    let rogue = w.rogue.desk_id();
    let receipts_before = |w: &Ward| -> Vec<String> {
        codes
            .iter()
            .map(|c| {
                let s = w.honest.store().dossier(c).expect("dossier");
                format!(
                    "{}|{}",
                    s.content.applicant.full_name, s.content.received_at
                )
            })
            .collect()
    };
    let before = receipts_before(&w);
    let seq = std::cell::Cell::new(0i64);
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let one = (0u16..10_000, 0u8..4, -20_000i64..400, any::<bool>());
    runner
        .run(&proptest::collection::vec(one, 1..12), |batch| {
            let events: Vec<(i64, Event)> = batch
                .into_iter()
                .map(|(number, kind, minutes, name_ok)| {
                    seq.set(seq.get() + 1);
                    let mut e = forged(&receipt, &rogue);
                    let number = number.max(1);
                    e.dossier =
                        DossierCode::parse(&codes[0].replace("-0001", &format!("-{number:04}")))
                            .expect("code");
                    e.at = now_vn() + Duration::minutes(minutes);
                    e.body = match kind {
                        0 => {
                            let mut b = receipt.body.clone();
                            if let EventBody::Received { content, .. } = &mut b {
                                content.applicant.full_name = if name_ok {
                                    "Kẻ Giả Danh".into()
                                } else {
                                    "\u{1b}[2J".into()
                                };
                                content.received_at = e.at;
                            }
                            b
                        }
                        1 => EventBody::Withdrawn {
                            note: String::new(),
                        },
                        2 => EventBody::ResultReady {
                            note: String::new(),
                        },
                        _ => EventBody::Refused {
                            reason: "Không đủ điều kiện".into(),
                        },
                    };
                    (seq.get(), e)
                })
                .collect();
            let (status, answer) = push(&w.centre.url(), &w.rogue_token, events);
            prop_assert!(status == 200 || status == 409, "{status}: {answer}");
            w.honest.sync(None).map_err(TestCaseError::fail)?;
            prop_assert_eq!(receipts_before(&w), before.clone());
            Ok(())
        })
        .expect("property holds");
    // Its intake still numbers after everything the other desk sent.
    let next = w.honest.take_dossiers(1);
    assert!(next[0].ends_with("-0004"), "{next:?}");
    w.honest.sync(None).expect("sync");
}

#[test]
fn a_desk_trusts_a_private_ca_given_as_a_pem_file() {
    use std::process::Command;
    let db = fresh_database();
    add_units(&db);
    let centre = start_tls_centre(&db);
    let (port, cert) = (centre.port, centre.cert.clone());
    let desk = Desk::new(UNIT_A, 0);
    let code = enroll_code(&db, UNIT_A, Some(0));
    let enroll = |ca: Option<&std::path::Path>| {
        let mut c = Command::new(desk_bin());
        c.env("MOTCUA_DATA_DIR", desk.dir.path())
            .env_remove("MOTCUA_CENTRE_CA")
            .args([
                "enroll",
                "--centre",
                &format!("https://localhost:{port}"),
                "--code",
                &code,
            ]);
        if let Some(ca) = ca {
            c.env("MOTCUA_CENTRE_CA", ca);
        }
        c.output().expect("runs")
    };
    eventually(std::time::Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())
    });
    let refused = enroll(None);
    assert!(!refused.status.success(), "an unknown CA is not trusted");
    let out = enroll(Some(&cert));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Figure for issue #11 (opt-in: `cargo test --test centre_trust -- --ignored figure`):
/// the peak RSS of a real `motcua-centre serve` while 20 desks pull, at once, a unit
/// feed of 20 events with 1 MB names each.
#[test]
#[ignore]
fn figure_centre_rss_while_20_desks_pull_huge_events() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    add_units(&db);
    let (port, centre) = serve_centre_process(&db, &[]);
    let url = format!("http://127.0.0.1:{port}");
    eventually(std::time::Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())
    });
    let template = {
        let d = Desk::new(UNIT_A, 0);
        d.take_dossiers(1);
        a_receipt(&d)
    };
    let mut tokens = Vec::new();
    for unit in [UNIT_A, UNIT_B] {
        for n in 0..20u16 {
            let mut e = forged(&template, "legacy");
            let code = template.dossier.to_string().replace(UNIT_A, unit);
            e.dossier = DossierCode::parse(&code.replace("-0001", &format!("-{:04}", 5001 + n)))
                .expect("code");
            if let EventBody::Received { content, .. } = &mut e.body {
                content.applicant.full_name = "Nguyễn ".repeat(1 << 17);
            }
            plant(&db, &e, &serde_json::to_string(&e).expect("json"));
        }
        for index in 0..10u8 {
            let code = enroll_code(&db, unit, Some(index));
            let (status, _, text) = enroll_raw(
                &url,
                serde_json::json!({"code": code, "desk_id": uuid::Uuid::now_v7(),
                    "unit_code": unit, "desk_index": index}),
            );
            assert_eq!(status, 200, "{text}");
            let v: Value = serde_json::from_str(&text).expect("json");
            tokens.push(v["token"].as_str().expect("token").to_string());
        }
    }
    let pid = centre.0.id();
    let hwm = || {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .expect("status")
            .lines()
            .find(|l| l.starts_with("VmHWM"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .expect("VmHWM")
    };
    let before = hwm();
    let start = std::time::Instant::now();
    let pulled: usize = std::thread::scope(|s| {
        let handles: Vec<_> = tokens
            .iter()
            .map(|t| {
                let url = url.clone();
                s.spawn(move || {
                    block_on(async move {
                        let http = reqwest::Client::new();
                        let (mut after, mut items) = (0i64, 0usize);
                        loop {
                            let text = http
                                .get(format!("{url}/v1/pull?after={after}&limit=1000"))
                                .header("Authorization", format!("Bearer {t}"))
                                .send()
                                .await
                                .expect("answer")
                                .text()
                                .await
                                .expect("body");
                            let v: Value = serde_json::from_str(&text).expect("json");
                            items += v["items"].as_array().map_or(0, Vec::len);
                            after = v["next_cursor"].as_i64().expect("cursor");
                            if v["more"] != true {
                                break items;
                            }
                        }
                    })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("desk")).sum()
    });
    assert_eq!(pulled, 20 * 20);
    let peak = hwm();
    eprintln!(
        "FIGURE centre peak RSS {} MB (before the pulls {} MB) while 20 desks pulled 20 × 1 MB events each in {:?}",
        peak / 1024,
        before / 1024,
        start.elapsed()
    );
    assert!(peak < 300 * 1024, "peak RSS {} MB", peak / 1024);
}

#[test]
fn connections_beyond_the_limit_wait_for_a_free_slot() {
    use std::io::{Read, Write};
    let db = fresh_database();
    let (port, _centre) = serve_centre_process(
        &db,
        &[
            ("MOTCUA_CENTRE_IDLE_TIMEOUT", "3"),
            ("MOTCUA_CENTRE_MAX_CONNECTIONS", "2"),
        ],
    );
    let ask = || -> Result<String, String> {
        let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: centre\r\nConnection: close\r\n\r\n")
            .map_err(|e| e.to_string())?;
        let mut answer = String::new();
        c.read_to_string(&mut answer).map_err(|e| e.to_string())?;
        Ok(answer)
    };
    eventually(std::time::Duration::from_secs(30), ask);
    // Two silent clients take both slots; a third is served only once they time out.
    let held: Vec<_> = (0..2)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let start = std::time::Instant::now();
    let answer = ask().expect("served in the end");
    let waited = start.elapsed();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        waited >= std::time::Duration::from_secs(2),
        "served at once ({waited:?}): no limit"
    );
    drop(held);
}

#[test]
fn row8_a_request_dripped_byte_by_byte_is_cut() {
    use std::io::{Read, Write};
    let db = fresh_database();
    let (port, _centre) = serve_centre_process(&db, &[("MOTCUA_CENTRE_REQUEST_TIMEOUT", "3")]);
    let mut c = eventually(std::time::Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())
    });
    // One header byte every half second, never ending: never idle, never complete.
    let start = std::time::Instant::now();
    let mut cut = false;
    for b in b"GET /healthz HTTP/1.1\r\nX-Slow: "
        .iter()
        .chain(std::iter::repeat(&b'a'))
    {
        if c.write_all(&[*b]).is_err() {
            cut = true;
            break;
        }
        c.set_read_timeout(Some(std::time::Duration::from_millis(500)))
            .expect("timeout");
        let mut buf = [0u8; 64];
        if c.read(&mut buf).is_ok() {
            cut = true;
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            break;
        }
    }
    assert!(cut, "a dripping client was held for {:?}", start.elapsed());
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}
