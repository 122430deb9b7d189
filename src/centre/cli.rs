//! The `motcua-centre` command line: the server and the operators' commands. Each
//! command connects to PostgreSQL (`--database-url` or `DATABASE_URL`), brings the
//! schema up to date, does its one job and prints the outcome in Vietnamese.

use std::process::ExitCode;

use chrono::{Duration, NaiveDate};
use clap::Parser;

use crate::centre::audit::{self, Entry, Operator};
use crate::centre::blobs::BlobDir;
pub use crate::centre::cli_args::*;
use crate::centre::uploads::FileSettings;
use crate::centre::{admin, conflicts, db, files_cli, guard, quarantine, report, routes, tls};
use crate::domain::calendar::official::parse_official_csv;
use crate::domain::catalogue_seed::parse_catalogue;
use crate::domain::clock::from_wall;
use crate::domain::event::EventBody;
use crate::domain::text::escape_controls;

type Fallible = Result<(), String>;

pub fn main() -> ExitCode {
    let cli = match CentreCli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    init_logs();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Lỗi: không khởi động được bộ chạy bất đồng bộ: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Lỗi: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr as key=value lines; `MOTCUA_LOG` sets the level (info).
fn init_logs() {
    let level = std::env::var("MOTCUA_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .try_init();
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = n
        .parse()
        .map_err(|_| format!("thời hạn '{s}' không hợp lệ (ví dụ: 30m, 24h, 7d)"))?;
    let d = match unit {
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        _ => return Err(format!("thời hạn '{s}' không hợp lệ (ví dụ: 30m, 24h, 7d)")),
    };
    if n <= 0 || d > Duration::days(30) {
        return Err("thời hạn phải dương và không quá 30 ngày".into());
    }
    Ok(d)
}

async fn run(cli: CentreCli) -> Fallible {
    let url = cli
        .database_url
        .ok_or("thiếu địa chỉ PostgreSQL: --database-url URL hoặc biến DATABASE_URL")?;
    let operator = Operator::resolve(cli.operator.as_deref())?;
    let pool_size = match cli.command {
        CentreCommand::Serve { pool_size, .. } => pool_size.clamp(1, 200),
        _ => 2,
    };
    let pool = db::pool(&url, pool_size).map_err(|e| e.to_string())?;
    db::migrate(&pool).await.map_err(|e| e.to_string())?;
    let files_dir = match cli.files_dir {
        Some(d) => d,
        None => BlobDir::default_root()?,
    };
    let mut client = pool.get().await.map_err(|e| e.to_string())?;
    let e2s = |e: crate::centre::error::ApiError| e.to_string();
    match cli.command {
        CentreCommand::Serve {
            listen,
            tls_cert,
            tls_key,
            idle_timeout,
            request_timeout,
            max_connections,
            max_file_bytes,
            max_uploads,
            ..
        } => {
            let files = FileSettings {
                max_bytes: max_file_bytes,
                max_uploads: max_uploads.max(1),
                ..FileSettings::in_dir(&files_dir)
            };
            let limits = guard::Limits {
                idle: std::time::Duration::from_secs(idle_timeout.max(1)),
                request: std::time::Duration::from_secs(request_timeout.max(1)),
                max_connections,
                ..guard::Limits::default()
            };
            drop(client);
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(tls::server_config(&cert, &key)?),
                _ => None,
            };
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| format!("không mở được cổng {listen}: {e}"))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            let scheme = if tls.is_some() { "https" } else { "http" };
            tracing::info!(%addr, scheme, "máy chủ trung tâm bắt đầu phục vụ");
            println!("Trung tâm đang phục vụ tại {scheme}://{addr}");
            let served = match tls {
                Some(config) => {
                    let listener =
                        tls::TlsListener::new(listener, config).map_err(|e| e.to_string())?;
                    routes::serve_with(listener, pool, limits, files, shutdown_signal()).await
                }
                None => routes::serve_with(listener, pool, limits, files, shutdown_signal()).await,
            };
            served.map_err(|e| e.to_string())?;
            tracing::info!("máy chủ trung tâm đã dừng");
        }
        CentreCommand::Files(cmd) => {
            files_cli::run(&client, &BlobDir::new(&files_dir), &operator, cmd)
                .await
                .map_err(e2s)?;
        }
        CentreCommand::Unit(UnitCommand::Add { code, name }) => {
            let tx = client.transaction().await.map_err(|e| e.to_string())?;
            let code = admin::add_unit(&tx, &code, &name).await.map_err(e2s)?;
            let entry = Entry {
                operator: &operator,
                action: "unit add",
                detail: format!("đơn vị {code} ({})", name.trim()),
            };
            audit::log(&tx, &entry).await.map_err(e2s)?;
            tx.commit().await.map_err(|e| e.to_string())?;
            println!("Đã thêm đơn vị {code}");
        }
        CentreCommand::Unit(UnitCommand::List) => {
            for (code, name, desks, events) in admin::list_units(&client).await.map_err(e2s)? {
                println!("{code}\t{name}\t{desks} quầy\t{events} sự kiện");
            }
        }
        CentreCommand::EnrollCode {
            unit,
            desk_index,
            replace_desk,
            expires,
        } => {
            let valid = parse_duration(&expires)?;
            let tx = client.transaction().await.map_err(|e| e.to_string())?;
            let (code, until) = match replace_desk {
                Some(i) => admin::create_replace_code(&tx, &unit, i, valid).await,
                None => admin::create_enroll_code(&tx, &unit, desk_index, valid).await,
            }
            .map_err(e2s)?;
            let desk_index = replace_desk.or(desk_index);
            // Never the code itself: it is a secret shown once, to this operator.
            let entry = Entry {
                operator: &operator,
                action: "enroll-code",
                detail: format!(
                    "đơn vị {unit}{}, hết hạn {}",
                    desk_index
                        .map(|i| format!(", quầy số {i}"))
                        .unwrap_or_default(),
                    until.to_rfc3339()
                ),
            };
            audit::log(&tx, &entry).await.map_err(e2s)?;
            tx.commit().await.map_err(|e| e.to_string())?;
            println!("{code}");
            eprintln!(
                "Mã đăng ký cho đơn vị {unit}{}, dùng một lần, hết hạn {}",
                desk_index
                    .map(|i| format!(", quầy số {i}"))
                    .unwrap_or_default(),
                until
                    .with_timezone(&crate::domain::clock::vn_offset())
                    .format("%H:%M %d/%m/%Y")
            );
        }
        CentreCommand::Record {
            code,
            action,
            by,
            note,
            until,
            items,
        } => {
            // The same gate as a clerk's typing: a desk refuses text that fails it.
            let clean = |label: &'static str, s: &str| {
                crate::domain::text::clean_field(
                    "note",
                    label,
                    s,
                    crate::domain::trust::MAX_NOTE,
                    false,
                )
                .map_err(|e| e.to_string())
            };
            let note = clean("Ghi chú", &note)?;
            let items = items
                .iter()
                .map(|i| clean("Nội dung bổ sung", i))
                .collect::<Result<Vec<_>, _>>()?;
            let body = match action {
                CentreAction::ResultReady => EventBody::ResultReady { note },
                CentreAction::Stop => {
                    if note.trim().is_empty() {
                        return Err("dừng giải quyết cần lý do: --note LÝ_DO".into());
                    }
                    EventBody::Stopped { reason: note }
                }
                CentreAction::SupplementRequest => {
                    if items.is_empty() || note.trim().is_empty() {
                        return Err(
                            "yêu cầu bổ sung cần --item NỘI_DUNG (ít nhất một) và --note LÝ_DO"
                                .into(),
                        );
                    }
                    EventBody::SupplementRequested {
                        items,
                        reason: note,
                    }
                }
                CentreAction::Extend => {
                    let until = until.ok_or("gia hạn cần --until YYYY-MM-DDTHH:MM")?;
                    let wall = chrono::NaiveDateTime::parse_from_str(&until, "%Y-%m-%dT%H:%M")
                        .map_err(|_| {
                            format!("thời hạn '{until}' không hợp lệ (YYYY-MM-DDTHH:MM)")
                        })?;
                    if note.trim().is_empty() {
                        return Err("gia hạn cần lý do: --note LÝ_DO".into());
                    }
                    EventBody::Extended {
                        due_at: from_wall(wall),
                        reason: note,
                    }
                }
            };
            let entry = Entry {
                operator: &operator,
                action: "record",
                detail: format!(
                    "hồ sơ {}: {} (người thực hiện: {by})",
                    code.trim(),
                    body.kind().as_str()
                ),
            };
            let state = admin::record(&mut client, &code, body, &by, None, Some(&entry))
                .await
                .map_err(e2s)?;
            println!(
                "Đã ghi nhận: hồ sơ {} — {}",
                state.code,
                state.status.label_vi()
            );
        }
        CentreCommand::Catalogue(ImportCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
            let procedures = parse_catalogue(&text).map_err(|e| e.to_string())?;
            let entry = Entry {
                operator: &operator,
                action: "catalogue import",
                detail: format!("{} thủ tục từ {}", procedures.len(), file.display()),
            };
            let seq = admin::import_catalogue(&mut client, &procedures, Some(&entry))
                .await
                .map_err(e2s)?;
            println!(
                "Đã nhập {} thủ tục (mục {seq} của luồng đồng bộ)",
                procedures.len()
            );
        }
        CentreCommand::Calendar(ImportCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
            let entries = parse_official_csv(&text).map_err(|e| e.to_string())?;
            let entry = Entry {
                operator: &operator,
                action: "calendar import",
                detail: format!("{} ngày đặc biệt từ {}", entries.len(), file.display()),
            };
            let seq = admin::import_calendar(&mut client, &entries, Some(&entry))
                .await
                .map_err(e2s)?;
            println!(
                "Đã nhập {} ngày đặc biệt (mục {seq} của luồng đồng bộ)",
                entries.len()
            );
        }
        CentreCommand::ExportDvcqg { from, to, out } => {
            if from > to {
                return Err("--from phải trước hoặc bằng --to".into());
            }
            let rows = report::export_dvcqg(&client, from, to).await.map_err(e2s)?;
            let json = serde_json::to_vec_pretty(&rows).map_err(|e| e.to_string())?;
            std::fs::write(&out, json)
                .map_err(|e| format!("không ghi được {}: {e}", out.display()))?;
            // Read-only on the database: recorded once the file exists.
            let entry = Entry {
                operator: &operator,
                action: "export-dvcqg",
                detail: format!("{from} – {to}: {} hồ sơ vào {}", rows.len(), out.display()),
            };
            audit::log(&client, &entry).await.map_err(e2s)?;
            println!("Đã xuất {} hồ sơ vào {}", rows.len(), out.display());
        }
        CentreCommand::Conflicts { since, json } => {
            let rows = conflicts::list(&client, since.map(start_of_day))
                .await
                .map_err(e2s)?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                println!("Chưa có xung đột đồng bộ nào");
            }
            for c in rows {
                println!(
                    "{}\tđơn vị {}\tquầy {}\t{}\tsự kiện số {}\thồ sơ {}\tgửi {}\tđã có {}",
                    vn_time(c.detected_at),
                    c.unit_code,
                    c.desk_id,
                    c.kind,
                    c.seq,
                    c.dossier_code,
                    c.sent_event,
                    c.held_event
                        .map(|u| u.to_string())
                        .unwrap_or_else(|| "-".into())
                );
            }
        }
        CentreCommand::Quarantine { unit, json } => {
            let rows = quarantine::list(&client, unit.as_deref())
                .await
                .map_err(e2s)?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                println!("Không có sự kiện nào bị cách ly");
            }
            for q in rows {
                println!(
                    "{}\tđơn vị {}\tquầy {}\tsự kiện số {} ({})\thồ sơ {}\t{}\tlý do: {}",
                    vn_time(q.quarantined_at),
                    q.unit_code,
                    q.desk_id,
                    q.seq,
                    q.kind,
                    escape_controls(&q.dossier_code),
                    q.event_id,
                    escape_controls(&q.reason)
                );
            }
        }
        CentreCommand::Audit { since, json } => {
            let rows = audit::list(&client, since.map(start_of_day))
                .await
                .map_err(e2s)?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                println!("Nhật ký quản trị trống");
            }
            for a in rows {
                println!(
                    "{}\t{}\t{}\t{}",
                    vn_time(a.at),
                    a.operator,
                    a.action,
                    a.detail
                );
            }
        }
        CentreCommand::Stats { unit, json } => {
            let stats = report::stats(&client, unit.as_deref()).await.map_err(e2s)?;
            let clashes = conflicts::count(&client, unit.as_deref())
                .await
                .map_err(e2s)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&stats).map_err(|e| e.to_string())?
                );
            } else {
                for s in stats {
                    println!("Đơn vị {}: {} hồ sơ", s.unit, s.dossiers);
                    for (status, n) in &s.by_status {
                        println!("  trạng thái {status}: {n}");
                    }
                    println!(
                        "  trước hạn {}, đúng hạn {}, quá hạn {}; đang giải quyết trong hạn {}, quá hạn {}",
                        s.early, s.on_time, s.late, s.pending_in_time, s.pending_late
                    );
                    match s.on_time_rate {
                        Some(r) => println!("  tỷ lệ đúng hạn: {r:.1}%"),
                        None => println!("  tỷ lệ đúng hạn: chưa có hồ sơ đã giải quyết"),
                    }
                }
                if clashes > 0 {
                    println!("Số xung đột đồng bộ: {clashes} (xem: motcua-centre conflicts)");
                } else {
                    println!("Số xung đột đồng bộ: 0");
                }
            }
        }
    }
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) -> Fallible {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Midnight, Vietnam time, of a day given on the command line.
fn start_of_day(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    from_wall(day.and_time(chrono::NaiveTime::MIN)).with_timezone(&chrono::Utc)
}

fn vn_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&crate::domain::clock::vn_offset())
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
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
