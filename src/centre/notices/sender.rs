//! The sender loop `serve` starts: every few seconds it claims the due notices and
//! hands them to the gateway, outside the quiet hours.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Timelike, Utc};

use crate::domain::clock::vn_offset;

use super::gateway::{Gateway, SendError};
use super::outbox;

/// No text reaches a phone between 21:00 and 07:00, Vietnam time: notices due then
/// wait in the outbox until 07:00.
pub const QUIET_FROM: u32 = 21;
pub const QUIET_UNTIL: u32 = 7;

/// Whether `now` falls in the quiet hours.
pub fn is_quiet(now: DateTime<Utc>) -> bool {
    let hour = now.with_timezone(&vn_offset()).hour();
    !(QUIET_UNTIL..QUIET_FROM).contains(&hour)
}

/// When the quiet hours around `now` end (07:00 Vietnam time), or `now` outside them.
pub fn quiet_ends(now: DateTime<Utc>) -> DateTime<Utc> {
    if !is_quiet(now) {
        return now;
    }
    let local = now.with_timezone(&vn_offset());
    let mut day = local.date_naive();
    if local.hour() >= QUIET_FROM {
        day = day.succ_opt().unwrap_or(day);
    }
    let morning = day.and_time(NaiveTime::from_hms_opt(QUIET_UNTIL, 0, 0).unwrap_or_default());
    morning
        .and_local_timezone(vn_offset())
        .single()
        .map_or(now, |t| t.with_timezone(&Utc))
}

/// What the operator chose for sending.
#[derive(Debug, Clone)]
pub struct SenderSettings {
    /// How often the loop looks for due notices.
    pub every: Duration,
    /// Notices claimed per round.
    pub batch: i64,
    /// Attempts before a notice is given up (state `failed`).
    pub max_attempts: i32,
    /// Whether the quiet hours apply (always, in production; tests may lift them).
    pub quiet_hours: bool,
}

impl Default for SenderSettings {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(5),
            batch: 50,
            max_attempts: 8,
            quiet_hours: true,
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retry_later: usize,
    pub given_up: usize,
    /// The round was skipped for the quiet hours.
    pub quiet: bool,
}

/// One round: claim the due notices, send each, record the outcome.
pub async fn round(
    pool: &deadpool_postgres::Pool,
    gateway: &dyn Gateway,
    settings: &SenderSettings,
    now: DateTime<Utc>,
) -> Result<Round, String> {
    if settings.quiet_hours && is_quiet(now) {
        return Ok(Round {
            quiet: true,
            ..Round::default()
        });
    }
    let mut client = pool.get().await.map_err(|e| e.to_string())?;
    let due = outbox::claim(&mut client, now, settings.batch)
        .await
        .map_err(|e| e.to_string())?;
    let mut done = Round::default();
    for notice in &due {
        let outcome = gateway.send(notice).await;
        let result = match &outcome {
            Ok(()) => {
                done.sent += 1;
                outbox::mark_sent(&client, &notice.key).await
            }
            Err(e) => {
                let give_up =
                    matches!(e, SendError::Refused(_)) || notice.attempt >= settings.max_attempts;
                if give_up {
                    done.given_up += 1;
                } else {
                    done.retry_later += 1;
                }
                tracing::warn!(gateway = gateway.name(), key = %notice.key, error = %e,
                    "không gửi được thông báo");
                outbox::mark_failed(&client, &notice.key, &e.to_string(), give_up).await
            }
        };
        result.map_err(|e| e.to_string())?;
    }
    Ok(done)
}

/// Runs rounds until the process ends. A failing round (database away) is logged and
/// the loop goes on.
pub fn spawn(
    pool: deadpool_postgres::Pool,
    gateway: Arc<dyn Gateway>,
    settings: SenderSettings,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match round(&pool, gateway.as_ref(), &settings, Utc::now()).await {
                Ok(r) if r.sent + r.retry_later + r.given_up > 0 => {
                    tracing::info!(
                        sent = r.sent,
                        retry = r.retry_later,
                        failed = r.given_up,
                        "gửi thông báo"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "vòng gửi thông báo lỗi"),
            }
            tokio::time::sleep(settings.every).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn vn(h: u32, m: u32) -> DateTime<Utc> {
        vn_offset()
            .with_ymd_and_hms(2026, 12, 7, h, m, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn no_text_between_nine_in_the_evening_and_seven_in_the_morning() {
        assert!(!is_quiet(vn(7, 0)));
        assert!(!is_quiet(vn(20, 59)));
        assert!(is_quiet(vn(21, 0)));
        assert!(is_quiet(vn(2, 30)));
        assert!(is_quiet(vn(6, 59)));
    }

    #[test]
    fn held_notices_go_out_at_seven() {
        assert_eq!(quiet_ends(vn(22, 15)), vn(7, 0) + chrono::Duration::days(1));
        assert_eq!(quiet_ends(vn(5, 0)), vn(7, 0));
        assert_eq!(quiet_ends(vn(10, 0)), vn(10, 0));
    }
}
