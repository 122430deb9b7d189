//! Figures of Biểu 06 and the 766 scorecard from the console for a large province
//! (issue 21), through the real HTTP server on a private PostgreSQL. One real dossier
//! taken and resolved at a desk and synced gives the template events; PostgreSQL copies
//! them into `BIEU06_DOSSIERS` dossiers (default 20,000) over 100 units, half of them
//! resolved. Prints the time of each download and page and the process's peak memory
//! (the centre runs in this process) after each.
//!
//! ```sh
//! BIEU06_DOSSIERS=100000 cargo bench --bench bieu06_figures
//! ```

#[path = "../tests/console_support/mod.rs"]
mod console_support;
#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::time::{Duration, Instant};

use console_support::*;
use motcua::domain::clock::now_vn;
use motcua::store::dossiers::ActionRequest;

const UNITS: u32 = 100;
const RUNS: usize = 3;

/// The events of one dossier received and resolved at a desk of unit A, as the
/// centre holds them: (kind, body), and the dossier's code and event ids.
fn template(c: &Console) -> (Vec<(String, String, String)>, String) {
    let desk = Desk::new(UNIT_A, 0);
    let code = desk.take_dossiers(1).remove(0);
    desk.store()
        .record(
            &code,
            ActionRequest::ResultReady {
                note: String::new(),
            },
            None,
            "Trần Văn Bình",
            now_vn(),
        )
        .expect("ready");
    desk.enroll(&c.centre.url(), &enroll_code(&c.db, UNIT_A, Some(0)))
        .expect("enrolls");
    desk.sync(None).expect("syncs");
    let db = c.db.clone();
    let rows = block_on(async move {
        let (client, conn) = tokio_postgres::connect(&db, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let rows: Vec<(String, String, String)> = client
            .query(
                "SELECT kind, body, id::text FROM event ORDER BY feed_seq",
                &[],
            )
            .await
            .expect("events")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        drop(client);
        let _ = task.await;
        rows
    });
    (rows, code)
}

/// `n` dossiers over `UNITS` units from the template, each with a fresh code and ids.
fn seed(db: &str, events: &[(String, String, String)], code: &str, n: u32) {
    let quote = |s: &str| s.replace('\'', "''");
    let values: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, (kind, body, id))| {
            format!(
                "({i}, '{}', '{}', '{}')",
                quote(kind),
                quote(body),
                quote(id)
            )
        })
        .collect();
    sql(
        db,
        &format!(
            "INSERT INTO unit (code, name)
               SELECT 'H23.' || lpad(u::text, 3, '0'), 'Phường số ' || u
               FROM generate_series(1, {UNITS}) u;
             WITH d AS (
               SELECT g, 'H23.' || lpad((1 + g % {UNITS})::text, 3, '0') AS unit,
                      'H23.' || lpad((1 + g % {UNITS})::text, 3, '0') || '-2609'
                        || lpad((1 + (g / {UNITS}) / 5000)::text, 2, '0') || '-'
                        || lpad((1 + (g / {UNITS}) % 5000)::text, 4, '0') AS code
               FROM generate_series(0, {n} - 1) g)
             INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, body, feed_seq)
               SELECT e.id, d.unit, d.code, t.kind, now(), 'bench',
                      replace(replace(t.body, '{code}', d.code), t.id, e.id::text),
                      d.g * 8 + t.n
               FROM d CROSS JOIN (VALUES {}) t(n, kind, body, id)
                    CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id, d.g * 8 + t.n AS k) e
               WHERE t.n = 0 OR d.g % 2 = 0;
             ANALYZE;",
            values.join(", ")
        ),
    );
}

/// The peak resident memory of this process so far, in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn figures(label: &str, mut times: Vec<Duration>, bytes: usize) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: median {:.0} ms, max {:.0} ms ({} runs), {} KiB; peak memory so far {:.0} MiB",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len(),
        bytes / 1024,
        peak_mib()
    );
}

fn main() {
    let n: u32 = std::env::var("BIEU06_DOSSIERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let c = console();
    let (events, code) = template(&c);
    let t = Instant::now();
    seed(&c.db, &events, &code, n);
    println!(
        "{} hồ sơ, {} sự kiện, {UNITS} đơn vị (nạp trong {:.1} s); bộ nhớ trước khi đo {:.0} MiB",
        sql_i64(&c.db, "SELECT count(*) FROM event WHERE kind = 'received'"),
        sql_i64(&c.db, "SELECT count(*) FROM event"),
        t.elapsed().as_secs_f64(),
        peak_mib()
    );
    let mut web = Web::new(&c.centre.url());
    assert_eq!(web.sign_in(PROVINCE, PASSWORD).status, 303);
    for (label, path) in [
        (
            "Biểu 06, one unit, xlsx",
            "/quan-tri/bieu-06?don-vi=H23.001&ky=2026&dang=xlsx",
        ),
        (
            "Biểu 06, province, xlsx",
            "/quan-tri/bieu-06?ky=2026&dang=xlsx",
        ),
        (
            "Biểu 06, province, PDF",
            "/quan-tri/bieu-06?ky=2026&dang=pdf",
        ),
        (
            "scorecard page, province",
            "/quan-tri/chi-so-766?tu=2026-01-01&den=2026-12-31",
        ),
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let a = web.get(path);
            times.push(t.elapsed());
            assert_eq!(a.status, 200, "{path}: {}", a.body);
            size = a.body.len();
        }
        figures(label, times, size);
    }
}
