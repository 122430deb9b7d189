//! `motcua report`: Biểu 06 for a period, as a table, CSV, Excel or PDF.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::cli::output::{err, errln, out, outln, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::desk::reports::ReportFormat;
use crate::domain::report::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Xlsx,
    #[cfg(feature = "desk")]
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Từ ngày (YYYY-MM-DD)
    #[arg(long, requires = "to", conflicts_with = "period")]
    pub from: Option<String>,
    /// Đến ngày (YYYY-MM-DD)
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Kỳ có sẵn: 2026 (năm) hoặc 2026-Q1 (quý)
    #[arg(long, required_unless_present = "from")]
    pub period: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Tệp kết quả (mặc định: bảng và CSV ra màn hình, Excel vào thư mục reports)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Đơn vị nhận báo cáo (mặc định: cơ quan chủ quản của đơn vị)
    #[arg(long, value_name = "TÊN")]
    pub recipient: Option<String>,
}

fn date(raw: &str, what: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| CliError(format!("{what} '{raw}' không hợp lệ: dùng dạng 2026-03-31")))
}

fn period(args: &ReportArgs) -> Result<Period, CliError> {
    let err = |e: crate::domain::report::PeriodError| CliError(e.to_string());
    match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => Period::preset(p).map_err(err),
        (None, Some(from), Some(to)) => {
            Period::new(date(from, "Từ ngày")?, date(to, "Đến ngày")?).map_err(err)
        }
        _ => Err(CliError(
            "cần --period KỲ hoặc --from NGÀY --to NGÀY".into(),
        )),
    }
}

impl Format {
    /// The desk's format for this choice (the desk renders and writes every one).
    fn desk(self) -> ReportFormat {
        match self {
            Format::Table => ReportFormat::Table,
            Format::Csv => ReportFormat::Csv,
            Format::Xlsx => ReportFormat::Xlsx,
            #[cfg(feature = "desk")]
            Format::Pdf => ReportFormat::Pdf,
        }
    }

    /// The table and CSV go to the terminal unless a file is named; Excel and PDF
    /// always to a file.
    fn to_terminal(self) -> bool {
        matches!(self, Format::Table | Format::Csv)
    }
}

pub fn report(global: &Global, args: &ReportArgs) -> CliResult {
    let period = period(args)?;
    let desk = global.open()?;
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = Arc::clone(&cancel);
        // Ctrl+C asks the work to stop cleanly; a second one is not needed.
        let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    }
    // Progress only where someone is watching a long run: not for scripts (--json).
    let mut shown = false;
    let mut report = desk.report(period, &cancel, |rows| {
        if !global.json && rows >= 200_000 {
            err!("\rĐã đọc {rows} hồ sơ…");
            shown = true;
        }
    })?;
    if shown {
        errln!();
    }
    if let Some(r) = &args.recipient {
        report.recipient = crate::domain::text::nfc(r.trim());
    }
    if global.json {
        return print_json(&report);
    }
    let format = args.format.desk();
    if args.format.to_terminal() && args.out.is_none() {
        let bytes = format.bytes(&report).map_err(CliError)?;
        out!("{}", String::from_utf8_lossy(&bytes));
        return Ok(());
    }
    let path = desk
        .write_report(&report, format, args.out.as_deref())
        .map_err(CliError)?;
    if !args.format.to_terminal() {
        outln!("Đã ghi báo cáo vào {}", path.display());
    }
    Ok(())
}
