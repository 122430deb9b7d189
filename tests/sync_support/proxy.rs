//! A rate-limited TCP proxy on loopback: a ward's slow line between a desk and the
//! centre. Each direction of each connection is paced by a token bucket (`rate` bytes
//! a second, a burst of one 16 KiB chunk), and the bytes sent to the desk are counted.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CHUNK: usize = 16 * 1024;

pub struct SlowLine {
    pub addr: SocketAddr,
    /// Bytes sent from the centre to the desk so far.
    pub down_bytes: Arc<AtomicU64>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SlowLine {
    /// A proxy to `target` at `bits_per_second`.
    pub fn start(target: SocketAddr, bits_per_second: u64) -> SlowLine {
        let rate = (bits_per_second / 8).max(1);
        let down_bytes = Arc::new(AtomicU64::new(0));
        let counted = down_bytes.clone();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                addr_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("send");
                loop {
                    tokio::select! {
                        _ = &mut stop_rx => break,
                        accepted = listener.accept() => {
                            let Ok((desk, _)) = accepted else { continue };
                            let counted = counted.clone();
                            tokio::spawn(async move {
                                if let Ok(centre) = TcpStream::connect(target).await {
                                    carry(desk, centre, rate, counted).await;
                                }
                            });
                        }
                    }
                }
            });
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("proxy started");
        SlowLine {
            addr,
            down_bytes,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for SlowLine {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn carry(desk: TcpStream, centre: TcpStream, rate: u64, counted: Arc<AtomicU64>) {
    let (desk_r, desk_w) = desk.into_split();
    let (centre_r, centre_w) = centre.into_split();
    let up = tokio::spawn(paced(desk_r, centre_w, rate, None));
    paced(centre_r, desk_w, rate, Some(counted)).await;
    up.abort();
}

/// Copies `from` to `to` no faster than `rate` bytes a second.
async fn paced(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    rate: u64,
    counted: Option<Arc<AtomicU64>>,
) {
    let start = tokio::time::Instant::now();
    let mut sent: u64 = 0;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // The bucket: these bytes may leave once the line has had time for them.
        let due = start + Duration::from_secs_f64(sent as f64 / rate as f64);
        tokio::time::sleep_until(due).await;
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
        sent += n as u64;
        if let Some(c) = &counted {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
    }
    let _ = to.shutdown().await;
}
