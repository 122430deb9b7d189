//! Tests of the detail screen: fields, allowed actions, recording, reprinting.

use super::*;
use crate::domain::clock::to_wall;
use crate::domain::status::Status;
use crate::ui::screens::testkit::{Kit, Settled, intake, kit, outbox_len, settle};
use iced_test::{selector, simulator};

fn apply(state: &mut State, kit: &mut Kit, m: Message) -> Settled {
    let session = kit.session.clone();
    let action = state.update(m, &session);
    settle(&kit.desk, action, |m| state.update(m, &session))
}

fn opened(kit: &mut Kit, code: &str) -> State {
    let mut state = State::default();
    let session = kit.session.clone();
    let action = state.open(code, &session);
    settle(&kit.desk, action, |m| state.update(m, &session));
    state
}

/// Clicks, types and clicks on the real view, feeding every message to `update`.
fn click_type(state: &mut State, kit: &mut Kit, steps: &[(&'static str, Option<&str>)]) -> Settled {
    let mut all = Settled::default();
    for (target, typed) in steps {
        let session = kit.session.clone();
        let mut ui = simulator(state.view(&session));
        match typed {
            Some(t) => {
                ui.click(selector::id(*target)).expect("input");
                let _ = ui.typewrite(t);
            }
            None => {
                ui.click(*target).expect("button");
            }
        }
        let msgs: Vec<Message> = ui.into_messages().collect();
        for m in msgs {
            let out = apply(state, kit, m);
            all.ups.extend(out.ups);
            all.focus.extend(out.focus);
        }
    }
    all
}

#[test]
fn shows_the_dossier_and_only_the_actions_its_status_allows() {
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = opened(&mut kit, &code);
    assert_eq!(state.dossier().map(|d| d.status), Some(Status::Received));
    assert_eq!(state.events().len(), 1);
    assert!(state.allowed().contains(&Act::Extend));
    assert!(!state.allowed().contains(&Act::Return));
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find("Nguyễn Thị Hải").is_ok());
    assert!(ui.find("Đã tiếp nhận").is_ok());
    assert!(ui.find(s::ACT_RETURN).is_err());
    drop(ui);

    let out = apply(&mut state, &mut kit, Message::Choose(Act::ResultReady));
    assert_eq!(out.focus, vec![FIRST_FIELD]);
    let out = apply(&mut state, &mut kit, Message::Confirm);
    assert_eq!(out.ups, vec![Up::DossierChanged(code.clone())]);
    assert_eq!(state.dossier().map(|d| d.status), Some(Status::ResultReady));
    assert_eq!(state.events().len(), 2, "reloaded after the change");
    assert_eq!(state.allowed(), vec![Act::Return]);
}

#[test]
fn an_extension_prints_mau_04_and_a_second_one_is_refused_in_vietnamese() {
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = opened(&mut kit, &code);
    let due = state.dossier().map(|d| to_wall(d.due_at)).expect("due");
    let later = (due + chrono::Duration::days(7))
        .format("%d/%m/%Y")
        .to_string();

    let out = click_type(
        &mut state,
        &mut kit,
        &[
            (s::ACT_EXTEND, None),
            (FIRST_FIELD, Some(&later)),
            (SECOND_FIELD, Some("Cần xác minh thêm")),
            (s::CONFIRM, None),
        ],
    );
    assert_eq!(out.ups, vec![Up::DossierChanged(code.clone())]);
    assert!(state.dossier().is_some_and(|d| d.extended));
    let printed = state.printed().expect("Mẫu 04 saved");
    assert_eq!(printed.form, "04");
    let pdf = printed.pdf.clone().expect("pdf path");
    assert!(std::path::Path::new(&pdf).exists(), "{pdf}");
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::pdf_saved(&pdf).as_str()).is_ok());
    drop(ui);

    // Once only: the store refuses, the reason is shown, nothing is written.
    let before = outbox_len(&kit.store());
    let even_later = (due + chrono::Duration::days(14))
        .format("%d/%m/%Y")
        .to_string();
    let out = click_type(
        &mut state,
        &mut kit,
        &[
            (s::ACT_EXTEND, None),
            (FIRST_FIELD, Some(&even_later)),
            (SECOND_FIELD, Some("Lần nữa")),
            (s::CONFIRM, None),
        ],
    );
    assert!(out.ups.is_empty());
    let why = state.refused().expect("refused").to_string();
    assert!(why.contains("chỉ được gia hạn một lần"), "{why}");
    assert_eq!(outbox_len(&kit.store()), before);
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(why.as_str()).is_ok());
}

#[test]
fn a_bad_new_due_date_is_refused_before_the_store() {
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = opened(&mut kit, &code);
    let before = outbox_len(&kit.store());
    apply(&mut state, &mut kit, Message::Choose(Act::Extend));
    apply(&mut state, &mut kit, Message::First("30/02/2026".into()));
    let out = apply(&mut state, &mut kit, Message::Confirm);
    assert!(out.ups.is_empty());
    assert_eq!(state.refused(), Some(s::BAD_NEW_DUE));
    assert_eq!(outbox_len(&kit.store()), before);
}

#[test]
fn reprinting_saves_the_pdf_and_says_where() {
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = opened(&mut kit, &code);
    apply(&mut state, &mut kit, Message::Reprint(DossierForm::M01));
    let p = state.printed().expect("printed");
    assert_eq!(p.form, "01");
    assert_eq!(p.error, None);
    assert!(
        p.pdf
            .as_deref()
            .is_some_and(|f| std::path::Path::new(f).exists())
    );
}

/// Issue 19 §5: a second supplement request makes the dossier late (QĐ 766 2.1); the
/// clerk reads it and confirms before anything is written.
#[test]
fn a_second_supplement_request_is_confirmed_first() {
    use crate::domain::clock::now_vn;
    use crate::store::dossiers::ActionRequest;
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    for request in [
        ActionRequest::RequestSupplement {
            items: vec!["Tờ khai".into()],
            reason: "Thiếu tờ khai".into(),
        },
        ActionRequest::ReceiveSupplement {
            note: String::new(),
        },
    ] {
        kit.store()
            .record(&code, request, None, "Trần Thị Mai", now_vn())
            .expect("recorded");
    }
    let mut state = opened(&mut kit, &code);
    apply(&mut state, &mut kit, Message::Choose(Act::Supplement));
    let warning = state.late_warning().expect("a warning");
    assert!(warning.contains("QUÁ HẠN"), "{warning}");
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(warning.as_str()).is_ok());
    assert!(ui.find(s::ACCEPT_LATE).is_ok());
    drop(ui);

    apply(&mut state, &mut kit, Message::First("Sai ngày sinh".into()));
    apply(&mut state, &mut kit, Message::Second("Tờ khai".into()));
    let before = outbox_len(&kit.store());
    let out = apply(&mut state, &mut kit, Message::Confirm);
    assert!(out.ups.is_empty());
    assert_eq!(state.refused(), Some(s::LATE_NOT_CONFIRMED));
    assert_eq!(outbox_len(&kit.store()), before, "nothing written");

    let out = click_type(&mut state, &mut kit, &[(s::ACCEPT_LATE, None)]);
    assert!(out.ups.is_empty());
    assert!(state.late_accepted());
    let out = apply(&mut state, &mut kit, Message::Confirm);
    assert_eq!(out.ups, vec![Up::DossierChanged(code.clone())]);
    assert_eq!(state.dossier().map(|d| d.supplement_requests), Some(2));
}

#[test]
fn a_first_supplement_request_needs_no_confirmation() {
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let mut state = opened(&mut kit, &code);
    apply(&mut state, &mut kit, Message::Choose(Act::Supplement));
    assert_eq!(state.late_warning(), None);
    apply(&mut state, &mut kit, Message::First("Thiếu tờ khai".into()));
    apply(&mut state, &mut kit, Message::Second("Tờ khai".into()));
    let out = apply(&mut state, &mut kit, Message::Confirm);
    assert_eq!(out.ups, vec![Up::DossierChanged(code.clone())]);
}
