//! Sign-in with a local clerk account (works without the centre).

use iced::widget::{button, column, container, text};
use iced::{Element, Fill};

use crate::desk::Clerk;
use crate::ui::job::Action;
use crate::ui::widgets::{banner, field, heading, secret};
use crate::ui::{strings as s, theme};

pub const USERNAME: &str = "login-username";
pub const PASSWORD: &str = "login-password";

#[derive(Debug, Clone)]
pub enum Message {
    Username(String),
    Password(String),
    NextFromUsername,
    Submit,
    Answer(Result<Clerk, String>),
}

#[derive(Debug)]
pub enum Outcome {
    Stay(Action<Message>),
    SignedIn(Clerk),
}

#[derive(Debug, Default)]
pub struct State {
    username: String,
    password: String,
    error: Option<String>,
    busy: bool,
}

impl State {
    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Username(v) => self.username = v,
            Message::Password(v) => self.password = v,
            Message::NextFromUsername => return Outcome::Stay(Action::Focus(PASSWORD)),
            Message::Submit if !self.busy => {
                self.busy = true;
                self.error = None;
                let (user, pass) = (self.username.clone(), self.password.clone());
                return Outcome::Stay(
                    Action::desk(move |desk| {
                        let answer = match desk.sign_in(&user, &pass) {
                            Ok(Ok(clerk)) => Ok(clerk),
                            Ok(Err(e)) => Err(e.to_string()),
                            Err(e) => Err(e.to_string()),
                        };
                        Message::Answer(answer)
                    })
                    .recover(|e| Message::Answer(Err(e))),
                );
            }
            Message::Submit => {}
            Message::Answer(Ok(clerk)) => {
                self.password.clear();
                return Outcome::SignedIn(clerk);
            }
            Message::Answer(Err(e)) => {
                self.busy = false;
                self.password.clear();
                self.error = Some(e);
                return Outcome::Stay(Action::Focus(PASSWORD));
            }
        }
        Outcome::Stay(Action::None)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut form = column![
            heading(s::LOGIN_TITLE),
            field(
                s::USERNAME,
                USERNAME,
                &self.username,
                None,
                Message::Username,
                Message::NextFromUsername
            ),
            secret(
                s::PASSWORD,
                PASSWORD,
                &self.password,
                Message::Password,
                Message::Submit
            ),
        ]
        .spacing(12)
        .max_width(420);
        if let Some(e) = &self.error {
            form = form.push(banner(text(e.as_str()).size(theme::BODY), theme::RED));
        }
        form = form.push(
            button(text(s::LOGIN).size(theme::BODY))
                .padding([8, 16])
                .on_press_maybe((!self.busy).then_some(Message::Submit)),
        );
        container(
            column![
                text(s::APP_TITLE).size(theme::SMALL).color(theme::MUTED),
                form
            ]
            .spacing(8),
        )
        .center(Fill)
        .padding(24)
        .into()
    }
}
