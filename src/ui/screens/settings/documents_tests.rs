//! The section «Số hóa giấy tờ»: typed in the real view, saved, read back.

use iced_test::selector;

use super::documents::{self, Field, MAX_MB, MAX_PAGES};
use super::*;
use crate::desk::settings::{DocumentSettings, ScanMode};
use crate::ui::screens::dashboard::testing::{desk, drive};

fn shown(desk: &Desk, session: &Session) -> State {
    let mut state = State::default();
    let first = state.on_show(session);
    let rest = drive(desk, first, &mut |m| state.update(m, session));
    assert!(rest.is_empty());
    state
}

fn tall<'a>(state: &'a State, session: &'a Session) -> iced_test::Simulator<'a, Message> {
    iced_test::Simulator::with_size(
        iced_test::core::Settings::default(),
        (1366.0, 2400.0),
        state.view(session),
    )
}

fn replace(state: &mut State, session: &Session, id: &'static str, f: Field, value: &str) {
    let _ = state.update(
        Message::Documents(documents::Message::Edit(f, String::new())),
        session,
    );
    let msgs: Vec<Message> = {
        let mut ui = tall(state, session);
        ui.click(selector::id(id)).expect("field on screen");
        let _ = ui.typewrite(value);
        ui.into_messages().collect()
    };
    for m in msgs {
        let _ = state.update(m, session);
    }
}

#[test]
fn the_limits_and_scan_settings_are_saved_and_reloaded() {
    let (_dir, desk, session) = desk(true);
    let mut state = shown(&desk, &session);
    // The defaults are shown first.
    let mut ui = tall(&state, &session);
    assert!(ui.find("50").is_ok(), "50 MB by default");
    assert!(ui.find("500").is_ok(), "500 pages by default");
    drop(ui);

    replace(&mut state, &session, MAX_MB, Field::MaxMb, "20");
    replace(&mut state, &session, MAX_PAGES, Field::MaxPages, "120");
    let scan_folder = tempfile::tempdir().expect("scan folder");
    let folder = scan_folder.path().display().to_string();
    replace(
        &mut state,
        &session,
        documents::SCAN_FOLDER,
        Field::Folder,
        &folder,
    );
    let msgs: Vec<Message> = {
        let mut ui = tall(&state, &session);
        ui.click(ScanMode::Colour.label_vi()).expect("mode");
        ui.click(s::SAVE_DOCUMENTS).expect("save");
        ui.into_messages().collect()
    };
    let mut ups = Vec::new();
    for m in msgs {
        let a = state.update(m, &session);
        for rest in drive(&desk, a, &mut |m| state.update(m, &session)) {
            if let Action::Up(u) = rest {
                ups.push(u);
            }
        }
    }
    assert_eq!(ups, vec![Up::SettingsChanged]);
    assert_eq!(state.documents().note(), &Some(Ok(s::SAVED.to_string())));

    let read = DocumentSettings::load(&desk.lock()).expect("settings");
    assert_eq!(read.limits.max_bytes, 20 * 1024 * 1024);
    assert_eq!(read.limits.max_pages, 120);
    assert_eq!(read.scan_mode, ScanMode::Colour);
    assert_eq!(read.scan_folder.as_deref(), Some(scan_folder.path()));

    // A new visit shows what was saved.
    let again = shown(&desk, &session);
    let mut ui = tall(&again, &session);
    assert!(ui.find("20").is_ok());
    assert!(ui.find("120").is_ok());
    assert!(ui.find(folder.as_str()).is_ok());
}

#[test]
fn a_limit_over_the_ceiling_or_a_missing_folder_is_refused_in_place() {
    let (_dir, desk, session) = desk(true);
    let mut state = shown(&desk, &session);
    let before = DocumentSettings::load(&desk.lock()).expect("settings");
    replace(&mut state, &session, MAX_MB, Field::MaxMb, "5000");
    replace(
        &mut state,
        &session,
        documents::SCAN_FOLDER,
        Field::Folder,
        "/không/có/thư/mục/này",
    );
    let a = state.update(Message::Documents(documents::Message::Save), &session);
    assert!(drive(&desk, a, &mut |m| state.update(m, &session)).is_empty());
    let fields: Vec<Field> = state.documents().errors().iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, vec![Field::MaxMb, Field::Folder]);
    let mut ui = tall(&state, &session);
    assert!(ui.find(s::bad_whole_number(1, 200).as_str()).is_ok());
    assert!(ui.find(s::SCAN_FOLDER_MISSING).is_ok());
    drop(ui);
    assert_eq!(
        DocumentSettings::load(&desk.lock()).expect("settings"),
        before
    );
}
