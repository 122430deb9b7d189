//! Failed enrollment attempts, counted per client address: after [`MAX_FAILURES`] in
//! a [`WINDOW`], that address is answered 429 with `Retry-After` until the window
//! ends, whatever it sends (a right code included). 100-bit codes cannot be guessed
//! anyway; this keeps a guessing client from costing the centre work and log lines.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::centre::error::ApiError;

pub const MAX_FAILURES: u32 = 10;
pub const WINDOW: Duration = Duration::from_secs(600);
/// Addresses remembered at most; beyond, windows that have ended are forgotten first.
const MAX_TRACKED: usize = 100_000;

#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Throttle {
    /// 429 while `ip` has used up its failures in the current window.
    pub fn check(&self, ip: IpAddr) -> Result<(), ApiError> {
        match self.held_off(ip) {
            Some(wait) => Err(ApiError::TooManyRequests {
                message: format!(
                    "Đã có quá nhiều lần đăng ký sai từ địa chỉ này; hãy thử lại sau {} phút",
                    wait.div_ceil(60)
                ),
                retry_after: wait,
            }),
            None => Ok(()),
        }
    }

    /// The seconds `ip` must still wait, if it has used up its failures (the console's
    /// sign-in words its own refusal).
    pub fn held_off(&self, ip: IpAddr) -> Option<u64> {
        let now = Instant::now();
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(&ip) {
            Some((start, n)) if *n >= MAX_FAILURES && now < *start + WINDOW => {
                Some((*start + WINDOW - now).as_secs().max(1))
            }
            _ => None,
        }
    }

    /// Counts one failed attempt from `ip`.
    pub fn failed(&self, ip: IpAddr) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED {
            map.retain(|_, (start, _)| now < *start + WINDOW);
        }
        let entry = map.entry(ip).or_insert((now, 0));
        if now >= entry.0 + WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_off_after_too_many_failures_and_others_are_not() {
        let t = Throttle::default();
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        for _ in 0..MAX_FAILURES {
            assert!(t.check(a).is_ok());
            t.failed(a);
        }
        let e = t.check(a).expect_err("held off");
        assert_eq!(e.status().as_u16(), 429);
        assert!(t.check(b).is_ok());
    }
}
