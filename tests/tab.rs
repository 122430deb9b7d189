//! The keyboard a Windows clerk expects (issue 19 §6): Tab and Shift+Tab move through
//! every screen's fields, in the paper form's order where the screen has one (the same
//! order Enter follows), never type anything, select what the next field holds, and
//! bring it into view. Driven through the application's real view with `iced_test`:
//! keys go to the window one after another in one sitting, as a clerk types them.

#![cfg(feature = "desk")]

mod common;

use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::Id;
use iced::{Rectangle, Size};
use iced_test::core::{Event, SmolStr, keyboard};
use iced_test::selector::{self, Candidate, Target};
use iced_test::{Simulator, simulator};
use motcua::domain::clock::now_vn;
use motcua::store::DataPaths;
use motcua::store::accounts::NewClerk;
use motcua::ui::app::{Message, Screen};
use motcua::ui::screens::intake::{self, form::Field};
use motcua::ui::screens::{detail, dossiers, file_chooser, lock, login, returns, settings, setup};
use motcua::ui::testing::Harness;

const PASSWORD: &str = "mật khẩu quầy 1";
const QR: &str = "022303000123|101234567|Nguyễn Thị Ngọc Ánh|21032003|Nữ|Tổ 5, khu 3, phường Hồng Gai, tỉnh Quảng Ninh|15062021";

type Ui<'a> = Simulator<'a, Message>;

/// A real Tab key press (with the "\t" text a keyboard sends) and its release.
fn tab(ui: &mut Ui<'_>, back: bool) {
    let modifiers = if back {
        Modifiers::SHIFT
    } else {
        Modifiers::empty()
    };
    let key = Key::Named(Named::Tab);
    let physical = keyboard::key::Physical::Code(keyboard::key::Code::Tab);
    let _ = ui.simulate([
        Event::Keyboard(keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key.clone(),
            physical_key: physical,
            location: keyboard::Location::Standard,
            modifiers,
            text: Some(SmolStr::new("\t")),
            repeat: false,
        }),
        Event::Keyboard(keyboard::Event::KeyReleased {
            key: key.clone(),
            modified_key: key,
            physical_key: physical,
            location: keyboard::Location::Standard,
            modifiers,
        }),
    ]);
}

/// The focused widget: its id, where it is laid out, and what of it is on screen.
fn focused(ui: &mut Ui<'_>) -> Option<(Option<Id>, Rectangle, Option<Rectangle>)> {
    match ui.find(selector::is_focused()).ok()? {
        Target::Focusable {
            id,
            bounds,
            visible_bounds,
        } => Some((id, bounds, visible_bounds)),
        _ => None,
    }
}

fn focused_id(ui: &mut Ui<'_>) -> Option<Id> {
    focused(ui).and_then(|(id, ..)| id)
}

/// Every focusable widget on screen, in drawn order (layout bounds identify them).
fn focusables(ui: &mut Ui<'_>) -> Vec<(Option<Id>, Rectangle)> {
    let mut all = Vec::new();
    let _ = ui.find(|c: Candidate<'_>| {
        if let Candidate::Focusable { id, bounds, .. } = c {
            all.push((id.cloned(), bounds));
        }
        None::<()>
    });
    all
}

/// Tab (Shift+Tab when `back`) until the focus comes back to where the first press
/// put it: the widgets met, each checked to be wholly on screen when focused.
fn round(ui: &mut Ui<'_>, back: bool) -> Vec<(Option<Id>, Rectangle)> {
    let window = Rectangle::with_size(Size::new(1024.0, 768.0));
    let mut met: Vec<(Option<Id>, Rectangle)> = Vec::new();
    for _ in 0..200 {
        tab(ui, back);
        let (id, bounds, visible) = focused(ui).expect("after Tab a field has the focus");
        let visible = visible.unwrap_or_default();
        assert!(
            visible.height + 0.5 >= bounds.height && window.contains(visible.center()),
            "{id:?} focused but not in view: {visible:?} of {bounds:?}"
        );
        if met.first().is_some_and(|(_, b)| *b == bounds) {
            return met;
        }
        met.push((id, bounds));
    }
    panic!("Tab never came back round: {met:?}");
}

fn ids(met: &[(Option<Id>, Rectangle)]) -> Vec<Option<Id>> {
    met.iter().map(|(id, _)| id.clone()).collect()
}

fn named(list: &[&'static str]) -> Vec<Option<Id>> {
    list.iter().map(|s| Some(Id::new(s))).collect()
}

/// On the screen shown: one full round of Tab visits every field once and Shift+Tab
/// walks the same round backwards; Tab tells no screen anything (no text typed).
/// Returns the round's ids and the fields' ids in drawn order.
fn check_screen(h: &Harness) -> (Vec<Option<Id>>, Vec<Option<Id>>) {
    let mut ui = simulator(h.app.view());
    let drawn = focusables(&mut ui);
    assert!(!drawn.is_empty(), "no field on this screen");
    let forth = round(&mut ui, false);
    let back = round(&mut ui, true);
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(
        messages.is_empty(),
        "Tab told a screen something: {messages:?}"
    );
    assert_eq!(forth.len(), drawn.len(), "each field once: {forth:?}");
    let reversed: Vec<_> = forth.iter().rev().cloned().collect();
    assert_eq!(back, reversed, "Shift+Tab walks back");
    (ids(&forth), ids(&drawn))
}

/// The round follows the drawn order (screens with no form order).
fn check_drawn(h: &Harness) -> Vec<Option<Id>> {
    let (walk, drawn) = check_screen(h);
    assert_eq!(walk, drawn, "drawn order");
    walk
}

/// Runs `steps` in one sitting (the focus kept between them) and hands every message
/// the screens were sent to the application.
fn sitting(h: &mut Harness, steps: impl FnOnce(&mut Ui<'_>)) {
    let messages: Vec<Message> = {
        let mut ui = simulator(h.app.view());
        // Where the application last put the focus (the real window does it by itself).
        if let Some(id) = h.focused {
            let _ = ui.click(selector::id(id));
        }
        steps(&mut ui);
        ui.into_messages().collect()
    };
    for m in &messages {
        assert!(!format!("{m:?}").contains("\\t"), "a tab was typed: {m:?}");
    }
    h.send_all(messages);
}

fn type_into(h: &mut Harness, id: &'static str, text: &str) {
    h.focused = Some(id);
    sitting(h, |ui| {
        let _ = ui.typewrite(text);
    });
}

fn enter_in(h: &mut Harness, id: &'static str) {
    h.focused = Some(id);
    sitting(h, |ui| {
        let _ = ui.tap_key(Key::Named(Named::Enter));
    });
}

fn desk_with_clerk(dir: &std::path::Path, admin: bool) -> Harness {
    let mut store = common::new_store(dir);
    store
        .add_clerk(
            &NewClerk {
                username: "tran.hoa".into(),
                full_name: "Trần Thị Hòa".into(),
                password: PASSWORD.into(),
                is_admin: admin,
            },
            now_vn(),
        )
        .expect("clerk");
    drop(store);
    Harness::open(DataPaths::in_dir(dir)).expect("opens")
}

fn sign_in(h: &mut Harness) {
    type_into(h, login::USERNAME, "tran.hoa");
    type_into(h, login::PASSWORD, PASSWORD);
    enter_in(h, login::PASSWORD);
    assert_eq!(h.app.screen(), Some(Screen::Intake), "signed in");
}

/// The case: on the first-run screen the clerk types the unit code, Tab, the
/// desk number… Each lands in its own field, the desk's "1" is replaced, and the setup
/// made from Tab alone is the one typed.
#[test]
fn the_first_run_screen_is_filled_with_tab_and_each_value_lands_in_its_field() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = Harness::open(DataPaths::in_dir(tmp.path())).expect("opens");
    let (walk, _) = check_screen(&h);
    assert_eq!(walk, named(&setup::State::tab_order()), "Enter's order");
    assert_eq!(
        walk[1],
        Some(Id::new(setup::DESK)),
        "the desk after the unit code"
    );

    h.focused = None;
    sitting(&mut h, |ui| {
        tab(ui, false);
        assert_eq!(
            focused_id(ui),
            Some(Id::new(setup::UNIT_CODE)),
            "Tab starts at the top"
        );
        let _ = ui.typewrite("H22.39.15");
        tab(ui, false);
        assert_eq!(focused_id(ui), Some(Id::new(setup::DESK)));
        let _ = ui.typewrite("2");
        for text in ["UBND phường Hồng Gai", "UBND tỉnh Quảng Ninh", "Hồng Gai"] {
            tab(ui, false);
            let _ = ui.typewrite(text);
        }
        tab(ui, false);
        assert_eq!(focused_id(ui), Some(Id::new(setup::HOURS)));
        tab(ui, false);
        let _ = ui.typewrite("nguyen.lan");
        tab(ui, false);
        tab(ui, true);
        assert_eq!(
            focused_id(ui),
            Some(Id::new(setup::USERNAME)),
            "Shift+Tab goes back"
        );
        tab(ui, false);
        let _ = ui.typewrite("Nguyễn Thị Lan");
        tab(ui, false);
        let _ = ui.typewrite(PASSWORD);
        tab(ui, false);
        let _ = ui.typewrite(PASSWORD);
        assert_eq!(focused_id(ui), Some(Id::new(setup::PASSWORD_AGAIN)));
    });
    enter_in(&mut h, setup::PASSWORD_AGAIN);
    let unit = h.store().unit().expect("the unit was written");
    assert_eq!(unit.code.as_str(), "H22.39.15");
    let desk = h.store().desk().expect("the desk was written");
    assert_eq!(
        desk.index.get(),
        2,
        "the desk number in its own field, not the code's"
    );
    assert_eq!(unit.name, "UBND phường Hồng Gai");
    assert_eq!(unit.place, "Hồng Gai");
    assert!(h.store().has_clerks().expect("clerks"));
}

#[test]
fn sign_in_and_the_lock_screen_go_round_their_fields() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = desk_with_clerk(tmp.path(), false);
    let walk = check_drawn(&h);
    assert_eq!(walk, named(&[login::USERNAME, login::PASSWORD]));
    // Typed with Tab between: the user name, then the password.
    h.focused = None;
    sitting(&mut h, |ui| {
        tab(ui, false);
        let _ = ui.typewrite("tran.hoa");
        tab(ui, false);
        let _ = ui.typewrite(PASSWORD);
    });
    enter_in(&mut h, login::PASSWORD);
    assert_eq!(h.app.screen(), Some(Screen::Intake), "signed in");

    h.send(Message::LockNow);
    assert!(h.app.is_locked());
    assert_eq!(check_drawn(&h), named(&[lock::PASSWORD]));
}

/// Intake (F2): Mẫu 01's order, the one Enter follows, with the authorised person's
/// fields in their place and each document's count where the form lists it.
#[test]
fn intake_goes_in_the_order_of_the_paper_form() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = desk_with_clerk(tmp.path(), false);
    sign_in(&mut h);
    let before: Vec<&'static str> = [
        Field::Procedure,
        Field::FullName,
        Field::IdNumber,
        Field::DateOfBirth,
        Field::Gender,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::Sets,
        Field::ResultAt,
    ]
    .map(Field::id)
    .to_vec();
    assert_eq!(check_screen(&h).0, named(&before), "before a procedure");
    type_into(&mut h, Field::Procedure.id(), "khai sinh");
    enter_in(&mut h, Field::Procedure.id());
    h.send(Message::Intake(intake::Message::ToggleAuthorised(true)));

    let (walk, _) = check_screen(&h);
    let form: Vec<Option<Id>> = walk.iter().filter(|id| id.is_some()).cloned().collect();
    let expected: Vec<Field> = vec![
        Field::FullName,
        Field::IdNumber,
        Field::DateOfBirth,
        Field::Gender,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::AuthName,
        Field::AuthId,
        Field::AuthAddress,
        Field::AuthPhone,
        Field::AuthEmail,
        Field::AuthDocument,
        Field::Sets,
        Field::ResultAt,
    ];
    let expected_ids: Vec<&'static str> = expected.iter().map(|f| f.id()).collect();
    assert_eq!(form, named(&expected_ids));
    // The documents' counts (no id) come after the applicant, before the sets.
    let first_count = walk
        .iter()
        .position(Option::is_none)
        .expect("document counts");
    let last_count = walk
        .iter()
        .rposition(Option::is_none)
        .expect("document counts");
    let at = |f: Field| walk.iter().position(|id| *id == Some(Id::new(f.id())));
    assert!(at(Field::AuthDocument) < Some(first_count));
    assert!(Some(last_count) < at(Field::Sets));

    // Tab then typing: the phone goes to the phone, the e-mail to the e-mail.
    h.focused = Some(Field::Address.id());
    sitting(&mut h, |ui| {
        tab(ui, false);
        let _ = ui.typewrite("0912345678");
        tab(ui, false);
        let _ = ui.typewrite("lan@example.vn");
    });
    let form = h.app.intake().expect("intake").form().clone();
    assert_eq!(form.phone, "0912345678");
    assert_eq!(form.email, "lan@example.vn");
    assert_eq!(form.address, "");
}

#[test]
fn dossiers_returns_and_settings_go_round_in_drawn_order_and_show_each_field() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = desk_with_clerk(tmp.path(), true);
    sign_in(&mut h);

    h.send(Message::Go(Screen::Dossiers));
    let walk = check_drawn(&h);
    assert_eq!(
        walk,
        named(&[dossiers::SEARCH, dossiers::FROM, dossiers::TO])
    );

    h.send(Message::Go(Screen::Returns));
    let walk = check_drawn(&h);
    assert_eq!(walk.first(), Some(&Some(Id::new(returns::SCAN))));

    // Settings is longer than the window: each field is scrolled into view (checked
    // by the round), from the unit's name down to the new clerk's password.
    h.send(Message::Go(Screen::Settings));
    let walk = check_drawn(&h);
    assert_eq!(walk.first(), Some(&Some(Id::new(settings::UNIT_NAME))));
    assert!(walk.contains(&Some(Id::new(settings::NEW_PASSWORD_AGAIN))));
}

/// The detail screen's action form (two fields) and the file chooser's path field.
#[test]
fn the_detail_screen_actions_and_the_file_chooser_keep_tab_to_their_fields() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut h = desk_with_clerk(tmp.path(), false);
    sign_in(&mut h);
    type_into(&mut h, Field::Procedure.id(), "khai sinh");
    enter_in(&mut h, Field::Procedure.id());
    type_into(&mut h, Field::FullName.id(), QR);
    enter_in(&mut h, Field::FullName.id());
    h.send(Message::Input(Some((
        Key::Named(Named::Enter),
        Modifiers::CTRL,
    ))));
    assert!(h.app.intake().and_then(|i| i.saved()).is_some(), "saved");
    h.send(Message::FreeKey(Key::Named(Named::F10), Modifiers::empty()));
    assert_eq!(h.app.screen(), Some(Screen::Detail));

    h.send(Message::Detail(detail::Message::ShowDocuments(false)));
    h.send(Message::Detail(detail::Message::Choose(
        detail::Act::Transfer,
    )));
    assert_eq!(
        check_drawn(&h),
        named(&[detail::FIRST_FIELD, detail::SECOND_FIELD])
    );
    h.send(Message::Detail(detail::Message::Cancel));

    h.send(Message::Detail(detail::Message::ShowDocuments(true)));
    h.send(Message::FreeKey(
        Key::Character("c".into()),
        Modifiers::empty(),
    ));
    assert_eq!(check_drawn(&h), named(&[file_chooser::PATH_FIELD]));
}
