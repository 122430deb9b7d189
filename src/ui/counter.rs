//! The iced program around `App`: runs desk jobs on a blocking thread, moves focus,
//! starts sync rounds through the same `Desk`, and listens to the keyboard and the
//! clock.

use std::time::Instant;

use iced::keyboard;
use iced::{Element, Event, Subscription, Task, event, mouse, time};

use crate::desk::DataPaths;
use crate::desk::Desk;
use crate::desk::sync::SyncFailure;
use crate::ui::app::{App, Effect, Message, Start, TICK};
use crate::ui::job::Ran;

#[derive(Debug)]
pub struct Counter {
    app: App,
    desk: Option<Desk>,
}

impl Counter {
    pub fn new(paths: DataPaths) -> (Counter, Task<Message>) {
        let opened = Desk::open(paths).map_err(|e| e.to_string());
        let start = Start::probe(opened.as_ref().map_err(Clone::clone));
        let app = App::new(start);
        let first = app.boot();
        let mut counter = Counter {
            app,
            desk: opened.ok(),
        };
        let task = counter.tasks(first);
        (counter, task)
    }

    pub fn title(&self) -> String {
        self.app.title()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let effects = self.app.handle(message);
        self.tasks(effects)
    }

    pub fn view(&self) -> Element<'_, Message> {
        self.app.view()
    }

    fn tasks(&mut self, effects: Vec<Effect>) -> Task<Message> {
        Task::batch(effects.into_iter().map(|e| self.task(e)))
    }

    fn task(&self, effect: Effect) -> Task<Message> {
        match effect {
            Effect::Focus(id) => iced::widget::operation::focus(id),
            Effect::Scroll(id, y) => iced::widget::operation::snap_to(
                id,
                iced::widget::operation::RelativeOffset {
                    x: None,
                    y: Some(y.clamp(0.0, 1.0)),
                },
            ),
            Effect::Store(job) => {
                let Some(desk) = self.desk.clone() else {
                    return Task::none();
                };
                Task::perform(
                    async move {
                        // SQLite calls block: keep them off the executor's async threads.
                        tokio::task::spawn_blocking(move || job.run(&desk)).await
                    },
                    |r| match r {
                        Ok(Ran::Message(m)) => m,
                        Ok(Ran::Panicked(e)) => Message::JobFailed(e),
                        Err(_) => Message::JobFailed(crate::ui::strings::JOB_PANICKED.into()),
                    },
                )
            }
            Effect::Sync => {
                let Some(desk) = self.desk.clone() else {
                    return Task::none();
                };
                Task::perform(sync_round(desk), Message::SyncFinished)
            }
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            time::every(TICK).map(|_| Message::Tick(Instant::now())),
            event::listen_with(input),
        ])
    }
}

/// Key presses and clicks, captured or not: they all count as activity; F-keys and
/// Ctrl+Enter are shortcuts even while a text field has focus.
fn input(event: Event, status: event::Status, _window: iced::window::Id) -> Option<Message> {
    match event {
        Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => Some(match status {
            event::Status::Ignored => Message::FreeKey(key, modifiers),
            event::Status::Captured => Message::Input(Some((key, modifiers))),
        }),
        Event::Mouse(mouse::Event::ButtonPressed(_)) => Some(Message::Input(None)),
        _ => None,
    }
}

/// One round through the desk: the clerk's store is never held while the centre
/// answers, and what the round changed comes back for the screens to refresh.
async fn sync_round(desk: Desk) -> Result<crate::desk::Changed, SyncFailure> {
    desk.sync_round(None)
        .await
        .map(|synced| synced.changed)
        .map_err(|e| SyncFailure::of(&e))
}
