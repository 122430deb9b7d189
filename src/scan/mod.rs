//! Scanning (desk only): one `Scanner` seam the window calls off the UI thread, with
//! SANE's `scanimage` behind it on Linux and TWAIN on Windows (`twain`, `windows`).
//! A scan produces page image files in a temporary folder; the document pipeline
//! (`documents::pages_to_pdf`) makes them one compact PDF. A network scanner that
//! writes into a shared folder is served by `newest_in_folder` instead.

mod folder;
mod process;
mod sane;
pub mod twain;
#[cfg(windows)]
mod windows;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use thiserror::Error;

pub use crate::domain::document_settings::ScanMode;
pub use folder::newest_in_folder;
/// Also built on Windows (where it finds no `scanimage`), so the seam is one type.
pub use sane::SaneScanner;
#[cfg(windows)]
pub use windows::TwainScanner;

/// What to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanJob {
    /// The device (e.g. SANE's `test:0`); `None`: the first one found.
    pub device: Option<String>,
    pub dpi: u32,
    pub mode: ScanMode,
    /// Take pages from the document feeder until it is empty; else one page from the glass.
    pub feeder: bool,
    /// Never more pages than this in one job.
    pub max_pages: u32,
}

impl ScanJob {
    /// A job as the desk's settings say (device, resolution, mode), at most as many
    /// pages as one document may have.
    pub fn from_settings(
        settings: &crate::domain::document_settings::DocumentSettings,
        feeder: bool,
    ) -> ScanJob {
        ScanJob {
            device: settings.scanner.clone(),
            dpi: settings.scan_dpi,
            mode: settings.scan_mode,
            feeder,
            max_pages: settings.limits.max_pages,
        }
    }
}

/// The pages of one job, as image files in a temporary folder that lives as long as
/// this value.
#[derive(Debug)]
pub struct ScannedPages {
    _dir: tempfile::TempDir,
    /// In the order scanned.
    pub pages: Vec<PathBuf>,
}

impl ScannedPages {
    pub fn new(dir: tempfile::TempDir, pages: Vec<PathBuf>) -> ScannedPages {
        ScannedPages { _dir: dir, pages }
    }
}

/// A scanner the desk can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanDevice {
    /// What `ScanJob::device` takes.
    pub name: String,
    /// Vendor and model, for the settings screen.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScanError {
    #[error(
        "Máy này chưa cài phần mềm quét (SANE, chương trình scanimage): nhờ kỹ thuật cài gói sane-utils, hoặc cho máy quét lưu vào thư mục quét"
    )]
    NoSoftware,
    #[error(
        "Không tìm thấy máy quét{0}: hãy kiểm tra máy quét đã bật, đã cắm cáp và chọn đúng máy trong Cài đặt"
    )]
    NoScanner(String),
    #[error("Máy quét báo lỗi: {0}. Hãy kiểm tra máy quét (giấy kẹt, nắp mở) rồi quét lại")]
    Device(String),
    #[error("Khay nạp giấy không có giấy: hãy đặt giấy vào khay rồi quét lại")]
    NoPaper,
    #[error("Máy quét không trả lời sau {0} giây: đã dừng quét; hãy kiểm tra máy quét rồi thử lại")]
    TimedOut(u64),
    #[error("Đã hủy quét")]
    Cancelled,
    #[error("Không dùng được thư mục tạm để quét ({0}): hãy kiểm tra ổ đĩa còn chỗ trống")]
    TempDir(String),
    #[error(
        "Không mở được thư mục quét '{folder}' ({detail}): hãy kiểm tra đường dẫn trong Cài đặt"
    )]
    Folder { folder: String, detail: String },
    #[error(
        "Quét trực tiếp trên Windows chưa được hỗ trợ: hãy cho máy quét lưu tệp vào thư mục quét rồi dùng «Lấy tệp mới nhất»"
    )]
    NotSupported,
}

/// Scanning as the desk does it.
pub trait Scanner: Send + Sync {
    /// Scans `job`'s pages; stops (and returns `Cancelled`) soon after `cancel` is set.
    fn scan(&self, job: &ScanJob, cancel: &AtomicBool) -> Result<ScannedPages, ScanError>;
    /// The scanners this machine can use.
    fn devices(&self) -> Result<Vec<ScanDevice>, ScanError>;
}

/// This system's scanner: SANE (`scanimage`) on Linux, TWAIN on Windows.
pub fn system_scanner() -> Box<dyn Scanner> {
    #[cfg(not(windows))]
    {
        Box::new(SaneScanner::default())
    }
    #[cfg(windows)]
    {
        Box::new(TwainScanner::default())
    }
}
