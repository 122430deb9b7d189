//! What a PDF unpacks to, counted across the whole file before lopdf parses it.
//!
//! lopdf's own cap applies to one stream at a time and it keeps every object stream it
//! unpacks, so eight small "zip bombs" in one 6 KB file cost gigabytes. Here every
//! stream of the raw bytes is inflated once into a fixed buffer and thrown away while
//! two totals are counted: the object and cross-reference streams (which lopdf unpacks
//! and keeps while it loads) against a small budget, and every stream (what a reader
//! or a thumbnail may unpack later) against a budget relative to the file's size. Memory
//! stays at a few buffers whatever the file holds; time is bounded by the total budget.

use std::io::{self, Read};

use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::{Dictionary, Object, Stream};

/// All object and cross-reference streams together: what lopdf keeps while it loads.
/// Real documents use a few hundred kilobytes (a 2,000-page file about 4 MB).
pub const MAX_LOAD_UNPACKED: u64 = 16 * 1024 * 1024;
/// Every stream together may unpack to this much at least…
const MIN_TOTAL_UNPACKED: u64 = 256 * 1024 * 1024;
/// …or to this many times the file's size (16-level grey text pages pack about 25:1).
const TOTAL_PER_FILE_BYTE: u64 = 40;
/// More filters than this on one stream is only ever an attack (nested bombs).
const MAX_FILTERS: usize = 4;
/// The largest slice a non-Flate chain (LZW, ASCII85) may decode into at once.
const MAX_BOUNDED_DECODE: u64 = 32 * 1024 * 1024;

/// Tokens (numbers, names, brackets…) lopdf may turn into objects: those of the file
/// outside its streams and those of its object streams. Each costs lopdf about 120 bytes
/// (a 16 MB object stream of `0 0 0 …` took 1 GB), so this bounds the parse to ~120 MB.
/// A 2,000-page scan has about 150,000.
pub const MAX_TOKENS: u64 = 1_000_000;

/// What the file unpacks to, when it stays inside every budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unpacked {
    /// Object and cross-reference streams, in bytes.
    pub load: u64,
    /// Every stream, in bytes.
    pub total: u64,
    pub streams: u64,
    /// Tokens outside streams and in object streams.
    pub tokens: u64,
}

/// Which budget a file crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// The object streams alone unpack past `MAX_LOAD_UNPACKED`.
    Load,
    /// All streams together unpack past the file's total budget.
    Total,
    /// A stream stacks more than `MAX_FILTERS` filters.
    Filters,
    /// More than `MAX_TOKENS` tokens for lopdf to parse.
    Tokens,
}

/// The total budget for a file of `len` bytes.
pub fn total_budget(len: usize) -> u64 {
    (len as u64)
        .saturating_mul(TOTAL_PER_FILE_BYTE)
        .max(MIN_TOTAL_UNPACKED)
}

/// Counts what every stream of `bytes` unpacks to, refusing at the first budget crossed.
pub fn measure(bytes: &[u8]) -> Result<Unpacked, Overflow> {
    let budget = total_budget(bytes.len());
    let mut seen = Unpacked::default();
    let mut outside_from = 0;
    for found in streams(bytes) {
        seen.tokens += Tokens::default().count(&bytes[outside_from..found.dict_start]);
        outside_from = found.data_end;
        let filters = filters_of(found.dict);
        if filters.len() > MAX_FILTERS {
            return Err(Overflow::Filters);
        }
        let loads = is_load_stream(found.dict);
        let total_left = budget - seen.total;
        let left = if loads {
            total_left.min(MAX_LOAD_UNPACKED - seen.load)
        } else {
            total_left
        };
        let mut tokens = loads.then(Tokens::default);
        let size = unpacked_size(found.data, &filters, left, tokens.as_mut());
        if size > left {
            return Err(if loads && left < total_left {
                Overflow::Load
            } else {
                Overflow::Total
            });
        }
        seen.total += size;
        if loads {
            seen.load += size;
        }
        seen.tokens += tokens.map_or(0, |t| t.seen);
        seen.streams += 1;
        if seen.tokens > MAX_TOKENS {
            return Err(Overflow::Tokens);
        }
    }
    seen.tokens += Tokens::default().count(&bytes[outside_from.min(bytes.len())..]);
    if seen.tokens > MAX_TOKENS {
        return Err(Overflow::Tokens);
    }
    Ok(seen)
}

/// Counts tokens over chunks: a delimiter, or the start of a run of other characters.
#[derive(Debug, Default)]
struct Tokens {
    seen: u64,
    /// Whether the last byte could continue a token (a regular character).
    in_token: bool,
}

impl Tokens {
    fn feed(&mut self, chunk: &[u8]) {
        for &c in chunk {
            if c.is_ascii_whitespace() {
                self.in_token = false;
            } else if is_delimiter(c) {
                self.seen += 1;
                self.in_token = false;
            } else if !self.in_token {
                self.seen += 1;
                self.in_token = true;
            }
        }
    }

    fn count(mut self, chunk: &[u8]) -> u64 {
        self.feed(chunk);
        self.seen
    }
}

/// One stream found in the raw bytes: its dictionary's text and its data onward.
struct Found<'a> {
    dict: &'a [u8],
    data: &'a [u8],
    /// Where the dictionary starts and the data ends, in the file.
    dict_start: usize,
    data_end: usize,
}

/// Every `<< … >> stream` of the file, found lexically (a stream hidden from this scan is
/// still capped one by one by lopdf's own limit, see `pdf_check`).
fn streams(bytes: &[u8]) -> impl Iterator<Item = Found<'_>> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = find(&bytes[from..], b"stream").map(|i| i + from) {
            from = at + 6;
            if at >= 3 && &bytes[at - 3..at] == b"end" {
                continue;
            }
            let Some(data_start) = after_eol(bytes, at + 6) else {
                continue;
            };
            let Some(dict) = dict_before(bytes, at) else {
                continue;
            };
            let data = &bytes[data_start..];
            let end = declared_length(&bytes[dict.0..dict.1])
                .filter(|&n| n <= data.len())
                .or_else(|| find(data, b"endstream"))
                .unwrap_or(data.len());
            return Some(Found {
                dict: &bytes[dict.0..dict.1],
                data: &data[..end],
                dict_start: dict.0,
                data_end: data_start + end,
            });
        }
        None
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Where a stream's data starts: after CR LF, LF or (leniently) CR.
fn after_eol(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at..at + 2) {
        Some(b"\r\n") => Some(at + 2),
        _ => match bytes.get(at) {
            Some(b'\n' | b'\r') => Some(at + 1),
            _ => None,
        },
    }
}

/// Where the dictionary that ends (whitespace aside) just before the `stream` keyword at
/// `at` starts and ends.
fn dict_before(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut end = at;
    while end > 0 && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end < 2 || &bytes[end - 2..end] != b">>" {
        return None;
    }
    // Walk back to the matching `<<`, nested dictionaries included.
    let mut depth = 0usize;
    let mut i = end;
    while i >= 2 {
        match &bytes[i - 2..i] {
            b">>" => {
                depth += 1;
                i -= 2;
            }
            b"<<" => {
                depth -= 1;
                i -= 2;
                if depth == 0 {
                    return Some((i, end));
                }
            }
            _ => i -= 1,
        }
    }
    None
}

/// The direct values of the outermost dictionary's keys, as raw text.
fn top_level_value<'a>(dict: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < dict.len() {
        if dict[i..].starts_with(b"<<") {
            depth += 1;
            i += 2;
        } else if dict[i..].starts_with(b">>") {
            depth = depth.saturating_sub(1);
            i += 2;
        } else if depth == 1 && dict[i] == b'/' && dict[i + 1..].starts_with(key) {
            let after = i + 1 + key.len();
            if dict.get(after).is_none_or(|&c| is_delimiter(c)) {
                return Some(skip_space(&dict[after..]));
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    None
}

fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || b"/[]<>()%{}".contains(&c)
}

fn skip_space(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(text.len());
    &text[start..]
}

/// A name at the start of `text` (`/ObjStm` → `ObjStm`).
fn leading_name(text: &[u8]) -> Option<&[u8]> {
    let rest = text.strip_prefix(b"/")?;
    let len = rest
        .iter()
        .position(|&c| is_delimiter(c))
        .unwrap_or(rest.len());
    Some(&rest[..len])
}

/// The stream's filters in decoding order (a name or an array of names).
fn filters_of(dict: &[u8]) -> Vec<&[u8]> {
    let Some(value) = top_level_value(dict, b"Filter") else {
        return Vec::new();
    };
    if let Some(name) = leading_name(value) {
        return vec![name];
    }
    let Some(array) = value.strip_prefix(b"[") else {
        return Vec::new();
    };
    let close = array.iter().position(|&c| c == b']').unwrap_or(array.len());
    let mut names = Vec::new();
    let mut rest = skip_space(&array[..close]);
    while let Some(name) = leading_name(rest) {
        names.push(name);
        rest = skip_space(&rest[1 + name.len()..]);
    }
    names
}

/// Object and cross-reference streams, the ones lopdf unpacks and keeps while loading.
fn is_load_stream(dict: &[u8]) -> bool {
    let kind = top_level_value(dict, b"Type").and_then(leading_name);
    matches!(kind, Some(b"ObjStm" | b"XRef"))
}

fn declared_length(dict: &[u8]) -> Option<usize> {
    let value = top_level_value(dict, b"Length")?;
    let digits = value.iter().take_while(|c| c.is_ascii_digit()).count();
    let after = skip_space(&value[digits..]);
    // `12 0 R` is a reference, not a length.
    if digits == 0 || after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&value[..digits]).ok()?.parse().ok()
}

/// What the leading decodable filters make of `data`, counted up to `left + 1` bytes
/// (image codecs such as DCT are decoded only by a reader, in its own bounded worker).
fn unpacked_size(data: &[u8], filters: &[&[u8]], left: u64, tokens: Option<&mut Tokens>) -> u64 {
    let decodable: Vec<&[u8]> = filters
        .iter()
        .copied()
        .take_while(|f| {
            is_flate(f) || matches!(*f, b"LZWDecode" | b"LZW" | b"ASCII85Decode" | b"A85")
        })
        .collect();
    if decodable.is_empty() {
        if let Some(tokens) = tokens {
            tokens.feed(data);
        }
        return data.len() as u64;
    }
    if decodable.iter().all(|f| is_flate(f)) {
        return inflated_size(data, decodable.len(), left, tokens);
    }
    bounded_decode_size(data, &decodable, left, tokens)
}

fn is_flate(name: &[u8]) -> bool {
    matches!(name, b"FlateDecode" | b"Fl")
}

/// Inflates `layers` nested Flate layers into a fixed buffer, counting the output.
fn inflated_size(data: &[u8], layers: usize, left: u64, mut tokens: Option<&mut Tokens>) -> u64 {
    let mut reader: Box<dyn Read + '_> = Box::new(data);
    for _ in 0..layers {
        reader = match flate_reader(reader) {
            Ok(inner) => inner,
            Err(_) => return 0,
        };
    }
    let mut buffer = vec![0u8; 64 * 1024];
    let mut count = 0u64;
    // A read error ends the stream as it ends lopdf's decoding: what came out counts.
    while let Ok(n) = reader.read(&mut buffer) {
        if n == 0 {
            break;
        }
        count += n as u64;
        if let Some(tokens) = tokens.as_deref_mut() {
            tokens.feed(&buffer[..n]);
        }
        if count > left {
            break;
        }
    }
    count
}

/// A Flate decoder over `inner`, falling back to raw deflate after the two header bytes
/// when they are not a zlib header (as lopdf does for such streams).
fn flate_reader<'a>(mut inner: Box<dyn Read + 'a>) -> io::Result<Box<dyn Read + 'a>> {
    let mut head = [0u8; 2];
    inner.read_exact(&mut head)?;
    let zlib = head[0] & 0x0f == 8 && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0;
    Ok(if zlib {
        Box::new(ZlibDecoder::new(io::Cursor::new(head).chain(inner)))
    } else {
        Box::new(DeflateDecoder::new(inner))
    })
}

/// LZW and ASCII85 chains through lopdf's own decoder, capped so memory stays bounded.
fn bounded_decode_size(
    data: &[u8],
    filters: &[&[u8]],
    left: u64,
    tokens: Option<&mut Tokens>,
) -> u64 {
    let cap = left.min(MAX_BOUNDED_DECODE);
    let names = filters
        .iter()
        .map(|f| Object::Name(full_filter_name(f).to_vec()))
        .collect();
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Array(names));
    let stream = Stream::new(dict, data.to_vec());
    let cap_usize = usize::try_from(cap).unwrap_or(usize::MAX);
    match stream.decompressed_content_with_limit(cap_usize) {
        Ok(out) => {
            if let Some(tokens) = tokens {
                tokens.feed(&out);
            }
            out.len() as u64
        }
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            // Past the slice: as much as is left, plus one, so the caller refuses it.
            left.saturating_add(1)
        }
        Err(_) => 0,
    }
}

fn full_filter_name(name: &[u8]) -> &[u8] {
    match name {
        b"Fl" => b"FlateDecode",
        b"LZW" => b"LZWDecode",
        b"A85" => b"ASCII85Decode",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_from_the_outer_dictionary_only() {
        let dict = b"<< /DecodeParms << /Filter /Bogus >> /Filter [/FlateDecode /Fl] /Length 5 >>";
        assert_eq!(filters_of(dict), vec![&b"FlateDecode"[..], b"Fl"]);
        assert_eq!(declared_length(dict), Some(5));
        assert_eq!(declared_length(b"<< /Length 7 0 R >>"), None);
        assert!(is_load_stream(b"<</Type/ObjStm/N 1/First 4>>"));
        assert!(!is_load_stream(b"<< /Type /XObject /Subtype /Image >>"));
    }

    #[test]
    fn tokens_are_delimiters_and_runs() {
        assert_eq!(
            Tokens::default().count(b"<< /Type /Page /Kids [3 0 R] >>"),
            15
        );
        assert_eq!(Tokens::default().count(b"0 0 0 0"), 4);
    }
}
