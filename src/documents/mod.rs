//! The document pipeline (desk only): turns what the clerk brings — a scan, an imported
//! PDF, JPEG or PNG — into a checked, compact `NewDocument` ready to attach.
//!
//! Nothing here writes: every check (size from metadata, magic bytes against the name,
//! PDF structure and encryption, image header dimensions) runs before the bytes are
//! returned, so a refused file leaves no trace. Imported PDFs are kept byte for byte;
//! images and scans become one PDF (one JPEG page per image, in order) at the profile's
//! resolution and mode.

mod compose;
mod error;
mod flate_page;
mod image_in;
mod levels;
mod page_render;
mod pdf_check;
mod pdf_unpack;
pub mod render_child;
mod render_guard;
mod sniff;
mod thumbnail;

use std::path::{Path, PathBuf};

pub use compose::{a4_pixels, fit_a4};
pub use error::IngestError;
pub use sniff::{kind_from_bytes, kind_from_name};
pub use thumbnail::{Thumbnail, thumbnails};

use crate::domain::document::{DocumentLimits, MediaType, NewDocument, check_name};
use crate::domain::document_settings::{DocumentSettings, ScanMode};

/// JPEG quality of scanned and imported pages (photos; text pages are usually smaller
/// as 16-level grey, see `flate_page`), figures in benches/document_figures.rs.
pub const DEFAULT_JPEG_QUALITY: u8 = 50;

/// How pages are made compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub dpi: u32,
    pub mode: ScanMode,
    /// 1–100.
    pub jpeg_quality: u8,
}

impl Profile {
    pub fn from_settings(s: &DocumentSettings) -> Profile {
        Profile {
            dpi: s.scan_dpi,
            mode: s.scan_mode,
            jpeg_quality: DEFAULT_JPEG_QUALITY,
        }
    }
}

impl Default for Profile {
    /// Greyscale, 200 dpi.
    fn default() -> Self {
        Profile::from_settings(&DocumentSettings::default())
    }
}

/// One file as a document: a PDF kept as it is after its checks; a JPEG or PNG made
/// into a one-page PDF named after it.
pub fn import_file(
    path: &Path,
    profile: &Profile,
    limits: &DocumentLimits,
) -> Result<NewDocument, IngestError> {
    let checked = sniff::read_checked(path, limits)?;
    let name = sniff::display_name(path);
    match checked.kind {
        MediaType::Pdf => {
            let pages = pdf_check::check_pdf(&name, &checked.bytes)?;
            finish(&name, &name, checked.bytes, pages, limits)
        }
        MediaType::Jpeg | MediaType::Png => {
            let page = image_page(&name, checked.kind, &checked.bytes, profile, limits)?;
            let pdf = compose::build_pdf(&[page], profile.dpi)?;
            finish(&name, &pdf_name(path), pdf, 1, limits)
        }
    }
}

/// A stored document's bytes that did not come from this desk's own import (a file
/// fetched from the centre, attached by another desk) checked as an imported PDF is:
/// size, magic bytes, the PDF's structure and bounds, and the page count its event gives.
pub fn check_received(
    name: &str,
    bytes: &[u8],
    pages: u32,
    limits: &DocumentLimits,
) -> Result<(), IngestError> {
    sniff::check_size(name, bytes.len() as u64, limits)?;
    let actual = sniff::kind_from_bytes(&bytes[..bytes.len().min(1024)]);
    if actual != Some(MediaType::Pdf) {
        return Err(IngestError::NotWhatItSays {
            name: name.into(),
            claimed: "PDF",
            actual: actual.map_or_else(String::new, |k| format!(", mà là {}", k.label())),
        });
    }
    let found = pdf_check::check_pdf(name, bytes)?;
    if found != pages {
        return Err(IngestError::BrokenPdf {
            name: name.into(),
            detail: format!("có {found} trang, hồ sơ ghi {pages} trang"),
        });
    }
    if found > limits.max_pages {
        return Err(IngestError::TooManyPages {
            name: name.into(),
            pages: found,
            limit: limits.max_pages,
        });
    }
    Ok(())
}

/// Several images (JPEG, PNG) as one PDF, one page each, in the order given. A single
/// file is imported as `import_file` does, under `name`.
pub fn import_files(
    name: &str,
    paths: &[PathBuf],
    profile: &Profile,
    limits: &DocumentLimits,
) -> Result<NewDocument, IngestError> {
    match paths {
        [] => Err(IngestError::NoFiles),
        [one] => {
            let mut doc = import_file(one, profile, limits)?;
            doc.name = check_name(&with_pdf_extension(name))?;
            Ok(doc)
        }
        many => {
            for path in many {
                if sniff::kind_from_name(path) == Some(MediaType::Pdf) {
                    return Err(IngestError::PdfInBatch {
                        name: sniff::display_name(path),
                    });
                }
            }
            images_to_pdf(name, many, profile, limits)
        }
    }
}

/// Scanned pages (image files, as a scanner wrote them) as one PDF in order.
pub fn pages_to_pdf(
    name: &str,
    pages: &[PathBuf],
    profile: &Profile,
    limits: &DocumentLimits,
) -> Result<NewDocument, IngestError> {
    if pages.is_empty() {
        return Err(IngestError::NoFiles);
    }
    images_to_pdf(name, pages, profile, limits)
}

fn images_to_pdf(
    name: &str,
    paths: &[PathBuf],
    profile: &Profile,
    limits: &DocumentLimits,
) -> Result<NewDocument, IngestError> {
    let shown = with_pdf_extension(name);
    let count = u32::try_from(paths.len()).unwrap_or(u32::MAX);
    if count > limits.max_pages {
        return Err(IngestError::TooManyPages {
            name: shown,
            pages: count,
            limit: limits.max_pages,
        });
    }
    let checked_name = check_name(&shown)?;
    // One page decoded at a time: only the encoded pages are held together.
    let mut encoded = Vec::with_capacity(paths.len());
    for path in paths {
        let checked = sniff::read_checked(path, limits)?;
        let file = sniff::display_name(path);
        if checked.kind == MediaType::Pdf {
            return Err(IngestError::PdfInBatch { name: file });
        }
        encoded.push(image_page(
            &file,
            checked.kind,
            &checked.bytes,
            profile,
            limits,
        )?);
    }
    let pdf = compose::build_pdf(&encoded, profile.dpi)?;
    finish(&checked_name, &checked_name, pdf, count, limits)
}

fn image_page(
    name: &str,
    kind: MediaType,
    bytes: &[u8],
    profile: &Profile,
    limits: &DocumentLimits,
) -> Result<compose::PageImage, IngestError> {
    let image = image_in::decode(name, kind, bytes, limits)?;
    compose::encode_page(image, profile)
}

/// The finished document, its size and page count checked once more.
fn finish(
    source: &str,
    name: &str,
    bytes: Vec<u8>,
    pages: u32,
    limits: &DocumentLimits,
) -> Result<NewDocument, IngestError> {
    sniff::check_size(source, bytes.len() as u64, limits)?;
    if pages > limits.max_pages {
        return Err(IngestError::TooManyPages {
            name: source.into(),
            pages,
            limit: limits.max_pages,
        });
    }
    Ok(NewDocument {
        name: check_name(name)?,
        media_type: MediaType::Pdf,
        bytes,
        pages,
    })
}

/// "CCCD mặt trước.jpg" → "CCCD mặt trước.pdf": the stored file is a PDF.
fn pdf_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{stem}.pdf")
}

fn with_pdf_extension(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name.to_ascii_lowercase().ends_with(".pdf") {
        name.to_string()
    } else {
        format!("{name}.pdf")
    }
}
