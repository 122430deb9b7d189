//! The Windows seam. Scanning through WIA (Windows Image Acquisition) is future work;
//! until then a Windows desk takes scans from the scan folder a scanner writes into.

use std::sync::atomic::AtomicBool;

use super::{ScanDevice, ScanError, ScanJob, ScannedPages, Scanner};

#[derive(Debug, Clone, Copy, Default)]
pub struct WiaScanner;

impl Scanner for WiaScanner {
    fn scan(&self, _job: &ScanJob, _cancel: &AtomicBool) -> Result<ScannedPages, ScanError> {
        Err(ScanError::NotSupported)
    }

    fn devices(&self) -> Result<Vec<ScanDevice>, ScanError> {
        Err(ScanError::NotSupported)
    }
}
