//! The chooser driven by its keys on a real folder.

use super::*;
use iced_test::{selector, simulator};

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("Hồ sơ cũ")).expect("sub");
    std::fs::write(dir.path().join("Hồ sơ cũ").join("cũ.pdf"), b"%PDF").expect("file");
    for name in [
        "b-ảnh.PNG",
        "a-giấy khai sinh.pdf",
        "ghi chú.txt",
        ".ẩn.pdf",
        "c.jpeg",
    ] {
        std::fs::write(dir.path().join(name), b"x").expect("file");
    }
    dir
}

fn keys(c: &mut Chooser, keys: &[(Key, bool)]) -> Outcome {
    let mut last = Outcome::Stay;
    for (k, ctrl) in keys {
        let m = if *ctrl {
            Modifiers::CTRL
        } else {
            Modifiers::empty()
        };
        let msg = c.key(k, m, true).expect("the chooser takes this key");
        last = c.update(msg);
    }
    last
}

const DOWN: (Key, bool) = (Key::Named(Named::ArrowDown), false);
const ENTER: (Key, bool) = (Key::Named(Named::Enter), false);
const SPACE: (Key, bool) = (Key::Named(Named::Space), false);
const BACK: (Key, bool) = (Key::Named(Named::Backspace), false);
const CTRL_ENTER: (Key, bool) = (Key::Named(Named::Enter), true);

#[test]
fn lists_folders_first_then_only_pdf_jpeg_png_without_hidden_ones() {
    let dir = folder();
    let c = Chooser::open(Some(dir.path()));
    let names: Vec<&str> = c.entries().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["Hồ sơ cũ", "a-giấy khai sinh.pdf", "b-ảnh.PNG", "c.jpeg"]
    );
    let mut ui = simulator(c.view());
    assert!(ui.find("Hồ sơ cũ/").is_ok());
    assert!(ui.find("[ ] a-giấy khai sinh.pdf (1 byte)").is_ok());
}

#[test]
fn enter_opens_a_folder_backspace_returns_and_enter_takes_a_file() {
    let dir = folder();
    let mut c = Chooser::open(Some(dir.path()));
    assert_eq!(keys(&mut c, &[ENTER]), Outcome::Stay);
    assert_eq!(c.dir(), dir.path().join("Hồ sơ cũ"));
    assert_eq!(c.entries().len(), 1);
    keys(&mut c, &[BACK]);
    assert_eq!(c.dir(), dir.path());
    assert_eq!(c.cursor(), 0, "back on the folder it came from");
    let out = keys(&mut c, &[DOWN, ENTER]);
    assert_eq!(
        out,
        Outcome::Chosen(vec![dir.path().join("a-giấy khai sinh.pdf")])
    );
}

#[test]
fn space_marks_several_files_and_ctrl_enter_takes_them_in_order() {
    let dir = folder();
    let mut c = Chooser::open(Some(dir.path()));
    // Down to the first file, mark it (the cursor moves on), skip one, mark the next.
    keys(&mut c, &[DOWN, SPACE, DOWN, SPACE]);
    assert_eq!(c.marked().len(), 2);
    let out = keys(&mut c, &[CTRL_ENTER]);
    assert_eq!(
        out,
        Outcome::Chosen(vec![
            dir.path().join("a-giấy khai sinh.pdf"),
            dir.path().join("c.jpeg"),
        ])
    );
}

#[test]
fn esc_cancels_and_keys_typed_into_the_path_field_stay_there() {
    let dir = folder();
    let mut c = Chooser::open(Some(dir.path()));
    // A text field took these: they are not the list's.
    for k in [Named::Backspace, Named::Enter, Named::Space, Named::Escape] {
        assert!(c.key(&Key::Named(k), Modifiers::empty(), false).is_none());
    }
    let esc = c
        .key(&Key::Named(Named::Escape), Modifiers::empty(), true)
        .expect("esc");
    assert_eq!(c.update(esc), Outcome::Cancelled);
}

#[test]
fn a_typed_path_opens_a_folder_or_takes_a_file_and_refuses_other_types() {
    let dir = folder();
    let mut c = Chooser::open(None);
    let mut ui = simulator(c.view());
    ui.click(selector::id(PATH_FIELD)).expect("path field");
    let msgs: Vec<Message> = ui.into_messages().collect();
    for m in msgs {
        c.update(m);
    }
    c.update(Message::Path(dir.path().display().to_string()));
    assert_eq!(c.update(Message::GoTyped), Outcome::Stay);
    assert_eq!(c.dir(), dir.path());

    c.update(Message::Path(
        dir.path().join("ghi chú.txt").display().to_string(),
    ));
    assert_eq!(c.update(Message::GoTyped), Outcome::Stay);
    assert_eq!(c.problem(), Some(s::CHOOSER_BAD_TYPE));

    c.update(Message::Path(
        dir.path().join("không có").display().to_string(),
    ));
    c.update(Message::GoTyped);
    assert!(c.problem().is_some_and(|p| p.contains("không có")));

    let png = dir.path().join("b-ảnh.PNG");
    c.update(Message::Path(png.display().to_string()));
    assert_eq!(c.update(Message::GoTyped), Outcome::Chosen(vec![png]));
}

#[test]
fn nothing_chosen_says_how_to_choose() {
    let dir = folder();
    let mut c = Chooser::open(Some(dir.path()));
    assert_eq!(c.update(Message::Confirm), Outcome::Stay);
    assert_eq!(c.problem(), Some(s::CHOOSER_NOTHING));
}

#[test]
fn after_typing_a_folder_arrows_and_enter_in_the_field_take_the_row() {
    let dir = folder();
    let mut c = Chooser::open(None);
    c.update(Message::Path(dir.path().display().to_string()));
    c.update(Message::GoTyped);
    // The field keeps the focus: its Enter is GoTyped, the arrows are the list's.
    let down = c
        .key(&Key::Named(Named::ArrowDown), Modifiers::empty(), false)
        .expect("arrows work from the field");
    c.update(down);
    assert_eq!(
        c.update(Message::GoTyped),
        Outcome::Chosen(vec![dir.path().join("a-giấy khai sinh.pdf")])
    );
}
