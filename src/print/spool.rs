//! Sending a saved form to the platform's print system: CUPS `lp` with the PDF on
//! Linux and macOS; on Windows the pages themselves are drawn for the chosen printer
//! (GDI), so no PDF reader has to be installed.

use std::path::Path;

use crate::print::cups::{Job, PrinterError};
use crate::print::layout::Page;

/// Prints the form whose PDF was saved at `pdf` and whose pages are `pages`.
pub fn submit(
    printer: &str,
    copies: u32,
    pdf: &Path,
    title: &str,
    pages: &[Page],
) -> Result<Job, PrinterError> {
    if !(1..=99).contains(&copies) {
        return Err(PrinterError::Copies(copies));
    }
    #[cfg(windows)]
    {
        let _ = pdf;
        crate::print::gdi::device::print(printer, title, pages, copies)
    }
    #[cfg(not(windows))]
    {
        let _ = (title, pages);
        crate::print::cups::submit(printer, copies, pdf)
    }
}

/// The printers a clerk can choose from in Cài đặt.
pub fn printers() -> Vec<String> {
    #[cfg(windows)]
    {
        crate::print::gdi::device::printers()
    }
    #[cfg(not(windows))]
    {
        crate::print::cups::printers()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_checked_before_any_print_system_is_asked() {
        for copies in [0, 100] {
            assert_eq!(
                submit("PDF", copies, Path::new("không-có.pdf"), "Mẫu 01", &[]),
                Err(PrinterError::Copies(copies))
            );
        }
    }
}
