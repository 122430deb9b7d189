//! The `motcua-centre` command line: the server and the operators' commands. Each
//! command connects to PostgreSQL (`--database-url` or `DATABASE_URL`), brings the
//! schema up to date, does its one job and prints the outcome in Vietnamese.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Duration, NaiveDate};
use clap::Parser;

use crate::centre::admission::AdmissionLimits;
use crate::centre::audit::{self, Entry, Operator};
use crate::centre::blobs::BlobDir;
pub use crate::centre::cli_args::*;
use crate::centre::uploads::FileSettings;
use crate::centre::{
    admin, cli_operator, conflicts, db, files_cli, guard, quarantine, release_cli, report, routes,
    tls,
};
use crate::domain::action::ActionRequest;
use crate::domain::calendar::official::parse_official_csv;
use crate::domain::catalogue_seed::parse_catalogue;
use crate::domain::clock::from_wall;
use crate::domain::event::EventKind;
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
    if let CentreCommand::Release(cmd) = &cli.command
        && let Some(done) = release_cli::run_offline(cmd)
    {
        return done;
    }
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
    if let CentreCommand::Serve { .. } = cli.command {
        return serve(pool, files_dir, cli.command).await;
    }
    let mut ctx = Ctx {
        client: pool.get().await.map_err(|e| e.to_string())?,
        operator,
        files_dir,
    };
    match cli.command {
        CentreCommand::Serve { .. } => Ok(()),
        CentreCommand::Files(cmd) => files(&mut ctx, cmd).await,
        CentreCommand::Release(cmd) => {
            let blobs = BlobDir::new(&ctx.files_dir);
            Ok(release_cli::run(&mut ctx.client, &blobs, &ctx.operator, cmd).await?)
        }
        CentreCommand::Unit(UnitCommand::Add { code, name }) => {
            unit_add(&mut ctx, code, name).await
        }
        CentreCommand::Unit(UnitCommand::List) => unit_list(&mut ctx).await,
        CentreCommand::Operator(OperatorCommand::Add {
            username,
            name,
            role,
            unit,
        }) => {
            cli_operator::add(
                &mut ctx.client,
                &ctx.operator,
                &username,
                &name,
                &role,
                unit,
            )
            .await
        }
        CentreCommand::EnrollCode {
            unit,
            desk_index,
            replace_desk,
            expires,
        } => enroll_code(&mut ctx, unit, desk_index, replace_desk, expires).await,
        CentreCommand::Record {
            code,
            action,
            by,
            note,
            until,
            items,
        } => record(&mut ctx, code, action, by, note, until, items).await,
        CentreCommand::Catalogue(CatalogueCommand::Import { file }) => {
            import_catalogue(&mut ctx, file).await
        }
        CentreCommand::Catalogue(CatalogueCommand::ImportPhiDiaGioi { file, decision }) => {
            import_cross_list(&mut ctx, file, decision).await
        }
        CentreCommand::Calendar(ImportCommand::Import { file }) => {
            import_calendar(&mut ctx, file).await
        }
        CentreCommand::ExportDvcqg { from, to, out } => export_dvcqg(&mut ctx, from, to, out).await,
        CentreCommand::Conflicts { since, json } => list_conflicts(&mut ctx, since, json).await,
        CentreCommand::Quarantine { unit, json } => list_quarantine(&mut ctx, unit, json).await,
        CentreCommand::Audit { since, json } => list_audit(&mut ctx, since, json).await,
        CentreCommand::Stats { unit, json } => stats(&mut ctx, unit, json).await,
        CentreCommand::PublicUrl { url } => public_url(&mut ctx, url).await,
        CentreCommand::Ratings { unit } => ratings(&mut ctx, unit).await,
    }
}

/// What every operator's command works with: one connection and who is acting.
struct Ctx {
    client: deadpool_postgres::Object,
    operator: Operator,
    files_dir: PathBuf,
}

fn e2s(e: crate::centre::error::ApiError) -> String {
    e.to_string()
}

/// `serve`: the centre's HTTP(S) server, until Ctrl+C or SIGTERM.
async fn serve(
    pool: deadpool_postgres::Pool,
    files_dir: PathBuf,
    command: CentreCommand,
) -> Fallible {
    let CentreCommand::Serve {
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
        notices,
        ..
    } = command
    else {
        return Err("lệnh không phải serve".into());
    };
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
    let served = match tls {
        Some(config) => {
            let listener = tls::TlsListener::new(listener, config, limits.max_connections)
                .map_err(|e| e.to_string())?;
            routes::serve_tls(listener, pool, limits, files, shutdown_signal()).await
        }
        None => routes::serve_with(listener, pool, limits, files, shutdown_signal()).await,
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

/// `files`: the centre's stored documents.
async fn files(ctx: &mut Ctx, cmd: files_cli::FilesCommand) -> Fallible {
    files_cli::run(
        &ctx.client,
        &BlobDir::new(&ctx.files_dir),
        &ctx.operator,
        cmd,
    )
    .await
    .map_err(e2s)?;
    Ok(())
}

/// `unit add`: a new unit, recorded in the audit log.
async fn unit_add(ctx: &mut Ctx, code: String, name: String) -> Fallible {
    let tx = ctx.client.transaction().await.map_err(|e| e.to_string())?;
    let code = admin::add_unit(&tx, &code, &name).await.map_err(e2s)?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "unit add",
        detail: format!("đơn vị {code} ({})", name.trim()),
    };
    audit::log(&tx, &entry).await.map_err(e2s)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("Đã thêm đơn vị {code}");
    Ok(())
}

/// `unit list`: every unit with its desks and events.
async fn unit_list(ctx: &mut Ctx) -> Fallible {
    for (code, name, desks, events) in admin::list_units(&ctx.client).await.map_err(e2s)? {
        println!("{code}\t{name}\t{desks} quầy\t{events} sự kiện");
    }
    Ok(())
}

/// `enroll-code`: a single-use code for a desk (shown once, never logged).
async fn enroll_code(
    ctx: &mut Ctx,
    unit: String,
    desk_index: Option<u8>,
    replace_desk: Option<u8>,
    expires: String,
) -> Fallible {
    let valid = parse_duration(&expires)?;
    let tx = ctx.client.transaction().await.map_err(|e| e.to_string())?;
    let (code, until) = match replace_desk {
        Some(i) => admin::create_replace_code(&tx, &unit, i, valid).await,
        None => admin::create_enroll_code(&tx, &unit, desk_index, valid).await,
    }
    .map_err(e2s)?;
    let desk_index = replace_desk.or(desk_index);
    // Never the code itself: it is a secret shown once, to this operator.
    let entry = Entry {
        operator: &ctx.operator,
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
    Ok(())
}

/// `record`: an operator's action on a dossier, by the rule a clerk's follows.
async fn record(
    ctx: &mut Ctx,
    code: String,
    action: CentreAction,
    by: String,
    note: String,
    until: Option<String>,
    items: Vec<String>,
) -> Fallible {
    // The same rule as a clerk's action (`domain::action`): the same texts
    // cleaned and required, so a desk never refuses what the centre wrote.
    let request = match action {
        CentreAction::ResultReady => ActionRequest::ResultReady { note },
        CentreAction::Stop => ActionRequest::Stop { reason: note },
        CentreAction::SupplementRequest => ActionRequest::RequestSupplement {
            items,
            reason: note,
        },
        CentreAction::Extend => {
            let until = until.ok_or("gia hạn cần --until YYYY-MM-DDTHH:MM")?;
            let wall = chrono::NaiveDateTime::parse_from_str(&until, "%Y-%m-%dT%H:%M")
                .map_err(|_| format!("thời hạn '{until}' không hợp lệ (YYYY-MM-DDTHH:MM)"))?;
            ActionRequest::Extend {
                until: crate::domain::due::new_due::NewDue::At(wall),
                reason: note,
            }
        }
    };
    let entry = Entry {
        operator: &ctx.operator,
        action: "record",
        detail: format!(
            "hồ sơ {}: {} (người thực hiện: {by})",
            code.trim(),
            event_kind(action).as_str()
        ),
    };
    let state = admin::record(&mut ctx.client, &code, request, &by, None, Some(&entry))
        .await
        .map_err(e2s)?;
    println!(
        "Đã ghi nhận: hồ sơ {} — {}",
        state.code,
        state.status.label_vi()
    );
    Ok(())
}

/// `public-url`: shows or sets the public address of the tracking pages (recorded in
/// the operators' audit when set).
async fn public_url(ctx: &mut Ctx, url: Option<String>) -> Fallible {
    use crate::centre::settings;
    let Some(url) = url else {
        match settings::public_url(&ctx.client).await.map_err(e2s)? {
            Some(u) => println!("{u}"),
            None => println!("Chưa đặt địa chỉ công khai của trang tra cứu"),
        }
        return Ok(());
    };
    let kept = settings::set_public_url(&ctx.client, &url)
        .await
        .map_err(e2s)?;
    crate::centre::audit::log(
        &ctx.client,
        &Entry {
            operator: &ctx.operator,
            action: "public-url",
            detail: kept.clone(),
        },
    )
    .await
    .map_err(e2s)?;
    println!("Đã đặt địa chỉ công khai của trang tra cứu: {kept}");
    Ok(())
}

/// `ratings`: each unit's ratings, the average points of each indicator.
async fn ratings(ctx: &mut Ctx, unit: Option<String>) -> Fallible {
    use crate::domain::rating::Indicator;
    let units = crate::centre::ratings::per_unit(&ctx.client, unit.as_deref())
        .await
        .map_err(e2s)?;
    if units.is_empty() {
        println!("Chưa có đánh giá nào");
    }
    for (code, s) in units {
        println!(
            "Đơn vị {code}: {} đánh giá ({} tại quầy, {} trực tuyến), {} có phản ánh về cán bộ",
            s.count, s.counter, s.web, s.complaints
        );
        for i in Indicator::ALL {
            let avg = s
                .average(i)
                .map_or("—".to_string(), |a| format!("{a:.2}/2"));
            println!("  Chỉ số {}: {} — {avg}", i.number(), i.label_vi());
        }
    }
    Ok(())
}

/// `catalogue import`: the procedures, as an update in every unit's feed.
async fn import_catalogue(ctx: &mut Ctx, file: PathBuf) -> Fallible {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let procedures = parse_catalogue(&text).map_err(|e| e.to_string())?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "catalogue import",
        detail: format!("{} thủ tục từ {}", procedures.len(), file.display()),
    };
    let seq = admin::import_catalogue(&mut ctx.client, &procedures, Some(&entry))
        .await
        .map_err(e2s)?;
    println!(
        "Đã nhập {} thủ tục (mục {seq} của luồng đồng bộ)",
        procedures.len()
    );
    Ok(())
}

/// `catalogue import-phi-dia-gioi`: the province's list of procedures any commune
/// may receive for another (issue 23).
async fn import_cross_list(ctx: &mut Ctx, file: PathBuf, decision: String) -> Fallible {
    let decision = decision.trim();
    if decision.is_empty() || decision.chars().count() > 200 {
        return Err("--decision phải ghi số, ký hiệu quyết định công bố danh mục (tối đa 200 ký tự), ví dụ \"QĐ 2095/QĐ-UBND ngày 31/10/2025\"".into());
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let codes = crate::domain::handover::parse_procedure_list(&text)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "catalogue import-phi-dia-gioi",
        detail: format!("{} thủ tục theo {decision}", codes.len()),
    };
    let n =
        crate::centre::cross::import_procedures(&mut ctx.client, &codes, decision, Some(&entry))
            .await
            .map_err(e2s)?;
    println!("Đã nhập {n} thủ tục tiếp nhận không phụ thuộc địa giới hành chính ({decision})");
    Ok(())
}

/// `calendar import`: the official calendar, as an update in every unit's feed.
async fn import_calendar(ctx: &mut Ctx, file: PathBuf) -> Fallible {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let entries = parse_official_csv(&text).map_err(|e| e.to_string())?;
    let entry = Entry {
        operator: &ctx.operator,
        action: "calendar import",
        detail: format!("{} ngày đặc biệt từ {}", entries.len(), file.display()),
    };
    let seq = admin::import_calendar(&mut ctx.client, &entries, Some(&entry))
        .await
        .map_err(e2s)?;
    println!(
        "Đã nhập {} ngày đặc biệt (mục {seq} của luồng đồng bộ)",
        entries.len()
    );
    Ok(())
}

/// `export-dvcqg`: the dossiers of a period for the national portal.
async fn export_dvcqg(ctx: &mut Ctx, from: NaiveDate, to: NaiveDate, out: PathBuf) -> Fallible {
    if from > to {
        return Err("--from phải trước hoặc bằng --to".into());
    }
    let rows = report::export_dvcqg(&ctx.client, from, to)
        .await
        .map_err(e2s)?;
    let json = serde_json::to_vec_pretty(&rows).map_err(|e| e.to_string())?;
    std::fs::write(&out, json).map_err(|e| format!("không ghi được {}: {e}", out.display()))?;
    // Read-only on the database: recorded once the file exists.
    let entry = Entry {
        operator: &ctx.operator,
        action: "export-dvcqg",
        detail: format!("{from} – {to}: {} hồ sơ vào {}", rows.len(), out.display()),
    };
    audit::log(&ctx.client, &entry).await.map_err(e2s)?;
    println!("Đã xuất {} hồ sơ vào {}", rows.len(), out.display());
    Ok(())
}

/// `conflicts`: sync conflicts the centre detected.
async fn list_conflicts(ctx: &mut Ctx, since: Option<NaiveDate>, json: bool) -> Fallible {
    let rows = conflicts::list(&ctx.client, since.map(start_of_day))
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
    Ok(())
}

/// `quarantine`: events held back and why.
async fn list_quarantine(ctx: &mut Ctx, unit: Option<String>, json: bool) -> Fallible {
    let rows = quarantine::list(&ctx.client, unit.as_deref())
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
    Ok(())
}

/// `audit`: the operators' log.
async fn list_audit(ctx: &mut Ctx, since: Option<NaiveDate>, json: bool) -> Fallible {
    let rows = audit::list(&ctx.client, since.map(start_of_day))
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
    Ok(())
}

/// `stats`: dossiers and on-time figures per unit.
async fn stats(ctx: &mut Ctx, unit: Option<String>, json: bool) -> Fallible {
    let stats = report::stats(&ctx.client, unit.as_deref())
        .await
        .map_err(e2s)?;
    let clashes = conflicts::count(&ctx.client, unit.as_deref())
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
            if s.received_for_others > 0 {
                println!(
                    "  nhận hộ đơn vị khác (tính tại đơn vị giải quyết): {}",
                    s.received_for_others
                );
            }
        }
        if clashes > 0 {
            println!("Số xung đột đồng bộ: {clashes} (xem: motcua-centre conflicts)");
        } else {
            println!("Số xung đột đồng bộ: 0");
        }
    }
    Ok(())
}

/// The kind of event an operator's action writes (named so in the audit log).
fn event_kind(action: CentreAction) -> EventKind {
    match action {
        CentreAction::ResultReady => EventKind::ResultReady,
        CentreAction::SupplementRequest => EventKind::SupplementRequested,
        CentreAction::Stop => EventKind::Stopped,
        CentreAction::Extend => EventKind::Extended,
    }
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
