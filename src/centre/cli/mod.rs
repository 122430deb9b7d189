//! The `motcua-centre` command line: the server and the operators' commands. Each
//! command connects to PostgreSQL (`--database-url` or `DATABASE_URL`), brings the
//! schema up to date, does its one job and prints the outcome in Vietnamese.
//!
//! This file only parses and dispatches: `args` is the grammar, `serve` the server, and
//! one file per group of commands carries them out (`units`, `operator`, `record`,
//! `catalogue`, `stats`, `logs`, `citizen`, `notices`, `files`, `release`), sharing `ctx`.

mod args;
mod catalogue;
mod citizen;
mod ctx;
pub mod files;
mod logs;
mod notices;
mod operator;
mod record;
pub mod release;
mod serve;
mod stats;
mod units;

use std::process::ExitCode;

use clap::Parser;

pub use self::args::*;
use self::ctx::{Ctx, Fallible};
use crate::centre::audit::Operator;
use crate::centre::blobs::BlobDir;
use crate::centre::db;

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

/// Connects (the release machine's commands need no database), then dispatches.
async fn run(cli: CentreCli) -> Fallible {
    if let CentreCommand::Release(cmd) = &cli.command
        && let Some(done) = release::run_offline(cmd)
    {
        return done;
    }
    let url = cli
        .database_url
        .ok_or("thiếu địa chỉ PostgreSQL: --database-url URL hoặc biến DATABASE_URL")?;
    let operator = Operator::resolve(cli.operator.as_deref())?;
    let pool_size = match &cli.command {
        CentreCommand::Serve(args) => args.pool_size.clamp(1, 200),
        _ => 2,
    };
    let pool = db::pool(&url, pool_size).map_err(|e| e.to_string())?;
    db::migrate(&pool).await.map_err(|e| e.to_string())?;
    let files_dir = match cli.files_dir {
        Some(d) => d,
        None => BlobDir::default_root()?,
    };
    if let CentreCommand::Serve(args) = cli.command {
        return serve::serve(pool, files_dir, args).await;
    }
    let mut ctx = Ctx {
        client: pool.get().await.map_err(|e| e.to_string())?,
        operator,
        files_dir,
    };
    dispatch(&mut ctx, cli.command).await
}

/// One operator's command, to the function that carries it out.
async fn dispatch(ctx: &mut Ctx, command: CentreCommand) -> Fallible {
    match command {
        CentreCommand::Serve(_) => Ok(()),
        CentreCommand::Files(cmd) => files::command(ctx, cmd).await,
        CentreCommand::Release(cmd) => release::command(ctx, cmd).await,
        CentreCommand::Unit(UnitCommand::Add { code, name }) => {
            units::unit_add(ctx, code, name).await
        }
        CentreCommand::Unit(UnitCommand::List) => units::unit_list(ctx).await,
        CentreCommand::Operator(OperatorCommand::Add {
            username,
            name,
            role,
            unit,
        }) => operator::add(ctx, &username, &name, &role, unit).await,
        CentreCommand::Notices(cmd) => notices::command(ctx, cmd).await,
        CentreCommand::EnrollCode {
            unit,
            desk_index,
            replace_desk,
            expires,
        } => units::enroll_code(ctx, unit, desk_index, replace_desk, expires).await,
        CentreCommand::Record {
            code,
            action,
            by,
            note,
            until,
            items,
        } => record::record(ctx, code, action, by, note, until, items).await,
        CentreCommand::Catalogue(CatalogueCommand::Import { file }) => {
            catalogue::import_catalogue(ctx, file).await
        }
        CentreCommand::Catalogue(CatalogueCommand::ImportPhiDiaGioi { file, decision }) => {
            catalogue::import_cross_list(ctx, file, decision).await
        }
        CentreCommand::Calendar(ImportCommand::Import { file }) => {
            catalogue::import_calendar(ctx, file).await
        }
        CentreCommand::ExportDvcqg { from, to, out } => {
            stats::export_dvcqg(ctx, from, to, out).await
        }
        CentreCommand::Stats { unit, json } => stats::stats(ctx, unit, json).await,
        CentreCommand::Conflicts { since, json } => logs::list_conflicts(ctx, since, json).await,
        CentreCommand::Quarantine { unit, json } => logs::list_quarantine(ctx, unit, json).await,
        CentreCommand::Audit { since, json } => logs::list_audit(ctx, since, json).await,
        CentreCommand::PublicUrl { url } => citizen::public_url(ctx, url).await,
        CentreCommand::Ratings { unit } => citizen::ratings(ctx, unit).await,
    }
}
