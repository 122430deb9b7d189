//! Figures of the operators' console (issue 21), through the real HTTP server on a
//! private PostgreSQL: the fleet page and its CSV with 1,000 desks (100 units × 10,
//! each with refused events and documents whose files have not arrived), and a
//! sign-in (argon2id check, session, audit entry). Goal: the fleet page in ≤ 1 s.
//!
//! ```sh
//! cargo bench --bench console_figures
//! ```

#[path = "../tests/console_support/mod.rs"]
mod console_support;
#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::time::{Duration, Instant};

use console_support::*;

const UNITS: u32 = 100;
const RUNS: usize = 20;

fn seed(db: &str) {
    sql(
        db,
        &format!(
            "INSERT INTO unit (code, name)
               SELECT 'B' || lpad(u::text, 3, '0'), 'Phường số ' || u FROM generate_series(1, {UNITS}) u;
             INSERT INTO desk (desk_id, unit_code, desk_index, token_hash, app_version,
                               unsent_count, clock_skew_ms, last_sync_at)
               SELECT gen_random_uuid(), 'B' || lpad(u::text, 3, '0'), k, md5(u || '-' || k),
                      '0.1.0', (u * k) % 50, (u - 50) * 1000,
                      now() - ((u * k) % 40) * interval '1 hour'
               FROM generate_series(1, {UNITS}) u, generate_series(0, 9) k;
             INSERT INTO quarantine (desk_id, unit_code, desk_seq, event_id, dossier_code, kind,
                                     reason, body)
               SELECT desk_id, unit_code, g, gen_random_uuid(), 'X-' || g, 'received',
                      'giờ ngoài giới hạn', repeat('x', 500)
               FROM desk, generate_series(1, 5) g;
             INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, desk_id, desk_seq,
                                body, feed_seq)
               SELECT gen_random_uuid(), d.unit_code, 'D-' || d.desk_index || '-' || g,
                      'document_attached', now(), 'desk', d.desk_id, g,
                      json_build_object('body', json_build_object('file', json_build_object(
                        'sha256', md5(d.desk_id::text || g) || md5(g::text))))::text,
                      d.desk_index * 1000 + g
               FROM desk d, generate_series(1, 20) g;
             ANALYZE;"
        ),
    );
}

fn figures(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: median {:.1} ms, max {:.1} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn main() {
    let c = console();
    seed(&c.db);
    let desks = sql_i64(&c.db, "SELECT count(*) FROM desk");
    println!(
        "{desks} quầy, {} sự kiện bị từ chối, {} giấy tờ đính kèm",
        sql_i64(&c.db, "SELECT count(*) FROM quarantine"),
        sql_i64(&c.db, "SELECT count(*) FROM event")
    );
    let mut web = Web::new(&c.centre.url());
    let mut sign_ins = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let a = web.sign_in(PROVINCE, PASSWORD);
        sign_ins.push(t.elapsed());
        assert_eq!(a.status, 303);
    }
    figures("sign-in (form + post, argon2id)", sign_ins);
    for (label, path) in [
        ("fleet page, 1,000 desks", "/quan-tri/quay"),
        (
            "fleet page sorted by last sync",
            "/quan-tri/quay?sap-xep=dong-bo",
        ),
        ("fleet CSV, 1,000 desks", "/quan-tri/quay.csv"),
    ] {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let a = web.get(path);
            times.push(t.elapsed());
            assert_eq!(a.status, 200);
            assert!(a.body.len() > 10_000);
        }
        let worst = times.iter().max().copied().unwrap_or_default();
        figures(label, times);
        let verdict = if worst <= Duration::from_secs(1) {
            "đạt"
        } else {
            "KHÔNG đạt"
        };
        println!("  mục tiêu ≤ 1 s: {verdict}");
    }
}
