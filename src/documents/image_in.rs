//! Reading an image safely: its dimensions come from the header alone and are checked
//! against the limits BEFORE any pixel is decoded, so a small file claiming
//! 60,000 × 60,000 pixels costs nothing. Phone photos are turned upright (EXIF).

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::domain::document::{DocumentLimits, MediaType};

use super::IngestError;

/// Memory the header phase may use (ICC profiles, text chunks): never the pixels.
const HEADER_ALLOC: u64 = 16 * 1024 * 1024;

/// The header's width and height, checked against `limits`.
pub fn checked_dimensions(
    name: &str,
    kind: MediaType,
    bytes: &[u8],
    limits: &DocumentLimits,
) -> Result<(u32, u32), IngestError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format(kind)?);
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(HEADER_ALLOC);
    reader.limits(header_limits);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| broken(name, &e.to_string()))?;
    let too_large = |limit: String| IngestError::ImageTooLarge {
        name: name.into(),
        width,
        height,
        limit,
    };
    if width == 0 || height == 0 {
        return Err(broken(name, "ảnh không có điểm ảnh nào"));
    }
    if width > limits.max_side || height > limits.max_side {
        return Err(too_large(format!("{} điểm ảnh mỗi cạnh", limits.max_side)));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(too_large(format!(
            "{} triệu điểm ảnh",
            limits.max_pixels / 1_000_000
        )));
    }
    Ok((width, height))
}

/// Decodes an image whose header passed `checked_dimensions`, upright.
pub fn decode(
    name: &str,
    kind: MediaType,
    bytes: &[u8],
    limits: &DocumentLimits,
) -> Result<DynamicImage, IngestError> {
    let (width, height) = checked_dimensions(name, kind, bytes, limits)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format(kind)?);
    let mut pixel_limits = Limits::default();
    pixel_limits.max_image_width = Some(width);
    pixel_limits.max_image_height = Some(height);
    // RGBA 16-bit at worst, plus the decoder's own buffers.
    pixel_limits.max_alloc = Some(u64::from(width) * u64::from(height) * 8 + HEADER_ALLOC);
    reader.limits(pixel_limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| broken(name, &e.to_string()))?;
    let orientation = decoder.orientation().ok();
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| broken(name, &e.to_string()))?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

fn format(kind: MediaType) -> Result<ImageFormat, IngestError> {
    match kind {
        MediaType::Jpeg => Ok(ImageFormat::Jpeg),
        MediaType::Png => Ok(ImageFormat::Png),
        MediaType::Pdf => Err(IngestError::Encode("PDF không phải là ảnh".into())),
    }
}

fn broken(name: &str, detail: &str) -> IngestError {
    IngestError::BrokenImage {
        name: name.into(),
        detail: detail.chars().take(120).collect(),
    }
}
