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

/// A desk with files on two dossiers, one detached (its attach event still names it).
fn desk_with_files(dir: &std::path::Path) -> (Desk, Vec<Sha256Hex>) {
    let desk = desk(dir);
    let (a, b) = (take_in(&desk), take_in(&desk));
    let docs = [pdf("Tờ khai"), pdf("CCCD"), pdf("Giấy ủy quyền")];
    desk.attach(&a, "Tờ khai", docs[0].clone(), CLERK)
        .expect("1");
    desk.attach(&a, "Bản sao CCCD", docs[1].clone(), CLERK)
        .expect("2");
    desk.attach(&b, "Giấy ủy quyền", docs[2].clone(), CLERK)
        .expect("3");
    let detached = Sha256Hex::of(&docs[1].bytes);
    desk.detach(&a, &detached, "Bản chụp mờ", CLERK)
        .expect("detach");
    let mut shas: Vec<Sha256Hex> = docs.iter().map(|d| Sha256Hex::of(&d.bytes)).collect();
    shas.sort();
    (desk, shas)
}

fn listed(desk: &Desk) -> Vec<(String, Sha256Hex)> {
    let mut out = Vec::new();
    let conn = rusqlite::Connection::open(&desk.paths().db).expect("db");
    let mut stmt = conn
        .prepare("SELECT dossier_code, sha256 FROM dossier_file ORDER BY dossier_code, sha256")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("rows");
    for row in rows {
        let (code, sha) = row.expect("row");
        out.push((code, Sha256Hex::parse(&sha).expect("sha")));
    }
    out
}

#[test]
fn a_backup_carried_elsewhere_restores_every_file() {
    let dir = tempfile::tempdir().expect("dir");
    let usb = tempfile::tempdir().expect("usb");
    let (desk, shas) = desk_with_files(dir.path());
    let before = listed(&desk);
    let dest = usb.path().join("sao-luu").join("motcua.sqlite");
    let copied = desk.back_up_to(&dest).expect("backup");
    assert_eq!(
        copied.copied, 3,
        "the detached file too: its event names it"
    );
    assert!(copied.missing.is_empty());
    // Incremental: a second backup beside it copies nothing again.
    let again = desk
        .back_up_to(&usb.path().join("sao-luu").join("motcua-2.sqlite"))
        .expect("backup 2");
    assert_eq!((again.copied, again.present), (0, 3));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let f = usb
            .path()
            .join("sao-luu/files")
            .join(&shas[0].as_str()[..2]);
        let f = f.join(shas[0].as_str());
        let mode = std::fs::metadata(&f).expect("copied").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    drop(desk);

    // The PC is lost: a new data folder, restored from the stick.
    let fresh = tempfile::tempdir().expect("fresh");
    let paths = DataPaths::in_dir(fresh.path());
    let report = motcua::desk::backup::restore(&paths, &dest).expect("restore");
    assert_eq!(report.files.copied, 3);
    assert!(report.files.missing.is_empty());
    let restored = Desk::open(paths).expect("opens");
    assert_eq!(listed(&restored), before);
    for sha in &shas {
        let path = restored.document_path(sha).expect("file back");
        assert_eq!(
            &Sha256Hex::of(&std::fs::read(path).expect("read")),
            sha,
            "bytes intact"
        );
    }
}

#[test]
fn a_daily_backup_keeps_the_files_and_a_restore_finds_them_in_the_backup_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let (desk, shas) = desk_with_files(dir.path());
    let paths = desk.paths().clone();
    let tomorrow = now_vn() + chrono::Duration::days(1);
    let daily = desk
        .with_store(|s| s.daily_backup(tomorrow))
        .expect("daily")
        .expect("made");
    for sha in &shas {
        assert!(
            paths
                .backups
                .join("files")
                .join(&sha.as_str()[..2])
                .join(sha.as_str())
                .is_file()
        );
    }
    drop(desk);
    // The files folder is lost (a clerk "cleaned up"); the database backup alone is
    // copied somewhere without its folder: the desk's own backup folder has them.
    std::fs::remove_dir_all(&paths.files).expect("lose files");
    let elsewhere = tempfile::tempdir().expect("elsewhere");
    let lone = elsewhere.path().join("daily.sqlite");
    std::fs::copy(&daily, &lone).expect("copy");
    let report = motcua::desk::backup::restore(&paths, &lone).expect("restore");
    assert_eq!(report.files.copied, 3, "{report:?}");
    let restored = Desk::open(paths).expect("opens");
    for sha in &shas {
        assert!(restored.document_path(sha).is_some());
    }
}

#[test]
fn a_restore_without_the_files_says_which_are_missing_and_refuses_a_forged_copy() {
    let dir = tempfile::tempdir().expect("dir");
    let usb = tempfile::tempdir().expect("usb");
    let (desk, shas) = desk_with_files(dir.path());
    let dest = usb.path().join("motcua.sqlite");
    desk.back_up_to(&dest).expect("backup");
    drop(desk);
    // One file on the stick is replaced by other bytes under the same name.
    let forged = usb
        .path()
        .join("files")
        .join(&shas[0].as_str()[..2])
        .join(shas[0].as_str());
    std::fs::write(&forged, b"not the scanned paper").expect("forge");
    let fresh = tempfile::tempdir().expect("fresh");
    let paths = DataPaths::in_dir(fresh.path());
    let report = motcua::desk::backup::restore(&paths, &dest).expect("restore");
    assert_eq!(report.files.copied, 2);
    assert_eq!(report.files.missing, vec![shas[0].clone()]);
    assert!(
        !paths
            .files
            .join(&shas[0].as_str()[..2])
            .join(shas[0].as_str())
            .exists()
    );
}

/// A 100-page greyscale scan at 200 dpi is about 15 MB: stored whole, and how long
/// the clerk waits for it (printed as a figure).
#[test]
fn a_large_scan_attaches_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = desk(dir.path());
    let code = take_in(&desk);
    let mut bytes = vec![0u8; 15 * 1024 * 1024];
    fastrand::Rng::with_seed(1).fill(&mut bytes);
    let doc = NewDocument {
        name: "Hồ sơ địa chính.pdf".into(),
        media_type: MediaType::Pdf,
        bytes,
        pages: 100,
    };
    let sha = Sha256Hex::of(&doc.bytes);
    let started = std::time::Instant::now();
    desk.attach(&code, "Hồ sơ kỹ thuật thửa đất", doc, CLERK)
        .expect("attached");
    let took = started.elapsed();
    let path = desk.document_path(&sha).expect("stored");
    assert_eq!(
        std::fs::metadata(&path).expect("meta").len(),
        15 * 1024 * 1024
    );
    assert_eq!(motcua::store::files::hash_file(&path).expect("hash").0, sha);
    eprintln!(
        "figure: attaching a 15 MB, 100-page document took {took:?} (checks, hash, write, fsync, rename, transaction)"
    );
}
