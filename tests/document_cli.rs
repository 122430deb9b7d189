//! `motcua document …`: list a dossier's digitised documents, detach one with a
//! reason, refuse bad input without writing.

mod common;

use std::path::Path;

use assert_cmd::Command;
use motcua::desk::Desk;
use motcua::desk::work::Intake;
use motcua::domain::clock::{format_rfc3339, now_vn};
use motcua::domain::document::{MediaType, NewDocument, Sha256Hex};
use motcua::domain::intake::IntakeInput;
use serde_json::Value;

fn motcua(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("motcua").expect("binary built");
    cmd.env("MOTCUA_DATA_DIR", dir)
        .env("MOTCUA_CLERK", "Trần Thị Mai");
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// A desk with one dossier and one attached file; returns (code, sha).
fn dossier_with_file(dir: &Path) -> (String, Sha256Hex) {
    let desk = Desk::new(common::new_store(dir));
    let input =
        IntakeInput::from_json(&common::dossier_json("1.004873", &format_rfc3339(now_vn())))
            .expect("json");
    let who = Intake {
        clerk: "Trần Thị Mai",
        draft: None,
    };
    let code = desk
        .take_in(input, who)
        .expect("taken in")
        .state
        .code
        .to_string();
    let doc = NewDocument {
        name: "Giấy khai sinh.pdf".into(),
        media_type: MediaType::Pdf,
        bytes: b"%PDF-1.4\n%%EOF\n".to_vec(),
        pages: 1,
    };
    let sha = Sha256Hex::of(&doc.bytes);
    desk.attach(&code, "Bản sao Giấy khai sinh", doc, "Trần Thị Mai")
        .expect("attached");
    (code, sha)
}

#[test]
fn list_then_detach_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let (code, sha) = dossier_with_file(dir.path());
    let (ok, out, err) = run(motcua(dir.path()).args(["document", "list", &code]));
    assert!(ok, "{err}");
    assert!(
        out.contains("Bản sao Giấy khai sinh: Giấy khai sinh.pdf"),
        "{out}"
    );
    assert!(out.contains(sha.as_str()), "{out}");

    let (ok, out, err) = run(motcua(dir.path()).args(["--json", "document", "list", &code]));
    assert!(ok, "{err}");
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["documents"][0]["sha256"], sha.as_str());
    assert_eq!(json["documents"][0]["on_this_desk"], true);
    assert_eq!(json["documents"][0]["attached_by"], "Trần Thị Mai");
    let (ok, out, err) = run(motcua(dir.path()).args(["show", &code]));
    assert!(ok, "{err}");
    assert!(
        out.contains(
            "Giấy tờ đã số hóa:\n  - Bản sao Giấy khai sinh: Giấy khai sinh.pdf (1 trang)"
        ),
        "{out}"
    );
    assert!(
        out.contains("Số hóa giấy tờ — Trần Thị Mai"),
        "the timeline names it: {out}"
    );

    // A detach needs a reason, and a hash that is one.
    let (ok, _, err) = run(motcua(dir.path()).args(["document", "detach", &code, sha.as_str()]));
    assert!(!ok);
    assert!(err.contains("--reason"), "{err}");
    let before = common::snapshot(&dir.path().join("motcua.sqlite"));
    let (ok, _, err) =
        run(motcua(dir.path()).args(["document", "detach", &code, "../../x", "--reason", "Nhầm"]));
    assert!(!ok);
    assert!(err.contains("64 chữ số"), "{err}");
    let (ok, _, err) = run(motcua(dir.path()).args([
        "document",
        "detach",
        &code,
        &"0".repeat(64),
        "--reason",
        "Nhầm",
    ]));
    assert!(!ok);
    assert!(err.contains("không có gì để gỡ"), "{err}");
    assert_eq!(common::snapshot(&dir.path().join("motcua.sqlite")), before);

    let (ok, out, err) = run(motcua(dir.path()).args([
        "document",
        "detach",
        &code,
        sha.as_str(),
        "--reason",
        "Quét nhầm giấy tờ",
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("còn 0 giấy tờ"), "{out}");
    let (_, out, _) = run(motcua(dir.path()).args(["document", "list", &code]));
    assert!(out.contains("chưa có giấy tờ đã số hóa"), "{out}");
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/documents")
        .join(name)
}

#[cfg(feature = "desk")]
#[test]
fn attach_a_pdf_as_it_is_and_images_as_one_pdf() {
    let dir = tempfile::tempdir().expect("dir");
    let (code, _) = dossier_with_file(dir.path());
    let pdf = fixture("mau01-a4.pdf");
    let (ok, out, err) = run(motcua(dir.path())
        .args(["document", "attach", &code, "--item"])
        .arg("Tờ khai")
        .arg(&pdf));
    assert!(ok, "{err}");
    assert!(out.contains("Đã đính kèm \"mau01-a4.pdf\""), "{out}");
    // The PDF is kept byte for byte.
    let sha = Sha256Hex::of(&std::fs::read(&pdf).expect("fixture"));
    let stored = dir
        .path()
        .join("files")
        .join(&sha.as_str()[..2])
        .join(sha.as_str());
    assert!(stored.is_file(), "{}", stored.display());

    let (ok, out, err) = run(motcua(dir.path())
        .args([
            "--json",
            "document",
            "attach",
            &code,
            "--item",
            "Ảnh chụp giấy tờ",
        ])
        .arg(fixture("photo.jpg"))
        .arg(fixture("mau06-a4-200dpi.png")));
    assert!(ok, "{err}");
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["attached"]["pages"], 2);
    assert_eq!(json["attached"]["media_type"], "application/pdf");
    assert_eq!(json["attached"]["name"], "Ảnh chụp giấy tờ.pdf");
    assert_eq!(json["documents"], 3);
}

#[cfg(feature = "desk")]
#[test]
fn attach_refuses_a_file_that_is_not_what_its_name_says_without_writing() {
    let dir = tempfile::tempdir().expect("dir");
    let (code, _) = dossier_with_file(dir.path());
    let liar = dir.path().join("giay-to.pdf");
    std::fs::copy(fixture("photo.jpg"), &liar).expect("copy");
    let before = common::snapshot(&dir.path().join("motcua.sqlite"));
    let files_before = std::fs::read_dir(dir.path().join("files"))
        .expect("files")
        .count();
    let (ok, _, err) = run(motcua(dir.path())
        .args(["document", "attach", &code, "--item", "Tờ khai"])
        .arg(&liar));
    assert!(!ok);
    assert!(err.contains("nội dung không phải PDF"), "{err}");
    let (ok, _, err) = run(motcua(dir.path())
        .args(["document", "attach", &code, "--item", "Tờ khai"])
        .arg(dir.path().join("khong-co.pdf")));
    assert!(!ok, "{err}");
    assert_eq!(common::snapshot(&dir.path().join("motcua.sqlite")), before);
    assert_eq!(
        std::fs::read_dir(dir.path().join("files"))
            .expect("files")
            .count(),
        files_before
    );
}

/// `document get` writes the stored bytes out, never over a file, and only for a
/// hash the dossier holds.
#[cfg(feature = "desk")]
#[test]
fn get_writes_the_document_out_and_refuses_what_the_dossier_does_not_hold() {
    let dir = tempfile::tempdir().expect("dir");
    let (code, sha) = dossier_with_file(dir.path());
    let out_file = dir.path().join("ra.pdf");
    let (ok, out, err) = run(motcua(dir.path())
        .args(["document", "get", &code, sha.as_str(), "--out"])
        .arg(&out_file));
    assert!(ok, "{err}");
    assert!(out.contains("Đã ghi \"Giấy khai sinh.pdf\""), "{out}");
    assert_eq!(
        Sha256Hex::of(&std::fs::read(&out_file).expect("written")),
        sha
    );
    // Owner-only: the copy is a citizen's paper (issue 20).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // Not over a file already there.
    let (ok, _, err) = run(motcua(dir.path())
        .args(["document", "get", &code, sha.as_str(), "--out"])
        .arg(&out_file));
    assert!(!ok);
    assert!(err.contains("Không ghi được"), "{err}");
    // A hash of no document of this dossier.
    let other = dir.path().join("khac.pdf");
    let (ok, _, err) = run(motcua(dir.path())
        .args(["document", "get", &code, &"a".repeat(64), "--out"])
        .arg(&other));
    assert!(!ok);
    assert!(err.contains("không có giấy tờ aaaaaaaaaaaa"), "{err}");
    assert!(!other.exists());
}

/// `document scan --feeder` takes every sheet of SANE's test device feeder into one
/// attached PDF, as N does in the window.
#[cfg(feature = "desk")]
#[test]
fn scan_from_the_feeder_attaches_every_page_as_one_document() {
    let have = std::process::Command::new("scanimage")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        common::missing_tool("scanimage (bash .ci/setup cài sane-utils)");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let (code, _) = dossier_with_file(dir.path());
    let desk = Desk::new(
        motcua::store::Store::open(motcua::store::DataPaths::in_dir(dir.path())).expect("opens"),
    );
    desk.change_settings(&[
        (motcua::desk::settings::SETTING_SCANNER, "test".to_string()),
        (motcua::desk::settings::SETTING_SCAN_DPI, "100".to_string()),
    ])
    .expect("settings");
    drop(desk);
    let (ok, out, err) = run(motcua(dir.path()).args([
        "--json",
        "document",
        "scan",
        &code,
        "--item",
        "Tờ khai",
        "--feeder",
    ]));
    assert!(ok, "{err}");
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["attached"]["name"], "Tờ khai - bản quét.pdf");
    assert!(
        json["attached"]["pages"].as_u64().expect("pages") > 1,
        "every sheet of the feeder: {out}"
    );
    assert_eq!(json["documents"], 2);
}
