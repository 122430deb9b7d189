//! Pages (scans, photos) into one compact PDF: each page is one image drawn over the
//! whole page, the page sized to the image at the profile's resolution. Colour pages
//! are JPEG (`DCTDecode`, kept as encoded); grey pages JPEG or 16-level grey, whichever
//! is smaller; black-and-white pages 1 bit per pixel (see `flate_page`).

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ExtendedColorType};
use lopdf::{Document, Object, Stream, dictionary};

use crate::domain::document_settings::ScanMode;

use super::{IngestError, Profile, flate_page, levels};

/// One page ready for the PDF: its pixels already encoded.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    pub encoding: Encoding,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    JpegGrey,
    JpegColour,
    /// Grey at 4 bits (16 levels) or 1 bit (black and white), PNG-predicted, deflated.
    Flate {
        bits: u8,
    },
}

/// The largest page in pixels at `dpi`: A4 (210 × 297 mm), in the image's orientation.
pub fn a4_pixels(dpi: u32, landscape: bool) -> (u32, u32) {
    let px = |mm: f64| (mm / 25.4 * f64::from(dpi)).round() as u32;
    let (w, h) = (px(210.0), px(297.0));
    if landscape { (h, w) } else { (w, h) }
}

/// Scales an image down (never up) to fit A4 at `dpi`, keeping its proportions.
pub fn fit_a4(image: DynamicImage, dpi: u32) -> DynamicImage {
    let (w, h) = (image.width(), image.height());
    let (max_w, max_h) = a4_pixels(dpi, w > h);
    if w <= max_w && h <= max_h {
        return image;
    }
    let scale = (f64::from(max_w) / f64::from(w)).min(f64::from(max_h) / f64::from(h));
    let nw = ((f64::from(w) * scale).round() as u32).clamp(1, max_w);
    let nh = ((f64::from(h) * scale).round() as u32).clamp(1, max_h);
    image.resize_exact(nw, nh, FilterType::Triangle)
}

/// Fits and encodes one decoded page in the profile's mode. A grey page has its paper
/// made white (`levels`) and is kept as JPEG or as 16-level grey, whichever is smaller
/// (text pages: the latter, photos: JPEG).
pub fn encode_page(image: DynamicImage, profile: &Profile) -> Result<PageImage, IngestError> {
    let image = fit_a4(image, profile.dpi);
    let (width, height) = (image.width(), image.height());
    let page = |encoding, data| PageImage {
        width,
        height,
        encoding,
        data,
    };
    match profile.mode {
        ScanMode::Grey => {
            let mut grey = image.to_luma8();
            levels::paper_to_white(&mut grey);
            let jpeg = jpeg(grey.as_raw(), width, height, ExtendedColorType::L8, profile)?;
            let flate = flate_page::encode(&grey, 4)?;
            Ok(if flate.len() < jpeg.len() {
                page(Encoding::Flate { bits: 4 }, flate)
            } else {
                page(Encoding::JpegGrey, jpeg)
            })
        }
        ScanMode::Colour => {
            let rgb = image.to_rgb8();
            let data = jpeg(
                rgb.as_raw(),
                width,
                height,
                ExtendedColorType::Rgb8,
                profile,
            )?;
            Ok(page(Encoding::JpegColour, data))
        }
        ScanMode::BlackWhite => {
            let mut grey = image.to_luma8();
            levels::paper_to_white(&mut grey);
            Ok(page(
                Encoding::Flate { bits: 1 },
                flate_page::encode(&grey, 1)?,
            ))
        }
    }
}

fn jpeg(
    pixels: &[u8],
    width: u32,
    height: u32,
    colour: ExtendedColorType,
    profile: &Profile,
) -> Result<Vec<u8>, IngestError> {
    let mut data = Vec::new();
    JpegEncoder::new_with_quality(&mut data, profile.jpeg_quality.clamp(1, 100))
        .encode(pixels, width, height, colour)
        .map_err(|e| IngestError::Encode(e.to_string()))?;
    Ok(data)
}

/// The PDF of `pages` in order, each page sized to its image at `dpi`.
pub fn build_pdf(pages: &[PageImage], dpi: u32) -> Result<Vec<u8>, IngestError> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::with_capacity(pages.len());
    for page in pages {
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(page.width),
            "Height" => i64::from(page.height),
        };
        match page.encoding {
            Encoding::JpegGrey | Encoding::JpegColour => {
                let rgb = page.encoding == Encoding::JpegColour;
                dict.set("ColorSpace", if rgb { "DeviceRGB" } else { "DeviceGray" });
                dict.set("BitsPerComponent", 8);
                dict.set("Filter", "DCTDecode");
            }
            Encoding::Flate { bits } => {
                dict.set("ColorSpace", "DeviceGray");
                dict.set("BitsPerComponent", i64::from(bits));
                dict.set("Filter", "FlateDecode");
                dict.set(
                    "DecodeParms",
                    dictionary! {
                        "Predictor" => 15,
                        "Colors" => 1,
                        "BitsPerComponent" => i64::from(bits),
                        "Columns" => i64::from(page.width),
                    },
                );
            }
        }
        let image = Stream::new(dict, page.data.clone()).with_compression(false);
        let image_id = doc.add_object(image);
        let to_pt = |px: u32| (f64::from(px) * 72.0 / f64::from(dpi)) as f32;
        let (pw, ph) = (to_pt(page.width), to_pt(page.height));
        let content = format!("q {pw:.3} 0 0 {ph:.3} 0 0 cm /Im0 Do Q");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
            "Contents" => content_id,
        });
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| IngestError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_at_200_dpi_is_1654_by_2339() {
        assert_eq!(a4_pixels(200, false), (1654, 2339));
        assert_eq!(a4_pixels(200, true), (2339, 1654));
        assert_eq!(a4_pixels(300, false), (2480, 3508));
    }

    #[test]
    fn an_oversized_photo_is_scaled_to_fit_a4_and_a_small_one_is_kept() {
        let photo = DynamicImage::new_luma8(4000, 3000);
        let fitted = fit_a4(photo, 200);
        assert_eq!((fitted.width(), fitted.height()), (2205, 1654));
        let small = fit_a4(DynamicImage::new_luma8(800, 600), 200);
        assert_eq!((small.width(), small.height()), (800, 600));
    }
}
