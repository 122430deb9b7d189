//! Chi tiết hồ sơ: every field of the dossier, its timeline (who, when, where), the
//! actions its status allows — each one `Desk::record` transaction, refused in place
//! with the domain's Vietnamese reason — and reprinting forms 01–06. An extension
//! prints Mẫu 04, a stop Mẫu 05, a supplement request Mẫu 02.

use crate::desk::forms::PrintRequest;
use crate::domain::dossier::DossierState;
use crate::domain::event::Event;
use crate::domain::lifecycle::allowed_after;
use crate::print::job::DossierForm;
use crate::ui::job::{Action, Up};
use crate::ui::session::Session;
use crate::ui::strings as s;

mod act;
pub mod documents;
mod view;
pub mod viewer;
pub use act::{Act, parse_due};
pub use view::summary;

pub const FIRST_FIELD: &str = "detail-first";
pub const SECOND_FIELD: &str = "detail-second";
/// The left column's scrollable (the documents panel scrolls to its cursor).
pub const LEFT: &str = "detail-left";

/// A form saved (and maybe printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub form: &'static str,
    pub pdf: Option<String>,
    pub printer: Option<String>,
    pub error: Option<String>,
}

impl From<crate::desk::forms::Printed> for Printed {
    fn from(p: crate::desk::forms::Printed) -> Printed {
        Printed {
            form: p.form.number(),
            pdf: p.pdf.map(|f| f.display().to_string()),
            printer: p.job.map(|(printer, job)| s::printed_to(&printer, &job.id)),
            error: p.error,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub state: DossierState,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(String, Result<Box<Loaded>, String>),
    Choose(Act),
    Cancel,
    First(String),
    Second(String),
    Confirm,
    /// The clerk read that a second supplement request makes the dossier late, and
    /// goes on.
    AcceptLate,
    Recorded(Result<(String, Option<Printed>), String>),
    Reprint(DossierForm),
    Printed(Printed),
    /// "In lại với mã tra cứu mới" chosen (true) or given up (false): it asks first,
    /// as the code on the receipt the citizen holds stops working.
    AskRenew(bool),
    /// The clerk confirmed: renew the code and print Mẫu 01 with it.
    Renew,
    Renewed(Result<(String, Printed), String>),
    /// F10 or the tab: the dossier's digitised documents (true) or its details.
    ShowDocuments(bool),
    Docs(documents::Message),
}

#[derive(Debug, Default)]
pub struct State {
    code: Option<String>,
    loaded: Option<Loaded>,
    problem: Option<String>,
    act: Option<Act>,
    first: String,
    second: String,
    /// Why the last action was refused, shown under it.
    refused: Option<String>,
    /// The clerk confirmed a second supplement request (it makes the dossier late).
    accept_late: bool,
    busy: bool,
    done: Option<String>,
    printed: Option<Printed>,
    /// The clerk asked for a new tracking code and has not confirmed yet.
    renew_asked: bool,
    /// The last reprint gave the dossier a new tracking code.
    renewed: bool,
    /// The documents panel is shown instead of the fields and timeline.
    documents: bool,
    docs: documents::Docs,
}

impl State {
    pub fn dossier(&self) -> Option<&DossierState> {
        self.loaded.as_ref().map(|l| &l.state)
    }

    pub fn events(&self) -> &[Event] {
        self.loaded
            .as_ref()
            .map(|l| l.events.as_slice())
            .unwrap_or(&[])
    }

    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    pub fn printed(&self) -> Option<&Printed> {
        self.printed.as_ref()
    }

    /// Whether the clerk is being asked to confirm a new tracking code.
    pub fn renew_asked(&self) -> bool {
        self.renew_asked
    }

    /// Whether the last reprint gave the dossier a new tracking code.
    pub fn renewed(&self) -> bool {
        self.renewed
    }

    /// The actions the dossier's status allows.
    pub fn allowed(&self) -> Vec<Act> {
        match self.dossier() {
            Some(d) => {
                let ok = allowed_after(d.status);
                Act::ALL
                    .into_iter()
                    .filter(|a| ok.contains(&a.kind()))
                    .collect()
            }
            None => Vec::new(),
        }
    }

    /// The warning shown before the chosen action when it makes the dossier late (a
    /// second supplement request, QĐ 766 indicator 2.1).
    pub fn late_warning(&self) -> Option<String> {
        match self.act {
            Some(Act::Supplement) => self
                .dossier()
                .and_then(crate::domain::lifecycle::second_supplement_warning),
            _ => None,
        }
    }

    pub fn late_accepted(&self) -> bool {
        self.accept_late
    }

    /// Whether the documents panel is shown.
    pub fn showing_documents(&self) -> bool {
        self.documents
    }

    pub fn show_documents(&mut self, on: bool) {
        self.documents = on;
    }

    pub fn documents_panel(&self) -> &documents::Docs {
        &self.docs
    }

    /// The message a key means on this screen, if any (before the shortcuts).
    pub fn key(
        &self,
        key: &iced::keyboard::Key,
        modifiers: iced::keyboard::Modifiers,
        free: bool,
    ) -> Option<Message> {
        use iced::keyboard::{Key, key::Named};
        if matches!(key, Key::Named(Named::F10)) && self.code.is_some() {
            return Some(Message::ShowDocuments(!self.documents));
        }
        match (&self.loaded, self.documents) {
            (Some(l), true) => self
                .docs
                .key(key, modifiers, free, &l.state)
                .map(Message::Docs),
            _ => None,
        }
    }

    /// The dossier on screen, once loaded.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// Reloads the open dossier when it changed elsewhere (e.g. its result was
    /// recorded at the centre and arrived with a sync round).
    pub fn refresh(&mut self, changed: &crate::desk::Changed) -> Action<Message> {
        match self.code.clone() {
            Some(code) if changed.touches(&code) => self.load(code),
            _ => Action::None,
        }
    }

    pub fn on_show(&mut self, _session: &Session) -> Action<Message> {
        match self.code.clone() {
            Some(code) => self.load(code),
            None => Action::None,
        }
    }

    /// Shows the dossier `code` (from the list, the return screen or a search).
    pub fn open(&mut self, code: &str, _session: &Session) -> Action<Message> {
        *self = State {
            code: Some(code.to_string()),
            docs: std::mem::take(&mut self.docs).for_next_dossier(),
            ..State::default()
        };
        self.load(code.to_string())
    }

    fn load(&mut self, code: String) -> Action<Message> {
        Action::desk(move |desk| {
            let loaded = desk
                .dossier_and_timeline(&code)
                .map(|(state, events)| Box::new(Loaded { events, state }));
            Message::Loaded(code, loaded.map_err(|e| e.to_string()))
        })
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Loaded(code, result) => {
                if self.code.as_deref() != Some(code.as_str()) {
                    return Action::None;
                }
                match result {
                    Ok(l) => {
                        let more = self.docs.loaded(&l.state).map(Message::Docs);
                        self.loaded = Some(*l);
                        self.problem = None;
                        more
                    }
                    Err(e) => {
                        self.problem = Some(e);
                        Action::None
                    }
                }
            }
            Message::Choose(act) => {
                self.act = Some(act);
                self.first.clear();
                self.second.clear();
                self.refused = None;
                self.done = None;
                self.accept_late = false;
                Action::Focus(FIRST_FIELD)
            }
            Message::Cancel => {
                self.act = None;
                self.refused = None;
                Action::None
            }
            Message::First(v) => {
                self.first = v;
                Action::None
            }
            Message::Second(v) => {
                self.second = v;
                Action::None
            }
            Message::Confirm => self.confirm(session),
            Message::AcceptLate => {
                self.accept_late = true;
                self.refused = None;
                Action::None
            }
            Message::Recorded(result) => {
                self.busy = false;
                match result {
                    Ok((code, printed)) => {
                        self.done = self.act.map(|a| format!("{}: {}", s::RECORDED, a.label()));
                        self.act = None;
                        self.refused = None;
                        self.printed = printed;
                        Action::Many(vec![
                            Action::Up(Up::DossierChanged(code.clone())),
                            self.load(code),
                        ])
                    }
                    Err(e) => {
                        self.refused = Some(e);
                        Action::None
                    }
                }
            }
            Message::Reprint(form) => {
                let Some(code) = self.code.clone() else {
                    return Action::None;
                };
                let request = print_request(session);
                Action::desk(move |desk| {
                    Message::Printed(desk.reprint(&code, form, &request).into())
                })
            }
            Message::Printed(p) => {
                self.printed = Some(p);
                self.renewed = false;
                Action::None
            }
            Message::AskRenew(on) => {
                self.renew_asked = on;
                self.refused = None;
                Action::None
            }
            Message::Renew => self.renew(session),
            Message::Renewed(result) => {
                self.busy = false;
                match result {
                    Ok((code, printed)) => {
                        self.renew_asked = false;
                        self.printed = Some(printed);
                        self.renewed = true;
                        self.refused = None;
                        Action::Many(vec![
                            Action::Up(Up::DossierChanged(code.clone())),
                            self.load(code),
                        ])
                    }
                    Err(e) => {
                        self.refused = Some(e);
                        Action::None
                    }
                }
            }
            Message::ShowDocuments(on) => {
                self.documents = on;
                Action::None
            }
            Message::Docs(m) => {
                let Some(code) = self.code.clone() else {
                    return Action::None;
                };
                let dossier = self.loaded.as_ref().map(|l| &l.state);
                let (action, changed) = self.docs.update(m, &code, dossier, session);
                let action = action.map(Message::Docs);
                if changed {
                    return Action::Many(vec![
                        action,
                        Action::Up(Up::DossierChanged(code.clone())),
                        self.load(code),
                    ]);
                }
                action
            }
        }
    }

    /// Renews the tracking code and prints Mẫu 01 with it (one transaction, then the
    /// printer with the store released).
    fn renew(&mut self, session: &Session) -> Action<Message> {
        let Some(code) = self.code.clone() else {
            return Action::None;
        };
        if self.busy || !self.renew_asked {
            return Action::None;
        }
        self.busy = true;
        let clerk = session.clerk.full_name.clone();
        let print = print_request(session);
        let job = crate::ui::job::Job::new(move |desk: &crate::desk::Desk| {
            let result = desk
                .reprint_with_new_tracking(&code, &clerk, &print)
                .map(|r| (code, Printed::from(r.printed)))
                .map_err(|e| e.to_string());
            Message::Renewed(result)
        })
        .recover(|e| Message::Renewed(Err(e)));
        Action::Run(job)
    }

    fn confirm(&mut self, session: &Session) -> Action<Message> {
        let (Some(act), Some(code)) = (self.act, self.code.clone()) else {
            return Action::None;
        };
        if self.busy {
            return Action::None;
        }
        if self.late_warning().is_some() && !self.accept_late {
            self.refused = Some(s::LATE_NOT_CONFIRMED.to_string());
            return Action::None;
        }
        let request = match act.request(&self.first, &self.second) {
            Ok(r) => r,
            Err(e) => {
                self.refused = Some(e);
                return Action::None;
            }
        };
        self.busy = true;
        let clerk = session.clerk.full_name.clone();
        let print = print_request(session);
        let job = crate::ui::job::Job::new(move |desk: &crate::desk::Desk| {
            let written = match act.form() {
                Some(form) => desk.record_and_print(&code, request, &clerk, form, &print),
                None => desk.record(&code, request, None, &clerk),
            };
            let result = written
                .map_err(|e| e.to_string())
                .map(|r| (code, r.printed.map(Printed::from)));
            Message::Recorded(result)
        })
        .recover(|e| Message::Recorded(Err(e)));
        Action::Run(job)
    }
}

/// The printer and paper the session's settings name.
fn print_request(session: &Session) -> PrintRequest {
    PrintRequest {
        printer: session.settings.printer.clone(),
        paper: session.settings.paper,
    }
}

#[cfg(test)]
mod renew_tests;
#[cfg(test)]
mod tests;
