//! The detail screen's documents panel: per checklist item of the dossier (and «Giấy
//! tờ khác», «Kết quả giải quyết») the files attached, with page thumbnails made off
//! the UI thread and kept by hash (a stored file never changes); scanning, choosing
//! files, taking the newest file of the scan folder, opening, printing and detaching.
//! Every piece of work is a job; a refusal (bad file, scanner, store) is shown in
//! Vietnamese and nothing is attached.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::image::Handle;

use crate::desk::Desk;
use crate::desk::settings::DocumentSettings;
use crate::domain::document::Sha256Hex;
use crate::domain::dossier::DossierState;
use crate::ui::job::{Action, Job};
use crate::ui::screens::file_chooser::{self, Chooser, Outcome};
use crate::ui::session::Session;
use crate::ui::strings as s;

#[cfg(test)]
mod tests;
mod view;
mod work;

pub use view::thumb_id;
use work::thumbs_job;

/// The detach reason's field id.
pub const DETACH_REASON: &str = "docs-detach-reason";
/// Longer side of a page thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 120;
/// Pages drawn per document (the rest are counted).
pub const THUMB_PAGES: usize = 4;
/// Documents whose thumbnails are kept (about 0.3 MB each); past it the cache starts over.
pub const THUMB_CACHE: usize = 200;

/// What runs in the background, said on the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Scanning,
    Importing,
    Working,
}

/// The thumbnails of one stored file.
pub type Thumbs = Result<Vec<Handle>, String>;

#[derive(Debug, Clone)]
pub enum Message {
    Settings(Result<Box<DocumentSettings>, String>),
    /// The files of this dossier not yet sent to the centre, and those on this desk.
    Marks(Box<(HashSet<Sha256Hex>, HashSet<Sha256Hex>)>),
    Select(usize),
    /// Scan into the item: from the glass (one page), or the whole feeder when set.
    Scan(String, bool),
    Choose(String),
    FromFolder(String),
    Chooser(file_chooser::Message),
    /// Work on one item ended: the note, and whether the dossier changed.
    Done(Result<String, String>, bool),
    Thumbs(Sha256Hex, Thumbs),
    Open(Sha256Hex),
    Print(Sha256Hex),
    Detach(Sha256Hex),
    Reason(String),
    ConfirmDetach,
    CancelDetach,
    /// Esc or the button while scanning: the scanner stops, nothing is attached.
    StopScan,
}

/// One line of the panel a cursor can stand on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Item(String),
    File(String, Sha256Hex),
}

#[derive(Debug, Default)]
pub struct Docs {
    settings: Option<DocumentSettings>,
    /// The folder the chooser last opened (kept from one dossier to the next).
    last_folder: Option<PathBuf>,
    chooser: Option<(String, Chooser)>,
    busy: Option<Busy>,
    note: Option<Result<String, String>>,
    /// Made once per stored file, kept for the session.
    thumbs: HashMap<Sha256Hex, Thumbs>,
    asked: HashSet<Sha256Hex>,
    unsent: HashSet<Sha256Hex>,
    local: HashSet<Sha256Hex>,
    detach: Option<(Sha256Hex, String)>,
    detach_error: Option<String>,
    cursor: usize,
    cancel: Arc<AtomicBool>,
}

/// The checklist items: the dossier's listed papers, then «Giấy tờ khác» and «Kết quả
/// giải quyết», then any item a file names that is none of these.
pub fn items(d: &DossierState) -> Vec<String> {
    let mut out: Vec<String> = d.content.documents.iter().map(|x| x.name.clone()).collect();
    for extra in [s::DOCS_OTHER, s::DOCS_RESULT] {
        if !out.iter().any(|i| i == extra) {
            out.push(extra.to_string());
        }
    }
    for doc in &d.documents {
        if !out.contains(&doc.item) {
            out.push(doc.item.clone());
        }
    }
    out
}

/// The lines of the panel in order: each item, then its files.
pub fn lines(d: &DossierState) -> Vec<Line> {
    let mut out = Vec::new();
    for item in items(d) {
        out.push(Line::Item(item.clone()));
        for doc in d.documents.iter().filter(|x| x.item == item) {
            out.push(Line::File(item.clone(), doc.file.sha256.clone()));
        }
    }
    out
}

/// Where the stored file `sha` is, for opening and printing. The one place that asks
/// (fetch-on-demand from the centre replaces it at merge).
pub fn document_file(desk: &Desk, sha: &Sha256Hex) -> Result<PathBuf, String> {
    desk.document_path(sha)
        .ok_or_else(|| s::DOCS_NOT_LOCAL.to_string())
}

/// The stored file `sha` for opening or printing: this desk's copy, else fetched from
/// the centre now (only when the clerk asks for it, never eagerly). Runs on a job's
/// thread, so the fetch gets a small runtime of its own; the store is not held.
pub fn document_file_fetched(desk: &Desk, sha: &Sha256Hex) -> Result<PathBuf, String> {
    desk.open_document_blocking(sha)
        .map_err(|e| s::docs_not_fetched(&e.to_string()))
}

pub use crate::desk::attach::scan_name;

impl Docs {
    /// The panel for another dossier: the chooser's folder and the thumbnails stay.
    pub fn for_next_dossier(self) -> Docs {
        Docs {
            last_folder: self.last_folder,
            thumbs: self.thumbs,
            asked: self.asked,
            settings: self.settings,
            ..Docs::default()
        }
    }

    pub fn note(&self) -> Option<&Result<String, String>> {
        self.note.as_ref()
    }

    pub fn busy(&self) -> Option<Busy> {
        self.busy
    }

    /// The item the chooser was opened for.
    pub fn chooser_item(&self) -> Option<&str> {
        self.chooser.as_ref().map(|(i, _)| i.as_str())
    }

    pub fn chooser(&self) -> Option<&Chooser> {
        self.chooser.as_ref().map(|(_, c)| c)
    }

    pub fn thumbs(&self, sha: &Sha256Hex) -> Option<&Thumbs> {
        self.thumbs.get(sha)
    }

    pub fn is_unsent(&self, sha: &Sha256Hex) -> bool {
        self.unsent.contains(sha)
    }

    pub fn is_local(&self, sha: &Sha256Hex) -> bool {
        self.local.contains(sha)
    }

    pub fn detaching(&self) -> Option<&(Sha256Hex, String)> {
        self.detach.as_ref()
    }

    pub fn detach_error(&self) -> Option<&str> {
        self.detach_error.as_deref()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// After the dossier (re)loaded: the settings, the sync marks and the thumbnails
    /// not made yet.
    pub fn loaded(&mut self, d: &DossierState) -> Action<Message> {
        let mut out = vec![Action::desk(|desk| {
            Message::Settings(
                desk.document_settings()
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            )
        })];
        let shas: Vec<Sha256Hex> = d.documents.iter().map(|x| x.file.sha256.clone()).collect();
        out.push(Action::Run(Job::new(move |desk: &Desk| {
            let unsent = desk
                .files_to_upload(100_000)
                .map(|v| v.into_iter().map(|p| p.sha256).collect::<HashSet<_>>())
                .unwrap_or_default();
            let local = shas
                .iter()
                .filter(|sha| desk.document_path(sha).is_some())
                .cloned()
                .collect();
            Message::Marks(Box::new((unsent, local)))
        })));
        for doc in &d.documents {
            let sha = doc.file.sha256.clone();
            if self.asked.insert(sha.clone()) {
                out.push(thumbs_job(sha));
            }
        }
        let n = lines(d).len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
        Action::Many(out)
    }

    /// The message a key means on the panel (`None`: not the panel's key).
    pub fn key(&self, key: &Key, m: Modifiers, free: bool, d: &DossierState) -> Option<Message> {
        if let Some((_, c)) = &self.chooser {
            return c.key(key, m, free).map(Message::Chooser);
        }
        if self.busy == Some(Busy::Scanning) {
            return matches!(key, Key::Named(Named::Escape)).then_some(Message::StopScan);
        }
        if self.detach.is_some() {
            return matches!(key, Key::Named(Named::Escape)).then_some(Message::CancelDetach);
        }
        if !free || m.command() || m.alt() {
            return None;
        }
        let all = lines(d);
        let here = all.get(self.cursor)?;
        let (item, file) = match here {
            Line::Item(i) => (i.clone(), None),
            Line::File(i, sha) => (i.clone(), Some(sha.clone())),
        };
        match key {
            Key::Named(Named::ArrowUp) => Some(Message::Select(self.cursor.saturating_sub(1))),
            Key::Named(Named::ArrowDown) => Some(Message::Select(self.cursor + 1)),
            Key::Character(c) => match (c.as_str(), file) {
                ("q", _) => Some(Message::Scan(item, false)),
                ("n", _) => Some(Message::Scan(item, true)),
                ("c", _) => Some(Message::Choose(item)),
                ("t", _) => Some(Message::FromFolder(item)),
                ("m", Some(sha)) => Some(Message::Open(sha)),
                ("i", Some(sha)) => Some(Message::Print(sha)),
                ("g", Some(sha)) => Some(Message::Detach(sha)),
                _ => None,
            },
            Key::Named(Named::Enter) => match file {
                Some(sha) => Some(Message::Open(sha)),
                None => Some(Message::Choose(item)),
            },
            _ => None,
        }
    }

    /// Changes state for `message`; the flag says the dossier changed (reload it).
    pub fn update(
        &mut self,
        message: Message,
        code: &str,
        d: Option<&DossierState>,
        session: &Session,
    ) -> (Action<Message>, bool) {
        let none = (Action::None, false);
        match message {
            Message::Settings(Ok(settings)) => self.settings = Some(*settings),
            Message::Settings(Err(e)) => self.note = Some(Err(e)),
            Message::Marks(m) => (self.unsent, self.local) = *m,
            Message::Select(i) => {
                let n = d.map(|d| lines(d).len()).unwrap_or(0);
                self.cursor = i.min(n.saturating_sub(1));
                // Roughly where the line is: keeps it in view as the cursor walks.
                let y = self.cursor as f32 / n.saturating_sub(1).max(1) as f32;
                return (Action::Scroll(super::LEFT, y), false);
            }
            Message::Choose(item) => {
                let chooser = Chooser::open(self.last_folder.as_deref());
                self.chooser = Some((item, chooser));
                self.note = None;
                // A path can be typed at once; ↑ ↓ and Enter work from the field too.
                return (Action::Focus(file_chooser::PATH_FIELD), false);
            }
            Message::Chooser(m) => {
                let Some((item, c)) = &mut self.chooser else {
                    return none;
                };
                match c.update(m) {
                    Outcome::Stay => {}
                    Outcome::Cancelled => self.chooser = None,
                    Outcome::Chosen(paths) => {
                        self.last_folder = Some(c.dir().to_path_buf());
                        let item = item.clone();
                        self.chooser = None;
                        return (self.import(code, item, paths, session), false);
                    }
                }
            }
            Message::Scan(item, feeder) => {
                return (self.scan(code, item, feeder, session), false);
            }
            Message::FromFolder(item) => {
                return (self.take_newest_scan(code, item, session), false);
            }
            Message::Done(result, changed) => {
                self.busy = None;
                self.note = Some(result);
                if changed {
                    self.detach = None;
                    self.detach_error = None;
                }
                return (Action::None, changed);
            }
            Message::Thumbs(sha, t) => {
                // A file not here yet (or unreadable) is tried again at the next load.
                if t.is_err() {
                    self.asked.remove(&sha);
                }
                if self.thumbs.len() >= THUMB_CACHE {
                    // Bounded memory over a long day: the open dossier's are made again.
                    self.thumbs.clear();
                    self.asked.clear();
                    self.asked.insert(sha.clone());
                }
                self.thumbs.insert(sha, t);
            }
            Message::Open(sha) => return (self.open(d, sha), false),
            Message::Print(sha) => return (self.print(d, sha, session), false),
            Message::Detach(sha) => {
                self.detach = Some((sha, String::new()));
                self.detach_error = None;
                return (Action::Focus(DETACH_REASON), false);
            }
            Message::Reason(r) => {
                if let Some((_, reason)) = &mut self.detach {
                    *reason = r;
                }
            }
            Message::ConfirmDetach => return (self.confirm_detach(code, d, session), false),
            Message::CancelDetach => {
                self.detach = None;
                self.detach_error = None;
            }
            Message::StopScan => {
                self.cancel
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        none
    }
}
