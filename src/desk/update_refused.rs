//! Releases whose download failed its check (issue 25 §3): a hostile or broken centre
//! that keeps offering a bad package would otherwise have every desk with "tự cập nhật"
//! pull it (up to 256 MiB) at every look, every 15 minutes. A refusal is kept in the
//! desk's settings by the package's SHA-256 with its reason, and the automatic look does
//! not fetch that package again for `REFUSE_FOR`; an administrator's yes still tries.

use serde::{Deserialize, Serialize};

use crate::desk::Desk;
use crate::store::Store;

/// The settings key of the remembered refusals (JSON; not a setting anyone edits).
pub const SETTING_REFUSED_RELEASES: &str = "update_refused_releases";
/// How long a refused package is not fetched again by itself.
pub const REFUSE_FOR_SECS: i64 = 24 * 60 * 60;
/// At most this many refusals are kept: a centre offering ever new packages gets one
/// download per look, never a growing list.
const MAX_KEPT: usize = 8;
/// The reason is this program's own words, bounded all the same.
const MAX_REASON_CHARS: usize = 300;

/// One refused package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub sha256: String,
    /// When it was refused, in seconds since 1970 (UTC).
    pub at: i64,
    pub reason: String,
}

/// The refusals kept in `text` still in force at `now` (an unreadable value is none:
/// at worst the package is fetched and checked once more).
pub fn in_force(text: Option<&str>, now: i64) -> Vec<Refusal> {
    let all: Vec<Refusal> = text
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    all.into_iter()
        .filter(|r| (0..REFUSE_FOR_SECS).contains(&(now - r.at)))
        .take(MAX_KEPT)
        .collect()
}

/// `kept` with the refusal of `sha256` at `now` in front (replacing an older one).
pub fn with_refusal(kept: Vec<Refusal>, sha256: &str, reason: &str, now: i64) -> Vec<Refusal> {
    let fresh = Refusal {
        sha256: sha256.to_string(),
        at: now,
        reason: reason.chars().take(MAX_REASON_CHARS).collect(),
    };
    std::iter::once(fresh)
        .chain(kept.into_iter().filter(|r| r.sha256 != sha256))
        .take(MAX_KEPT)
        .collect()
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn kept(store: &Store, now: i64) -> Vec<Refusal> {
    let text = store.setting(SETTING_REFUSED_RELEASES).ok().flatten();
    in_force(text.as_deref(), now)
}

impl Desk {
    /// Why the package `sha256` was refused here within the last day, if it was.
    pub fn refused_release(&self, sha256: &str) -> Option<String> {
        // The centre's spelling of the hash is not trusted: upper case is the same file.
        let sha256 = sha256.to_ascii_lowercase();
        let now = unix_now();
        self.with_store(|s| kept(s, now))
            .into_iter()
            .find(|r| r.sha256 == sha256)
            .map(|r| r.reason)
    }

    /// Remembers that the package `sha256` failed its check, and why. Best effort: a
    /// store that cannot write only means the package may be fetched once more.
    pub fn remember_refused_release(&self, sha256: &str, reason: &str) {
        let sha256 = sha256.to_ascii_lowercase();
        let now = unix_now();
        self.with_store(|s| {
            let list = with_refusal(kept(s, now), &sha256, reason, now);
            if let Ok(json) = serde_json::to_string(&list) {
                let _ = s.set_setting(SETTING_REFUSED_RELEASES, &json);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = REFUSE_FOR_SECS;

    #[test]
    fn the_desk_keeps_a_refusal_whatever_case_the_centre_spells_the_hash_in() {
        let (_dir, store, _) = crate::store::testkit::unit_with_clerk(
            false,
            "mật khẩu dài",
            crate::domain::clock::now_vn(),
        );
        let desk = Desk::new(store);
        let sha = "ab".repeat(32);
        assert_eq!(desk.refused_release(&sha), None);
        desk.remember_refused_release(&sha.to_ascii_uppercase(), "sai chữ ký");
        assert_eq!(desk.refused_release(&sha).as_deref(), Some("sai chữ ký"));
        assert!(desk.refused_release(&sha.to_ascii_uppercase()).is_some());
        assert_eq!(desk.refused_release(&"cd".repeat(32)), None);
    }

    #[test]
    fn a_refusal_holds_for_a_day_and_the_list_stays_bounded() {
        let t = 1_800_000_000;
        let list = with_refusal(Vec::new(), "aa", "sai mã băm", t);
        let json = serde_json::to_string(&list).expect("json");
        assert_eq!(in_force(Some(&json), t + 60).len(), 1);
        assert_eq!(in_force(Some(&json), t + DAY - 1).len(), 1);
        assert!(
            in_force(Some(&json), t + DAY).is_empty(),
            "a day later it is tried"
        );
        // A clock set back is no reason to hold it forever.
        assert!(in_force(Some(&json), t - 1).is_empty());
        assert!(in_force(Some("not json"), t).is_empty());
        assert!(in_force(None, t).is_empty());

        let mut list = Vec::new();
        for i in 0..20 {
            list = with_refusal(list, &format!("{i:02}"), "x", t + i);
        }
        assert_eq!(list.len(), MAX_KEPT);
        assert_eq!(list[0].sha256, "19", "the newest first");
        // The same package refused again is one entry, with the new time and reason.
        let again = with_refusal(list, "15", "sai chữ ký", t + 30);
        assert_eq!(again.iter().filter(|r| r.sha256 == "15").count(), 1);
        assert_eq!(again[0].reason, "sai chữ ký");
        let long = with_refusal(Vec::new(), "bb", &"ư".repeat(1000), t);
        assert_eq!(long[0].reason.chars().count(), MAX_REASON_CHARS);
    }
}
