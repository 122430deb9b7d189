//! `serve`: the centre's HTTP(S) server with its limits, TLS and notice sender.

use std::path::PathBuf;

use super::args::ServeArgs;
use super::ctx::Fallible;
use crate::centre::admission::AdmissionLimits;
use crate::centre::proxy::TrustedProxies;
use crate::centre::uploads::FileSettings;
use crate::centre::{guard, routes, tls};

/// `serve`: the centre's HTTP(S) server, until Ctrl+C or SIGTERM.
pub(super) async fn serve(
    pool: deadpool_postgres::Pool,
    files_dir: PathBuf,
    args: ServeArgs,
) -> Fallible {
    let ServeArgs {
        listen,
        tls_cert,
        tls_key,
        idle_timeout,
        request_timeout,
        max_connections,
        max_file_bytes,
        max_uploads,
        max_uploads_per_unit,
        quota_per_unit,
        orphan_grace,
        max_in_flight,
        pool_wait_ms,
        retry_after,
        behind_tls_proxy,
        trusted_proxy,
        notices,
        ..
    } = args;
    let files = FileSettings {
        max_bytes: max_file_bytes,
        max_uploads: max_uploads.max(1),
        max_uploads_per_unit: max_uploads_per_unit.max(1),
        quota_per_unit,
        orphan_grace: std::time::Duration::from_secs(orphan_grace.max(60)),
        ..FileSettings::in_dir(&files_dir)
    };
    let limits = guard::Limits {
        idle: std::time::Duration::from_secs(idle_timeout.max(1)),
        request: std::time::Duration::from_secs(request_timeout.max(1)),
        max_connections,
        admission: AdmissionLimits {
            max_in_flight: max_in_flight.max(1),
            pool_wait: std::time::Duration::from_millis(pool_wait_ms.max(1)),
            retry_after: std::time::Duration::from_secs(retry_after.clamp(1, 3600)),
        },
        ..guard::Limits::default()
    };
    let tls = match (tls_cert, tls_key) {
        (Some(cert), Some(key)) => Some(tls::server_config(&cert, &key)?),
        _ => None,
    };
    // The notice sender runs beside the server; a bad configuration stops the start.
    if let Some((gateway, settings)) = notices.build()? {
        tracing::info!(gateway = gateway.name(), "bật gửi thông báo cho công dân");
        crate::centre::notices::sender::spawn(pool.clone(), gateway, settings);
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("không mở được cổng {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(%addr, scheme, "máy chủ trung tâm bắt đầu phục vụ");
    println!("Trung tâm đang phục vụ tại {scheme}://{addr}");
    if let Some(warning) = plain_http_warning(addr, tls.is_some(), behind_tls_proxy) {
        tracing::warn!(%addr, "HTTP không mã hóa trên địa chỉ mạng");
        eprintln!("{warning}");
    }
    let proxies = TrustedProxies::new(trusted_proxy);
    if !proxies.is_empty() {
        tracing::info!("tin X-Forwarded-For từ các proxy đã khai báo");
    }
    let served = match tls {
        Some(config) => {
            let listener = tls::TlsListener::new(listener, config, limits.max_connections)
                .map_err(|e| e.to_string())?;
            routes::serve_tls(listener, pool, limits, files, proxies, shutdown_signal()).await
        }
        None => {
            routes::serve_behind(listener, pool, limits, files, proxies, shutdown_signal()).await
        }
    };
    served.map_err(|e| e.to_string())?;
    tracing::info!("máy chủ trung tâm đã dừng");
    Ok(())
}

/// The loud warning for plain HTTP on an address other machines reach: tokens,
/// citizens' data and papers would cross the network in clear. Loopback (a proxy on
/// the same machine) and a declared TLS proxy are quiet.
fn plain_http_warning(
    addr: std::net::SocketAddr,
    tls: bool,
    behind_tls_proxy: bool,
) -> Option<String> {
    if tls || behind_tls_proxy || addr.ip().is_loopback() {
        return None;
    }
    Some(format!(
        "CẢNH BÁO: trung tâm đang phục vụ HTTP KHÔNG MÃ HÓA tại {addr}. Mã đăng ký, khóa của quầy, dữ liệu công dân và giấy tờ số hóa sẽ đi qua mạng dưới dạng chữ thường. Hãy dùng --tls-cert và --tls-key, hoặc đặt máy chủ sau một proxy HTTPS rồi chạy với --behind-tls-proxy."
    ))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod plain_http_tests {
    use super::plain_http_warning;

    #[test]
    fn plain_http_is_said_loudly_off_loopback_only() {
        let net = "0.0.0.0:8088".parse().expect("addr");
        let warning = plain_http_warning(net, false, false).expect("warned");
        assert!(warning.contains("KHÔNG MÃ HÓA") && warning.contains("--tls-cert"));
        assert_eq!(plain_http_warning(net, true, false), None);
        assert_eq!(plain_http_warning(net, false, true), None);
        for quiet in ["127.0.0.1:8088", "[::1]:8088"] {
            assert_eq!(
                plain_http_warning(quiet.parse().expect("addr"), false, false),
                None
            );
        }
    }
}
