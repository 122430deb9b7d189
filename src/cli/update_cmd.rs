//! `motcua update [--accept]`: asks the centre for a newer release; with `--accept`
//! (the administrator's yes) downloads, checks and stages it for the install when the
//! window closes. The same use case the window's status line calls.

use clap::Args;

use crate::cli::output::outln;
use crate::cli::{CliError, CliResult, Global};
use crate::desk::update::UpdateStep;

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Tải về, kiểm tra chữ ký và chuẩn bị cài bản mới (cài khi đóng chương trình)
    #[arg(long)]
    pub accept: bool,
    /// Cài ngay bản đã chuẩn bị (khi cửa sổ chương trình đã đóng); bản mới không khởi
    /// động được thì tự quay lại bản đang chạy
    #[arg(long, conflicts_with = "accept")]
    pub install: bool,
}

pub fn update(global: &Global, args: &UpdateArgs) -> CliResult {
    if args.install {
        return install(global);
    }
    let desk = global
        .open_existing()?
        .ok_or_else(|| CliError(crate::desk::StoreError::NotInitialised.to_string()))?;
    // The first start after an install says so, once.
    if let Some(installed) = desk.take_install_note() {
        outln!("{installed}");
    }
    let step = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError(format!("không khởi động được bộ chạy: {e}")))?
        .block_on(desk.look_for_update(args.accept))
        .map_err(|e| CliError(e.to_string()))?;
    match &step {
        UpdateStep::UpToDate => outln!("Đang dùng phiên bản mới nhất"),
        UpdateStep::Offered(offer) => {
            outln!("{} (chạy: motcua update --accept)", step.status_line());
            if let Some(why) = desk.rolled_back_reason(&offer.version) {
                outln!(
                    "Lần cài trước phiên bản này không khởi động được ({why}) nên đã quay lại phiên bản đang dùng"
                );
            }
        }
        UpdateStep::Staged(_) => outln!("{}", step.status_line()),
    }
    Ok(())
}

/// Installs without opening the store: the new version's self-check opens it, and a
/// rollback may have to put its backup back.
fn install(global: &Global) -> CliResult {
    let paths = global.paths()?;
    if !paths.db.exists() {
        return Err(CliError(
            crate::desk::StoreError::NotInitialised.to_string(),
        ));
    }
    match crate::desk::update_install::install_staged_here(&paths) {
        Ok(None) => outln!("Không có bản cập nhật nào đã chuẩn bị để cài"),
        Ok(Some(report)) => outln!("{}", report.message()),
        Err(e) => return Err(CliError(e.to_string())),
    }
    Ok(())
}

/// `motcua self-check`: what a newly installed version runs before it becomes the one
/// that starts: open (and migrate) the store, then write its "healthy" marker.
pub fn self_check(global: &Global) -> CliResult {
    let desk = global.open()?;
    let version = desk.mark_healthy().map_err(|e| CliError(e.to_string()))?;
    outln!("Phiên bản {version} khởi động được");
    Ok(())
}
