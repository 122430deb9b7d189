//! The intake screen's pickers: the time-limit case (issue 12 §2), where F7 moves to
//! the next case and the due time follows at once, and the deciding unit of a
//! cross-commune procedure (issue 23). Each choice reaches the intake input.

use iced_test::core::{Event, mouse};
use iced_test::{selector, simulator};

use super::form::Field;
use super::{DECIDING_PICKER, Message, State};
use crate::domain::clock::{from_wall, now_vn};
use crate::ui::facing::mirror::Mirror;
use crate::ui::screens::testkit::{kit, settle};
use crate::ui::strings as s;

fn thu_26_nov_at(h: u32) -> crate::domain::clock::Timestamp {
    from_wall(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("valid"),
    )
}

#[test]
fn f7_picks_the_marriage_case_and_the_due_time_follows() {
    let kit = kit();
    let session = &kit.session;
    let mut state = State::new(session);
    let _ = state.update(Message::Choose("1.000894".into()), session);
    let ten = thu_26_nov_at(10);
    // Luật Hộ tịch Art 18(2): the same day.
    assert_eq!(
        state.live_due(session, ten).as_deref(),
        Some("17 giờ 00 phút, ngày 26 tháng 11 năm 2026")
    );
    // The default (the case due first) is shown, and what is shown is sent.
    assert_eq!(state.form().time_limit_case, 0, "the same day comes first");
    assert_eq!(state.form().to_input().time_limit_case, Some(1));

    let _ = state.update(Message::NextCase, session);
    assert_eq!(
        state.live_due(session, ten).as_deref(),
        Some("10 giờ 00 phút, ngày 03 tháng 12 năm 2026"),
        "05 working days when the conditions need verifying"
    );
    assert_eq!(state.form().to_input().time_limit_case, Some(2));

    // Two cases: F7 comes back to the first.
    let _ = state.update(Message::NextCase, session);
    assert_eq!(state.form().time_limit_case, 0);
    // A case the procedure does not have is ignored.
    let _ = state.update(Message::Case(5), session);
    assert_eq!(state.form().time_limit_case, 0);
}

#[test]
fn choosing_another_procedure_starts_from_its_default_case() {
    let kit = kit();
    let session = &kit.session;
    let mut state = State::new(session);
    let _ = state.update(Message::Choose("1.000894".into()), session);
    let _ = state.update(Message::NextCase, session);
    let _ = state.update(Message::ChangeProcedure, session);
    let _ = state.update(Message::Choose("1.004873".into()), session);
    assert_eq!(state.form().time_limit_case, 0);
    // One case only: F7 changes nothing.
    let _ = state.update(Message::NextCase, session);
    assert_eq!(state.form().time_limit_case, 0);
}

/// The notice consent (issue 22 §4) is a tick on the screen that reaches the input.
#[test]
fn the_notice_consent_tick_reaches_the_intake_input() {
    let kit = kit();
    let session = &kit.session;
    let mut state = State::new(session);
    assert!(!state.form().to_input().notice_consent);
    let _ = state.update(Message::ToggleNoticeConsent(true), session);
    assert!(state.form().to_input().notice_consent);
    let _ = state.update(Message::ToggleNoticeConsent(false), session);
    assert!(!state.form().to_input().notice_consent);
}

/// The own unit and a neighbour, with birth registration (1.001193) on the
/// province's list of procedures any commune may receive (issue 23).
const OWN: &str = "H22.39.15";
const BAI_CHAY: &str = "H22.39.16";
const FLAGGED: &str = "1.001193";
const ORDINARY: &str = "1.004873";

fn kept_lists() -> crate::domain::province::ProvinceLists {
    use crate::domain::province::{ProvinceLists, ProvinceUnit};
    ProvinceLists {
        units: vec![
            ProvinceUnit {
                code: OWN.into(),
                name: "UBND phường Hồng Gai".into(),
            },
            ProvinceUnit {
                code: BAI_CHAY.into(),
                name: "UBND phường Bãi Cháy".into(),
            },
        ],
        cross_procedures: vec![FLAGGED.into()],
    }
}

fn keep_lists(kit: &crate::ui::screens::testkit::Kit) {
    kit.store()
        .replace_province_lists(&kept_lists(), "v1")
        .expect("kept");
}

/// Whether the screen shows the exact text `label`.
fn shows(state: &State, session: &crate::ui::session::Session, label: &str) -> bool {
    simulator(state.view(session)).find(label).is_ok()
}

/// A state whose screen has shown once, so it has read the kept lists.
fn shown(kit: &crate::ui::screens::testkit::Kit) -> State {
    let session = &kit.session;
    let mut state = State::new(session);
    let first = state.on_show(session);
    let _ = settle(&kit.desk, first, |m| state.update(m, session));
    state
}

/// Opens the picker with a click, then clicks its `nth` option (from 0) in the menu
/// that opens below it; returns the messages the clicks produced.
fn pick(
    state: &State,
    session: &crate::ui::session::Session,
    nth: usize,
) -> Result<Vec<Message>, iced_test::Error> {
    let mut ui = simulator(state.view(session));
    let picker = ui.click(selector::id(DECIDING_PICKER))?;
    let b = picker.bounds();
    // An option is one line of body text (16 px × 1.3) plus the list's padding (5 + 5).
    let option = 16.0 * 1.3 + 10.0;
    let at = iced::Point::new(b.center_x(), b.y + b.height + option * (nth as f32 + 0.5));
    // The menu marks the option under the cursor on a move, and picks it on a press.
    ui.point_at(at);
    let _ = ui.simulate([Event::Mouse(mouse::Event::CursorMoved { position: at })]);
    let _ = ui.simulate(iced_test::simulator::click());
    Ok(ui.into_messages().collect())
}

#[test]
fn the_deciding_unit_picker_shows_only_for_a_cross_commune_procedure()
-> Result<(), iced_test::Error> {
    let kit = kit();
    keep_lists(&kit);
    let session = &kit.session;
    let mut state = shown(&kit);

    let _ = state.update(Message::Choose(ORDINARY.into()), session);
    assert!(state.deciding_choices(session).is_empty());
    assert!(!shows(&state, session, s::DECIDING_UNIT), "own unit only");
    assert!(
        simulator(state.view(session))
            .find(selector::id(DECIDING_PICKER))
            .is_err()
    );

    let _ = state.update(Message::ChangeProcedure, session);
    let _ = state.update(Message::Choose(FLAGGED.into()), session);
    let choices = state.deciding_choices(session);
    assert_eq!(
        choices.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        [OWN, BAI_CHAY],
        "the own unit first"
    );
    assert_eq!(
        choices[0].to_string(),
        "UBND phường Hồng Gai (H22.39.15) — đơn vị mình"
    );
    assert!(shows(&state, session, s::DECIDING_UNIT));
    assert!(shows(&state, session, s::DECIDING_UNIT_HINT));
    assert_eq!(state.form().deciding_unit, None, "the own unit by default");

    // A real click on the picker, then on Bãi Cháy in its menu.
    for m in pick(&state, session, 1)? {
        let _ = state.update(m, session);
    }
    assert_eq!(state.form().deciding_unit.as_deref(), Some(BAI_CHAY));
    assert_eq!(
        state.form().to_input().deciding_unit.as_deref(),
        Some(BAI_CHAY)
    );
    // The citizen across the counter sees which unit decides.
    let mirror = Mirror::of(&state, session, now_vn()).expect("mirror");
    assert_eq!(
        mirror.deciding.as_deref(),
        Some("UBND phường Bãi Cháy (H22.39.16)")
    );

    // Back to the own unit: no deciding unit, nothing on the mirror.
    for m in pick(&state, session, 0)? {
        let _ = state.update(m, session);
    }
    assert_eq!(state.form().deciding_unit, None);
    assert_eq!(
        Mirror::of(&state, session, now_vn()).and_then(|m| m.deciding),
        None
    );

    // Lists from a later round that no longer flag the procedure drop the pick: no
    // picker is left to show it.
    let _ = state.update(Message::Deciding(choices[1].clone()), session);
    let unflagged = crate::domain::province::ProvinceLists {
        cross_procedures: Vec::new(),
        ..state.province.clone()
    };
    let _ = state.update(Message::ProvinceLoaded(Ok(unflagged)), session);
    assert_eq!(state.form().deciding_unit, None);
    assert!(!shows(&state, session, s::DECIDING_UNIT));
    let _ = state.update(Message::ProvinceLoaded(Ok(kept_lists())), session);

    // Another procedure drops the pick; an ordinary one shows no picker again.
    let _ = state.update(Message::Deciding(choices[1].clone()), session);
    let _ = state.update(Message::ChangeProcedure, session);
    assert_eq!(state.form().deciding_unit, None);
    let _ = state.update(Message::Choose(ORDINARY.into()), session);
    assert_eq!(state.form().deciding_unit, None);
    assert!(!shows(&state, session, s::DECIDING_UNIT));
    Ok(())
}

/// A desk that never synced keeps no lists: even a listed procedure has no picker,
/// so the dossier can only be the own unit's, until a sync round brings them.
#[test]
fn without_kept_lists_there_is_no_picker_until_a_round_brings_them() {
    let kit = kit();
    let session = &kit.session;
    let mut state = shown(&kit);
    let _ = state.update(Message::Choose(FLAGGED.into()), session);
    assert!(state.deciding_choices(session).is_empty(), "never synced");
    assert!(!shows(&state, session, s::DECIDING_UNIT));

    // A sync round keeps the lists: the screen reads them again without being left.
    keep_lists(&kit);
    let round = crate::desk::Changed {
        sync: true,
        ..crate::desk::Changed::default()
    };
    let action = state.refresh(&round);
    let _ = settle(&kit.desk, action, |m| state.update(m, session));
    assert!(shows(&state, session, s::DECIDING_UNIT));
}

/// Types an applicant whose dossier the domain accepts.
fn fill_applicant(state: &mut State, session: &crate::ui::session::Session, id: &str) {
    for (f, v) in [
        (Field::FullName, "Nguyễn Thị Ngọc Ánh"),
        (Field::IdNumber, id),
        (Field::DateOfBirth, "21/03/2003"),
        (Field::Gender, "Nữ"),
        (
            Field::Address,
            "Tổ 5, khu 3, phường Bãi Cháy, tỉnh Quảng Ninh",
        ),
        (Field::Phone, "0912 345 678"),
    ] {
        let _ = state.update(Message::Edit(f, v.to_string()), session);
    }
}

/// Saves through the desk and returns the dossier's code.
fn save(kit: &crate::ui::screens::testkit::Kit, state: &mut State) -> String {
    let session = &kit.session;
    let action = state.update(Message::Save, session);
    let _ = settle(&kit.desk, action, |m| state.update(m, session));
    assert_eq!(state.problem(), None, "{:?}", state.errors());
    state.saved().expect("saved").code.clone()
}

#[test]
fn picking_another_unit_then_saving_records_it_on_the_receipt() -> Result<(), iced_test::Error> {
    let kit = kit();
    keep_lists(&kit);
    let session = &kit.session;
    let mut state = shown(&kit);

    let _ = state.update(Message::Choose(FLAGGED.into()), session);
    fill_applicant(&mut state, session, "022303000123");
    for m in pick(&state, session, 1)? {
        let _ = state.update(m, session);
    }
    let code = save(&kit, &mut state);
    let stored = kit.desk.dossier(&code).expect("stored");
    assert_eq!(
        stored.deciding_unit.as_ref().map(|u| u.as_str()),
        Some(BAI_CHAY)
    );
    assert!(
        code.starts_with(OWN),
        "the code stays in the own range: {code}"
    );
    assert_eq!(
        state.form().deciding_unit,
        None,
        "a fresh form after saving"
    );

    // The own unit picked explicitly: an ordinary dossier.
    let _ = state.update(Message::Choose(FLAGGED.into()), session);
    fill_applicant(&mut state, session, "022303000124");
    for m in pick(&state, session, 0)? {
        let _ = state.update(m, session);
    }
    let code = save(&kit, &mut state);
    let stored = kit.desk.dossier(&code).expect("stored");
    assert_eq!(stored.deciding_unit, None);
    Ok(())
}

/// The picker by keyboard (issue 23 follow-up): iced's pick_list takes no focus, so
/// F12 moves to the next unit while the picker shows, and past the last one back to
/// the own unit (no deciding unit). Without a picker the key means nothing here.
#[test]
fn f12_cycles_the_deciding_unit_and_back_to_the_own_unit() {
    use iced::keyboard::{Key, key::Named};
    let kit = kit();
    keep_lists(&kit);
    let session = &kit.session;
    let mut state = shown(&kit);
    let f12 = Key::Named(Named::F12);

    let _ = state.update(Message::Choose(ORDINARY.into()), session);
    assert!(state.key(&f12, session).is_none(), "no picker, no key");

    let _ = state.update(Message::ChangeProcedure, session);
    let _ = state.update(Message::Choose(FLAGGED.into()), session);
    assert!(shows(&state, session, s::DECIDING_UNIT_KEY));

    let m = state.key(&f12, session).expect("the picker shows");
    let _ = state.update(m, session);
    assert_eq!(state.form().deciding_unit.as_deref(), Some(BAI_CHAY));
    assert_eq!(
        Mirror::of(&state, session, now_vn()).and_then(|m| m.deciding),
        Some("UBND phường Bãi Cháy (H22.39.16)".into()),
        "the citizen sees the unit the key chose"
    );
    assert_eq!(
        state.form().to_input().deciding_unit.as_deref(),
        Some(BAI_CHAY)
    );

    let m = state.key(&f12, session).expect("the picker shows");
    let _ = state.update(m, session);
    assert_eq!(state.form().deciding_unit, None, "back to the own unit");
    // Other keys are not the screen's.
    assert!(state.key(&Key::Named(Named::F11), session).is_none());
}

/// The same through the whole window: F12 reaches the intake screen whether a text
/// field has the focus (the procedure field usually does) or none does.
#[test]
fn f12_in_the_window_moves_the_deciding_unit() {
    use crate::store::paths::DataPaths;
    use crate::ui::app::Message as App;
    use crate::ui::screens::login;
    use crate::ui::testing::Harness;
    use iced::keyboard::{Key, Modifiers, key::Named};
    let kit = kit();
    keep_lists(&kit);
    let mut h = Harness::open(DataPaths::in_dir(kit.dir.path())).expect("opens");
    h.send_all([
        App::Login(login::Message::Username("tran.mai".into())),
        App::Login(login::Message::Password("mật khẩu dài".into())),
        App::Login(login::Message::Submit),
        App::Intake(Message::Choose(FLAGGED.into())),
    ]);
    let unit = |h: &Harness| h.app.intake().and_then(|i| i.form().deciding_unit.clone());
    assert_eq!(unit(&h), None, "signed in, the own unit");
    h.send(App::Input(Some((
        Key::Named(Named::F12),
        Modifiers::empty(),
    ))));
    assert_eq!(unit(&h).as_deref(), Some(BAI_CHAY), "from a focused field");
    h.send(App::FreeKey(Key::Named(Named::F12), Modifiers::empty()));
    assert_eq!(unit(&h), None, "with nothing focused, back to the own unit");
}
