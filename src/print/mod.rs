//! Official desk forms as PDF (design §5), and sending them to a printer.
//!
//! Each form is built from a plain input struct (see `forms`) into layout data —
//! pages of positioned, NFC-normalised text, rules and codes (`layout`) — which is
//! unit-tested without a PDF. `render` turns pages into a PDF with an embedded,
//! subsetted Liberation Serif (`fonts`); `gdi` draws the same pages on a Windows printer. The inputs can be filled from a stored
//! dossier (`fill`) or, for Mẫu 02 and 03 at the intake screen, from what the clerk
//! typed before any dossier code exists. `spool` sends a form to the platform's printer:
//! the saved PDF to CUPS (`cups`) or the pages through GDI on Windows (`gdi`).

pub mod blocks;
pub mod codes;
pub mod cups;
pub mod fill;
pub mod flow;
pub mod fonts;
pub mod forms;
pub mod gdi;
pub mod job;
pub mod layout;
pub mod render;
pub mod spool;
pub mod table;
pub mod wrap;

use thiserror::Error;

use crate::print::flow::Frame;
use crate::print::layout::{A4, A5};

/// Why a form could not be made or printed, worded for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrintError {
    #[error("Không tạo được biểu mẫu: {0}")]
    Layout(String),
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Printer(#[from] cups::PrinterError),
}

/// The paper a form is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// A5: one copy per sheet.
    A5,
    /// A4: Mẫu 01 puts both copies side by side with a cut line; the other notices
    /// use the whole A4 page.
    A4,
}

impl Paper {
    /// Reads `a5`, `a4` or `a4-two-up` (the `paper_layout` setting's values).
    pub fn parse(raw: &str) -> Option<Paper> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "a5" => Some(Paper::A5),
            "a4" | "a4-two-up" => Some(Paper::A4),
            _ => None,
        }
    }

    /// The setting value for this paper.
    pub fn setting_value(self) -> &'static str {
        match self {
            Paper::A5 => "a5",
            Paper::A4 => "a4-two-up",
        }
    }
}

/// Writes a PDF through a temporary file beside it, so a crash never leaves half a
/// PDF under the final name.
pub fn save_pdf(path: &std::path::Path, bytes: &[u8]) -> Result<(), PrintError> {
    crate::files::write_atomically(path, bytes)
        .map_err(|e| PrintError::Input(format!("không ghi được tệp {}: {e}", path.display())))
}

/// Many wards only have A4 laser printers.
pub const DEFAULT_PAPER: Paper = Paper::A4;

/// The frame and body text size of a notice (Mẫu 02–06) on `paper`.
pub(crate) fn notice_sheet(paper: Paper) -> (Frame, f32) {
    match paper {
        Paper::A5 => (
            Frame {
                size: A5,
                top: 9.0,
                bottom: 11.0,
                left: 14.0,
                right: 10.0,
            },
            11.0,
        ),
        // NĐ 30/2020 margins for A4: 20–25 top, 30–35 left, 15–20 right.
        Paper::A4 => (
            Frame {
                size: A4,
                top: 20.0,
                bottom: 20.0,
                left: 30.0,
                right: 15.0,
            },
            13.0,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_pdf_replaces_the_old_one_whole() {
        let dir = std::env::temp_dir().join(format!("motcua-save-{}", std::process::id()));
        let path = dir.join("sub/mau01.pdf");
        save_pdf(&path, b"%PDF-old").expect("saves");
        save_pdf(&path, b"%PDF-new").expect("saves again");
        assert_eq!(std::fs::read(&path).expect("reads"), b"%PDF-new");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn paper_settings_round_trip() {
        for p in [Paper::A5, Paper::A4] {
            assert_eq!(Paper::parse(p.setting_value()), Some(p));
        }
        assert_eq!(Paper::parse(" A4 "), Some(Paper::A4));
        assert_eq!(Paper::parse("letter"), None);
    }
}
