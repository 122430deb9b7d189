//! The client's address, behind a reverse proxy or not. Per-client limits (the
//! citizen's look-ups, console sign-ins, enrollments) count by it.
//!
//! `X-Forwarded-For` is anyone's to write, so it is read only when the connection
//! comes from a proxy the operator named (`serve --trusted-proxy CIDR`). Then the
//! client is the right-most entry that is not itself a trusted proxy: entries to its
//! left were written by the client and prove nothing. From any other peer the header is
//! ignored, so a citizen cannot pick the address they are counted under.

use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};

use crate::centre::guard::Peer;

/// Hops of `X-Forwarded-For` read at most, from the right: a chain of proxies is short,
/// and a long forged header costs nothing to walk.
const MAX_HOPS: usize = 16;

/// An address range, `10.0.0.0/8`, `2001:db8::/32`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` is in the range (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = mask_u32(self.prefix);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = mask_u128(self.prefix);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn mask_u32(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask_u128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("dải địa chỉ proxy '{s}' không hợp lệ (ví dụ: 10.0.0.5, 10.0.0.0/8, fd00::/8)")
        };
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let net = IpAddr::from_str(addr).map_err(|_| bad())?.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().map_err(|_| bad())?,
            None => max,
        };
        if prefix > max {
            return Err(bad());
        }
        Ok(Cidr { net, prefix })
    }
}

/// The proxies whose `X-Forwarded-For` is believed (none by default).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<[Cidr]>);

impl TrustedProxies {
    pub fn new(ranges: Vec<Cidr>) -> Self {
        TrustedProxies(ranges.into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the
    /// right-most untrusted `X-Forwarded-For` entry. An entry that is not an address
    /// stops the walk at the last trusted hop (garbage proves nothing either).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        // Several header lines are one list, in order; split on bytes so a non-ASCII
        // entry a client wrote cannot hide the ones a proxy appended after it.
        let hops: Vec<&[u8]> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|v| v.as_bytes().split(|b| *b == b','))
            .collect();
        let mut client = peer;
        for raw in hops.iter().rev().take(MAX_HOPS) {
            let Some(ip) = parse_hop(raw) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port (`[::1]:80`).
fn parse_hop(raw: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(raw).ok()?.trim();
    let ip = IpAddr::from_str(text)
        .ok()
        .or_else(|| std::net::SocketAddr::from_str(text).ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
}

/// The client's address as an extractor: the connection's peer, seen through the
/// trusted proxies the server was given (an `Extension<TrustedProxies>` layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(Peer(peer))) = parts.extensions.get::<ConnectInfo<Peer>>().copied()
        else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR);
        };
        let ip = match parts.extensions.get::<TrustedProxies>() {
            Some(proxies) => proxies.client(peer, &parts.headers),
            None => peer.to_canonical(),
        };
        Ok(ClientAddr(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).expect("value"));
        }
        h
    }

    fn proxies(ranges: &[&str]) -> TrustedProxies {
        TrustedProxies::new(ranges.iter().map(|r| r.parse().expect("cidr")).collect())
    }

    #[test]
    fn ranges_parse_and_match() {
        let c: Cidr = "10.0.0.0/8".parse().expect("cidr");
        assert!(c.contains(ip("10.200.3.4")) && !c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.0.0.1")), "IPv4-mapped counts");
        let one: Cidr = "192.0.2.7".parse().expect("cidr");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let all: Cidr = "0.0.0.0/0".parse().expect("cidr");
        assert!(all.contains(ip("203.0.113.1")) && !all.contains(ip("::1")));
        let v6: Cidr = "fd00::/8".parse().expect("cidr");
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        for bad in ["10.0.0.0/33", "::/129", "proxy", "10.0.0.0/x", ""] {
            let e = bad.parse::<Cidr>().expect_err(bad);
            assert!(e.contains("không hợp lệ"), "{e}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let p = proxies(&["127.0.0.1"]);
        let h = forwarded(&["198.51.100.1"]);
        assert_eq!(p.client(ip("203.0.113.9"), &h), ip("203.0.113.9"));
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn through_trusted_proxies_the_right_most_untrusted_entry_is_the_client() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        // The client forged the left entry; the proxy appended what it saw.
        let h = forwarded(&["198.51.100.1, 203.0.113.7"]);
        assert_eq!(p.client(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        // Two proxies in a chain, in two header lines, one with a port.
        let h = forwarded(&["198.51.100.1", "203.0.113.8:5123, 10.1.2.3"]);
        assert_eq!(p.client(ip("127.0.0.1"), &h), ip("203.0.113.8"));
        // No header: the proxy itself; garbage on the right: the last trusted hop.
        assert_eq!(
            p.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        let h = forwarded(&["203.0.113.7, 10.0.0.9, bogus"]);
        assert_eq!(p.client(ip("127.0.0.1"), &h), ip("127.0.0.1"));
        // Bytes that are not text on the left do not hide the proxy's entry.
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"\xffabc, 203.0.113.5").expect("value"),
        );
        assert_eq!(p.client(ip("127.0.0.1"), &h), ip("203.0.113.5"));
    }
}
