//! What the application draws: the phase's screen, and at the counter the top bar,
//! the screen and the status line.

use iced::widget::{button, column, container, row, text};
use iced::{Element, Fill};

use super::{App, Message, Phase, Screen, SignedIn};
use crate::ui::focus::{self, Order};
use crate::ui::screens::intake::form::Field;
use crate::ui::screens::setup;
use crate::ui::status;
use crate::ui::{strings as s, theme};

impl App {
    /// The window: the phase's screen, where Tab and Shift+Tab move through the fields
    /// in the screen's order (`focus_order`).
    pub fn view(&self) -> Element<'_, Message> {
        focus::tabbing(self.screen_view(), self.focus_order())
    }

    /// The order Tab follows: a screen's "Enter moves on" order where it has one (the
    /// paper form's), otherwise the order the fields are drawn in.
    pub fn focus_order(&self) -> Order {
        match &self.phase {
            Phase::Setup(_) => Order::form(setup::State::tab_order()),
            Phase::SignedIn(desk) if desk.lock.is_none() && desk.screen == Screen::Intake => {
                Order::form(Field::ORDER.map(Field::id))
            }
            _ => Order::drawn(),
        }
    }

    fn screen_view(&self) -> Element<'_, Message> {
        match &self.phase {
            Phase::Failed(e) => container(
                column![
                    text(s::CANNOT_OPEN).size(theme::TITLE).font(theme::BOLD),
                    text(e.as_str()).size(theme::BODY),
                ]
                .spacing(16)
                .max_width(760),
            )
            .center(Fill)
            .padding(40)
            .into(),
            Phase::Setup(state) => state.view().map(Message::Setup),
            Phase::Login(state) => state.view().map(Message::Login),
            Phase::Loading => container(text(s::LOADING).size(theme::TITLE))
                .center(Fill)
                .into(),
            Phase::SignedIn(desk) => desk.view(),
        }
    }
}

impl SignedIn {
    fn view(&self) -> Element<'_, Message> {
        if let Some(lock) = &self.lock {
            return column![
                lock.view().map(Message::Lock),
                status::view(
                    &self.session,
                    &self.status,
                    self.job_error.as_deref(),
                    self.sync.stopped(),
                    self.offer(),
                )
            ]
            .into();
        }
        let s = &self.session;
        let body: Element<'_, Message> = match self.screen {
            Screen::Intake => self.intake.view(s).map(Message::Intake),
            Screen::Dossiers => self.dossiers.view(s).map(Message::Dossiers),
            Screen::Detail => self.detail.view(s).map(Message::Detail),
            Screen::Returns => self.returns.view(s).map(Message::Returns),
            Screen::Dashboard => self.dashboard.view(s).map(Message::Dashboard),
            Screen::Catalogue => self.catalogue.view(s).map(Message::Catalogue),
            Screen::Settings => self.settings.view(s).map(Message::Settings),
        };
        column![
            self.nav(),
            container(body).height(Fill).width(Fill).padding([8, 16]),
            status::view(
                s,
                &self.status,
                self.job_error.as_deref(),
                self.sync.stopped(),
                self.offer(),
            ),
        ]
        .into()
    }

    fn nav(&self) -> Element<'_, Message> {
        let tab = |label: &'static str, screen: Screen| {
            let active = self.screen == screen
                || (screen == Screen::Dossiers && self.screen == Screen::Detail);
            button(text(label).size(theme::BODY))
                .padding([6, 12])
                .style(if active {
                    button::primary
                } else {
                    button::text
                })
                .on_press(Message::Go(screen))
        };
        let mut tabs = row![
            tab(s::NAV_INTAKE, Screen::Intake),
            tab(s::NAV_DOSSIERS, Screen::Dossiers),
            tab(s::NAV_RETURNS, Screen::Returns),
            tab(s::NAV_DASHBOARD, Screen::Dashboard),
            tab(s::NAV_CATALOGUE, Screen::Catalogue),
        ]
        .spacing(4);
        if self.session.clerk.is_admin {
            tabs = tabs.push(tab(s::NAV_SETTINGS, Screen::Settings));
        }
        container(
            row![
                tabs,
                iced::widget::space::horizontal(),
                button(text(s::LOCK_NOW).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::LockNow),
                button(text(s::LOG_OUT).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::LogOut),
            ]
            .spacing(8)
            .align_y(iced::Center),
        )
        .padding([6, 12])
        .style(theme::bar)
        .into()
    }
}
