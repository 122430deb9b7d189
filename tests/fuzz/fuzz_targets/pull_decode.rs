//! The desk reading a `GET /v1/pull` reply from whoever answers in the centre's place.
//! The first byte picks how the rest arrives (0 plain JSON, 1 raw bytes labelled gzip,
//! 2 JSON this target gzips), the next eight are the desk's cursor. A page the desk
//! accepts must move its cursor forward and never past what it showed; an item it
//! accepts must be of its unit, not its own, and within the time bounds.
#![no_main]

use chrono::Duration;
use libfuzzer_sys::fuzz_target;
use motcua::domain::clock::now_vn;
use motcua::domain::dossier_code::DeskIndex;
use motcua::domain::trust;
use motcua::domain::unit::UnitCode;
use motcua::sync::bounds::check_page;
use motcua::sync::protocol::{FeedBody, MAX_JSON_BYTES, PullResponse};
use motcua::sync::wire;

const ORIGIN: &str = "0190a1b2-0000-7000-8000-000000000001";

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let Some((cursor, body)) = rest.split_first_chunk::<8>() else {
        return;
    };
    let cursor = i64::from_le_bytes(*cursor);
    let zipped;
    let (gzipped, body): (bool, &[u8]) = match mode % 3 {
        0 => (false, body),
        1 => (true, body),
        _ => {
            zipped = wire::gzip(body);
            (true, &zipped)
        }
    };
    let Ok(page) = wire::from_body::<PullResponse>(body, gzipped, MAX_JSON_BYTES) else {
        return;
    };
    if check_page(cursor, &page).is_err() {
        return;
    }
    assert!(page.next_cursor >= cursor);
    let head = page.items.iter().map(|i| i.seq).max().unwrap_or(cursor);
    assert!(page.next_cursor <= head.max(cursor));
    let unit = UnitCode::parse("H22.39.15").expect("unit");
    let index = DeskIndex::new(0).expect("index");
    let now = now_vn();
    for item in &page.items {
        match &item.body {
            FeedBody::Event { event } => {
                if trust::check_pulled_event(event, &unit, ORIGIN, index, now).is_ok() {
                    assert_eq!(event.dossier.unit(), &unit);
                    assert_ne!(event.origin, ORIGIN);
                    assert!(event.at <= now + Duration::minutes(5));
                    assert!(chrono::Datelike::year(&event.at) >= 2015);
                }
            }
            FeedBody::Catalogue { procedures } => {
                if trust::check_catalogue(procedures).is_ok() {
                    assert!(procedures
                        .iter()
                        .all(|p| p.time_limit.is_none_or(|l| l.value <= 1000)));
                }
            }
            FeedBody::Calendar { entries } => {
                let _ = trust::check_calendar(entries, now);
            }
        }
    }
});
