//! Biểu 06 as a file: read from the store (the only step that holds it; Ctrl+C or the
//! window's Cancel stops it), then rendered and written with the store released, so an
//! intake never waits behind an export. The window's dashboard and `motcua report`
//! write to the same place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::desk::Desk;
use crate::domain::report::{Period, Report};
use crate::store::StoreError;

/// The formats Biểu 06 is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Xlsx,
    #[cfg(feature = "desk")]
    Pdf,
    Csv,
    /// The terminal table (`motcua report`).
    Table,
}

impl ReportFormat {
    pub fn ext(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            #[cfg(feature = "desk")]
            ReportFormat::Pdf => "pdf",
            ReportFormat::Csv => "csv",
            ReportFormat::Table => "txt",
        }
    }

    /// The report as the file's bytes.
    pub fn bytes(self, report: &Report) -> Result<Vec<u8>, String> {
        match self {
            ReportFormat::Xlsx => {
                crate::report::xlsx::workbook_bytes(report).map_err(|e| e.to_string())
            }
            #[cfg(feature = "desk")]
            ReportFormat::Pdf => crate::report::pdf::pdf_bytes(report).map_err(|e| e.to_string()),
            ReportFormat::Csv => {
                let mut out = Vec::new();
                crate::report::csv_out::write_csv(report, &mut out).map_err(|e| e.to_string())?;
                Ok(out)
            }
            ReportFormat::Table => Ok(crate::report::table::render(report).into_bytes()),
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
        self.write_report(&report, format, None)
            .map_err(ExportError::Failed)
    }

    /// Renders `report` as `format` and writes it to `path`, or into the reports folder
    /// (atomically: an interrupted write never leaves half a file under the name).
    pub fn write_report(
        &self,
        report: &Report,
        format: ReportFormat,
        path: Option<&Path>,
    ) -> Result<PathBuf, String> {
        let bytes = format.bytes(report)?;
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => self.report_path(&report.period, format.ext()),
        };
        crate::files::write_atomically(&path, &bytes)
            .map_err(|e| format!("Không ghi được tệp {}: {e}", path.display()))?;
        Ok(path)
    }
}
