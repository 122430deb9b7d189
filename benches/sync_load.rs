//! Load (issue #7): 50 desks (5 units × 10 desks) with 1,000 dossiers each, taken
//! offline, all syncing against one centre at once: the real `motcua-centre serve` as a
//! child process over loopback HTTP, on a private PostgreSQL. Each push request is
//! timed (p50/p99), then every desk pulls its unit's other nine desks, and the bench
//! checks convergence: the centre holds exactly 50,000 dossiers and each desk's events
//! once, and every desk holds its whole unit. Opt-in and slow (minutes):
//!
//! ```sh
//! cargo bench --bench sync_load
//! MOTCUA_LOAD_DOSSIERS=200 cargo bench --bench sync_load   # a smaller run
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
use motcua::sync::client::{CentreClient, PUSH_BATCH};
use motcua::sync::protocol::{OutboxEvent, PushRequest};
use sync_support::*;

const UNITS: [&str; 5] = [
    "H22.41.01",
    "H22.41.02",
    "H22.41.03",
    "H22.41.04",
    "H22.41.05",
];
const DESKS_PER_UNIT: u8 = 10;
/// Dossiers a desk numbers in one day: the desk's range holds 999.
const PER_DAY: usize = 250;

fn dossiers_per_desk() -> usize {
    std::env::var("MOTCUA_LOAD_DOSSIERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
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
        let mut acked = client
            .acked(&token, &Default::default())
            .await
            .map_err(|e| e.to_string())?
            .acked_seq;
        let mut latencies = Vec::new();
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

/// Runs `f` for every desk at once (one thread each, released together).
fn all_at_once<T: Send>(desks: &[Desk], f: impl Fn(&Desk) -> T + Sync) -> (Vec<T>, Duration) {
    let gate = Barrier::new(desks.len() + 1);
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

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let n = dossiers_per_desk();
    let total_desks = UNITS.len() * usize::from(DESKS_PER_UNIT);
    println!(
        "sync load: {} units × {DESKS_PER_UNIT} desks = {total_desks} desks × {n} dossiers",
        UNITS.len()
    );

    // The centre: the real server binary on a private PostgreSQL.
    let db = fresh_database();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let _centre = KillOnDrop(
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
    for u in UNITS {
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

    // Desks: data taken offline, two desks filled at a time (two cores).
    let t = Instant::now();
    let desks: Vec<Desk> = UNITS
        .iter()
        .flat_map(|u| (0..DESKS_PER_UNIT).map(move |i| (*u, i)))
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
    let events: i64 = own.iter().sum();
    println!(
        "prepared {} dossiers, {events} events on {total_desks} desks in {:.0} s",
        n * total_desks,
        t.elapsed().as_secs_f64()
    );

    // 1. Every desk pushes everything at once.
    let (pushed, wall) = all_at_once(&desks, |d| push_all(d, &url));
    let mut failures = 0;
    let mut latencies = Vec::new();
    let mut rounds = Vec::new();
    for (d, r) in desks.iter().zip(&pushed) {
        match r {
            Ok(p) => {
                latencies.extend(&p.latencies);
                rounds.push(p.round);
                if p.events != d.store().sync_state().expect("state").last_seq {
                    failures += 1;
                }
            }
            Err(e) => {
                failures += 1;
                println!("  push error ({} desk {}): {e}", d.unit, d.index);
            }
        }
    }
    latencies.sort();
    rounds.sort();
    println!(
        "push: {total_desks} desks at once, {events} events in {} requests of ≤{PUSH_BATCH} in {:.2} s = {:.0} events/s; {failures} desks failed",
        latencies.len(),
        wall.as_secs_f64(),
        events as f64 / wall.as_secs_f64()
    );
    println!(
        "push latency per request: p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms; per desk (all its batches): p50 {:.1} s, max {:.1} s",
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 100.0),
        percentile(&rounds, 50.0) / 1e3,
        percentile(&rounds, 100.0) / 1e3,
    );

    // 2. Every desk runs a real sync round at once: nothing left to push, and it pulls
    //    the other nine desks of its unit.
    let pull = std::env::var("MOTCUA_LOAD_PULL").map_or(true, |v| v != "0");
    let mut pull_ok = true;
    if pull {
        let (reports, wall) = all_at_once(&desks, |d| {
            let desk = motcua::desk::Desk::new(d.store());
            block_on(desk.sync_round(Some(&url)))
                .map(|synced| synced.report)
                .map_err(|e| e.to_string())
        });
        let pulled: u64 = reports
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.pulled_events)
            .sum();
        let repushed: u64 = reports
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.pushed)
            .sum();
        for (d, r) in desks.iter().zip(&reports) {
            if let Err(e) = r {
                pull_ok = false;
                println!("  sync error ({} desk {}): {e}", d.unit, d.index);
            }
        }
        println!(
            "pull: {total_desks} desks at once pulled {pulled} events in {:.2} s = {:.0} events/s ({repushed} pushed again)",
            wall.as_secs_f64(),
            pulled as f64 / wall.as_secs_f64()
        );
    }

    // 3. Convergence.
    let per_desk = centre_query(
        &db,
        "SELECT desk_id::text, count(*), count(DISTINCT desk_seq) FILTER (WHERE desk_seq BETWEEN 1 AND 1000000000)
           FROM event GROUP BY desk_id ORDER BY desk_id",
    );
    let totals = centre_query(
        &db,
        "SELECT 'all', count(DISTINCT dossier_code), count(*) FROM event",
    );
    let (_, centre_dossiers, centre_events) = totals[0].clone();
    let mut desks_exact = 0;
    for (d, seq) in desks.iter().zip(&own) {
        let id = d.store().desk().expect("desk").desk_id;
        if per_desk
            .iter()
            .any(|(k, c, s)| *k == id && c == seq && s == seq)
        {
            desks_exact += 1;
        }
    }
    let expected_dossiers = (n * total_desks) as i64;
    let unit_dossiers = (n * usize::from(DESKS_PER_UNIT)) as i64;
    let desks_whole = desks
        .iter()
        .filter(|d| d.store().dossier_count().expect("count") == unit_dossiers)
        .count();
    let converged = centre_dossiers == expected_dossiers
        && centre_events == events
        && desks_exact == total_desks
        && failures == 0
        && (!pull || (pull_ok && desks_whole == total_desks));
    println!(
        "centre: {centre_dossiers} dossiers (expected {expected_dossiers}), {centre_events} events (expected {events}); \
         {desks_exact}/{total_desks} desks' series held exactly once (count = distinct seqs = desk's last seq)"
    );
    if pull {
        println!(
            "desks holding their whole unit ({unit_dossiers} dossiers): {desks_whole}/{total_desks}"
        );
    }
    println!(
        "total: {:.1} s; converged: {}",
        t.elapsed().as_secs_f64(),
        if converged { "yes" } else { "NO" }
    );
    assert!(converged, "the desks and the centre did not converge");
}
