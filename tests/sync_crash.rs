//! Crashes: the real `motcua-centre` killed (SIGKILL) and restarted in the middle of a
//! push, and the desk's own `motcua sync --once` process killed mid-sync. After each,
//! one more round converges exactly: nothing lost, nothing twice.

mod sync_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use motcua::domain::clock::now_vn;
use sync_support::*;

fn spawn_centre(db: &str, port: u16) -> KillOnDrop {
    KillOnDrop(
        Command::new(centre_bin())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", db)
            .env("MOTCUA_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("centre starts"),
    )
}

fn healthy(port: u16) -> Result<(), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    if answer.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        Err(answer)
    }
}

fn wait_exit(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("process did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_converged(db: &str, desks: &[&Desk]) {
    let centre_ids = centre_event_ids(db, UNIT_A);
    let expected: i64 = desks
        .iter()
        .map(|d| d.store().sync_state().expect("state").last_seq)
        .sum();
    assert_eq!(
        centre_ids.len() as i64,
        expected,
        "every own event once at the centre"
    );
    assert_eq!(centre_count(db, "event"), expected, "nothing duplicated");
    for d in desks {
        assert_eq!(d.event_ids(), centre_ids, "desk converged");
        assert_eq!(d.store().sync_state().expect("state").pending(), 0);
    }
}

#[test]
fn centre_killed_and_restarted_mid_push() {
    let db = fresh_database();
    add_units(&db);
    let port = free_port();
    let mut centre = spawn_centre(&db, port);
    eventually(Duration::from_secs(30), || healthy(port));
    let url = format!("http://127.0.0.1:{port}");

    let desk = Desk::new(UNIT_A, 0);
    desk.store()
        .demo_data(4000, 11, now_vn(), |_| {})
        .expect("demo data");
    desk.enroll(&url, &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolls");

    let mut rng = fastrand::Rng::with_seed(42);
    let mut interrupted = 0;
    for _ in 0..4 {
        let mut sync = desk
            .sync_command(None)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sync");
        std::thread::sleep(Duration::from_millis(rng.u64(20..250)));
        centre.0.kill().expect("kill centre");
        let _ = centre.0.wait();
        if !wait_exit(&mut sync, Duration::from_secs(60)).success() {
            interrupted += 1;
        }
        centre = spawn_centre(&db, port);
        eventually(Duration::from_secs(30), || healthy(port));
    }
    assert!(interrupted > 0, "at least one push was cut by the crash");

    let out = desk.sync_command(None).output().expect("sync");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = Desk::new(UNIT_A, 1);
    other
        .enroll(&url, &enroll_code(&db, UNIT_A, Some(1)))
        .expect("enrolls");
    other.sync(None).expect("pulls");
    assert_converged(&db, &[&desk, &other]);
}

#[test]
fn desk_process_killed_mid_sync() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let sender = Desk::new(UNIT_A, 0);
    sender
        .store()
        .demo_data(4000, 5, now_vn(), |_| {})
        .expect("demo data");
    let receiver = Desk::new(UNIT_A, 1);
    receiver.take_dossiers(3);
    for (d, i) in [(&sender, 0), (&receiver, 1)] {
        d.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(i)))
            .expect("enrolls");
    }
    let mut rng = fastrand::Rng::with_seed(7);
    let mut killed = 0;
    for round in 0..6 {
        // The sender is killed pushing, the receiver pulling (after the first rounds).
        let desk = if round % 2 == 0 { &sender } else { &receiver };
        let mut child = desk
            .sync_command(None)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sync");
        std::thread::sleep(Duration::from_millis(rng.u64(30..300)));
        if child.try_wait().expect("wait").is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(killed > 0, "at least one sync was killed mid-way");
    for d in [&sender, &receiver, &sender] {
        let out = d.sync_command(None).output().expect("sync");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_converged(&db, &[&sender, &receiver]);
}
