//! The settings section «Màn hình hướng về công dân»: off (the default), the monitor
//! to the right or left of the counter's, or an exact rectangle of the desktop; and
//! whether the idle screen lists the codes of results ready for collection. Saved in
//! one transaction; the counter opens, moves or closes the window at once.

use iced::widget::{button, checkbox, column, row, text};
use iced::{Element, Fill};

use crate::desk::Desk;
use crate::desk::settings::{FacingScreen, SETTING_FACING_QUEUE, SETTING_FACING_SCREEN};
use crate::ui::job::{Action, Job, Up};
use crate::ui::widgets::{field, panel, section};
use crate::ui::{strings as s, theme};

pub const RECTANGLE: &str = "settings-facing-rectangle";

/// Where the administrator wants the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice {
    #[default]
    Off,
    Right,
    Left,
    At,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<(FacingScreen, bool), String>),
    Choose(Choice),
    Rectangle(String),
    Queue(bool),
    Save,
    Saved(Result<(), String>),
}

#[derive(Debug, Default)]
pub struct Section {
    choice: Choice,
    rectangle: String,
    queue: bool,
    error: Option<String>,
    note: super::Note,
    saving: bool,
}

impl Section {
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn note(&self) -> &super::Note {
        &self.note
    }

    pub fn load() -> Action<Message> {
        Action::desk(|desk| {
            Message::Loaded(
                desk.settings()
                    .map(|s| (s.facing, s.facing_queue))
                    .map_err(|e| e.to_string()),
            )
        })
    }

    /// The screen as it will be stored, or why not.
    pub fn validate(&self) -> Result<FacingScreen, String> {
        match self.choice {
            Choice::Off => Ok(FacingScreen::Off),
            Choice::Right => Ok(FacingScreen::Right),
            Choice::Left => Ok(FacingScreen::Left),
            // "off"/"right"/"left" typed here are not a rectangle.
            Choice::At => match FacingScreen::parse(&self.rectangle)? {
                at @ FacingScreen::At { .. } => Ok(at),
                _ => Err(s::FACING_NOT_RECTANGLE.to_string()),
            },
        }
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Ok((screen, queue))) => {
                self.choice = match screen {
                    FacingScreen::Off => Choice::Off,
                    FacingScreen::Right => Choice::Right,
                    FacingScreen::Left => Choice::Left,
                    FacingScreen::At { .. } => Choice::At,
                };
                if matches!(screen, FacingScreen::At { .. }) {
                    self.rectangle = screen.as_setting();
                }
                self.queue = queue;
                self.error = None;
            }
            Message::Loaded(Err(e)) => self.note = Some(Err(e)),
            Message::Choose(c) => {
                self.choice = c;
                self.error = None;
                self.note = None;
            }
            Message::Rectangle(v) => {
                self.rectangle = v;
                self.error = None;
                self.note = None;
            }
            Message::Queue(q) => {
                self.queue = q;
                self.note = None;
            }
            Message::Save => return self.save(),
            Message::Saved(r) => {
                self.saving = false;
                let ok = r.is_ok();
                self.note = Some(r.map(|()| s::SAVED.to_string()));
                if ok {
                    return Action::Up(Up::SettingsChanged);
                }
            }
        }
        Action::None
    }

    fn save(&mut self) -> Action<Message> {
        if self.saving {
            return Action::None;
        }
        let screen = match self.validate() {
            Ok(v) => v,
            Err(e) => {
                self.error = Some(e);
                self.note = Some(Err(s::NOT_SAVED.to_string()));
                return Action::None;
            }
        };
        self.saving = true;
        let queue = if self.queue { "yes" } else { "no" }.to_string();
        Action::Run(
            Job::new(move |desk: &Desk| {
                let values = [
                    (SETTING_FACING_SCREEN, screen.as_setting()),
                    (SETTING_FACING_QUEUE, queue),
                ];
                Message::Saved(
                    desk.change_settings(&values)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                )
            })
            .recover(|e| Message::Saved(Err(e))),
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut choices = row![].spacing(6);
        for (c, label) in [
            (Choice::Off, s::FACING_OFF),
            (Choice::Right, s::FACING_RIGHT),
            (Choice::Left, s::FACING_LEFT),
            (Choice::At, s::FACING_AT),
        ] {
            choices = choices.push(super::view::choice(
                label.to_string(),
                c == self.choice,
                Message::Choose(c),
            ));
        }
        let mut body = column![section(s::FACING_SETTING), choices].spacing(8);
        if self.choice == Choice::At {
            body = body.push(field(
                s::FACING_AT,
                RECTANGLE,
                &self.rectangle,
                self.error.as_deref(),
                Message::Rectangle,
                Message::Save,
            ));
        } else if let Some(e) = &self.error {
            body = body.push(text(e.as_str()).size(theme::SMALL).color(theme::RED));
        }
        body = body
            .push(
                checkbox(self.queue)
                    .label(s::FACING_SHOW_QUEUE)
                    .on_toggle(Message::Queue)
                    .size(16)
                    .text_size(theme::SMALL),
            )
            .push(
                row![
                    button(text(s::FACING_SAVE).size(theme::SMALL)).on_press(Message::Save),
                    super::view::note(&self.note),
                ]
                .spacing(10)
                .align_y(iced::Center),
            );
        panel(body.width(Fill))
    }
}
