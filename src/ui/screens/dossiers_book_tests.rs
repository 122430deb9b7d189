//! Mẫu 07 printed from the F3 list (issue 19 §2).

use super::*;
use crate::ui::screens::testkit::{Settled, intake, kit, settle};
use iced_test::simulator;

fn apply(state: &mut State, kit: &mut crate::ui::screens::testkit::Kit, m: Message) -> Settled {
    let session = kit.session.clone();
    let action = state.update(m, &session);
    settle(&kit.desk, action, |m| state.update(m, &session))
}

/// Issue 19 §2: Mẫu 07 from the window, for the period of the date filters, by
/// the same desk use case as `motcua print --form 07`.
#[test]
fn the_book_button_prints_mau_07_for_the_filtered_period() {
    let mut kit = kit();
    for (name, id, at) in [
        (
            "Phạm Quỳnh Hương",
            "022190001234",
            "2026-11-02T09:00:00+07:00",
        ),
        ("Trần Văn Bình", "022190005678", "2026-11-02T10:00:00+07:00"),
    ] {
        intake(&mut kit.store(), name, id, Some(at));
    }
    let mut state = State::default();
    apply(&mut state, &mut kit, Message::From("02/11/2026".into()));
    apply(&mut state, &mut kit, Message::To("02/11/2026".into()));
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    ui.click(s::BOOK_PRINT).expect("the book button");
    let msgs: Vec<Message> = ui.into_messages().collect();
    for m in msgs {
        apply(&mut state, &mut kit, m);
    }
    let done = state
        .book_printed()
        .cloned()
        .expect("answered")
        .expect("printed");
    assert!(
        done.contains("so-theo-doi-2026-11-02-2026-11-02.pdf"),
        "{done}"
    );
    let pdf = kit
        .desk
        .paths()
        .prints
        .join("so-theo-doi-2026-11-02-2026-11-02.pdf");
    assert!(pdf.exists(), "{}", pdf.display());
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(done.as_str()).is_ok());
    drop(ui);

    apply(&mut state, &mut kit, Message::From("31/02/2026".into()));
    apply(&mut state, &mut kit, Message::PrintBook);
    assert_eq!(
        state.book_printed(),
        Some(&Err(s::BOOK_BAD_PERIOD.to_string()))
    );
}
