//! One test per security rule of the centre: 401, 403, 400, 413 (none of which writes
//! anything), single-use and expiring enrollment codes, hashed 256-bit tokens,
//! parameterised SQL, and the desk-index reconciliation at enrollment.

mod sync_support;

use motcua::domain::event::{Event, EventId};
use motcua::sync::protocol::{MAX_PUSH_EVENTS, MAX_WIRE_BYTES, OutboxEvent, PushRequest};
use motcua::sync::wire;
use sync_support::*;

struct Setup {
    db: String,
    centre: Centre,
    desk: Desk,
    token: String,
}

fn setup() -> Setup {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    desk.take_dossiers(2);
    let code = enroll_code(&db, UNIT_A, None);
    desk.enroll(&centre.url(), &code).expect("enrolls");
    let token = desk
        .store()
        .enrollment()
        .expect("read")
        .expect("enrolled")
        .token;
    Setup {
        db,
        centre,
        desk,
        token,
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().build().expect("client")
}

/// Posts a push body; returns (status, error text).
fn post_push(url: &str, token: Option<&str>, body: Vec<u8>, gzip: bool) -> (u16, String) {
    block_on(async {
        let mut req = http().post(format!("{url}/v1/push")).body(body);
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        if gzip {
            req = req.header("Content-Encoding", "gzip");
        }
        let resp = req.send().await.expect("answer");
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    })
}

fn own_batch(s: &Setup) -> PushRequest {
    let events = s.desk.store().outbox_after(0, 10).expect("outbox");
    PushRequest {
        events: events
            .into_iter()
            .map(|(seq, event)| OutboxEvent { seq, event })
            .collect(),
    }
}

#[test]
fn missing_or_unknown_token_is_401_and_writes_nothing() {
    let s = setup();
    let body = wire::to_gzip_json(&own_batch(&s));
    let (status, text) = post_push(&s.centre.url(), None, body.clone(), true);
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("Thiếu mã truy cập"), "{text}");
    let wrong = "ab".repeat(32);
    let (status, text) = post_push(&s.centre.url(), Some(&wrong), body, true);
    assert_eq!(status, 401, "{text}");
    let pull = block_on(async {
        http()
            .get(format!("{}/v1/pull", s.centre.url()))
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(pull.as_u16(), 401);
    assert_eq!(centre_count(&s.db, "event"), 0);
}

#[test]
fn another_units_data_is_403_and_writes_nothing() {
    let s = setup();
    let mut batch = own_batch(&s);
    // A dossier of unit B, correctly signed by this desk, among valid events.
    let mut foreign: Event = batch.events[0].event.clone();
    foreign.id = EventId::new();
    foreign.dossier =
        motcua::domain::dossier_code::DossierCode::parse(&format!("{UNIT_B}-261102-0001"))
            .expect("code");
    batch.events.push(OutboxEvent {
        seq: 3,
        event: foreign,
    });
    let (status, text) = post_push(
        &s.centre.url(),
        Some(&s.token),
        wire::to_gzip_json(&batch),
        true,
    );
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("không thuộc đơn vị"), "{text}");
    assert_eq!(
        centre_count(&s.db, "event"),
        0,
        "the valid events of the batch were not written either"
    );

    // Events written by another machine may not be pushed in this desk's name.
    let mut batch = own_batch(&s);
    batch.events[1].event.origin = uuid::Uuid::now_v7().to_string();
    let (status, _) = post_push(
        &s.centre.url(),
        Some(&s.token),
        wire::to_gzip_json(&batch),
        true,
    );
    assert_eq!(status, 403);

    // Pulling another unit's feed.
    let status = block_on(async {
        http()
            .get(format!("{}/v1/pull?unit={UNIT_B}", s.centre.url()))
            .header("Authorization", format!("Bearer {}", s.token))
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(status.as_u16(), 403);
    assert_eq!(centre_count(&s.db, "event"), 0);
}

#[test]
fn malformed_body_is_400_with_a_precise_message() {
    let s = setup();
    let (status, text) = post_push(
        &s.centre.url(),
        Some(&s.token),
        br#"{"events": [{"seq": 1,}]}"#.to_vec(),
        false,
    );
    assert_eq!(status, 400, "{text}");
    assert!(
        text.contains("JSON không hợp lệ") && text.contains("column"),
        "{text}"
    );
    let (status, text) = post_push(&s.centre.url(), Some(&s.token), b"not gzip".to_vec(), true);
    assert_eq!(status, 400);
    assert!(text.contains("gzip"), "{text}");
    // A sequence that goes backwards.
    let mut batch = own_batch(&s);
    batch.events.swap(0, 1);
    let (status, text) = post_push(
        &s.centre.url(),
        Some(&s.token),
        wire::to_gzip_json(&batch),
        true,
    );
    assert_eq!(status, 400);
    assert!(text.contains("events[1].seq"), "{text}");
    let status = block_on(async {
        http()
            .get(format!("{}/v1/pull?after=abc", s.centre.url()))
            .header("Authorization", format!("Bearer {}", s.token))
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(status.as_u16(), 400);
    assert_eq!(centre_count(&s.db, "event"), 0);
}

#[test]
fn oversized_body_or_batch_is_413_and_writes_nothing() {
    let s = setup();
    // Too many events in one batch.
    let template = own_batch(&s).events[0].event.clone();
    let events = (1..=(MAX_PUSH_EVENTS as i64 + 1))
        .map(|seq| OutboxEvent {
            seq,
            event: Event {
                id: EventId::new(),
                ..template.clone()
            },
        })
        .collect();
    let (status, text) = post_push(
        &s.centre.url(),
        Some(&s.token),
        wire::to_gzip_json(&PushRequest { events }),
        true,
    );
    assert_eq!(status, 413, "{text}");
    // Too many bytes on the wire.
    let (status, _) = post_push(
        &s.centre.url(),
        Some(&s.token),
        vec![b' '; MAX_WIRE_BYTES + 1],
        false,
    );
    assert_eq!(status, 413);
    // A small gzip body that inflates beyond the limit.
    let bomb = wire::gzip(&vec![b' '; 20 * 1024 * 1024]);
    let (status, _) = post_push(&s.centre.url(), Some(&s.token), bomb, true);
    assert_eq!(status, 413);
    assert_eq!(centre_count(&s.db, "event"), 0);
}

#[test]
fn enrollment_codes_are_single_use_and_expire() {
    let s = setup();
    let other = Desk::new(UNIT_A, 1);
    let code = enroll_code(&s.db, UNIT_A, None);
    other.enroll(&s.centre.url(), &code).expect("first use");
    let third = Desk::new(UNIT_A, 2);
    let err = third
        .enroll(&s.centre.url(), &code)
        .expect_err("second use refused");
    assert!(err.contains("401") && err.contains("đã được dùng"), "{err}");

    let expired = block_on(async {
        let pool = motcua::centre::db::pool(&s.db, 1).expect("pool");
        let client = pool.get().await.expect("client");
        motcua::centre::admin::create_enroll_code(
            &client,
            UNIT_A,
            None,
            chrono::Duration::seconds(-1),
        )
        .await
        .expect("code")
        .0
    });
    let err = third
        .enroll(&s.centre.url(), &expired)
        .expect_err("expired");
    assert!(err.contains("hết hạn"), "{err}");
    let err = third
        .enroll(&s.centre.url(), "AAAAA-BBBBB-CCCCC-DDDDD")
        .expect_err("unknown");
    assert!(err.contains("401"), "{err}");
    assert_eq!(centre_count(&s.db, "desk"), 2);
}

#[test]
fn tokens_are_256_bit_and_stored_only_hashed() {
    let s = setup();
    assert_eq!(s.token.len(), 64);
    assert!(s.token.bytes().all(|b| b.is_ascii_hexdigit()));
    let stored = block_on(async {
        let (client, conn) = tokio_postgres::connect(&s.db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let rows = client
            .query("SELECT token_hash FROM desk", &[])
            .await
            .expect("query");
        let codes = client
            .query("SELECT code_hash FROM enroll_code", &[])
            .await
            .expect("query");
        drop(client);
        let _ = task.await;
        (
            rows.iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>(),
            codes.len(),
        )
    });
    assert_eq!(stored.0.len(), 1);
    assert_ne!(stored.0[0], s.token);
    assert!(!stored.0[0].contains(&s.token));
    assert_eq!(stored.0[0], motcua::centre::auth::hash_secret(&s.token));
    assert_eq!(stored.1, 1);
}

#[test]
fn sql_stays_parameterised_under_hostile_input() {
    let s = setup();
    let hostile = "x' OR '1'='1";
    let status = block_on(async {
        http()
            .get(format!(
                "{}/v1/pull?unit={}",
                s.centre.url(),
                hostile.replace(' ', "%20").replace('\'', "%27")
            ))
            .header("Authorization", format!("Bearer {}", s.token))
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(status.as_u16(), 403);
    let err = Desk::new(UNIT_A, 3)
        .enroll(&s.centre.url(), "' OR 1=1 --")
        .expect_err("refused");
    assert!(err.contains("401"), "{err}");
    // A name with quotes is stored as written.
    s.centre.admin(&[
        "unit",
        "add",
        "--code",
        "H22.39.17",
        "--name",
        "Phường O'Brien'); DROP TABLE unit; --",
    ]);
    assert!(
        s.centre
            .admin(&["unit", "list"])
            .contains("O'Brien'); DROP TABLE unit; --")
    );
    assert_eq!(centre_count(&s.db, "unit"), 3);
}

#[test]
fn enrollment_reconciles_the_desk_index() {
    let s = setup();
    // The code pins index 4; the desk numbered its dossiers as desk 1: refused.
    let desk = Desk::new(UNIT_A, 1);
    let code = enroll_code(&s.db, UNIT_A, Some(4));
    let err = desk.enroll(&s.centre.url(), &code).expect_err("refused");
    assert!(err.contains("409") && err.contains("quầy số 4"), "{err}");
    // A second desk claiming index 0, which the set-up desk holds: refused.
    let twin = Desk::new(UNIT_A, 0);
    let code = enroll_code(&s.db, UNIT_A, None);
    let err = twin.enroll(&s.centre.url(), &code).expect_err("refused");
    assert!(err.contains("đã có một quầy khác mang số 0"), "{err}");
    // A desk of unit B with a code of unit A: 403.
    let b = Desk::new(UNIT_B, 0);
    let code = enroll_code(&s.db, UNIT_A, None);
    let err = b.enroll(&s.centre.url(), &code).expect_err("refused");
    assert!(err.contains("403"), "{err}");
    assert_eq!(centre_count(&s.db, "desk"), 1);
    // Nothing was pushed by any of these; the real desk still syncs.
    let r = s.desk.sync(None).expect("syncs");
    assert_eq!(r.pushed, 2);
}

#[test]
fn a_different_event_under_a_held_seq_is_409_and_reported() {
    let s = setup();
    s.desk.sync(None).expect("push");
    let events_before = centre_count(&s.db, "event");
    // A forged (or diverged) desk: another event under seq 1, which the centre holds.
    let mut forged = own_batch(&s);
    forged.events.truncate(1);
    forged.events[0].event.id = EventId::new();
    let (status, text) = post_push(
        &s.centre.url(),
        Some(&s.token),
        serde_json::to_vec(&forged).expect("json"),
        false,
    );
    assert_eq!(status, 409, "{text}");
    assert!(
        text.contains("sự kiện số 1") && text.contains("số thứ tự đã có sự kiện khác"),
        "{text}"
    );
    assert_eq!(
        centre_count(&s.db, "event"),
        events_before,
        "nothing written"
    );
    assert_eq!(centre_count(&s.db, "desk_conflicts"), 1, "reported");

    // Visible to operators, without personal data.
    let listed = s.centre.admin(&["conflicts"]);
    let line = listed
        .lines()
        .find(|l| l.contains("seq"))
        .unwrap_or_else(|| panic!("a conflict line: {listed}"));
    assert!(line.contains(UNIT_A) && line.contains("số 1"), "{listed}");
    assert!(!listed.contains("022190001234") && !listed.contains("Nguyễn"));
    let stats = s.centre.admin(&["stats", "--unit", UNIT_A]);
    assert!(stats.contains("xung đột đồng bộ: 1"), "{stats}");

    // A retry of the very same events is not a conflict.
    let (status, text) = post_push(
        &s.centre.url(),
        Some(&s.token),
        serde_json::to_vec(&own_batch(&s)).expect("json"),
        false,
    );
    assert_eq!(status, 200, "{text}");
    assert_eq!(centre_count(&s.db, "desk_conflicts"), 1);
}

#[test]
fn own_events_are_given_back_only_to_their_desk() {
    let s = setup();
    s.desk.sync(None).expect("push");
    let get = |token: Option<&str>, query: &str| {
        block_on(async {
            let mut req = http().get(format!("{}/v1/own?{query}", s.centre.url()));
            if let Some(t) = token {
                req = req.header("Authorization", format!("Bearer {t}"));
            }
            let resp = req.send().await.expect("answer");
            let status = resp.status().as_u16();
            (status, resp.text().await.expect("body"))
        })
    };
    assert_eq!(get(None, "after_seq=0").0, 401);
    assert_eq!(get(Some(&s.token), "after_seq=-1").0, 400);
    assert_eq!(get(Some(&s.token), "after_seq=0&limit=0").0, 400);
    let (status, body) = get(Some(&s.token), "after_seq=1");
    assert_eq!(status, 200, "{body}");
    let page: motcua::sync::protocol::OwnResponse = serde_json::from_str(&body).expect("json");
    assert_eq!(page.acked_seq, 2);
    assert_eq!(
        page.events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![2]
    );
    assert!(!page.more);
    // Another desk of the unit gets its own (empty) series, not this one's.
    let other = Desk::new(UNIT_A, 1);
    other
        .enroll(&s.centre.url(), &enroll_code(&s.db, UNIT_A, Some(1)))
        .expect("enrolls");
    let token = other.store().enrollment().expect("read").expect("on").token;
    let (status, body) = get(Some(&token), "after_seq=0");
    assert_eq!(status, 200);
    assert!(body.contains("\"events\":[]"), "{body}");
}

/// Runs `motcua-centre` with the given environment additions; returns (ok, stdout, stderr).
fn centre_run(db: &str, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut c = std::process::Command::new(centre_bin());
    c.args(args)
        .env("DATABASE_URL", db)
        .env("MOTCUA_LOG", "warn");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_operator_action_is_audited_with_who_when_and_what() {
    let s = setup();
    s.desk.sync(None).expect("push");
    let code = s.desk.dossier_codes()[0].clone();
    let before = centre_count(&s.db, "operator_audit");
    assert_eq!(
        before, 3,
        "the set-up's two `unit add` and one `enroll-code`"
    );

    let as_lan = [("USER", "lan"), ("LOGNAME", "khong-dung")];
    let ok = |args: &[&str]| {
        let (ok, out, err) = centre_run(&s.db, args, &as_lan);
        assert!(ok, "{args:?}: {err}");
        out
    };
    ok(&[
        "--operator",
        "Lê Văn An",
        "unit",
        "add",
        "--code",
        "H22.39.17",
        "--name",
        "Phường Cao Xanh",
    ]);
    let enroll = ok(&["enroll-code", "--unit", UNIT_A, "--desk-index", "3"]);
    ok(&["record", &code, "result-ready", "--by", "Phòng Tư pháp"]);
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), motcua::domain::calendar::OFFICIAL_CSV).expect("write");
    ok(&["calendar", "import", file.path().to_str().expect("utf-8")]);
    let out_dir = tempfile::tempdir().expect("temp");
    let export = out_dir.path().join("dvcqg.json");
    ok(&[
        "export-dvcqg",
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    // A refused action leaves no audit row: it shares the action's transaction.
    let (refused, _, _) = centre_run(
        &s.db,
        &["unit", "add", "--code", UNIT_A, "--name", "Trùng"],
        &as_lan,
    );
    assert!(!refused);
    let (refused, _, _) = centre_run(&s.db, &["record", &code, "result-ready"], &as_lan);
    assert!(!refused, "the result is already ready");
    assert_eq!(centre_count(&s.db, "operator_audit"), before + 5);

    let log = ok(&["audit"]);
    let lines: Vec<&str> = log.lines().skip(3).collect();
    assert_eq!(lines.len(), 5, "{log}");
    assert!(
        lines[0].contains("Lê Văn An")
            && lines[0].contains("unit add")
            && lines[0].contains("H22.39.17"),
        "{log}"
    );
    assert!(
        lines[1].contains("\tlan\t")
            && lines[1].contains("enroll-code")
            && lines[1].contains("quầy số 3"),
        "{log}"
    );
    assert!(
        lines[2].contains("record")
            && lines[2].contains(&code)
            && lines[2].contains("result_ready"),
        "{log}"
    );
    assert!(lines[3].contains("calendar import"), "{log}");
    assert!(
        lines[4].contains("export-dvcqg") && lines[4].contains("2 hồ sơ"),
        "{log}"
    );
    // Never a secret nor an applicant's data.
    assert!(
        !log.contains(enroll.trim()),
        "the enrollment code stays secret"
    );
    for personal in ["022190001234", "0912", "Nguyễn"] {
        assert!(!log.contains(personal), "{personal} in {log}");
    }
    // When: every line starts with today's date, and --since filters.
    let today = now_vn_date();
    assert!(lines.iter().all(|l| l.starts_with(&today)), "{log}");
    assert_eq!(
        ok(&["audit", "--since", "2099-01-01"]).trim(),
        "Nhật ký quản trị trống"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&["audit", "--json"])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(8));
    assert_eq!(json[3]["operator"], "Lê Văn An");
}

fn now_vn_date() -> String {
    motcua::domain::clock::now_vn()
        .format("%d/%m/%Y")
        .to_string()
}
