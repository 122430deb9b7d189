//! Mẫu 02 (ask for more papers) and Mẫu 03 (refuse) printed from the intake screen,
//! before any dossier code exists: nothing is stored, the citizen takes the notice.

use crate::domain::applicant::ApplicantKind;
use iced::Element;
use iced::widget::{button, column, row, text};

use crate::desk::Desk;
use crate::domain::clock::{now_vn, to_wall};
use crate::print::forms::Party;
use crate::print::forms::notices::{self, RefusalInput, SupplementInput};
use crate::print::forms::receipt::Authorised;
use crate::print::job::Built;
use crate::ui::job::{Action, Job};
use crate::ui::session::Session;
use crate::ui::widgets::{banner, field, panel, section};
use crate::ui::{strings as s, theme};

use super::form::Form;

pub const REASON: &str = "notice-reason";
pub const ITEMS: &str = "notice-items";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Supplement,
    Refusal,
}

#[derive(Debug, Clone)]
pub enum Message {
    Reason(String),
    Items(String),
    NextFromReason,
    Print,
    Cancel,
    Printed(Result<String, String>),
}

#[derive(Debug)]
pub struct State {
    kind: NoticeKind,
    reason: String,
    items: String,
    result: Option<Result<String, String>>,
    busy: bool,
}

impl State {
    pub fn new(kind: NoticeKind) -> State {
        State {
            kind,
            reason: String::new(),
            items: String::new(),
            result: None,
            busy: false,
        }
    }

    /// Returns the action and whether the panel closes.
    pub fn update(
        &mut self,
        message: Message,
        form: &Form,
        session: &Session,
    ) -> (Action<Message>, bool) {
        match message {
            Message::Reason(v) => self.reason = v,
            Message::Items(v) => self.items = v,
            Message::NextFromReason => {
                return match self.kind {
                    NoticeKind::Supplement => (Action::Focus(ITEMS), false),
                    NoticeKind::Refusal => self.update(Message::Print, form, session),
                };
            }
            Message::Cancel => return (Action::None, true),
            Message::Print if !self.busy => {
                if self.reason.trim().is_empty() {
                    self.result = Some(Err("Cần ghi lý do để in trên phiếu".into()));
                    return (Action::Focus(REASON), false);
                }
                self.busy = true;
                let built = self.build(form, session);
                let printer = session.settings.printer.clone();
                return (
                    Action::Run(
                        Job::new(move |desk: &Desk| {
                            let out = built.and_then(|built| {
                                desk.print_built(&built, None, printer.as_deref(), 1)
                                    .map(|o| o.pdf.display().to_string())
                                    .map_err(|e| e.to_string())
                            });
                            Message::Printed(out)
                        })
                        .recover(|e| Message::Printed(Err(e))),
                    ),
                    false,
                );
            }
            Message::Print => {}
            Message::Printed(r) => {
                self.busy = false;
                self.result = Some(r);
            }
        }
        (Action::None, false)
    }

    fn build(&self, form: &Form, session: &Session) -> Result<Built, String> {
        let mut issuer = crate::print::fill::issuer(&session.unit);
        issuer.signer_title = session.settings.signer_title.clone();
        let procedure = form
            .procedure
            .as_deref()
            .and_then(|c| session.procedure(c))
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let applicant = Party {
            kind: form.kind,
            gender: crate::domain::applicant::Gender::parse(&form.gender).ok(),
            name: form.full_name.trim().to_string(),
            signer: match form.kind {
                ApplicantKind::Organisation => form.representative.trim().to_string(),
                _ => form.full_name.trim().to_string(),
            },
            id_number: form.id_number.trim().to_string(),
            address: form.address.trim().to_string(),
            phone: form.phone.trim().to_string(),
            email: form.email.trim().to_string(),
        };
        let date = to_wall(now_vn()).date();
        let stamp = to_wall(now_vn()).format("%Y%m%d-%H%M%S");
        let paper = session.settings.paper;
        let (pages, number) = match self.kind {
            NoticeKind::Supplement => {
                let items: Vec<String> = self
                    .items
                    .split([';', '\n'])
                    .map(|i| i.trim().to_string())
                    .filter(|i| !i.is_empty())
                    .collect();
                let input = SupplementInput {
                    issuer,
                    date,
                    code: None,
                    applicant,
                    procedure,
                    items,
                    reason: self.reason.trim().to_string(),
                    contact: session.clerk.full_name.clone(),
                    contact_phone: session.settings.unit_phone.clone(),
                    clerk: session.clerk.full_name.clone(),
                };
                (notices::supplement(&input, paper), "02")
            }
            NoticeKind::Refusal => {
                let input = RefusalInput {
                    issuer,
                    date,
                    code: None,
                    applicant,
                    procedure,
                    reason: self.reason.trim().to_string(),
                    clerk: session.clerk.full_name.clone(),
                    // The person at the counter, as on Mẫu 01.
                    authorised: form.authorised.then(|| Authorised {
                        name: form.auth_name.trim().to_string(),
                        id_number: form.auth_id.trim().to_string(),
                        address: form.auth_address.trim().to_string(),
                        phone: form.auth_phone.trim().to_string(),
                        email: form.auth_email.trim().to_string(),
                        document: form.auth_document.trim().to_string(),
                    }),
                };
                (notices::refusal(&input, paper), "03")
            }
        };
        Ok(Built {
            pages,
            title: format!("Mẫu {number}"),
            file_name: format!("mau{number}-{stamp}.pdf"),
        })
    }

    pub fn view(&self) -> Element<'_, Message> {
        let title = match self.kind {
            NoticeKind::Supplement => s::ASK_SUPPLEMENT,
            NoticeKind::Refusal => s::REFUSE,
        };
        let mut col = column![
            section(title),
            field(
                s::NOTICE_REASON,
                REASON,
                &self.reason,
                None,
                Message::Reason,
                Message::NextFromReason
            ),
        ]
        .spacing(8);
        if self.kind == NoticeKind::Supplement {
            col = col.push(field(
                "Giấy tờ cần bổ sung (cách nhau bởi dấu ;)",
                ITEMS,
                &self.items,
                None,
                Message::Items,
                Message::Print,
            ));
        }
        col = col.push(
            row![
                button(text(s::PRINT_NOTICE).size(theme::BODY))
                    .on_press_maybe((!self.busy).then_some(Message::Print)),
                button(text(s::CANCEL).size(theme::BODY))
                    .style(button::secondary)
                    .on_press(Message::Cancel),
            ]
            .spacing(8),
        );
        match &self.result {
            Some(Ok(pdf)) => {
                col = col.push(banner(
                    text(s::pdf_saved(pdf)).size(theme::SMALL),
                    theme::GREEN,
                ))
            }
            Some(Err(e)) => col = col.push(banner(text(e.as_str()).size(theme::SMALL), theme::RED)),
            None => {}
        }
        panel(col)
    }
}
