//! The real `motcua-centre serve` as a child process: HTTPS with a given certificate,
//! and logs that never show an applicant's ID or phone number.

mod sync_support;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use sync_support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[test]
fn serves_https_with_the_given_certificate() {
    let db = fresh_database();
    let centre = start_tls_centre(&db);
    let (port, cert) = (centre.port, centre.cert.clone());

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(&cert).expect("pem"))
        .expect("root");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let answer = eventually(Duration::from_secs(30), || {
        block_on(async {
            let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .map_err(|e| e.to_string())?;
            let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
            let mut tls = connector
                .connect(name, tcp)
                .await
                .map_err(|e| e.to_string())?;
            tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .await
                .map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            let _ = tls.read_to_end(&mut out).await;
            Ok::<String, String>(String::from_utf8_lossy(&out).into_owned())
        })
    });
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\"ok\""), "{answer}");
    // Plain HTTP on the TLS port gets nothing useful.
    let plain = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    plain
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let mut plain = plain;
    use std::io::{Read, Write};
    let _ = plain.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut buf = String::new();
    let _ = plain.read_to_string(&mut buf);
    assert!(!buf.contains("200 OK"));
}

#[test]
fn logs_never_show_id_or_phone_numbers() {
    let db = fresh_database();
    add_units(&db);
    let dir = tempfile::tempdir().expect("temp");
    let log = dir.path().join("centre.log");
    let port = free_port();
    let mut centre = KillOnDrop(
        Command::new(centre_bin())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &db)
            .env("MOTCUA_LOG", "trace")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("starts"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let a0 = Desk::new(UNIT_A, 0);
    let a1 = Desk::new(UNIT_A, 1);
    a0.take_dossiers(3);
    eventually(Duration::from_secs(30), || {
        a0.enroll(&url, &enroll_code(&db, UNIT_A, Some(0)))
    });
    a1.enroll(&url, &enroll_code(&db, UNIT_A, Some(1)))
        .expect("enrolls");
    a0.sync(None).expect("push");
    a1.sync(None).expect("pull");
    // A malformed body quoting the ID number: refused, and the log does not repeat it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let token = a0
        .store()
        .enrollment()
        .expect("read")
        .expect("enrolled")
        .token;
    let status = block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/v1/push"))
            .header("Authorization", format!("Bearer {token}"))
            .body(r#"{"events": [{"seq": 9, "event": {"id_number": 22190001234, "phone": 912345678}}]}"#)
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(status.as_u16(), 400);
    // A diverging push (another event under a held seq): refused, reported in the log.
    let mut forged = a0.store().outbox_after(0, 1).expect("outbox");
    forged[0].1.id = motcua::domain::event::EventId::new();
    let body = serde_json::to_vec(&motcua::sync::protocol::PushRequest {
        events: forged
            .into_iter()
            .map(|(seq, event)| motcua::sync::protocol::OutboxEvent { seq, event })
            .collect(),
    })
    .expect("json");
    let status = block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/v1/push"))
            .header("Authorization", format!("Bearer {token}"))
            .body(body)
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(status.as_u16(), 409);
    // A restored desk taking back its own events.
    let status = block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/v1/own?after_seq=0"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("answer")
            .status()
    });
    assert_eq!(status.as_u16(), 200);
    let _ = centre.0.kill();
    let _ = centre.0.wait();
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("nhận lô sự kiện"),
        "the log has the push: {text}"
    );
    assert!(
        text.contains("mâu thuẫn") && text.contains("WARN"),
        "the log has the conflict: {text}"
    );
    assert!(
        text.contains("trả lại sự kiện của chính quầy"),
        "the log has the recovery page: {text}"
    );
    for secret in [
        "022190001234",
        "22190001234",
        "0912 345 678",
        "912345678",
        "Nguyễn",
    ] {
        assert!(!text.contains(secret), "the log shows {secret}: {text}");
    }
}
