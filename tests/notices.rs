//! Issue 22 §4: the notice outbox against a real PostgreSQL and a local recording
//! gateway that can fail, answer too late, or be killed mid-request. No message
//! leaves the machine: every gateway here listens on 127.0.0.1.

mod sync_support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{DateTime, TimeZone, Utc};
use motcua::centre::notices::gateway::{Gateway, http_client};
use motcua::centre::notices::sender::{Round, SenderSettings, round};
use motcua::centre::notices::sms::SmsBrandname;
use motcua::centre::notices::zalo::ZaloZns;
use motcua::domain::clock::{now_vn, vn_offset};
use motcua::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
use motcua::domain::notice::NoticeConsent;
use serde_json::Value;
use sync_support::*;

const ANSWER: u8 = 0;
const FAIL: u8 = 1;
const ANSWER_LATE: u8 = 2;
const DIE: u8 = 3;

/// What the gateway saw, kept across its restarts (a real provider keeps its
/// idempotency records too).
#[derive(Default)]
struct Seen {
    requests: usize,
    /// Messages delivered to a phone, by idempotency key: a key seen again is
    /// acknowledged and not delivered twice.
    delivered: HashMap<String, Value>,
}

#[derive(Clone)]
struct Recorder {
    seen: Arc<Mutex<Seen>>,
    mode: Arc<AtomicU8>,
    die: Arc<tokio::sync::Notify>,
}

async fn receive(
    State(r): State<Recorder>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    let json: Value = serde_json::from_str(&body).unwrap_or_default();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| json["tracking_id"].as_str().map(str::to_string))
        .unwrap_or_default();
    let mode = r.mode.load(Ordering::SeqCst);
    {
        let mut seen = r.seen.lock().expect("lock");
        seen.requests += 1;
        if mode != FAIL {
            seen.delivered.entry(key).or_insert(json);
        }
    }
    match mode {
        FAIL => (StatusCode::SERVICE_UNAVAILABLE, "busy".into()),
        ANSWER_LATE => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            (StatusCode::OK, r#"{"error":0}"#.into())
        }
        DIE => {
            // Accepted, then the process dies before it answers.
            r.die.notify_one();
            std::future::pending::<()>().await;
            (StatusCode::OK, String::new())
        }
        _ => (StatusCode::OK, r#"{"error":0,"message":"Success"}"#.into()),
    }
}

/// A recording gateway on 127.0.0.1 in its own runtime, so that it can be killed.
struct LocalGateway {
    recorder: Recorder,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LocalGateway {
    fn start(seen: Arc<Mutex<Seen>>, mode: u8) -> LocalGateway {
        let recorder = Recorder {
            seen,
            mode: Arc::new(AtomicU8::new(mode)),
            die: Arc::new(tokio::sync::Notify::new()),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let r = recorder.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("runtime");
            let die = r.die.clone();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr").port())
                    .expect("port");
                let app = axum::Router::new()
                    .route("/sms", post(receive))
                    .route("/zns", post(receive))
                    .with_state(r);
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = die.notified() => {}
                }
            });
            // Every open connection goes with the runtime: the sender sees a reset.
            rt.shutdown_background();
        });
        let port = rx.recv().expect("gateway port");
        LocalGateway {
            recorder,
            port,
            thread: Some(thread),
        }
    }

    fn sms(&self) -> SmsBrandname {
        SmsBrandname {
            client: http_client(Duration::from_secs(1)).expect("client"),
            url: format!("http://127.0.0.1:{}/sms", self.port),
            api_key: "khoa-thu".into(),
            brandname: "UBND-HGAI".into(),
        }
    }

    fn zalo(&self) -> ZaloZns {
        ZaloZns {
            client: http_client(Duration::from_secs(1)).expect("client"),
            url: format!("http://127.0.0.1:{}/zns", self.port),
            access_token: "token-thu".into(),
            template_id: "381204".into(),
        }
    }

    fn set(&self, mode: u8) {
        self.recorder.mode.store(mode, Ordering::SeqCst);
    }

    /// Waits for the gateway's process to end (after a `DIE` request).
    fn join(mut self) {
        if let Some(t) = self.thread.take() {
            t.join().expect("gateway thread");
        }
    }
}

impl Drop for LocalGateway {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.recorder.die.notify_one();
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }
}

/// 10:00 Vietnam time on a day after today: outside the quiet hours, and after
/// every notice queued by this test.
fn morning(plus_secs: i64) -> DateTime<Utc> {
    let day = now_vn().date_naive() + chrono::Duration::days(1);
    vn_offset()
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).expect("time"))
        .single()
        .expect("vn")
        .with_timezone(&Utc)
        + chrono::Duration::seconds(plus_secs)
}

struct Setup {
    pool: deadpool_postgres::Pool,
    db: String,
    received: Event,
    _desk: Desk,
}

/// A centre database with the two units, and a Received event of a desk's dossier
/// (not stored yet) with the given consent.
fn setup(consent: Option<&str>) -> Setup {
    let db = fresh_database();
    let pool = motcua::centre::db::pool(&db, 4).expect("pool");
    block_on(motcua::centre::db::migrate(&pool)).expect("migrate");
    add_units(&db);
    let desk = Desk::new(UNIT_A, 1);
    desk.take_dossiers(1);
    let mut received = desk
        .store()
        .outbox_after(0, 1)
        .expect("outbox")
        .into_iter()
        .next()
        .expect("one event")
        .1;
    if let EventBody::Received { consent: c, .. } = &mut received.body {
        *c = consent.map(|p| NoticeConsent::new(p).expect("mobile"));
    }
    Setup {
        pool,
        db,
        received,
        _desk: desk,
    }
}

/// A step recorded at the centre on the same dossier.
fn step(of: &Event, body: EventBody) -> Event {
    Event {
        id: EventId::new(),
        dossier: of.dossier.clone(),
        at: now_vn(),
        actor: Actor {
            name: "Phòng Tư pháp".into(),
            role: ActorRole::CentreOperator,
        },
        origin: "centre".into(),
        body,
    }
}

/// Stores `event` the way the centre stores a recorded one: one transaction.
fn store(pool: &deadpool_postgres::Pool, event: &Event) -> bool {
    block_on(async {
        let mut client = pool.get().await.expect("client");
        let tx = client.transaction().await.expect("tx");
        let new = motcua::centre::feed::insert_event(&tx, event, None)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        new
    })
}

fn send(pool: &deadpool_postgres::Pool, gateway: &dyn Gateway, now: DateTime<Utc>) -> Round {
    block_on(round(pool, gateway, &SenderSettings::default(), now)).expect("round")
}

fn outbox(db: &str) -> Vec<(String, String, Option<String>, i32)> {
    block_on(async {
        let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let rows = client
            .query(
                "SELECT kind, state, phone, attempts FROM notice_outbox ORDER BY kind",
                &[],
            )
            .await
            .expect("outbox");
        drop(client);
        let _ = task.await;
        rows.iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
    })
}

#[test]
fn one_text_per_event_through_failures_late_answers_a_killed_gateway_and_a_restart() {
    let s = setup(Some("0912 345 678"));
    assert!(store(&s.pool, &s.received));
    assert!(!store(&s.pool, &s.received), "the same event stored again");
    let ready = step(
        &s.received,
        EventBody::ResultReady {
            note: String::new(),
        },
    );
    assert!(store(&s.pool, &ready));
    // A step that tells the citizen nothing queues nothing.
    let stopped = step(
        &s.received,
        EventBody::Transferred {
            to: "Phòng Tư pháp".into(),
            note: String::new(),
        },
    );
    assert!(store(&s.pool, &stopped));
    assert_eq!(outbox(&s.db).len(), 2, "{:?}", outbox(&s.db));

    let seen = Arc::new(Mutex::new(Seen::default()));
    // 1. The gateway fails: both wait for their back-off.
    let gw = LocalGateway::start(seen.clone(), FAIL);
    let r = send(&s.pool, &gw.sms(), morning(0));
    assert_eq!((r.sent, r.retry_later), (0, 2), "{r:?}");
    assert_eq!(
        send(&s.pool, &gw.sms(), morning(10)),
        Round::default(),
        "back-off"
    );
    // 2. It accepts, then answers after the sender has given up waiting.
    gw.set(ANSWER_LATE);
    let r = send(&s.pool, &gw.sms(), morning(31));
    assert_eq!((r.sent, r.retry_later), (0, 2), "{r:?}");
    assert_eq!(seen.lock().expect("lock").delivered.len(), 2);
    // 3. It is killed in the middle of the next request.
    gw.set(DIE);
    let r = send(&s.pool, &gw.sms(), morning(31 + 61));
    assert_eq!((r.sent, r.retry_later), (0, 2), "{r:?}");
    gw.join();
    // 4. A new gateway process, and a restarted centre (a new pool): the same keys
    // are sent again, acknowledged, and not delivered twice.
    let gw = LocalGateway::start(seen.clone(), ANSWER);
    let pool = motcua::centre::db::pool(&s.db, 2).expect("pool");
    let mut later = 31 + 61;
    let mut sent = 0;
    for _ in 0..4 {
        later += 3700;
        sent += send(&pool, &gw.sms(), morning(later)).sent;
    }
    assert_eq!(sent, 2);
    assert_eq!(
        send(&pool, &gw.sms(), morning(later + 7200)),
        Round::default()
    );
    let seen = seen.lock().expect("lock");
    // 2 refused + 2 answered late + 1 that killed it (the other found no gateway) + 2
    // sent again after the restart.
    assert_eq!(seen.requests, 7);
    assert_eq!(seen.delivered.len(), 2, "one text per event, not two");
    for body in seen.delivered.values() {
        let text = body["message"].as_str().expect("message");
        assert!(text.len() <= 160 && text.is_ascii(), "{text}");
        assert!(text.contains(&s.received.dossier.to_string()), "{text}");
        assert_eq!(body["phone"], "84912345678");
        assert_eq!(body["brandname"], "UBND-HGAI");
    }
    let rows = outbox(&s.db);
    assert!(
        rows.iter()
            .all(|(_, state, phone, _)| state == "sent" && phone.is_none()),
        "{rows:?}"
    );
}

#[test]
fn no_consent_no_notice() {
    let s = setup(None);
    assert!(store(&s.pool, &s.received));
    let ready = step(
        &s.received,
        EventBody::ResultReady {
            note: String::new(),
        },
    );
    assert!(store(&s.pool, &ready));
    assert!(outbox(&s.db).is_empty());
}

#[test]
fn quiet_hours_hold_zalo_notices_until_seven() {
    let s = setup(Some("0987654321"));
    assert!(store(&s.pool, &s.received));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let gw = LocalGateway::start(seen.clone(), ANSWER);
    // 22:00 Vietnam time: nothing leaves.
    let r = send(&s.pool, &gw.zalo(), morning(12 * 3600));
    assert!(r.quiet && r.sent == 0, "{r:?}");
    assert_eq!(seen.lock().expect("lock").requests, 0);
    // 07:00 the next day: it goes.
    let r = send(&s.pool, &gw.zalo(), morning(21 * 3600));
    assert_eq!(r.sent, 1, "{r:?}");
    let seen = seen.lock().expect("lock");
    let body = seen.delivered.values().next().expect("one");
    assert_eq!(body["phone"], "84987654321");
    assert_eq!(body["template_id"], "381204");
    assert_eq!(body["template_data"]["trang_thai"], "Đã tiếp nhận");
    assert_eq!(
        body["template_data"]["ma_ho_so"],
        s.received.dossier.to_string()
    );
    assert!(
        body["tracking_id"]
            .as_str()
            .is_some_and(|k| k.ends_with(":received"))
    );
}

/// The figure: notices per second through the local gateway (printed, not asserted).
#[test]
fn notices_per_second_through_the_local_gateway() {
    let s = setup(Some("0912345678"));
    let n: i64 = 500;
    block_on(async {
        let client = s.pool.get().await.expect("client");
        client
            .execute(
                "INSERT INTO notice_outbox (event_id, kind, dossier_code, phone, text, data, next_at)
                 SELECT gen_random_uuid(), 'result_ready', 'X', '0912345678', 'ho so X da co ket qua',
                        '{}'::jsonb, now()
                 FROM generate_series(1, $1::int8)",
                &[&n],
            )
            .await
            .expect("fill");
    });
    let seen = Arc::new(Mutex::new(Seen::default()));
    let gw = LocalGateway::start(seen.clone(), ANSWER);
    let gateway = gw.sms();
    let started = Instant::now();
    let mut sent = 0;
    while sent < n as usize {
        let r = send(&s.pool, &gateway, morning(0));
        assert!(r.sent > 0, "{r:?}");
        sent += r.sent;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "notices: {n} sent in {secs:.2} s = {:.0} notices/s (batch 50, one at a time, loopback SMS gateway)",
        n as f64 / secs
    );
    assert_eq!(seen.lock().expect("lock").delivered.len(), n as usize);
}

/// The real path: a desk takes a dossier in with the consent ticked and pushes it;
/// the centre's operator records the result with the `record` command. Each queues
/// one notice, in the transaction that stored it; pushing again queues nothing.
#[test]
fn a_pushed_receipt_and_a_recorded_result_each_queue_one_notice() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    let mut input = motcua::domain::intake::IntakeInput::from_json(&dossier_json(0)).expect("json");
    input.notice_consent = true;
    let code = desk
        .store()
        .intake(input, "Trần Văn Bình", now_vn())
        .expect("intake")
        .code
        .to_string();
    desk.take_dossiers(1); // a second dossier, without consent
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolls");
    desk.sync(Some(&centre.url())).expect("sync");
    assert_eq!(outbox(&db).len(), 1, "{:?}", outbox(&db));
    centre.admin(&["record", &code, "result-ready", "--by", "Phòng Tư pháp"]);
    desk.sync(Some(&centre.url())).expect("sync again");
    let rows = outbox(&db);
    let kinds: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(kinds, ["received", "result_ready"], "{rows:?}");
    assert!(
        rows.iter().all(
            |(_, state, phone, _)| state == "pending" && phone.as_deref() == Some("0912345678")
        ),
        "{rows:?}"
    );
}

/// `serve` refuses to start with a gateway it cannot use, and says what to set.
#[test]
fn serve_refuses_an_incomplete_or_clear_text_gateway() {
    let db = fresh_database();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(centre_bin())
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env("DATABASE_URL", &db)
            .env("MOTCUA_LOG", "warn")
            .env_remove("MOTCUA_NOTICE_KEY")
            .output()
            .expect("motcua-centre runs");
        assert!(!out.status.success(), "{args:?} started");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run(&[
        "--notice-gateway",
        "sms",
        "--notice-url",
        "https://sms.example.vn/gui",
    ]);
    assert!(err.contains("Cổng SMS cần --notice-key"), "{err}");
    let err = run(&[
        "--notice-gateway",
        "zalo",
        "--notice-url",
        "http://zns.example.vn/gui",
        "--notice-key",
        "k",
        "--notice-template",
        "1",
    ]);
    assert!(err.contains("phải bắt đầu bằng https://"), "{err}");
}

/// The operator's way out for notices that gave up: `notices failed` lists them with
/// everything but the phone number, and `notices retry` puts them back (one audited
/// transaction), the phone read again from the consent; each then goes out once.
#[test]
fn failed_notices_are_listed_without_the_phone_and_retried_once() {
    let s = setup(Some("0912345678"));
    assert!(store(&s.pool, &s.received));
    let ready = step(
        &s.received,
        EventBody::ResultReady {
            note: String::new(),
        },
    );
    assert!(store(&s.pool, &ready));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let gw = LocalGateway::start(seen.clone(), FAIL);
    let once = SenderSettings {
        max_attempts: 1,
        ..SenderSettings::default()
    };
    let r = block_on(round(&s.pool, &gw.sms(), &once, morning(0))).expect("round");
    assert_eq!(r.given_up, 2, "{r:?}");
    assert!(
        outbox(&s.db)
            .iter()
            .all(|(_, state, phone, _)| state == "failed" && phone.is_none()),
        "{:?}",
        outbox(&s.db)
    );

    let listed = centre_admin(&s.db, &["notices", "failed"]);
    let received_id = format!("{}:received", s.received.id.0);
    let code = s.received.dossier.to_string();
    assert!(listed.contains(&received_id), "{listed}");
    assert!(listed.contains(&format!("{}:result_ready", ready.id.0)));
    assert!(listed.contains(&code) && listed.contains("503"), "{listed}");
    assert!(!listed.contains("345678"), "never the phone: {listed}");
    let json = centre_admin(&s.db, &["notices", "failed", "--json"]);
    assert!(json.contains("\"attempts\": 1") && !json.contains("345678"));
    let other = centre_admin(&s.db, &["notices", "failed", "--unit", UNIT_B]);
    assert_eq!(other, "Không có thông báo nào gửi thất bại");

    // A wrong id is told in Vietnamese and changes nothing.
    let wrong = std::process::Command::new(centre_bin())
        .args(["notices", "retry", "khong-phai-ma"])
        .env("DATABASE_URL", &s.db)
        .output()
        .expect("runs");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("không hợp lệ"));

    // One by id, then the rest of the unit.
    let out = centre_admin(&s.db, &["notices", "retry", &received_id]);
    assert_eq!(out, "Đã xếp lại 1 thông báo để gửi lại");
    let rows = outbox(&s.db);
    assert_eq!(
        rows[0],
        (
            "received".into(),
            "pending".into(),
            Some("0912345678".into()),
            0
        )
    );
    assert_eq!(rows[1].1, "failed");
    let out = centre_admin(
        &s.db,
        &["notices", "retry", "--all-failed", "--unit", UNIT_A],
    );
    assert_eq!(out, "Đã xếp lại 1 thông báo để gửi lại");
    let audited = centre_admin(&s.db, &["audit"]);
    assert_eq!(audited.matches("notices retry").count(), 2, "{audited}");

    gw.set(ANSWER);
    let r = send(&s.pool, &gw.sms(), morning(60));
    assert_eq!(r.sent, 2, "{r:?}");
    let r = send(&s.pool, &gw.sms(), morning(7200));
    assert_eq!(r.sent, 0, "sent once");
    assert_eq!(seen.lock().expect("lock").delivered.len(), 2);
    assert_eq!(
        centre_admin(&s.db, &["notices", "failed"]),
        "Không có thông báo nào gửi thất bại"
    );
}
