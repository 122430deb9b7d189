//! The detail screen's layout: the dossier's fields, its timeline, the allowed
//! actions and the reprint buttons.

use iced::widget::{Column, button, column, container, row, scrollable, text};
use iced::{Element, Fill};

use crate::domain::clock::format_vi_short;
use crate::domain::dossier::DossierState;
use crate::domain::event::{Event, EventBody};
use crate::print::job::DossierForm;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme, widgets};

use super::{FIRST_FIELD, Message, Printed, SECOND_FIELD, State};

impl State {
    pub fn view<'a>(&'a self, _session: &'a Session) -> Element<'a, Message> {
        let Some(l) = &self.loaded else {
            let mut col = column![widgets::heading(s::DETAIL_TITLE)].spacing(12);
            col =
                col.push(text(self.problem.as_deref().unwrap_or(s::DETAIL_NONE)).size(theme::BODY));
            return col.into();
        };
        let d = &l.state;
        let tab = |label: String, documents: bool| {
            button(text(label).size(theme::SMALL))
                .style(if documents == self.documents {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::ShowDocuments(documents))
        };
        let tabs = row![
            tab(s::DETAIL_TAB_INFO.to_string(), false),
            tab(s::detail_tab_documents(d.documents.len()), true),
        ]
        .spacing(6);
        let body: Element<'a, Message> = if self.documents {
            self.docs.view(d).map(Message::Docs)
        } else {
            column![
                summary(d),
                widgets::section(s::TIMELINE),
                timeline(&l.events),
            ]
            .spacing(10)
            .into()
        };
        let left = scrollable(column![tabs, body].spacing(10).padding([0, 12]))
            .id(super::LEFT)
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
                if let Some(warning) = self.late_warning() {
                    col = col.push(widgets::banner(
                        text(warning).size(theme::BODY),
                        theme::AMBER,
                    ));
                    let accept: Element<'_, Message> = if self.late_accepted() {
                        text(s::LATE_ACCEPTED)
                            .size(theme::SMALL)
                            .color(theme::AMBER)
                            .into()
                    } else {
                        button(text(s::ACCEPT_LATE).size(theme::BODY))
                            .style(button::danger)
                            .on_press(Message::AcceptLate)
                            .into()
                    };
                    col = col.push(accept);
                }
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
        col = col.push(self.renew_view());
        if let Some(p) = &self.printed {
            col = col.push(printed_view(p));
            if self.renewed {
                col = col.push(
                    text(s::TRACKING_RENEWED)
                        .size(theme::SMALL)
                        .color(theme::GREEN),
                );
            }
        }
        col
    }

    /// "In lại với mã tra cứu mới": asked first, as the citizen's printed code stops
    /// working.
    fn renew_view(&self) -> Element<'_, Message> {
        if !self.renew_asked {
            return button(text(s::REPRINT_NEW_TRACKING).size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::AskRenew(true))
                .into();
        }
        let mut c = column![text(s::REPRINT_NEW_TRACKING_NOTE).size(theme::SMALL)].spacing(6);
        if let Some(why) = &self.refused {
            c = c.push(widgets::banner(
                text(why.as_str()).size(theme::BODY),
                theme::RED,
            ));
        }
        c = c.push(
            row![
                button(text(s::REPRINT_NEW_TRACKING_CONFIRM).size(theme::SMALL))
                    .style(button::danger)
                    .on_press_maybe((!self.busy).then_some(Message::Renew)),
                button(text(s::CANCEL).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::AskRenew(false)),
            ]
            .spacing(8),
        );
        c.into()
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
        line(s::APPLICANT_KIND, a.kind().label_vi().to_string()),
        line(a.kind().id_label_vi(), a.id_text().to_string()),
    ]
    .spacing(4);
    for (label, value) in a.details_vi() {
        col = col.push(line(label, value));
    }
    col = col
        .push(line(s::ADDRESS, a.address.clone()))
        .push(line(s::PHONE, a.phone.clone().unwrap_or_default()))
        .push(line(s::EMAIL, a.email.clone().unwrap_or_default()));
    for note in a.notes_vi() {
        col = col.push(text(note).size(theme::SMALL).color(theme::AMBER));
    }
    if let Some(p) = &c.authorised {
        col = col.push(widgets::section(s::AUTHORISED));
        col = col.push(line(s::AUTH_NAME, p.full_name.clone()));
        col = col.push(line(s::AUTH_ID, p.id_number.as_str().to_string()));
        col = col.push(line(s::AUTH_ADDRESS, p.address.clone()));
        col = col.push(line(s::AUTH_PHONE, p.phone.clone().unwrap_or_default()));
        col = col.push(line(s::EMAIL, p.email.clone().unwrap_or_default()));
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
            EventBody::DocumentAttached { item, file } => join(&[item, &file.name]),
            EventBody::DocumentDetached { item, reason, .. } => join(&[item, reason]),
            // The token is a bearer secret: the timeline says it changed, not what to.
            EventBody::TrackingRenewed { .. } => String::new(),
            EventBody::Rated { rating } => rating.channel.label_vi().to_string(),
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
