//! The desk's one owner: a printer or a centre that is slow never holds up another
//! desk action, and a centre that refuses the desk's token stops the window's
//! automatic sync with words that say what to do.

#![cfg(feature = "desk")]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use motcua::desk::Desk;
use motcua::desk::forms::PrintRequest;
use motcua::desk::work::Intake;
use motcua::domain::clock::{format_rfc3339, now_vn};
use motcua::domain::intake::IntakeInput;
use motcua::print::Paper;
use motcua::store::DataPaths;
use motcua::store::accounts::NewClerk;
use motcua::store::sync_state::Enrollment;
use motcua::ui::app::Message;
use motcua::ui::testing::Harness;

/// How long the fake printer or centre keeps the caller waiting.
const SLOW: Duration = Duration::from_secs(4);
/// What "at once" means for a store action on a loaded test machine.
const QUICK: Duration = Duration::from_millis(1500);

fn input() -> IntakeInput {
    IntakeInput::from_json(&common::dossier_json("1.004873", &format_rfc3339(now_vn())))
        .expect("json")
}

fn clerk() -> Intake<'static> {
    Intake {
        clerk: "Trần Thị Hòa",
        draft: None,
    }
}

/// A second store action, while the first is stuck: it must finish at once.
fn quick_take_in(desk: &Desk) -> Duration {
    let started = Instant::now();
    desk.take_in(input(), clerk()).expect("taken in");
    started.elapsed()
}

#[test]
fn a_slow_printer_does_not_hold_the_store() {
    // `lp` is found on PATH; this process cannot change its own environment, so the
    // check runs in a child test process whose PATH starts with a slow fake `lp`.
    if std::env::var_os("MOTCUA_TEST_SLOW_LP").is_some() {
        return slow_printer_in_child();
    }
    let bin = tempfile::tempdir().expect("tempdir");
    let lp = bin.path().join("lp");
    std::fs::write(
        &lp,
        format!(
            "#!/bin/sh\nsleep {}\necho 'request id is Cham-7 (1 file(s))'\n",
            SLOW.as_secs()
        ),
    )
    .expect("fake lp");
    Command::new("chmod")
        .arg("755")
        .arg(&lp)
        .status()
        .expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "a_slow_printer_does_not_hold_the_store",
            "--nocapture",
        ])
        .env("PATH", path)
        .env("MOTCUA_TEST_SLOW_LP", "1")
        .output()
        .expect("child test runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        if line.starts_with("figure:") {
            eprintln!("{line}");
        }
    }
}

fn slow_printer_in_child() {
    let dir = tempfile::tempdir().expect("tempdir");
    let desk = Desk::new(common::new_store(dir.path()));
    let printing = {
        let desk = desk.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let request = PrintRequest {
                printer: Some("Cham".into()),
                paper: Paper::A5,
            };
            let written = desk
                .take_in_and_print(input(), clerk(), &request)
                .expect("taken in");
            (written, started.elapsed())
        })
    };
    // The receipt is with the printer by now.
    std::thread::sleep(SLOW / 3);
    let other = quick_take_in(&desk);
    let (written, printing_took) = printing.join().expect("printing thread");
    let printed = written.printed.expect("receipt asked for");
    assert_eq!(printed.error, None);
    assert_eq!(
        printed.job.map(|(printer, job)| (printer, job.id)),
        Some(("Cham".to_string(), "Cham-7".to_string())),
        "the slow fake printer took the receipt"
    );
    assert!(
        printing_took >= SLOW,
        "the printer was slow: {printing_took:?}"
    );
    eprintln!(
        "figure: another intake took {other:?} while the printer held one for {printing_took:?}"
    );
    assert!(
        other < QUICK,
        "another intake waited {other:?} for the printer"
    );
}

/// A centre that accepts connections and never answers, until told to hang up.
fn silent_centre() -> (String, mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (hang_up, wait) = mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let (conn, _) = listener.accept().expect("a desk connects");
        let _ = wait.recv();
        drop(conn);
    });
    (url, hang_up, server)
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn a_silent_centre_does_not_hold_the_store_during_enrollment_or_a_sync_round() {
    let dir = tempfile::tempdir().expect("tempdir");
    let desk = Desk::new(common::new_store(dir.path()));

    let (url, hang_up, server) = silent_centre();
    let enrolling = {
        let desk = desk.clone();
        std::thread::spawn(move || block_on(desk.enroll(&url, "AAAAA-BBBBB-CCCCC-DDDDD")))
    };
    std::thread::sleep(Duration::from_millis(500));
    let other = quick_take_in(&desk);
    eprintln!("figure: an intake took {other:?} during a silent enrollment");
    assert!(other < QUICK, "an intake waited {other:?} for the centre");
    let _ = hang_up.send(());
    server.join().expect("server");
    assert!(enrolling.join().expect("enroll thread").is_err());

    let (url, hang_up, server) = silent_centre();
    desk.lock()
        .set_enrollment(
            &Enrollment {
                centre_url: url,
                token: "t".repeat(43),
            },
            now_vn(),
        )
        .expect("enrolled");
    let syncing = {
        let desk = desk.clone();
        std::thread::spawn(move || block_on(desk.sync_round(None)))
    };
    std::thread::sleep(Duration::from_millis(500));
    let other = quick_take_in(&desk);
    eprintln!("figure: an intake took {other:?} during a silent sync round");
    assert!(other < QUICK, "an intake waited {other:?} for a sync round");
    let _ = hang_up.send(());
    server.join().expect("server");
    assert!(syncing.join().expect("sync thread").is_err());
    assert_eq!(desk.lock().dossier_count().expect("count"), 2);
}

/// A centre that answers every request with `status` and a JSON error.
fn refusing_centre(status: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = [0u8; 8192];
            let _ = conn.read(&mut buf);
            let body = r#"{"error":"mã truy cập không hợp lệ"}"#;
            let _ = write!(
                conn,
                "HTTP/1.1 {status} Refused\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// A signed-in window on a desk enrolled with the centre at `url`.
fn window_enrolled_with(dir: &std::path::Path, url: &str) -> Harness {
    let mut store = common::new_store(dir);
    store
        .add_clerk(
            &NewClerk {
                username: "tran.hoa".into(),
                full_name: "Trần Thị Hòa".into(),
                password: "mật khẩu quầy 1".into(),
                is_admin: false,
            },
            now_vn(),
        )
        .expect("clerk");
    store
        .set_enrollment(
            &Enrollment {
                centre_url: url.to_string(),
                token: "t".repeat(43),
            },
            now_vn(),
        )
        .expect("enrolled");
    let clerk = store
        .login("tran.hoa", "mật khẩu quầy 1", now_vn())
        .expect("store")
        .expect("signed in");
    drop(store);
    let mut h = Harness::open(DataPaths::in_dir(dir)).expect("opens");
    h.send(Message::Login(motcua::ui::screens::login::Message::Answer(
        Ok(clerk),
    )));
    assert!(h.app.session().is_some(), "signed in");
    h
}

/// Ticks far into the future; returns how many sync rounds the window asked for.
fn rounds_asked_over_an_hour(h: &mut Harness) -> usize {
    let before = h.sync_requests;
    let start = Instant::now();
    for minutes in 1..=60 {
        h.send(Message::Tick(start + Duration::from_secs(minutes * 60)));
    }
    h.sync_requests - before
}

#[test]
fn a_refused_token_stops_automatic_sync_and_says_what_to_do() {
    for (status, words) in [
        (401, motcua::desk::sync::UNAUTHORIZED),
        (403, motcua::desk::sync::FORBIDDEN),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = window_enrolled_with(dir.path(), &refusing_centre(status));
        h.sync_round();
        assert_eq!(
            rounds_asked_over_an_hour(&mut h),
            0,
            "{status}: no retry loop against a refusal"
        );
        {
            let mut ui = iced_test::simulator(h.app.view());
            assert!(
                ui.find(words).is_ok(),
                "{status}: the status line says what to do"
            );
        }
        assert!(words.contains("Cài đặt") || words.contains("quản trị"));
        // A person acts on it: the next round goes at once.
        let clicked: Vec<Message> = {
            let mut ui = iced_test::simulator(h.app.view());
            ui.click(motcua::ui::strings::SYNC_AGAIN)
                .expect("the button is on screen");
            ui.into_messages().collect()
        };
        let before = h.sync_requests;
        h.send_all(clicked);
        assert_eq!(h.sync_requests, before + 1, "{status}: asked again by hand");
    }
}

#[test]
fn a_cut_link_is_retried_by_itself() {
    // Nothing listens here: the link is down, which a later round can cure.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = window_enrolled_with(dir.path(), &format!("http://127.0.0.1:{port}"));
    h.sync_round();
    assert!(
        rounds_asked_over_an_hour(&mut h) >= 1,
        "retried with backoff"
    );
}

#[test]
fn a_failed_daily_backup_is_a_warning_and_the_dossier_stands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let desk = Desk::new(common::new_store(dir.path()));
    // The backup folder is gone and a file stands in its place: no backup can be made.
    let backups = DataPaths::in_dir(dir.path()).backups;
    std::fs::remove_dir_all(&backups).expect("remove");
    std::fs::write(&backups, b"not a folder").expect("file");
    let written = desk.take_in(input(), clerk()).expect("taken in");
    // The backup runs after the receipt, in the background: its failure is told
    // when it ends, and again by the next write, which retries it.
    assert!(written.backup_warning.is_none(), "the receipt did not wait");
    let warning = desk.finish_backup().expect("a warning");
    assert!(warning.contains("sao lưu hằng ngày"), "{warning}");
    assert_eq!(desk.lock().dossier_count().expect("count"), 1);
    desk.take_in(input(), clerk()).expect("taken in");
    desk.wait_for_backup();
    let next = desk.take_in(input(), clerk()).expect("taken in");
    let warning = next.backup_warning.expect("told by the next write");
    assert!(warning.contains("sao lưu hằng ngày"), "{warning}");
    assert_eq!(desk.lock().dossier_count().expect("count"), 3);
}
