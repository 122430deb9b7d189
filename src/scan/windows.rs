//! Scanning on Windows through TWAIN (`crate::platform::windows::twain` does the calls):
//! the session runs on its own thread, bounded by a stall timeout like SANE's, and each
//! page is written as a PNG into the job's temporary folder as it arrives, so the
//! pages go into the same pipeline as SANE's.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::sane::DEFAULT_STALL_TIMEOUT;
use super::twain::{PageLimit, TwainFailure, pixel_type, run_bounded, scan_error};
use super::{ScanDevice, ScanError, ScanJob, ScannedPages, Scanner};
use crate::domain::document::DocumentLimits;
use crate::platform::windows::twain::{Request, acquire, sources};

#[derive(Debug, Clone)]
pub struct TwainScanner {
    stall_timeout: Duration,
    /// Memory transfer (strips) instead of native (one DIB a page).
    memory: bool,
}

impl Default for TwainScanner {
    fn default() -> Self {
        TwainScanner {
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            // `MOTCUA_TWAIN_TRANSFER=memory` for a driver whose native transfer fails.
            memory: std::env::var("MOTCUA_TWAIN_TRANSFER").is_ok_and(|v| v == "memory"),
        }
    }
}

impl Scanner for TwainScanner {
    fn scan(&self, job: &ScanJob, cancel: &AtomicBool) -> Result<ScannedPages, ScanError> {
        let dir = tempfile::Builder::new()
            .prefix("motcua-scan-")
            .tempdir()
            .map_err(|e| ScanError::TempDir(e.to_string()))?;
        let request = Request {
            source: job.device.clone(),
            dpi: job.dpi,
            pixel_type: pixel_type(job.mode),
            feeder: job.feeder,
            max_pages: if job.feeder { job.max_pages.max(1) } else { 1 },
            memory: self.memory,
            limit: PageLimit {
                max_pixels: DocumentLimits::CEILING.max_pixels,
                max_side: DocumentLimits::CEILING.max_side,
            },
        };
        let folder = dir.path().to_path_buf();
        let pages = run_bounded(
            move |watch| {
                let mut written = Vec::new();
                acquire(&request, watch, &mut |image| {
                    let path = folder.join(format!("page-{:04}.png", written.len() + 1));
                    image
                        .save_with_format(&path, image::ImageFormat::Png)
                        .map_err(|e| TwainFailure::Write(e.to_string()))?;
                    written.push(path);
                    Ok(())
                })?;
                Ok(written)
            },
            cancel,
            self.stall_timeout,
        )
        .map_err(|f| scan_error(f, job.device.as_deref()))?;
        if pages.is_empty() {
            return Err(ScanError::Device("không nhận được trang nào".into()));
        }
        Ok(ScannedPages::new(dir, pages))
    }

    /// The TWAIN sources (the settings take a source's product name).
    fn devices(&self) -> Result<Vec<ScanDevice>, ScanError> {
        let names = run_bounded(|_| sources(), &AtomicBool::new(false), self.stall_timeout)
            .map_err(|f| scan_error(f, None))?;
        Ok(names
            .into_iter()
            .map(|name| ScanDevice {
                label: format!("{name} (TWAIN)"),
                name,
            })
            .collect())
    }
}
