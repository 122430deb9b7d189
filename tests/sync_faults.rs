//! Sync through a fault-injecting TCP proxy: connections dropped mid-request and
//! mid-response, delayed, refused. Whatever happened, once the faults stop one more
//! round converges exactly: every event once, at the centre and at the other desk.

mod sync_support;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use sync_support::*;

#[derive(Debug, Clone, Copy)]
enum Fault {
    Pass,
    /// Accept, then close at once.
    Refuse,
    /// Forward only the first bytes of the request, then cut both sides.
    DropRequest,
    /// Forward the whole request (the centre does the work), cut the answer.
    DropResponse,
    /// Forward everything, slowly.
    Delay,
}

/// A proxy on 127.0.0.1 that picks a fault per connection while `faulty` is set.
struct Proxy {
    addr: SocketAddr,
    faulty: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    faults: Arc<AtomicU64>,
}

impl Proxy {
    fn start(upstream: SocketAddr, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let faulty = Arc::new(AtomicBool::new(true));
        let stop = Arc::new(AtomicBool::new(false));
        let faults = Arc::new(AtomicU64::new(0));
        let (f, s, n) = (faulty.clone(), stop.clone(), faults.clone());
        thread::spawn(move || {
            let mut rng = fastrand::Rng::with_seed(seed);
            while !s.load(Ordering::Relaxed) {
                let client = match listener.accept() {
                    Ok((c, _)) => c,
                    Err(_) => {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                let fault = if f.load(Ordering::Relaxed) {
                    match rng.u8(0..10) {
                        0..=1 => Fault::Refuse,
                        2..=4 => Fault::DropRequest,
                        5..=7 => Fault::DropResponse,
                        8 => Fault::Delay,
                        _ => Fault::Pass,
                    }
                } else {
                    Fault::Pass
                };
                if !matches!(fault, Fault::Pass | Fault::Delay) {
                    n.fetch_add(1, Ordering::Relaxed);
                }
                let cut_at = rng.usize(1..400);
                thread::spawn(move || relay(client, upstream, fault, cut_at));
            }
        });
        Proxy {
            addr,
            faulty,
            stop,
            faults,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn relay(client: TcpStream, upstream: SocketAddr, fault: Fault, cut_at: usize) {
    let _ = client.set_nonblocking(false);
    if matches!(fault, Fault::Refuse) {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let Ok(server) = TcpStream::connect_timeout(&upstream, Duration::from_secs(5)) else {
        return;
    };
    let timeout = Some(Duration::from_secs(20));
    for s in [&client, &server] {
        let _ = s.set_read_timeout(timeout);
    }
    let (c2, s2) = match (client.try_clone(), server.try_clone()) {
        (Ok(c), Ok(s)) => (c, s),
        _ => return,
    };
    let up_limit = matches!(fault, Fault::DropRequest).then_some(cut_at);
    let down_limit = matches!(fault, Fault::DropResponse).then_some(cut_at);
    let delay = matches!(fault, Fault::Delay);
    let up = thread::spawn(move || pump(c2, s2, up_limit, delay));
    pump(server, client, down_limit, delay);
    let _ = up.join();
}

/// Copies `from` → `to`; after `limit` bytes (if any), cuts both connections.
fn pump(mut from: TcpStream, mut to: TcpStream, limit: Option<usize>, delay: bool) {
    let mut buf = [0u8; 8192];
    let mut sent = 0usize;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if delay {
            thread::sleep(Duration::from_millis(150));
        }
        let n = match limit {
            Some(l) if sent + n >= l => {
                let _ = to.write_all(&buf[..l - sent]);
                let _ = to.shutdown(Shutdown::Both);
                let _ = from.shutdown(Shutdown::Both);
                return;
            }
            _ => n,
        };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        sent += n;
    }
    let _ = to.shutdown(Shutdown::Write);
}

#[test]
fn faults_then_one_clean_round_converges_exactly() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let sender = Desk::new(UNIT_A, 0);
    let receiver = Desk::new(UNIT_A, 1);
    for (desk, i) in [(&sender, 0), (&receiver, 1)] {
        desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(i)))
            .expect("enrolls");
    }
    let proxy = Proxy::start(centre.addr, 0x5eed);

    // Batches of 500: several pushes and pull pages per round, each one cut somewhere.
    sender
        .store()
        .demo_data(1500, 3, motcua::domain::clock::now_vn(), |_| {})
        .expect("demo data");
    receiver.take_dossiers(40);
    let mut outcomes = (0, 0);
    for round in 0..16 {
        for desk in [&sender, &receiver] {
            match desk.sync(Some(&proxy.url())) {
                Ok(_) => outcomes.0 += 1,
                Err(_) => outcomes.1 += 1,
            }
        }
        if round % 4 == 3 {
            sender.take_dossiers(5);
        }
    }
    assert!(
        proxy.faults.load(Ordering::Relaxed) > 5,
        "faults were injected"
    );
    assert!(outcomes.1 > 0, "some rounds failed: {outcomes:?}");

    proxy.faulty.store(false, Ordering::Relaxed);
    sender.sync(Some(&proxy.url())).expect("clean round");
    receiver.sync(Some(&proxy.url())).expect("clean round");
    sender
        .sync(Some(&proxy.url()))
        .expect("picks up the receiver's events");

    let centre_ids = centre_event_ids(&db, UNIT_A);
    let own: i64 = [&sender, &receiver]
        .iter()
        .map(|d| d.store().sync_state().expect("state").last_seq)
        .sum();
    assert_eq!(centre_ids.len() as i64, own);
    assert_eq!(sender.event_ids(), centre_ids);
    assert_eq!(receiver.event_ids(), centre_ids);
    assert_eq!(
        centre_count(&db, "event"),
        centre_ids.len() as i64,
        "nothing duplicated"
    );
    for desk in [&sender, &receiver] {
        let s = desk.store().sync_state().expect("state");
        assert_eq!(s.pending(), 0);
        assert_eq!(s.acked_seq, s.last_seq);
    }
    assert_eq!(sender.dossier_codes(), receiver.dossier_codes());
}
