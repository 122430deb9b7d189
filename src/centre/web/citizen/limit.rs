//! Per-address limits of the public pages: failed look-ups (an unknown token, a code
//! with wrong digits) are counted per client address; past the limit in a window, that
//! address gets 429 for every look-up until the window ends. A citizen reading their
//! own page never fails; a client walking through tokens or digits does, quickly.
//!
//! The address is the client's as `crate::centre::proxy` sees it: behind a reverse
//! proxy named with `serve --trusted-proxy`, the one the proxy forwarded; from any
//! other peer, the peer's own (a forged `X-Forwarded-For` is ignored).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses remembered at most; beyond, windows that have ended are forgotten first.
const MAX_TRACKED: usize = 100_000;

#[derive(Debug)]
pub struct MissLimiter {
    max: u32,
    window: Duration,
    misses: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl MissLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            misses: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` while `ip` has used up its misses in the window.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let map = self.misses.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(&ip) {
            Some((start, n)) if *n >= self.max && now < *start + self.window => {
                Err((*start + self.window - now).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts one failed look-up from `ip`.
    pub fn missed(&self, ip: IpAddr) {
        let now = Instant::now();
        let mut map = self.misses.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED {
            let window = self.window;
            map.retain(|_, (start, _)| now < *start + window);
        }
        let entry = map.entry(ip).or_insert((now, 0));
        if now >= entry.0 + self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

/// The limits of the citizen's pages.
#[derive(Debug)]
pub struct CitizenLimits {
    /// Unknown tokens: 20 per 10 minutes (a citizen mistyping a URL a few times passes).
    pub tokens: MissLimiter,
    /// Wrong code + digits: 5 per 15 minutes (4 digits are only 10,000 guesses).
    pub lookups: MissLimiter,
}

impl Default for CitizenLimits {
    fn default() -> Self {
        Self {
            tokens: MissLimiter::new(20, Duration::from_secs(600)),
            lookups: MissLimiter::new(5, Duration::from_secs(900)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_off_after_its_misses_and_others_are_not() {
        let l = MissLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        for _ in 0..3 {
            assert!(l.check(a).is_ok());
            l.missed(a);
        }
        assert!(l.check(a).is_err());
        assert!(l.check(b).is_ok());
    }
}
