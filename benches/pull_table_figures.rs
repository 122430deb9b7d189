//! Pull latency on a large event table (issue 23: "pull p95 on a 30-million-event table,
//! goal ≤ 50 ms"). One desk of a unit pushes real events (demo data) to the centre (in
//! this process, on a private PostgreSQL); the bench then copies them in SQL, under new
//! ids, dossier codes and feed positions, until the unit's partition holds
//! `MOTCUA_BENCH_EVENTS` events (default 3,000,000), and times a second desk's
//! `GET /sync/pull` (the real client, one full page of `MAX_PULL_PAGE`) from random
//! cursors and from the head of the feed. Prints figures and asserts nothing about time.
//!
//! ```sh
//! cargo bench --bench pull_table_figures
//! MOTCUA_BENCH_EVENTS=300000 cargo bench --bench pull_table_figures   # a smaller run
//! ```
//!
//! Every figure is also printed as one `figure <name> <value>` line for grepping.

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::time::{Duration, Instant};

use motcua::domain::clock::now_vn;
use motcua::sync::client::CentreClient;
use motcua::sync::protocol::MAX_PULL_PAGE;
use sync_support::*;

/// Dossiers the pushing desk takes in; their events are the copies' model.
const MODEL_DOSSIERS: usize = 2_000;
/// Pulls timed in each series.
const PULLS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

/// Runs SQL statements against the centre's database; returns the first column of the
/// last statement's first row, as text.
fn sql(db: &str, statements: Vec<String>) -> Option<String> {
    let db = db.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let mut last = None;
        for s in &statements {
            // The simple protocol: VACUUM may not run in a prepared statement's transaction.
            let messages = client.simple_query(s).await.expect("sql");
            last = messages.iter().find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_string),
                _ => None,
            });
        }
        drop(client);
        let _ = task.await;
        last
    })
}

/// Times `PULLS` pulls of a full page from the cursors `after` gives.
fn time_pulls(
    client: &CentreClient,
    token: &str,
    mut after: impl FnMut() -> i64,
) -> (Vec<Duration>, usize) {
    let mut items = 0;
    let mut took: Vec<Duration> = block_on(async {
        let mut took = Vec::new();
        for _ in 0..PULLS {
            let from = after();
            let t = Instant::now();
            let page = client.pull(token, from, MAX_PULL_PAGE).await.expect("pull");
            took.push(t.elapsed());
            items += page.items.len();
        }
        took
    });
    took.sort();
    (took, items)
}

fn report(name: &str, took: &[Duration], items: usize) {
    println!(
        "{name}: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} pulls, {:.0} items a page)",
        percentile(took, 50.0),
        percentile(took, 95.0),
        percentile(took, 99.0),
        percentile(took, 100.0),
        took.len(),
        items as f64 / took.len() as f64
    );
    println!("figure {name}_p95_ms {:.1}", percentile(took, 95.0));
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let target: i64 = std::env::var("MOTCUA_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.replace([',', '_'], "").parse().ok())
        .unwrap_or(3_000_000);
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);

    // The model: a desk's real events, pushed.
    let model = Desk::new(UNIT_A, 0);
    model
        .store()
        .demo_data(MODEL_DOSSIERS, 7, now_vn(), |_| {})
        .expect("demo data");
    model
        .enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enroll");
    model.sync(None).expect("push");
    let pushed: i64 = sql(
        &db,
        vec![format!(
            "SELECT count(*)::text FROM event WHERE unit_code = '{UNIT_A}'"
        )],
    )
    .and_then(|s| s.parse().ok())
    .expect("count");

    // The copies: new ids, codes and feed positions, from another origin, in one
    // statement; then the unit's feed head moved past them.
    let copies = (target / pushed.max(1)).max(1);
    let t = Instant::now();
    let head: i64 = sql(
        &db,
        vec![
            format!(
                "INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, desk_id,
                                    desk_seq, body, feed_seq, received_at)
                 SELECT gen_random_uuid(), e.unit_code, e.dossier_code || '.' || k, e.kind,
                        e.at, 'bench-copy', NULL, NULL, e.body,
                        e.feed_seq + k * (SELECT max(feed_seq) FROM event
                                          WHERE unit_code = '{UNIT_A}'),
                        e.received_at
                 FROM event e CROSS JOIN generate_series(1, {}) k
                 WHERE e.unit_code = '{UNIT_A}' AND e.desk_id IS NOT NULL",
                copies - 1
            ),
            format!(
                "UPDATE unit_feed SET next_seq = (SELECT max(feed_seq) + 1 FROM event
                                                  WHERE unit_code = '{UNIT_A}')
                 WHERE unit_code = '{UNIT_A}'"
            ),
            "VACUUM ANALYZE event".into(),
            format!("SELECT max(feed_seq)::text FROM event WHERE unit_code = '{UNIT_A}'"),
        ],
    )
    .and_then(|s| s.parse().ok())
    .expect("head");
    let size = sql(
        &db,
        vec![format!(
            "SELECT c.relname || ': ' || c.reltuples::bigint || ' rows, '
                    || pg_size_pretty(pg_total_relation_size(c.oid))
             FROM pg_class c
             WHERE c.oid = (SELECT tableoid FROM event WHERE unit_code = '{UNIT_A}' LIMIT 1)"
        )],
    )
    .unwrap_or_default();
    println!(
        "table: {pushed} pushed events × {copies} = {} events of unit {UNIT_A} (feed head {head}), made in {:.0} s; partition {size}",
        pushed * copies,
        t.elapsed().as_secs_f64()
    );
    println!("figure pull_table_events {}", pushed * copies);

    // The reader: another desk of the unit.
    let reader = Desk::new(UNIT_A, 1);
    reader
        .enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(1)))
        .expect("enroll");
    let client = CentreClient::new(&centre.url()).expect("client");
    let token = reader.token();
    let mut rng = fastrand::Rng::with_seed(23);
    let (took, items) = time_pulls(&client, &token, || rng.i64(0..head));
    report("pull_random_cursor", &took, items);
    let (took, items) = time_pulls(&client, &token, || head - 10);
    report("pull_at_head", &took, items);
    let (took, items) = time_pulls(&client, &token, || 0);
    report("pull_from_start", &took, items);
}
