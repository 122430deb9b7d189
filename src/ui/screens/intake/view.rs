//! The intake screen's layout: the form on the left in paper order, the procedure,
//! the live due time and the actions on the right.

use iced::widget::{button, checkbox, column, container, radio, row, scrollable, text, text_input};
use iced::{Element, Fill, FillPortion};

use crate::domain::applicant::ApplicantKind;
use crate::domain::clock::now_vn;
use crate::domain::procedure::TimeLimitCase;
use crate::ui::session::Session;
use crate::ui::widgets::{banner, field, heading, panel, section};
use crate::ui::{strings as s, theme};

use super::form::{ChannelChoice, Field};
use super::{Message, NoticeKind, State, deciding};

impl State {
    fn input<'a>(&'a self, label: &'a str, f: Field) -> Element<'a, Message> {
        field(
            label,
            f.id(),
            self.form.get(f),
            self.errors.get(f),
            move |v| Message::Edit(f, v),
            Message::Submit(f),
        )
    }

    pub fn view<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let left = scrollable(
            column![
                self.top_banner(),
                heading(s::INTAKE_TITLE),
                self.picker(session),
                self.applicant(),
                self.documents(session),
                self.rest(),
            ]
            .spacing(12)
            .padding([0, 12]),
        )
        .height(Fill);
        row![
            container(left).width(FillPortion(3)),
            container(self.side(session)).width(FillPortion(2)),
        ]
        .spacing(16)
        .into()
    }

    fn top_banner(&self) -> Element<'_, Message> {
        if let Some(saved) = &self.saved {
            let printed: Element<'_, Message> = match &saved.printed {
                Ok(r) => {
                    let line = match &r.job {
                        Some((printer, job)) => s::printed_to(printer, job),
                        None => s::NO_PRINTER.to_string(),
                    };
                    column![
                        text(line).size(theme::SMALL),
                        text(s::pdf_saved(&r.pdf))
                            .size(theme::SMALL)
                            .color(theme::MUTED),
                    ]
                    .into()
                }
                Err(e) => text(s::saved_but_not_printed(e))
                    .size(theme::SMALL)
                    .color(theme::RED)
                    .into(),
            };
            let mut col = column![
                text(s::SAVED_TITLE).size(theme::BODY),
                row![
                    text(saved.code.as_str())
                        .size(theme::HUGE)
                        .font(theme::BOLD),
                    iced::widget::space::horizontal(),
                    button(text(s::INTAKE_DIGITISE).size(theme::BODY)).on_press(Message::Digitise),
                ]
                .align_y(iced::Center),
                text(format!("{}: {}", s::DUE, saved.due)).size(theme::TITLE),
                printed,
            ]
            .spacing(4);
            if let Some(w) = &saved.backup_warning {
                col = col.push(text(w.as_str()).size(theme::SMALL).color(theme::RED));
            }
            return banner(col, theme::GREEN);
        }
        if let Some(p) = &self.problem {
            let mut col = column![text(p.as_str()).size(theme::BODY)].spacing(4);
            for (f, e) in &self.errors.fields {
                col = col.push(text(format!("• {}: {e}", self.form.label(*f))).size(theme::SMALL));
            }
            for g in &self.errors.general {
                col = col.push(text(format!("• {g}")).size(theme::SMALL));
            }
            return banner(col, theme::RED);
        }
        if self.offered.is_some() {
            return banner(
                row![
                    text(s::DRAFT_OFFERED).size(theme::BODY),
                    button(text(s::DRAFT_RESTORE).size(theme::BODY))
                        .on_press(Message::RestoreDraft),
                    button(text(s::DRAFT_DISCARD).size(theme::BODY))
                        .style(button::secondary)
                        .on_press(Message::DiscardDraft),
                ]
                .spacing(12)
                .align_y(iced::Center),
                theme::AMBER,
            );
        }
        column![].into()
    }

    fn picker<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        if let Some(p) = self.procedure(session) {
            let chosen = row![
                column![
                    text(s::PROCEDURE).size(theme::SMALL).color(theme::MUTED),
                    text(format!("{} — {}", p.code.as_str(), p.name))
                        .size(theme::BODY)
                        .font(theme::BOLD),
                ]
                .width(Fill),
                button(text(s::PROCEDURE_CHANGE).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::ChangeProcedure),
            ]
            .spacing(8)
            .align_y(iced::Center);
            let unit = deciding::view(
                self.deciding_choices(session),
                self.form.deciding_unit.as_deref(),
            );
            return panel(column![chosen, unit].spacing(8));
        }
        let mut col = column![self.input(s::PROCEDURE_HINT, Field::Procedure)].spacing(4);
        let matches = self.matches(session);
        if matches.is_empty() && !self.form.procedure_query.trim().is_empty() {
            col = col.push(
                text(s::PROCEDURE_NONE)
                    .size(theme::SMALL)
                    .color(theme::AMBER),
            );
        }
        for (i, p) in matches.into_iter().enumerate() {
            let label = format!(
                "{}  {} — {}",
                if i == 0 { "↵" } else { " " },
                p.code.as_str(),
                p.name
            );
            col = col.push(
                button(text(label).size(theme::SMALL))
                    .width(Fill)
                    .style(if i == 0 {
                        button::secondary
                    } else {
                        button::text
                    })
                    .on_press(Message::Choose(p.code.as_str().to_string())),
            );
        }
        col.into()
    }

    fn applicant(&self) -> Element<'_, Message> {
        let mut col = column![
            section(s::APPLICANT),
            text(self.qr_note.as_deref().unwrap_or(s::QR_HINT))
                .size(theme::SMALL)
                .color(if self.qr_note.is_some() {
                    theme::GREEN
                } else {
                    theme::MUTED
                }),
            self.kinds(),
            row![
                self.input(self.form.label(Field::FullName), Field::FullName),
                self.input(self.form.label(Field::IdNumber), Field::IdNumber)
            ]
            .spacing(12),
        ]
        .spacing(8);
        if let Some(note) = self.form.id_note() {
            col = col.push(text(note).size(theme::SMALL).color(theme::AMBER));
        }
        col = col.push(match self.form.kind {
            ApplicantKind::Citizen => row![
                self.input(s::DOB, Field::DateOfBirth),
                self.input(s::GENDER, Field::Gender)
            ]
            .spacing(12),
            ApplicantKind::Organisation => {
                row![self.input(s::REPRESENTATIVE, Field::Representative)]
            }
            ApplicantKind::Foreigner => row![self.input(s::NATIONALITY, Field::Nationality)],
        });
        col = col.extend([
            self.input(self.form.label(Field::Address), Field::Address),
            row![
                self.input(s::PHONE, Field::Phone),
                self.input(s::EMAIL, Field::Email)
            ]
            .spacing(12)
            .into(),
            checkbox(self.form.notice_consent)
                .label(s::NOTICE_CONSENT)
                .on_toggle(Message::ToggleNoticeConsent)
                .size(18)
                .text_size(theme::BODY)
                .into(),
            checkbox(self.form.authorised)
                .label(s::AUTHORISED)
                .on_toggle(Message::ToggleAuthorised)
                .size(18)
                .text_size(theme::BODY)
                .into(),
        ]);
        if self.form.authorised {
            col = col.push(
                column![
                    row![
                        self.input(s::AUTH_NAME, Field::AuthName),
                        self.input(s::AUTH_ID, Field::AuthId)
                    ]
                    .spacing(12),
                    self.input(s::AUTH_ADDRESS, Field::AuthAddress),
                    row![
                        self.input(s::AUTH_PHONE, Field::AuthPhone),
                        self.input(s::AUTH_EMAIL, Field::AuthEmail)
                    ]
                    .spacing(12),
                    self.input(s::AUTH_DOCUMENT, Field::AuthDocument),
                ]
                .spacing(8),
            );
        }
        panel(col)
    }

    /// Who the applicant is: one of three, also by F8.
    fn kinds(&self) -> Element<'_, Message> {
        let choice = |label, kind| {
            radio(label, kind, Some(self.form.kind), Message::Kind)
                .size(16)
                .text_size(theme::SMALL)
        };
        row![
            choice(s::KIND_CITIZEN, ApplicantKind::Citizen),
            choice(s::KIND_ORGANISATION, ApplicantKind::Organisation),
            choice(s::KIND_FOREIGNER, ApplicantKind::Foreigner),
            text(s::KIND_KEY).size(theme::SMALL).color(theme::MUTED),
        ]
        .spacing(16)
        .align_y(iced::Center)
        .into()
    }

    fn documents<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        if self.procedure(session).is_none() {
            return column![].into();
        }
        let mut col = column![section(s::DOCUMENTS)].spacing(6);
        let mut shown = column![].spacing(2);
        for (i, d) in self.form.documents.iter().enumerate() {
            if d.shown_only {
                // Xuất trình: checked by sight and handed back, not a line of the receipt.
                shown = shown.push(
                    text(format!("• {} ({})", d.name, d.hint))
                        .size(theme::SMALL)
                        .color(theme::MUTED),
                );
                continue;
            }
            col = col.push(
                row![
                    checkbox(d.received)
                        .label(d.name.as_str())
                        .on_toggle(move |on| Message::ToggleDocument(i, on))
                        .text_size(theme::SMALL)
                        .width(Fill),
                    text(d.form.as_str()).size(theme::SMALL).color(theme::MUTED),
                    text_input("", &d.count)
                        .on_input(move |v| Message::DocumentCount(i, v))
                        .width(52)
                        .size(theme::SMALL)
                        .padding(4)
                        .style(theme::input(false)),
                ]
                .spacing(8)
                .align_y(iced::Center),
            );
            if !d.hint.is_empty() {
                col = col.push(text(d.hint.as_str()).size(theme::SMALL).color(theme::MUTED));
            }
        }
        if self.form.documents.iter().any(|d| d.shown_only) {
            col = col.push(text(s::DOCS_SHOWN).size(theme::SMALL)).push(shown);
        }
        panel(col)
    }

    fn rest(&self) -> Element<'_, Message> {
        let channel = row![
            radio(
                "Trực tiếp",
                ChannelChoice::InPerson,
                Some(self.form.channel),
                Message::Channel
            )
            .size(16)
            .text_size(theme::SMALL),
            radio(
                "Bưu chính",
                ChannelChoice::Postal,
                Some(self.form.channel),
                Message::Channel
            )
            .size(16)
            .text_size(theme::SMALL),
            radio(
                "Trực tuyến",
                ChannelChoice::Online,
                Some(self.form.channel),
                Message::Channel
            )
            .size(16)
            .text_size(theme::SMALL),
        ]
        .spacing(12);
        let col = column![
            row![
                container(self.input(s::SETS, Field::Sets)).width(120),
                column![
                    text(s::CHANNEL).size(theme::SMALL).color(theme::MUTED),
                    channel
                ]
                .spacing(6),
            ]
            .spacing(16),
            self.input(s::RESULT_AT, Field::ResultAt),
        ]
        .spacing(8);
        panel(col)
    }

    /// The procedure's time-limit cases as radio buttons; F7 moves to the next one.
    fn case_picker<'a>(&'a self, cases: &'a [TimeLimitCase]) -> Element<'a, Message> {
        let mut col = column![
            text(format!("{} {}", s::TIME_LIMIT, s::TIME_LIMIT_CASE_KEY))
                .size(theme::SMALL)
                .color(theme::MUTED)
        ]
        .spacing(6);
        let chosen = self.form.time_limit_case.min(cases.len().saturating_sub(1));
        for (i, case) in cases.iter().enumerate() {
            col = col.push(
                radio(case.describe_vi(), i, Some(chosen), Message::Case)
                    .size(16)
                    .text_size(theme::SMALL),
            );
        }
        col.into()
    }

    fn side<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let mut col = column![].spacing(12);
        if let Some(p) = self.procedure(session) {
            let fee = if p.fee_text.trim().is_empty() {
                "—"
            } else {
                p.fee_text.as_str()
            };
            let mut info = column![
                text(p.name.as_str()).size(theme::BODY).font(theme::BOLD),
                text(p.field.as_str())
                    .size(theme::SMALL)
                    .color(theme::MUTED),
            ]
            .spacing(4);
            match p.time_limits.as_slice() {
                [] => {}
                [only] => {
                    info = info.push(
                        text(format!("{}: {}", s::TIME_LIMIT, only.limit.describe_vi()))
                            .size(theme::SMALL),
                    );
                }
                cases => info = info.push(self.case_picker(cases)),
            }
            info = info.push(text(format!("{}: {fee}", s::FEE)).size(theme::SMALL));
            col = col.push(panel(info));
            if p.time_limits.is_empty() {
                // The clerk must give the limit before a due time exists: ask right here.
                col = col.push(panel(
                    column![
                        text(s::TIME_LIMIT_UNKNOWN)
                            .size(theme::SMALL)
                            .color(theme::AMBER),
                        container(self.input(s::TIME_LIMIT_DAYS, Field::Days)).width(220),
                        container(self.input(s::TIME_LIMIT_REASON, Field::DaysReason)).width(440),
                    ]
                    .spacing(4),
                ));
            }
            if let Some(due) = self.live_due(session, now_vn()) {
                col = col.push(banner(
                    column![
                        text(s::DUE).size(theme::SMALL),
                        text(due).size(theme::TITLE).font(theme::BOLD),
                    ]
                    .spacing(2),
                    theme::BLUE,
                ));
            }
        }
        col = col.push(
            button(text(s::SAVE_AND_PRINT).size(theme::BODY))
                .padding([10, 16])
                .width(Fill)
                .style(button::success)
                .on_press_maybe((!self.saving).then_some(Message::Save)),
        );
        col = col.push(
            row![
                button(text(s::ASK_SUPPLEMENT).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::OpenNotice(NoticeKind::Supplement)),
                button(text(s::REFUSE).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::OpenNotice(NoticeKind::Refusal)),
            ]
            .spacing(8),
        );
        if let Some(n) = &self.notice {
            col = col.push(n.view().map(Message::Notice));
        }
        if self.saved.is_some() {
            col = col.push(
                button(text(s::CLEAR_FORM).size(theme::BODY))
                    .style(button::secondary)
                    .on_press(Message::NewDossier),
            );
        }
        scrollable(col).height(Fill).into()
    }
}
