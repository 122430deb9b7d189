//! The intake screen's time-limit case picker (issue 12 §2): F7 moves to the next case
//! and the due time follows at once; the choice reaches the intake input.

use super::{Message, State};
use crate::domain::clock::from_wall;
use crate::ui::screens::testkit::kit;

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
