//! `motcua print`: makes a form's PDF from a stored dossier (or the tracking book for a
//! period), always saves it, and with `--printer` sends it to the printer (CUPS, or GDI on Windows).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::output::{outln, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::desk::book::BookRequest;
use crate::desk::forms::FormRequest;
use crate::print::Paper;
use crate::print::job::DossierForm;

pub use crate::desk::settings::{SETTING_PAPER, SETTING_TRACKING_URL, SETTING_UNIT_PHONE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Form {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    #[value(name = "01", alias = "1")]
    M01,
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    #[value(name = "02", alias = "2")]
    M02,
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ
    #[value(name = "03", alias = "3")]
    M03,
    /// Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết
    #[value(name = "04", alias = "4")]
    M04,
    /// Thông báo dừng giải quyết hồ sơ
    #[value(name = "05", alias = "5")]
    M05,
    /// Phiếu kiểm soát quá trình giải quyết hồ sơ
    #[value(name = "06", alias = "6")]
    M06,
    /// Sổ theo dõi hồ sơ (theo khoảng ngày)
    #[value(name = "07", alias = "7")]
    M07,
}

impl Form {
    fn number(self) -> &'static str {
        match self {
            Form::M01 => "01",
            Form::M02 => "02",
            Form::M03 => "03",
            Form::M04 => "04",
            Form::M05 => "05",
            Form::M06 => "06",
            Form::M07 => "07",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    /// A5, mỗi liên một tờ
    A5,
    /// A4 (mẫu 01: hai liên trên một tờ, có đường cắt)
    #[value(alias = "a4-two-up")]
    A4,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Mã hồ sơ (không dùng với mẫu 07)
    pub code: Option<String>,
    /// Biểu mẫu cần in
    #[arg(long, value_enum)]
    pub form: Form,
    /// Tệp PDF cần ghi (mặc định: thư mục prints trong thư mục dữ liệu)
    #[arg(long, value_name = "TỆP")]
    pub out: Option<PathBuf>,
    /// Gửi tới máy in này (Linux: tên hàng đợi CUPS, xem lpstat -p; Windows: tên máy in đã cài)
    #[arg(long, value_name = "MÁY_IN")]
    pub printer: Option<String>,
    /// Số bản in
    #[arg(long, default_value_t = 1)]
    pub copies: u32,
    /// Khổ giấy (mặc định theo cài đặt paper_layout, nếu chưa có: A4)
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// Mẫu 07: từ ngày (YYYY-MM-DD)
    #[arg(long, value_name = "NGÀY")]
    pub from: Option<String>,
    /// Mẫu 07: đến ngày (YYYY-MM-DD)
    #[arg(long, value_name = "NGÀY")]
    pub to: Option<String>,
    /// Mẫu 07: sổ của lĩnh vực này; lặp lại để in sổ của một nhóm lĩnh vực (mặc định:
    /// mỗi lĩnh vực một sổ)
    #[arg(long = "field", value_name = "LĨNH_VỰC")]
    pub fields: Vec<String>,
}

fn parse_day(raw: &str, what: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        CliError(format!(
            "{what} '{}' không hợp lệ: dùng dạng 2026-02-01",
            raw.trim()
        ))
    })
}

fn paper(args: &PrintArgs) -> Option<Paper> {
    args.paper.map(|p| match p {
        PaperArg::A5 => Paper::A5,
        PaperArg::A4 => Paper::A4,
    })
}

fn print_error(e: crate::print::PrintError) -> CliError {
    CliError(e.to_string())
}

/// Mẫu 07 for the period given by `--from` and `--to`, by the desk's use case (the
/// window's F3 prints the same).
fn book_request(args: &PrintArgs) -> Result<BookRequest, CliError> {
    if args.code.is_some() {
        return Err(CliError(
            "mẫu 07 in theo khoảng ngày (--from, --to), không theo mã hồ sơ".into(),
        ));
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(CliError(
            "mẫu 07 cần --from NGÀY và --to NGÀY (dạng 2026-02-01)".into(),
        ));
    };
    Ok(BookRequest {
        from: parse_day(from, "Ngày bắt đầu")?,
        to: parse_day(to, "Ngày kết thúc")?,
        fields: args.fields.clone(),
    })
}

/// What the arguments ask the desk to lay out: a form of one dossier (Mẫu 01–06), or
/// the book (Mẫu 07).
fn request(args: &PrintArgs) -> Result<FormRequest, CliError> {
    let form = match args.form {
        Form::M07 => return Ok(FormRequest::Book(book_request(args)?)),
        Form::M01 => DossierForm::M01,
        Form::M02 => DossierForm::M02,
        Form::M03 => DossierForm::M03,
        Form::M04 => DossierForm::M04,
        Form::M05 => DossierForm::M05,
        Form::M06 => DossierForm::M06,
    };
    if args.from.is_some() || args.to.is_some() {
        return Err(CliError("--from và --to chỉ dùng với mẫu 07".into()));
    }
    let code = args
        .code
        .as_deref()
        .ok_or_else(|| CliError(format!("mẫu {} cần mã hồ sơ", args.form.number())))?;
    Ok(FormRequest::Dossier {
        code: code.to_string(),
        form,
        paper: paper(args),
    })
}

pub fn print(global: &Global, args: &PrintArgs) -> CliResult {
    let desk = global.open()?;
    // Laid out while the store is held; rendered and printed after it is released.
    let built = desk.lay_out(&request(args)?).map_err(print_error)?;
    let outcome = desk
        .print_built(
            &built,
            args.out.as_deref(),
            args.printer.as_deref(),
            args.copies,
        )
        .map_err(print_error)?;
    let path = outcome.pdf.clone();
    let (pages, bytes, job) = (outcome.pages, outcome.bytes, outcome.job);
    if global.json {
        #[derive(Serialize)]
        struct PrintJson {
            pdf: String,
            pages: usize,
            bytes: usize,
            job: Option<String>,
            warning: Option<String>,
        }
        return print_json(&PrintJson {
            pdf: path.display().to_string(),
            pages,
            bytes,
            job: job.as_ref().map(|j| j.id.clone()),
            warning: job.and_then(|j| j.warning),
        });
    }
    outln!("Đã lưu tệp PDF ({pages} trang): {}", path.display());
    if let (Some(job), Some(printer)) = (job, &args.printer) {
        outln!(
            "Đã gửi lệnh in {} tới máy in {printer} ({} bản)",
            job.id,
            args.copies
        );
        if let Some(w) = job.warning {
            outln!("Lưu ý: {w}");
        }
    }
    Ok(())
}
