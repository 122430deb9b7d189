//! The sync state in words, for the clerk: one pure function from what the store
//! remembers (last successful push/pull, last error, clock offset, unsent dossiers) to
//! a level and a Vietnamese sentence. The GUI shows it always; `motcua sync status`
//! prints it.
//!
//! Levels: not enrolled is `Info` (the desk works alone, by choice); synced within
//! `warn_after` is `Ok`; a cut link is `Info` until `warn_after`, then `Warning`, then
//! `Alarm` after `alarm_after`, counted from the last successful contact (or from
//! enrollment if there was none). A refusal by the centre (not a cut link) needs a
//! person and is at least `Warning`. A desk clock more than `max_clock_skew` off the
//! centre's adds `clock_warning` and raises the level to at least `Warning`: receipt
//! and due times are printed from that clock.

use chrono::Duration;

use crate::domain::clock::Timestamp;
use crate::domain::sync_state::SyncState;

/// Setting keys (whole hours) that override the defaults.
pub const WARN_AFTER_KEY: &str = "sync_warn_after_hours";
pub const ALARM_AFTER_KEY: &str = "sync_alarm_after_hours";

/// The start of every network error's message (`SyncError::Network`).
const NETWORK_ERROR_PREFIX: &str = "Không kết nối được trung tâm";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub warn_after: Duration,
    pub alarm_after: Duration,
    pub max_clock_skew: Duration,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warn_after: Duration::days(1),
            alarm_after: Duration::days(3),
            max_clock_skew: Duration::minutes(5),
        }
    }
}

impl Thresholds {
    /// The defaults, with the values of `sync_warn_after_hours` / `sync_alarm_after_hours`
    /// when present (positive whole hours, the alarm not before the warning).
    pub fn from_settings(warn: Option<&str>, alarm: Option<&str>) -> Result<Thresholds, String> {
        let mut t = Thresholds::default();
        if let Some(h) = hours_setting(WARN_AFTER_KEY, warn)? {
            t.warn_after = h;
        }
        if let Some(h) = hours_setting(ALARM_AFTER_KEY, alarm)? {
            t.alarm_after = h;
        }
        if t.alarm_after < t.warn_after {
            return Err(format!(
                "Cài đặt {ALARM_AFTER_KEY} ({} giờ) phải lớn hơn hoặc bằng {WARN_AFTER_KEY} ({} giờ)",
                t.alarm_after.num_hours(),
                t.warn_after.num_hours()
            ));
        }
        Ok(t)
    }
}

fn hours_setting(key: &str, raw: Option<&str>) -> Result<Option<Duration>, String> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    match raw.trim().parse::<i64>() {
        Ok(h) if (1..=24 * 365).contains(&h) => Ok(Some(Duration::hours(h))),
        _ => Err(format!(
            "Cài đặt {key} phải là số giờ nguyên dương (đang là '{raw}')"
        )),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    Ok,
    Info,
    Warning,
    Alarm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncHealth {
    pub level: Level,
    pub message: String,
    pub unsent_dossiers: i64,
    pub clock_warning: Option<String>,
}

/// The sync state in words at `now`.
pub fn assess(
    state: &SyncState,
    enrolled: bool,
    unsent_dossiers: i64,
    now: Timestamp,
    t: &Thresholds,
) -> SyncHealth {
    let clock_warning = clock_warning(state.clock_offset_ms, t.max_clock_skew);
    let (level, message) = if !enrolled {
        (
            Level::Info,
            "Chưa đăng ký với Trung tâm — hồ sơ được lưu trên máy này".to_string(),
        )
    } else {
        enrolled_level(state, unsent_dossiers, now, t)
    };
    let level = match (&clock_warning, level) {
        (Some(_), Level::Ok | Level::Info) => Level::Warning,
        (_, level) => level,
    };
    SyncHealth {
        level,
        message,
        unsent_dossiers,
        clock_warning,
    }
}

fn enrolled_level(
    state: &SyncState,
    unsent: i64,
    now: Timestamp,
    t: &Thresholds,
) -> (Level, String) {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok())
    };
    let last_ok = parse(&state.last_push_at).max(parse(&state.last_pull_at));
    // Never synced: the silence counts from enrollment.
    let since = last_ok.or_else(|| parse(&state.enrolled_at));
    let silent = since.map(|s| (now - s).max(Duration::zero()));
    let by_age = |age: Option<Duration>| match age {
        Some(a) if a >= t.alarm_after => Level::Alarm,
        Some(a) if a >= t.warn_after => Level::Warning,
        _ => Level::Info,
    };
    let waiting = if unsent > 0 {
        format!(" — {unsent} hồ sơ chờ gửi")
    } else {
        String::new()
    };
    let how_long =
        |age: Option<Duration>| age.map(|a| format!(" {}", words(a))).unwrap_or_default();
    match &state.last_error {
        Some(e) if e.starts_with(NETWORK_ERROR_PREFIX) => (
            by_age(silent),
            format!("Mất kết nối{}{waiting}", how_long(silent)),
        ),
        Some(e) => {
            let level = match by_age(silent) {
                Level::Alarm => Level::Alarm,
                _ => Level::Warning,
            };
            (level, format!("Lỗi đồng bộ: {e}"))
        }
        None => match (last_ok, silent) {
            (Some(_), Some(age)) if age < t.warn_after => {
                let when = if age < Duration::minutes(1) {
                    "Vừa đồng bộ".to_string()
                } else {
                    format!("Đã đồng bộ {} trước", words(age))
                };
                (Level::Ok, format!("{when}{waiting}"))
            }
            (Some(_), age) => (
                by_age(age),
                format!("Chưa đồng bộ{}{waiting}", how_long(age)),
            ),
            (None, age) => (by_age(age), format!("Chưa đồng bộ lần nào{waiting}")),
        },
    }
}

/// The warning for a desk clock more than `max` off the centre's; `offset_ms` is the
/// centre's clock minus the desk's (positive: the desk is slow).
pub fn clock_warning(offset_ms: Option<i64>, max: Duration) -> Option<String> {
    let ms = offset_ms?;
    let off = Duration::milliseconds(ms.abs());
    if off <= max {
        return None;
    }
    let word = if ms > 0 { "chậm" } else { "nhanh" };
    Some(format!(
        "Đồng hồ máy này {word} hơn trung tâm {}; hãy chỉnh lại giờ hệ thống (giờ tiếp nhận và hẹn trả in trên phiếu lấy theo đồng hồ này)",
        words(off)
    ))
}

/// A duration as a clerk says it: "3 phút", "2 giờ 5 phút", "1 ngày 4 giờ".
pub fn words(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, 0) => "dưới 1 phút".to_string(),
        (0, 0, m) => format!("{m} phút"),
        (0, h, 0) => format!("{h} giờ"),
        (0, h, m) => format!("{h} giờ {m} phút"),
        (d, 0, _) => format!("{d} ngày"),
        (d, h, _) => format!("{d} ngày {h} giờ"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::{format_rfc3339, from_wall};

    fn now() -> Timestamp {
        from_wall(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .expect("valid"),
        )
    }

    fn ago(d: Duration) -> Option<String> {
        Some(format_rfc3339(now() - d))
    }

    fn state() -> SyncState {
        SyncState {
            centre_url: Some("https://trungtam.example".into()),
            enrolled: true,
            enrolled_at: ago(Duration::days(30)),
            acked_seq: 10,
            last_seq: 10,
            pull_cursor: 5,
            last_push_at: None,
            last_pull_at: None,
            last_error: None,
            clock_offset_ms: Some(1200),
            refused: 0,
        }
    }

    fn network_error() -> Option<String> {
        Some(format!(
            "{NETWORK_ERROR_PREFIX} (không mở được kết nối); dữ liệu vẫn an toàn trên máy, sẽ gửi lại sau"
        ))
    }

    fn check(s: &SyncState, unsent: i64) -> SyncHealth {
        assess(s, s.enrolled, unsent, now(), &Thresholds::default())
    }

    #[test]
    fn not_enrolled_is_information_only() {
        let mut s = state();
        s.enrolled = false;
        let h = check(&s, 4);
        assert_eq!(h.level, Level::Info);
        assert_eq!(
            h.message,
            "Chưa đăng ký với Trung tâm — hồ sơ được lưu trên máy này"
        );
        assert_eq!(h.unsent_dossiers, 4);
        assert_eq!(h.clock_warning, None);
    }

    #[test]
    fn a_recent_sync_is_ok_and_says_when() {
        let mut s = state();
        s.last_push_at = ago(Duration::minutes(7));
        s.last_pull_at = ago(Duration::minutes(3));
        let h = check(&s, 0);
        assert_eq!(
            (h.level, h.message.as_str()),
            (Level::Ok, "Đã đồng bộ 3 phút trước")
        );
        s.last_pull_at = ago(Duration::seconds(20));
        assert_eq!(check(&s, 2).message, "Vừa đồng bộ — 2 hồ sơ chờ gửi");
    }

    #[test]
    fn a_cut_link_grows_from_info_to_warning_to_alarm() {
        let mut s = state();
        s.last_error = network_error();
        s.last_pull_at = ago(Duration::hours(2) + Duration::minutes(5));
        let h = check(&s, 3);
        assert_eq!(
            (h.level, h.message.as_str()),
            (Level::Info, "Mất kết nối 2 giờ 5 phút — 3 hồ sơ chờ gửi")
        );
        s.last_pull_at = ago(Duration::hours(28));
        let h = check(&s, 12);
        assert_eq!(
            (h.level, h.message.as_str()),
            (
                Level::Warning,
                "Mất kết nối 1 ngày 4 giờ — 12 hồ sơ chờ gửi"
            )
        );
        s.last_pull_at = ago(Duration::days(3));
        assert_eq!(check(&s, 12).level, Level::Alarm);
        // Configurable: a stricter ward warns after 4 hours.
        let strict = Thresholds {
            warn_after: Duration::hours(4),
            alarm_after: Duration::hours(8),
            ..Thresholds::default()
        };
        s.last_pull_at = ago(Duration::hours(5));
        assert_eq!(assess(&s, true, 1, now(), &strict).level, Level::Warning);
        s.last_pull_at = ago(Duration::hours(9));
        assert_eq!(assess(&s, true, 1, now(), &strict).level, Level::Alarm);
    }

    #[test]
    fn never_synced_counts_from_enrollment() {
        let mut s = state();
        s.enrolled_at = ago(Duration::days(2));
        s.last_error = network_error();
        let h = check(&s, 5);
        assert_eq!(
            (h.level, h.message.as_str()),
            (Level::Warning, "Mất kết nối 2 ngày — 5 hồ sơ chờ gửi")
        );
        s.last_error = None;
        s.enrolled_at = ago(Duration::hours(1));
        let h = check(&s, 5);
        assert_eq!(
            (h.level, h.message.as_str()),
            (Level::Info, "Chưa đồng bộ lần nào — 5 hồ sơ chờ gửi")
        );
    }

    #[test]
    fn a_refusal_needs_a_person() {
        let mut s = state();
        s.last_pull_at = ago(Duration::minutes(10));
        s.last_error = Some("Trung tâm từ chối (409): sự kiện số 4 mâu thuẫn".into());
        let h = check(&s, 1);
        assert_eq!(h.level, Level::Warning);
        assert_eq!(
            h.message,
            "Lỗi đồng bộ: Trung tâm từ chối (409): sự kiện số 4 mâu thuẫn"
        );
        s.last_pull_at = ago(Duration::days(4));
        assert_eq!(check(&s, 1).level, Level::Alarm);
    }

    #[test]
    fn a_silent_desk_without_error_is_warned_too() {
        let mut s = state();
        s.last_pull_at = ago(Duration::days(1) + Duration::hours(4));
        let h = check(&s, 12);
        assert_eq!(
            (h.level, h.message.as_str()),
            (
                Level::Warning,
                "Chưa đồng bộ 1 ngày 4 giờ — 12 hồ sơ chờ gửi"
            )
        );
    }

    #[test]
    fn a_wrong_clock_is_named_with_its_offset() {
        let mut s = state();
        s.last_pull_at = ago(Duration::minutes(1));
        s.clock_offset_ms = Some(4 * 60_000 + 59_000);
        assert_eq!(check(&s, 0).clock_warning, None, "within 5 minutes");
        s.clock_offset_ms = Some(7 * 60_000 + 30_000);
        let h = check(&s, 0);
        assert_eq!(h.level, Level::Warning);
        let w = h.clock_warning.expect("warned");
        assert!(
            w.starts_with("Đồng hồ máy này chậm hơn trung tâm 7 phút"),
            "{w}"
        );
        s.clock_offset_ms = Some(-(2 * 3_600_000 + 5 * 60_000));
        let w = check(&s, 0).clock_warning.expect("warned");
        assert!(
            w.starts_with("Đồng hồ máy này nhanh hơn trung tâm 2 giờ 5 phút"),
            "{w}"
        );
        // An alarm stays an alarm.
        s.last_error = network_error();
        s.last_pull_at = ago(Duration::days(5));
        assert_eq!(check(&s, 0).level, Level::Alarm);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(words(Duration::seconds(30)), "dưới 1 phút");
        assert_eq!(words(Duration::minutes(59)), "59 phút");
        assert_eq!(words(Duration::hours(3)), "3 giờ");
        assert_eq!(words(Duration::hours(24)), "1 ngày");
        assert_eq!(
            words(Duration::hours(28) + Duration::minutes(9)),
            "1 ngày 4 giờ"
        );
    }
}
