//! The centre at province scale (issue 23): many desks in many units, each pushing 50
//! events and pulling its unit, against the real `motcua-centre serve` on a private
//! PostgreSQL. Checks that nothing is lost or duplicated and prints the figures: push
//! p50/p99, centre RSS, and how long a transaction held open in unit A delays a push in
//! unit B. The default is a small form CI runs in seconds; the size is a parameter:
//!
//! ```sh
//! cargo test --test sync_scale -- --nocapture                       # 4 units × 2 desks
//! MOTCUA_SCALE_UNITS=170 MOTCUA_SCALE_DESKS=6 cargo test --release --test sync_scale -- --nocapture
//! ```
//!
//! The lock probe works on both schemas: before issue 23 a push took the one
//! province-wide advisory lock; after it, the row of its unit in `unit_feed`.

mod sync_support;

use std::sync::Barrier;
use std::time::{Duration, Instant};

use motcua::sync::client::{CentreClient, PUSH_BATCH};
use motcua::sync::protocol::{OutboxEvent, PushRequest};
use sync_support::*;

const EVENTS_PER_DESK: usize = 50;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Unit codes of a province: `H22.40.01`, `H22.40.02`, … (99 to a district).
fn unit_codes(n: usize) -> Vec<&'static str> {
    (0..n)
        .map(|i| {
            let code = format!("H22.{}.{:02}", 40 + i / 99, i % 99 + 1);
            &*Box::leak(code.into_boxed_str())
        })
        .collect()
}

/// Adds the load test's units, waits for the centre to answer, and makes `per_unit`
/// desks of each unit (not enrolled yet).
fn units_and_desks(db: &str, url: &str, units: &[&'static str], per_unit: usize) -> Vec<Desk> {
    for u in units {
        centre_admin(
            db,
            &["unit", "add", "--code", u, "--name", "Phường thử tải"],
        );
    }
    eventually(Duration::from_secs(60), || {
        block_on(async {
            reqwest::get(format!("{url}/healthz"))
                .await
                .map_err(|e| e.to_string())?
                .error_for_status()
                .map_err(|e| e.to_string())
        })
    });
    units
        .iter()
        .flat_map(|u| (0..per_unit).map(move |i| Desk::new(u, i as u8)))
        .collect()
}

/// Pushes everything the desk has not had acknowledged, timing each request.
fn push_all(desk: &Desk, url: &str) -> Result<Vec<Duration>, String> {
    let mut store = desk.store();
    let token = desk.token();
    let last = store.sync_state().map_err(|e| e.to_string())?.last_seq;
    let client = CentreClient::new(url).map_err(|e| e.to_string())?;
    block_on(async {
        let ack = client
            .acked(&token, &Default::default())
            .await
            .map_err(|e| e.to_string())?;
        let mut acked = ack.acked_seq;
        let mut times = Vec::new();
        while acked < last {
            let events = store
                .outbox_after(acked, PUSH_BATCH)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|(seq, event)| OutboxEvent { seq, event })
                .collect();
            let t = Instant::now();
            let ack = client
                .push(&token, &PushRequest { events })
                .await
                .map_err(|e| e.to_string())?;
            times.push(t.elapsed());
            if ack.acked_seq <= acked {
                return Err(format!("no progress at {acked}"));
            }
            acked = ack.acked_seq;
            store.set_acked(acked, None).map_err(|e| e.to_string())?;
        }
        Ok(times)
    })
}

fn all_at_once<T: Send>(desks: &[Desk], f: impl Fn(&Desk) -> T + Sync) -> Vec<T> {
    let gate = Barrier::new(desks.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = desks
            .iter()
            .map(|d| {
                let (gate, f) = (&gate, &f);
                s.spawn(move || {
                    gate.wait();
                    f(d)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("desk thread"))
            .collect()
    })
}

fn ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Holds, in its own transaction, what a push of `unit` holds while it writes, for
/// `hold`; meanwhile times a push of `desk` (another unit). Returns the push's time.
fn push_while_unit_held(db: &str, unit: &str, hold: Duration, desk: &Desk, url: &str) -> Duration {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let (client, task) = rt.block_on(async {
        tokio_postgres::connect(db, tokio_postgres::NoTls)
            .await
            .expect("connect")
    });
    let conn = rt.spawn(task);
    let per_unit = rt.block_on(async {
        client
            .query_one("SELECT to_regclass('unit_feed') IS NOT NULL", &[])
            .await
            .expect("schema")
            .get::<_, bool>(0)
    });
    rt.block_on(async {
        client.batch_execute("BEGIN").await.expect("begin");
        if per_unit {
            client
                .execute(
                    "UPDATE unit_feed SET next_seq = next_seq WHERE unit_code = $1",
                    &[&unit],
                )
                .await
                .expect("unit row");
        } else {
            client
                .execute(
                    "SELECT pg_advisory_xact_lock($1)",
                    &[&motcua::centre::db::FEED_LOCK],
                )
                .await
                .expect("feed lock");
        }
    });
    let took = std::thread::scope(|s| {
        let pusher = s.spawn(|| {
            let t = Instant::now();
            push_all(desk, url).expect("push of unit B");
            t.elapsed()
        });
        let start = Instant::now();
        while !pusher.is_finished() && start.elapsed() < hold {
            std::thread::sleep(Duration::from_millis(5));
        }
        rt.block_on(async { client.batch_execute("ROLLBACK").await.expect("rollback") });
        pusher.join().expect("pusher")
    });
    drop(client);
    let _ = rt.block_on(conn);
    took
}

#[test]
fn province_of_desks_push_and_pull_exactly_once() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let n_units = env_or("MOTCUA_SCALE_UNITS", 4).max(2);
    let per_unit = env_or("MOTCUA_SCALE_DESKS", 2).clamp(1, 10);
    let units = unit_codes(n_units);
    let total = n_units * per_unit;
    let t0 = Instant::now();

    let db = fresh_database();
    let (port, centre) = serve_centre_process(&db, &[]);
    let url = format!("http://127.0.0.1:{port}");
    let desks = units_and_desks(&db, &url, &units, per_unit);
    std::thread::scope(|s| {
        for half in desks.chunks(desks.len().div_ceil(2)) {
            s.spawn(move || {
                for d in half {
                    d.take_dossiers(EVENTS_PER_DESK);
                }
            });
        }
    });
    for d in &desks {
        d.enroll(&url, &enroll_code(&db, d.unit, Some(d.index)))
            .expect("enroll");
    }
    println!(
        "scale: {n_units} units × {per_unit} desks = {total} desks × {EVENTS_PER_DESK} events, prepared in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    // Every desk pushes at once.
    let t = Instant::now();
    let pushed = all_at_once(&desks, |d| push_all(d, &url));
    let wall = t.elapsed();
    let mut times: Vec<Duration> = Vec::new();
    for (d, r) in desks.iter().zip(&pushed) {
        match r {
            Ok(ts) => times.extend(ts),
            Err(e) => panic!("push of {} desk {} failed: {e}", d.unit, d.index),
        }
    }
    times.sort();
    println!(
        "push: {} requests in {:.2} s; p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        times.len(),
        wall.as_secs_f64(),
        ms(&times, 50.0),
        ms(&times, 99.0),
        ms(&times, 100.0)
    );

    // Every desk pulls at once: it must hold its whole unit, each event once.
    let t = Instant::now();
    let pulled = all_at_once(&desks, |d| d.sync(Some(&url)));
    println!("pull: {total} desks in {:.2} s", t.elapsed().as_secs_f64());
    for (d, r) in desks.iter().zip(&pulled) {
        let report = r.as_ref().expect("sync round");
        let others = ((per_unit - 1) * EVENTS_PER_DESK) as u64;
        assert_eq!(report.pulled_events, others, "{} desk {}", d.unit, d.index);
        let ids = d.event_ids();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "duplicated events on a desk");
        assert_eq!(
            ids.len(),
            per_unit * EVENTS_PER_DESK,
            "{} desk {}",
            d.unit,
            d.index
        );
        assert_eq!(
            d.dossier_codes().len(),
            per_unit * EVENTS_PER_DESK,
            "lost dossiers on {} desk {}",
            d.unit,
            d.index
        );
    }
    let held = centre_count(&db, "event");
    assert_eq!(
        held,
        (total * EVENTS_PER_DESK) as i64,
        "events held by the centre"
    );
    println!("lost 0, duplicated 0: the centre holds {held} events, every desk its unit");

    // A transaction held open in unit A: how long does a push of unit B wait?
    let b = desks
        .iter()
        .find(|d| d.unit == units[1])
        .expect("unit B desk");
    b.take_dossiers(5);
    let delay = push_while_unit_held(&db, units[0], Duration::from_secs(3), b, &url);
    println!(
        "push in unit B with unit A's transaction open 3 s: {:.0} ms",
        delay.as_secs_f64() * 1e3
    );
    let (rss, hwm) = rss_kib(centre.0.id());
    println!(
        "centre RSS {:.0} MiB (peak {:.0} MiB); total {:.1} s",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        t0.elapsed().as_secs_f64()
    );
    if std::env::var("MOTCUA_SCALE_STRICT").map_or(true, |v| v != "0") {
        assert!(
            delay < Duration::from_millis(1500),
            "a push in unit B waited {delay:?} for unit A's transaction"
        );
    }
}

/// One desk's return after an outage: rounds until one succeeds, waiting after a 503
/// what the centre's `Retry-After` says, spread by the desk's jitter. Returns the
/// number of 503s met.
fn round_until_done(d: &Desk, url: &str, deadline: Instant) -> Result<u32, String> {
    let desk = motcua::desk::Desk::new(d.store());
    let mut backoff =
        motcua::sync::backoff::Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
    let mut busy = 0;
    loop {
        match block_on(desk.sync_round(Some(url))) {
            Ok(_) => return Ok(busy),
            Err(e @ motcua::sync::client::SyncError::Busy { .. }) => {
                busy += 1;
                let wait = backoff.after(&e);
                if Instant::now() + wait > deadline {
                    return Err(format!("still refused after {busy} tries: {e}"));
                }
                std::thread::sleep(wait);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Many desks return at once to a centre sized far too small for them: it answers 503
/// with `Retry-After` instead of queueing, every desk comes back later by itself, and
/// in the end every desk holds its whole unit, nothing lost or duplicated.
#[test]
fn a_flooded_centre_answers_503_and_every_desk_converges() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let units = unit_codes(4);
    let per_unit = 3;
    let db = fresh_database();
    let (port, _centre) = serve_centre_process(
        &db,
        &[
            ("MOTCUA_CENTRE_POOL_SIZE", "2"),
            ("MOTCUA_CENTRE_MAX_IN_FLIGHT", "2"),
            ("MOTCUA_CENTRE_POOL_WAIT_MS", "50"),
            ("MOTCUA_CENTRE_RETRY_AFTER", "1"),
        ],
    );
    let url = format!("http://127.0.0.1:{port}");
    let desks = units_and_desks(&db, &url, &units, per_unit);
    for d in &desks {
        d.take_dossiers(EVENTS_PER_DESK);
        d.enroll(&url, &enroll_code(&db, d.unit, Some(d.index)))
            .expect("enroll");
    }

    // The morning return: every desk at once, twice (the second round pulls what the
    // others pushed after this desk's first round).
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut refused = 0;
    for _ in 0..2 {
        for (d, r) in desks
            .iter()
            .zip(all_at_once(&desks, |d| round_until_done(d, &url, deadline)))
        {
            refused += r.unwrap_or_else(|e| panic!("{} desk {}: {e}", d.unit, d.index));
        }
    }
    println!(
        "flood: {} desks, {refused} answers 503 with Retry-After",
        desks.len()
    );
    assert!(refused > 0, "the centre never said it was saturated");

    // (A `Busy` error is only made from a 503 that carries `Retry-After`.)
    let held = centre_count(&db, "event");
    assert_eq!(
        held,
        (desks.len() * EVENTS_PER_DESK) as i64,
        "events held by the centre"
    );
    for d in &desks {
        let ids = d.event_ids();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "duplicated events on a desk");
        assert_eq!(
            ids.len(),
            per_unit * EVENTS_PER_DESK,
            "{} desk {}",
            d.unit,
            d.index
        );
    }
}
