//! Chi tiết hồ sơ: every field of the dossier, its timeline (who, when, where), the
//! actions its status allows — each one `Store::record` transaction, refused in place
//! with the domain's Vietnamese reason — and reprinting forms 01–06. An extension
//! prints Mẫu 04, a stop Mẫu 05, a supplement request Mẫu 02.

use crate::desk::forms::PrintRequest;
use crate::domain::clock::from_wall;
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventKind};
use crate::domain::lifecycle::allowed_after;
use crate::print::job::DossierForm;
use crate::store::dossiers::ActionRequest;
use crate::ui::job::{Action, Up};
use crate::ui::session::Session;
use crate::ui::strings as s;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

mod view;
pub use view::summary;

pub const FIRST_FIELD: &str = "detail-first";
pub const SECOND_FIELD: &str = "detail-second";

/// The actions a clerk records from this screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Transfer,
    Supplement,
    SupplementReceived,
    Extend,
    Stop,
    Withdraw,
    ResultReady,
    Return,
}

impl Act {
    pub const ALL: [Act; 8] = [
        Act::Transfer,
        Act::Supplement,
        Act::SupplementReceived,
        Act::Extend,
        Act::Stop,
        Act::Withdraw,
        Act::ResultReady,
        Act::Return,
    ];

    fn kind(self) -> EventKind {
        match self {
            Act::Transfer => EventKind::Transferred,
            Act::Supplement => EventKind::SupplementRequested,
            Act::SupplementReceived => EventKind::SupplementReceived,
            Act::Extend => EventKind::Extended,
            Act::Stop => EventKind::Stopped,
            Act::Withdraw => EventKind::Withdrawn,
            Act::ResultReady => EventKind::ResultReady,
            Act::Return => EventKind::Returned,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Act::Transfer => s::ACT_TRANSFER,
            Act::Supplement => s::ACT_SUPPLEMENT,
            Act::SupplementReceived => s::ACT_SUPPLEMENT_RECEIVED,
            Act::Extend => s::ACT_EXTEND,
            Act::Stop => s::ACT_STOP,
            Act::Withdraw => s::ACT_WITHDRAW,
            Act::ResultReady => s::ACT_RESULT_READY,
            Act::Return => s::ACT_RETURN,
        }
    }

    /// The labels of the two inputs the action asks for (second may be absent).
    fn inputs(self) -> (&'static str, Option<&'static str>) {
        match self {
            Act::Transfer => (s::TRANSFER_TO, Some(s::NOTE)),
            Act::Supplement => (s::REASON, Some(s::SUPPLEMENT_ITEMS)),
            Act::Extend => (s::NEW_DUE, Some(s::REASON)),
            Act::Stop => (s::REASON, None),
            Act::Return => (s::RETURNED_TO, Some(s::NOTE)),
            Act::SupplementReceived | Act::Withdraw | Act::ResultReady => (s::NOTE, None),
        }
    }

    /// The notice printed once the action is recorded.
    fn form(self) -> Option<DossierForm> {
        match self {
            Act::Supplement => Some(DossierForm::M02),
            Act::Extend => Some(DossierForm::M04),
            Act::Stop => Some(DossierForm::M05),
            _ => None,
        }
    }

    /// The store request for what was typed, or the Vietnamese reason it is not one.
    pub fn request(self, first: &str, second: &str) -> Result<ActionRequest, String> {
        let first = first.trim().to_string();
        let second = second.trim().to_string();
        Ok(match self {
            Act::Transfer => ActionRequest::Transfer {
                to: first,
                note: second,
            },
            Act::Supplement => ActionRequest::RequestSupplement {
                items: second
                    .split([';', '\n'])
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .map(str::to_string)
                    .collect(),
                reason: first,
            },
            Act::SupplementReceived => ActionRequest::ReceiveSupplement { note: first },
            Act::Extend => ActionRequest::Extend {
                until: from_wall(parse_due(&first).ok_or(s::BAD_NEW_DUE)?),
                reason: second,
            },
            Act::Stop => ActionRequest::Stop { reason: first },
            Act::Withdraw => ActionRequest::Withdraw { note: first },
            Act::ResultReady => ActionRequest::ResultReady { note: first },
            Act::Return => ActionRequest::Return {
                collected_by: (!first.is_empty()).then_some(first),
                note: second,
            },
        })
    }
}

/// `dd/mm/yyyy hh:mm`, or `dd/mm/yyyy` meaning the end of office hours (17:00).
pub fn parse_due(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%d/%m/%Y %H:%M")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%d/%m/%Y")
                .ok()
                .and_then(|d| NaiveTime::from_hms_opt(17, 0, 0).map(|t| d.and_time(t)))
        })
}

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
    Recorded(Result<(String, Option<Printed>), String>),
    Reprint(DossierForm),
    Printed(Printed),
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
    busy: bool,
    done: Option<String>,
    printed: Option<Printed>,
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
            ..State::default()
        };
        self.load(code.to_string())
    }

    fn load(&mut self, code: String) -> Action<Message> {
        Action::run(move |store| {
            let loaded = store.dossier(&code).and_then(|state| {
                Ok(Box::new(Loaded {
                    events: store.timeline(&code)?,
                    state,
                }))
            });
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
                        self.loaded = Some(*l);
                        self.problem = None;
                    }
                    Err(e) => self.problem = Some(e),
                }
                Action::None
            }
            Message::Choose(act) => {
                self.act = Some(act);
                self.first.clear();
                self.second.clear();
                self.refused = None;
                self.done = None;
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
                Action::None
            }
        }
    }

    fn confirm(&mut self, session: &Session) -> Action<Message> {
        let (Some(act), Some(code)) = (self.act, self.code.clone()) else {
            return Action::None;
        };
        if self.busy {
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
mod tests;
