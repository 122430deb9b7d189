//! Work that touches the store, as data: a screen returns a `Job`, the application
//! runs it off the UI thread (a blocking task), and tests run it in place.

use std::fmt;

use crate::store::Store;

/// A unit of store work that ends in a message for the screen that asked for it.
pub struct Job<M>(Box<dyn FnOnce(&mut Store) -> M + Send>);

impl<M: 'static> Job<M> {
    pub fn new(f: impl FnOnce(&mut Store) -> M + Send + 'static) -> Job<M> {
        Job(Box::new(f))
    }

    pub fn map<N>(self, f: impl FnOnce(M) -> N + Send + 'static) -> Job<N> {
        let inner = self.0;
        Job(Box::new(move |store| f(inner(store))))
    }

    pub fn run(self, store: &mut Store) -> M {
        (self.0)(store)
    }
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
    /// Run store work; its result comes back as a message.
    Run(Job<M>),
    /// Move keyboard focus to the widget with this id.
    Focus(&'static str),
    /// Something the application (not the screen) acts on.
    Up(Up),
    Many(Vec<Action<M>>),
}

/// Events a screen reports upwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Up {
    /// Show this dossier on the detail screen.
    OpenDossier(String),
    /// A dossier was written: lists and the dashboard should refresh.
    DossierChanged(String),
    /// The settings changed: reload the session's copy.
    SettingsChanged,
    /// Run a sync round with the centre now.
    Sync,
}

impl<M: 'static> Action<M> {
    pub fn run(f: impl FnOnce(&mut Store) -> M + Send + 'static) -> Action<M> {
        Action::Run(Job::new(f))
    }

    pub fn map<N: 'static>(self, f: impl Fn(M) -> N + Send + Sync + Clone + 'static) -> Action<N> {
        match self {
            Action::None => Action::None,
            Action::Run(job) => Action::Run(job.map(f)),
            Action::Focus(id) => Action::Focus(id),
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
