//! Issue #11, the desk's side: a desk trusts the centre (or whoever answers in its
//! place) only within bounds. A fake hostile centre, a small axum server in this
//! process, answers the desk's real sync client with what an attacker or a broken
//! centre would send; each test is one row of "What was seen". Answers are built as
//! plain JSON so the tests ran unchanged against the code before the fix.

mod sync_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Duration;
use motcua::domain::calendar::{CalendarEntry, CalendarEntryKind, DayOffKind};
use motcua::domain::clock::now_vn;
use motcua::domain::dossier_code::DossierCode;
use motcua::domain::event::{Event, EventBody, EventId};
use motcua::store::sync_state::{Enrollment, PulledItem};
use motcua::sync::protocol::{OutboxEvent, PushRequest};
use serde_json::{Value, json};
use sync_support::*;

type Pull = Arc<dyn Fn(i64, i64) -> Response + Send + Sync>;
type Own = Arc<dyn Fn(i64) -> Value + Send + Sync>;

/// What the fake answers: the pull and own pages, and the acked seq it claims.
struct Script {
    pull: Pull,
    own: Own,
    /// `GET /v1/push`'s answer: the acked seq and the id it claims to hold there.
    acked: (i64, Option<String>),
}

struct FakeCentre {
    addr: std::net::SocketAddr,
    /// Pull requests answered.
    pulls: Arc<AtomicUsize>,
    /// The smallest `limit` a pull asked for.
    min_limit: Arc<AtomicI64>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn json_response(v: Value) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

impl FakeCentre {
    fn start(script: Script) -> FakeCentre {
        let pulls = Arc::new(AtomicUsize::new(0));
        let min_limit = Arc::new(AtomicI64::new(i64::MAX));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (p, m) = (pulls.clone(), min_limit.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("rt");
            rt.block_on(async move {
                let Script { pull, own, acked } = script;
                let app = axum::Router::new()
                    .route(
                        "/v1/push",
                        get(move || {
                            let acked = acked.clone();
                            async move {
                                json_response(json!({
                                    "acked_seq": acked.0,
                                    "acked_event": acked.1,
                                    "server_time": chrono::Utc::now(),
                                }))
                            }
                        })
                        .post(
                            |headers: HeaderMap, body: Bytes| async move {
                                let gz = headers.get("content-encoding").is_some();
                                let req: PushRequest =
                                    motcua::sync::wire::from_body(&body, gz, 1 << 26)
                                        .expect("push");
                                let last = req.events.last().map_or(0, |e: &OutboxEvent| e.seq);
                                // It quarantines every event of a dossier numbered 0002.
                                let refused: Vec<Value> = req
                                    .events
                                    .iter()
                                    .filter(|e| e.event.dossier.number() == 2)
                                    .map(|e| {
                                        json!({"seq": e.seq, "event": e.event.id,
                                            "dossier": e.event.dossier, "reason": "Lý do thử nghiệm"})
                                    })
                                    .collect();
                                json_response(json!({
                                    "acked_seq": last,
                                    "refused": refused,
                                    "server_time": chrono::Utc::now(),
                                }))
                            },
                        ),
                    )
                    .route(
                        "/v1/pull",
                        get(
                            move |Query(q): Query<std::collections::HashMap<String, String>>| {
                                let pull = pull.clone();
                                let (p, m) = (p.clone(), m.clone());
                                async move {
                                    let after =
                                        q.get("after").and_then(|v| v.parse().ok()).unwrap_or(0);
                                    let limit =
                                        q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(1000);
                                    if p.fetch_add(1, Ordering::SeqCst) > 2000 {
                                        // Let a desk that never stops end its round at last.
                                        return (
                                            axum::http::StatusCode::SERVICE_UNAVAILABLE,
                                            "stop",
                                        )
                                            .into_response();
                                    }
                                    m.fetch_min(limit, Ordering::SeqCst);
                                    pull(after, limit)
                                }
                            },
                        ),
                    )
                    .route(
                        "/v1/own",
                        get(
                            move |Query(q): Query<std::collections::HashMap<String, String>>| {
                                let own = own.clone();
                                async move {
                                    let after = q
                                        .get("after_seq")
                                        .and_then(|v| v.parse().ok())
                                        .unwrap_or(0);
                                    json_response(own(after))
                                }
                            },
                        ),
                    );
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                addr_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("send");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stop_rx.await;
                    })
                    .await
                    .expect("serve");
            })
        });
        FakeCentre {
            addr: addr_rx.recv().expect("started"),
            pulls,
            min_limit,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }
}

impl Drop for FakeCentre {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn empty_own() -> Own {
    Arc::new(
        |_| json!({"events": [], "acked_seq": 0, "more": false, "server_time": chrono::Utc::now()}),
    )
}

fn page(items: Vec<Value>, next_cursor: i64, more: bool) -> Response {
    json_response(json!({
        "items": items,
        "next_cursor": next_cursor,
        "more": more,
        "server_time": chrono::Utc::now(),
    }))
}

fn event_item(seq: i64, event: &Event) -> Value {
    json!({"seq": seq, "type": "event", "event": event})
}

/// A desk of unit A, index 0, with `n` dossiers, enrolled with the fake.
fn desk_with(fake: &FakeCentre, n: usize) -> (Desk, Vec<String>) {
    let desk = Desk::new(UNIT_A, 0);
    let codes = desk.take_dossiers(n);
    desk.store()
        .set_enrollment(
            &Enrollment {
                centre_url: format!("http://{}", fake.addr),
                token: "ab".repeat(32),
            },
            now_vn(),
        )
        .expect("enrolled");
    (desk, codes)
}

/// A receipt written by another desk (index 1) of `unit`, numbered `number` today.
fn foreign_receipt(unit: &str, number: u16, name: &str) -> Event {
    let desk = Desk::new(UNIT_A, 1);
    desk.take_dossiers(1);
    let mut e = desk.store().outbox_after(0, 1).expect("outbox").remove(0).1;
    let code = e.dossier.to_string();
    let (_, rest) = code.split_once('-').expect("code");
    let day = &rest[..6];
    e.dossier = DossierCode::parse(&format!("{unit}-{day}-{number:04}")).expect("code");
    e.id = EventId::new();
    if let EventBody::Received { content, .. } = &mut e.body {
        content.applicant.full_name = name.to_string();
    }
    e
}

fn pull_once(items: Vec<Value>, next_cursor: i64) -> Pull {
    let items = Arc::new(items);
    Arc::new(move |after, _| {
        if after == 0 {
            page((*items).clone(), next_cursor, false)
        } else {
            page(Vec::new(), after, false)
        }
    })
}

fn held_event_count(desk: &Desk, code: &str) -> i64 {
    desk.store()
        .conn()
        .query_row(
            "SELECT count(*) FROM dossier_event WHERE dossier_code = ?1",
            [code],
            |r| r.get(0),
        )
        .expect("count")
}

#[test]
fn row2_a_planted_receipt_at_the_top_of_the_range_does_not_block_intake() {
    let desk = Desk::new(UNIT_A, 0);
    desk.take_dossiers(1);
    // Applied as if it had come through the feed (the store's own defence is tested here,
    // whatever the pull checks would have said).
    let planted = foreign_receipt(UNIT_A, 999, "Kẻ Mạo Danh");
    desk.store()
        .apply_pull_page(&[(1, PulledItem::Event(Box::new(planted)))], 1, now_vn())
        .expect("applied");
    let codes = desk.take_dossiers(1);
    assert!(codes[0].ends_with("-0002"), "{codes:?}");
}

#[test]
fn row10_another_units_events_are_not_stored() {
    let other = foreign_receipt(UNIT_B, 1001, "Nguyễn Văn Khác");
    let fake = FakeCentre::start(Script {
        pull: pull_once(vec![event_item(1, &other)], 1),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, _) = desk_with(&fake, 0);
    let report = desk
        .sync(None)
        .expect("a refused item does not fail the round");
    assert_eq!(report.pull_cursor, 1, "the cursor passes it");
    assert_eq!(held_event_count(&desk, &other.dossier.to_string()), 0);
    assert!(desk.store().search("Khác", 10).expect("search").is_empty());
}

#[test]
fn row10_a_second_receipt_never_replaces_the_citizen() {
    let fake_pull: Arc<std::sync::Mutex<Option<Value>>> = Arc::new(std::sync::Mutex::new(None));
    let fp = fake_pull.clone();
    let fake = FakeCentre::start(Script {
        pull: Arc::new(
            move |after, _| match (after, fp.lock().expect("lock").clone()) {
                (0, Some(item)) => page(vec![item], 1, false),
                _ => page(Vec::new(), after, false),
            },
        ),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, codes) = desk_with(&fake, 1);
    let before = desk.store().dossier(&codes[0]).expect("dossier");
    // An antedated receipt for the desk's own code, from "another desk".
    let mut forged = foreign_receipt(UNIT_A, 1, "Kẻ Thay Thế");
    forged.dossier = before.code.clone();
    forged.at = before.content.received_at - Duration::hours(1);
    *fake_pull.lock().expect("lock") = Some(event_item(1, &forged));
    desk.sync(None).expect("sync");
    let after = desk.store().dossier(&codes[0]).expect("dossier");
    assert_eq!(
        after.content.applicant.full_name,
        before.content.applicant.full_name
    );
    assert_eq!(held_event_count(&desk, &codes[0]), 1);
}

#[test]
fn row10_a_cursor_past_what_was_shown_is_refused() {
    let other = foreign_receipt(UNIT_A, 1001, "Trần Thị Bình");
    let fake = FakeCentre::start(Script {
        pull: pull_once(vec![event_item(1, &other)], i64::MAX),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, _) = desk_with(&fake, 0);
    let _ = desk.sync(None);
    let cursor = desk.store().sync_state().expect("state").pull_cursor;
    assert!(cursor <= 1, "cursor jumped to {cursor}");
}

#[test]
fn row10_endless_paging_is_capped_per_round() {
    let fake = FakeCentre::start(Script {
        pull: Arc::new(|after, _| {
            let cal = json!({"seq": after + 1, "type": "calendar", "entries": []});
            page(vec![cal], after + 1, true)
        }),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, _) = desk_with(&fake, 0);
    let _ = desk.sync(None);
    let pulls = fake.pulls.load(Ordering::SeqCst);
    assert!(pulls <= 250, "{pulls} pull requests in one round");
}

/// A raw HTTP server that acknowledges nothing to push and answers every pull with an
/// endless JSON string, announcing no length; returns its address and the most bytes
/// one answer got out before the desk hung up.
fn endless_centre() -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let sent = Arc::new(AtomicUsize::new(0));
    let s = sent.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let s = s.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(conn.try_clone().expect("clone"));
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // Skip the headers.
                let mut h = String::new();
                while reader.read_line(&mut h).is_ok_and(|n| n > 2) {
                    h.clear();
                }
                if line.contains("/v1/pull") {
                    let _ = conn.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"items\": [], \"x\": \"",
                    );
                    let chunk = vec![b'a'; 1 << 20];
                    let mut mine = 0;
                    for _ in 0..400 {
                        if conn.write_all(&chunk).is_err() {
                            return;
                        }
                        mine += chunk.len();
                        s.fetch_max(mine, Ordering::SeqCst);
                    }
                } else {
                    let body = format!(
                        "{{\"acked_seq\": 0, \"server_time\": \"{}\"}}",
                        chrono::Utc::now().to_rfc3339()
                    );
                    let _ = conn.write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    );
                }
            });
        }
    });
    (addr, sent)
}

#[test]
fn row10_a_huge_reply_is_cut_while_reading() {
    let (addr, sent) = endless_centre();
    let desk = Desk::new(UNIT_A, 0);
    desk.store()
        .set_enrollment(
            &Enrollment {
                centre_url: format!("http://{addr}"),
                token: "ab".repeat(32),
            },
            now_vn(),
        )
        .expect("enrolled");
    let err = desk.sync(None).expect_err("refused");
    assert!(err.contains("quá lớn"), "{err}");
    let sent = sent.load(Ordering::SeqCst);
    assert!(
        sent < 120 << 20,
        "the desk read on to {} MB before refusing",
        sent >> 20
    );
}

#[test]
fn row6_a_page_too_large_is_asked_again_in_smaller_pages() {
    let item = foreign_receipt(UNIT_A, 1001, "Lê Văn Cường");
    let item = Arc::new(item);
    let fake = FakeCentre::start(Script {
        pull: Arc::new(move |after, limit| {
            if limit > 100 {
                // A page of 17 MB: more than any desk reads.
                let junk = "a".repeat(17 << 20);
                return json_response(json!({"items": [], "next_cursor": after, "more": false,
                    "server_time": chrono::Utc::now(), "junk": junk}));
            }
            if after == 0 {
                page(vec![event_item(1, &item)], 1, false)
            } else {
                page(Vec::new(), after, false)
            }
        }),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, _) = desk_with(&fake, 0);
    let report = desk.sync(None).expect("smaller pages pass");
    assert_eq!(report.pulled_events, 1);
    assert!(fake.min_limit.load(Ordering::SeqCst) <= 100);
}

#[test]
fn row10_own_events_must_carry_this_desks_origin_and_unit() {
    let foreign = foreign_receipt(UNIT_A, 1001, "Phạm Văn Lạ");
    let foreign_id = foreign.id.to_string();
    let fake = FakeCentre::start(Script {
        pull: pull_once(Vec::new(), 0),
        own: Arc::new(move |after| {
            let events = if after == 0 {
                vec![json!({"seq": 1, "event": foreign})]
            } else {
                Vec::new()
            };
            json!({"events": events, "acked_seq": 1, "more": false, "server_time": chrono::Utc::now()})
        }),
        // The centre claims to hold seq 1 with the foreign event: the desk recovers.
        acked: (1, Some(foreign_id.clone())),
    });
    let (desk, _) = desk_with(&fake, 2);
    let own_before = desk.store().outbox_after(0, 10).expect("outbox");
    let err = desk.sync(None).expect_err("refused");
    assert!(err.contains("không phải của quầy này"), "{err}");
    let own_after = desk.store().outbox_after(0, 10).expect("outbox");
    assert_eq!(own_before, own_after, "nothing renumbered");
    assert_eq!(
        desk.store()
            .conn()
            .query_row(
                "SELECT count(*) FROM dossier_event WHERE id = ?1",
                [&foreign_id],
                |r| r.get::<_, i64>(0)
            )
            .expect("count"),
        0
    );
}

#[test]
fn row10_an_absurd_catalogue_or_calendar_is_not_applied() {
    let desk_probe = Desk::new(UNIT_A, 0);
    let mut procedure = desk_probe
        .store()
        .procedure(&motcua::domain::procedure::ProcedureCode::parse("1.004873").expect("code"))
        .expect("procedure");
    let limit_before = procedure.time_limits.clone();
    assert!(!procedure.time_limits.is_empty(), "1.004873 has a limit");
    for case in &mut procedure.time_limits {
        case.limit.value = u32::MAX;
    }
    let year = chrono::Datelike::year(&now_vn());
    let mut days = Vec::new();
    let mut d = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("date");
    while chrono::Datelike::year(&d) <= 2099 {
        days.push(CalendarEntry {
            date: d,
            kind: CalendarEntryKind::Off(DayOffKind::Statutory),
            name: "Nghỉ".into(),
        });
        d = d.succ_opt().expect("next");
    }
    let items = vec![
        json!({"seq": 1, "type": "catalogue", "procedures": [procedure]}),
        json!({"seq": 2, "type": "calendar", "entries": days}),
    ];
    let fake = FakeCentre::start(Script {
        pull: pull_once(items, 2),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, _) = desk_with(&fake, 0);
    let _ = desk.sync(None);
    let store = desk.store();
    let after = store
        .procedure(&motcua::domain::procedure::ProcedureCode::parse("1.004873").expect("code"))
        .expect("procedure");
    assert_eq!(after.time_limits, limit_before);
    let codes = desk.take_dossiers(1);
    let due = desk.store().dossier(&codes[0]).expect("dossier").due_at;
    assert!(
        chrono::Datelike::year(&due) <= year + 1,
        "due date {due} from a calendar of holidays"
    );
}

#[test]
fn row5_unchecked_text_is_not_stored_on_pull_and_never_printed_raw() {
    let bad = foreign_receipt(
        UNIT_A,
        1001,
        "Nguyễn \u{1b}]0;pwned\u{7}\u{1b}[2J Hoa\nForged\trow",
    );
    let fake = FakeCentre::start(Script {
        pull: pull_once(vec![event_item(1, &bad)], 1),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, _) = desk_with(&fake, 0);
    desk.sync(None).expect("sync");
    assert_eq!(held_event_count(&desk, &bad.dossier.to_string()), 0);

    // Whatever is already in a store (an older version took it in) is printed escaped.
    desk.store()
        .apply_pull_page(
            &[(2, PulledItem::Event(Box::new(bad.clone())))],
            2,
            now_vn(),
        )
        .expect("applied");
    for args in [
        vec!["show".to_string(), bad.dossier.to_string()],
        vec!["search".to_string(), "Nguyen".to_string()],
    ] {
        let out = std::process::Command::new(desk_bin())
            .env("MOTCUA_DATA_DIR", desk.dir.path())
            .args(&args)
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("pwned"), "{args:?}: {text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text:?}"
        );
        assert!(!text.contains("\nForged"), "{args:?}: {text:?}");
    }
}

#[test]
fn row11_the_token_is_not_in_a_backup() {
    let desk = Desk::new(UNIT_A, 0);
    desk.take_dossiers(1);
    let token = "c0ffee".repeat(10) + "abcd";
    desk.store()
        .set_enrollment(
            &Enrollment {
                centre_url: "https://trungtam.example".into(),
                token: token.clone(),
            },
            now_vn(),
        )
        .expect("enrolled");
    let dest = desk.dir.path().join("copy.sqlite");
    desk.store().backup_to(&dest).expect("backup");
    let bytes = std::fs::read(&dest).expect("read");
    assert!(
        !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
        "the bearer token is in the backup file"
    );
}

#[test]
fn https_is_required_except_on_loopback() {
    let desk = Desk::new(UNIT_A, 0);
    desk.store()
        .set_enrollment(
            &Enrollment {
                centre_url: "http://192.0.2.10:8088".into(),
                token: "ab".repeat(32),
            },
            now_vn(),
        )
        .expect("enrolled");
    let err = desk.sync(None).expect_err("refused");
    assert!(err.contains("https://"), "{err}");
}

#[test]
fn an_event_the_centre_quarantined_is_recorded_and_shown_and_the_rest_goes_on() {
    let fake = FakeCentre::start(Script {
        pull: pull_once(Vec::new(), 0),
        own: empty_own(),
        acked: (0, None),
    });
    let (desk, codes) = desk_with(&fake, 3);
    let report = desk.sync(None).expect("sync");
    assert_eq!(report.acked_seq, 3, "not stuck behind the refused one");
    assert_eq!(report.pending, 0);
    assert_eq!(report.refused, 1);
    let refused = desk.store().refused_items(10).expect("list");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].dossier_code.as_deref(), Some(codes[1].as_str()));
    let out = std::process::Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", desk.dir.path())
        .args(["sync", "status"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Mục bị từ chối:         1") && text.contains("Lý do thử nghiệm"),
        "{text}"
    );
}
