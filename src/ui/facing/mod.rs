//! The screen facing the citizen (issue 22 §2): a second window, opened on the
//! monitor the setting chooses, on which nothing can be edited. It mirrors the intake
//! while the clerk types, asks for the rating when a result is handed back, and
//! otherwise greets, with the codes of results ready for collection if wanted.
//!
//! What it shows is decided here from the application's state at each frame; the only
//! state of its own is the rating under way and the ready codes.

pub mod mirror;
pub mod placement;
pub mod rating;

use std::time::{Duration, Instant};

use iced::widget::{Column, column, container, text};
use iced::{Element, Fill};

use crate::domain::clock::Timestamp;
use crate::ui::screens::intake;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme};

pub use mirror::Mirror;

/// How long the thanks stay on screen after a rating.
pub const THANKS_FOR: Duration = Duration::from_secs(6);
/// A rating nobody answers goes away after this (the citizen left), unrecorded.
pub const RATING_WAIT: Duration = Duration::from_secs(90);
/// How often the idle screen's queue is read again.
pub const QUEUE_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub enum Message {
    Rating(rating::Message),
    /// The ready codes read for the idle screen.
    Queue(Result<Vec<String>, String>),
    /// A returned dossier read to start its rating (its code and what the desk fills).
    Returned(String, Result<crate::desk::facing::Computed, String>),
    /// The rating was written (or why not).
    Recorded(Result<(), String>),
}

/// What the facing window shows now.
#[derive(Debug)]
pub enum Shown<'a> {
    Idle,
    Mirror(Mirror),
    Rating(&'a rating::State),
    Thanks(&'static str),
}

#[derive(Debug, Default)]
pub struct State {
    rating: Option<rating::State>,
    /// When the rating on screen was started or last answered.
    rating_since: Option<Instant>,
    thanks: Option<(&'static str, Instant)>,
    ready: Vec<String>,
    queue_read: Option<Instant>,
    /// The last rating that could not be written, for the clerk's status line.
    pub problem: Option<String>,
}

impl State {
    pub fn rating(&self) -> Option<&rating::State> {
        self.rating.as_ref()
    }

    pub fn ready(&self) -> &[String] {
        &self.ready
    }

    /// What to show: the rating first (the citizen is waiting on it), then the mirror
    /// of a form being typed (`intake` only while the intake screen is open), else idle.
    pub fn shown<'a>(
        &'a self,
        intake: Option<&intake::State>,
        session: &Session,
        now: Timestamp,
    ) -> Shown<'a> {
        if let Some(r) = &self.rating {
            return Shown::Rating(r);
        }
        if let Some((words, _)) = self.thanks {
            return Shown::Thanks(words);
        }
        match intake.and_then(|i| Mirror::of(i, session, now)) {
            Some(m) => Shown::Mirror(m),
            None => Shown::Idle,
        }
    }

    /// Starts the rating of a returned dossier.
    pub fn start(&mut self, rating: rating::State) {
        self.thanks = None;
        self.rating = Some(rating);
        self.rating_since = Some(Instant::now());
    }

    /// Handles a rating message; `Some` when the rating ended, with the answers if
    /// given (`Some(None)`: skipped).
    pub fn answer(
        &mut self,
        m: rating::Message,
    ) -> Option<(String, Option<Vec<crate::domain::rating::Answer>>)> {
        let r = self.rating.as_mut()?;
        self.rating_since = Some(Instant::now());
        let code = r.code.clone();
        let ended = match r.update(m) {
            rating::Outcome::Asking => return None,
            rating::Outcome::Rated(answers) => (code, Some(answers)),
            rating::Outcome::Skipped => (code, None),
        };
        let words = if ended.1.is_some() {
            s::FACING_THANKS
        } else {
            s::FACING_SKIPPED
        };
        self.rating = None;
        self.thanks = Some((words, Instant::now()));
        Some(ended)
    }

    pub fn set_ready(&mut self, codes: Vec<String>) {
        self.ready = codes;
    }

    /// Once a second: the thanks go away, an unanswered rating too; `true` when the
    /// queue should be read again.
    pub fn tick(&mut self, now: Instant, queue_wanted: bool) -> bool {
        if self
            .rating_since
            .is_some_and(|at| now.saturating_duration_since(at) >= RATING_WAIT)
        {
            self.rating = None;
            self.rating_since = None;
        }
        if self
            .thanks
            .is_some_and(|(_, at)| now.saturating_duration_since(at) >= THANKS_FOR)
        {
            self.thanks = None;
        }
        let due = queue_wanted
            && self
                .queue_read
                .is_none_or(|at| now.saturating_duration_since(at) >= QUEUE_EVERY);
        if due {
            self.queue_read = Some(now);
        }
        due
    }
}

/// The facing window's content.
pub fn view<'a>(shown: Shown<'a>, state: &'a State, session: &'a Session) -> Element<'a, Message> {
    let body: Element<'a, Message> = match shown {
        Shown::Mirror(m) => m.into_view(),
        Shown::Rating(r) => r.view().map(Message::Rating),
        Shown::Thanks(words) => container(text(words).size(theme::FACING_BIG).font(theme::BOLD))
            .center(Fill)
            .into(),
        Shown::Idle => idle(state, session),
    };
    container(body).width(Fill).height(Fill).into()
}

/// The unit's name and, when the setting wants it, the codes ready for collection:
/// codes only, nothing personal.
fn idle<'a>(state: &'a State, session: &'a Session) -> Element<'a, Message> {
    let mut page = column![
        text(s::FACING_WELCOME)
            .size(theme::FACING_TEXT)
            .color(theme::MUTED),
        text(session.unit.name.as_str())
            .size(theme::FACING_BIG)
            .font(theme::BOLD)
            .color(theme::BLUE),
    ]
    .spacing(12)
    .align_x(iced::Alignment::Center);
    if session.settings.facing_queue {
        let mut codes = Column::new().spacing(8).align_x(iced::Alignment::Center);
        for code in &state.ready {
            codes = codes.push(
                text(code.as_str())
                    .size(theme::FACING_TEXT)
                    .font(theme::BOLD),
            );
        }
        if state.ready.is_empty() {
            codes = codes.push(
                text(s::FACING_QUEUE_EMPTY)
                    .size(theme::TITLE)
                    .color(theme::MUTED),
            );
        }
        page = page
            .push(iced::widget::space::vertical().height(30))
            .push(text(s::FACING_QUEUE).size(theme::TITLE))
            .push(codes);
    }
    container(page).center(Fill).padding(36).into()
}
