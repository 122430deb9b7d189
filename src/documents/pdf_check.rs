//! The checks an imported PDF passes before it is kept byte for byte: it parses, it is
//! not encrypted, it is complete, every page is reachable, and it has a page count.

use lopdf::{Document, LoadOptions};

use super::IngestError;
use super::pdf_unpack::{self, MAX_LOAD_UNPACKED};

/// Parses `bytes` and returns the PDF's page count.
pub fn check_pdf(name: &str, bytes: &[u8]) -> Result<u32, IngestError> {
    let broken = |detail: &str| IngestError::BrokenPdf {
        name: name.into(),
        detail: detail.into(),
    };
    // A file cut short (an interrupted copy or download) has lost its trailer.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(broken("thiếu phần cuối tệp"));
    }
    // The whole file's unpacked size first, counted without keeping anything: lopdf's
    // own cap is per stream, and it keeps what it unpacks.
    if pdf_unpack::measure(bytes).is_err() {
        return Err(IngestError::PdfBomb { name: name.into() });
    }
    // Still capped per stream, for any stream the lexical count could not see.
    let options = LoadOptions {
        max_decompressed_size: usize::try_from(MAX_LOAD_UNPACKED).ok(),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(_) if declares_encryption(bytes) => {
            return Err(IngestError::EncryptedPdf { name: name.into() });
        }
        Err(e) => return Err(broken(&short(&e.to_string()))),
    };
    // Refused even when it opens with an empty password: the centre, the other desks
    // and the national portal must be able to read it without one.
    if doc.was_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(IngestError::EncryptedPdf { name: name.into() });
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(broken("không có trang nào"));
    }
    // Every page of the tree must be there (a missing object means a damaged file).
    for id in pages.values() {
        doc.get_dictionary(*id)
            .map_err(|_| broken("có trang không đọc được"))?;
    }
    u32::try_from(pages.len()).map_err(|_| broken("quá nhiều trang"))
}

/// Whether the trailer names an `/Encrypt` dictionary, for PDFs lopdf cannot open.
fn declares_encryption(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    tail.windows(8).any(|w| w == b"/Encrypt")
}

fn short(text: &str) -> String {
    text.chars().take(120).collect()
}
