//! Work that touches the desk, as data: a screen returns a `Job`, the application
//! runs it off the UI thread (a blocking task), and tests run it in place. A job
//! that panics becomes its `recover` message (or a plain error for the application),
//! so the screen that asked never stays waiting.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::desk::Desk;

type Recover<M> = Box<dyn FnOnce(String) -> M + Send>;

/// A unit of desk work that ends in a message for the screen that asked for it.
pub struct Job<M> {
    run: Box<dyn FnOnce(&Desk) -> M + Send>,
    recover: Option<Recover<M>>,
}

impl<M: 'static> Job<M> {
    /// Desk work: a use case (which releases the store before printing or the network).
    pub fn new(f: impl FnOnce(&Desk) -> M + Send + 'static) -> Job<M> {
        Job {
            run: Box::new(f),
            recover: None,
        }
    }

    /// The message the screen gets if the work panics (the text says so plainly).
    pub fn recover(mut self, f: impl FnOnce(String) -> M + Send + 'static) -> Job<M> {
        self.recover = Some(Box::new(f));
        self
    }

    pub fn map<N: 'static>(self, f: impl Fn(M) -> N + Send + Sync + Clone + 'static) -> Job<N> {
        let (run, recover) = (self.run, self.recover);
        let g = f.clone();
        Job {
            run: Box::new(move |desk| f(run(desk))),
            recover: recover.map(|r| Box::new(move |e| g(r(e))) as Recover<N>),
        }
    }

    /// The same job whose work panics (for tests of the recovery path).
    #[doc(hidden)]
    pub fn sabotaged(self) -> Job<M> {
        Job {
            run: Box::new(|_| panic!("a job made to panic by a test")),
            recover: self.recover,
        }
    }

    /// Runs the work; a panic becomes the recovery message, if the job has one, or
    /// the plain text for the application to show.
    pub fn run(self, desk: &Desk) -> Ran<M> {
        let Job { run, recover } = self;
        match catch_unwind(AssertUnwindSafe(|| run(desk))) {
            Ok(m) => Ran::Message(m),
            Err(_) => {
                let text = crate::ui::strings::JOB_PANICKED.to_string();
                match recover {
                    Some(r) => Ran::Message(r(text)),
                    None => Ran::Panicked(text),
                }
            }
        }
    }
}

/// How a job ended.
#[derive(Debug)]
pub enum Ran<M> {
    /// Its message (the recovery message if it panicked and had one).
    Message(M),
    /// It panicked and nobody waits for it: the plain words to show.
    Panicked(String),
}

impl<M> fmt::Debug for Job<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Job")
    }
}

/// What a screen's `update` asks of the application besides changing its own state.
#[derive(Debug)]
pub enum Action<M> {
    None,
    /// Run desk work; its result comes back as a message.
    Run(Job<M>),
    /// Move keyboard focus to the widget with this id.
    Focus(&'static str),
    /// Scroll the scrollable with this id to a relative height (0 top, 1 bottom), so
    /// a cursor moved by the keyboard stays in view.
    Scroll(&'static str, f32),
    /// Something the application (not the screen) acts on.
    Up(Up),
    Many(Vec<Action<M>>),
}

/// Events a screen reports upwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Up {
    /// Show this dossier on the detail screen.
    OpenDossier(String),
    /// Show this dossier's digitised documents (after intake, to scan its papers).
    OpenDocuments(String),
    /// A dossier was written: lists, the open dossier and the status refresh.
    DossierChanged(String),
    /// A result was handed back: it refreshes like `DossierChanged`, and the facing
    /// screen asks the citizen to rate.
    Returned(String),
    /// A use case changed desk data: every screen showing it refreshes.
    Changed(crate::desk::Changed),
    /// The settings changed: reload the session's copy.
    SettingsChanged,
    /// Run a sync round with the centre now.
    Sync,
}

impl<M: 'static> Action<M> {
    /// The message the screen gets if this work panics (see `Job::recover`).
    pub fn recover(self, f: impl FnOnce(String) -> M + Send + 'static) -> Action<M> {
        match self {
            Action::Run(job) => Action::Run(job.recover(f)),
            other => other,
        }
    }

    /// A desk use case.
    pub fn desk(f: impl FnOnce(&Desk) -> M + Send + 'static) -> Action<M> {
        Action::Run(Job::new(f))
    }

    pub fn map<N: 'static>(self, f: impl Fn(M) -> N + Send + Sync + Clone + 'static) -> Action<N> {
        match self {
            Action::None => Action::None,
            Action::Run(job) => Action::Run(job.map(f)),
            Action::Focus(id) => Action::Focus(id),
            Action::Scroll(id, y) => Action::Scroll(id, y),
            Action::Up(up) => Action::Up(up),
            Action::Many(all) => Action::Many(all.into_iter().map(|a| a.map(f.clone())).collect()),
        }
    }

    /// Flattens into a list, for the application to act on in order.
    pub fn into_list(self) -> Vec<Action<M>> {
        match self {
            Action::None => Vec::new(),
            Action::Many(all) => all.into_iter().flat_map(Action::into_list).collect(),
            one => vec![one],
        }
    }
}
