//! When to try again after a failed sync round: capped exponential backoff with full
//! jitter, so a ward's desks that lost the link together do not return together.
//!
//! When the centre says when to come back (503 with `Retry-After`), the desk waits at
//! least that long and spreads its return at random over as much again: a thousand
//! desks told "10 s" return evenly over 10 to 20 s instead of all at the tenth second.

use std::time::Duration;

#[cfg(feature = "desk")]
use crate::sync::client::SyncError;

#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Default for Backoff {
    /// 2 s after the first failure, doubling, never more than 5 minutes.
    fn default() -> Self {
        Backoff::new(Duration::from_secs(2), Duration::from_secs(300))
    }
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        Backoff {
            base,
            cap,
            failures: 0,
        }
    }

    /// A round succeeded: the next failure starts from the base again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Records a failure and returns the wait before the next round: uniform in
    /// [0, min(cap, base·2^failures)] ("full jitter"), `unit` being a draw in [0, 1).
    pub fn next_delay_with(&mut self, unit: f64) -> Duration {
        let exp = self.failures.min(20);
        self.failures = self.failures.saturating_add(1);
        let ceiling = self.base.saturating_mul(1u32 << exp).min(self.cap);
        ceiling.mul_f64(unit.clamp(0.0, 1.0))
    }

    pub fn next_delay(&mut self) -> Duration {
        self.next_delay_with(fastrand::f64())
    }

    /// The wait after the round failed with `err`: the centre's `Retry-After` when it
    /// gave one, else the backoff.
    #[cfg(feature = "desk")]
    pub fn after(&mut self, err: &SyncError) -> Duration {
        let hint = match err {
            SyncError::Busy { retry_after } => Some(Duration::from_secs(*retry_after)),
            _ => None,
        };
        self.next_delay_hinted(hint)
    }

    /// [`Backoff::next_delay_hinted_with`] with a random draw.
    pub fn next_delay_hinted(&mut self, hint: Option<Duration>) -> Duration {
        self.next_delay_hinted_with(hint, fastrand::f64())
    }

    /// Records a failure; with a `hint` from the centre the wait is the hint plus a
    /// uniform share of as much again ([hint, 2·hint], `unit` in [0, 1)), never above
    /// the cap plus the hint; without one it is [`Backoff::next_delay_with`].
    pub fn next_delay_hinted_with(&mut self, hint: Option<Duration>, unit: f64) -> Duration {
        match hint {
            None => self.next_delay_with(unit),
            Some(hint) => {
                self.failures = self.failures.saturating_add(1);
                let hint = hint.min(self.cap);
                hint + hint.mul_f64(unit.clamp(0.0, 1.0))
            }
        }
    }

    /// The largest wait the next failure could bring, for display.
    pub fn ceiling(&self) -> Duration {
        self.base
            .saturating_mul(1u32 << self.failures.min(20))
            .min(self.cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(10));
        let waits: Vec<u64> = (0..6).map(|_| b.next_delay_with(1.0).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 10, 10]);
        assert!(b.next_delay_with(0.5) <= Duration::from_secs(5));
        b.reset();
        assert_eq!(b.next_delay_with(1.0), Duration::from_secs(1));
        assert_eq!(b.next_delay_with(0.0), Duration::ZERO);
    }

    #[test]
    fn a_retry_after_is_waited_and_spread_over_as_much_again() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let ten = Some(Duration::from_secs(10));
        assert_eq!(b.next_delay_hinted_with(ten, 0.0), Duration::from_secs(10));
        assert_eq!(b.next_delay_hinted_with(ten, 0.5), Duration::from_secs(15));
        assert_eq!(b.next_delay_hinted_with(ten, 1.0), Duration::from_secs(20));
        // A centre asking for an hour is held to the cap.
        let hour = Some(Duration::from_secs(3600));
        assert_eq!(b.next_delay_hinted_with(hour, 0.0), Duration::from_secs(60));
        // Draws spread the returns: 1,000 desks told 10 s land evenly over 10–20 s.
        let mut per_second = [0u32; 10];
        for _ in 0..1000 {
            let w = b.after(&SyncError::Busy { retry_after: 10 });
            assert!(w >= Duration::from_secs(10) && w <= Duration::from_secs(20));
            let slot = (w.as_secs_f64() - 10.0).floor().clamp(0.0, 9.0) as usize;
            per_second[slot] += 1;
        }
        assert!(
            per_second.iter().all(|&n| n < 200),
            "returns bunched: {per_second:?}"
        );
    }
}
