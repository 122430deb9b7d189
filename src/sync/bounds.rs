//! What a desk accepts of a pull page's shape before it looks at the items (design §6,
//! "Trust"): item numbers strictly increasing after the cursor, and a next cursor that
//! is exactly the last number the page showed (or the old cursor for an empty page).
//! So the cursor only moves forward, and never past what the centre has shown to
//! exist: a hostile `next_cursor` of `i64::MAX` cannot make a desk skip the feed.

use crate::sync::protocol::PullResponse;

/// Most pull pages in one round: a centre that keeps answering `more: true` is left
/// for the next round instead of being followed for ever.
pub const MAX_PULL_PAGES_PER_ROUND: usize = 200;

/// Most pull pages in one round while they come back full (a new or reinstalled desk
/// taking its unit's whole feed: 730,000 events for a unit of 200,000 dossiers). Still
/// a bound: a centre answering full pages for ever is left after a million events.
pub const MAX_CATCH_UP_PAGES_PER_ROUND: usize = 1_000;

/// Where a page starts: the cursor it was asked after, or the earlier point a
/// restored centre serves it from (`rewound_to`: never after the cursor, never
/// negative). Items before the cursor the desk already holds apply as no change.
pub fn page_start(cursor: i64, page: &PullResponse) -> Result<i64, String> {
    match page.rewound_to {
        None => Ok(cursor),
        Some(r) if (0..=cursor).contains(&r) => Ok(r),
        Some(r) => Err(format!(
            "trung tâm báo lùi con trỏ về {r}, không nằm trong 0..{cursor}"
        )),
    }
}

/// Checks a page against the cursor it was asked after. The error is Vietnamese.
pub fn check_page(cursor: i64, page: &PullResponse) -> Result<(), String> {
    let cursor = page_start(cursor, page)?;
    let mut last = cursor;
    for item in &page.items {
        if item.seq <= last {
            return Err(format!(
                "mục số {} của trang không đứng sau số {last}",
                item.seq
            ));
        }
        last = item.seq;
    }
    if page.next_cursor != last {
        return Err(format!(
            "con trỏ tiếp theo {} khác số cuối cùng trang đã cho ({last})",
            page.next_cursor
        ));
    }
    if page.more && page.items.is_empty() {
        return Err("trang rỗng nhưng báo còn dữ liệu".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restored_centre_may_serve_from_before_the_cursor_never_after() {
        let mut p = page(&[31, 32], 32, false);
        p.rewound_to = Some(30);
        assert_eq!(page_start(40, &p), Ok(30));
        assert!(check_page(40, &p).is_ok());
        p.rewound_to = Some(41);
        assert!(check_page(40, &p).is_err());
        p.rewound_to = Some(-1);
        assert!(check_page(40, &p).is_err());
    }
    use crate::sync::protocol::{FeedBody, FeedItem};
    use proptest::prelude::*;

    fn page(seqs: &[i64], next_cursor: i64, more: bool) -> PullResponse {
        PullResponse {
            items: seqs
                .iter()
                .map(|&seq| FeedItem {
                    seq,
                    body: FeedBody::Calendar {
                        entries: Vec::new(),
                    },
                })
                .collect(),
            next_cursor,
            more,
            province: None,
            server_time: chrono::Utc::now(),
            epoch: None,
            rewound_to: None,
        }
    }

    #[test]
    fn a_cursor_past_the_page_or_backwards_is_refused() {
        assert!(check_page(10, &page(&[11, 15], 15, true)).is_ok());
        assert!(check_page(10, &page(&[], 10, false)).is_ok());
        assert!(check_page(10, &page(&[11], i64::MAX, false)).is_err());
        assert!(check_page(10, &page(&[], 5, false)).is_err());
        assert!(check_page(10, &page(&[9, 12], 12, false)).is_err());
        assert!(check_page(10, &page(&[12, 12], 12, false)).is_err());
        assert!(check_page(10, &page(&[], 10, true)).is_err());
    }

    proptest! {
        /// Whatever a centre answers, an accepted page never moves the cursor backwards
        /// nor past the highest number it showed.
        #[test]
        fn an_accepted_page_moves_the_cursor_forward_within_what_it_showed(
            cursor in 0i64..1_000_000,
            seqs in proptest::collection::vec(-10i64..2_000_000, 0..20),
            next in prop_oneof![Just(i64::MAX), Just(i64::MIN), -10i64..2_000_000],
            more in any::<bool>(),
            honest in any::<bool>(),
        ) {
            // Half the time a well-formed page, so the accepting path is exercised.
            let mut seqs = seqs;
            let next = if honest {
                seqs.retain(|s| *s > cursor);
                seqs.sort_unstable();
                seqs.dedup();
                seqs.last().copied().unwrap_or(cursor)
            } else {
                next
            };
            let p = page(&seqs, next, more);
            if honest && (!more || !seqs.is_empty()) {
                prop_assert!(check_page(cursor, &p).is_ok());
            }
            if check_page(cursor, &p).is_ok() {
                prop_assert!(p.next_cursor >= cursor);
                let head = seqs.iter().copied().max().unwrap_or(cursor).max(cursor);
                prop_assert!(p.next_cursor <= head);
            }
        }
    }
}
