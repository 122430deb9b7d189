//! Hồ sơ (F3) — screen skeleton; filled in by its own change.

use iced::Element;
use iced::widget::text;

use crate::ui::job::Action;
use crate::ui::session::Session;
use crate::ui::theme;

#[derive(Debug, Clone)]
pub enum Message {}

#[derive(Debug, Default)]
pub struct State {}

impl State {
    pub fn on_show(&mut self, _session: &Session) -> Action<Message> {
        Action::None
    }

    pub fn update(&mut self, message: Message, _session: &Session) -> Action<Message> {
        match message {}
    }

    pub fn view<'a>(&'a self, _session: &'a Session) -> Element<'a, Message> {
        text("Hồ sơ (F3)").size(theme::TITLE).into()
    }
}
