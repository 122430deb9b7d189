//! Digitised documents from the command line: attach files or scan paper into a
//! dossier, list them, write one out or print it, detach one with a reason.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::output::{errln, outln, print_json};
use crate::cli::{CliError, CliResult, Global};
use crate::desk::Desk;
use crate::domain::clock::{format_rfc3339, format_vi_short};
use crate::domain::document::{Sha256Hex, size_vi};
use crate::domain::dossier::AttachedDocument;
use crate::domain::text::escape_controls;

#[derive(Debug, Args)]
pub struct DocumentArgs {
    #[command(subcommand)]
    pub command: DocumentCommand,
}

#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Đính kèm tệp (PDF, JPEG, PNG) vào hồ sơ; nhiều ảnh được ghép thành một tệp PDF
    /// theo thứ tự
    #[cfg(feature = "desk")]
    Attach(AttachArgs),
    /// Liệt kê giấy tờ đã số hóa của hồ sơ
    List(ListArgs),
    /// Gỡ một giấy tờ đã số hóa khỏi hồ sơ (nhật ký vẫn giữ lại)
    Detach(DetachArgs),
    /// Quét giấy tờ bằng máy quét đã cài đặt rồi đính kèm vào hồ sơ
    #[cfg(feature = "desk")]
    Scan(ScanArgs),
    /// Ghi một giấy tờ đã số hóa ra tệp (tải từ trung tâm nếu quầy này chưa có)
    #[cfg(feature = "desk")]
    Get(GetArgs),
    /// In một giấy tờ đã số hóa (tải từ trung tâm nếu quầy này chưa có)
    #[cfg(feature = "desk")]
    Print(PrintArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Mã hồ sơ
    pub code: String,
    /// Thành phần hồ sơ được quét
    #[arg(long, value_name = "THÀNH_PHẦN")]
    pub item: String,
    /// Quét hết giấy trong khay nạp (nhiều trang, theo thứ tự); mặc định: một trang trên mặt kính
    #[arg(long)]
    pub feeder: bool,
    /// Tên giấy tờ (mặc định: "<thành phần> - bản quét.pdf")
    #[arg(long, value_name = "TÊN")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Mã hồ sơ
    pub code: String,
    /// Mã băm SHA-256 của tệp (như lệnh "document list" in ra)
    pub sha256: String,
    /// Tệp sẽ ghi ra (không ghi đè tệp đã có)
    #[arg(long, value_name = "TỆP")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Mã hồ sơ
    pub code: String,
    /// Mã băm SHA-256 của tệp (như lệnh "document list" in ra)
    pub sha256: String,
    /// Máy in (mặc định: máy in trong cài đặt của quầy)
    #[arg(long, value_name = "MÁY_IN")]
    pub printer: Option<String>,
}

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// Mã hồ sơ
    pub code: String,
    /// Thành phần hồ sơ mà tệp thể hiện (ví dụ: "Bản sao Giấy khai sinh")
    #[arg(long, value_name = "THÀNH_PHẦN")]
    pub item: String,
    /// Tên giấy tờ (mặc định: tên tệp, hoặc thành phần hồ sơ khi ghép nhiều ảnh)
    #[arg(long, value_name = "TÊN")]
    pub name: Option<String>,
    /// Tệp cần đính kèm
    #[arg(required = true, value_name = "TỆP")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Mã hồ sơ
    pub code: String,
}

#[derive(Debug, Args)]
pub struct DetachArgs {
    /// Mã hồ sơ
    pub code: String,
    /// Mã băm SHA-256 của tệp (64 chữ số, như lệnh "document list" in ra)
    pub sha256: String,
    /// Lý do gỡ
    #[arg(long, value_name = "LÝ_DO")]
    pub reason: String,
}

pub fn document(global: &Global, args: &DocumentArgs) -> CliResult {
    match &args.command {
        #[cfg(feature = "desk")]
        DocumentCommand::Attach(a) => attach(global, a),
        DocumentCommand::List(a) => list(global, a),
        DocumentCommand::Detach(a) => detach(global, a),
        #[cfg(feature = "desk")]
        DocumentCommand::Scan(a) => scan(global, a),
        #[cfg(feature = "desk")]
        DocumentCommand::Get(a) => get(global, a),
        #[cfg(feature = "desk")]
        DocumentCommand::Print(a) => print(global, a),
    }
}

#[derive(Debug, Serialize)]
struct DocumentJson {
    item: String,
    name: String,
    sha256: String,
    media_type: &'static str,
    size: u64,
    pages: u32,
    attached_at: String,
    attached_by: String,
    origin: String,
    /// Whether the file is stored on this desk (else the centre holds it).
    on_this_desk: bool,
}

impl DocumentJson {
    fn of(d: &AttachedDocument, desk: &Desk) -> DocumentJson {
        DocumentJson {
            item: d.item.clone(),
            name: d.file.name.clone(),
            sha256: d.file.sha256.to_string(),
            media_type: d.file.media_type.mime(),
            size: d.file.size,
            pages: d.file.pages,
            attached_at: format_rfc3339(d.attached_at),
            attached_by: d.attached_by.clone(),
            origin: d.origin.clone(),
            on_this_desk: desk.document_path(&d.file.sha256).is_some(),
        }
    }
}

fn print_documents(desk: &Desk, code: &str, documents: &[AttachedDocument]) {
    if documents.is_empty() {
        outln!("Hồ sơ {code} chưa có giấy tờ đã số hóa.");
        return;
    }
    outln!("Hồ sơ {code}: {} giấy tờ đã số hóa", documents.len());
    for d in documents {
        let here = if desk.document_path(&d.file.sha256).is_some() {
            ""
        } else {
            " (chưa có trên máy này)"
        };
        // Names came from a clerk or another desk: controls are shown escaped.
        outln!(
            "- {}: {} — {}, {} trang, {}{here}\n  {} · {} · {}",
            escape_controls(&d.item),
            escape_controls(&d.file.name),
            d.file.media_type.label(),
            d.file.pages,
            size_vi(d.file.size),
            format_vi_short(d.attached_at),
            escape_controls(&d.attached_by),
            d.file.sha256
        );
    }
}

fn list(global: &Global, args: &ListArgs) -> CliResult {
    let desk = global.open()?;
    let state = desk.dossier(&args.code)?;
    let code = state.code.to_string();
    if global.json {
        let docs: Vec<DocumentJson> = state
            .documents
            .iter()
            .map(|d| DocumentJson::of(d, &desk))
            .collect();
        return print_json(&serde_json::json!({ "code": code, "documents": docs }));
    }
    print_documents(&desk, &code, &state.documents);
    Ok(())
}

fn detach(global: &Global, args: &DetachArgs) -> CliResult {
    let sha = Sha256Hex::parse(args.sha256.trim()).map_err(|e| CliError(e.to_string()))?;
    let desk = global.open()?;
    let written = desk.detach(&args.code, &sha, &args.reason, &global.clerk_name())?;
    if let Some(warning) = &written.backup_warning {
        errln!("Cảnh báo: {warning}");
    }
    let code = written.state.code.to_string();
    if global.json {
        return print_json(&serde_json::json!({
            "code": code,
            "detached": sha.to_string(),
            "documents": written.state.documents.len(),
        }));
    }
    outln!(
        "Đã gỡ giấy tờ {} khỏi hồ sơ {code}; hồ sơ còn {} giấy tờ đã số hóa.",
        sha.short(),
        written.state.documents.len()
    );
    Ok(())
}

/// The files given, checked and made compact by the document pipeline: one file as
/// it is (a PDF kept byte for byte), several images as one PDF in order.
#[cfg(feature = "desk")]
fn attach(global: &Global, args: &AttachArgs) -> CliResult {
    use crate::desk::attach::Source;
    let desk = global.open()?;
    // Several files are one document named after the item unless named.
    let name = match (&args.files[..], &args.name) {
        ([_], None) => None,
        (_, name) => Some(name.clone().unwrap_or_else(|| args.item.clone())),
    };
    let source = Source::Files {
        paths: &args.files,
        name,
    };
    let (written, sha) = desk
        .attach_from(&args.code, &args.item, source, &global.clerk_name())
        .map_err(|e| CliError(e.to_string()))?;
    report_attached(global, &desk, &written, &sha)
}

/// What an attach says: the document now on the dossier (text or JSON).
#[cfg(feature = "desk")]
fn report_attached(
    global: &Global,
    desk: &Desk,
    written: &crate::desk::work::Written,
    sha: &Sha256Hex,
) -> CliResult {
    if let Some(warning) = &written.backup_warning {
        errln!("Cảnh báo: {warning}");
    }
    if let Some(warning) = desk.disk_warning() {
        errln!("Cảnh báo: {warning}");
    }
    let code = written.state.code.to_string();
    let Some(added) = written
        .state
        .documents
        .iter()
        .find(|d| d.file.sha256 == *sha)
    else {
        return Err(CliError(
            "Không thấy giấy tờ vừa đính kèm trong hồ sơ".into(),
        ));
    };
    if global.json {
        return print_json(&serde_json::json!({
            "code": code,
            "attached": DocumentJson::of(added, desk),
            "documents": written.state.documents.len(),
        }));
    }
    outln!(
        "Đã đính kèm \"{}\" ({} trang, {}) vào hồ sơ {code}, mục \"{}\".",
        escape_controls(&added.file.name),
        added.file.pages,
        size_vi(added.file.size),
        escape_controls(&added.item)
    );
    Ok(())
}

/// Scans with the desk's scanner (the glass, or the whole feeder) and attaches the
/// pages as one PDF.
#[cfg(feature = "desk")]
fn scan(global: &Global, args: &ScanArgs) -> CliResult {
    use crate::desk::attach::Source;
    let desk = global.open()?;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let source = Source::Scanner {
        feeder: args.feeder,
        name: args.name.clone(),
        cancel: &cancel,
    };
    let (written, sha) = desk
        .attach_from(&args.code, &args.item, source, &global.clerk_name())
        .map_err(|e| CliError(e.to_string()))?;
    report_attached(global, &desk, &written, &sha)
}

/// The stored file of a document of dossier `code`: this desk's copy, else the
/// centre's, fetched now. A hash the dossier does not hold is refused.
#[cfg(feature = "desk")]
fn document_of(
    desk: &Desk,
    code: &str,
    sha256: &str,
) -> Result<(AttachedDocument, PathBuf), CliError> {
    let sha = Sha256Hex::parse(sha256.trim()).map_err(|e| CliError(e.to_string()))?;
    let state = desk.dossier(code)?;
    let Some(doc) = state.documents.into_iter().find(|d| d.file.sha256 == sha) else {
        return Err(CliError(format!(
            "Hồ sơ {code} không có giấy tờ {}; xem \"motcua document list {code}\"",
            sha.short()
        )));
    };
    let path = desk
        .open_document_blocking(&sha)
        .map_err(|e| CliError(format!("Chưa lấy được tệp: {e}")))?;
    Ok((doc, path))
}

#[cfg(feature = "desk")]
fn get(global: &Global, args: &GetArgs) -> CliResult {
    use std::io::Write;
    let desk = global.open()?;
    let (doc, path) = document_of(&desk, &args.code, &args.sha256)?;
    let bytes = std::fs::read(&path).map_err(|e| CliError(format!("{}: {e}", path.display())))?;
    // Never over another file: the clerk may have typed a name already in use.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Owner-only: a citizen's paper is not for the machine's other accounts.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options
        .open(&args.out)
        .map_err(|e| CliError(format!("Không ghi được {}: {e}", args.out.display())))?;
    out.write_all(&bytes)
        .and_then(|()| out.sync_all())
        .map_err(|e| CliError(format!("Không ghi được {}: {e}", args.out.display())))?;
    outln!(
        "Đã ghi \"{}\" ({} trang, {}) ra {}",
        escape_controls(&doc.file.name),
        doc.file.pages,
        size_vi(doc.file.size),
        args.out.display()
    );
    Ok(())
}

#[cfg(feature = "desk")]
fn print(global: &Global, args: &PrintArgs) -> CliResult {
    use crate::desk::attach::PrintDocumentError;
    let desk = global.open()?;
    let printer = match &args.printer {
        Some(p) => p.clone(),
        None => desk.settings()?.printer.ok_or_else(|| {
            CliError("Chưa chọn máy in: dùng --printer hoặc cài đặt máy in của quầy".into())
        })?,
    };
    let (doc, _) = document_of(&desk, &args.code, &args.sha256)?;
    let job = desk
        .print_document(&doc.file, &printer)
        .map_err(|e| match e {
            PrintDocumentError::Fetch(e) => CliError(format!("Chưa lấy được tệp: {e}")),
            PrintDocumentError::Printer(e) => CliError(e),
        })?;
    outln!(
        "Đã gửi lệnh in {} tới máy in {printer}: \"{}\" ({} trang)",
        job.id,
        escape_controls(&doc.file.name),
        doc.file.pages
    );
    Ok(())
}
