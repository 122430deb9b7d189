//! Cài đặt (F9, administrators only): the unit's printed details and office hours,
//! the printer and paper, the tracking address printed as a QR code, the desk's phone,
//! the idle lock, enrollment with the centre, and the clerk accounts. Every save
//! validates first and shows the errors beside the fields, writes in one transaction,
//! then tells the application to reload the settings.

pub mod documents;
pub mod facing;
mod view;

use crate::desk::Desk;
use crate::desk::settings::{
    DEFAULT_IDLE_LOCK_MINUTES, SETTING_IDLE_LOCK_MINUTES, SETTING_PAPER, SETTING_PRINTER,
    SETTING_SIGNER_TITLE, SETTING_TRACKING_URL, SETTING_UNIT_PHONE, clean_signer_title,
};
use crate::desk::{Clerk, NewClerk};
use crate::desk::{UnitEdit, UnitError, UnitField};
use crate::domain::unit::Unit as UnitConfig;
use crate::print::Paper;
use crate::ui::job::{Action, Job, Up};
use crate::ui::session::Session;
use crate::ui::strings as s;

/// Longest idle lock an administrator may set, in minutes.
pub const MAX_IDLE_MINUTES: u64 = 120;

/// Field ids, for focus and tests.
pub const UNIT_NAME: &str = "settings-unit-name";
pub const UNIT_AUTHORITY: &str = "settings-unit-authority";
pub const UNIT_PLACE: &str = "settings-unit-place";
pub const UNIT_HOURS: &str = "settings-unit-hours";
pub const TRACKING_URL: &str = "settings-tracking-url";
pub const UNIT_PHONE: &str = "settings-unit-phone";
pub const SIGNER_TITLE: &str = "settings-signer-title";
pub const IDLE_MINUTES: &str = "settings-idle-minutes";
pub const CENTRE_URL: &str = "settings-centre-url";
pub const ENROLL_CODE: &str = "settings-enroll-code";
pub const NEW_USERNAME: &str = "settings-new-username";
pub const NEW_FULL_NAME: &str = "settings-new-full-name";
pub const NEW_PASSWORD: &str = "settings-new-password";
pub const NEW_PASSWORD_AGAIN: &str = "settings-new-password-again";
pub const RESET_PASSWORD: &str = "settings-reset-password";

/// The desk settings' fields that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskField {
    TrackingUrl,
    UnitPhone,
    IdleMinutes,
    /// The head's title on Mẫu 04 and 05.
    SignerTitle,
}

/// The new-account form's text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClerkField {
    Username,
    FullName,
    Password,
    PasswordAgain,
}

/// What the screen reads from the store when shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub unit: UnitConfig,
    pub desk_index: u8,
    pub printer: Option<String>,
    pub paper: Paper,
    pub tracking_url: String,
    pub unit_phone: String,
    pub signer_title: String,
    pub idle_minutes: String,
    /// The centre's address once enrolled.
    pub enrolled_with: Option<String>,
    pub clerks: Vec<Clerk>,
}

impl Loaded {
    pub fn read(desk: &Desk) -> crate::desk::Result<Loaded> {
        let sync = desk.sync_state()?;
        let settings = desk.settings()?;
        Ok(Loaded {
            unit: desk.unit()?,
            desk_index: desk.desk_config()?.index.get(),
            printer: settings.printer,
            paper: settings.paper,
            tracking_url: desk.setting(SETTING_TRACKING_URL)?.unwrap_or_default(),
            unit_phone: desk.setting(SETTING_UNIT_PHONE)?.unwrap_or_default(),
            signer_title: desk.setting(SETTING_SIGNER_TITLE)?.unwrap_or_default(),
            idle_minutes: (settings.idle_lock.as_secs() / 60).to_string(),
            enrolled_with: sync.enrolled.then_some(sync.centre_url).flatten(),
            clerks: desk.clerks()?,
        })
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Box<Loaded>, String>),
    /// The CUPS queues were listed.
    Printers(Vec<String>),
    Unit(UnitField, String),
    SaveUnit,
    UnitSaved(Result<Result<UnitConfig, Vec<UnitError>>, String>),
    /// A printer was picked; `None` = no printer, only save PDFs.
    Printer(Option<String>),
    Paper(Paper),
    Desk(DeskField, String),
    SaveDesk,
    DeskSaved(Result<(), String>),
    CentreUrl(String),
    EnrollCode(String),
    Enroll,
    Enrolled(Result<String, String>),
    NewClerk(ClerkField, String),
    NewClerkAdmin(bool),
    AddClerk,
    /// Show the reset-password box for this account.
    ResetFor(String),
    ResetPassword(String),
    ConfirmReset,
    SetActive(String, bool),
    /// An account change finished: what to tell the administrator, and the accounts.
    ClerksChanged(Result<String, String>, Option<Vec<Clerk>>),
    /// The section «Số hóa giấy tờ».
    Documents(documents::Message),
    /// The section «Màn hình hướng về công dân».
    Facing(facing::Message),
}

/// A short note after a save, in green or red.
pub type Note = Option<Result<String, String>>;

#[derive(Debug, Default)]
pub struct State {
    loaded: Option<Loaded>,
    problem: Option<String>,
    printers: Option<Vec<String>>,
    unit: UnitEdit,
    unit_errors: Vec<UnitError>,
    unit_note: Note,
    printer: Option<String>,
    paper: Option<Paper>,
    tracking_url: String,
    unit_phone: String,
    signer_title: String,
    idle_minutes: String,
    desk_errors: Vec<(DeskField, String)>,
    desk_note: Note,
    centre_url: String,
    enroll_code: String,
    enrolling: bool,
    enroll_note: Note,
    clerks: Vec<Clerk>,
    new_clerk: NewClerk,
    new_password_again: String,
    clerk_note: Note,
    reset_for: Option<String>,
    reset_password: String,
    saving: bool,
    documents: documents::Section,
    facing: facing::Section,
}

/// The desk settings as they will be written, or the errors per field.
pub fn validate_desk(
    tracking_url: &str,
    unit_phone: &str,
    idle_minutes: &str,
) -> Result<(String, String, u64), Vec<(DeskField, String)>> {
    let mut errors = Vec::new();
    let url = tracking_url.trim();
    let url_ok = url.is_empty()
        || ((url.starts_with("http://") || url.starts_with("https://"))
            && url.len() > "https://".len()
            && !url.contains(char::is_whitespace));
    if !url_ok {
        errors.push((DeskField::TrackingUrl, s::BAD_TRACKING_URL.to_string()));
    }
    let phone = unit_phone.trim();
    let phone_ok = phone.chars().count() <= 30
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +.-()".contains(c));
    if !phone_ok {
        errors.push((DeskField::UnitPhone, s::BAD_PHONE.to_string()));
    }
    let minutes = match idle_minutes.trim().parse::<u64>() {
        Ok(m @ 1..=MAX_IDLE_MINUTES) => m,
        _ => {
            errors.push((
                DeskField::IdleMinutes,
                s::bad_idle_minutes(MAX_IDLE_MINUTES),
            ));
            DEFAULT_IDLE_LOCK_MINUTES
        }
    };
    if errors.is_empty() {
        Ok((url.to_string(), phone.to_string(), minutes))
    } else {
        Err(errors)
    }
}

fn clerks_after(desk: &Desk, result: crate::desk::Result<String>) -> Message {
    let clerks = desk.clerks().ok();
    Message::ClerksChanged(result.map_err(|e| e.to_string()), clerks)
}

impl State {
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    pub fn unit_errors(&self) -> &[UnitError] {
        &self.unit_errors
    }

    pub fn desk_errors(&self) -> &[(DeskField, String)] {
        &self.desk_errors
    }

    pub fn documents(&self) -> &documents::Section {
        &self.documents
    }

    pub fn facing(&self) -> &facing::Section {
        &self.facing
    }

    pub fn clerks(&self) -> &[Clerk] {
        &self.clerks
    }

    pub fn notes(&self) -> [&Note; 4] {
        [
            &self.unit_note,
            &self.desk_note,
            &self.enroll_note,
            &self.clerk_note,
        ]
    }

    pub fn on_show(&mut self, _session: &Session) -> Action<Message> {
        Action::Many(vec![
            Action::desk(|desk| {
                Message::Loaded(Loaded::read(desk).map(Box::new).map_err(|e| e.to_string()))
            }),
            // Listed without the store: a slow `lpstat` holds up no desk action.
            Action::desk(|_| Message::Printers(crate::print::spool::printers())),
            documents::Section::load().map(Message::Documents),
            facing::Section::load().map(Message::Facing),
        ])
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Loaded(Ok(l)) => self.show_loaded(*l),
            Message::Loaded(Err(e)) => {
                self.problem = Some(e);
                Action::None
            }
            Message::Printers(list) => {
                self.printers = Some(list);
                Action::None
            }
            Message::Unit(field, value) => {
                match field {
                    UnitField::Name => self.unit.name = value,
                    UnitField::Authority => self.unit.authority = value,
                    UnitField::Place => self.unit.place = value,
                    UnitField::Hours => self.unit.working_hours = value,
                }
                self.unit_errors.retain(|e| e.field != field);
                self.unit_note = None;
                Action::None
            }
            Message::SaveUnit => self.save_unit(session),
            Message::UnitSaved(result) => self.unit_saved(result),
            Message::Printer(p) => {
                self.printer = p;
                self.desk_note = None;
                Action::None
            }
            Message::Paper(p) => {
                self.paper = Some(p);
                self.desk_note = None;
                Action::None
            }
            Message::Desk(field, value) => {
                match field {
                    DeskField::TrackingUrl => self.tracking_url = value,
                    DeskField::UnitPhone => self.unit_phone = value,
                    DeskField::SignerTitle => self.signer_title = value,
                    DeskField::IdleMinutes => self.idle_minutes = value,
                }
                self.desk_errors.retain(|(f, _)| *f != field);
                self.desk_note = None;
                Action::None
            }
            Message::SaveDesk => self.save_desk(session),
            Message::DeskSaved(result) => {
                self.saving = false;
                match result {
                    Ok(()) => {
                        self.desk_note = Some(Ok(s::SAVED.to_string()));
                        Action::Up(Up::SettingsChanged)
                    }
                    Err(e) => {
                        self.desk_note = Some(Err(e));
                        Action::None
                    }
                }
            }
            Message::CentreUrl(v) => {
                self.centre_url = v;
                self.enroll_note = None;
                Action::None
            }
            Message::EnrollCode(v) => {
                self.enroll_code = v;
                self.enroll_note = None;
                Action::None
            }
            Message::Enroll => self.enroll(),
            Message::Enrolled(result) => self.enrolled(result),
            Message::NewClerk(field, value) => {
                match field {
                    ClerkField::Username => self.new_clerk.username = value,
                    ClerkField::FullName => self.new_clerk.full_name = value,
                    ClerkField::Password => self.new_clerk.password = value,
                    ClerkField::PasswordAgain => self.new_password_again = value,
                }
                self.clerk_note = None;
                Action::None
            }
            Message::NewClerkAdmin(on) => {
                self.new_clerk.is_admin = on;
                Action::None
            }
            Message::AddClerk => self.add_clerk(),
            Message::ResetFor(username) => {
                self.reset_for = Some(username);
                self.reset_password.clear();
                self.clerk_note = None;
                Action::Focus(RESET_PASSWORD)
            }
            Message::ResetPassword(v) => {
                self.reset_password = v;
                Action::None
            }
            Message::ConfirmReset => self.reset(),
            Message::SetActive(username, active) => self.set_active(username, active, session),
            Message::ClerksChanged(result, clerks) => self.clerks_changed(result, clerks),
            Message::Documents(m) => self.documents.update(m).map(Message::Documents),
            Message::Facing(m) => self.facing.update(m).map(Message::Facing),
        }
    }

    fn show_loaded(&mut self, l: Loaded) -> Action<Message> {
        self.unit = UnitEdit::from_unit(&l.unit);
        self.unit_errors.clear();
        self.printer = l.printer.clone();
        self.paper = Some(l.paper);
        self.tracking_url = l.tracking_url.clone();
        self.unit_phone = l.unit_phone.clone();
        self.signer_title = l.signer_title.clone();
        self.idle_minutes = l.idle_minutes.clone();
        self.desk_errors.clear();
        self.clerks = l.clerks.clone();
        if let Some(url) = &l.enrolled_with {
            self.centre_url = url.clone();
        }
        self.problem = None;
        self.loaded = Some(l);
        Action::None
    }

    fn unit_saved(
        &mut self,
        result: Result<Result<UnitConfig, Vec<UnitError>>, String>,
    ) -> Action<Message> {
        self.saving = false;
        match result {
            Ok(Ok(unit)) => {
                self.unit = UnitEdit::from_unit(&unit);
                self.unit_errors.clear();
                if let Some(l) = &mut self.loaded {
                    l.unit = unit;
                }
                self.unit_note = Some(Ok(s::SAVED.to_string()));
                Action::Up(Up::SettingsChanged)
            }
            Ok(Err(errors)) => {
                self.unit_errors = errors;
                self.unit_note = Some(Err(s::NOT_SAVED.to_string()));
                Action::None
            }
            Err(e) => {
                self.unit_note = Some(Err(e));
                Action::None
            }
        }
    }

    fn enrolled(&mut self, result: Result<String, String>) -> Action<Message> {
        self.enrolling = false;
        let ok = result.is_ok();
        self.enroll_note = Some(result);
        if ok {
            self.enroll_code.clear();
            if let Some(l) = &mut self.loaded {
                l.enrolled_with = Some(self.centre_url.trim().trim_end_matches('/').into());
            }
            // The status line shows the centre; a first sync round starts.
            return Action::Many(vec![Action::Up(Up::SettingsChanged), Action::Up(Up::Sync)]);
        }
        Action::None
    }

    fn clerks_changed(
        &mut self,
        result: Result<String, String>,
        clerks: Option<Vec<Clerk>>,
    ) -> Action<Message> {
        self.saving = false;
        if let Some(c) = clerks {
            self.clerks = c;
        }
        if result.is_ok() {
            self.clear_new_clerk();
            self.reset_for = None;
            self.reset_password.clear();
        }
        self.clerk_note = Some(result);
        Action::None
    }

    fn save_unit(&mut self, session: &Session) -> Action<Message> {
        if self.saving {
            return Action::None;
        }
        // Checked here first, so a mistake shows at once; the store checks again.
        if let Err(errors) = self.unit.validate(&session.unit) {
            self.unit_errors = errors;
            self.unit_note = Some(Err(s::NOT_SAVED.to_string()));
            return Action::None;
        }
        self.saving = true;
        let edit = self.unit.clone();
        Action::desk(move |desk| {
            let saved = desk.update_unit(&edit).map(|r| r.map(|(unit, _)| unit));
            Message::UnitSaved(saved.map_err(|e| e.to_string()))
        })
    }

    fn save_desk(&mut self, _session: &Session) -> Action<Message> {
        if self.saving {
            return Action::None;
        }
        let checked = validate_desk(&self.tracking_url, &self.unit_phone, &self.idle_minutes);
        let title = clean_signer_title(&self.signer_title);
        let (url, phone, minutes, title) = match (checked, title) {
            (Ok((url, phone, minutes)), Ok(title)) => (url, phone, minutes, title),
            (checked, title) => {
                let mut errors = checked.err().unwrap_or_default();
                if title.is_err() {
                    errors.push((DeskField::SignerTitle, s::BAD_SIGNER_TITLE.to_string()));
                }
                self.desk_errors = errors;
                self.desk_note = Some(Err(s::NOT_SAVED.to_string()));
                return Action::None;
            }
        };
        self.desk_errors.clear();
        self.saving = true;
        let values = vec![
            (SETTING_PRINTER, self.printer.clone().unwrap_or_default()),
            (
                SETTING_PAPER,
                self.paper
                    .unwrap_or(crate::print::DEFAULT_PAPER)
                    .setting_value()
                    .to_string(),
            ),
            (SETTING_TRACKING_URL, url),
            (SETTING_UNIT_PHONE, phone),
            (SETTING_SIGNER_TITLE, title),
            (SETTING_IDLE_LOCK_MINUTES, minutes.to_string()),
        ];
        Action::Run(
            Job::new(move |desk: &Desk| {
                Message::DeskSaved(
                    desk.change_settings(&values)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                )
            })
            .recover(|e| Message::DeskSaved(Err(e))),
        )
    }

    fn enroll(&mut self) -> Action<Message> {
        if self.enrolling {
            return Action::None;
        }
        let url = self.centre_url.trim().to_string();
        let code = self.enroll_code.trim().to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            self.enroll_note = Some(Err(s::BAD_CENTRE_URL.to_string()));
            return Action::Focus(CENTRE_URL);
        }
        if code.is_empty() {
            self.enroll_note = Some(Err(s::ENROLL_CODE_MISSING.to_string()));
            return Action::Focus(ENROLL_CODE);
        }
        self.enrolling = true;
        self.enroll_note = None;
        Action::Run(
            Job::new(move |desk: &Desk| Message::Enrolled(enroll_now(desk, &url, &code)))
                .recover(|e| Message::Enrolled(Err(e))),
        )
    }

    fn add_clerk(&mut self) -> Action<Message> {
        if self.saving {
            return Action::None;
        }
        if self.new_clerk.password != self.new_password_again {
            self.clerk_note = Some(Err(s::PASSWORDS_DIFFER.to_string()));
            return Action::Focus(NEW_PASSWORD_AGAIN);
        }
        self.saving = true;
        let input = self.new_clerk.clone();
        // The form is cleared only when the account exists (see ClerksChanged).
        Action::desk(move |desk| {
            let result = desk
                .add_clerk(&input)
                .map(|(c, _)| s::clerk_added(&c.username, &c.full_name));
            clerks_after(desk, result)
        })
    }

    fn reset(&mut self) -> Action<Message> {
        let Some(username) = self.reset_for.clone() else {
            return Action::None;
        };
        if self.saving {
            return Action::None;
        }
        self.saving = true;
        let password = self.reset_password.clone();
        Action::desk(move |desk| {
            let result = desk
                .set_password(&username, &password)
                .map(|_| s::password_reset(&username));
            clerks_after(desk, result)
        })
    }

    fn set_active(&mut self, username: String, active: bool, session: &Session) -> Action<Message> {
        if !active && username == session.clerk.username {
            self.clerk_note = Some(Err(s::CANNOT_DISABLE_SELF.to_string()));
            return Action::None;
        }
        if self.saving {
            return Action::None;
        }
        self.saving = true;
        Action::desk(move |desk| {
            let result = desk
                .set_clerk_active(&username, active)
                .map(|_| s::clerk_active(&username, active));
            clerks_after(desk, result)
        })
    }

    /// Clears the new-account form after an account was added.
    fn clear_new_clerk(&mut self) {
        self.new_clerk = NewClerk::default();
        self.new_password_again.clear();
    }
}

/// Enrolls this desk with the centre: the use case is async, so the job runs it on a
/// small runtime of its own (jobs run on a blocking thread, never the UI's); the
/// desk's store is not held while the centre answers.
fn enroll_now(desk: &Desk, url: &str, code: &str) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| s::enroll_failed(&e.to_string()))?;
    runtime
        .block_on(desk.enroll(url, code))
        .map(|(r, _)| s::enrolled(r.desk_index, &r.unit_name, &r.unit_code))
        .map_err(|e| s::enroll_failed(&e.to_string()))
}

#[cfg(test)]
mod documents_tests;
#[cfg(test)]
mod tests;
