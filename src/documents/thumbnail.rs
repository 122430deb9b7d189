//! Small pictures of a PDF's pages for the detail screen. Pages this desk made (one
//! image per page: JPEG or 1-bit) are decoded from that image; any other page (an
//! imported PDF with text and drawings) is shown as a plain page placeholder in the
//! page's proportions, since drawing arbitrary PDF content needs a full renderer.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use lopdf::{Document, LoadOptions, ObjectId};

use super::IngestError;
use crate::domain::document::DocumentLimits;

/// An RGBA picture of one page, at most `max_side` pixels on its longer side.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    /// 4 bytes a pixel, rows top to bottom.
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thumbnail({}×{})", self.width, self.height)
    }
}

impl Thumbnail {
    /// Mean brightness (0–255) of the picture, e.g. to tell a blank page.
    pub fn mean_luma(&self) -> f64 {
        let px = self.rgba.chunks_exact(4);
        let n = px.len().max(1) as f64;
        px.map(|p| (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) as f64 / 3.0)
            .sum::<f64>()
            / n
    }
}

const NAME: &str = "tệp PDF";

/// Thumbnails of the first `max_pages` pages of `pdf`.
pub fn thumbnails(
    pdf: &[u8],
    max_side: u32,
    max_pages: usize,
) -> Result<Vec<Thumbnail>, IngestError> {
    let max_side = max_side.clamp(16, 2048);
    let options = LoadOptions {
        max_decompressed_size: Some(256 * 1024 * 1024),
        ..LoadOptions::default()
    };
    let doc =
        Document::load_mem_with_options(pdf, options).map_err(|e| IngestError::BrokenPdf {
            name: NAME.into(),
            detail: e.to_string().chars().take(120).collect(),
        })?;
    if doc.was_encrypted() {
        return Err(IngestError::EncryptedPdf { name: NAME.into() });
    }
    Ok(doc
        .get_pages()
        .values()
        .take(max_pages)
        .map(|id| {
            page_image(&doc, *id)
                .map(|img| shrink(img, max_side))
                .unwrap_or_else(|| placeholder(page_ratio(&doc, *id), max_side))
        })
        .collect())
}

/// The page's one image, when the page is a single image (a scan or photo page).
fn page_image(doc: &Document, page: ObjectId) -> Option<DynamicImage> {
    let images = doc.get_page_images(page).ok()?;
    let [image] = images.as_slice() else {
        return None;
    };
    let (w, h) = (
        u32::try_from(image.width).ok()?,
        u32::try_from(image.height).ok()?,
    );
    let limits = DocumentLimits::default();
    if w == 0 || h == 0 || w > limits.max_side || h > limits.max_side {
        return None;
    }
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return None;
    }
    let filters = image.filters.clone().unwrap_or_default();
    match filters.as_slice() {
        [f] if f == "DCTDecode" => {
            let mut reader =
                ImageReader::with_format(Cursor::new(image.content), ImageFormat::Jpeg);
            let mut bounds = Limits::default();
            bounds.max_image_width = Some(w);
            bounds.max_image_height = Some(h);
            reader.limits(bounds);
            reader.decode().ok()
        }
        // This desk's grey and black-and-white pages: the PNG stream they came from.
        [f] if f == "FlateDecode" => {
            let bits = u8::try_from(image.bits_per_component?).ok()?;
            let predicted = image
                .origin_dict
                .get(b"DecodeParms")
                .and_then(|p| p.as_dict())
                .and_then(|p| p.get(b"Predictor"))
                .and_then(|p| p.as_i64())
                .is_ok_and(|p| p >= 10);
            if !predicted
                || !matches!(bits, 1 | 4)
                || image.color_space.as_deref() != Some("DeviceGray")
            {
                return None;
            }
            let file = super::flate_page::as_png_file(w, h, bits, image.content);
            let mut reader = ImageReader::with_format(Cursor::new(file), ImageFormat::Png);
            let mut bounds = Limits::default();
            bounds.max_image_width = Some(w);
            bounds.max_image_height = Some(h);
            reader.limits(bounds);
            reader.decode().ok()
        }
        _ => None,
    }
}

fn shrink(image: DynamicImage, max_side: u32) -> Thumbnail {
    let small = image.thumbnail(max_side, max_side).to_rgba8();
    Thumbnail {
        width: small.width(),
        height: small.height(),
        rgba: small.into_raw(),
    }
}

/// Width over height of the page's MediaBox (inherited from its parents), A4 if none.
fn page_ratio(doc: &Document, page: ObjectId) -> f64 {
    let a4 = 210.0 / 297.0;
    let mut node = doc.get_dictionary(page).ok();
    for _ in 0..32 {
        let Some(dict) = node else { break };
        if let Ok(bbox) = dict.get(b"MediaBox").and_then(|b| b.as_array()) {
            let n: Vec<f64> = bbox
                .iter()
                .filter_map(|v| v.as_float().ok().map(f64::from))
                .collect();
            if let [x0, y0, x1, y1] = n.as_slice() {
                let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
                if w > 1.0 && h > 1.0 {
                    return (w / h).clamp(0.1, 10.0);
                }
            }
            break;
        }
        node = dict
            .get(b"Parent")
            .and_then(|p| p.as_reference())
            .and_then(|id| doc.get_dictionary(id))
            .ok();
    }
    a4
}

/// A white page with a grey frame and grey "lines of text": clearly a stand-in.
fn placeholder(ratio: f64, max_side: u32) -> Thumbnail {
    let (w, h) = if ratio >= 1.0 {
        (
            max_side,
            ((f64::from(max_side) / ratio).round() as u32).max(8),
        )
    } else {
        (
            ((f64::from(max_side) * ratio).round() as u32).max(8),
            max_side,
        )
    };
    let margin = (w.min(h) / 8).max(2);
    let line = (h / 24).max(2);
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let frame = x == 0 || y == 0 || x == w - 1 || y == h - 1;
            let text = x >= margin
                && x < w - margin
                && y >= margin
                && y < h - margin
                && (y - margin) % (line * 2) < line / 2 + 1;
            let v = if frame {
                150
            } else if text {
                205
            } else {
                250
            };
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
    }
    Thumbnail {
        width: w,
        height: h,
        rgba,
    }
}
