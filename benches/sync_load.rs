//! Load (issues #7 and #23): desks taken offline, all coming back to one centre: the real
//! `motcua-centre serve` as a child process over loopback HTTP, on a private PostgreSQL.
//! Each desk comes back at a random moment within the spread (the morning return after an
//! outage), pushes everything (each request timed: p50/p99), and runs a sync round that
//! pulls its unit (timed). A centre's "busy" answer is waited out as the desk does
//! (`Retry-After` plus a random share) and counted. Then every desk syncs once more and the
//! bench checks convergence: the centre holds every dossier and each desk's events exactly
//! once, and every desk holds its whole unit. It prints the centre's peak RSS (VmHWM).
//! Opt-in and slow (minutes). Defaults: 5 units × 10 desks × 1,000 dossiers, spread 0 s
//! (all at once, as before):
//!
//! ```sh
//! cargo bench --bench sync_load
//! MOTCUA_LOAD_DOSSIERS=200 cargo bench --bench sync_load   # a smaller run
//! # the province of issue 23: 170 units × 6 desks, 50 dossiers each, back within 60 s
//! MOTCUA_LOAD_UNITS=170 MOTCUA_LOAD_DESKS=6 MOTCUA_LOAD_DOSSIERS=50 MOTCUA_LOAD_SPREAD_S=60 \
//!     cargo bench --bench sync_load
//! ```

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::process::{Command, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, Weekday};
use motcua::domain::clock::{Timestamp, from_wall, now_vn, to_wall};
use motcua::domain::intake::IntakeInput;
use motcua::store::dossiers::ActionRequest;
use motcua::sync::client::{CentreClient, PUSH_BATCH, SyncError, SyncReport};
use motcua::sync::protocol::{OutboxEvent, PushRequest};
use sync_support::*;

/// Dossiers a desk numbers in one day: the desk's range holds 999.
const PER_DAY: usize = 250;

/// A number from the environment, or `default`.
fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The run's shape, each settable by env (defaults: today's 5 × 10 × 1,000, all at once).
struct Shape {
    units: Vec<&'static str>,
    desks_per_unit: u8,
    dossiers: usize,
    spread: Duration,
}

impl Shape {
    fn from_env() -> Shape {
        let units: usize = env_num("MOTCUA_LOAD_UNITS", 5);
        // H22.41.01 … H22.41.99, then H22.42.01 …: the first five are the old fixed list.
        // Leaked: the bench's desks hold `&'static str` units for the whole run.
        let units = (0..units)
            .map(|i| &*format!("H22.{}.{:02}", 41 + i / 99, i % 99 + 1).leak())
            .collect();
        Shape {
            units,
            desks_per_unit: env_num("MOTCUA_LOAD_DESKS", 10),
            dossiers: env_num("MOTCUA_LOAD_DOSSIERS", 1000),
            spread: Duration::from_secs_f64(env_num("MOTCUA_LOAD_SPREAD_S", 0.0)),
        }
    }
}

/// The working days before today, most recent first, at 08:00 (received) — enough
/// days that no desk numbers more than [`PER_DAY`] dossiers in one.
fn intake_days(n: usize) -> Vec<Timestamp> {
    let today = to_wall(now_vn()).date();
    let mut days = Vec::new();
    let mut d = today;
    while days.len() < n.div_ceil(PER_DAY) {
        d = d.checked_sub_days(Days::new(1)).expect("date");
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            days.push(from_wall(d.and_hms_opt(8, 0, 0).expect("time")));
        }
    }
    days
}

/// Takes in `n` dossiers over past days; each is then transferred and has its result
/// ready, as most dossiers of a working desk do: three events per dossier.
fn fill(desk: &Desk, n: usize) {
    let mut store = desk.store();
    let days = intake_days(n);
    for i in 0..n {
        let received = days[i / PER_DAY] + chrono::Duration::seconds(i as i64);
        let input = IntakeInput::from_json(&dossier_json(i)).expect("json");
        let code = store
            .intake(input, "Trần Văn Bình", received)
            .expect("intake")
            .code
            .to_string();
        let later = received + chrono::Duration::hours(2);
        store
            .record(
                &code,
                ActionRequest::Transfer {
                    to: "Công chức Tư pháp - Hộ tịch".into(),
                    note: String::new(),
                },
                Some(later),
                "Trần Văn Bình",
                now_vn(),
            )
            .expect("transfer");
        store
            .record(
                &code,
                ActionRequest::ResultReady {
                    note: String::new(),
                },
                Some(later + chrono::Duration::hours(1)),
                "Trần Văn Bình",
                now_vn(),
            )
            .expect("result ready");
    }
}

/// What one desk's push phase measured.
struct Pushed {
    events: i64,
    latencies: Vec<Duration>,
    round: Duration,
    /// "Busy" answers waited out.
    busy: u32,
}

/// Waits out a "busy" answer as the desk does: `Retry-After` plus a random share of as
/// much again.
async fn wait_busy(retry_after: u64) {
    let base = retry_after.max(1) as f64;
    tokio::time::sleep(Duration::from_secs_f64(base * (1.0 + fastrand::f64()))).await;
}

/// One desk's push phase as the desk client does it (ask the ack, then batches of
/// [`PUSH_BATCH`] in seq order, storing each ack), with every POST timed.
fn push_all(desk: &Desk, url: &str) -> Result<Pushed, String> {
    let start = Instant::now();
    let mut store = desk.store();
    let token = store
        .enrollment()
        .map_err(|e| e.to_string())?
        .ok_or("not enrolled")?
        .token;
    let last = store.sync_state().map_err(|e| e.to_string())?.last_seq;
    let client = CentreClient::new(url).map_err(|e| e.to_string())?;
    block_on(async {
        let mut busy = 0;
        let mut acked = loop {
            match client.acked(&token, &Default::default()).await {
                Ok(a) => break a.acked_seq,
                Err(SyncError::Busy { retry_after }) => {
                    busy += 1;
                    wait_busy(retry_after).await;
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        let mut latencies = Vec::new();
        while acked < last {
            let events = store
                .outbox_after(acked, PUSH_BATCH)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|(seq, event)| OutboxEvent { seq, event })
                .collect();
            let t = Instant::now();
            let ack = match client.push(&token, &PushRequest { events }).await {
                Ok(ack) => ack,
                Err(SyncError::Busy { retry_after }) => {
                    busy += 1;
                    wait_busy(retry_after).await;
                    continue;
                }
                Err(e) => return Err(e.to_string()),
            };
            latencies.push(t.elapsed());
            if ack.acked_seq <= acked {
                return Err(format!("no progress at {acked}"));
            }
            acked = ack.acked_seq;
            store
                .set_acked(acked, Some(now_vn()))
                .map_err(|e| e.to_string())?;
        }
        Ok(Pushed {
            events: acked,
            latencies,
            round: start.elapsed(),
            busy,
        })
    })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

/// Runs `f` for every item at once (one thread each, released together).
fn all_at_once<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> (Vec<T>, Duration) {
    let gate = Barrier::new(items.len() + 1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .iter()
            .map(|d| {
                let (gate, f) = (&gate, &f);
                s.spawn(move || {
                    gate.wait();
                    f(d)
                })
            })
            .collect();
        gate.wait();
        let t = Instant::now();
        let out = handles
            .into_iter()
            .map(|h| h.join().expect("desk thread"))
            .collect();
        (out, t.elapsed())
    })
}

fn centre_query(db: &str, sql: &'static str) -> Vec<(String, i64, i64)> {
    let db = db.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let rows = client.query(sql, &[]).await.expect("query");
        drop(client);
        let _ = task.await;
        rows.iter()
            .map(|r| (r.get::<_, String>(0), r.get(1), r.get(2)))
            .collect()
    })
}

/// A real sync round of the desk, "busy" answers waited out (up to 20 of them).
fn sync_round(d: &Desk, url: &str) -> Result<(SyncReport, u32), String> {
    let desk = motcua::desk::Desk::new(d.store());
    block_on(async {
        let mut busy = 0;
        loop {
            match desk.sync_round(Some(url)).await {
                Ok(synced) => return Ok((synced.report, busy)),
                Err(SyncError::Busy { retry_after }) if busy < 20 => {
                    busy += 1;
                    wait_busy(retry_after).await;
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    })
}

/// What one desk's return measured: its push, then its first sync round (the pull).
struct Returned {
    push: Result<Pushed, String>,
    pull: Result<(SyncReport, u32, Duration), String>,
}

/// The centre's peak resident memory (VmHWM), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Every desk comes back at its own random moment within the spread, pushes everything,
/// then runs a sync round. Prints the push and pull figures; returns the failed desks.
fn come_back(desks: &[Desk], url: &str, spread: Duration, own: &[i64]) -> usize {
    let mut rng = fastrand::Rng::with_seed(23);
    let items: Vec<(&Desk, Duration)> = desks
        .iter()
        .map(|d| (d, spread.mul_f64(rng.f64())))
        .collect();
    let (returned, wall) = all_at_once(&items, |(d, delay)| {
        std::thread::sleep(*delay);
        let push = push_all(d, url);
        let t = Instant::now();
        let pull = sync_round(d, url).map(|(r, busy)| (r, busy, t.elapsed()));
        Returned { push, pull }
    });
    let (mut failures, mut busy) = (0, 0);
    let (mut latencies, mut rounds, mut pulls) = (Vec::new(), Vec::new(), Vec::new());
    let mut pulled = 0;
    for ((d, r), seq) in desks.iter().zip(&returned).zip(own) {
        match &r.push {
            Ok(p) => {
                latencies.extend(&p.latencies);
                rounds.push(p.round);
                busy += p.busy;
                failures += usize::from(p.events != *seq);
            }
            Err(e) => {
                failures += 1;
                println!("  push error ({} desk {}): {e}", d.unit, d.index);
            }
        }
        match &r.pull {
            Ok((report, b, took)) => {
                pulls.push(*took);
                busy += b;
                pulled += report.pulled_events;
            }
            Err(e) => {
                failures += 1;
                println!("  sync error ({} desk {}): {e}", d.unit, d.index);
            }
        }
    }
    latencies.sort();
    rounds.sort();
    pulls.sort();
    let events: i64 = own.iter().sum();
    println!(
        "push: {} desks back within {:.0} s, {events} events in {} requests of ≤{PUSH_BATCH} in {:.2} s; {busy} busy answers waited out; {failures} desks failed",
        desks.len(),
        spread.as_secs_f64(),
        latencies.len(),
        wall.as_secs_f64(),
    );
    println!(
        "push latency per request: p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms; per desk (all its batches): p50 {:.2} s, max {:.2} s",
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 100.0),
        percentile(&rounds, 50.0) / 1e3,
        percentile(&rounds, 100.0) / 1e3,
    );
    println!(
        "first sync round (pull) per desk: p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {pulled} events pulled",
        percentile(&pulls, 50.0),
        percentile(&pulls, 95.0),
        percentile(&pulls, 99.0),
        percentile(&pulls, 100.0),
    );
    failures
}

/// Every desk syncs once more (16 at a time) so that it holds what desks of its unit that
/// came back after it pushed. Returns the desks whose round failed.
fn catch_up(desks: &[Desk], url: &str) -> usize {
    let t = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicUsize::new(0);
    let pulled = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                use std::sync::atomic::Ordering::Relaxed;
                while let Some(d) = desks.get(next.fetch_add(1, Relaxed)) {
                    match sync_round(d, url) {
                        Ok((r, _)) => {
                            pulled.fetch_add(r.pulled_events, Relaxed);
                        }
                        Err(e) => {
                            failed.fetch_add(1, Relaxed);
                            println!("  catch-up error ({} desk {}): {e}", d.unit, d.index);
                        }
                    }
                }
            });
        }
    });
    println!(
        "catch-up round: {} events pulled in {:.1} s",
        pulled.into_inner(),
        t.elapsed().as_secs_f64()
    );
    failed.into_inner()
}

/// Starts the centre (the real server binary on a private PostgreSQL) with the units.
fn start_centre(units: &[&str]) -> (String, String, KillOnDrop) {
    let db = fresh_database();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let centre = KillOnDrop(
        Command::new(centre_bin())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--pool-size", "32"])
            .env("DATABASE_URL", &db)
            .env("MOTCUA_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("motcua-centre starts"),
    );
    for u in units {
        centre_admin(
            &db,
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
    (db, url, centre)
}

/// Whether the centre holds every dossier and each desk's events exactly once, and every
/// desk its whole unit. Prints what it found.
fn converged(db: &str, desks: &[Desk], own: &[i64], shape: &Shape) -> bool {
    let per_desk = centre_query(
        db,
        "SELECT desk_id::text, count(*), count(DISTINCT desk_seq) FILTER (WHERE desk_seq BETWEEN 1 AND 1000000000)
           FROM event GROUP BY desk_id ORDER BY desk_id",
    );
    let totals = centre_query(
        db,
        "SELECT 'all', count(DISTINCT dossier_code), count(*) FROM event",
    );
    let (_, centre_dossiers, centre_events) = totals[0].clone();
    let mut desks_exact = 0;
    for (d, seq) in desks.iter().zip(own) {
        let id = d.store().desk().expect("desk").desk_id;
        if per_desk
            .iter()
            .any(|(k, c, s)| *k == id && c == seq && s == seq)
        {
            desks_exact += 1;
        }
    }
    let events: i64 = own.iter().sum();
    let expected_dossiers = (shape.dossiers * desks.len()) as i64;
    let unit_dossiers = (shape.dossiers * usize::from(shape.desks_per_unit)) as i64;
    let desks_whole = desks
        .iter()
        .filter(|d| d.store().dossier_count().expect("count") == unit_dossiers)
        .count();
    println!(
        "centre: {centre_dossiers} dossiers (expected {expected_dossiers}), {centre_events} events (expected {events}: lost or duplicated {}); \
         {desks_exact}/{} desks' series held exactly once (count = distinct seqs = desk's last seq)",
        centre_events - events,
        desks.len()
    );
    println!(
        "desks holding their whole unit ({unit_dossiers} dossiers): {desks_whole}/{}",
        desks.len()
    );
    centre_dossiers == expected_dossiers
        && centre_events == events
        && desks_exact == desks.len()
        && desks_whole == desks.len()
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let shape = Shape::from_env();
    let n = shape.dossiers;
    let total_desks = shape.units.len() * usize::from(shape.desks_per_unit);
    println!(
        "sync load: {} units × {} desks = {total_desks} desks × {n} dossiers, back within {:.0} s",
        shape.units.len(),
        shape.desks_per_unit,
        shape.spread.as_secs_f64()
    );
    let (db, url, centre) = start_centre(&shape.units);

    // Desks: data taken offline, two desks filled at a time (two cores).
    let t = Instant::now();
    let desks: Vec<Desk> = shape
        .units
        .iter()
        .flat_map(|u| (0..shape.desks_per_unit).map(move |i| (*u, i)))
        .map(|(u, i)| Desk::new(u, i))
        .collect();
    std::thread::scope(|s| {
        for half in desks.chunks(desks.len().div_ceil(2)) {
            s.spawn(move || half.iter().for_each(|d| fill(d, n)));
        }
    });
    for d in &desks {
        d.enroll(&url, &enroll_code(&db, d.unit, Some(d.index)))
            .expect("enroll");
    }
    let own: Vec<i64> = desks
        .iter()
        .map(|d| d.store().sync_state().expect("state").last_seq)
        .collect();
    println!(
        "prepared {} dossiers, {} events on {total_desks} desks in {:.0} s",
        n * total_desks,
        own.iter().sum::<i64>(),
        t.elapsed().as_secs_f64()
    );

    let failures = come_back(&desks, &url, shape.spread, &own) + catch_up(&desks, &url);
    let ok = converged(&db, &desks, &own, &shape) && failures == 0;
    match peak_rss_kib(centre.0.id()) {
        Some(kib) => println!("centre peak RSS (VmHWM): {:.0} MiB", kib as f64 / 1024.0),
        None => println!("centre peak RSS: not readable"),
    }
    println!(
        "total: {:.1} s; converged: {}",
        t.elapsed().as_secs_f64(),
        if ok { "yes" } else { "NO" }
    );
    assert!(ok, "the desks and the centre did not converge");
}
