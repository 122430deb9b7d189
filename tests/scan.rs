//! Digitised documents from the desk's side (issue 15): real files imported through the
//! pipeline (a PDF printed by motcua itself, a photo, a page rendered at 200 dpi), every
//! kind of bad input refused with its Vietnamese message and nothing written, scans
//! through SANE's own `test` device read back from the PDF they became, and the scan
//! folder of a network scanner.
//!
//! The SANE tests need `scanimage` (Debian `sane-utils`; `.ci/setup` installs it).
#![cfg(feature = "desk")]

mod common;

#[path = "scan/bad_input.rs"]
mod bad_input;
#[path = "scan/folder.rs"]
mod folder;
#[path = "scan/import.rs"]
mod import;
#[path = "scan/sane.rs"]
mod sane;

use std::path::{Path, PathBuf};

use lopdf::Document;

/// A committed fixture under tests/fixtures/documents.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/documents")
        .join(name)
}

/// Each page's size in points (width, height), read back from the PDF.
pub fn page_sizes(pdf: &[u8]) -> Vec<(f32, f32)> {
    let doc = Document::load_mem(pdf).expect("the PDF parses");
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).expect("page dictionary");
            let bbox = page
                .get(b"MediaBox")
                .and_then(|b| b.as_array())
                .expect("MediaBox");
            let n: Vec<f32> = bbox
                .iter()
                .map(|v| v.as_float().expect("a number"))
                .collect();
            (n[2] - n[0], n[3] - n[1])
        })
        .collect()
}

/// A4 in points, within half a point (pixels at 200 dpi round to ±0.18 pt).
pub fn is_a4_portrait((w, h): (f32, f32)) -> bool {
    (w - 595.3).abs() < 0.5 && (h - 841.9).abs() < 0.5
}

/// The share of inked pixels (luma < 200) in a thumbnail: 0 for a blank page.
pub fn dark_share(t: &motcua::documents::Thumbnail) -> f64 {
    let px = t.rgba.chunks_exact(4);
    let n = px.len().max(1) as f64;
    px.filter(|p| (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3 < 200)
        .count() as f64
        / n
}

/// Names of the entries of `dir`, sorted: to prove that a refusal wrote nothing.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
