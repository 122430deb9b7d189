//! Hostile PDFs built in the test (nothing of the kind is committed as a fixture): object
//! streams or a page's drawing packed twice with Flate, so a few hundred bytes unpack to
//! hundreds of megabytes. Shared by tests/hostile_files.rs and benches/hostile_figures.rs.

#![allow(dead_code)]

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// `inner` zlib-packed twice: `prefix` then `len - prefix.len()` spaces, in chunks so
/// building a gigabyte bomb never holds it.
pub fn packed_twice(prefix: &[u8], len: usize) -> Vec<u8> {
    packed_twice_filled(prefix, b" ", len)
}

/// `packed_twice` with `fill` repeated instead of spaces.
pub fn packed_twice_filled(prefix: &[u8], fill: &[u8], len: usize) -> Vec<u8> {
    let mut once = ZlibEncoder::new(Vec::new(), Compression::best());
    once.write_all(prefix).expect("in memory");
    let chunk: Vec<u8> = fill.iter().copied().cycle().take(1 << 20).collect();
    let mut left = len.saturating_sub(prefix.len());
    while left > 0 {
        let n = left.min(chunk.len());
        once.write_all(&chunk[..n]).expect("in memory");
        left -= n;
    }
    let once = once.finish().expect("in memory");
    let mut twice = ZlibEncoder::new(Vec::new(), Compression::best());
    twice.write_all(&once).expect("in memory");
    twice.finish().expect("in memory")
}

/// A one-page PDF with `streams` object streams, each unpacking to `each` bytes.
pub fn object_stream_bomb(streams: usize, each: usize) -> Vec<u8> {
    // One object (`null`) at offset 0 after the index "N 0 ".
    let data = packed_twice(b"900 0 null", each);
    let mut objects: Vec<Vec<u8>> = page_objects(None);
    for _ in 0..streams {
        let mut obj = format!(
            "<< /Type /ObjStm /N 1 /First 6 /Filter [/FlateDecode /FlateDecode] /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        obj.extend_from_slice(&data);
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
    }
    assemble(&objects)
}

/// A one-page PDF with one object stream holding an array of `len / 2` zeros: the most
/// objects lopdf can be made to keep from that many unpacked bytes.
pub fn object_stream_of_tiny_objects(len: usize) -> Vec<u8> {
    let data = packed_twice_filled(b"900 0 [", b"0 ", len);
    let mut obj = format!(
        "<< /Type /ObjStm /N 1 /First 6 /Filter [/FlateDecode /FlateDecode] /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    obj.extend_from_slice(&data);
    obj.extend_from_slice(b"\nendstream");
    let mut objects = page_objects(None);
    objects.push(obj);
    assemble(&objects)
}

/// A one-page PDF whose page drawing unpacks to `len` bytes (spaces: it draws nothing).
pub fn content_bomb(len: usize) -> Vec<u8> {
    let data = packed_twice(b"q Q ", len);
    let mut content = format!(
        "<< /Filter [/FlateDecode /FlateDecode] /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    content.extend_from_slice(&data);
    content.extend_from_slice(b"\nendstream");
    assemble(&page_objects(Some(content)))
}

/// An ordinary one-page PDF whose (unpacked) page drawing is a comment naming `note`
/// followed by `len` random letters: a stand-in for a scan of that size.
pub fn plain_pdf(note: &str, len: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut data = format!("% {note}\n").into_bytes();
    data.extend((0..len).map(|_| rng.u8(b'a'..=b'z')));
    let mut content = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
    content.extend_from_slice(&data);
    content.extend_from_slice(b"\nendstream");
    assemble(&page_objects(Some(content)))
}

/// Catalog, pages, one A4 page and, when given, its content stream (objects 1–4).
fn page_objects(content: Option<Vec<u8>>) -> Vec<Vec<u8>> {
    let contents = if content.is_some() {
        " /Contents 4 0 R"
    } else {
        ""
    };
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]{contents} >>").into_bytes(),
    ];
    objects.extend(content);
    objects
}

/// Objects numbered from 1, a classic cross-reference table and the trailer.
fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A one-page PDF that is small and parses at once but never finishes drawing: the page
/// draws form 1 `fanout` times, form 1 draws form 2 `fanout` times, and so on `depth`
/// levels down to one filled square: `fanout^depth` squares from a few hundred bytes,
/// every form object counted once by a guard that only measures what a page reaches.
pub fn nested_forms(depth: usize, fanout: usize) -> Vec<u8> {
    let draws = |name: &str| -> String {
        (0..fanout)
            .map(|i| format!("q 1 0 0 1 {} 0 cm /{name} Do Q ", i % 3))
            .collect()
    };
    let stream = |dict: &str, data: &str| {
        format!(
            "<< {dict} /Length {} >>\nstream\n{data}\nendstream",
            data.len()
        )
        .into_bytes()
    };
    // Objects 1–3 are the catalog, the page tree and the page; 4 its content; forms from 5.
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
           /Resources << /XObject << /X 5 0 R >> >> >>"
            .to_vec(),
        stream("", &draws("X")),
    ];
    for level in 0..depth {
        let form = "/Type /XObject /Subtype /Form /BBox [0 0 595 842]";
        objects.push(if level + 1 == depth {
            stream(form, "0 g 10 10 20 20 re f")
        } else {
            let next = 6 + level;
            let dict = format!("{form} /Resources << /XObject << /X {next} 0 R >> >>");
            stream(&dict, &draws("X"))
        });
    }
    assemble(&objects)
}
