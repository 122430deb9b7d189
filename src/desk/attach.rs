//! Making a document and attaching it, as one use case for the window and the command
//! line: files the clerk chose, a scan (the glass or the whole feeder), or the newest
//! file a network scanner left in the scan folder — each checked and made compact by
//! the document pipeline with the desk's document settings, then attached (one
//! transaction, then today's backup). Also the stored file's thumbnails and printing
//! a stored document.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::desk::Desk;
use crate::desk::work::Written;
use crate::documents::{self, Profile, render_child};
use crate::domain::document::{FileRef, NewDocument, Sha256Hex};
use crate::domain::document_settings::DocumentSettings;
use crate::print::cups;
use crate::store::StoreError;

pub use crate::documents::Thumbnail;

/// Where a document's pages come from.
#[derive(Debug)]
pub enum Source<'a> {
    /// Files chosen by the clerk: one file as it is (a PDF byte for byte), or several
    /// images as one PDF named `name` (default: the first file's name).
    Files {
        paths: &'a [PathBuf],
        name: Option<String>,
    },
    /// The desk's scanner: one page from the glass, or every page in the feeder.
    /// `name` defaults to the item's words, made a valid file name.
    Scanner {
        feeder: bool,
        name: Option<String>,
        cancel: &'a AtomicBool,
    },
    /// The newest file in the desk's scan folder.
    NewestScan,
}

/// Why no document was attached.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("Chưa đặt thư mục máy quét trong Cài đặt (F9)")]
    NoScanFolder,
    #[error("Thư mục máy quét chưa có tệp nào")]
    ScanFolderEmpty,
    /// The files or the scan could not be made a document (the words say why).
    #[error("{0}")]
    Document(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A scan's name: the item's words, made a valid file name.
pub fn scan_name(item: &str) -> String {
    let words: String = item
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .take(120)
        .collect();
    format!("{} - bản quét.pdf", words.trim())
}

/// The name of several images made one document: the first one's, as a PDF.
pub fn joined_name(paths: &[PathBuf]) -> String {
    let stem = paths
        .first()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "giay-to".to_string());
    format!("{stem}.pdf")
}

/// The document `source` gives, for `item`, under `settings`.
fn make(
    source: Source<'_>,
    item: &str,
    settings: &DocumentSettings,
) -> Result<NewDocument, AttachError> {
    let profile = Profile::from_settings(settings);
    let limits = &settings.limits;
    let failed = |e: &dyn std::fmt::Display| AttachError::Document(e.to_string());
    match source {
        Source::Files { paths, name } => match (paths, name) {
            ([one], None) => documents::import_file(one, &profile, limits),
            (paths, name) => {
                let name = name.unwrap_or_else(|| joined_name(paths));
                documents::import_files(&name, paths, &profile, limits)
            }
        }
        .map_err(|e| failed(&e)),
        Source::Scanner {
            feeder,
            name,
            cancel,
        } => {
            let job = crate::scan::ScanJob::from_settings(settings, feeder);
            let pages = crate::scan::system_scanner()
                .scan(&job, cancel)
                .map_err(|e| failed(&e))?;
            let name = name.unwrap_or_else(|| scan_name(item));
            documents::pages_to_pdf(&name, &pages.pages, &profile, limits).map_err(|e| failed(&e))
        }
        Source::NewestScan => {
            let folder = settings
                .scan_folder
                .as_deref()
                .ok_or(AttachError::NoScanFolder)?;
            let newest = crate::scan::newest_in_folder(folder)
                .map_err(|e| failed(&e))?
                .ok_or(AttachError::ScanFolderEmpty)?;
            documents::import_file(&newest, &profile, limits).map_err(|e| failed(&e))
        }
    }
}

impl Desk {
    /// Makes a document from `source` with the desk's document settings and attaches
    /// it to dossier `code` under `item`. The store is held only for the attach.
    pub fn attach_from(
        &self,
        code: &str,
        item: &str,
        source: Source<'_>,
        clerk: &str,
    ) -> Result<(Written, Sha256Hex), AttachError> {
        let settings = self.document_settings()?;
        let doc = make(source, item, &settings)?;
        let sha = Sha256Hex::of(&doc.bytes);
        Ok((self.attach(code, item, doc, clerk)?, sha))
    }

    /// Thumbnails of the first `pages` pages of the stored file `sha` (at most `side`
    /// pixels a side); `Err` when this desk has no copy or the file cannot be drawn.
    pub fn thumbnails(
        &self,
        sha: &Sha256Hex,
        side: u32,
        pages: usize,
    ) -> Result<Vec<Thumbnail>, String> {
        let path = self
            .document_path(sha)
            .ok_or_else(|| "Tệp chưa có trên máy này".to_string())?;
        thumbnails_of(&path, side, pages)
    }

    /// Prints the stored document `sha` (this desk's copy, else the centre's, fetched
    /// now) on `printer`. Nothing of the store is held while the printer answers.
    pub fn print_document(
        &self,
        file: &FileRef,
        printer: &str,
    ) -> Result<cups::Job, PrintDocumentError> {
        let path = self
            .open_document_blocking(&file.sha256)
            .map_err(|e| PrintDocumentError::Fetch(e.to_string()))?;
        // Windows: the pages drawn through GDI, as the forms are; elsewhere CUPS takes
        // the PDF as it is.
        #[cfg(windows)]
        let job = std::fs::read(&path)
            .map_err(|e| cups::PrinterError::Windows(format!("{}: {e}", path.display())))
            .and_then(|pdf| {
                crate::print::gdi::device::print_document(printer, &file.name, &pdf, file.pages)
            });
        #[cfg(not(windows))]
        let job = cups::submit(printer, 1, &path);
        job.map_err(|e| PrintDocumentError::Printer(e.to_string()))
    }
}

/// Why a stored document was not printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintDocumentError {
    /// The file is neither here nor fetchable from the centre now.
    Fetch(String),
    /// The printer refused the job.
    Printer(String),
}

/// Drawn in a child process stopped at its budget (`documents::render_child`), so a
/// file that never finishes drawing gives a message, never a hung window.
fn thumbnails_of(path: &Path, side: u32, pages: usize) -> Result<Vec<Thumbnail>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    render_child::thumbnails_isolated(&bytes, side, pages).map_err(|e| e.to_string())
}

/// The child side of `thumbnails_of` (`motcua render-thumbnails`, hidden): the PDF on
/// standard input, the pictures on standard output, within `cpu_seconds` and
/// `memory_bytes`.
pub fn serve_thumbnail_child(
    side: u32,
    pages: usize,
    cpu_seconds: u64,
    memory_bytes: u64,
) -> Result<(), String> {
    let budget = render_child::RenderBudget {
        cpu_seconds,
        memory_bytes,
        ..render_child::RenderBudget::default()
    };
    let (mut input, mut output) = (std::io::stdin().lock(), std::io::stdout().lock());
    render_child::serve_child(&mut input, &mut output, side, pages, &budget)
        .map_err(|e| format!("không gửi được trang xem trước: {e}"))
}
