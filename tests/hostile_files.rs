//! Issue 20: hostile files. A PDF of any size attaches or is refused with a Vietnamese
//! message in bounded time and memory (the figures are in benches/hostile_figures.rs).
#![cfg(feature = "desk")]

mod common;

use common::pdf_bomb::{content_bomb, object_stream_bomb, object_stream_of_tiny_objects};
use motcua::documents::{IngestError, Profile, import_file, import_files};
use motcua::domain::document::{DocumentError, DocumentLimits, check_name};

const MIB: usize = 1024 * 1024;

fn import(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> Result<u32, IngestError> {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the test file");
    import_file(&path, &Profile::default(), &DocumentLimits::default()).map(|doc| doc.pages)
}

#[test]
fn object_streams_are_bounded_across_the_whole_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Eight streams of 40 MB: each under lopdf's per-stream cap, 320 MB together.
    let bomb = object_stream_bomb(8, 40 * MIB);
    assert!(bomb.len() < 8 * 1024, "a small file: {} bytes", bomb.len());
    let refused = import(&dir, "Tờ khai.pdf", &bomb).expect_err("refused");
    assert!(
        matches!(refused, IngestError::PdfBomb { .. }),
        "{refused:?}"
    );
    let message = refused.to_string();
    assert!(message.contains("cấu trúc bất thường"), "{message}");
    assert!(message.contains("Tờ khai.pdf"), "{message}");
}

#[test]
fn a_page_drawing_that_unpacks_past_the_budget_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bomb = content_bomb(300 * MIB);
    let refused = import(&dir, "CCCD.pdf", &bomb).expect_err("refused");
    assert!(
        matches!(refused, IngestError::PdfBomb { .. }),
        "{refused:?}"
    );
}

#[test]
fn an_object_stream_of_millions_of_tiny_objects_is_refused() {
    // 4 MB of `0 `: two million objects for lopdf to keep (about 240 MB of memory).
    let dir = tempfile::tempdir().expect("temp dir");
    let bomb = object_stream_of_tiny_objects(4 * MIB);
    let refused = import(&dir, "Giấy khai sinh.pdf", &bomb).expect_err("refused");
    assert!(
        matches!(refused, IngestError::PdfBomb { .. }),
        "{refused:?}"
    );
}

#[test]
fn object_streams_within_the_budget_still_attach() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = import(&dir, "ok.pdf", &object_stream_bomb(3, MIB)).expect("accepted");
    assert_eq!(pages, 1);
    let pages = import(&dir, "ve.pdf", &content_bomb(8 * MIB)).expect("accepted");
    assert_eq!(pages, 1);
}

#[test]
fn a_name_with_bidi_controls_is_refused_as_an_intake_field_is() {
    // Item 7: "Giấy khai sinh \u{202E}fdp.exe.pdf" shows as "Giấy khai sinh fdp.exe.pdf"
    // reversed: "…exe.pdf" to the eye, an .exe to a careless reader.
    for name in [
        "Giấy khai sinh \u{202E}fdp.exe.pdf",
        "CCCD \u{2066}x\u{2069}.pdf",
        "Sổ \u{FFFD}.pdf",
    ] {
        assert_eq!(check_name(name), Err(DocumentError::BadName), "{name:?}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.pdf");
    std::fs::write(&path, common::pdf_bomb::plain_pdf("ok", 100, 1)).expect("write");
    let refused = import_files(
        "Giấy khai sinh \u{202E}fdp.exe",
        &[path],
        &Profile::default(),
        &DocumentLimits::default(),
    )
    .expect_err("refused");
    assert!(refused.to_string().contains("đảo chiều"), "{refused}");
    assert_eq!(
        check_name("Giấy khai sinh.pdf").as_deref(),
        Ok("Giấy khai sinh.pdf")
    );
}
