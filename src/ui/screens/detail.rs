//! Chi tiết hồ sơ: every field of the dossier, its timeline (who, when, where), the
//! actions its status allows — each one `Store::record` transaction, refused in place
//! with the domain's Vietnamese reason — and reprinting forms 01–06. An extension
//! prints Mẫu 04, a stop Mẫu 05, a supplement request Mẫu 02.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use iced::widget::{Column, button, column, container, row, scrollable, text};
use iced::{Element, Fill};

use crate::domain::clock::{format_vi_short, from_wall, now_vn};
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody, EventKind};
use crate::domain::lifecycle::allowed_after;
use crate::print::Paper;
use crate::print::job::{self, DossierForm};
use crate::store::Store;
use crate::store::dossiers::ActionRequest;
use crate::ui::job::{Action, Up};
use crate::ui::session::Session;
use crate::ui::{strings as s, theme, widgets};

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

/// Saves `form` of `code` as PDF and sends it to `printer` when one is set.
pub fn print_form(
    store: &Store,
    code: &str,
    form: DossierForm,
    printer: Option<&str>,
    paper: Paper,
) -> Printed {
    let mut out = Printed {
        form: form.number(),
        pdf: None,
        printer: None,
        error: None,
    };
    let built = match job::build(store, code, form, paper) {
        Ok(b) => b,
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    let path = match job::default_path(store, &built.file_name) {
        Ok(p) => p,
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    match job::save_and_print(&built, &path, printer, 1) {
        Ok(o) => {
            out.pdf = Some(o.pdf.display().to_string());
            out.printer = printer.zip(o.job).map(|(p, j)| s::printed_to(p, &j.id));
        }
        Err(e) => {
            // The PDF is written before the printer is asked.
            if path.exists() {
                out.pdf = Some(path.display().to_string());
            }
            out.error = Some(e.to_string());
        }
    }
    out
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
                let printer = session.settings.printer.clone();
                let paper = session.settings.paper;
                Action::run(move |store| {
                    Message::Printed(print_form(store, &code, form, printer.as_deref(), paper))
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
        let printer = session.settings.printer.clone();
        let paper = session.settings.paper;
        Action::run(move |store| {
            let result = store
                .record(&code, request, None, &clerk, now_vn())
                .map_err(|e| e.to_string())
                .map(|_| {
                    let printed = act
                        .form()
                        .map(|f| print_form(store, &code, f, printer.as_deref(), paper));
                    (code, printed)
                });
            Message::Recorded(result)
        })
    }

    pub fn view<'a>(&'a self, _session: &'a Session) -> Element<'a, Message> {
        let Some(l) = &self.loaded else {
            let mut col = column![widgets::heading(s::DETAIL_TITLE)].spacing(12);
            col =
                col.push(text(self.problem.as_deref().unwrap_or(s::DETAIL_NONE)).size(theme::BODY));
            return col.into();
        };
        let d = &l.state;
        let left = scrollable(
            column![
                summary(d),
                widgets::section(s::TIMELINE),
                timeline(&l.events),
            ]
            .spacing(10)
            .padding([0, 12]),
        )
        .height(Fill);
        let right = scrollable(self.actions_panel().padding([0, 12])).height(Fill);
        row![
            container(left).width(iced::FillPortion(3)),
            container(right).width(iced::FillPortion(2)),
        ]
        .spacing(12)
        .into()
    }

    fn actions_panel(&self) -> Column<'_, Message> {
        let mut col = column![widgets::section(s::ACTIONS)].spacing(8);
        if let Some(done) = &self.done {
            col = col.push(widgets::banner(
                text(done.as_str()).size(theme::BODY),
                theme::GREEN,
            ));
        }
        match self.act {
            None => {
                let mut buttons = Column::new().spacing(6);
                for act in self.allowed() {
                    buttons = buttons.push(
                        button(text(act.label()).size(theme::BODY))
                            .width(Fill)
                            .style(button::secondary)
                            .on_press(Message::Choose(act)),
                    );
                }
                col = col.push(buttons);
            }
            Some(act) => {
                let (first, second) = act.inputs();
                col = col.push(text(act.label()).size(theme::BODY).font(theme::BOLD));
                col = col.push(widgets::field(
                    first,
                    FIRST_FIELD,
                    &self.first,
                    None,
                    Message::First,
                    Message::Confirm,
                ));
                if let Some(second) = second {
                    col = col.push(widgets::field(
                        second,
                        SECOND_FIELD,
                        &self.second,
                        None,
                        Message::Second,
                        Message::Confirm,
                    ));
                }
                if let Some(why) = &self.refused {
                    col = col.push(widgets::banner(
                        text(why.as_str()).size(theme::BODY),
                        theme::RED,
                    ));
                }
                col = col.push(
                    row![
                        button(text(s::CONFIRM).size(theme::BODY))
                            .on_press_maybe((!self.busy).then_some(Message::Confirm)),
                        button(text(s::CANCEL).size(theme::BODY))
                            .style(button::secondary)
                            .on_press(Message::Cancel),
                    ]
                    .spacing(8),
                );
            }
        }
        col = col.push(widgets::section(s::REPRINT));
        let mut forms = row![].spacing(4);
        for form in DossierForm::ALL {
            forms = forms.push(
                button(text(s::form_button(form.number())).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::Reprint(form)),
            );
        }
        col = col.push(forms);
        if let Some(p) = &self.printed {
            col = col.push(printed_view(p));
        }
        col
    }
}

fn printed_view(p: &Printed) -> Element<'_, Message> {
    let mut c = column![text(s::printed_form(p.form)).size(theme::BODY)].spacing(4);
    if let Some(pdf) = &p.pdf {
        c = c.push(text(s::pdf_saved(pdf)).size(theme::SMALL));
    }
    if let Some(printer) = &p.printer {
        c = c.push(text(printer.as_str()).size(theme::SMALL));
    }
    let tone = match &p.error {
        Some(e) => {
            c = c.push(
                text(format!("{}: {e}", s::NOT_PRINTED))
                    .size(theme::SMALL)
                    .color(theme::RED),
            );
            theme::RED
        }
        None if p.pdf.is_some() && p.printer.is_none() => {
            c = c.push(text(s::NO_PRINTER).size(theme::SMALL));
            theme::AMBER
        }
        None => theme::GREEN,
    };
    widgets::banner(c, tone)
}

fn line<'a, M: 'a>(label: &'a str, value: String) -> Element<'a, M> {
    row![
        container(text(label).size(theme::SMALL).color(theme::MUTED)).width(200),
        text(value).size(theme::BODY),
    ]
    .spacing(8)
    .into()
}

/// Every field of the dossier, as the receipt states it, with its current status.
pub fn summary<'a, M: 'a>(d: &'a DossierState) -> Element<'a, M> {
    let c = &d.content;
    let a = &c.applicant;
    let due = if d.extended {
        format!("{} {}", format_vi_short(d.due_at), s::EXTENDED_ONCE)
    } else {
        format_vi_short(d.due_at)
    };
    let mut col: Column<'a, M> = column![
        text(d.code.to_string())
            .size(theme::TITLE)
            .font(theme::BOLD),
        line(s::STATUS, d.status.label_vi().to_string()),
        line(
            s::PROCEDURE,
            format!("{} — {}", c.procedure.code.as_str(), c.procedure.name)
        ),
        line(s::RECEIVED_AT, format_vi_short(c.received_at)),
        line(s::RECEIVED_BY, c.received_by.clone()),
        line(s::DUE, due),
        line(s::CHANNEL, c.channel.label_vi().to_string()),
        line(s::RESULT_AT, c.result_at.clone()),
        widgets::section(s::APPLICANT),
        line(s::NAME, a.full_name.clone()),
        line(s::ID_NUMBER, a.id_number.as_str().to_string()),
        line(s::DOB, a.date_of_birth.format("%d/%m/%Y").to_string()),
        line(s::GENDER, a.gender.label_vi().to_string()),
        line(s::ADDRESS, a.address.clone()),
        line(s::PHONE, a.phone.clone().unwrap_or_default()),
        line(s::EMAIL, a.email.clone().unwrap_or_default()),
    ]
    .spacing(4);
    if let Some(p) = &c.authorised {
        col = col.push(widgets::section(s::AUTHORISED));
        col = col.push(line(s::AUTH_NAME, p.full_name.clone()));
        col = col.push(line(s::AUTH_ID, p.id_number.as_str().to_string()));
        col = col.push(line(s::AUTH_ADDRESS, p.address.clone()));
        col = col.push(line(s::AUTH_PHONE, p.phone.clone().unwrap_or_default()));
        col = col.push(line(s::AUTH_DOCUMENT, p.authorisation_document.clone()));
    }
    col = col.push(widgets::section(s::DOCUMENTS));
    for doc in &c.documents {
        col = col.push(text(format!("• {} ({})", doc.name, doc.count)).size(theme::SMALL));
    }
    col = col.push(line(s::SETS, c.sets.to_string()));
    if let Some(who) = &d.returned_to {
        col = col.push(line(s::RETURNED_TO, who.clone()));
    }
    col.into()
}

fn timeline(events: &[Event]) -> Element<'_, Message> {
    let mut col = Column::new().spacing(6);
    for e in events {
        let place = if e.origin == "centre" {
            s::ORIGIN_CENTRE.to_string()
        } else {
            s::origin_desk(&e.origin)
        };
        let detail = match &e.body {
            EventBody::Transferred { to, note } => join(&[to, note]),
            EventBody::SupplementRequested { items, reason } => {
                format!("{reason}: {}", items.join("; "))
            }
            EventBody::SupplementReceived { due_at, note } => {
                join(&[&format!("{} {}", s::DUE, format_vi_short(*due_at)), note])
            }
            EventBody::Extended { due_at, reason } => {
                join(&[&format!("{} {}", s::DUE, format_vi_short(*due_at)), reason])
            }
            EventBody::Refused { reason } | EventBody::Stopped { reason } => reason.clone(),
            EventBody::Withdrawn { note }
            | EventBody::ResultReady { note }
            | EventBody::Corrected { note, .. } => note.clone(),
            EventBody::Returned { collected_by, note } => join(&[collected_by, note]),
            EventBody::Received { .. } => String::new(),
        };
        let mut c = column![
            row![
                text(format_vi_short(e.at))
                    .size(theme::SMALL)
                    .color(theme::MUTED),
                text(e.body.kind().label_vi())
                    .size(theme::BODY)
                    .font(theme::BOLD),
            ]
            .spacing(10),
            text(format!("{} — {place}", e.actor.name))
                .size(theme::SMALL)
                .color(theme::MUTED),
        ]
        .spacing(2);
        if !detail.is_empty() {
            c = c.push(text(detail).size(theme::SMALL));
        }
        col = col.push(widgets::panel(c));
    }
    col.into()
}

fn join(parts: &[&String]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" — ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::to_wall;
    use crate::domain::status::Status;
    use crate::ui::screens::testkit::{Kit, Settled, intake, kit, outbox_len, settle};
    use iced_test::{selector, simulator};

    fn apply(state: &mut State, kit: &mut Kit, m: Message) -> Settled {
        let session = kit.session.clone();
        let action = state.update(m, &session);
        settle(&mut kit.store, action, |m| state.update(m, &session))
    }

    fn opened(kit: &mut Kit, code: &str) -> State {
        let mut state = State::default();
        let session = kit.session.clone();
        let action = state.open(code, &session);
        settle(&mut kit.store, action, |m| state.update(m, &session));
        state
    }

    /// Clicks, types and clicks on the real view, feeding every message to `update`.
    fn click_type(
        state: &mut State,
        kit: &mut Kit,
        steps: &[(&'static str, Option<&str>)],
    ) -> Settled {
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
        let code = intake(&mut kit.store, "Nguyễn Thị Hải", "022190001234", None);
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
        let code = intake(&mut kit.store, "Nguyễn Thị Hải", "022190001234", None);
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
        let before = outbox_len(&kit.store);
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
        assert_eq!(outbox_len(&kit.store), before);
        let session = kit.session.clone();
        let mut ui = simulator(state.view(&session));
        assert!(ui.find(why.as_str()).is_ok());
    }

    #[test]
    fn a_bad_new_due_date_is_refused_before_the_store() {
        let mut kit = kit();
        let code = intake(&mut kit.store, "Nguyễn Thị Hải", "022190001234", None);
        let mut state = opened(&mut kit, &code);
        let before = outbox_len(&kit.store);
        apply(&mut state, &mut kit, Message::Choose(Act::Extend));
        apply(&mut state, &mut kit, Message::First("30/02/2026".into()));
        let out = apply(&mut state, &mut kit, Message::Confirm);
        assert!(out.ups.is_empty());
        assert_eq!(state.refused(), Some(s::BAD_NEW_DUE));
        assert_eq!(outbox_len(&kit.store), before);
    }

    #[test]
    fn reprinting_saves_the_pdf_and_says_where() {
        let mut kit = kit();
        let code = intake(&mut kit.store, "Nguyễn Thị Hải", "022190001234", None);
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
}
