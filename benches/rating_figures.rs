//! F5's ratings (issue 22 §3): how long the desk takes to read and sum the month's
//! ratings (`Desk::rating_results`) in a store of N generated dossiers with R ratings
//! given this month, for an administrator (per clerk) and a plain clerk. The read
//! finds the month's Rated events in the log and folds each rated dossier, so the
//! figure grows with the log's size and the number of ratings.
//!
//! `cargo bench --bench rating_figures` (MOTCUA_BENCH_DOSSIERS, default 100,000;
//! MOTCUA_BENCH_RATINGS, default 2,000).

use std::time::Instant;

use motcua::desk::{Clerk, Desk};
use motcua::domain::clock::now_vn;
use motcua::domain::rating::{Answer, Choice, Indicator};
use motcua::domain::status::Status;
use motcua::store::setup::InitInput;
use motcua::store::{DataPaths, Store};

const SEED: u64 = 20_261_207;
const CLERKS: [&str; 4] = [
    "Trần Thị Mai",
    "Lê Văn Hòa",
    "Nguyễn Thu Hà",
    "Phạm Minh Tâm",
];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map(|raw| {
            raw.replace(['_', ',', '.'], "")
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name} must be a whole number"))
        })
        .unwrap_or(default)
}

/// Median of `runs` timings of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let n = env_number("MOTCUA_BENCH_DOSSIERS", 100_000);
    let wanted = env_number("MOTCUA_BENCH_RATINGS", 2_000);
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).expect("target/");
    let dir = tempfile::Builder::new()
        .prefix("rating_figures-")
        .tempdir_in(&target)
        .expect("a temporary directory");
    let mut store = Store::open(DataPaths::in_dir(dir.path())).expect("open");
    store
        .init(
            &InitInput {
                unit_code: "H22.39.15".into(),
                unit_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
                authority: "UBND phường Hồng Gai".into(),
                place: "Hồng Gai".into(),
                desk_index: 0,
                working_hours: None,
            },
            now_vn(),
        )
        .expect("init");
    eprintln!("generating {n} dossiers…");
    let t = Instant::now();
    let report = store
        .demo_data(n, SEED, now_vn(), |_| {})
        .expect("demo_data");
    eprintln!("  done in {:.1} s", t.elapsed().as_secs_f64());

    // The newest returned dossiers are rated now, spread over four clerks.
    let codes: Vec<String> = {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT code FROM dossier WHERE status = ?1 ORDER BY returned_at DESC LIMIT ?2",
            )
            .expect("prepare");
        let limit = i64::try_from(wanted).expect("a count");
        stmt.query_map(
            rusqlite::params![i64::from(Status::Returned.code()), limit],
            |r| r.get(0),
        )
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("codes")
    };
    let t = Instant::now();
    for (i, code) in codes.iter().enumerate() {
        let answers = vec![
            Answer {
                indicator: Indicator::Bodies,
                choice: Choice::A,
            },
            Answer {
                indicator: Indicator::Attitude,
                choice: if i % 10 == 0 { Choice::C } else { Choice::A },
            },
        ];
        store
            .rate_at_counter(code, answers, CLERKS[i % CLERKS.len()], now_vn())
            .expect("rated");
    }
    eprintln!(
        "  {} ratings recorded in {:.1} s",
        codes.len(),
        t.elapsed().as_secs_f64()
    );

    let desk = Desk::new(store);
    let viewer = |is_admin| Clerk {
        username: "bench".into(),
        full_name: "Bench".into(),
        is_admin,
        active: true,
    };
    let (admin, plain) = (viewer(true), viewer(false));
    let check = desk.rating_results(now_vn(), &admin).expect("read");
    assert_eq!(check.unit.count as usize, codes.len());
    let admin_ms = median_ms(5, || {
        desk.rating_results(now_vn(), &admin).expect("read");
    });
    let plain_ms = median_ms(5, || {
        desk.rating_results(now_vn(), &plain).expect("read");
    });
    let period = motcua::desk::ratings::month_of(now_vn()).expect("month");
    let find_ms = median_ms(5, || {
        desk.with_store(|s| s.rated_codes(&period)).expect("codes");
    });
    let slice: Vec<String> = codes
        .iter()
        .take(motcua::desk::ratings::FOLDS_PER_LOCK)
        .cloned()
        .collect();
    let slice_ms = median_ms(5, || {
        desk.with_store(|s| s.rated_dossiers(&slice)).expect("fold");
    });
    println!(
        "rating_figures: {} dossiers, {} events, {} ratings this month",
        report.dossiers,
        report.events,
        codes.len()
    );
    println!("  F5 ratings, administrator (per clerk): median {admin_ms:.1} ms of 5");
    println!("  F5 ratings, plain clerk (unit only):   median {plain_ms:.1} ms of 5");
    println!("  finding the month's rated dossiers (one hold of the store): {find_ms:.1} ms");
    println!(
        "  folding one slice of {} (the longest an intake waits): {slice_ms:.1} ms",
        slice.len()
    );
}
