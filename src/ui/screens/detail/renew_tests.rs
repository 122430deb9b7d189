//! "In lại với mã tra cứu mới" (issue 22 §1): asked first; confirmed, it records
//! `TrackingRenewed` with a new token (the fold then holds only the new one, which is
//! what the centre's page answers), and Mẫu 01's QR holds the new address.

use std::path::Path;
use std::process::Command;

use super::*;
use crate::domain::event::EventBody;
use crate::domain::lifecycle;
use crate::domain::tracking::tracking_url;
use crate::ui::screens::testkit::{Kit, Settled, intake, kit, outbox_len, settle};
use iced_test::simulator;

const PUBLIC: &str = "https://dichvucong.quangninh.gov.vn";

fn apply(state: &mut State, kit: &mut Kit, m: Message) -> Settled {
    let session = kit.session.clone();
    let action = state.update(m, &session);
    settle(&kit.desk, action, |m| state.update(m, &session))
}

/// Clicks the button labelled `label` on the real view and runs what it asks.
fn click(state: &mut State, kit: &mut Kit, label: &str) -> Settled {
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    ui.click(label).expect("button");
    let msgs: Vec<Message> = ui.into_messages().collect();
    let mut all = Settled::default();
    for m in msgs {
        all.ups.extend(apply(state, kit, m).ups);
    }
    all
}

fn opened(kit: &mut Kit, code: &str) -> State {
    let mut state = State::default();
    let session = kit.session.clone();
    let action = state.open(code, &session);
    settle(&kit.desk, action, |m| state.update(m, &session));
    state
}

fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} ({e}): install poppler-utils and zbar-tools"));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The QR's text on the first page of `pdf`, as `zbarimg` reads it at 300 dpi.
fn qr_of(pdf: &Path) -> String {
    let png = pdf.with_extension("qr");
    let (p, o) = (pdf.to_str().expect("path"), png.to_str().expect("path"));
    tool(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            p,
            o,
        ],
    );
    let png = png.with_extension("qr.png");
    let text =
        String::from_utf8(tool("zbarimg", &["-q", png.to_str().expect("path")])).expect("utf-8");
    text.lines()
        .find_map(|l| l.strip_prefix("QR-Code:"))
        .expect("a QR code on the receipt")
        .trim()
        .to_string()
}

#[test]
fn a_reprint_with_a_new_code_revokes_the_old_one_and_prints_the_new_qr() {
    let mut kit = kit();
    crate::desk::settings::remember_public_url(&mut kit.store(), Some(PUBLIC)).expect("url");
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let old = kit
        .desk
        .dossier(&code)
        .expect("dossier")
        .tracking
        .expect("a token from intake");
    let mut state = opened(&mut kit, &code);
    let before = outbox_len(&kit.store());

    // Asked first: nothing is written until the clerk confirms.
    click(&mut state, &mut kit, s::REPRINT_NEW_TRACKING);
    assert!(state.renew_asked());
    assert_eq!(outbox_len(&kit.store()), before);
    let out = click(&mut state, &mut kit, s::REPRINT_NEW_TRACKING_CONFIRM);
    assert_eq!(out.ups, vec![Up::DossierChanged(code.clone())]);
    assert!(state.renewed() && !state.renew_asked());
    assert_eq!(outbox_len(&kit.store()), before + 1, "one event to sync");

    // The log holds one TrackingRenewed, and its fold only the new token: the old
    // one matches nothing any more (the centre's page compares with the fold).
    let events = kit.desk.timeline(&code).expect("timeline");
    let renewed: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::TrackingRenewed { token } => Some(token.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(renewed.len(), 1);
    let new = renewed[0].clone();
    assert_ne!(new, old);
    assert_eq!(new.as_str().len(), 32, "160 bits in base32");
    let folded = lifecycle::fold(&events).expect("fold");
    assert_eq!(folded.tracking.as_ref(), Some(&new));
    assert_ne!(folded.tracking.as_ref(), Some(&old));
    assert_eq!(
        state.dossier().and_then(|d| d.tracking.clone()),
        Some(new.clone())
    );

    // Mẫu 01 was printed with the new address in its QR.
    let printed = state.printed().expect("printed");
    assert_eq!((printed.form, printed.error.as_deref()), ("01", None));
    let pdf = printed.pdf.clone().expect("a PDF");
    let qr = qr_of(Path::new(&pdf));
    assert_eq!(qr, tracking_url(PUBLIC, &new));
    assert_ne!(qr, tracking_url(PUBLIC, &old));
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::TRACKING_RENEWED).is_ok());
}

#[test]
fn giving_up_the_new_code_writes_nothing() {
    let mut kit = kit();
    let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
    let old = kit.desk.dossier(&code).expect("dossier").tracking;
    let mut state = opened(&mut kit, &code);
    let before = outbox_len(&kit.store());
    click(&mut state, &mut kit, s::REPRINT_NEW_TRACKING);
    let session = kit.session.clone();
    let mut ui = simulator(state.view(&session));
    assert!(ui.find(s::REPRINT_NEW_TRACKING_NOTE).is_ok());
    drop(ui);
    let out = click(&mut state, &mut kit, s::CANCEL);
    assert!(out.ups.is_empty());
    assert!(!state.renew_asked());
    // A Renew arriving without the question asked does nothing either.
    apply(&mut state, &mut kit, Message::Renew);
    assert_eq!(outbox_len(&kit.store()), before);
    assert_eq!(kit.desk.dossier(&code).expect("dossier").tracking, old);
    assert!(state.printed().is_none());
}
