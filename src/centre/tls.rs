//! Optional TLS for the centre (rustls on ring): a listener that completes each
//! handshake in its own task, so a slow or silent client never holds up the others,
//! and hands finished connections to axum.
//!
//! Each connection takes its place in the `max_connections` bound before its TCP
//! accept and keeps it through the handshake and the HTTP that follows: a flood of
//! clients that open TCP and never finish the handshake cannot grow past the bound,
//! and each is dropped after the handshake timeout.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};

use crate::centre::guard::Held;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A handshake that has not finished by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads a PEM certificate chain and private key into a server configuration.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, String> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("không đọc được chứng chỉ {}: {e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("chứng chỉ {} không hợp lệ: {e}", cert.display()))?;
    if certs.is_empty() {
        return Err(format!("tệp {} không có chứng chỉ PEM nào", cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("không đọc được khóa riêng {}: {e}", key.display()))?;
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cấu hình TLS: {e}"))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| format!("chứng chỉ và khóa không khớp: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[derive(Debug)]
pub struct TlsListener {
    ready: mpsc::Receiver<(Held<TlsStream<TcpStream>>, SocketAddr)>,
    addr: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `tcp`, at most `max_connections` at once (handshaking or
    /// served); must be called inside a tokio runtime.
    pub fn new(
        tcp: TcpListener,
        config: Arc<ServerConfig>,
        max_connections: usize,
    ) -> std::io::Result<Self> {
        Self::with_timeout(tcp, config, max_connections, HANDSHAKE_TIMEOUT)
    }

    /// [`TlsListener::new`] with another handshake timeout (tests).
    pub fn with_timeout(
        tcp: TcpListener,
        config: Arc<ServerConfig>,
        max_connections: usize,
        handshake_timeout: Duration,
    ) -> std::io::Result<Self> {
        let addr = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let acceptor = TlsAcceptor::from(config);
        let permits = Arc::new(Semaphore::new(max_connections.max(1)));
        tokio::spawn(async move {
            while !tx.is_closed() {
                // Waiting for a place leaves new clients in the kernel's backlog.
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    return;
                };
                let (stream, peer) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, do not spin.
                        tracing::warn!(error = %crate::domain::text::mask_personal(&e.to_string()), "không nhận được kết nối");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = tx.send((Held::new(tls, permit), peer)).await;
                        }
                        Ok(Err(e)) => {
                            tracing::debug!(error = %crate::domain::text::mask_personal(&e.to_string()), "bắt tay TLS thất bại")
                        }
                        Err(_) => tracing::debug!("bắt tay TLS quá thời gian"),
                    }
                });
            }
        });
        Ok(TlsListener { ready, addr })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = Held<TlsStream<TcpStream>>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept task only ends with the process; wait for shutdown.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;
    use rustls_pki_types::ServerName;
    use tokio::io::AsyncReadExt;

    /// A self-signed certificate for localhost (made by openssl, as the process tests do).
    fn certificate(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let made = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec"])
            .args(["-pkeyopt", "ec_paramgen_curve:prime256v1"])
            .args(["-nodes", "-days", "1", "-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=DNS:localhost"])
            .args(["-addext", "basicConstraints=critical,CA:FALSE"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(made.success());
        (cert, key)
    }

    fn connector(cert: &Path) -> tokio_rustls::TlsConnector {
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_file_iter(cert).expect("pem") {
            roots.add(c.expect("cert")).expect("root");
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        tokio_rustls::TlsConnector::from(Arc::new(config))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn silent_handshakes_count_against_the_bound_and_are_dropped() {
        let dir = tempfile::tempdir().expect("temp");
        let (cert, key) = certificate(dir.path());
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let timeout = Duration::from_millis(800);
        let mut listener =
            TlsListener::with_timeout(tcp, server_config(&cert, &key).expect("config"), 2, timeout)
                .expect("listener");
        let addr = listener.local_addr().expect("addr");
        // What axum would do: take finished connections and keep them open.
        let served = tokio::spawn(async move {
            let mut kept = Vec::new();
            loop {
                let (io, _) = listener.accept().await;
                kept.push(io);
            }
        });
        // Two clients open TCP and never say a word: they fill the bound.
        let mut silent = Vec::new();
        for _ in 0..2 {
            silent.push(TcpStream::connect(addr).await.expect("connect"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        let honest = tokio::spawn({
            let connector = connector(&cert);
            async move {
                let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
                let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
                connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| e.to_string())
            }
        });
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(
            !honest.is_finished(),
            "a third handshake went past a bound of 2 held by silent clients"
        );
        // Once the silent ones are dropped, the honest client gets its place.
        let done = tokio::time::timeout(Duration::from_secs(10), honest)
            .await
            .expect("the honest client is served after the silent ones time out")
            .expect("task");
        assert!(done.is_ok(), "{done:?}");
        assert!(started.elapsed() >= Duration::from_millis(500));
        for mut s in silent {
            let mut buf = [0u8; 16];
            let read = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
                .await
                .expect("the silent client is closed");
            assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
        }
        served.abort();
    }
}
