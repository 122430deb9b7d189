//! Every kind of bad input refused with its plain Vietnamese message, before anything
//! is written (the folder holding the input is left as it was).

use std::path::Path;
use std::time::{Duration, Instant};

use motcua::documents::{IngestError, Profile, import_file, import_files};
use motcua::domain::document::DocumentLimits;

use crate::{fixture, listing};

/// Imports `path` expecting a refusal; checks the folder is unchanged and returns the
/// error with its message.
fn refused(path: &Path) -> (IngestError, String) {
    let dir = path.parent().expect("a folder");
    let before = listing(dir);
    let err = import_file(path, &Profile::default(), &DocumentLimits::default())
        .expect_err("bad input is refused");
    assert_eq!(listing(dir), before, "a refusal writes nothing");
    let message = err.to_string();
    (err, message)
}

fn copy_as(dir: &Path, from: &Path, name: &str) -> std::path::PathBuf {
    let to = dir.join(name);
    std::fs::copy(from, &to).expect("copies");
    to
}

#[test]
fn a_file_that_is_not_what_its_name_says_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jpeg_as_pdf = copy_as(dir.path(), &fixture("photo.jpg"), "Giấy khai sinh.pdf");
    let (err, message) = refused(&jpeg_as_pdf);
    assert!(matches!(err, IngestError::NotWhatItSays { .. }), "{err:?}");
    assert!(
        message.contains(
            "'Giấy khai sinh.pdf' có tên đuôi của tệp PDF nhưng nội dung không phải PDF, mà là JPEG"
        ),
        "{message}"
    );

    let zip_as_png = dir.path().join("CCCD.png");
    std::fs::write(&zip_as_png, b"PK\x03\x04 a word document, not a picture").expect("writes");
    let (err, message) = refused(&zip_as_png);
    assert!(matches!(err, IngestError::NotWhatItSays { .. }), "{err:?}");
    assert!(message.contains("nội dung không phải PNG:"), "{message}");

    let word = dir.path().join("Đơn đề nghị.docx");
    std::fs::write(&word, b"PK\x03\x04").expect("writes");
    let (err, message) = refused(&word);
    assert!(
        matches!(err, IngestError::UnsupportedName { .. }),
        "{err:?}"
    );
    assert!(
        message.contains("chỉ nhận tệp PDF (.pdf), JPEG (.jpg, .jpeg) hoặc PNG (.png)"),
        "{message}"
    );
}

#[test]
fn an_encrypted_pdf_is_refused_with_or_without_a_user_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["encrypted-password.pdf", "encrypted-no-user-password.pdf"] {
        let path = copy_as(dir.path(), &fixture(name), name);
        let (err, message) = refused(&path);
        assert_eq!(
            err,
            IngestError::EncryptedPdf { name: name.into() },
            "{name}"
        );
        assert!(
            message.contains("được đặt mật khẩu hoặc mã hóa"),
            "{message}"
        );
    }
}

#[test]
fn a_broken_or_truncated_pdf_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = std::fs::read(fixture("mau01-a4.pdf")).expect("reads");
    let truncated = dir.path().join("tải về dở.pdf");
    std::fs::write(&truncated, &whole[..whole.len() / 2]).expect("writes");
    let (err, message) = refused(&truncated);
    assert!(matches!(err, IngestError::BrokenPdf { .. }), "{err:?}");
    assert!(message.contains("bị hỏng hoặc không đầy đủ"), "{message}");

    let garbage = dir.path().join("hỏng.pdf");
    std::fs::write(
        &garbage,
        b"%PDF-1.7\nthis is not a PDF body at all\nstartxref\n999999\n%%EOF\n",
    )
    .expect("writes");
    let (err, _) = refused(&garbage);
    assert!(matches!(err, IngestError::BrokenPdf { .. }), "{err:?}");
}

/// A PNG of a few bytes whose header claims 60,000 × 60,000 pixels (3.6 gigapixels).
fn huge_png() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [
        ihdr.as_slice(),
        b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01",
        b"IEND",
    ] {
        png.extend_from_slice(&(chunk.len() as u32 - 4).to_be_bytes());
        png.extend_from_slice(chunk);
        let mut crc = flate2::Crc::new();
        crc.update(chunk);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    }
    png
}

/// A JPEG of a few bytes whose frame header claims 60,000 × 60,000 pixels.
fn huge_jpeg() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    j.extend_from_slice(&[1u8; 64]);
    j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    j.extend_from_slice(&60_000u16.to_be_bytes());
    j.extend_from_slice(&60_000u16.to_be_bytes());
    j.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    for class in [0x00u8, 0x10] {
        j.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, class, 1]);
        j.extend_from_slice(&[0u8; 15]);
        j.push(0);
    }
    j.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x00,
    ]);
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

#[test]
fn an_image_claiming_60000_by_60000_pixels_is_refused_from_its_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in [
        ("ảnh khổng lồ.png", huge_png()),
        ("ảnh khổng lồ.jpg", huge_jpeg()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("writes");
        let started = Instant::now();
        let (err, message) = refused(&path);
        // Decoding 3.6 gigapixels would take minutes and gigabytes: the header is enough.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{name}: {:?}",
            started.elapsed()
        );
        assert!(
            matches!(
                err,
                IngestError::ImageTooLarge {
                    width: 60_000,
                    height: 60_000,
                    ..
                }
            ),
            "{name}: {err:?}"
        );
        assert!(
            message.contains("60000 × 60000 điểm ảnh, vượt giới hạn"),
            "{message}"
        );
    }
    // Among several images too.
    let paths = [fixture("photo.jpg"), dir.path().join("ảnh khổng lồ.png")];
    let err = import_files(
        "Hồ sơ",
        &paths,
        &Profile::default(),
        &DocumentLimits::default(),
    )
    .expect_err("refused");
    assert!(matches!(err, IngestError::ImageTooLarge { .. }), "{err:?}");
}

#[test]
fn a_300_mb_file_is_refused_from_its_size_before_it_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["bản quét 300MB.pdf", "ảnh 300MB.jpg"] {
        let path = dir.path().join(name);
        // Sparse: costs no disk and no time; reading it would cost 300 MB.
        let file = std::fs::File::create(&path).expect("creates");
        file.set_len(300 * 1024 * 1024).expect("sets the length");
        let started = Instant::now();
        let (err, message) = refused(&path);
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, IngestError::TooLarge { .. }), "{err:?}");
        assert!(
            message.contains("nặng 300,0 MB, vượt giới hạn 50,0 MB"),
            "{message}"
        );
    }
}

#[test]
fn an_empty_file_and_a_missing_file_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("trống.png");
    std::fs::write(&empty, b"").expect("writes");
    assert!(matches!(refused(&empty).0, IngestError::Empty { .. }));
    let missing = dir.path().join("không có.pdf");
    let err = import_file(&missing, &Profile::default(), &DocumentLimits::default())
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("Không tìm thấy tệp 'không có.pdf'"),
        "{err}"
    );
}

#[test]
fn too_many_pages_are_refused() {
    let limits = DocumentLimits {
        max_pages: 1,
        ..DocumentLimits::default()
    };
    let paths = [fixture("photo.jpg"), fixture("photo.jpg")];
    let err = import_files("Hai trang", &paths, &Profile::default(), &limits).expect_err("refused");
    assert!(
        err.to_string()
            .contains("có 2 trang, vượt giới hạn 1 trang"),
        "{err}"
    );
}
