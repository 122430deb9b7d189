//! The citizen's tracking page (issue 22): p50/p95 latency of `GET /tra-cuu/<token>`
//! at a steady 200 requests/s over loopback (open loop: requests are sent on schedule
//! whether or not earlier ones have answered), the page's weight, and the time from a
//! clerk's action at a desk to the page showing it (one sync round). Run with
//! `cargo bench --bench citizen_figures`; prints figures.

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::time::{Duration, Instant};

use motcua::domain::action::ActionRequest;
use motcua::domain::clock::now_vn;
use sync_support::*;

const RATE: u64 = 200;
const SECONDS: u64 = 10;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn main() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    centre.admin(&["public-url", &centre.url()]);
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolled");
    let codes = desk.take_dossiers(50);
    desk.sync(None).expect("synced");
    let store = desk.store();
    let urls: Vec<String> = codes
        .iter()
        .map(|c| {
            let t = store.dossier(c).expect("dossier").tracking.expect("token");
            format!("{}/tra-cuu/{}", centre.url(), t.as_str())
        })
        .collect();
    drop(store);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::new();
    let weight = rt.block_on(async {
        let body = client.get(&urls[0]).send().await.expect("get").text().await;
        body.expect("body").len()
    });
    println!(
        "page weight: {weight} bytes of HTML + {} bytes of stylesheet (cached)",
        include_str!("../assets/web/site.css").len()
    );

    let total = (RATE * SECONDS) as usize;
    let mut latencies: Vec<Duration> = rt.block_on(async {
        let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
        let mut tasks = Vec::with_capacity(total);
        for i in 0..total {
            tick.tick().await;
            let (c, url) = (client.clone(), urls[i % urls.len()].clone());
            tasks.push(tokio::spawn(async move {
                let t = Instant::now();
                let ok = c
                    .get(&url)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                (t.elapsed(), ok)
            }));
        }
        let mut out = Vec::with_capacity(total);
        let mut failed = 0;
        for t in tasks {
            let (d, ok) = t.await.expect("task");
            if !ok {
                failed += 1;
            }
            out.push(d);
        }
        println!("requests: {total} at {RATE}/s, {failed} failed");
        out
    });
    latencies.sort();
    println!(
        "tracking page latency: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.95).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );

    // A clerk's action at the desk, then one sync round: when the page shows it.
    let started = Instant::now();
    desk.store()
        .record(
            &codes[0],
            ActionRequest::Transfer {
                to: "Công chức Tư pháp - Hộ tịch".into(),
                note: String::new(),
            },
            None,
            "Trần Văn Bình",
            now_vn(),
        )
        .expect("transferred");
    desk.sync(None).expect("synced");
    let shown = rt.block_on(async {
        let body = client.get(&urls[0]).send().await.expect("get").text().await;
        body.expect("body").contains("Hồ sơ đang được giải quyết")
    });
    println!(
        "clerk's action → page shows it (one sync round over loopback): {:.0} ms ({})",
        started.elapsed().as_secs_f64() * 1000.0,
        if shown { "shown" } else { "NOT shown" }
    );
}
