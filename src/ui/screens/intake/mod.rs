//! Intake (F2): the clerk types the dossier in the order of the paper Mẫu 01, picks
//! the procedure by code or words, scans the chip card, and saves with Ctrl+Enter,
//! which also prints the receipt. When the procedure has several time-limit cases
//! (Đăng ký kết hôn: same day, or 05 working days when verifying), F7 moves to the next
//! case and the due time follows; F12 moves the deciding unit of a cross-commune
//! procedure on (its picker takes no focus). From here too: Mẫu 02 (ask for more papers) and
//! Mẫu 03 (refuse), printed without a dossier code. What is typed is kept as a draft.

mod deciding;
pub mod form;
mod notice;
#[cfg(test)]
mod tests;
mod view;

use chrono::NaiveDateTime;

use crate::desk::Changed;
use crate::desk::Desk;
use crate::desk::StoreError;
use crate::desk::forms::PrintRequest;
use crate::desk::work::Intake;
use crate::domain::applicant::ApplicantKind;
use crate::domain::clock::{Timestamp, format_vi_long, from_wall, now_vn, to_wall};
use crate::domain::due::due_at;
use crate::domain::limit_choice::default_case;
use crate::domain::procedure::Procedure;
use crate::domain::province::ProvinceLists;
use crate::domain::text;
use crate::domain::time_limit::{TimeLimit, TimeUnit};
use crate::ui::job::{Action, Job, Up};
use crate::ui::session::Session;
use crate::ui::strings as s;

pub use deciding::{Choice as DecidingChoice, DECIDING_PICKER};
use form::{ChannelChoice, Errors, Field, Form};
pub use notice::NoticeKind;

/// The draft's key in the store.
const DRAFT_SCREEN: &str = "intake";
/// How many procedures the picker lists.
const PICKER_ROWS: usize = 8;

#[derive(Debug, Clone)]
pub enum Message {
    Edit(Field, String),
    /// Enter in a field: a scanned QR fills the applicant, otherwise focus moves on.
    Submit(Field),
    Choose(String),
    ChangeProcedure,
    /// Picks the procedure's time-limit case (from 0).
    Case(usize),
    /// F7: the next time-limit case, back to the first after the last.
    NextCase,
    /// The applicant is a citizen, an organisation or a foreigner.
    Kind(ApplicantKind),
    ToggleAuthorised(bool),
    ToggleNoticeConsent(bool),
    ToggleDocument(usize, bool),
    DocumentCount(usize, String),
    Channel(ChannelChoice),
    Save,
    Saved(Box<Result<Saved, SaveError>>),
    NewDossier,
    /// F10 or the button after a save: digitise the saved dossier's papers.
    Digitise,
    DraftFound(Option<String>),
    RestoreDraft,
    DiscardDraft,
    DraftWritten(Result<(), String>),
    OpenNotice(NoticeKind),
    Notice(notice::Message),
    /// The province's lists kept from sync, read when the screen shows.
    ProvinceLoaded(Result<ProvinceLists, String>),
    /// The clerk picked the deciding unit of a cross-commune procedure.
    Deciding(DecidingChoice),
    /// F12: the next deciding unit, back to the own unit after the last.
    NextDeciding,
}

/// A saved dossier and what happened to its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub code: String,
    pub due: String,
    pub printed: Result<PrintReport, String>,
    /// Today's backup could not be made (the dossier is saved regardless).
    pub backup_warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReport {
    pub pdf: String,
    /// The printer and CUPS job, when a printer is set.
    pub job: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    Fields(Errors),
    Other(String),
}

#[derive(Debug)]
pub struct State {
    form: Form,
    errors: Errors,
    saving: bool,
    saved: Option<Saved>,
    problem: Option<String>,
    qr_note: Option<String>,
    /// A draft from an earlier session, offered back.
    offered: Option<Form>,
    dirty: bool,
    notice: Option<notice::State>,
    /// The province's units and cross-commune procedures (empty until read, or
    /// before the first sync that brought them: then no picker shows).
    province: ProvinceLists,
}

impl State {
    pub fn new(session: &Session) -> State {
        State {
            form: Form::for_unit(&session.unit.name),
            errors: Errors::default(),
            saving: false,
            saved: None,
            problem: None,
            qr_note: None,
            offered: None,
            dirty: false,
            notice: None,
            province: ProvinceLists::default(),
        }
    }

    pub fn form(&self) -> &Form {
        &self.form
    }

    pub fn errors(&self) -> &Errors {
        &self.errors
    }

    /// A save is under way (the button waits for its answer).
    pub fn is_saving(&self) -> bool {
        self.saving
    }

    /// Typed but not yet kept as a draft, or being saved: no update is installed then.
    pub fn is_busy(&self) -> bool {
        self.saving || self.dirty
    }

    pub fn saved(&self) -> Option<&Saved> {
        self.saved.as_ref()
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Takes the focus and reads the province's lists again (a sync may have
    /// brought new ones since the screen last showed).
    pub fn on_show(&mut self, session: &Session) -> Action<Message> {
        Action::Many(vec![
            Action::Focus(self.focus_target(session)),
            Self::load_province(),
        ])
    }

    /// Reads the kept province lists again: after a sync round, which may have
    /// brought new ones (two small reads, so any sync-related change will do).
    pub fn refresh(&self, changed: &Changed) -> Action<Message> {
        if changed.sync {
            Self::load_province()
        } else {
            Action::None
        }
    }

    fn load_province() -> Action<Message> {
        Action::desk(|desk| {
            Message::ProvinceLoaded(desk.province_lists().map_err(|e| e.to_string()))
        })
    }

    /// The units the deciding-unit picker offers for the chosen procedure (empty: no
    /// picker, the dossier is the own unit's).
    pub fn deciding_choices(&self, session: &Session) -> Vec<DecidingChoice> {
        match self.form.procedure.as_deref() {
            Some(code) => deciding::choices(&self.province, code, session),
            None => Vec::new(),
        }
    }

    /// The picked deciding unit when it is another unit, as "name (code)".
    pub fn deciding_other(&self, session: &Session) -> Option<String> {
        let chosen = self.form.deciding_unit.as_deref()?;
        self.deciding_choices(session)
            .into_iter()
            .find(|c| !c.own && c.code == chosen)
            .map(|c| format!("{} ({})", c.name, c.code))
    }

    /// The message a key means on this screen before the shortcuts: F12 moves the
    /// deciding-unit picker on while it shows (iced's pick_list takes no focus, and
    /// the counter works by keyboard).
    pub fn key(&self, key: &iced::keyboard::Key, session: &Session) -> Option<Message> {
        use iced::keyboard::{Key, key::Named};
        let picker = !self.deciding_choices(session).is_empty();
        (picker && matches!(key, Key::Named(Named::F12))).then_some(Message::NextDeciding)
    }

    /// Drops a picked deciding unit the chosen procedure does not allow.
    fn keep_deciding_if_allowed(&mut self, session: &Session) {
        let allowed = self.form.deciding_unit.as_deref().is_some_and(|chosen| {
            self.deciding_choices(session)
                .iter()
                .any(|c| !c.own && c.code == chosen)
        });
        if !allowed {
            self.form.deciding_unit = None;
        }
    }

    fn focus_target(&self, session: &Session) -> &'static str {
        if self.procedure(session).is_none() {
            Field::Procedure.id()
        } else {
            Field::FullName.id()
        }
    }

    pub fn procedure<'a>(&self, session: &'a Session) -> Option<&'a Procedure> {
        self.form
            .procedure
            .as_deref()
            .and_then(|c| session.procedure(c))
    }

    /// Procedures matching what is typed in the picker; names holding the words as
    /// typed (in that order) first, then shorter names, so "khai sinh" offers
    /// "Thủ tục đăng ký khai sinh" before the combined procedures.
    pub fn matches<'a>(&self, session: &'a Session) -> Vec<&'a Procedure> {
        let query = self.form.procedure_query.trim();
        if self.form.procedure.is_some() || query.is_empty() {
            return Vec::new();
        }
        let phrase = text::fold(query);
        let mut found: Vec<&Procedure> = session
            .catalogue
            .iter()
            .filter(|p| p.matches(query))
            .collect();
        found.sort_by_key(|p| {
            (
                !text::fold(&p.name).contains(&phrase),
                p.name.chars().count(),
            )
        });
        found.truncate(PICKER_ROWS);
        found
    }

    /// The due time if the dossier were received now, as the receipt will print it.
    pub fn live_due(&self, session: &Session, now: Timestamp) -> Option<String> {
        let p = self.procedure(session)?;
        let limit = match p
            .time_limits
            .get(self.form.time_limit_case)
            .or(p.time_limits.first())
        {
            Some(case) => case.limit,
            None => TimeLimit::new(self.form.days.trim().parse().ok()?, TimeUnit::WorkingDay),
        };
        let received: NaiveDateTime = to_wall(now);
        let due = due_at(received, limit, &session.calendar, &session.unit.hours);
        Some(format_vi_long(from_wall(due)))
    }

    /// Offers back an unsaved draft of this clerk, if any.
    pub fn offer_draft(&mut self, session: &Session) -> Action<Message> {
        let clerk = session.clerk.username.clone();
        Action::desk(move |desk| {
            Message::DraftFound(desk.draft(&clerk, DRAFT_SCREEN).ok().flatten())
        })
    }

    /// Writes the draft now if it changed (called every second and at sign-out).
    pub fn tick(&mut self, session: &Session) -> Action<Message> {
        if !self.dirty {
            return Action::None;
        }
        self.dirty = false;
        self.flush_draft(session)
    }

    pub fn flush_draft(&mut self, session: &Session) -> Action<Message> {
        let clerk = session.clerk.username.clone();
        if self.form.is_blank() {
            return Action::desk(move |desk| {
                Message::DraftWritten(
                    desk.discard_draft(&clerk, DRAFT_SCREEN)
                        .map_err(|e| e.to_string()),
                )
            });
        }
        let body = match serde_json::to_string(&self.form) {
            Ok(b) => b,
            Err(_) => return Action::None,
        };
        Action::desk(move |desk| {
            Message::DraftWritten(
                desk.save_draft(&clerk, DRAFT_SCREEN, &body)
                    .map_err(|e| e.to_string()),
            )
        })
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Edit(field, value) => {
                self.form.set(field, value);
                self.errors.fields.retain(|(f, _)| *f != field);
                self.saved = None;
                self.dirty = true;
                Action::None
            }
            Message::Submit(field) => self.submit(field, session),
            m @ (Message::Choose(_)
            | Message::Case(_)
            | Message::NextCase
            | Message::ChangeProcedure
            | Message::ProvinceLoaded(_)
            | Message::Deciding(_)
            | Message::NextDeciding) => self.procedure_message(m, session),
            Message::Kind(kind) => {
                if self.form.kind != kind {
                    self.form.kind = kind;
                    // The applicant's fields now mean something else (a tax code is not a
                    // passport): their old errors no longer apply.
                    self.errors.fields.retain(|(f, _)| {
                        !matches!(
                            f,
                            Field::FullName
                                | Field::IdNumber
                                | Field::DateOfBirth
                                | Field::Gender
                                | Field::Representative
                                | Field::Nationality
                                | Field::Address
                        )
                    });
                    self.dirty = true;
                }
                Action::Focus(Field::FullName.id())
            }
            Message::ToggleNoticeConsent(on) => {
                self.form.notice_consent = on;
                self.dirty = true;
                Action::None
            }
            Message::ToggleAuthorised(on) => {
                self.form.authorised = on;
                self.dirty = true;
                if on {
                    Action::Focus(Field::AuthName.id())
                } else {
                    Action::None
                }
            }
            Message::ToggleDocument(i, on) => {
                if let Some(d) = self.form.documents.get_mut(i) {
                    d.received = on;
                    self.dirty = true;
                }
                Action::None
            }
            Message::DocumentCount(i, v) => {
                if let Some(d) = self.form.documents.get_mut(i) {
                    d.count = v;
                    self.dirty = true;
                }
                Action::None
            }
            Message::Channel(c) => {
                self.form.channel = c;
                self.dirty = true;
                Action::None
            }
            Message::Save => self.save(session),
            Message::Saved(result) => self.saved_result(*result, session),
            Message::Digitise => match &self.saved {
                Some(saved) => Action::Up(Up::OpenDocuments(saved.code.clone())),
                None => Action::None,
            },
            Message::NewDossier => {
                self.saved = None;
                self.problem = None;
                Action::Focus(Field::Procedure.id())
            }
            Message::DraftFound(Some(body)) => {
                if let Ok(form) = serde_json::from_str::<Form>(&body)
                    && !form.is_blank()
                    && self.form.is_blank()
                {
                    self.offered = Some(form);
                }
                Action::None
            }
            Message::DraftFound(None) => Action::None,
            Message::RestoreDraft => {
                if let Some(form) = self.offered.take() {
                    self.form = form;
                    self.keep_deciding_if_allowed(session);
                }
                Action::Focus(self.focus_target(session))
            }
            Message::DiscardDraft => {
                self.offered = None;
                self.dirty = true;
                Action::Focus(Field::Procedure.id())
            }
            Message::DraftWritten(_) => Action::None,
            Message::OpenNotice(kind) => self.open_notice(kind),
            Message::Notice(m) => {
                let Some(n) = &mut self.notice else {
                    return Action::None;
                };
                let (action, close) = n.update(m, &self.form, session);
                if close {
                    self.notice = None;
                }
                action.map(Message::Notice)
            }
        }
    }

    /// The procedure and what follows from it: its time-limit case (F7) and, for a
    /// cross-commune procedure, the deciding unit (F12) and the lists that allow it.
    fn procedure_message(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Choose(code) => {
                if let Some(p) = session.procedure(&code) {
                    let default = default_case(
                        &p.time_limits,
                        to_wall(now_vn()),
                        &session.calendar,
                        &session.unit.hours,
                    );
                    self.form.choose(p, default);
                    self.keep_deciding_if_allowed(session);
                    self.errors.fields.retain(|(f, _)| *f != Field::Procedure);
                    self.dirty = true;
                }
                Action::Focus(Field::FullName.id())
            }
            Message::Case(index) => {
                let cases = self.procedure(session).map_or(0, |p| p.time_limits.len());
                if index < cases {
                    self.form.time_limit_case = index;
                    self.errors.fields.retain(|(f, _)| *f != Field::Procedure);
                    self.saved = None;
                    self.dirty = true;
                }
                Action::None
            }
            Message::NextCase => {
                let cases = self.procedure(session).map_or(0, |p| p.time_limits.len());
                if cases < 2 {
                    return Action::None;
                }
                let next = (self.form.time_limit_case + 1) % cases;
                self.update(Message::Case(next), session)
            }
            Message::ChangeProcedure => {
                self.form.procedure = None;
                self.form.procedure_query.clear();
                self.form.documents.clear();
                self.form.time_limit_case = 0;
                self.form.case_count = 0;
                self.form.deciding_unit = None;
                self.dirty = true;
                Action::Focus(Field::Procedure.id())
            }
            Message::ProvinceLoaded(Ok(lists)) => {
                self.province = lists;
                // New lists may no longer offer the unit picked (or any picker): the
                // form holds only what the screen shows.
                self.keep_deciding_if_allowed(session);
                Action::None
            }
            // Unreadable lists: no picker, so the dossier stays the own unit's.
            Message::ProvinceLoaded(Err(_)) => Action::None,
            Message::Deciding(choice) => {
                self.form.deciding_unit = deciding::field_value(&choice);
                self.saved = None;
                self.dirty = true;
                Action::None
            }
            Message::NextDeciding => {
                let choices = self.deciding_choices(session);
                match deciding::next(&choices, self.form.deciding_unit.as_deref()) {
                    Some(choice) => self.update(Message::Deciding(choice), session),
                    None => Action::None,
                }
            }
            _ => Action::None,
        }
    }

    /// Opens the Mẫu 02 / 03 panel.
    pub fn open_notice(&mut self, kind: NoticeKind) -> Action<Message> {
        self.notice = Some(notice::State::new(kind));
        Action::Focus(notice::REASON)
    }

    fn submit(&mut self, field: Field, session: &Session) -> Action<Message> {
        // A scanner types the QR string into whatever field has focus, then Enter.
        if let Some((before, raw)) = form::split_qr(self.form.get(field)) {
            self.form.set(field, before);
            return match form::read_qr(&raw) {
                Ok(qr) => {
                    self.form.fill_from_qr(&qr);
                    for f in [
                        Field::FullName,
                        Field::IdNumber,
                        Field::DateOfBirth,
                        Field::Gender,
                        Field::Address,
                    ] {
                        self.errors.fields.retain(|(g, _)| *g != f);
                    }
                    self.qr_note = Some(s::QR_FILLED.to_string());
                    self.dirty = true;
                    Action::Focus(Field::Phone.id())
                }
                Err(e) => {
                    self.qr_note = None;
                    self.errors.fields.push((
                        Field::FullName,
                        format!("Mã QR căn cước không đọc được: {e}"),
                    ));
                    Action::Focus(field.id())
                }
            };
        }
        if field == Field::Procedure && self.form.procedure.is_none() {
            let first = self
                .matches(session)
                .first()
                .map(|p| p.code.as_str().to_string());
            return match first {
                Some(code) => self.update(Message::Choose(code), session),
                None => Action::None,
            };
        }
        let visible = self.form.visible(self.procedure(session));
        let next = visible
            .iter()
            .position(|f| *f == field)
            .and_then(|i| visible.get(i + 1));
        match next {
            Some(f) => Action::Focus(f.id()),
            None => Action::None,
        }
    }

    fn save(&mut self, session: &Session) -> Action<Message> {
        if self.saving {
            return Action::None;
        }
        if self.form.procedure.is_none() {
            self.errors = Errors::default();
            self.errors
                .fields
                .push((Field::Procedure, "Chưa chọn thủ tục hành chính".to_string()));
            self.problem = Some(s::FIX_FIELDS.to_string());
            return Action::Focus(Field::Procedure.id());
        }
        self.saving = true;
        self.problem = None;
        let input = self.form.to_input();
        let clerk = session.clerk.full_name.clone();
        let username = session.clerk.username.clone();
        let print = PrintRequest {
            printer: session.settings.printer.clone(),
            paper: session.settings.paper,
        };
        let job = Job::new(move |desk: &Desk| {
            let who = Intake {
                clerk: &clerk,
                draft: Some((username.as_str(), DRAFT_SCREEN)),
            };
            let result = match desk.take_in_and_print(input, who, &print) {
                Ok(taken) => Ok(Saved {
                    code: taken.state.code.to_string(),
                    due: format_vi_long(taken.state.due_at),
                    printed: print_report(taken.printed),
                    backup_warning: taken.backup_warning,
                }),
                Err(StoreError::Intake(e)) => {
                    Err(SaveError::Fields(Errors::from_domain(e.fields())))
                }
                Err(e) => Err(SaveError::Other(e.to_string())),
            };
            Message::Saved(Box::new(result))
        })
        // A panic must not leave the screen "saving" forever: the form stays as typed.
        .recover(|e| Message::Saved(Box::new(Err(SaveError::Other(e)))));
        Action::Run(job)
    }

    fn saved_result(
        &mut self,
        result: Result<Saved, SaveError>,
        session: &Session,
    ) -> Action<Message> {
        self.saving = false;
        match result {
            Ok(saved) => {
                let code = saved.code.clone();
                self.saved = Some(saved);
                self.errors = Errors::default();
                self.qr_note = None;
                self.form = Form::for_unit(&session.unit.name);
                self.dirty = false;
                Action::Many(vec![
                    Action::Up(Up::DossierChanged(code)),
                    Action::Focus(Field::Procedure.id()),
                ])
            }
            Err(SaveError::Fields(errors)) => {
                let focus = errors.first_field().unwrap_or(Field::Procedure);
                self.errors = errors;
                self.problem = Some(s::FIX_FIELDS.to_string());
                let _ = session;
                Action::Focus(focus.id())
            }
            Err(SaveError::Other(e)) => {
                // Disk full, read-only disk…: the form stays as typed, and so does the draft.
                self.problem = Some(e);
                self.dirty = true;
                Action::None
            }
        }
    }
}

/// What became of Mẫu 01 for a just-saved dossier; the PDF is always kept.
fn print_report(receipt: Option<crate::desk::forms::Printed>) -> Result<PrintReport, String> {
    let printed = receipt.ok_or_else(|| "Chưa in giấy tiếp nhận".to_string())?;
    if let Some(e) = printed.error {
        return Err(e);
    }
    Ok(PrintReport {
        pdf: printed
            .pdf
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        job: printed.job.map(|(p, j)| (p, j.id)),
    })
}
