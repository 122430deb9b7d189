//! The iced program around `App`: runs desk jobs on a blocking thread, moves focus,
//! starts sync rounds through the same `Desk`, and listens to the keyboard and the
//! clock. It owns the windows: the counter's, and the one facing the citizen, opened,
//! moved or closed after every update to match the setting (iced's daemon, so the
//! program decides which windows exist).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use iced::keyboard;
use iced::window;
use iced::{Element, Event, Size, Subscription, Task, event, mouse, time};

use crate::desk::DataPaths;
use crate::desk::Desk;
use crate::desk::facing::FacingScreen;
use crate::desk::sync::SyncFailure;
use crate::ui::app::{App, Effect, Message, Start, TICK, WindowEvent};
use crate::ui::facing::placement;
use crate::ui::job::Ran;

#[derive(Debug)]
pub struct Counter {
    app: App,
    desk: Option<Desk>,
    main: window::Id,
    /// The facing window and the setting it was opened for.
    facing: Option<(window::Id, FacingScreen)>,
    /// The size of the counter's monitor, once asked (placing "right of it" needs it).
    monitor: Option<Option<Size>>,
    /// Set when the counter's window closed with no intake typed or saved: `ui::run`
    /// then installs a staged release (issue 25 §3).
    install_on_exit: Arc<AtomicBool>,
}

impl Counter {
    pub fn new(paths: DataPaths, install_on_exit: Arc<AtomicBool>) -> (Counter, Task<Message>) {
        let opened = Desk::open(paths).map_err(|e| e.to_string());
        let start = Start::probe(opened.as_ref().map_err(Clone::clone));
        let app = App::new(start);
        let first = app.boot();
        let (main, open) = window::open(window::Settings {
            size: Size::new(1366.0, 768.0),
            ..window::Settings::default()
        });
        let mut counter = Counter {
            app,
            desk: opened.ok(),
            main,
            facing: None,
            monitor: None,
            install_on_exit,
        };
        let task = counter.tasks(first);
        (counter, Task::batch([open.discard(), task]))
    }

    pub fn title(&self, window: window::Id) -> String {
        if self.is_facing(window) {
            crate::ui::strings::FACING_TITLE.to_string()
        } else {
            self.app.title()
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = match message {
            Message::Window(w) => return self.window_event(w),
            Message::From(window, inner) => {
                let inner = match *inner {
                    Message::Input(Some((k, _))) | Message::FreeKey(k, _)
                        if self.is_facing(window) =>
                    {
                        Message::FacingKey(k)
                    }
                    other => other,
                };
                let effects = self.app.handle(inner);
                self.tasks(effects)
            }
            other => {
                let effects = self.app.handle(other);
                self.tasks(effects)
            }
        };
        Task::batch([task, self.place_facing()])
    }

    pub fn view(&self, window: window::Id) -> Element<'_, Message> {
        if self.is_facing(window) {
            return self
                .app
                .facing_view()
                .unwrap_or_else(|| iced::widget::space().into());
        }
        self.app.view()
    }

    fn is_facing(&self, window: window::Id) -> bool {
        self.facing.is_some_and(|(id, _)| id == window)
    }

    /// Opens, moves or closes the facing window to match the setting.
    fn place_facing(&mut self) -> Task<Message> {
        let wanted = self.app.facing_screen();
        match self.facing {
            Some((_, at)) if at == wanted => Task::none(),
            Some((id, _)) => {
                self.facing = None;
                Task::batch([window::close(id), self.place_facing()])
            }
            None if !wanted.is_on() => Task::none(),
            None => match self.monitor {
                // Ask once where the counter's monitor ends; the answer places it.
                None => {
                    self.monitor = Some(None);
                    window::monitor_size(self.main)
                        .map(|size| Message::Window(WindowEvent::Monitor(size)))
                }
                Some(monitor) => {
                    let Some((settings, full)) = placement::settings(wanted, monitor) else {
                        return Task::none();
                    };
                    let (id, open) = window::open(settings);
                    self.facing = Some((id, wanted));
                    let mode = if full {
                        window::set_mode(id, window::Mode::Fullscreen)
                    } else {
                        Task::none()
                    };
                    Task::batch([open.discard(), mode])
                }
            },
        }
    }

    fn window_event(&mut self, event: WindowEvent) -> Task<Message> {
        match event {
            WindowEvent::Monitor(size) => {
                self.monitor = Some(size);
                self.place_facing()
            }
            // The counter's window closed: the program ends (the facing one alone
            // would keep it running unseen by the clerk).
            WindowEvent::Closed(id) if id == self.main => {
                let busy = self.app.intake_busy();
                self.install_on_exit.store(!busy, Ordering::SeqCst);
                // The install runs with the store closed (a rollback may put its
                // pre-migration backup back): this window lets go of it now.
                self.desk = None;
                iced::exit()
            }
            WindowEvent::Closed(id) => {
                if self.is_facing(id) {
                    self.facing = None;
                }
                Task::none()
            }
        }
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
            window::close_events().map(|id| Message::Window(WindowEvent::Closed(id))),
        ])
    }
}

/// Key presses and clicks, captured or not: they all count as activity; F-keys and
/// Ctrl+Enter are shortcuts even while a text field has focus.
/// The window is kept: keys in the facing window are the citizen's keypad.
fn input(event: Event, status: event::Status, window: iced::window::Id) -> Option<Message> {
    let message = match event {
        Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => Some(match status {
            event::Status::Ignored => Message::FreeKey(key, modifiers),
            event::Status::Captured => Message::Input(Some((key, modifiers))),
        }),
        Event::Mouse(mouse::Event::ButtonPressed(_)) => Some(Message::Input(None)),
        _ => None,
    }?;
    Some(Message::From(window, Box::new(message)))
}

/// One round through the desk: the clerk's store is never held while the centre
/// answers, and what the round changed comes back for the screens to refresh.
async fn sync_round(desk: Desk) -> Result<crate::desk::Changed, SyncFailure> {
    desk.sync_round(None)
        .await
        .map(|synced| synced.changed)
        .map_err(|e| SyncFailure::of(&e))
}
