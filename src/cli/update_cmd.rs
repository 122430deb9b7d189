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
}

pub fn update(global: &Global, args: &UpdateArgs) -> CliResult {
    let desk = global
        .open_existing()?
        .ok_or_else(|| CliError(crate::desk::StoreError::NotInitialised.to_string()))?;
    let step = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError(format!("không khởi động được bộ chạy: {e}")))?
        .block_on(desk.look_for_update(args.accept))
        .map_err(|e| CliError(e.to_string()))?;
    match &step {
        UpdateStep::UpToDate => outln!("Đang dùng phiên bản mới nhất"),
        UpdateStep::Offered(_) => {
            outln!("{} (chạy: motcua update --accept)", step.status_line())
        }
        UpdateStep::Staged(_) => outln!("{}", step.status_line()),
    }
    Ok(())
}
