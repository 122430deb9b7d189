//! Issue 23, cross-commune dossiers ("phi địa giới") at the centre: a dossier received
//! at unit A for unit B. Played over real HTTP against the real centre on PostgreSQL:
//! the province's list gates the receipt, the handover decides who writes, a third
//! unit never writes, and both units' feeds carry every step.

mod sync_support;

use motcua::domain::clock::now_vn;
use motcua::domain::dossier_code::DossierCode;
use motcua::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use motcua::domain::unit::UnitCode;
use motcua::sync::client::CentreClient;
use motcua::sync::protocol::{FeedBody, OutboxEvent, PushRequest};
use motcua::sync::wire;
use serde_json::Value;
use sync_support::*;

const UNIT_C: &str = "H22.40";

struct Province {
    db: String,
    centre: Centre,
    a: Desk,
    b: Desk,
    c: Desk,
}

fn province() -> Province {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    centre_admin(
        &db,
        &["unit", "add", "--code", UNIT_C, "--name", "Xã Quảng La"],
    );
    let (a, b, c) = (
        Desk::new(UNIT_A, 0),
        Desk::new(UNIT_B, 0),
        Desk::new(UNIT_C, 0),
    );
    for (desk, unit) in [(&a, UNIT_A), (&b, UNIT_B), (&c, UNIT_C)] {
        desk.enroll(&centre.url(), &enroll_code(&db, unit, Some(0)))
            .expect("enrolls");
    }
    Province {
        db,
        centre,
        a,
        b,
        c,
    }
}

fn push(url: &str, desk: &Desk, events: Vec<(i64, Event)>) -> (u16, Value) {
    let body = wire::to_gzip_json(&PushRequest {
        events: events
            .into_iter()
            .map(|(seq, event)| OutboxEvent { seq, event })
            .collect(),
    });
    let token = desk.token();
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

/// The events of `code` in the desk's unit feed, as kinds in feed order.
fn feed_kinds(url: &str, desk: &Desk, code: &str) -> Vec<String> {
    let client = CentreClient::new(url).expect("client");
    let page = block_on(client.pull(&desk.token(), 0, 1000)).expect("pull");
    page.items
        .into_iter()
        .filter_map(|item| match item.body {
            FeedBody::Event { event } if event.dossier.to_string() == code => {
                Some(event.body.kind().as_str().to_string())
            }
            _ => None,
        })
        .collect()
}

/// The desk's own receipts (taken offline), re-addressed to `deciding`.
fn receipts_for(desk: &Desk, n: usize, deciding: &str) -> Vec<Event> {
    desk.take_dossiers(n);
    desk.store()
        .outbox_after(0, n)
        .expect("outbox")
        .into_iter()
        .map(|(_, mut e)| {
            if let EventBody::Received { deciding_unit, .. } = &mut e.body {
                *deciding_unit = Some(UnitCode::parse(deciding).expect("unit"));
            }
            e
        })
        .collect()
}

fn step(desk: &Desk, code: &DossierCode, body: EventBody) -> Event {
    Event {
        id: EventId::new(),
        dossier: code.clone(),
        at: now_vn(),
        actor: Actor {
            name: "Trần Văn Bình".into(),
            role: ActorRole::Clerk,
        },
        origin: desk.desk_id(),
        body,
    }
}

fn refused(answer: &Value) -> Vec<(i64, String)> {
    answer["refused"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["seq"].as_i64().unwrap_or_default(),
                        r["reason"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn procedure_of(e: &Event) -> String {
    match &e.body {
        EventBody::Received { content, .. } => content.procedure.code.to_string(),
        _ => String::new(),
    }
}

#[test]
fn a_dossier_received_for_another_unit_is_handed_over_and_carried_on_there() {
    let p = province();
    let url = p.centre.url();
    let receipts = receipts_for(&p.a, 2, UNIT_B);
    let code = receipts[1].dossier.clone();

    // Not on the province's list yet: the receipt for B is quarantined.
    let (status, answer) = push(&url, &p.a, vec![(1, receipts[0].clone())]);
    assert_eq!(status, 200, "{answer}");
    let refusals = refused(&answer);
    assert_eq!(refusals.len(), 1, "{answer}");
    assert!(
        refusals[0].1.contains("không phụ thuộc địa giới"),
        "{}",
        refusals[0].1
    );

    // The operator imports the province's list; the next receipt is accepted.
    let list = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(
        list.path(),
        format!(
            "# QĐ 2095/QĐ-UBND\n{}\tthủ tục\n",
            procedure_of(&receipts[1])
        ),
    )
    .expect("write");
    let out = centre_admin(
        &p.db,
        &[
            "catalogue",
            "import-phi-dia-gioi",
            &list.path().to_string_lossy(),
            "--decision",
            "QĐ 2095/QĐ-UBND ngày 31/10/2025",
        ],
    );
    assert!(out.contains("Đã nhập 1 thủ tục"), "{out}");
    let (status, answer) = push(&url, &p.a, vec![(2, receipts[1].clone())]);
    assert_eq!(status, 200, "{answer}");
    assert!(refused(&answer).is_empty(), "{answer}");
    assert_eq!(centre_count(&p.db, "cross_dossier"), 1);

    // B sees it, and may not write before the handover.
    let code_s = code.to_string();
    assert_eq!(feed_kinds(&url, &p.b, &code_s), ["received"]);
    let early = step(
        &p.b,
        &code,
        EventBody::ResultReady {
            note: String::new(),
        },
    );
    let (status, answer) = push(&url, &p.b, vec![(1, early)]);
    assert_eq!(status, 200, "{answer}");
    let refusals = refused(&answer);
    assert!(
        refusals.len() == 1 && refusals[0].1.contains("chưa bàn giao"),
        "{answer}"
    );

    // A third unit neither reads nor writes it.
    assert!(feed_kinds(&url, &p.c, &code_s).is_empty());
    let foreign = step(
        &p.c,
        &code,
        EventBody::ResultReady {
            note: String::new(),
        },
    );
    let (status, answer) = push(&url, &p.c, vec![(1, foreign)]);
    assert_eq!(status, 403, "{answer}");

    // A hands it over; from then on B writes and A reads.
    let handover = step(
        &p.a,
        &code,
        EventBody::Transferred {
            to: format!("UBND {UNIT_B}"),
            note: String::new(),
        },
    );
    let (status, answer) = push(&url, &p.a, vec![(3, handover)]);
    assert!(status == 200 && refused(&answer).is_empty(), "{answer}");
    assert_eq!(feed_kinds(&url, &p.b, &code_s), ["received", "transferred"]);
    let ready = step(
        &p.b,
        &code,
        EventBody::ResultReady {
            note: String::new(),
        },
    );
    let (status, answer) = push(&url, &p.b, vec![(2, ready)]);
    assert!(status == 200 && refused(&answer).is_empty(), "{answer}");
    assert_eq!(answer["acked_seq"], 2, "{answer}");
    assert_eq!(feed_kinds(&url, &p.a, &code_s), ["result_ready"]);

    // The receiving unit may no longer process it, but returns the result there.
    let late = step(
        &p.a,
        &code,
        EventBody::SupplementRequested {
            items: vec!["Bản sao giấy tờ".into()],
            reason: String::new(),
        },
    );
    let returned = step(
        &p.a,
        &code,
        EventBody::Returned {
            collected_by: "Nguyễn Thị Ngọc Ánh".into(),
            note: String::new(),
        },
    );
    let (status, answer) = push(&url, &p.a, vec![(4, late), (5, returned)]);
    assert_eq!(status, 200, "{answer}");
    let refusals = refused(&answer);
    assert!(
        refusals.len() == 1 && refusals[0].0 == 4 && refusals[0].1.contains("đã bàn giao"),
        "{answer}"
    );
    assert_eq!(answer["acked_seq"], 5, "{answer}");
    assert_eq!(
        feed_kinds(&url, &p.b, &code_s),
        ["received", "transferred", "returned"]
    );
    // Each event is stored once, in the partition of the unit that wrote it.
    assert_eq!(
        centre_count(&p.db, &format!("event WHERE dossier_code = '{code_s}'")),
        4
    );
    assert_eq!(
        centre_count(
            &p.db,
            &format!("event WHERE dossier_code = '{code_s}' AND unit_code = '{UNIT_B}'")
        ),
        1
    );

    // Counted once, at the deciding unit; the receiving unit sees a "nhận hộ" count.
    let stats = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["stats", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&centre_admin(&p.db, &all)).expect("json")
    };
    let of = |rows: &[Value], unit: &str| -> Option<Value> {
        rows.iter().find(|r| r["unit"] == unit).cloned()
    };
    let province = stats(&[]);
    let a = of(&province, UNIT_A).expect("A is listed");
    let b = of(&province, UNIT_B).expect("B is listed");
    assert_eq!(
        (a["dossiers"].as_u64(), a["received_for_others"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(
        (b["dossiers"].as_u64(), b["received_for_others"].as_u64()),
        (Some(1), Some(0))
    );
    let only_b = stats(&["--unit", UNIT_B]);
    assert_eq!(only_b.len(), 1, "{only_b:?}");
    assert_eq!(only_b[0]["dossiers"], 1);
    assert_eq!(
        only_b[0]["by_status"]["10"], 1,
        "returned, folded from both units"
    );
    let only_a = stats(&["--unit", UNIT_A]);
    assert_eq!(only_a.len(), 1, "{only_a:?}");
    assert_eq!(only_a[0]["received_for_others"], 1);
}

/// Imports the province's list holding the procedure of `receipt`.
fn import_list(db: &str, receipt: &Event) {
    let list = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(list.path(), format!("{}\n", procedure_of(receipt))).expect("write");
    centre_admin(
        db,
        &[
            "catalogue",
            "import-phi-dia-gioi",
            &list.path().to_string_lossy(),
            "--decision",
            "QĐ 2095/QĐ-UBND ngày 31/10/2025",
        ],
    );
}

fn f3_codes(desk: &Desk) -> Vec<String> {
    desk.store()
        .list_dossiers(&Default::default(), None, 100, now_vn())
        .expect("F3")
        .rows
        .into_iter()
        .map(|r| r.summary.code)
        .collect()
}

/// The deciding unit's desk, syncing for real: it lists the dossier in F3 after sync,
/// may not act before the handover, carries it on after, and its step reaches the
/// receiving unit. A third unit's desk never sees it.
#[test]
fn the_deciding_units_desk_lists_it_after_sync_and_carries_it_on() {
    use motcua::domain::action::ActionRequest;
    let p = province();
    let url = p.centre.url();
    let receipts = receipts_for(&p.a, 1, UNIT_B);
    import_list(&p.db, &receipts[0]);
    let code = receipts[0].dossier.clone();
    let code_s = code.to_string();
    let (status, answer) = push(&url, &p.a, vec![(1, receipts[0].clone())]);
    assert!(status == 200 && refused(&answer).is_empty(), "{answer}");

    let report = p.b.sync(Some(&url)).expect("B syncs");
    assert_eq!(report.refused, 0, "{report:?}");
    assert!(f3_codes(&p.b).contains(&code_s), "F3 of B lists {code_s}");
    let state = p.b.store().dossier(&code_s).expect("held");
    assert_eq!(
        state.deciding_unit.map(|u| u.to_string()),
        Some(UNIT_B.into())
    );
    let ready = || ActionRequest::ResultReady {
        note: String::new(),
    };
    let err =
        p.b.store()
            .record(&code_s, ready(), None, "Lê Thị Hồng", now_vn())
            .expect_err("not handed over yet");
    assert!(err.to_string().contains("chưa bàn giao"), "{err}");

    let handover = step(
        &p.a,
        &code,
        EventBody::Transferred {
            to: format!("UBND {UNIT_B}"),
            note: String::new(),
        },
    );
    let (status, answer) = push(&url, &p.a, vec![(2, handover)]);
    assert!(status == 200 && refused(&answer).is_empty(), "{answer}");
    p.b.sync(Some(&url)).expect("B syncs");
    p.b.store()
        .record(&code_s, ready(), None, "Lê Thị Hồng", now_vn())
        .expect("B carries it on");
    let report = p.b.sync(Some(&url)).expect("B pushes");
    assert_eq!(report.refused, 0, "{report:?}");
    assert_eq!(
        centre_count(
            &p.db,
            &format!(
                "event WHERE dossier_code = '{code_s}' AND unit_code = '{UNIT_B}' \
                 AND kind = 'result_ready'"
            )
        ),
        1
    );
    assert_eq!(feed_kinds(&url, &p.a, &code_s), ["result_ready"]);

    p.c.sync(Some(&url)).expect("C syncs");
    assert!(!f3_codes(&p.c).contains(&code_s));

    // Biểu 06 on the desks: counted once, at B; another desk of A shows "nhận hộ".
    let a1 = Desk::new(UNIT_A, 1);
    a1.enroll(&url, &enroll_code(&p.db, UNIT_A, Some(1)))
        .expect("enrolls");
    a1.sync(Some(&url)).expect("A1 syncs");
    assert!(
        f3_codes(&a1).contains(&code_s),
        "the receiving unit keeps reading it"
    );
    let today = motcua::domain::clock::to_wall(now_vn()).date();
    let period = motcua::domain::report::Period::new(today, today).expect("period");
    let bieu_06 = |desk: &Desk| {
        desk.store()
            .report(
                period,
                now_vn(),
                &std::sync::atomic::AtomicBool::new(false),
                |_| {},
            )
            .expect("report")
    };
    let (at_a, at_b) = (bieu_06(&a1), bieu_06(&p.b));
    assert_eq!(at_a.total.received_direct + at_a.total.received_online, 0);
    assert_eq!(at_a.received_for_others, 1);
    assert_eq!(at_b.total.received_direct + at_b.total.received_online, 1);
    assert_eq!(at_b.received_for_others, 0);
    // The centre's Biểu 06 of each unit (issue 21) is that unit's desk's: the steps in
    // both units' partitions are read for B, and A shows "nhận hộ".
    for (at_desk, unit) in [(&at_a, UNIT_A), (&at_b, UNIT_B)] {
        let at_centre = block_on(async {
            let pool = motcua::centre::db::pool(&p.db, 1).expect("pool");
            let mut client = pool.get().await.expect("client");
            motcua::centre::bieu06::bieu06(&mut client, Some(unit), period, now_vn())
                .await
                .expect("centre report")
        });
        assert_eq!(at_centre.groups, at_desk.groups, "{unit}");
        assert_eq!(at_centre.total, at_desk.total, "{unit}");
        assert_eq!(at_centre.received_for_others, at_desk.received_for_others);
    }
    // The QĐ 766 scorecard (F5) counts it at B only as well.
    let card = |desk: &Desk| desk.store().scorecard(period, now_vn()).expect("scorecard");
    assert_eq!(card(&a1).synced.of, 0);
    assert_eq!(card(&p.b).synced.of, 1);
}

/// Issue 23: the province's units and its list of cross-commune procedures arrive at a
/// desk with its sync and are kept offline; the centre sends them again only when they
/// change, and a receipt for another unit can then be taken in offline.
#[test]
fn the_province_lists_arrive_with_sync_and_are_kept() {
    use motcua::domain::intake::IntakeInput;
    let p = province();
    let url = p.centre.url();
    p.b.sync(Some(&url)).expect("B syncs");
    let lists = p.b.store().province_lists().expect("kept");
    let codes: Vec<&str> = lists.units.iter().map(|u| u.code.as_str()).collect();
    for unit in [UNIT_A, UNIT_B, UNIT_C] {
        assert!(codes.contains(&unit), "{unit} in {codes:?}");
    }
    assert!(lists.cross_procedures.is_empty(), "no list imported yet");

    let receipts = receipts_for(&p.a, 1, UNIT_B);
    import_list(&p.db, &receipts[0]);
    let procedure = procedure_of(&receipts[0]);
    p.b.sync(Some(&url)).expect("B syncs again");
    let lists = p.b.store().province_lists().expect("kept");
    assert_eq!(lists.cross_procedures, std::slice::from_ref(&procedure));
    assert_eq!(lists.unit_name(UNIT_C), Some("Xã Quảng La"));

    // Unchanged lists are not sent to a desk that holds them.
    let version =
        p.b.store()
            .setting(motcua::store::province::PROVINCE_VERSION_KEY)
            .expect("read")
            .expect("version kept");
    let client = CentreClient::new(&url).expect("client");
    let page =
        block_on(client.pull_with(&p.b.token(), 0, 1000, Some(&version), None)).expect("pull");
    assert!(page.province.is_none(), "sent again unchanged");
    let page = block_on(client.pull_with(&p.b.token(), 0, 1000, None, None)).expect("pull");
    assert_eq!(page.province.map(|u| u.version), Some(version));

    // Offline, B's desk takes in a dossier for C to decide: the code stays in B's
    // range, the deciding unit is C.
    let mut input = IntakeInput::from_json(&dossier_json(7)).expect("input");
    input.procedure = procedure;
    input.deciding_unit = Some(UNIT_C.into());
    let state =
        p.b.store()
            .intake(input, "Lê Thị Hồng", now_vn())
            .expect("intake");
    assert_eq!(state.code.unit().as_str(), UNIT_B);
    assert_eq!(
        state.deciding_unit.map(|u| u.to_string()),
        Some(UNIT_C.to_string())
    );
}
