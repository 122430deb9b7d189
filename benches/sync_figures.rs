//! Sync figures (issue 5): 10,000 dossiers taken offline on one desk reaching the
//! centre over loopback, another desk pulling them, 50 desks pushing at once, the
//! latency of a small round, and bytes on the wire per dossier (gzip) next to the
//! size of its JSON. Run with `cargo bench --bench sync_figures`; prints figures.

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::time::{Duration, Instant};

use motcua::domain::clock::now_vn;
use motcua::sync::protocol::{OutboxEvent, PushRequest};
use motcua::sync::wire;
use sync_support::*;

fn main() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);

    // 1. 10,000 dossiers offline on one desk, then one round.
    let big = Desk::new(UNIT_A, 0);
    let t = Instant::now();
    big.store()
        .demo_data(10_000, 7, now_vn(), |_| {})
        .expect("demo data");
    let own = big.store().sync_state().expect("state").last_seq;
    println!(
        "desk log prepared: {own} own events ({:.1} s)",
        t.elapsed().as_secs_f64()
    );
    big.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enroll");
    let t = Instant::now();
    let r = big.sync(None).expect("push");
    let push = t.elapsed();
    println!(
        "push: 10,000 dossiers = {} events in {:.2} s over loopback = {:.0} events/s (target < 5 s)",
        r.pushed,
        push.as_secs_f64(),
        r.pushed as f64 / push.as_secs_f64()
    );

    // 2. Another desk of the unit pulls all of them.
    let other = Desk::new(UNIT_A, 1);
    other
        .enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(1)))
        .expect("enroll");
    let t = Instant::now();
    let r = other.sync(None).expect("pull");
    let pull = t.elapsed();
    println!(
        "pull: {} events in {:.2} s = {:.0} events/s",
        r.pulled_events,
        pull.as_secs_f64(),
        r.pulled_events as f64 / pull.as_secs_f64()
    );

    // 3. Bytes per dossier: its whole log (receipt and later steps) as JSON, against
    //    what the pushes put on the wire (gzip JSON in batches of 500).
    let store = big.store();
    let dossiers = store.dossier_count().expect("count") as f64;
    let (mut json, mut raw, mut gz, mut after, mut receipt, mut receipts) = (0, 0, 0, 0, 0, 0);
    loop {
        let batch = store.outbox_after(after, 500).expect("outbox");
        let Some(last) = batch.last() else { break };
        after = last.0;
        for (_, e) in &batch {
            let n = serde_json::to_vec(e).expect("json").len();
            json += n;
            if matches!(e.body, motcua::domain::event::EventBody::Received { .. }) {
                receipt += n;
                receipts += 1;
            }
        }
        let req = PushRequest {
            events: batch
                .into_iter()
                .map(|(seq, event)| OutboxEvent { seq, event })
                .collect(),
        };
        raw += serde_json::to_vec(&req).expect("json").len();
        gz += wire::to_gzip_json(&req).len();
    }
    println!(
        "bytes per dossier: JSON {:.0} B (receipt event alone {:.0} B); on the wire {:.0} B raw, {:.0} B gzip ({:.1}× smaller)",
        json as f64 / dossiers,
        receipt as f64 / receipts.max(1) as f64,
        raw as f64 / dossiers,
        gz as f64 / dossiers,
        raw as f64 / gz as f64
    );
    drop(store);

    // 4. Latency of a small round (one new dossier pushed, nothing to pull).
    let mut rounds: Vec<Duration> = (0..20)
        .map(|_| {
            big.take_dossiers(1);
            let t = Instant::now();
            big.sync(None).expect("round");
            t.elapsed()
        })
        .collect();
    rounds.sort();
    println!(
        "small round (push 1 + pull): median {:.1} ms, max {:.1} ms",
        rounds[rounds.len() / 2].as_secs_f64() * 1e3,
        rounds[rounds.len() - 1].as_secs_f64() * 1e3
    );

    // 5. 50 desks (5 units × 10 desks) pushing at once.
    let units: Vec<&'static str> = vec![
        "H22.40.01",
        "H22.40.02",
        "H22.40.03",
        "H22.40.04",
        "H22.40.05",
    ];
    for u in &units {
        centre.admin(&["unit", "add", "--code", u, "--name", "Phường thử tải"]);
    }
    let desks: Vec<Desk> = units
        .iter()
        .flat_map(|u| (0..10u8).map(move |i| (*u, i)))
        .map(|(u, i)| {
            let d = Desk::new(u, i);
            d.take_dossiers(20);
            d.enroll(&centre.url(), &enroll_code(&db, u, Some(i)))
                .expect("enroll");
            d
        })
        .collect();
    let t = Instant::now();
    let results: Vec<(Result<u64, String>, Duration)> = std::thread::scope(|s| {
        let handles: Vec<_> = desks
            .iter()
            .map(|d| {
                s.spawn(move || {
                    let t = Instant::now();
                    (d.sync(None).map(|r| r.pushed), t.elapsed())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let wall = t.elapsed();
    let ok = results.iter().filter(|(r, _)| r.is_ok()).count();
    let pushed: u64 = results.iter().filter_map(|(r, _)| r.as_ref().ok()).sum();
    let mut lat: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    lat.sort();
    println!(
        "50 desks at once: {ok}/50 rounds succeeded, {pushed} events in {:.2} s; round latency median {:.0} ms, max {:.0} ms",
        wall.as_secs_f64(),
        lat[lat.len() / 2].as_secs_f64() * 1e3,
        lat[lat.len() - 1].as_secs_f64() * 1e3
    );
    for (r, _) in &results {
        if let Err(e) = r {
            println!("  error: {e}");
        }
    }
}
