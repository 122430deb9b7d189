//! The document profile of a desk: how pages are scanned (mode, resolution, bounds)
//! and the limits a document must keep. Plain values: the desk reads them from its
//! settings (`desk::settings`), the document pipeline and the scanners use them.

use crate::domain::document::DocumentLimits;

/// Scan resolutions a desk may choose, dots per inch.
pub const SCAN_DPI_RANGE: std::ops::RangeInclusive<u32> = 100..=600;
/// The resolution when none is chosen: a greyscale A4 text page stays small and legible.
pub const DEFAULT_SCAN_DPI: u32 = 200;
/// Free disk space (MB) under which the desk warns, when none is chosen.
pub const DEFAULT_DISK_WARN_MB: u64 = 2048;

/// How pages are scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    Grey,
    Colour,
    BlackWhite,
}

impl ScanMode {
    pub fn parse(value: &str) -> Option<ScanMode> {
        match value.trim() {
            "grey" | "gray" => Some(ScanMode::Grey),
            "colour" | "color" => Some(ScanMode::Colour),
            "black-white" | "lineart" => Some(ScanMode::BlackWhite),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScanMode::Grey => "grey",
            ScanMode::Colour => "colour",
            ScanMode::BlackWhite => "black-white",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ScanMode::Grey => "Thang xám",
            ScanMode::Colour => "Màu",
            ScanMode::BlackWhite => "Đen trắng",
        }
    }
}

/// The document settings with their defaults applied; a value out of range falls
/// back to the default, and the limits never exceed `DocumentLimits::CEILING`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSettings {
    pub scan_dpi: u32,
    pub scan_mode: ScanMode,
    pub scanner: Option<String>,
    pub scan_folder: Option<std::path::PathBuf>,
    pub limits: DocumentLimits,
    /// Free space (bytes) under which the desk warns.
    pub disk_warn_bytes: u64,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        DocumentSettings {
            scan_dpi: DEFAULT_SCAN_DPI,
            scan_mode: ScanMode::Grey,
            scanner: None,
            scan_folder: None,
            limits: DocumentLimits::default(),
            disk_warn_bytes: DEFAULT_DISK_WARN_MB * 1024 * 1024,
        }
    }
}
