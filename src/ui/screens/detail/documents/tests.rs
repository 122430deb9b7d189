//! The documents panel driven by keys and its real view: a PDF taken through the
//! chooser is attached and shown with its thumbnail; a file that is not what its name
//! says is refused in Vietnamese and nothing is attached; detaching asks a reason.

use std::path::{Path, PathBuf};

use iced::keyboard::{Key, Modifiers, key::Named};
use iced_test::{selector, simulator};

use crate::ui::job::Up;
use crate::ui::screens::detail::documents::{self as docs, DETACH_REASON, thumb_id};
use crate::ui::screens::detail::*;
use crate::ui::screens::file_chooser::{self, PATH_FIELD};
use crate::ui::screens::testkit::{Kit, Settled, intake, kit, outbox_len, settle};
use crate::ui::strings as s;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/documents")
        .join(name)
}

fn apply(state: &mut State, kit: &Kit, m: Message) -> Settled {
    let session = kit.session.clone();
    let action = state.update(m, &session);
    settle(&kit.desk, action, |m| state.update(m, &session))
}

/// The dossier opened on its documents panel (F10).
fn documents_of(kit: &Kit, code: &str) -> State {
    let mut state = State::default();
    let session = kit.session.clone();
    let action = state.open(code, &session);
    settle(&kit.desk, action, |m| state.update(m, &session));
    press(&mut state, kit, Key::Named(Named::F10));
    assert!(state.showing_documents());
    state
}

/// A key no text field took.
fn press(state: &mut State, kit: &Kit, key: Key) -> Settled {
    let m = state
        .key(&key, Modifiers::empty(), true)
        .expect("the screen takes this key");
    apply(state, kit, m)
}

fn letter(c: &str) -> Key {
    Key::Character(c.into())
}

/// Types `dir` into the chooser's path field and presses Enter there.
fn go_to(state: &mut State, kit: &Kit, dir: &Path) {
    let clear = Message::Docs(docs::Message::Chooser(file_chooser::Message::Path(
        String::new(),
    )));
    apply(state, kit, clear);
    let session = kit.session.clone();
    let msgs: Vec<Message> = {
        let mut ui = simulator(state.view(&session));
        ui.click(selector::id(PATH_FIELD)).expect("path field");
        let _ = ui.typewrite(&dir.display().to_string());
        let _ = ui.tap_key(Key::Named(Named::Enter));
        ui.into_messages().collect()
    };
    for m in msgs {
        apply(state, kit, m);
    }
}

/// Down to the file called `name` in the chooser, then Enter.
fn take(state: &mut State, kit: &Kit, name: &str) -> Settled {
    let at = state
        .documents_panel()
        .chooser()
        .and_then(|c| c.entries().iter().position(|e| e.name == name))
        .expect("the file is listed");
    for _ in 0..at {
        press(state, kit, Key::Named(Named::ArrowDown));
    }
    press(state, kit, Key::Named(Named::Enter))
}

fn shows(state: &State, kit: &Kit, wanted: &str) -> bool {
    let mut ui = simulator(state.view(&kit.session));
    ui.find(|c: iced_test::selector::Candidate<'_>| match c {
        iced_test::selector::Candidate::Text { content, .. } if content.contains(wanted) => {
            Some(())
        }
        _ => None,
    })
    .is_ok()
}

#[test]
fn a_pdf_taken_through_the_chooser_by_keyboard_is_attached_and_shown_with_its_thumbnail() {
    let kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let folder = tempfile::tempdir().expect("folder");
    std::fs::copy(fixture("mau01-a4.pdf"), folder.path().join("Tờ khai.pdf")).expect("copy");
    let mut state = documents_of(&kit, &code);
    let first_item = docs::items(state.dossier().expect("loaded"))[0].clone();
    assert!(shows(&state, &kit, s::DOCS_NO_FILE));

    press(&mut state, &kit, letter("c"));
    assert!(state.documents_panel().chooser().is_some());
    go_to(&mut state, &kit, folder.path());
    let out = take(&mut state, &kit, "Tờ khai.pdf");

    assert_eq!(out.ups, vec![Up::DossierChanged(code.clone())]);
    let d = state.dossier().expect("reloaded");
    assert_eq!(d.documents.len(), 1);
    let doc = &d.documents[0];
    assert_eq!(doc.item, first_item);
    assert_eq!(doc.file.name, "Tờ khai.pdf");
    assert_eq!(doc.attached_by, kit.session.clerk.full_name);
    assert!(state.documents_panel().chooser().is_none());
    let sha = doc.file.sha256.clone();
    let thumbs = state.documents_panel().thumbs(&sha).expect("made");
    assert!(thumbs.as_ref().is_ok_and(|t| !t.is_empty()), "{thumbs:?}");

    assert!(shows(&state, &kit, "Tờ khai.pdf"));
    assert!(shows(
        &state,
        &kit,
        &s::docs_attached("Tờ khai.pdf", &first_item)
    ));
    let mut ui = simulator(state.view(&kit.session));
    assert!(
        ui.find(selector::id(thumb_id(&sha, 0))).is_ok(),
        "thumbnail drawn"
    );
    drop(ui);

    // The next dossier's chooser opens where this one was taken from.
    let other = intake(&mut kit.store(), "Lê Thị Lương", "022190005678", None);
    let session = kit.session.clone();
    let a = state.open(&other, &session);
    settle(&kit.desk, a, |m| state.update(m, &session));
    state.show_documents(true);
    press(&mut state, &kit, letter("c"));
    assert_eq!(
        state
            .documents_panel()
            .chooser()
            .map(|c| c.dir().to_path_buf()),
        Some(folder.path().to_path_buf())
    );
}

#[test]
fn a_pdf_that_is_really_text_is_refused_in_vietnamese_and_nothing_is_attached() {
    let kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let folder = tempfile::tempdir().expect("folder");
    std::fs::write(
        folder.path().join("giấy khai sinh.pdf"),
        "Đây là văn bản, không phải PDF\n".repeat(20),
    )
    .expect("write");
    let before = outbox_len(&kit.store());
    let mut state = documents_of(&kit, &code);
    press(&mut state, &kit, letter("c"));
    go_to(&mut state, &kit, folder.path());
    let out = take(&mut state, &kit, "giấy khai sinh.pdf");

    assert!(out.ups.is_empty());
    let why = match state.documents_panel().note() {
        Some(Err(e)) => e.clone(),
        other => panic!("refused expected, got {other:?}"),
    };
    assert!(why.starts_with("Chưa đính kèm được: "), "{why}");
    assert!(why.contains("giấy khai sinh.pdf"), "names the file: {why}");
    assert!(shows(&state, &kit, &why));
    assert_eq!(outbox_len(&kit.store()), before);
    assert!(state.dossier().is_some_and(|d| d.documents.is_empty()));
    let stored = kit.desk.paths().files.clone();
    let kept = walk_files(&stored);
    assert!(kept.is_empty(), "nothing stored: {kept:?}");
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn detaching_asks_a_reason_and_the_scan_folder_gives_its_newest_file() {
    let kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = documents_of(&kit, &code);

    // No scan folder set: says where to set it.
    press(&mut state, &kit, letter("t"));
    assert_eq!(
        state.documents_panel().note(),
        Some(&Err(s::DOCS_NO_SCAN_FOLDER.to_string()))
    );
    let scans = tempfile::tempdir().expect("scan folder");
    std::fs::copy(fixture("photo.jpg"), scans.path().join("scan-0001.jpg")).expect("copy");
    kit.desk
        .change_settings(&[(
            crate::desk::settings::SETTING_SCAN_FOLDER,
            scans.path().display().to_string(),
        )])
        .expect("setting");
    let session = kit.session.clone();
    let a = state.open(&code, &session);
    settle(&kit.desk, a, |m| state.update(m, &session));
    state.show_documents(true);
    press(&mut state, &kit, letter("t"));
    let d = state.dossier().expect("loaded");
    assert_eq!(d.documents.len(), 1, "{:?}", state.documents_panel().note());
    assert_eq!(d.documents[0].file.name, "scan-0001.pdf");

    // Down to the file's line, G: the reason is asked; empty is refused.
    press(&mut state, &kit, Key::Named(Named::ArrowDown));
    let out = press(&mut state, &kit, letter("g"));
    assert_eq!(out.focus, vec![DETACH_REASON]);
    let out = apply(
        &mut state,
        &kit,
        Message::Docs(docs::Message::ConfirmDetach),
    );
    assert!(out.ups.is_empty());
    assert_eq!(
        state.documents_panel().detach_error(),
        Some(s::DOCS_DETACH_NO_REASON)
    );
    let msgs: Vec<Message> = {
        let mut ui = simulator(state.view(&kit.session));
        ui.click(selector::id(DETACH_REASON)).expect("reason");
        let _ = ui.typewrite("Quét nhầm hồ sơ khác");
        let _ = ui.tap_key(Key::Named(Named::Enter));
        ui.into_messages().collect()
    };
    let mut ups = Vec::new();
    for m in msgs {
        ups.extend(apply(&mut state, &kit, m).ups);
    }
    assert_eq!(ups, vec![Up::DossierChanged(code.clone())]);
    assert!(state.dossier().is_some_and(|d| d.documents.is_empty()));
    let events = state.events();
    let last = events.last().expect("event");
    assert!(matches!(
        &last.body,
        crate::domain::event::EventBody::DocumentDetached { reason, .. } if reason == "Quét nhầm hồ sơ khác"
    ));
}

#[test]
fn a_copy_for_viewing_has_the_documents_name_in_a_private_folder() {
    let stored = fixture("mau01-a4.pdf");
    let sha = crate::domain::document::Sha256Hex::of(&std::fs::read(&stored).expect("read"));
    let copy =
        crate::ui::screens::detail::viewer::copy_for_viewing(&stored, "Tờ khai khai sinh", &sha)
            .expect("copy");
    assert_eq!(
        copy.file_name().and_then(|n| n.to_str()),
        Some("Tờ khai khai sinh.pdf")
    );
    assert_eq!(std::fs::read(&copy).ok(), std::fs::read(&stored).ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(copy.parent().expect("dir"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "others cannot read citizens' papers");
    }
}

/// Q scans through SANE's `test` device (the desk's scanner setting), off the UI
/// thread, and the pages are attached as one PDF named after the item.
#[test]
fn q_scans_with_the_configured_scanner_and_attaches_the_pages() {
    let Some(kit) = kit_with_test_scanner() else {
        return;
    };
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = documents_of(&kit, &code);
    let item = docs::items(state.dossier().expect("loaded"))[0].clone();
    let out = press(&mut state, &kit, letter("q"));
    assert_eq!(
        out.ups,
        vec![Up::DossierChanged(code.clone())],
        "{:?}",
        state.documents_panel().note()
    );
    let d = state.dossier().expect("reloaded");
    assert_eq!(d.documents.len(), 1);
    assert_eq!(d.documents[0].item, item);
    assert_eq!(d.documents[0].file.name, docs::scan_name(&item));
    assert!(d.documents[0].file.pages >= 1);
    let sha = d.documents[0].file.sha256.clone();
    assert!(
        state
            .documents_panel()
            .thumbs(&sha)
            .is_some_and(|t| t.is_ok())
    );
}

/// A desk whose scanner is SANE's `test` device at 100 dpi; `None` when `scanimage` is
/// not here (under CI=true its absence fails the test).
fn kit_with_test_scanner() -> Option<Kit> {
    let have = std::process::Command::new("scanimage")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var("CI").ok().as_deref() != Some("true"),
            "scanimage: CI=true needs it (bash .ci/setup installs sane-utils)"
        );
        eprintln!("BỎ QUA: scanimage (bash .ci/setup cài sane-utils)");
        return None;
    }
    let kit = kit();
    kit.desk
        .change_settings(&[
            (crate::desk::settings::SETTING_SCANNER, "test".to_string()),
            (crate::desk::settings::SETTING_SCAN_DPI, "100".to_string()),
        ])
        .expect("settings");
    Some(kit)
}

/// N takes every page the feeder holds, in order, as one document (SANE's test
/// device has a feeder that empties after ten sheets).
#[test]
fn n_scans_the_whole_feeder_into_one_document() {
    let Some(kit) = kit_with_test_scanner() else {
        return;
    };
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = documents_of(&kit, &code);
    let out = press(&mut state, &kit, letter("n"));
    assert_eq!(
        out.ups,
        vec![Up::DossierChanged(code.clone())],
        "{:?}",
        state.documents_panel().note()
    );
    let d = state.dossier().expect("reloaded");
    assert_eq!(d.documents.len(), 1, "one document, however many sheets");
    assert!(
        d.documents[0].file.pages > 1,
        "the feeder's sheets: {}",
        d.documents[0].file.pages
    );
}

#[test]
fn esc_while_scanning_asks_the_scanner_to_stop() {
    let kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = documents_of(&kit, &code);
    assert!(
        state
            .key(&Key::Named(Named::Escape), Modifiers::empty(), true)
            .is_none(),
        "Esc means nothing when no scan runs"
    );
    state.docs.busy = Some(docs::Busy::Scanning);
    assert!(shows(&state, &kit, s::DOCS_STOP_SCAN));
    press(&mut state, &kit, Key::Named(Named::Escape));
    assert!(state.docs.cancel.load(std::sync::atomic::Ordering::Relaxed));
}

#[test]
fn the_thumbnail_cache_is_bounded() {
    let mut docs = docs::Docs::default();
    let kit = kit();
    for i in 0..docs::THUMB_CACHE + 5 {
        let sha = crate::domain::document::Sha256Hex::of(i.to_string().as_bytes());
        let _ = docs.update(
            docs::Message::Thumbs(sha, Ok(Vec::new())),
            "H22.39.15-000000-0000",
            None,
            &kit.session,
        );
    }
    assert!(docs.thumbs.len() <= docs::THUMB_CACHE);
}
