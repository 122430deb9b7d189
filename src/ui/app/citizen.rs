//! The application's side of the screen facing the citizen: what it shows, starting
//! the rating when a result is handed back, recording it, and the idle queue.

use std::time::Instant;

use iced::Element;

use super::{App, Message, Phase, Screen, SignedIn, lift};
use crate::desk::facing::{Computed, FacingScreen};
use crate::domain::clock::now_vn;
use crate::domain::rating::Answer;
use crate::ui::facing::{self, rating};
use crate::ui::job::Action;
use crate::ui::strings as s;

impl App {
    /// Where the facing window should be now: off until a clerk is signed in.
    pub fn facing_screen(&self) -> FacingScreen {
        match &self.phase {
            Phase::SignedIn(d) => d.session.settings.facing,
            _ => FacingScreen::Off,
        }
    }

    /// The facing window's content (`None` when no clerk is signed in).
    pub fn facing_view(&self) -> Option<Element<'_, Message>> {
        let Phase::SignedIn(d) = &self.phase else {
            return None;
        };
        let shown = d.facing.shown(self.mirrored(), &d.session, now_vn());
        Some(facing::view(shown, &d.facing, &d.session).map(Message::Facing))
    }

    /// The intake the facing screen mirrors: only while the clerk has it open (a locked
    /// screen shows nothing personal).
    pub fn mirrored(&self) -> Option<&crate::ui::screens::intake::State> {
        match &self.phase {
            Phase::SignedIn(d) if d.lock.is_none() && d.screen == Screen::Intake => Some(&d.intake),
            _ => None,
        }
    }

    pub fn settings(&self) -> Option<&crate::ui::screens::settings::State> {
        match &self.phase {
            Phase::SignedIn(d) => Some(&d.settings),
            _ => None,
        }
    }

    pub fn facing(&self) -> Option<&facing::State> {
        match &self.phase {
            Phase::SignedIn(d) => Some(&d.facing),
            _ => None,
        }
    }
}

impl SignedIn {
    /// A result was handed back: read what the desk fills, then ask the citizen.
    pub(super) fn rate(&mut self, code: &str) -> Action<Message> {
        if !self.session.settings.facing.is_on() {
            return Action::None;
        }
        let code = code.to_string();
        Action::desk(move |desk| {
            let computed = desk
                .dossier(&code)
                .map(|d| Computed::of(&d))
                .map_err(|e| e.to_string());
            Message::Facing(facing::Message::Returned(code, computed))
        })
    }

    pub(super) fn facing_message(&mut self, m: facing::Message) -> Action<Message> {
        match m {
            facing::Message::Returned(code, Ok(computed)) => {
                self.facing.start(rating::State::new(code, computed));
                Action::None
            }
            // Never dropped: the clerk reads it on the status line, in Vietnamese.
            facing::Message::Returned(_, Err(e)) => {
                self.job_error = Some(s::rating_not_started(&e));
                self.facing.problem = Some(e);
                Action::None
            }
            facing::Message::Recorded(Err(e)) => {
                self.job_error = Some(s::rating_not_saved(&e));
                self.facing.problem = Some(e);
                Action::None
            }
            facing::Message::Recorded(Ok(())) => Action::None,
            facing::Message::Queue(Ok(codes)) => {
                self.facing.set_ready(codes);
                Action::None
            }
            facing::Message::Queue(Err(_)) => Action::None,
            facing::Message::Rating(m) => match self.facing.answer(m) {
                Some((code, Some(answers))) => self.record_rating(code, answers),
                _ => Action::None,
            },
        }
    }

    /// The answers given: kept with the dossier as its Rated event.
    fn record_rating(&mut self, code: String, answers: Vec<Answer>) -> Action<Message> {
        let clerk = self.session.clerk.full_name.clone();
        let job = Action::desk(move |desk| {
            facing::Message::Recorded(
                desk.rate_at_counter(&code, answers, &clerk)
                    .map_err(|e| e.to_string()),
            )
        })
        .recover(|e| facing::Message::Recorded(Err(e)));
        lift(job, Message::Facing)
    }

    pub(super) fn facing_tick(&mut self, now: Instant) -> Action<Message> {
        let wanted = self.session.settings.facing.is_on() && self.session.settings.facing_queue;
        if !self.facing.tick(now, wanted) {
            return Action::None;
        }
        lift(
            Action::desk(|desk| {
                facing::Message::Queue(desk.ready_codes().map_err(|e| e.to_string()))
            }),
            Message::Facing,
        )
    }
}
