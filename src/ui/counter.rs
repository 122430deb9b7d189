//! The iced program around `App`: runs store jobs on a blocking thread, moves focus,
//! starts sync rounds, and listens to the keyboard and the clock.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use iced::keyboard;
use iced::{Element, Event, Subscription, Task, event, mouse, time};

use crate::store::Store;
use crate::store::paths::DataPaths;
use crate::ui::app::{App, Effect, Message, Start, TICK};

#[derive(Debug)]
pub struct Counter {
    app: App,
    store: Option<Arc<Mutex<Store>>>,
    paths: DataPaths,
}

impl Counter {
    pub fn new(paths: DataPaths) -> (Counter, Task<Message>) {
        let opened = Store::open(paths.clone()).map_err(|e| e.to_string());
        let start = Start::probe(opened.as_ref().map_err(Clone::clone));
        let app = App::new(start);
        let first = app.boot();
        let mut counter = Counter {
            app,
            store: opened.ok().map(|s| Arc::new(Mutex::new(s))),
            paths,
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
            Effect::Store(job) => {
                let Some(store) = self.store.clone() else {
                    return Task::none();
                };
                Task::perform(
                    async move {
                        // SQLite calls block: keep them off the executor's async threads.
                        tokio::task::spawn_blocking(move || {
                            let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
                            job.run(&mut guard)
                        })
                        .await
                    },
                    |r| r.unwrap_or_else(|e| Message::SyncFinished(Err(e.to_string()))),
                )
            }
            Effect::Sync => {
                let paths = self.paths.clone();
                Task::perform(sync_round(paths), Message::SyncFinished)
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
fn input(event: Event, _status: event::Status, _window: iced::window::Id) -> Option<Message> {
    match event {
        Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => {
            Some(Message::Input(Some((key, modifiers))))
        }
        Event::Mouse(mouse::Event::ButtonPressed(_)) => Some(Message::Input(None)),
        _ => None,
    }
}

/// One round on its own connection, so a slow link never holds the counter's store.
async fn sync_round(paths: DataPaths) -> Result<(), String> {
    let mut store = Store::open(paths).map_err(|e| e.to_string())?;
    crate::sync::client::sync_once(&mut store, None)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
