//! The window's status line offers the release (issue 25 §3), driven through the real
//! views with `iced_test`: an administrator sees "Cập nhật" and accepting stages the
//! release through the `Desk`; a plain clerk sees the offer and no button; with "tự cập
//! nhật" on the notice says it will be installed, with no button.

use iced_test::selector::Candidate;
use iced_test::simulator;
use motcua::domain::clock::now_vn;
use motcua::store::DataPaths;
use motcua::store::accounts::NewClerk;
use motcua::ui::app::Message;
use motcua::ui::screens::login;
use motcua::ui::strings as s;
use motcua::ui::testing::Harness;

use super::*;

const PASSWORD: &str = "mật khẩu quầy 1";
const OFFERED: &str = "Có phiên bản mới 0.1.1";
const STAGED: &str = "Phiên bản 0.1.1 sẽ được cài khi đóng chương trình";

/// A world whose centre offers 0.1.1.
fn offering() -> World {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    w
}

/// The desk at `dir`'s window, signed in as a new clerk (`admin` or not).
fn signed_in(dir: &Path, admin: bool) -> Harness {
    let mut store = motcua::store::Store::open(DataPaths::in_dir(dir)).expect("store");
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
    let mut h = Harness::open(DataPaths::in_dir(dir)).expect("opens");
    h.send_all([
        Message::Login(login::Message::Username("tran.hoa".into())),
        Message::Login(login::Message::Password(PASSWORD.into())),
        Message::Login(login::Message::Submit),
    ]);
    assert!(h.app.session().is_some(), "signed in");
    h
}

fn shows(h: &Harness, wanted: &str) -> bool {
    let mut ui = simulator(h.app.view());
    ui.find(|c: Candidate<'_>| match c {
        Candidate::Text { content, .. } if content.contains(wanted) => Some(()),
        _ => None,
    })
    .is_ok()
}

/// Clicks the button labelled `label`, if the window shows it.
fn click(h: &mut Harness, label: &str) -> bool {
    let messages: Vec<Message> = {
        let mut ui = simulator(h.app.view());
        if ui.click(label).is_err() {
            return false;
        }
        ui.into_messages().collect()
    };
    h.send_all(messages);
    true
}

#[test]
fn the_administrator_sees_the_offer_after_a_sync_and_accepting_stages_it() {
    let w = offering();
    let mut h = signed_in(w.desk.dir.path(), true);
    assert!(!shows(&h, OFFERED), "nothing before a round");
    h.sync_round();
    assert!(shows(&h, OFFERED));
    assert!(shows(&h, s::UPDATE_ACCEPT), "the administrator's button");
    assert_eq!(w.staged_files(), Vec::<String>::new(), "nothing staged yet");

    assert!(click(&mut h, s::UPDATE_ACCEPT));
    assert!(shows(&h, STAGED));
    assert!(!shows(&h, OFFERED));
    assert!(!shows(&h, s::UPDATE_ACCEPT), "no button once staged");
    assert_eq!(w.staged_files().len(), 2, "package and signature");
    assert_eq!(
        w.desk().staged_release().map(|r| r.version.to_string()),
        Some("0.1.1".into())
    );
}

#[test]
fn a_plain_clerk_sees_the_offer_without_a_button_and_tu_cap_nhat_needs_none() {
    let w = offering();
    let mut h = signed_in(w.desk.dir.path(), false);
    h.sync_round();
    assert!(shows(&h, OFFERED));
    assert!(!click(&mut h, s::UPDATE_ACCEPT), "no button for a clerk");
    // Even a forged "accept" message stages nothing.
    h.send(Message::Update(motcua::ui::status::UpdateEvent::Accept));
    assert_eq!(w.staged_files(), Vec::<String>::new());

    // Another desk of the unit, with "tự cập nhật" on: the notice, and no button.
    let other = Desk::new(UNIT_A, 1);
    other
        .enroll(&w.centre.url(), &enroll_code(&w.db, UNIT_A, Some(1)))
        .expect("enroll");
    motcua::desk::Desk::new(other.store())
        .change_settings(&[(motcua::desk::settings::SETTING_AUTO_UPDATE, "1".into())])
        .expect("setting");
    let mut h = signed_in(other.dir.path(), true);
    h.sync_round();
    assert!(shows(&h, STAGED));
    assert!(!shows(&h, s::UPDATE_ACCEPT));
    assert!(other.dir.path().join("updates/0.1.1/package").is_file());
}

#[test]
fn a_release_rolled_back_here_before_is_offered_with_the_reason() {
    let w = offering();
    let updates = w.desk.dir.path().join("updates");
    std::fs::create_dir_all(&updates).expect("updates");
    std::fs::write(updates.join("rolled-back-0.1.1"), "thoát với mã 1").expect("note");
    let mut h = signed_in(w.desk.dir.path(), true);
    h.sync_round();
    assert!(shows(&h, OFFERED));
    assert!(shows(
        &h,
        "lần cài trước không khởi động được (thoát với mã 1)"
    ));
    assert!(
        shows(&h, s::UPDATE_ACCEPT),
        "the administrator may say yes again"
    );
}

/// A download that fails its check is said once on the status line (before, a bad
/// hash was taken for a network failure and said nothing); the next start's look offers
/// the release and does not fetch it again that day.
#[test]
fn a_bad_download_is_said_once_and_not_fetched_again() {
    let w = world();
    let package = w.package("0.1.1");
    let sig = w.sign(&package, TEST_KEY, "0.1.1");
    assert!(w.upload(&package, &sig, &[]).status.success());
    let sha = w.change_on_centre_disk(&package);
    w.desk()
        .change_settings(&[(motcua::desk::settings::SETTING_AUTO_UPDATE, "1".into())])
        .expect("setting");
    let refused = "Chưa cập nhật được";
    let mut h = signed_in(w.desk.dir.path(), true);
    h.sync_round();
    assert!(shows(&h, refused), "the refusal is said");
    assert!(shows(&h, "mã băm"), "with its reason");
    assert!(w.desk().refused_release(sha.as_str()).is_some());
    drop(h);

    let mut h = Harness::open(DataPaths::in_dir(w.desk.dir.path())).expect("opens");
    h.send_all([
        Message::Login(login::Message::Username("tran.hoa".into())),
        Message::Login(login::Message::Password(PASSWORD.into())),
        Message::Login(login::Message::Submit),
    ]);
    h.sync_round();
    assert!(!shows(&h, refused), "said once");
    assert!(shows(&h, OFFERED), "the offer stays for a yes");
    assert_eq!(w.staged_files(), Vec::<String>::new());
}

/// The first start after an install says so on the status line, once (issue 25 §3):
/// the install leaves a note for the version it installed, and that version's window
/// takes it at the first sign-in.
#[test]
fn the_first_start_after_an_install_says_the_version_once() {
    let w = world();
    let running = Version::running().expect("running");
    let updates = w.desk.dir.path().join("updates");
    motcua::desk::update_install::leave_install_note(&updates, running).expect("note");
    let said = format!("Đã cài phiên bản {running}");
    let h = signed_in(w.desk.dir.path(), false);
    assert!(shows(&h, &said), "the first start says it");
    drop(h);
    // Signed in again (or started again): said once only.
    let mut h = Harness::open(DataPaths::in_dir(w.desk.dir.path())).expect("opens");
    h.send_all([
        Message::Login(login::Message::Username("tran.hoa".into())),
        Message::Login(login::Message::Password(PASSWORD.into())),
        Message::Login(login::Message::Submit),
    ]);
    assert!(h.app.session().is_some(), "signed in");
    assert!(!shows(&h, &said), "said once");
}
