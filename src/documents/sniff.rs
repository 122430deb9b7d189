//! What a file really is: its first bytes, checked against what its name says, and its
//! size, checked from the file system before a single byte is read.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::domain::document::{DocumentLimits, MediaType, size_vi};

use super::IngestError;

/// The kind named by a file's extension (case-insensitive), if it is one we take.
pub fn kind_from_name(path: &Path) -> Option<MediaType> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(MediaType::Pdf),
        "jpg" | "jpeg" | "jpe" | "jfif" => Some(MediaType::Jpeg),
        "png" => Some(MediaType::Png),
        _ => None,
    }
}

/// The kind the content's magic bytes show (see [`MediaType::of_bytes`]).
pub fn kind_from_bytes(head: &[u8]) -> Option<MediaType> {
    MediaType::of_bytes(head)
}

/// The name shown in messages: the file's own name, not the whole path.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// A file read whole after its checks: its size from metadata against the limit, its
/// extension and its magic bytes against each other.
#[derive(Debug)]
pub struct Checked {
    pub kind: MediaType,
    pub bytes: Vec<u8>,
}

pub fn read_checked(path: &Path, limits: &DocumentLimits) -> Result<Checked, IngestError> {
    let name = display_name(path);
    let claimed =
        kind_from_name(path).ok_or_else(|| IngestError::UnsupportedName { name: name.clone() })?;
    let meta = std::fs::metadata(path).map_err(|e| io_error(&name, &e))?;
    if !meta.is_file() {
        return Err(IngestError::NotAFile { name });
    }
    check_size(&name, meta.len(), limits)?;
    let file = File::open(path).map_err(|e| io_error(&name, &e))?;
    // The file may grow between the metadata and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(&name, &e))?;
    check_size(&name, bytes.len() as u64, limits)?;
    let actual = kind_from_bytes(&bytes);
    if actual != Some(claimed) {
        return Err(IngestError::NotWhatItSays {
            name,
            claimed: claimed.label(),
            actual: actual
                .map(|k| format!(", mà là {}", k.label()))
                .unwrap_or_default(),
        });
    }
    Ok(Checked {
        kind: claimed,
        bytes,
    })
}

pub fn check_size(name: &str, size: u64, limits: &DocumentLimits) -> Result<(), IngestError> {
    if size == 0 {
        return Err(IngestError::Empty { name: name.into() });
    }
    if size > limits.max_bytes {
        return Err(IngestError::TooLarge {
            name: name.into(),
            size: size_vi(size),
            limit: size_vi(limits.max_bytes),
        });
    }
    Ok(())
}

pub fn io_error(name: &str, e: &std::io::Error) -> IngestError {
    if e.kind() == std::io::ErrorKind::NotFound {
        IngestError::NotFound { name: name.into() }
    } else {
        IngestError::Unreadable {
            name: name.into(),
            detail: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_name_the_three_kinds() {
        assert_eq!(kind_from_bytes(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(
            kind_from_bytes(b"\xEF\xBB\xBF%PDF-1.4"),
            Some(MediaType::Pdf)
        );
        assert_eq!(
            kind_from_bytes(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            kind_from_bytes(b"\x89PNG\r\n\x1a\n...."),
            Some(MediaType::Png)
        );
        assert_eq!(kind_from_bytes(b"PK\x03\x04 a docx"), None);
        assert_eq!(kind_from_bytes(b""), None);
    }

    #[test]
    fn extensions_are_read_case_insensitively() {
        assert_eq!(
            kind_from_name(Path::new("a/CCCD.JPG")),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            kind_from_name(Path::new("giấy khai sinh.Pdf")),
            Some(MediaType::Pdf)
        );
        assert_eq!(kind_from_name(Path::new("x.png")), Some(MediaType::Png));
        assert_eq!(kind_from_name(Path::new("x.docx")), None);
        assert_eq!(kind_from_name(Path::new("noext")), None);
    }
}
