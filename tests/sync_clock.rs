//! A wrong desk clock: the clerk is told at each sync and in `sync status`, and the
//! order of events never depends on it (every machine converges to the same state).

mod sync_support;

use std::process::Command;

use chrono::Duration;
use motcua::domain::clock::now_vn;
use motcua::domain::intake::IntakeInput;
use motcua::store::sync_state::Enrollment;
use sync_support::*;

/// A centre stand-in whose clock runs `skew` ahead of this machine: it answers the
/// acknowledged seq and an empty feed, which is all a round with nothing to send needs.
struct SkewedCentre {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SkewedCentre {
    fn start(skew: Duration) -> SkewedCentre {
        use axum::routing::get;
        use motcua::sync::protocol::{AckResponse, PullResponse};
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            block_on(async move {
                let app = axum::Router::new()
                    .route(
                        "/v1/push",
                        get(move || async move {
                            axum::Json(AckResponse {
                                public_url: None,
                                acked_seq: 0,
                                inserted: 0,
                                acked_event: None,
                                refused: Vec::new(),
                                server_time: chrono::Utc::now() + skew,
                            })
                        }),
                    )
                    .route(
                        "/v1/pull",
                        get(move || async move {
                            axum::Json(PullResponse {
                                items: Vec::new(),
                                next_cursor: 0,
                                more: false,
                                server_time: chrono::Utc::now() + skew,
                                province: None,
                                epoch: None,
                                rewound_to: None,
                            })
                        }),
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
        SkewedCentre {
            addr: addr_rx.recv().expect("started"),
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }
}

impl Drop for SkewedCentre {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn a_desk_clock_off_by_more_than_five_minutes_is_named_at_each_sync_and_in_status() {
    let fake = SkewedCentre::start(Duration::minutes(12));
    let desk = Desk::new(UNIT_A, 0);
    desk.store()
        .set_enrollment(
            &Enrollment {
                centre_url: format!("http://{}", fake.addr),
                token: "ab".repeat(32),
            },
            now_vn(),
        )
        .expect("enrolled");
    let out = desk.sync_command(None).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Cảnh báo: Đồng hồ máy này chậm hơn trung tâm 12 phút")
            || stderr.contains("Cảnh báo: Đồng hồ máy này chậm hơn trung tâm 11 phút"),
        "{stderr}"
    );
    let status = Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", desk.dir.path())
        .args(["sync", "status"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("Đồng hồ máy này chậm hơn trung tâm"),
        "{text}"
    );
    assert!(
        text.contains("(cảnh báo)"),
        "a wrong clock is a warning: {text}"
    );

    // Within five minutes: nothing to say.
    drop(fake);
    let fair = SkewedCentre::start(Duration::minutes(2));
    let out = desk
        .sync_command(Some(&format!("http://{}", fair.addr)))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("Đồng hồ"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn desks_with_skewed_clocks_converge_to_the_same_state_as_the_centre() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let fast = Desk::new(UNIT_A, 0);
    let slow = Desk::new(UNIT_A, 1);
    for (desk, i) in [(&fast, 0), (&slow, 1)] {
        desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(i)))
            .expect("enrolls");
    }
    // The fast desk's clock is 3 hours ahead: its receipt is stamped after every step
    // the centre and the slow desk (2 hours behind) record on the dossier.
    let skewed = |hours: i64| now_vn() + Duration::hours(hours);
    let input = IntakeInput::from_json(&dossier_json(0)).expect("json");
    let code = fast
        .store()
        .intake(input, "Trần Văn Bình", skewed(3))
        .expect("intake")
        .code
        .to_string();
    fast.sync(None).expect("push");
    slow.sync(None).expect("pull");
    centre.admin(&[
        "record",
        &code,
        "supplement-request",
        "--item",
        "Bản sao giấy khai sinh",
        "--note",
        "Thiếu giấy tờ",
    ]);
    let slow_input = IntakeInput::from_json(&dossier_json(1)).expect("json");
    let slow_code = slow
        .store()
        .intake(slow_input, "Lê Thị Hà", skewed(-2))
        .expect("intake")
        .code
        .to_string();
    slow.sync(None).expect("push");
    centre.admin(&["record", &slow_code, "result-ready"]);
    for _ in 0..2 {
        for desk in [&fast, &slow] {
            desk.sync(None).expect("round");
        }
    }
    let centre_state = |code: &str| {
        let db = db.clone();
        let code = code.to_string();
        block_on(async move {
            let pool = motcua::centre::db::pool(&db, 1).expect("pool");
            let client = pool.get().await.expect("client");
            let events = motcua::centre::admin::dossier_events(&client, &code)
                .await
                .expect("events");
            motcua::domain::lifecycle::fold(&events).expect("folds")
        })
    };
    for code in [&code, &slow_code] {
        let at_centre = centre_state(code);
        let on_fast = fast.store().dossier(code).expect("on the fast desk");
        let on_slow = slow.store().dossier(code).expect("on the slow desk");
        assert_eq!(on_fast, at_centre, "{code}");
        assert_eq!(on_slow, at_centre, "{code}");
    }
    assert_eq!(
        fast.status_of(&code),
        5,
        "the centre's step applies after the receipt"
    );
    assert_eq!(slow.status_of(&slow_code), 9);
    assert_eq!(fast.event_ids(), slow.event_ids());
    assert_eq!(fast.event_ids(), centre_event_ids(&db, UNIT_A));
}
