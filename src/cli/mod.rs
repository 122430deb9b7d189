//! The headless command line: every counter action, scriptable.
//!
//! All subcommands take `--data-dir` (or `MOTCUA_DATA_DIR`) and `--json`. Errors go to
//! stderr in Vietnamese with a non-zero exit code, and a failed command writes nothing.

mod admin;
mod calendar_cmds;
mod document_cmds;
mod dossier_cmds;
mod output;
#[cfg(feature = "desk")]
pub mod print_cmd;
#[cfg(feature = "desk")]
mod render_cmd;
mod report_cmd;
#[cfg(feature = "desk")]
mod sync_cmds;
#[cfg(feature = "desk")]
mod update_cmd;

use crate::cli::output::errln;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

use crate::desk::Desk;
use crate::desk::{DataPaths, StoreError};

#[derive(Debug, Parser)]
#[command(
    name = "motcua",
    version,
    about = "Một cửa — tiếp nhận và trả kết quả hồ sơ thủ tục hành chính tại phường, xã"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng)
    #[arg(long, global = true, env = "MOTCUA_DATA_DIR", value_name = "THƯ_MỤC")]
    pub data_dir: Option<PathBuf>,
    /// In kết quả dạng JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// Họ tên cán bộ thực hiện (ghi vào nhật ký hồ sơ)
    #[arg(long, global = true, env = "MOTCUA_CLERK", value_name = "HỌ_TÊN")]
    pub clerk: Option<String>,
    /// The desk the command works on, opened once by the first `open`.
    #[arg(skip)]
    desk: std::sync::OnceLock<Desk>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tiếp nhận một hồ sơ mẫu (tạo đơn vị MẪU nếu chưa có) để chạy thử không cần giao diện
    Sample,
    /// Thiết lập đơn vị và quầy lần đầu
    Init(admin::InitArgs),
    /// Tiếp nhận một hồ sơ từ tệp JSON (hoặc '-' để đọc từ stdin)
    Intake(dossier_cmds::IntakeArgs),
    /// Xem một hồ sơ
    Show(dossier_cmds::ShowArgs),
    /// Tìm hồ sơ theo mã, họ tên, số định danh, số điện thoại
    Search(dossier_cmds::SearchArgs),
    /// Ghi nhận một bước xử lý hồ sơ
    Record(dossier_cmds::RecordArgs),
    /// Giấy tờ đã số hóa của hồ sơ: đính kèm, liệt kê, gỡ
    Document(document_cmds::DocumentArgs),
    /// Tính thời điểm hẹn trả kết quả
    Due(calendar_cmds::DueArgs),
    /// Liệt kê ngày nghỉ và ngày làm bù của một năm
    Holidays(calendar_cmds::HolidaysArgs),
    /// Tra cứu danh mục thủ tục
    Catalogue(admin::CatalogueArgs),
    /// Tạo dữ liệu mẫu (cho trình diễn và đo hiệu năng)
    DemoData(admin::DemoArgs),
    /// Báo cáo tình hình, kết quả giải quyết TTHC (Biểu 06)
    Report(report_cmd::ReportArgs),
    /// Sao lưu cơ sở dữ liệu
    Backup(admin::BackupArgs),
    /// Khôi phục cơ sở dữ liệu từ bản sao lưu
    Restore(admin::RestoreArgs),
    /// In biểu mẫu (mẫu 01–07) ra tệp PDF và gửi tới máy in
    #[cfg(feature = "desk")]
    Print(print_cmd::PrintArgs),
    /// Đăng ký quầy với máy chủ trung tâm (mã đăng ký dùng một lần)
    #[cfg(feature = "desk")]
    Enroll(sync_cmds::EnrollArgs),
    /// Đồng bộ với trung tâm: gửi sự kiện của quầy, nhận dữ liệu mới của đơn vị
    #[cfg(feature = "desk")]
    Sync(sync_cmds::SyncArgs),
    /// Bản phát hành mới trên trung tâm: kiểm tra; --accept: tải về và chuẩn bị cài
    #[cfg(feature = "desk")]
    Update(update_cmd::UpdateArgs),
    /// Bản vừa cài tự kiểm tra: mở kho dữ liệu rồi báo đã khởi động được
    #[cfg(feature = "desk")]
    #[command(hide = true)]
    SelfCheck,
    /// Vẽ trang xem trước của tệp PDF trong tiến trình con (quầy tự gọi)
    #[cfg(feature = "desk")]
    #[command(hide = true)]
    RenderThumbnails(render_cmd::RenderArgs),
}

/// A command's failure, already worded for the clerk.
#[derive(Debug)]
pub struct CliError(pub String);

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError(e.to_string())
    }
}

pub type CliResult = Result<(), CliError>;

impl Global {
    pub fn paths(&self) -> Result<DataPaths, CliError> {
        match &self.data_dir {
            Some(dir) => Ok(DataPaths::in_dir(dir)),
            None => Ok(DataPaths::platform_default()?),
        }
    }

    /// The desk of the data directory (created and migrated if needed): every
    /// command works through it, so each write makes the daily backup.
    pub fn open(&self) -> Result<Desk, CliError> {
        if let Some(desk) = self.desk.get() {
            return Ok(desk.clone());
        }
        let desk = Desk::open(self.paths()?)?;
        Ok(self.desk.get_or_init(|| desk).clone())
    }

    /// The desk when the data directory already holds a database; never creates one.
    pub fn open_existing(&self) -> Result<Option<Desk>, CliError> {
        if self.desk.get().is_some() || self.paths()?.db.exists() {
            self.open().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Waits for the daily backup a write started (the output is already shown) and
    /// tells the clerk when it failed: the command's work stands regardless.
    fn finish(&self) {
        if let Some(warning) = self.desk.get().and_then(Desk::finish_backup) {
            errln!("Cảnh báo: {warning}");
        }
    }

    pub fn clerk_name(&self) -> String {
        self.clerk
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "Cán bộ tiếp nhận".to_string())
    }
}

/// `motcua` with no subcommand opens the counter window on the data directory.
#[cfg(feature = "desk")]
fn open_counter(global: &Global) -> CliResult {
    let paths = global.paths()?;
    crate::platform::renderer::open_window(|| crate::ui::run(paths)).map_err(|e| {
        CliError(format!(
            "Không mở được cửa sổ giao diện: {e}. Các lệnh dòng lệnh vẫn dùng được: motcua --help"
        ))
    })
}

#[cfg(not(feature = "desk"))]
fn open_counter(global: &Global) -> CliResult {
    admin::sample_intake(global)
}

/// Runs the program with the given arguments (the first is the program name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args = intake_json_as_input(args.into_iter().map(Into::into).collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match &cli.command {
        None => open_counter(&cli.global),
        Some(Command::Sample) => admin::sample_intake(&cli.global),
        Some(Command::Init(a)) => admin::init(&cli.global, a),
        Some(Command::Intake(a)) => dossier_cmds::intake(&cli.global, a),
        Some(Command::Show(a)) => dossier_cmds::show(&cli.global, a),
        Some(Command::Search(a)) => dossier_cmds::search(&cli.global, a),
        Some(Command::Record(a)) => dossier_cmds::record(&cli.global, a),
        Some(Command::Document(a)) => document_cmds::document(&cli.global, a),
        Some(Command::Due(a)) => calendar_cmds::due(&cli.global, a),
        Some(Command::Holidays(a)) => calendar_cmds::holidays(&cli.global, a),
        Some(Command::Catalogue(a)) => admin::catalogue(&cli.global, a),
        Some(Command::DemoData(a)) => admin::demo_data(&cli.global, a),
        Some(Command::Report(a)) => report_cmd::report(&cli.global, a),
        Some(Command::Backup(a)) => admin::backup(&cli.global, a),
        Some(Command::Restore(a)) => admin::restore(&cli.global, a),
        #[cfg(feature = "desk")]
        Some(Command::Print(a)) => print_cmd::print(&cli.global, a),
        #[cfg(feature = "desk")]
        Some(Command::Enroll(a)) => sync_cmds::enroll(&cli.global, a),
        #[cfg(feature = "desk")]
        Some(Command::Sync(a)) => sync_cmds::sync(&cli.global, a),
        #[cfg(feature = "desk")]
        Some(Command::Update(a)) => update_cmd::update(&cli.global, a),
        #[cfg(feature = "desk")]
        Some(Command::SelfCheck) => update_cmd::self_check(&cli.global),
        #[cfg(feature = "desk")]
        Some(Command::RenderThumbnails(a)) => render_cmd::render_thumbnails(a),
    };
    cli.global.finish();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            errln!("Lỗi: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `motcua intake --json FILE` names its input file with the same word as the global
/// `--json` output switch; after the `intake` subcommand, `--json VALUE` is the input.
fn intake_json_as_input(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(sub) = args
        .iter()
        .skip(1)
        .position(|a| a == "intake")
        .map(|i| i + 1)
    else {
        return args;
    };
    let mut i = sub + 1;
    while i < args.len() {
        let is_flag = args[i] == "--json";
        let has_value = args
            .get(i + 1)
            .is_some_and(|v| v == "-" || !v.to_string_lossy().starts_with("--"));
        if is_flag && has_value {
            args[i] = "--input".into();
            i += 1;
        } else if let Some(rest) = args[i].to_str().and_then(|a| a.strip_prefix("--json=")) {
            args[i] = format!("--input={rest}").into();
        }
        i += 1;
    }
    args
}

/// clap words its errors in English; the clerk gets them in Vietnamese.
fn usage_error(e: clap::Error) -> ExitCode {
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "thiếu tham số bắt buộc: {}",
                context(ContextKind::InvalidArg)
            )
        }
        ErrorKind::UnknownArgument => {
            format!("tham số không hợp lệ: {}", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => format!(
            "lệnh không có: {} (xem: motcua --help)",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "giá trị '{}' không hợp lệ cho {}",
            context(ContextKind::InvalidValue),
            context(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => format!(
            "không dùng cùng lúc {} và {}",
            context(ContextKind::InvalidArg),
            context(ContextKind::PriorArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh (xem: motcua --help)".to_string()
        }
        _ => format!("lệnh không hợp lệ: {}", e.kind()),
    };
    errln!("Lỗi: {message}\nXem hướng dẫn: motcua --help");
    ExitCode::from(2)
}
