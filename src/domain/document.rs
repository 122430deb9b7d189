//! Digitised documents (số hóa hồ sơ, giấy tờ): the facts a dossier's log keeps about a
//! file attached to one item of its document checklist, and the bounds every such file
//! must respect wherever it comes from (a scanner, an imported file, another desk).
//!
//! The file itself lives outside the log, stored once by its SHA-256; the log only
//! refers to it (`FileRef`), so the fold stays pure and a file is never stored twice.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A SHA-256 digest as 64 lowercase hexadecimal digits: the name of a stored file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

impl Sha256Hex {
    /// Accepts exactly 64 hexadecimal digits (upper case is folded to lower case).
    pub fn parse(value: &str) -> Result<Sha256Hex, DocumentError> {
        let ok = value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(Sha256Hex(value.to_ascii_lowercase()))
        } else {
            Err(DocumentError::BadHash(value.chars().take(80).collect()))
        }
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256Hex {
        use sha2::{Digest, Sha256};
        Sha256Hex::from_digest(&Sha256::digest(bytes))
    }

    /// From a finished `sha2` digest (for hashing while streaming).
    pub fn from_digest(digest: &[u8]) -> Sha256Hex {
        use std::fmt::Write;
        let mut hex = String::with_capacity(64);
        for b in digest {
            let _ = write!(hex, "{b:02x}");
        }
        Sha256Hex(hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 digits, as the screen shows a file's identity.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = DocumentError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Sha256Hex::parse(&value)
    }
}

impl From<Sha256Hex> for String {
    fn from(value: Sha256Hex) -> String {
        value.0
    }
}

/// What a stored file is. Scans and imported images are kept as PDF; the other kinds
/// exist so a file from elsewhere is named truthfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<MediaType> {
        [MediaType::Pdf, MediaType::Jpeg, MediaType::Png]
            .into_iter()
            .find(|m| m.mime() == mime)
    }

    /// The kind a file's first bytes show. A PDF may carry a little junk before its
    /// `%PDF-` header (readers tolerate 1 KB of it); images must start with their
    /// signature. (Here, not in `documents`, so that the centre checks uploads too.)
    pub fn of_bytes(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(MediaType::Png);
        }
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(MediaType::Jpeg);
        }
        let window = &head[..head.len().min(1024)];
        if window.windows(5).any(|w| w == b"%PDF-") {
            return Some(MediaType::Pdf);
        }
        None
    }

    /// What the clerk reads ("PDF", "JPEG", "PNG").
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
        }
    }
}

/// A stored file as the log refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub sha256: Sha256Hex,
    /// The name the clerk sees and the export lists ("CCCD người nộp.pdf").
    pub name: String,
    pub media_type: MediaType,
    /// Bytes.
    pub size: u64,
    pub pages: u32,
}

/// A file ready to be attached: already checked and made compact by the document
/// pipeline, not yet stored.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub name: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
    pub pages: u32,
}

impl fmt::Debug for NewDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewDocument")
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("bytes", &self.bytes.len())
            .field("pages", &self.pages)
            .finish()
    }
}

/// Bounds on what may be attached, read from the settings; the defaults are safe for a
/// ward PC. The same bounds are applied to a file arriving from another machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    /// Largest file, in bytes (also of an imported original before it is made compact).
    pub max_bytes: u64,
    /// Largest image, in pixels (width × height), checked from the header before decoding.
    pub max_pixels: u64,
    /// Largest side of an image, in pixels.
    pub max_side: u32,
    /// Most pages in one document.
    pub max_pages: u32,
}

impl DocumentLimits {
    /// The absolute ceilings a setting may not exceed, whatever the desk says.
    pub const CEILING: DocumentLimits = DocumentLimits {
        max_bytes: 200 * 1024 * 1024,
        max_pixels: 250_000_000,
        max_side: 30_000,
        max_pages: 2_000,
    };
}

impl Default for DocumentLimits {
    fn default() -> Self {
        DocumentLimits {
            // A 100-page greyscale scan at 200 dpi is about 15 MB; room for colour photos.
            max_bytes: 50 * 1024 * 1024,
            // An A3 page at 600 dpi is 7016 × 9921 ≈ 70 Mpx.
            max_pixels: 100_000_000,
            max_side: 15_000,
            max_pages: 500,
        }
    }
}

/// Longest file name kept in the log (characters).
pub const MAX_NAME_CHARS: usize = 160;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    #[error("Mã băm tệp không hợp lệ ('{0}'): phải gồm đúng 64 chữ số thập lục phân")]
    BadHash(String),
    #[error("Tên tệp trống: hãy đặt tên cho giấy tờ")]
    EmptyName,
    #[error("Tên tệp dài quá {MAX_NAME_CHARS} ký tự: hãy đặt tên ngắn hơn")]
    NameTooLong,
    #[error(
        "Tên tệp có ký tự điều khiển, ký tự đảo chiều chữ hoặc dấu phân cách thư mục: hãy gõ lại tên bằng bàn phím"
    )]
    BadName,
    #[error("Tệp rỗng: không có nội dung để đính kèm")]
    Empty,
    #[error("Tệp {size} vượt giới hạn {limit} của bàn làm việc")]
    TooLarge { size: String, limit: String },
    #[error("Tệp không có trang nào")]
    NoPages,
    #[error("Tệp có {pages} trang, vượt giới hạn {limit} trang cho một giấy tờ")]
    TooManyPages { pages: u32, limit: u32 },
}

/// Bytes as a clerk reads them ("12,4 MB").
pub fn size_vi(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    let text = if b >= KB * KB * KB {
        format!("{:.1} GB", b / (KB * KB * KB))
    } else if b >= KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else if b >= KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{bytes} byte")
    };
    text.replace('.', ",")
}

/// A display name: trimmed, NFC; refused when empty, too long, or when it could be
/// read as a path.
pub fn check_name(name: &str) -> Result<String, DocumentError> {
    use unicode_normalization::UnicodeNormalization;
    let name: String = name.trim().nfc().collect();
    if name.is_empty() {
        return Err(DocumentError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DocumentError::NameTooLong);
    }
    // The same gate as the intake's fields (`text::clean_field`): no control
    // characters, no bidirectional overrides ("…\u{202E}fdp.exe" shows as "…exe.pdf"),
    // no text that was already mis-decoded; and no path separators.
    if name.chars().any(|c| {
        crate::domain::text::is_unsafe_to_show(c)
            || c == char::REPLACEMENT_CHARACTER
            || c == '/'
            || c == '\\'
    }) {
        return Err(DocumentError::BadName);
    }
    Ok(name)
}

/// The checks a file reference must pass wherever it was written: the counter's own
/// attach and an event arriving by sync alike.
pub fn check_file_ref(file: &FileRef, limits: &DocumentLimits) -> Result<(), DocumentError> {
    check_name(&file.name)?;
    if file.size == 0 {
        return Err(DocumentError::Empty);
    }
    if file.size > limits.max_bytes {
        return Err(DocumentError::TooLarge {
            size: size_vi(file.size),
            limit: size_vi(limits.max_bytes),
        });
    }
    if file.pages == 0 {
        return Err(DocumentError::NoPages);
    }
    if file.pages > limits.max_pages {
        return Err(DocumentError::TooManyPages {
            pages: file.pages,
            limit: limits.max_pages,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_sixty_four_hex_digits_and_folds_to_lower_case() {
        let upper = "A".repeat(64);
        assert_eq!(
            Sha256Hex::parse(&upper).expect("upper-case hex").as_str(),
            "a".repeat(64)
        );
        assert!(Sha256Hex::parse(&"a".repeat(63)).is_err());
        assert!(Sha256Hex::parse(&format!("{}g", "a".repeat(63))).is_err());
        assert!(Sha256Hex::parse("../../etc/passwd").is_err());
    }

    #[test]
    fn the_digest_of_empty_input_is_the_known_one() {
        assert_eq!(
            Sha256Hex::of(b"").as_str(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_hash_from_the_wire_is_checked_when_read() {
        let bad: Result<Sha256Hex, _> = serde_json::from_str("\"abc\"");
        assert!(bad.is_err());
        let good: Sha256Hex =
            serde_json::from_str(&format!("\"{}\"", "0".repeat(64))).expect("64 zeros");
        assert_eq!(good.short(), "000000000000");
    }

    #[test]
    fn a_file_ref_is_bounded_by_the_limits() {
        let limits = DocumentLimits::default();
        let mut file = FileRef {
            sha256: Sha256Hex::of(b"x"),
            name: "CCCD người nộp.pdf".into(),
            media_type: MediaType::Pdf,
            size: 120_000,
            pages: 2,
        };
        assert_eq!(check_file_ref(&file, &limits), Ok(()));
        file.size = 300 * 1024 * 1024;
        assert!(matches!(
            check_file_ref(&file, &limits),
            Err(DocumentError::TooLarge { .. })
        ));
        file.size = 1;
        file.pages = 0;
        assert_eq!(check_file_ref(&file, &limits), Err(DocumentError::NoPages));
        file.pages = 1;
        file.name = "../x".into();
        assert_eq!(check_file_ref(&file, &limits), Err(DocumentError::BadName));
    }

    #[test]
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(size_vi(300 * 1024 * 1024), "300,0 MB");
        assert_eq!(size_vi(150 * 1024), "150 KB");
    }
}
