//! Small pictures of a PDF's pages for the detail screen. Every page is drawn by
//! `page_render`; a page it cannot draw within bounds is decoded from its one image when
//! it is one (JPEG or the 1/4-bit grey pages this desk makes), else shown as a plain
//! placeholder in the page's proportions.

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
    let pages: Vec<ObjectId> = doc.get_pages().values().take(max_pages).copied().collect();
    // Every page is drawn (for a scanned page too this is faster than decoding its
    // image at full size and shrinking it); a page that cannot be drawn within bounds
    // falls back to decoding its one image, and failing that to the placeholder.
    let mut shown: Vec<Option<Thumbnail>> = vec![None; pages.len()];
    super::page_render::render_missing(pdf, &doc, &pages, &mut shown, max_side);
    Ok(shown
        .into_iter()
        .zip(&pages)
        .map(|(t, id)| {
            t.or_else(|| page_image(&doc, *id).map(|img| shrink(img, max_side)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mau01() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/documents/mau01-a4.pdf"
        );
        std::fs::read(path).expect("fixture")
    }

    #[test]
    fn a_text_page_is_rendered_not_the_placeholder() {
        let thumbs = thumbnails(&mau01(), 200, 1).expect("thumbnails");
        let stand_in = placeholder(842.0 / 595.0, 200);
        assert_eq!(
            (thumbs[0].width, thumbs[0].height),
            (stand_in.width, stand_in.height)
        );
        assert_ne!(thumbs[0], stand_in);
        let (got, stand_in) = (thumbs[0].mean_luma(), stand_in.mean_luma());
        assert!(
            (got - stand_in).abs() > 1.0,
            "mean luma {got} vs {stand_in}"
        );
    }

    /// Two A4 pages: the first's contents inflate to 40 MiB (a "zip bomb"), the second
    /// paints a black square over its top-left quarter.
    fn bomb_then_square() -> Vec<u8> {
        use std::io::Write;

        use flate2::{Compression, write::ZlibEncoder};
        use lopdf::{Object, Stream, dictionary};

        let mut bomb = ZlibEncoder::new(Vec::new(), Compression::fast());
        let spaces = vec![b' '; 1024 * 1024];
        for _ in 0..40 {
            bomb.write_all(&spaces).expect("compresses");
        }
        let bomb = bomb.finish().expect("compresses");
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let contents = [
            Stream::new(dictionary! { "Filter" => "FlateDecode" }, bomb),
            Stream::new(dictionary! {}, b"0 g 0 421 298 421 re f".to_vec()),
        ];
        let kids: Vec<Object> = contents
            .into_iter()
            .map(|c| {
                let c = doc.add_object(c);
                doc.add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages, "Contents" => c,
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                })
                .into()
            })
            .collect();
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Count" => 2, "Kids" => kids }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("saves");
        out
    }

    #[test]
    fn a_page_refused_by_the_bounds_gets_the_placeholder_and_the_next_is_drawn() {
        let thumbs = thumbnails(&bomb_then_square(), 100, 10).expect("thumbnails");
        assert_eq!(thumbs.len(), 2);
        assert_eq!(thumbs[0], placeholder(595.0 / 842.0, 100));
        let t = &thumbs[1];
        assert_eq!((t.width, t.height), (71, 100));
        let luma = |x: u32, y: u32| t.rgba[((y * t.width + x) * 4) as usize];
        assert!(luma(10, 10) < 30, "the square is black");
        assert!(luma(60, 80) > 225, "the rest is paper");
    }
}
