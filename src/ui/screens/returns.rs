//! Trả kết quả (F4): one input, focused, that takes what the scanner types from the
//! citizen's receipt — the QR (the code, or `{tracking_url}?ma={code}`) or the
//! Code128 (the code) — or the code typed by hand. It shows the dossier, asks who
//! collects the result (the applicant, or someone else with name and ID number),
//! records the return, and is ready for the next citizen.

use iced::widget::{button, column, radio, row, scrollable, text, text_input};
use iced::{Element, Fill};

use crate::desk::Desk;
use crate::domain::action::ActionRequest;
use crate::domain::applicant::PersonalId;
use crate::domain::dossier::DossierState;
use crate::domain::status::Status;
use crate::ui::job::{Action, Job, Up};
use crate::ui::screens::detail;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme, widgets};

pub const SCAN: &str = "returns-scan";
pub const NAME: &str = "returns-name";
pub const ID_NUMBER: &str = "returns-id";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collector {
    Applicant,
    Other,
}

#[derive(Debug, Clone)]
pub enum Message {
    Scan(String),
    Submit,
    Loaded(u64, Result<Box<DossierState>, String>),
    Collector(Collector),
    Name(String),
    IdNumber(String),
    Record,
    Recorded(Result<(String, String), String>),
    OpenDetail,
}

#[derive(Debug)]
pub struct State {
    scan: String,
    seq: u64,
    dossier: Option<DossierState>,
    collector: Collector,
    name: String,
    id_number: String,
    busy: bool,
    problem: Option<String>,
    done: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            scan: String::new(),
            seq: 0,
            dossier: None,
            collector: Collector::Applicant,
            name: String::new(),
            id_number: String::new(),
            busy: false,
            problem: None,
            done: None,
        }
    }
}

/// The dossier code in what a scanner or the clerk typed: a bare code, or a tracking
/// URL carrying it as `ma=` (percent-encoding of the few code characters undone).
pub fn code_from_scan(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let code = match raw.split_once("ma=") {
        Some((_, rest)) => rest.split(['&', '#']).next().unwrap_or(""),
        None => raw,
    };
    let code = code
        .replace("%2D", "-")
        .replace("%2d", "-")
        .replace("%2E", ".")
        .replace("%2e", ".")
        .trim()
        .to_uppercase();
    let ok = !code.is_empty()
        && code.contains('-')
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    ok.then_some(code)
}

impl State {
    pub fn dossier(&self) -> Option<&DossierState> {
        self.dossier.as_ref()
    }

    pub fn done(&self) -> Option<&str> {
        self.done.as_deref()
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    pub fn on_show(&mut self, _session: &Session) -> Action<Message> {
        Action::Focus(SCAN)
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Scan(v) => {
                self.scan = v;
                Action::None
            }
            // Enter again on an empty box with a ready dossier shown: the applicant
            // collects it (scan, Enter, Enter).
            Message::Submit if self.scan.trim().is_empty() && self.dossier.is_some() => {
                self.record(session)
            }
            Message::Submit => {
                self.done = None;
                self.dossier = None;
                self.collector = Collector::Applicant;
                self.name.clear();
                self.id_number.clear();
                let Some(code) = code_from_scan(&self.scan) else {
                    self.problem =
                        (!self.scan.trim().is_empty()).then(|| s::not_a_code(&self.scan));
                    return Action::None;
                };
                self.problem = None;
                self.seq += 1;
                let seq = self.seq;
                Action::desk(move |desk| {
                    Message::Loaded(
                        seq,
                        desk.dossier(&code).map(Box::new).map_err(|e| e.to_string()),
                    )
                })
            }
            Message::Loaded(seq, result) => {
                if seq != self.seq {
                    return Action::None;
                }
                match result {
                    Ok(d) => {
                        self.scan.clear();
                        self.dossier = Some(*d);
                        Action::Focus(SCAN)
                    }
                    Err(e) => {
                        self.problem = Some(e);
                        Action::Focus(SCAN)
                    }
                }
            }
            Message::Collector(c) => {
                self.collector = c;
                match c {
                    Collector::Other => Action::Focus(NAME),
                    Collector::Applicant => Action::None,
                }
            }
            Message::Name(v) => {
                self.name = v;
                Action::None
            }
            Message::IdNumber(v) => {
                self.id_number = v;
                Action::None
            }
            Message::Record => self.record(session),
            Message::Recorded(result) => {
                self.busy = false;
                match result {
                    Ok((code, who)) => {
                        self.done = Some(s::returned_to(&code, &who));
                        self.problem = None;
                        self.dossier = None;
                        self.scan.clear();
                        self.name.clear();
                        self.id_number.clear();
                        self.collector = Collector::Applicant;
                        Action::Many(vec![Action::Up(Up::Returned(code)), Action::Focus(SCAN)])
                    }
                    Err(e) => {
                        self.problem = Some(e);
                        Action::None
                    }
                }
            }
            Message::OpenDetail => match &self.dossier {
                Some(d) => Action::Up(Up::OpenDossier(d.code.to_string())),
                None => Action::None,
            },
        }
    }

    fn record(&mut self, session: &Session) -> Action<Message> {
        let Some(d) = &self.dossier else {
            return Action::None;
        };
        if self.busy || d.status != Status::ResultReady {
            return Action::None;
        }
        let (collected_by, who) = match self.collector {
            Collector::Applicant => (None, d.content.applicant.full_name.clone()),
            Collector::Other => {
                let name = self.name.trim();
                if name.is_empty() || self.id_number.trim().is_empty() {
                    self.problem = Some(s::COLLECTOR_MISSING.to_string());
                    return Action::None;
                }
                let id = match PersonalId::parse(&self.id_number) {
                    Ok(id) => id,
                    Err(e) => {
                        self.problem = Some(e.to_string());
                        return Action::None;
                    }
                };
                let who = format!("{name} ({} {})", s::ID_NUMBER_SHORT, id.as_str());
                (Some(who.clone()), who)
            }
        };
        self.busy = true;
        self.problem = None;
        let code = d.code.to_string();
        let clerk = session.clerk.full_name.clone();
        let job = Job::new(move |desk: &Desk| {
            let request = ActionRequest::Return {
                collected_by,
                note: String::new(),
            };
            Message::Recorded(
                desk.record(&code, request, None, &clerk)
                    .map(|_| (code, who))
                    .map_err(|e| e.to_string()),
            )
        })
        .recover(|e| Message::Recorded(Err(e)));
        Action::Run(job)
    }

    pub fn view<'a>(&'a self, _session: &'a Session) -> Element<'a, Message> {
        let scan = column![
            text(s::RETURNS_SCAN).size(theme::BODY).color(theme::MUTED),
            text_input("", &self.scan)
                .id(SCAN)
                .on_input(Message::Scan)
                .on_submit(Message::Submit)
                .padding(10)
                .size(theme::TITLE)
                .style(theme::input(
                    self.problem.is_some() && self.dossier.is_none()
                )),
        ]
        .spacing(4);
        let mut col = column![widgets::heading(s::RETURNS_TITLE), scan].spacing(12);
        if let Some(done) = &self.done {
            col = col.push(widgets::banner(
                text(done.as_str()).size(theme::TITLE),
                theme::GREEN,
            ));
        }
        if let Some(p) = &self.problem {
            col = col.push(widgets::banner(
                text(p.as_str()).size(theme::BODY),
                theme::RED,
            ));
        }
        if let Some(d) = &self.dossier {
            col = col.push(self.collect(d));
            col = col.push(widgets::panel(detail::summary(d)));
        }
        scrollable(col).height(Fill).into()
    }

    fn collect<'a>(&'a self, d: &'a DossierState) -> Element<'a, Message> {
        if d.status != Status::ResultReady {
            return widgets::banner(
                column![
                    text(s::RETURNS_NOT_READY).size(theme::BODY),
                    text(d.status.label_vi())
                        .size(theme::BODY)
                        .font(theme::BOLD),
                    button(text(s::OPEN_DETAIL).size(theme::SMALL))
                        .style(button::secondary)
                        .on_press(Message::OpenDetail),
                ]
                .spacing(6),
                theme::AMBER,
            );
        }
        let mut c = column![
            widgets::section(s::COLLECTOR),
            row![
                radio(
                    s::COLLECTOR_APPLICANT,
                    Collector::Applicant,
                    Some(self.collector),
                    Message::Collector
                )
                .text_size(theme::BODY),
                radio(
                    s::COLLECTOR_OTHER,
                    Collector::Other,
                    Some(self.collector),
                    Message::Collector
                )
                .text_size(theme::BODY),
            ]
            .spacing(24),
        ]
        .spacing(8);
        if self.collector == Collector::Other {
            c = c.push(
                row![
                    widgets::field(
                        s::COLLECTOR_NAME,
                        NAME,
                        &self.name,
                        None,
                        Message::Name,
                        Message::Record
                    ),
                    widgets::field(
                        s::COLLECTOR_ID,
                        ID_NUMBER,
                        &self.id_number,
                        None,
                        Message::IdNumber,
                        Message::Record
                    ),
                ]
                .spacing(12),
            );
        }
        c = c.push(
            row![
                button(text(s::RECORD_RETURN).size(theme::BODY))
                    .padding([8, 16])
                    .on_press_maybe((!self.busy).then_some(Message::Record)),
                button(text(s::OPEN_DETAIL).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::OpenDetail),
            ]
            .spacing(12),
        );
        widgets::panel(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::now_vn;
    use crate::ui::screens::testkit::{Kit, Settled, intake, kit, outbox_len, settle};
    use iced::keyboard::{Key, key::Named};
    use iced_test::{selector, simulator};

    fn apply(state: &mut State, kit: &mut Kit, m: Message) -> Settled {
        let session = kit.session.clone();
        let action = state.update(m, &session);
        settle(&kit.desk, action, |m| state.update(m, &session))
    }

    fn feed(state: &mut State, kit: &mut Kit, msgs: Vec<Message>) -> Settled {
        let mut all = Settled::default();
        for m in msgs {
            let out = apply(state, kit, m);
            all.ups.extend(out.ups);
            all.focus.extend(out.focus);
        }
        all
    }

    fn ready(kit: &mut Kit, name: &str, id: &str) -> String {
        let code = intake(&mut kit.store(), name, id, None);
        kit.store()
            .record(
                &code,
                ActionRequest::ResultReady {
                    note: String::new(),
                },
                None,
                "Trần Thị Mai",
                now_vn(),
            )
            .expect("ready");
        code
    }

    #[test]
    fn scans_are_read_as_codes() {
        let code = "H22.39.15-261127-0001";
        assert_eq!(code_from_scan(code).as_deref(), Some(code));
        assert_eq!(
            code_from_scan(&format!(
                "https://dichvucong.hongai.vn/tra-cuu?ma={code}&x=1"
            ))
            .as_deref(),
            Some(code)
        );
        assert_eq!(
            code_from_scan(" h22.39.15-261127-0001\n").as_deref(),
            Some(code)
        );
        assert_eq!(code_from_scan("xin chào"), None);
        assert_eq!(code_from_scan(""), None);
    }

    #[test]
    fn scanning_a_receipt_qr_url_and_returning_to_the_applicant() {
        let mut kit = kit();
        let code = ready(&mut kit, "Nguyễn Thị Hải", "022190001234");
        let mut state = State::default();
        let session = kit.session.clone();
        assert!(matches!(state.on_show(&session), Action::Focus(SCAN)));

        // The scanner types the QR's URL and Enter into the focused box.
        let mut ui = simulator(state.view(&session));
        ui.click(selector::id(SCAN)).expect("scan box");
        let _ = ui.typewrite(&format!("https://dvc.hongai.gov.vn/tra-cuu?ma={code}"));
        let _ = ui.tap_key(Key::Named(Named::Enter));
        let msgs: Vec<Message> = ui.into_messages().collect();
        feed(&mut state, &mut kit, msgs);
        assert_eq!(
            state.dossier().map(|d| d.code.to_string()),
            Some(code.clone())
        );

        let session = kit.session.clone();
        let mut ui = simulator(state.view(&session));
        ui.click(s::RECORD_RETURN).expect("record button");
        let msgs: Vec<Message> = ui.into_messages().collect();
        let out = feed(&mut state, &mut kit, msgs);
        assert_eq!(out.ups, vec![Up::Returned(code.clone())]);
        assert!(out.focus.contains(&SCAN), "ready for the next citizen");
        let d = kit.store().dossier(&code).expect("dossier");
        assert_eq!(d.status, Status::Returned);
        assert_eq!(d.returned_to.as_deref(), Some("Nguyễn Thị Hải"));
        assert!(state.dossier().is_none());
        assert!(state.done().is_some_and(|m| m.contains(&code)));
        let session = kit.session.clone();
        let mut ui = simulator(state.view(&session));
        assert!(
            ui.find(s::returned_to(&code, "Nguyễn Thị Hải").as_str())
                .is_ok()
        );
    }

    #[test]
    fn another_person_must_give_name_and_id_number() {
        let mut kit = kit();
        let code = ready(&mut kit, "Nguyễn Thị Hải", "022190001234");
        let mut state = State::default();
        apply(&mut state, &mut kit, Message::Scan(code.clone()));
        apply(&mut state, &mut kit, Message::Submit);
        apply(&mut state, &mut kit, Message::Collector(Collector::Other));
        let before = outbox_len(&kit.store());
        let out = apply(&mut state, &mut kit, Message::Record);
        assert!(out.ups.is_empty());
        assert_eq!(state.problem(), Some(s::COLLECTOR_MISSING));
        assert_eq!(outbox_len(&kit.store()), before);

        apply(&mut state, &mut kit, Message::Name("Lê Văn Nam".into()));
        apply(
            &mut state,
            &mut kit,
            Message::IdNumber("022085009876".into()),
        );
        let out = apply(&mut state, &mut kit, Message::Record);
        assert_eq!(out.ups, vec![Up::Returned(code.clone())]);
        let d = kit.store().dossier(&code).expect("dossier");
        assert_eq!(
            d.returned_to.as_deref(),
            Some("Lê Văn Nam (CCCD 022085009876)")
        );
    }

    #[test]
    fn a_dossier_without_result_cannot_be_returned() {
        let mut kit = kit();
        let code = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
        let mut state = State::default();
        apply(&mut state, &mut kit, Message::Scan(code.clone()));
        apply(&mut state, &mut kit, Message::Submit);
        let before = outbox_len(&kit.store());
        let out = apply(&mut state, &mut kit, Message::Submit);
        assert!(out.ups.is_empty());
        assert_eq!(outbox_len(&kit.store()), before);
        let session = kit.session.clone();
        let mut ui = simulator(state.view(&session));
        assert!(ui.find(s::RETURNS_NOT_READY).is_ok());
        assert!(ui.find(s::RECORD_RETURN).is_err());
    }
}
