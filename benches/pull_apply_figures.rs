//! Pull-apply figures (issue 23, "a new desk is working within a minute"): how fast a
//! fresh desk writes pulled feed pages into its store, and what that makes for a unit
//! of 730,000 events. One desk is filled by the demo-data generator; its events are read
//! back in log order and applied to a new desk of the same unit in pages of
//! `MAX_PULL_PAGE`, through `Store::apply_pull_page` (the round's store step: one
//! transaction per page, second-receipt check, refold, projection, search index). The
//! bytes a page costs on the line are estimated by gzipping its feed JSON, as the centre
//! sends it. Prints figures and asserts nothing about time.
//!
//! ```text
//! cargo bench --bench pull_apply_figures
//! MOTCUA_BENCH_DOSSIERS=50000 cargo bench --bench pull_apply_figures
//! MOTCUA_BENCH_INDEX=row cargo bench --bench pull_apply_figures
//! ```
//!
//! Every figure is also printed as one `figure <name> <value>` line for grepping.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use motcua::domain::clock::now_vn;
use motcua::domain::event::Event;
use motcua::store::log::SearchIndex;
use motcua::store::setup::InitInput;
use motcua::store::sync_state::PulledItem;
use motcua::store::{DataPaths, Store};
use motcua::sync::protocol::{FeedBody, FeedItem, MAX_PULL_PAGE};

const UNIT_CODE: &str = "H22.39.15";
const SEED: u64 = 20_261_207;
const BIG_UNIT_EVENTS: f64 = 730_000.0;
const LINE_BYTES_PER_SEC: f64 = 10_000_000.0 / 8.0;

fn main() {
    let dossiers: usize = std::env::var("MOTCUA_BENCH_DOSSIERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&target).expect("create target/");
    let temp = tempfile::Builder::new()
        .prefix("pull_apply_figures-")
        .tempdir_in(&target)
        .expect("create a temporary directory under target/");

    let events = source_events(&temp.path().join("old"), dossiers);
    let mut store = new_desk(&temp.path().join("new"), 1);
    let pages: Vec<Vec<(i64, PulledItem)>> = events
        .chunks(MAX_PULL_PAGE as usize)
        .enumerate()
        .map(|(p, chunk)| {
            chunk
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let seq = (p * MAX_PULL_PAGE as usize + i + 1) as i64;
                    (seq, PulledItem::Event(Box::new(e.clone())))
                })
                .collect()
        })
        .collect();
    let gz = gzip_bytes(&events);

    // `MOTCUA_BENCH_INDEX=row`: the search index kept row by row, as for a desk that
    // already pulled; otherwise rebuilt once at the end, as for a new desk.
    let index = match std::env::var("MOTCUA_BENCH_INDEX").as_deref() {
        Ok("row") => SearchIndex::RowByRow,
        _ => SearchIndex::RebuildLater,
    };
    println!("search index: {index:?}");
    let t = Instant::now();
    let mut applied = 0u64;
    for page in &pages {
        let next = page.last().map(|(s, _)| *s).unwrap_or(0);
        let done = store
            .apply_pull_page_with(page, next, now_vn(), index)
            .expect("apply a page");
        applied += done.new_events;
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(applied as usize, events.len(), "every event applied once");
    let t = Instant::now();
    store.finish_pull().expect("finish the pull");
    let finish = t.elapsed().as_secs_f64();
    let total = secs + finish;

    let n = events.len() as f64;
    let rate = n / total;
    let per_event = gz as f64 / n;
    let line = BIG_UNIT_EVENTS * per_event / LINE_BYTES_PER_SEC;
    let apply = BIG_UNIT_EVENTS / rate;
    println!(
        "pull apply: {} events ({dossiers} dossiers) in {} pages: {secs:.2} s + {finish:.2} s to finish",
        events.len(),
        pages.len()
    );
    println!("figure pull_apply_events_per_sec {rate:.0}");
    println!("figure pull_apply_finish_secs {finish:.2}");
    println!("figure feed_gzip_bytes_per_event {per_event:.1}");
    println!("figure big_unit_line_secs {line:.0}");
    println!("figure big_unit_apply_secs {apply:.0}");
    // Fetching page k+1 overlaps applying page k, so the slower of the two sets the pace.
    println!("figure big_unit_new_desk_secs {:.0}", line.max(apply));
}

/// A desk of the unit filled by the demo generator; its whole log, in log order.
fn source_events(dir: &Path, dossiers: usize) -> Vec<Event> {
    let mut store = new_desk(dir, 0);
    let t = Instant::now();
    store
        .demo_data(dossiers, SEED, now_vn(), |_| {})
        .expect("demo data");
    println!(
        "source desk: {dossiers} dossiers in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    drop(store);
    let conn = rusqlite::Connection::open(DataPaths::in_dir(dir).db).expect("open the source");
    let mut stmt = conn
        .prepare("SELECT event FROM dossier_event ORDER BY rowid")
        .expect("read the log");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("read the log")
        .map(|json| serde_json::from_str(&json.expect("row")).expect("an event"))
        .collect()
}

fn new_desk(dir: &Path, index: u8) -> Store {
    std::fs::create_dir_all(dir).expect("create the desk's directory");
    let mut store = Store::open(DataPaths::in_dir(dir)).expect("open a desk");
    store
        .init(
            &InitInput {
                unit_code: UNIT_CODE.into(),
                unit_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
                authority: "UBND phường Hồng Gai".into(),
                place: "Hồng Gai".into(),
                desk_index: index,
                working_hours: None,
            },
            now_vn(),
        )
        .expect("init a desk");
    store
}

/// The feed's bytes on the line: each page's items as JSON, gzipped.
fn gzip_bytes(events: &[Event]) -> usize {
    events
        .chunks(MAX_PULL_PAGE as usize)
        .map(|chunk| {
            let items: Vec<FeedItem> = chunk
                .iter()
                .enumerate()
                .map(|(i, e)| FeedItem {
                    seq: i as i64,
                    body: FeedBody::Event { event: e.clone() },
                })
                .collect();
            let json = serde_json::to_vec(&items).expect("feed JSON");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&json).expect("gzip");
            gz.finish().expect("gzip").len()
        })
        .sum()
}
