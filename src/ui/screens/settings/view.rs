//! The settings screen's layout: the unit and the desk's printing on the left, the
//! centre and the accounts on the right.

use iced::widget::{button, checkbox, column, container, row, scrollable, text};
use iced::{Element, Fill, FillPortion};

use crate::desk::UnitField;
use crate::print::Paper;
use crate::ui::session::Session;
use crate::ui::widgets::{banner, field, heading, panel, secret, section};
use crate::ui::{strings as s, theme};

use super::*;

pub(super) fn note<'a, M: 'a>(n: &'a Note) -> Element<'a, M> {
    match n {
        Some(Ok(m)) => text(m.as_str())
            .size(theme::SMALL)
            .color(theme::GREEN)
            .into(),
        Some(Err(m)) => text(m.as_str()).size(theme::SMALL).color(theme::RED).into(),
        None => column![].into(),
    }
}

pub(super) fn choice<'a, M: Clone + 'a>(label: String, on: bool, m: M) -> Element<'a, M> {
    button(text(label).size(theme::SMALL))
        .padding([4, 10])
        .style(if on {
            button::primary
        } else {
            button::secondary
        })
        .on_press(m)
        .into()
}

impl State {
    fn unit_error(&self, f: UnitField) -> Option<&str> {
        self.unit_errors
            .iter()
            .find(|e| e.field == f)
            .map(|e| e.message.as_str())
    }

    fn desk_error(&self, f: DeskField) -> Option<&str> {
        self.desk_errors
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, m)| m.as_str())
    }

    pub fn view<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        if let Some(p) = &self.problem {
            return banner(text(p.as_str()).size(theme::BODY), theme::RED);
        }
        let left = column![self.unit_panel(session), self.desk_panel()].spacing(12);
        let right = column![
            self.centre_panel(),
            self.clerks_panel(session),
            self.documents.view().map(Message::Documents),
            self.facing.view().map(Message::Facing),
        ]
        .spacing(12);
        scrollable(
            column![
                heading(s::SETTINGS_TITLE),
                row![
                    container(left).width(FillPortion(1)),
                    container(right).width(FillPortion(1)),
                ]
                .spacing(16),
            ]
            .spacing(12)
            .padding([0, 12]),
        )
        .height(Fill)
        .into()
    }

    fn unit_panel<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let fixed = match &self.loaded {
            Some(l) => s::unit_fixed(l.unit.code.as_str(), l.desk_index),
            None => s::unit_fixed(session.unit.code.as_str(), session.desk.index.get()),
        };
        panel(
            column![
                section(s::SETTINGS_UNIT),
                text(fixed).size(theme::SMALL).color(theme::MUTED),
                field(
                    s::SETUP_UNIT_NAME,
                    UNIT_NAME,
                    &self.unit.name,
                    self.unit_error(UnitField::Name),
                    |v| Message::Unit(UnitField::Name, v),
                    Message::SaveUnit,
                ),
                field(
                    s::SETUP_AUTHORITY,
                    UNIT_AUTHORITY,
                    &self.unit.authority,
                    self.unit_error(UnitField::Authority),
                    |v| Message::Unit(UnitField::Authority, v),
                    Message::SaveUnit,
                ),
                self.header_warning(),
                field(
                    s::SETUP_PLACE,
                    UNIT_PLACE,
                    &self.unit.place,
                    self.unit_error(UnitField::Place),
                    |v| Message::Unit(UnitField::Place, v),
                    Message::SaveUnit,
                ),
                field(
                    s::SETUP_HOURS,
                    UNIT_HOURS,
                    &self.unit.working_hours,
                    self.unit_error(UnitField::Hours),
                    |v| Message::Unit(UnitField::Hours, v),
                    Message::SaveUnit,
                ),
                row![
                    button(text(s::SAVE_UNIT).size(theme::SMALL)).on_press(Message::SaveUnit),
                    note(&self.unit_note),
                ]
                .spacing(10)
                .align_y(iced::Center),
            ]
            .spacing(8),
        )
    }

    /// A warning under the two header fields when they read "UBND tỉnh …" over "UBND
    /// phường …" (what first-run setup once suggested).
    fn header_warning(&self) -> Element<'_, Message> {
        if crate::domain::unit::old_header_pattern(&self.unit.name, &self.unit.authority) {
            text(s::OLD_HEADER_WARNING)
                .size(theme::SMALL)
                .color(theme::RED)
                .into()
        } else {
            column![].into()
        }
    }

    fn desk_panel(&self) -> Element<'_, Message> {
        let mut printers = column![choice(
            s::NO_PRINTER_CHOICE.to_string(),
            self.printer.is_none(),
            Message::Printer(None),
        )]
        .spacing(4);
        match &self.printers {
            None => printers = printers.push(text(s::PRINTERS_LOADING).size(theme::SMALL)),
            Some(list) => {
                if list.is_empty() {
                    printers = printers.push(
                        text(s::PRINTERS_NONE)
                            .size(theme::SMALL)
                            .color(theme::MUTED),
                    );
                }
                for p in list {
                    printers = printers.push(choice(
                        p.clone(),
                        self.printer.as_deref() == Some(p.as_str()),
                        Message::Printer(Some(p.clone())),
                    ));
                }
            }
        }
        // A printer saved earlier but no longer listed by CUPS stays visible.
        if let Some(p) = &self.printer
            && !self.printers.as_ref().is_some_and(|l| l.contains(p))
        {
            printers = printers.push(choice(
                s::printer_missing(p),
                true,
                Message::Printer(Some(p.clone())),
            ));
        }
        let paper = self.paper.unwrap_or(crate::print::DEFAULT_PAPER);
        panel(
            column![
                section(s::SETTINGS_PRINTING),
                text(s::PRINTER).size(theme::SMALL).color(theme::MUTED),
                printers,
                text(s::PAPER).size(theme::SMALL).color(theme::MUTED),
                row![
                    choice(
                        s::PAPER_A5.to_string(),
                        paper == Paper::A5,
                        Message::Paper(Paper::A5)
                    ),
                    choice(
                        s::PAPER_A4.to_string(),
                        paper == Paper::A4,
                        Message::Paper(Paper::A4)
                    ),
                ]
                .spacing(6),
                field(
                    s::TRACKING_URL,
                    TRACKING_URL,
                    &self.tracking_url,
                    self.desk_error(DeskField::TrackingUrl),
                    |v| Message::Desk(DeskField::TrackingUrl, v),
                    Message::SaveDesk,
                ),
                field(
                    s::UNIT_PHONE,
                    UNIT_PHONE,
                    &self.unit_phone,
                    self.desk_error(DeskField::UnitPhone),
                    |v| Message::Desk(DeskField::UnitPhone, v),
                    Message::SaveDesk,
                ),
                field(
                    s::SIGNER_TITLE,
                    SIGNER_TITLE,
                    &self.signer_title,
                    self.desk_error(DeskField::SignerTitle),
                    |v| Message::Desk(DeskField::SignerTitle, v),
                    Message::SaveDesk,
                ),
                field(
                    s::IDLE_MINUTES,
                    IDLE_MINUTES,
                    &self.idle_minutes,
                    self.desk_error(DeskField::IdleMinutes),
                    |v| Message::Desk(DeskField::IdleMinutes, v),
                    Message::SaveDesk,
                ),
                row![
                    button(text(s::SAVE_DESK).size(theme::SMALL)).on_press(Message::SaveDesk),
                    note(&self.desk_note),
                ]
                .spacing(10)
                .align_y(iced::Center),
            ]
            .spacing(8),
        )
    }

    fn centre_panel(&self) -> Element<'_, Message> {
        let status = match self
            .loaded
            .as_ref()
            .and_then(|l| l.enrolled_with.as_deref())
        {
            Some(url) => text(s::enrolled_with(url))
                .size(theme::SMALL)
                .color(theme::GREEN),
            None => text(s::NOT_ENROLLED).size(theme::SMALL).color(theme::MUTED),
        };
        let enroll = button(
            text(if self.enrolling {
                s::ENROLLING
            } else {
                s::ENROLL
            })
            .size(theme::SMALL),
        )
        .on_press_maybe((!self.enrolling).then_some(Message::Enroll));
        panel(
            column![
                section(s::SETTINGS_CENTRE),
                status,
                field(
                    s::CENTRE_URL,
                    CENTRE_URL,
                    &self.centre_url,
                    None,
                    Message::CentreUrl,
                    Message::Enroll,
                ),
                field(
                    s::ENROLL_CODE,
                    ENROLL_CODE,
                    &self.enroll_code,
                    None,
                    Message::EnrollCode,
                    Message::Enroll,
                ),
                row![enroll, note(&self.enroll_note)]
                    .spacing(10)
                    .align_y(iced::Center),
            ]
            .spacing(8),
        )
    }

    fn clerks_panel<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let mut list = column![].spacing(6);
        for c in &self.clerks {
            let role = if c.is_admin { s::ADMIN } else { s::CLERK };
            let state = if c.active {
                s::ACCOUNT_ACTIVE
            } else {
                s::ACCOUNT_DISABLED
            };
            let mut line = row![
                column![
                    text(format!("{} ({})", c.full_name, c.username)).size(theme::SMALL),
                    text(format!("{role} · {state}"))
                        .size(theme::SMALL)
                        .color(if c.active { theme::MUTED } else { theme::RED }),
                ]
                .width(Fill),
                button(text(s::RESET_PASSWORD).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::ResetFor(c.username.clone())),
            ]
            .spacing(6)
            .align_y(iced::Center);
            if c.username != session.clerk.username {
                line = line.push(
                    button(
                        text(if c.active {
                            s::DISABLE_ACCOUNT
                        } else {
                            s::ENABLE_ACCOUNT
                        })
                        .size(theme::SMALL),
                    )
                    .style(if c.active {
                        button::danger
                    } else {
                        button::success
                    })
                    .on_press(Message::SetActive(c.username.clone(), !c.active)),
                );
            }
            list = list.push(line);
            if self.reset_for.as_deref() == Some(c.username.as_str()) {
                list = list.push(
                    row![
                        secret(
                            s::NEW_PASSWORD,
                            RESET_PASSWORD,
                            &self.reset_password,
                            Message::ResetPassword,
                            Message::ConfirmReset,
                        ),
                        button(text(s::SAVE_PASSWORD).size(theme::SMALL))
                            .on_press(Message::ConfirmReset),
                    ]
                    .spacing(6)
                    .align_y(iced::Bottom),
                );
            }
        }
        panel(
            column![
                section(s::SETTINGS_CLERKS),
                list,
                note(&self.clerk_note),
                section(s::ADD_ACCOUNT),
                row![
                    field(
                        s::USERNAME,
                        NEW_USERNAME,
                        &self.new_clerk.username,
                        None,
                        |v| Message::NewClerk(ClerkField::Username, v),
                        Message::AddClerk,
                    ),
                    field(
                        s::FULL_NAME,
                        NEW_FULL_NAME,
                        &self.new_clerk.full_name,
                        None,
                        |v| Message::NewClerk(ClerkField::FullName, v),
                        Message::AddClerk,
                    ),
                ]
                .spacing(8),
                row![
                    secret(
                        s::PASSWORD,
                        NEW_PASSWORD,
                        &self.new_clerk.password,
                        |v| Message::NewClerk(ClerkField::Password, v),
                        Message::AddClerk,
                    ),
                    secret(
                        s::PASSWORD_AGAIN,
                        NEW_PASSWORD_AGAIN,
                        &self.new_password_again,
                        |v| Message::NewClerk(ClerkField::PasswordAgain, v),
                        Message::AddClerk,
                    ),
                ]
                .spacing(8),
                row![
                    checkbox(self.new_clerk.is_admin)
                        .label(s::ADMIN_ACCOUNT)
                        .on_toggle(Message::NewClerkAdmin),
                    iced::widget::space::horizontal(),
                    button(text(s::ADD_ACCOUNT_BUTTON).size(theme::SMALL))
                        .on_press(Message::AddClerk),
                ]
                .align_y(iced::Center),
            ]
            .spacing(8),
        )
    }
}
