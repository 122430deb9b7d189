//! Drives the application without a window: every desk job runs in place, in order,
//! and focus moves are remembered. Used by the GUI tests and the GUI benchmark.

use std::sync::MutexGuard;

use crate::desk::Desk;
use crate::store::Store;
use crate::store::paths::DataPaths;
use crate::ui::app::{App, Effect, Message, Start};
use crate::ui::job::Ran;

#[derive(Debug)]
pub struct Harness {
    pub app: App,
    pub desk: Desk,
    /// The widget id the application last asked to focus.
    pub focused: Option<&'static str>,
    /// The last scroll asked for: the scrollable's id and the relative height.
    pub scrolled: Option<(&'static str, f32)>,
    /// Sync rounds the application asked for (run only by `sync_round`).
    pub sync_requests: usize,
    /// Makes the next job panic inside its work, as a bug would.
    pub panic_next_job: bool,
}

impl Harness {
    pub fn open(paths: DataPaths) -> crate::store::error::Result<Harness> {
        let desk = Desk::open(paths)?;
        let app = App::new(Start::probe(Ok(&desk)));
        let effects = app.boot();
        let mut h = Harness {
            app,
            desk,
            focused: None,
            scrolled: None,
            sync_requests: 0,
            panic_next_job: false,
        };
        h.apply(effects);
        Ok(h)
    }

    /// The desk's store, for a test's own checks (drop it before sending messages).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.desk.lock()
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

    /// Runs one sync round the way the window does (through the desk), and hands
    /// its outcome to the application as the window would.
    pub fn sync_round(&mut self) {
        let outcome = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt
                .block_on(self.desk.sync_round(None))
                .map(|s| s.changed)
                .map_err(|e| crate::desk::sync::SyncFailure::of(&e)),
            Err(e) => Err(crate::desk::sync::SyncFailure {
                message: e.to_string(),
                transient: true,
                retry_after: None,
            }),
        };
        self.send(Message::SyncFinished(outcome));
    }

    fn apply(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Store(job) => {
                    let job = if std::mem::take(&mut self.panic_next_job) {
                        job.sabotaged()
                    } else {
                        job
                    };
                    let m = match job.run(&self.desk) {
                        Ran::Message(m) => m,
                        Ran::Panicked(e) => Message::JobFailed(e),
                    };
                    // A write's daily backup runs in the background; a test reads
                    // the backup folder as it stands once the job is over.
                    self.desk.wait_for_backup();
                    self.send(m);
                }
                Effect::Focus(id) => self.focused = Some(id),
                Effect::Scroll(id, y) => self.scrolled = Some((id, y)),
                Effect::Sync => self.sync_requests += 1,
            }
        }
    }
}
