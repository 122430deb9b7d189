//! Failed enrollment attempts, counted per client address and per code tried: after
//! [`MAX_FAILURES`] in a [`WINDOW`] on either, a wrong attempt from that address or
//! with that code is answered 429 with `Retry-After` until the window ends. A right,
//! unused code is never refused: a ward behind one NAT must not lock out its other
//! desks because one of them mistyped. 100-bit codes cannot be guessed anyway; this
//! keeps a guessing client from learning anything or filling the log.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::centre::error::ApiError;

pub const MAX_FAILURES: u32 = 10;
pub const WINDOW: Duration = Duration::from_secs(600);
/// Keys remembered at most per map; beyond, windows that have ended are forgotten first.
const MAX_TRACKED: usize = 100_000;

#[derive(Debug, Default)]
pub struct Throttle {
    by_address: Mutex<HashMap<IpAddr, (Instant, u32)>>,
    /// Keyed by a hash of the code (the codes themselves are not kept).
    by_code: Mutex<HashMap<[u8; 32], (Instant, u32)>>,
}

/// The code as counted: trimmed, upper-case, hashed.
fn code_key(code: &str) -> [u8; 32] {
    Sha256::digest(code.trim().to_uppercase().as_bytes()).into()
}

impl Throttle {
    /// The 429 a wrong attempt from `ip` with `code` gets now, if either has used up
    /// its failures in the current window. Asked only after the attempt failed.
    pub fn held(&self, ip: IpAddr, code: &str) -> Option<ApiError> {
        let now = Instant::now();
        let wait = [
            remaining(&self.by_address, &ip, now),
            remaining(&self.by_code, &code_key(code), now),
        ]
        .into_iter()
        .flatten()
        .max()?;
        let wait = wait.as_secs().max(1);
        Some(ApiError::TooManyRequests {
            message: format!(
                "Đã có quá nhiều lần đăng ký sai từ địa chỉ này hoặc với mã này; hãy kiểm tra lại mã rồi thử lại sau {} phút",
                wait.div_ceil(60)
            ),
            retry_after: wait,
        })
    }

    /// The seconds `ip` must still wait, if it has used up its failures (the console's
    /// sign-in counts by address only and words its own refusal).
    pub fn held_off(&self, ip: IpAddr) -> Option<u64> {
        remaining(&self.by_address, &ip, Instant::now()).map(|d| d.as_secs().max(1))
    }

    /// Counts one failed attempt from `ip` (the console's sign-in).
    pub fn failed_from(&self, ip: IpAddr) {
        count(&self.by_address, ip, Instant::now());
    }

    /// Counts one failed attempt from `ip` with `code`.
    pub fn failed(&self, ip: IpAddr, code: &str) {
        let now = Instant::now();
        count(&self.by_address, ip, now);
        count(&self.by_code, code_key(code), now);
    }
}

/// How long `key` stays held, when it has used up its failures.
fn remaining<K: Eq + Hash>(
    map: &Mutex<HashMap<K, (Instant, u32)>>,
    key: &K,
    now: Instant,
) -> Option<Duration> {
    let map = map.lock().unwrap_or_else(|p| p.into_inner());
    match map.get(key) {
        Some((start, n)) if *n >= MAX_FAILURES && now < *start + WINDOW => {
            Some(*start + WINDOW - now)
        }
        _ => None,
    }
}

fn count<K: Eq + Hash>(map: &Mutex<HashMap<K, (Instant, u32)>>, key: K, now: Instant) {
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    if map.len() >= MAX_TRACKED {
        map.retain(|_, (start, _)| now < *start + WINDOW);
    }
    let entry = map.entry(key).or_insert((now, 0));
    if now >= entry.0 + WINDOW {
        *entry = (now, 0);
    }
    entry.1 += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_or_a_code_is_held_off_after_too_many_failures() {
        let t = Throttle::default();
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        for i in 0..MAX_FAILURES {
            assert!(t.held(a, &format!("SAI-{i}")).is_none());
            t.failed(a, &format!("SAI-{i}"));
        }
        let e = t.held(a, "KHAC").expect("held off");
        assert_eq!(e.status().as_u16(), 429);
        assert!(t.held(b, "KHAC").is_none());
        // One code tried from many addresses.
        for i in 0..MAX_FAILURES {
            t.failed(IpAddr::from([198, 51, 100, i as u8]), "abcd-efgh ");
        }
        assert!(t.held(b, "ABCD-EFGH").is_some());
    }
}
