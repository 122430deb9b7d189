//! The idle lock: covers the screens (everything typed stays in memory, untouched)
//! until the same clerk types their password.

use iced::widget::{button, column, container, text};
use iced::{Element, Fill};

use crate::desk::Clerk;
use crate::ui::job::Action;
use crate::ui::widgets::{banner, heading, secret};
use crate::ui::{strings as s, theme};

pub const PASSWORD: &str = "lock-password";

#[derive(Debug, Clone)]
pub enum Message {
    Password(String),
    Submit,
    Checked(bool),
}

#[derive(Debug)]
pub enum Outcome {
    Stay(Action<Message>),
    Unlocked,
}

#[derive(Debug)]
pub struct State {
    username: String,
    full_name: String,
    password: String,
    wrong: bool,
    busy: bool,
}

impl State {
    pub fn new(clerk: &Clerk) -> State {
        State {
            username: clerk.username.clone(),
            full_name: clerk.full_name.clone(),
            password: String::new(),
            wrong: false,
            busy: false,
        }
    }

    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Password(v) => self.password = v,
            Message::Submit if !self.busy => {
                self.busy = true;
                let (user, pass) = (self.username.clone(), self.password.clone());
                return Outcome::Stay(Action::desk(move |desk| {
                    Message::Checked(desk.check_password(&user, &pass).unwrap_or(false))
                }));
            }
            Message::Submit => {}
            Message::Checked(true) => return Outcome::Unlocked,
            Message::Checked(false) => {
                self.busy = false;
                self.wrong = true;
                self.password.clear();
                return Outcome::Stay(Action::Focus(PASSWORD));
            }
        }
        Outcome::Stay(Action::None)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut form = column![
            heading(s::LOCKED_TITLE),
            text(s::locked_for(&self.full_name)).size(theme::BODY),
            secret(
                s::PASSWORD,
                PASSWORD,
                &self.password,
                Message::Password,
                Message::Submit
            ),
        ]
        .spacing(12)
        .max_width(480);
        if self.wrong {
            form = form.push(banner(text(s::UNLOCK_WRONG).size(theme::BODY), theme::RED));
        }
        form = form.push(
            button(text(s::UNLOCK).size(theme::BODY))
                .padding([8, 16])
                .on_press_maybe((!self.busy).then_some(Message::Submit)),
        );
        container(form).center(Fill).padding(24).into()
    }
}
