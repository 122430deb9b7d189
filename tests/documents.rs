//! Digitised documents through the desk: attach and detach as events, each file stored
//! once by its hash and owner-only, nothing written when an attach is refused, the
//! upload queue, backups that carry the files, and a crash mid-attach.

mod common;

use motcua::desk::Desk;
use motcua::desk::work::Intake;
use motcua::domain::clock::{format_rfc3339, now_vn};
use motcua::domain::document::{MediaType, NewDocument, Sha256Hex};
use motcua::domain::event::EventKind;
use motcua::domain::intake::IntakeInput;
use motcua::store::DataPaths;

const CLERK: &str = "Trần Thị Hòa";

fn desk(dir: &std::path::Path) -> Desk {
    Desk::new(common::new_store(dir))
}

fn take_in(desk: &Desk) -> String {
    let input =
        IntakeInput::from_json(&common::dossier_json("1.004873", &format_rfc3339(now_vn())))
            .expect("json");
    desk.take_in(
        input,
        Intake {
            clerk: CLERK,
            draft: None,
        },
    )
    .expect("taken in")
    .state
    .code
    .to_string()
}

fn pdf(text: &str) -> NewDocument {
    NewDocument {
        name: format!("{text}.pdf"),
        media_type: MediaType::Pdf,
        bytes: format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes(),
        pages: 1,
    }
}

fn stored_files(paths: &DataPaths) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&paths.files)
        .expect("files dir")
        .flatten()
    {
        if dir.file_name() == "tmp" {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).expect("sub").flatten() {
            out.push(f.path());
        }
    }
    out.sort();
    out
}

#[test]
fn attach_and_detach_are_events_that_change_no_status() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let code = take_in(&desk);
    let doc = pdf("CCCD người nộp");
    let sha = Sha256Hex::of(&doc.bytes);
    let written = desk
        .attach(&code, "Bản sao Căn cước công dân", doc.clone(), CLERK)
        .expect("attached");
    assert!(written.changed.touches(&code));
    let state = &written.state;
    assert_eq!(state.status.code(), 2, "still received");
    assert_eq!(state.documents.len(), 1);
    assert_eq!(state.documents[0].file.sha256, sha);
    assert_eq!(state.documents[0].file.name, "CCCD người nộp.pdf");
    assert_eq!(state.documents[0].attached_by, CLERK);
    let path = desk.document_path(&sha).expect("on this desk");
    assert_eq!(std::fs::read(&path).expect("read"), doc.bytes);

    // The same file again on the same dossier: refused, nothing more written.
    let err = desk
        .attach(&code, "Giấy tờ khác", doc.clone(), CLERK)
        .expect_err("twice");
    assert!(err.to_string().contains("đã được đính kèm"), "{err}");

    let listed = desk.with_store(|s| s.dossier_files(&code)).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].item, "Bản sao Căn cước công dân");

    let written = desk
        .detach(&code, &sha, "Quét nhầm giấy tờ của người khác", CLERK)
        .expect("detached");
    assert!(written.state.documents.is_empty());
    assert_eq!(written.state.status.code(), 2);
    assert!(
        desk.with_store(|s| s.dossier_files(&code))
            .expect("list")
            .is_empty()
    );
    // The file stays: the log still names it.
    assert!(desk.document_path(&sha).is_some());
    let kinds: Vec<EventKind> = desk
        .with_store(|s| s.timeline(&code))
        .expect("timeline")
        .iter()
        .map(|e| e.body.kind())
        .collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Received,
            EventKind::DocumentAttached,
            EventKind::DocumentDetached
        ]
    );
    assert_eq!(EventKind::DocumentAttached.label_vi(), "Số hóa giấy tờ");

    // Detaching again: nothing attached under that hash any more.
    let err = desk
        .detach(&code, &sha, "Lần nữa", CLERK)
        .expect_err("not attached");
    assert!(err.to_string().contains("không có gì để gỡ"), "{err}");
}

#[test]
fn the_same_bytes_on_two_dossiers_are_stored_once_owner_only() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let (a, b) = (take_in(&desk), take_in(&desk));
    let doc = pdf("Sổ hộ khẩu");
    desk.attach(&a, "Sổ hộ khẩu", doc.clone(), CLERK)
        .expect("a");
    desk.attach(&b, "Sổ hộ khẩu", doc.clone(), CLERK)
        .expect("b");
    let files = stored_files(desk.paths());
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&files[0]), 0o600);
        assert_eq!(mode(files[0].parent().expect("dir")), 0o700);
        assert_eq!(mode(&desk.paths().files), 0o700);
    }
    // One upload for both dossiers; confirmed, it leaves the queue.
    let sha = Sha256Hex::of(&doc.bytes);
    let pending = desk.with_store(|s| s.files_to_upload(10)).expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].sha256, sha);
    assert_eq!(pending[0].size, doc.bytes.len() as u64);
    desk.with_store(|s| s.mark_file_uploaded(&sha, now_vn()))
        .expect("marked");
    assert!(
        desk.with_store(|s| s.files_to_upload(10))
            .expect("pending")
            .is_empty()
    );
    let file = desk
        .with_store(|s| s.file_ref(&sha))
        .expect("file ref")
        .expect("known");
    assert_eq!(file.name, "Sổ hộ khẩu.pdf");
    assert_eq!(
        desk.with_store(|s| s.file_ref(&Sha256Hex::of(b"unknown")))
            .expect("query"),
        None
    );
}

#[test]
fn a_refused_attach_writes_neither_file_nor_event() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let code = take_in(&desk);
    let before = common::snapshot(&desk.paths().db);
    let mut bad_name = pdf("x");
    bad_name.name = "../../etc/passwd".into();
    let mut empty = pdf("empty");
    empty.bytes.clear();
    let mut no_pages = pdf("no pages");
    no_pages.pages = 0;
    let cases: Vec<(&str, &str, NewDocument, &str)> = vec![
        (
            code.as_str(),
            "Bản sao CCCD",
            bad_name,
            "dấu phân cách thư mục",
        ),
        (code.as_str(), "Bản sao CCCD", empty, "Tệp rỗng"),
        (code.as_str(), "Bản sao CCCD", no_pages, "không có trang"),
        (code.as_str(), "   ", pdf("no item"), "Thành phần hồ sơ"),
        (
            "H22.39.15-261130-0999",
            "Bản sao CCCD",
            pdf("unknown"),
            "Không tìm thấy",
        ),
    ];
    for (code, item, doc, expected) in cases {
        let err = desk.attach(code, item, doc, CLERK).expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
    }
    let long_item = "x".repeat(501);
    assert!(desk.attach(&code, &long_item, pdf("long"), CLERK).is_err());
    // Not enough free disk space left after the write: refused in Vietnamese.
    let err = desk
        .attach_with_floor(&code, "Bản sao CCCD", pdf("floor"), CLERK, u64::MAX / 2)
        .expect_err("disk floor");
    assert!(err.to_string().contains("Ổ đĩa chỉ còn trống"), "{err}");
    assert!(stored_files(desk.paths()).is_empty());
    assert_eq!(common::snapshot(&desk.paths().db), before);
}

#[test]
fn a_file_over_the_desks_limit_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let code = take_in(&desk);
    desk.change_settings(&[(motcua::desk::settings::SETTING_DOCUMENT_MAX_MB, "1".into())])
        .expect("limit");
    let mut big = pdf("big");
    big.bytes.resize(1024 * 1024 + 1, b' ');
    let err = desk
        .attach(&code, "Bản sao CCCD", big, CLERK)
        .expect_err("too large");
    assert!(err.to_string().contains("vượt giới hạn"), "{err}");
    assert!(stored_files(desk.paths()).is_empty());
}
