//! Biểu 06 as a file: read from the store (the only step that holds it; Ctrl+C or the
//! window's Cancel stops it), then rendered and written with the store released, so an
//! intake never waits behind an export. The window's dashboard and `motcua report`
//! write to the same place.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::desk::Desk;
use crate::domain::report::{Period, Report};
use crate::store::StoreError;

/// The formats Biểu 06 is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Xlsx,
    Pdf,
    Csv,
}

impl ReportFormat {
    pub fn ext(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Csv => "csv",
        }
    }

    /// The report as the file's bytes.
    pub fn bytes(self, report: &Report) -> Result<Vec<u8>, String> {
        match self {
            ReportFormat::Xlsx => {
                crate::report::xlsx::workbook_bytes(report).map_err(|e| e.to_string())
            }
            ReportFormat::Pdf => crate::report::pdf::pdf_bytes(report).map_err(|e| e.to_string()),
            ReportFormat::Csv => {
                let mut out = Vec::new();
                crate::report::csv_out::write_csv(report, &mut out).map_err(|e| e.to_string())?;
                Ok(out)
            }
        }
    }
}

/// Why an export produced no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    Cancelled,
    Failed(String),
}

impl Desk {
    /// Writes Biểu 06 of `period` as `format` into the reports folder (atomically: an
    /// interrupted export never leaves half a file under the name). `rows` counts the
    /// dossiers read so far; `cancel` stops the reading.
    pub fn export_report(
        &self,
        period: Period,
        format: ReportFormat,
        rows: &AtomicU64,
        cancel: &AtomicBool,
    ) -> Result<PathBuf, ExportError> {
        let report = self
            .report(period, cancel, |n| rows.store(n, Ordering::Relaxed))
            .map_err(|e| match e {
                StoreError::Cancelled => ExportError::Cancelled,
                e => ExportError::Failed(e.to_string()),
            })?;
        // The store is released: rendering a year's PDF holds up nobody.
        if cancel.load(Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        let bytes = format.bytes(&report).map_err(ExportError::Failed)?;
        let path = self.report_path(&period, format.ext());
        crate::files::write_atomically(&path, &bytes).map_err(|e| {
            ExportError::Failed(format!("Không ghi được tệp {}: {e}", path.display()))
        })?;
        Ok(path)
    }
}
