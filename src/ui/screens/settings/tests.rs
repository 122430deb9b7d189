use std::time::Duration;

use iced_test::{selector, simulator};

use super::*;
use crate::domain::clock::now_vn;
use crate::store::accounts::LoginError;
use crate::ui::screens::dashboard::testing::{PASSWORD, desk, drive};
use crate::ui::session::Settings;

fn shown(store: &Desk, session: &Session) -> State {
    let mut state = State::default();
    let first = state.on_show(session);
    let rest = drive(store, first, &mut |m| state.update(m, session));
    assert!(rest.is_empty());
    assert!(state.loaded().is_some());
    // The test machine's CUPS queues do not matter: offer two.
    let _ = state.update(
        Message::Printers(vec!["PDF".into(), "HP-LaserJet-M402".into()]),
        session,
    );
    state
}

/// Feeds the simulator's messages to `update`, runs the jobs, returns the `Up`s.
fn settle(store: &Desk, state: &mut State, session: &Session, msgs: Vec<Message>) -> Vec<Up> {
    let mut ups = Vec::new();
    for m in msgs {
        let a = state.update(m, session);
        for rest in drive(store, a, &mut |m| state.update(m, session)) {
            if let Action::Up(u) = rest {
                ups.push(u);
            }
        }
    }
    ups
}

#[test]
fn printer_paper_and_idle_minutes_are_saved_and_reloaded() -> Result<(), iced_test::Error> {
    let (_dir, store, session) = desk(true);
    let mut state = shown(&store, &session);
    assert_eq!(state.loaded().map(|l| l.idle_minutes.as_str()), Some("10"));

    let mut ui = simulator(state.view(&session));
    let _ = ui.click("HP-LaserJet-M402")?;
    let _ = ui.click(s::PAPER_A5)?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let _ = settle(&store, &mut state, &session, msgs);

    // The idle minutes: clear the field, type 15.
    let _ = state.update(
        Message::Desk(DeskField::IdleMinutes, String::new()),
        &session,
    );
    // A tall window, so the field below the fold (reached by scrolling) is on screen.
    let mut ui = iced_test::Simulator::with_size(
        iced_test::core::Settings::default(),
        (1366.0, 1400.0),
        state.view(&session),
    );
    let _ = ui.click(selector::id(IDLE_MINUTES))?;
    let _ = ui.typewrite("15");
    let _ = ui.click(s::SAVE_DESK)?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let ups = settle(&store, &mut state, &session, msgs);
    assert_eq!(ups, vec![Up::SettingsChanged]);
    assert!(state.desk_errors().is_empty());

    let settings = Settings::load(&store.lock()).expect("settings");
    assert_eq!(settings.printer.as_deref(), Some("HP-LaserJet-M402"));
    assert_eq!(settings.paper, Paper::A5);
    assert_eq!(settings.idle_lock, Duration::from_secs(15 * 60));
    assert_eq!(
        store
            .lock()
            .setting(SETTING_PAPER)
            .expect("read")
            .as_deref(),
        Some("a5")
    );

    // Back to "no printer": the setting goes away (PDFs only).
    let _ = state.update(Message::Printer(None), &session);
    let a = state.update(Message::SaveDesk, &session);
    let _ = drive(&store, a, &mut |m| state.update(m, &session));
    assert_eq!(
        Settings::load(&store.lock()).expect("settings").printer,
        None
    );
    Ok(())
}

#[test]
fn bad_desk_values_are_refused_in_place() {
    let (_dir, store, session) = desk(true);
    let mut state = shown(&store, &session);
    let before = store
        .lock()
        .setting(SETTING_IDLE_LOCK_MINUTES)
        .expect("read");
    let _ = state.update(Message::Desk(DeskField::IdleMinutes, "0".into()), &session);
    let _ = state.update(
        Message::Desk(DeskField::TrackingUrl, "dichvucong.gov.vn".into()),
        &session,
    );
    let a = state.update(Message::SaveDesk, &session);
    assert!(matches!(a, Action::None), "nothing to run: {a:?}");
    let fields: Vec<DeskField> = state.desk_errors().iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, vec![DeskField::TrackingUrl, DeskField::IdleMinutes]);
    assert_eq!(
        store
            .lock()
            .setting(SETTING_IDLE_LOCK_MINUTES)
            .expect("read"),
        before
    );
}

#[test]
fn a_bad_working_hours_string_shows_the_vietnamese_error_and_writes_nothing()
-> Result<(), iced_test::Error> {
    let (_dir, store, session) = desk(true);
    let mut state = shown(&store, &session);
    let before = store.lock().unit().expect("unit");

    let _ = state.update(
        Message::Unit(UnitField::Name, "UBND phường Hạ Long".into()),
        &session,
    );
    let _ = state.update(Message::Unit(UnitField::Hours, String::new()), &session);
    let mut ui = simulator(state.view(&session));
    let _ = ui.click(selector::id(UNIT_HOURS))?;
    let _ = ui.typewrite("7h30-11h30");
    let _ = ui.click(s::SAVE_UNIT)?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let ups = settle(&store, &mut state, &session, msgs);
    assert!(ups.is_empty(), "{ups:?}");
    assert_eq!(
        store.lock().unit().expect("unit"),
        before,
        "nothing written"
    );
    let errors = state.unit_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, UnitField::Hours);
    assert_eq!(
        errors[0].message,
        "Giờ làm việc '7h30-11h30' không đúng dạng 07:00-11:30,13:30-17:00"
    );
    let mut ui = simulator(state.view(&session));
    assert!(
        ui.find(errors[0].message.as_str()).is_ok(),
        "shown under the field"
    );
    drop(ui);

    // The store refuses it too, whoever calls it.
    let edit = UnitEdit {
        working_hours: "07:00-11:30,11:00-17:00".into(),
        ..UnitEdit::from_unit(&before)
    };
    let refused = store
        .lock()
        .update_unit(&edit)
        .expect("store")
        .expect_err("invalid");
    assert_eq!(refused[0].field, UnitField::Hours);
    assert_eq!(store.lock().unit().expect("unit"), before);

    // Corrected: saved in one go, code unchanged, the application told.
    let _ = state.update(
        Message::Unit(UnitField::Hours, "07:30-11:30,13:30-17:00".into()),
        &session,
    );
    let a = state.update(Message::SaveUnit, &session);
    let ups: Vec<Up> = drive(&store, a, &mut |m| state.update(m, &session))
        .into_iter()
        .filter_map(|a| match a {
            Action::Up(u) => Some(u),
            _ => None,
        })
        .collect();
    assert_eq!(ups, vec![Up::SettingsChanged]);
    let after = store.lock().unit().expect("unit");
    assert_eq!(after.name, "UBND phường Hạ Long");
    assert_eq!(after.hours.to_string(), "07:30-11:30,13:30-17:00");
    assert_eq!(after.code, before.code);
    Ok(())
}

#[test]
fn an_added_clerk_can_sign_in_and_an_administrator_manages_accounts() -> Result<(), iced_test::Error>
{
    let (_dir, store, session) = desk(true);
    let mut state = shown(&store, &session);
    let mut ui = simulator(state.view(&session));
    let _ = ui.click(selector::id(NEW_USERNAME))?;
    let _ = ui.typewrite("le.hoa");
    let _ = ui.click(selector::id(NEW_FULL_NAME))?;
    let _ = ui.typewrite("Lê Thị Hòa");
    let _ = ui.click(selector::id(NEW_PASSWORD))?;
    let _ = ui.typewrite("hoa-2026-mk");
    let _ = ui.click(selector::id(NEW_PASSWORD_AGAIN))?;
    let _ = ui.typewrite("hoa-2026-mk");
    let _ = ui.click(s::ADD_ACCOUNT_BUTTON)?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let _ = settle(&store, &mut state, &session, msgs);
    let notes = state.notes();
    assert_eq!(
        notes[3],
        &Some(Ok(s::clerk_added("le.hoa", "Lê Thị Hòa"))),
        "{notes:?}"
    );
    assert!(
        state
            .clerks()
            .iter()
            .any(|c| c.username == "le.hoa" && !c.is_admin)
    );
    let now = now_vn();
    let signed = store
        .lock()
        .login("le.hoa", "hoa-2026-mk", now)
        .expect("store");
    assert_eq!(signed.map(|c| c.full_name), Ok("Lê Thị Hòa".to_string()));

    // A password typed twice differently is refused before anything is written.
    let _ = state.update(
        Message::NewClerk(ClerkField::Username, "pham.an".into()),
        &session,
    );
    let _ = state.update(
        Message::NewClerk(ClerkField::FullName, "Phạm An".into()),
        &session,
    );
    let _ = state.update(
        Message::NewClerk(ClerkField::Password, "mot-hai-ba-4".into()),
        &session,
    );
    let _ = state.update(
        Message::NewClerk(ClerkField::PasswordAgain, "mot-hai-ba-5".into()),
        &session,
    );
    let a = state.update(Message::AddClerk, &session);
    assert!(matches!(a, Action::Focus(NEW_PASSWORD_AGAIN)));
    assert!(
        !store
            .lock()
            .clerks()
            .expect("clerks")
            .iter()
            .any(|c| c.username == "pham.an")
    );

    // Reset le.hoa's password: the old one stops working, the new one works.
    let _ = state.update(Message::ResetFor("le.hoa".into()), &session);
    let _ = state.update(Message::ResetPassword("hoa-moi-2027".into()), &session);
    let a = state.update(Message::ConfirmReset, &session);
    let _ = drive(&store, a, &mut |m| state.update(m, &session));
    assert_eq!(
        store
            .lock()
            .login("le.hoa", "hoa-2026-mk", now)
            .expect("store"),
        Err(LoginError::Mismatch)
    );
    assert!(
        store
            .lock()
            .login("le.hoa", "hoa-moi-2027", now)
            .expect("store")
            .is_ok()
    );

    // Disable, then enable again.
    let a = state.update(Message::SetActive("le.hoa".into(), false), &session);
    let _ = drive(&store, a, &mut |m| state.update(m, &session));
    assert_eq!(
        store
            .lock()
            .login("le.hoa", "hoa-moi-2027", now)
            .expect("store"),
        Err(LoginError::Disabled("le.hoa".into()))
    );
    let a = state.update(Message::SetActive("le.hoa".into(), true), &session);
    let _ = drive(&store, a, &mut |m| state.update(m, &session));
    assert!(
        store
            .lock()
            .login("le.hoa", "hoa-moi-2027", now)
            .expect("store")
            .is_ok()
    );

    // The signed-in administrator cannot lock themself out.
    let a = state.update(
        Message::SetActive(session.clerk.username.clone(), false),
        &session,
    );
    assert!(matches!(a, Action::None));
    assert!(
        store
            .lock()
            .login(&session.clerk.username, PASSWORD, now)
            .expect("store")
            .is_ok()
    );
    Ok(())
}

#[test]
fn enrolling_with_an_unreachable_centre_says_so_and_stays_unenrolled() {
    let (_dir, store, session) = desk(true);
    let mut state = shown(&store, &session);
    let _ = state.update(Message::CentreUrl("motcua.local".into()), &session);
    let a = state.update(Message::Enroll, &session);
    assert!(matches!(a, Action::Focus(CENTRE_URL)));
    assert_eq!(state.notes()[2], &Some(Err(s::BAD_CENTRE_URL.to_string())));

    // Port 9 (discard) on this machine: nothing listens, the connection is refused.
    let _ = state.update(Message::CentreUrl("http://127.0.0.1:9".into()), &session);
    let _ = state.update(Message::EnrollCode("ABCD-1234".into()), &session);
    let a = state.update(Message::Enroll, &session);
    let rest = drive(&store, a, &mut |m| state.update(m, &session));
    assert!(rest.is_empty(), "no SettingsChanged on failure: {rest:?}");
    match state.notes()[2] {
        Some(Err(e)) => assert!(e.starts_with("Không đăng ký được: "), "{e}"),
        other => panic!("expected an error, got {other:?}"),
    }
    assert!(!store.lock().sync_state().expect("sync state").enrolled);
}

fn tall<'a>(state: &'a State, session: &'a Session) -> iced_test::Simulator<'a, Message> {
    iced_test::Simulator::with_size(
        iced_test::core::Settings::default(),
        (1366.0, 1600.0),
        state.view(session),
    )
}

/// Issue 19 §3: a saved header in the old "UBND tỉnh … over UBND phường …" pattern is
/// pointed out in Cài đặt, and the warning goes once the fields read the official
/// header; the head's title is saved with the desk settings and reaches the forms.
#[test]
fn the_old_header_is_pointed_out_and_the_signer_title_is_saved() -> Result<(), iced_test::Error> {
    let (_dir, store, session) = desk(true);
    let mut state = shown(&store, &session);
    let mut ui = tall(&state, &session);
    assert!(
        ui.find(s::OLD_HEADER_WARNING).is_ok(),
        "testkit's unit has the old header"
    );
    drop(ui);
    let _ = state.update(
        Message::Unit(UnitField::Authority, "UBND phường Hồng Gai".into()),
        &session,
    );
    let _ = state.update(
        Message::Unit(
            UnitField::Name,
            "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
        ),
        &session,
    );
    let mut ui = tall(&state, &session);
    assert!(ui.find(s::OLD_HEADER_WARNING).is_err());
    drop(ui);

    let _ = state.update(
        Message::Desk(DeskField::SignerTitle, "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC".into()),
        &session,
    );
    let mut ui = tall(&state, &session);
    let _ = ui.click(s::SAVE_DESK)?;
    let msgs: Vec<Message> = ui.into_messages().collect();
    let ups = settle(&store, &mut state, &session, msgs);
    assert_eq!(ups, vec![Up::SettingsChanged]);
    let settings = Settings::load(&store.lock()).expect("settings");
    assert_eq!(settings.signer_title, "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC");

    let _ = state.update(
        Message::Desk(DeskField::SignerTitle, "GIÁM ĐỐC\u{7}".into()),
        &session,
    );
    let _ = state.update(Message::SaveDesk, &session);
    assert!(
        state
            .desk_errors()
            .iter()
            .any(|(f, _)| *f == DeskField::SignerTitle)
    );
    Ok(())
}
