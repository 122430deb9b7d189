//! Server hygiene below HTTP: a bound on concurrent connections, an idle timeout and a
//! lifetime for each connection, and the peer address for per-client limits.
//!
//! `axum::serve` sets no header or body timeout, so a client that sends half a request
//! and then nothing would hold a socket (and a task) for ever. Every accepted stream is
//! wrapped: when nothing moves in either direction for `idle`; when a request has been
//! arriving for `request` without a byte of answer (headers and body dripped slowly);
//! or when the connection has lived `lifetime`, its next read or write fails and hyper
//! drops it. These are longer than the desk client's own request timeout (30 s), so no
//! request a desk still waits for is cut.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::centre::admission::AdmissionLimits;
use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Connection limits of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Nothing read or written for this long: the connection is closed.
    pub idle: Duration,
    /// From the first byte of a request to the first byte of its answer: reading the
    /// headers and the body must fit in it.
    pub request: Duration,
    /// No connection lives longer than this.
    pub lifetime: Duration,
    /// Connections served at once; further ones wait in the kernel's backlog.
    pub max_connections: usize,
    /// Admission control of the sync routes (503 with `Retry-After` when saturated).
    pub admission: AdmissionLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle: Duration::from_secs(60),
            request: Duration::from_secs(60),
            lifetime: Duration::from_secs(600),
            max_connections: 1024,
            admission: AdmissionLimits::default(),
        }
    }
}

/// A listener whose connections obey [`Limits`].
#[derive(Debug)]
pub struct Guarded<L> {
    inner: L,
    /// `None` when the inner listener takes the permits itself (TLS: before the handshake).
    permits: Option<Arc<Semaphore>>,
    limits: Limits,
}

impl<L> Guarded<L> {
    pub fn new(inner: L, limits: Limits) -> Self {
        Guarded {
            inner,
            permits: Some(Arc::new(Semaphore::new(limits.max_connections.max(1)))),
            limits,
        }
    }

    /// For a listener whose connections already hold a permit of the same bound
    /// (see [`Held`]): taking a second one here could starve the pool.
    pub fn bounded_by_inner(inner: L, limits: Limits) -> Self {
        Guarded {
            inner,
            permits: None,
            limits,
        }
    }
}

impl<L: Listener> Listener for Guarded<L> {
    type Io = GuardedIo<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // The semaphore is never closed; waiting here leaves new clients in the backlog.
        let permit = match &self.permits {
            Some(permits) => match permits.clone().acquire_owned().await {
                Ok(p) => Some(p),
                Err(_) => std::future::pending().await,
            },
            None => None,
        };
        let (io, addr) = self.inner.accept().await;
        (GuardedIo::new(io, permit, self.limits), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// The client's address, for per-client limits (`ConnectInfo<Peer>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub IpAddr);

impl<L> Connected<IncomingStream<'_, Guarded<L>>> for Peer
where
    L: Listener<Addr = SocketAddr>,
{
    fn connect_info(stream: IncomingStream<'_, Guarded<L>>) -> Self {
        Peer(stream.remote_addr().ip())
    }
}

/// A stream that fails once idle or too old; holds its connection permit.
#[derive(Debug)]
pub struct GuardedIo<T> {
    io: T,
    idle_for: Duration,
    idle: Pin<Box<Sleep>>,
    request_for: Duration,
    /// Running while a request arrives and no answer has been written yet.
    request: Option<Pin<Box<Sleep>>>,
    end: Pin<Box<Sleep>>,
    _permit: Option<OwnedSemaphorePermit>,
}

impl<T> GuardedIo<T> {
    fn new(io: T, permit: Option<OwnedSemaphorePermit>, limits: Limits) -> Self {
        let now = Instant::now();
        GuardedIo {
            io,
            idle_for: limits.idle,
            idle: Box::pin(tokio::time::sleep_until(now + limits.idle)),
            request_for: limits.request,
            request: None,
            end: Box::pin(tokio::time::sleep_until(now + limits.lifetime)),
            _permit: permit,
        }
    }

    fn touch(&mut self) {
        self.idle.as_mut().reset(Instant::now() + self.idle_for);
    }

    /// Bytes of a request came in: its clock starts unless it runs already.
    fn reading(&mut self) {
        if self.request.is_none() {
            self.request = Some(Box::pin(tokio::time::sleep(self.request_for)));
        }
    }

    /// While waiting: has a limit run out? (Polling registers the timers' wake-ups.)
    fn expired(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        if self.end.as_mut().poll(cx).is_ready() {
            return Some(io::Error::new(
                io::ErrorKind::TimedOut,
                "kết nối quá thời gian tối đa",
            ));
        }
        if let Some(request) = self.request.as_mut()
            && request.as_mut().poll(cx).is_ready()
        {
            return Some(io::Error::new(
                io::ErrorKind::TimedOut,
                "yêu cầu gửi đến quá chậm",
            ));
        }
        if self.idle.as_mut().poll(cx).is_ready() {
            return Some(io::Error::new(
                io::ErrorKind::TimedOut,
                "kết nối không hoạt động quá lâu",
            ));
        }
        None
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for GuardedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    self.touch();
                    self.reading();
                }
                Poll::Ready(r)
            }
            Poll::Pending => match self.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for GuardedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.touch();
                    // The answer has begun: the request arrived in time.
                    self.request = None;
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match self.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.io).poll_flush(cx) {
            Poll::Pending => match self.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
            ready => ready,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// A stream holding its place in the connection bound from before its handshake
/// until it is dropped.
#[derive(Debug)]
pub struct Held<T> {
    io: T,
    _permit: OwnedSemaphorePermit,
}

impl<T> Held<T> {
    pub fn new(io: T, permit: OwnedSemaphorePermit) -> Self {
        Held {
            io,
            _permit: permit,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Held<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Held<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
