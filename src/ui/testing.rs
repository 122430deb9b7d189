//! Drives the application without a window: every store job runs in place, in order,
//! and focus moves are remembered. Used by the GUI tests and the GUI benchmark.

use crate::store::Store;
use crate::store::paths::DataPaths;
use crate::ui::app::{App, Effect, Message, Start};

#[derive(Debug)]
pub struct Harness {
    pub app: App,
    pub store: Store,
    /// The widget id the application last asked to focus.
    pub focused: Option<&'static str>,
    /// Sync rounds the application asked for (not run here).
    pub sync_requests: usize,
}

impl Harness {
    pub fn open(paths: DataPaths) -> crate::store::error::Result<Harness> {
        let store = Store::open(paths)?;
        let app = App::new(Start::probe(Ok(&store)));
        let effects = app.boot();
        let mut h = Harness {
            app,
            store,
            focused: None,
            sync_requests: 0,
        };
        h.apply(effects);
        Ok(h)
    }

    /// Handles one message and everything it sets off.
    pub fn send(&mut self, message: Message) {
        let effects = self.app.handle(message);
        self.apply(effects);
    }

    pub fn send_all(&mut self, messages: impl IntoIterator<Item = Message>) {
        for m in messages {
            self.send(m);
        }
    }

    fn apply(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Store(job) => {
                    let m = job.run(&mut self.store);
                    self.send(m);
                }
                Effect::Focus(id) => self.focused = Some(id),
                Effect::Sync => self.sync_requests += 1,
            }
        }
    }
}
