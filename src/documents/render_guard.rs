//! Bounds a PDF page must keep before it is handed to the renderer, which has no limits
//! of its own: every stream the page reaches (contents, forms, fonts, images, patterns,
//! annotation appearances) is measured by inflating it into nothing, with a cap, so a
//! "zip bomb" or a giant image is refused (the page then shows the placeholder).

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};

use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Decoded bytes of the page's non-image streams (its drawing work).
const MAX_DRAWING_BYTES: u64 = 32 * 1024 * 1024;
/// Pixels of all the page's images: an A4 page at 600 dpi in colour is 35 Mpx.
const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// An image stream may not inflate past 8 bytes a declared pixel (16-bit CMYK).
const IMAGE_BYTES_PER_PIXEL: u64 = 8;
/// Objects visited for one page.
const MAX_OBJECTS: usize = 20_000;

/// Keys that lead away from what the page draws (other pages, outlines, metadata).
const SKIPPED: [&[u8]; 11] = [
    b"Parent",
    b"P",
    b"Dest",
    b"A",
    b"Next",
    b"Prev",
    b"First",
    b"Last",
    b"Thumb",
    b"Metadata",
    b"PieceInfo",
];

/// Measures pages of one document, remembering streams shared between pages.
pub(super) struct Guard<'d> {
    doc: &'d Document,
    /// Decoded size of each stream measured so far; `None` when it broke a bound or
    /// uses a filter not measured here.
    sizes: HashMap<ObjectId, Option<u64>>,
}

impl<'d> Guard<'d> {
    pub(super) fn new(doc: &'d Document) -> Self {
        Guard {
            doc,
            sizes: HashMap::new(),
        }
    }

    /// Whether the page stays within the bounds above.
    pub(super) fn page_ok(&mut self, page: ObjectId) -> bool {
        let Ok(dict) = self.doc.get_dictionary(page) else {
            return false;
        };
        let mut seen = HashSet::from([page]);
        let mut todo: Vec<&Object> = dict_children(dict).collect();
        // Resources are often inherited from the page tree.
        if !dict.has(b"Resources")
            && let Ok((direct, ids)) = self.doc.get_page_resources(page)
        {
            todo.extend(direct.into_iter().flat_map(dict_children));
            for id in ids {
                if let Ok(res) = self.doc.get_dictionary(id) {
                    todo.extend(dict_children(res));
                }
            }
        }
        let (mut drawing, mut pixels) = (0u64, 0u64);
        while let Some(object) = todo.pop() {
            match object {
                Object::Reference(id) => {
                    if !seen.insert(*id) {
                        continue;
                    }
                    if seen.len() > MAX_OBJECTS {
                        return false;
                    }
                    let Ok(target) = self.doc.get_object(*id) else {
                        continue;
                    };
                    if let Object::Stream(stream) = target {
                        let Some((bytes, px)) = self.measure(*id, stream) else {
                            return false;
                        };
                        drawing += bytes;
                        pixels += px;
                        if drawing > MAX_DRAWING_BYTES || pixels > MAX_IMAGE_PIXELS {
                            return false;
                        }
                        todo.extend(dict_children(&stream.dict));
                    } else {
                        todo.push(target);
                    }
                }
                Object::Array(items) => todo.extend(items),
                Object::Dictionary(d) => todo.extend(dict_children(d)),
                // A direct stream object cannot appear outside a reference in valid PDF;
                // its dictionary is still followed.
                Object::Stream(s) => todo.extend(dict_children(&s.dict)),
                _ => {}
            }
        }
        true
    }

    /// (drawing bytes, image pixels) of one stream, `None` when it is refused.
    fn measure(&mut self, id: ObjectId, stream: &Stream) -> Option<(u64, u64)> {
        let pixels = image_pixels(&stream.dict);
        let cap = match pixels {
            Some(px) => px
                .saturating_mul(IMAGE_BYTES_PER_PIXEL)
                .saturating_add(4096),
            None => MAX_DRAWING_BYTES,
        };
        let size = *self
            .sizes
            .entry(id)
            .or_insert_with(|| decoded_size(stream, cap).filter(|n| *n <= cap));
        let size = size?;
        Some(match pixels {
            Some(px) => (0, px),
            None => (size, 0),
        })
    }
}

fn dict_children(dict: &Dictionary) -> impl Iterator<Item = &Object> {
    dict.iter()
        .filter(|(k, _)| !SKIPPED.contains(&k.as_slice()))
        .map(|(_, v)| v)
}

/// Width × height of an image XObject (or an inline-sized image), `None` for others.
fn image_pixels(dict: &Dictionary) -> Option<u64> {
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok()?;
    if subtype != b"Image" {
        return None;
    }
    let side = |key: &[u8]| {
        dict.get(key)
            .and_then(Object::as_i64)
            .ok()
            .and_then(|n| u64::try_from(n).ok())
    };
    // A missing or negative size is treated as too big: the renderer cannot bound it.
    Some(match (side(b"Width"), side(b"Height")) {
        (Some(w), Some(h)) => w.saturating_mul(h),
        _ => u64::MAX,
    })
}

/// Bytes the stream decodes to, counting at most `cap + 1`; `None` for a filter chain
/// this guard does not measure.
fn decoded_size(stream: &Stream, cap: u64) -> Option<u64> {
    let filters: Vec<&[u8]> = match stream.dict.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(Object::Name(n)) => vec![n.as_slice()],
        Ok(Object::Array(a)) => a
            .iter()
            .map(|f| f.as_name().ok())
            .collect::<Option<Vec<_>>>()?,
        Ok(_) => return None,
    };
    let raw = &stream.content;
    match filters.as_slice() {
        [] => Some(raw.len() as u64),
        [f] if *f == b"FlateDecode" || *f == b"Fl" => Some(inflated_size(raw, cap)),
        // Image codecs: their output is bounded by the image's declared size.
        [f] if [
            &b"DCTDecode"[..],
            b"DCT",
            b"JPXDecode",
            b"CCITTFaxDecode",
            b"CCF",
            b"JBIG2Decode",
        ]
        .contains(f) =>
        {
            Some(raw.len() as u64)
        }
        _ => None,
    }
}

/// Inflated size of zlib (or, as some writers produce, raw deflate) data, up to `cap + 1`.
fn inflated_size(raw: &[u8], cap: u64) -> u64 {
    let count = |reader: &mut dyn Read| {
        let mut limited = reader.take(cap.saturating_add(1));
        // A corrupt tail stops the count where the renderer would stop too.
        let mut total = 0u64;
        let mut buf = [0u8; 16 * 1024];
        loop {
            match limited.read(&mut buf) {
                Ok(0) | Err(_) => break total,
                Ok(n) => total += n as u64,
            }
        }
    };
    let zlib = count(&mut ZlibDecoder::new(raw));
    if zlib > 0 {
        return zlib;
    }
    count(&mut DeflateDecoder::new(io::Cursor::new(raw)))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use lopdf::{Stream, dictionary};

    use super::*;

    fn deflated(bytes: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
        e.write_all(bytes).expect("compresses");
        e.finish().expect("compresses")
    }

    /// A one-page document whose content stream is `content` with `dict`.
    fn one_page(content: Stream, image: Option<Stream>) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let content = doc.add_object(content);
        let mut resources = Dictionary::new();
        if let Some(image) = image {
            let image = doc.add_object(image);
            resources.set("XObject", dictionary! { "Im0" => image });
        }
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content,
            "Resources" => resources,
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        (doc, page)
    }

    fn flate(bytes: &[u8]) -> Stream {
        Stream::new(dictionary! { "Filter" => "FlateDecode" }, deflated(bytes))
    }

    #[test]
    fn an_ordinary_page_passes() {
        let (doc, page) = one_page(flate(b"BT /F1 12 Tf (Hello) Tj ET"), None);
        assert!(Guard::new(&doc).page_ok(page));
    }

    #[test]
    fn a_content_stream_that_inflates_past_the_bound_is_refused() {
        let bomb = vec![b' '; (MAX_DRAWING_BYTES + 1) as usize];
        let (doc, page) = one_page(flate(&bomb), None);
        assert!(!Guard::new(&doc).page_ok(page));
    }

    #[test]
    fn an_image_larger_than_declared_or_too_many_pixels_is_refused() {
        let image = |w: i64, h: i64, bytes: &[u8]| {
            Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
                    "Filter" => "FlateDecode",
                },
                deflated(bytes),
            )
        };
        let content = || Stream::new(Dictionary::new(), b"/Im0 Do".to_vec());
        let fits = image(100, 100, &[0u8; 30_000]);
        let (doc, page) = one_page(content(), Some(fits));
        assert!(Guard::new(&doc).page_ok(page));
        let lies = image(10, 10, &[0u8; 1_000_000]);
        let (doc, page) = one_page(content(), Some(lies));
        assert!(!Guard::new(&doc).page_ok(page));
        let huge = image(60_000, 60_000, &[0u8; 16]);
        let (doc, page) = one_page(content(), Some(huge));
        assert!(!Guard::new(&doc).page_ok(page));
    }

    #[test]
    fn an_unmeasured_filter_chain_is_refused() {
        let lzw = Stream::new(dictionary! { "Filter" => "LZWDecode" }, vec![0x80, 0x0b]);
        let (doc, page) = one_page(lzw, None);
        assert!(!Guard::new(&doc).page_ok(page));
    }
}
