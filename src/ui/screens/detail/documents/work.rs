//! The panel's work, each a job off the UI thread: import, scan, the scan folder,
//! open, print, detach; and the thumbnails of a stored file.

use std::path::PathBuf;

use iced::widget::image::Handle;

use crate::desk::Desk;
use crate::desk::attach::{AttachError, PrintDocumentError, Source};
use crate::desk::settings::DocumentSettings;
use crate::domain::document::Sha256Hex;
use crate::domain::dossier::{AttachedDocument, DossierState};
use crate::ui::job::{Action, Job};
use crate::ui::screens::detail::viewer;
use crate::ui::session::Session;
use crate::ui::strings as s;

use super::{Busy, DETACH_REASON, Docs, Message, THUMB_PAGES, THUMB_SIDE, document_file_fetched};

impl Docs {
    pub(super) fn settings(&self) -> DocumentSettings {
        self.settings.clone().unwrap_or_default()
    }

    /// Starts `work` unless something already runs.
    pub(super) fn start(
        &mut self,
        busy: Busy,
        work: impl FnOnce(&Desk) -> Result<String, String> + Send + 'static,
    ) -> Action<Message> {
        if self.busy.is_some() {
            return Action::None;
        }
        self.busy = Some(busy);
        self.note = None;
        Action::Run(
            Job::new(move |desk: &Desk| {
                let r = work(desk);
                let changed = r.is_ok();
                Message::Done(r, changed)
            })
            .recover(|e| Message::Done(Err(e), false)),
        )
    }

    pub(super) fn import(
        &mut self,
        code: &str,
        item: String,
        paths: Vec<PathBuf>,
        session: &Session,
    ) -> Action<Message> {
        let (code, clerk) = (code.to_string(), session.clerk.full_name.clone());
        self.start(Busy::Importing, move |desk| {
            let source = Source::Files {
                paths: &paths,
                name: None,
            };
            attach(desk, &code, &item, source, &clerk)
        })
    }

    pub(super) fn scan(
        &mut self,
        code: &str,
        item: String,
        feeder: bool,
        session: &Session,
    ) -> Action<Message> {
        let (code, clerk) = (code.to_string(), session.clerk.full_name.clone());
        let cancel = self.cancel.clone();
        if self.busy.is_none() {
            cancel.store(false, std::sync::atomic::Ordering::Relaxed);
        }
        self.start(Busy::Scanning, move |desk| {
            // The glass gives one page; the feeder every page it holds, in order.
            let source = Source::Scanner {
                feeder,
                name: None,
                cancel: &cancel,
            };
            attach(desk, &code, &item, source, &clerk)
        })
    }

    pub(super) fn take_newest_scan(
        &mut self,
        code: &str,
        item: String,
        session: &Session,
    ) -> Action<Message> {
        if self.settings().scan_folder.is_none() {
            self.note = Some(Err(s::DOCS_NO_SCAN_FOLDER.to_string()));
            return Action::None;
        }
        let (code, clerk) = (code.to_string(), session.clerk.full_name.clone());
        self.start(Busy::Importing, move |desk| {
            attach(desk, &code, &item, Source::NewestScan, &clerk)
        })
    }

    pub(super) fn open(&mut self, d: Option<&DossierState>, sha: Sha256Hex) -> Action<Message> {
        let Some(doc) = find(d, &sha) else {
            return Action::None;
        };
        let name = doc.file.name.clone();
        let job = self.start(Busy::Working, move |desk| {
            let path = document_file_fetched(desk, &sha).map_err(|e| s::docs_cannot_open(&e))?;
            let copy = viewer::copy_for_viewing(&path, &name, &sha)
                .map_err(|e| s::docs_cannot_open(&e.to_string()))?;
            viewer::open_in_viewer(&copy).map_err(|e| s::docs_cannot_open(&e))?;
            Ok(s::docs_opened(&name))
        });
        unchanged(job)
    }

    pub(super) fn print(
        &mut self,
        d: Option<&DossierState>,
        sha: Sha256Hex,
        session: &Session,
    ) -> Action<Message> {
        let Some(doc) = find(d, &sha) else {
            return Action::None;
        };
        let name = doc.file.name.clone();
        let file = doc.file.clone();
        let printer = session.settings.printer.clone();
        let job = self.start(Busy::Working, move |desk| {
            let printer = printer.ok_or_else(|| s::DOCS_NO_PRINTER.to_string())?;
            match desk.print_document(&file, &printer) {
                Ok(job) => Ok(s::docs_printed(&name, &printer, &job.id)),
                Err(PrintDocumentError::Fetch(e)) => {
                    Err(s::docs_not_printed(&s::docs_not_fetched(&e)))
                }
                Err(PrintDocumentError::Printer(e)) => Err(s::docs_not_printed(&e)),
            }
        });
        unchanged(job)
    }

    pub(super) fn confirm_detach(
        &mut self,
        code: &str,
        d: Option<&DossierState>,
        session: &Session,
    ) -> Action<Message> {
        let Some((sha, reason)) = self.detach.clone() else {
            return Action::None;
        };
        if reason.trim().is_empty() {
            self.detach_error = Some(s::DOCS_DETACH_NO_REASON.to_string());
            return Action::Focus(DETACH_REASON);
        }
        let name = find(d, &sha)
            .map(|x| x.file.name.clone())
            .unwrap_or_default();
        let (code, clerk) = (code.to_string(), session.clerk.full_name.clone());
        self.start(Busy::Working, move |desk| {
            desk.detach(&code, &sha, &reason, &clerk)
                .map(|_| s::docs_detached(&name))
                .map_err(|e| e.to_string())
        })
    }
}

fn find<'a>(d: Option<&'a DossierState>, sha: &Sha256Hex) -> Option<&'a AttachedDocument> {
    d?.documents.iter().find(|x| x.file.sha256 == *sha)
}

/// Opening or printing changes nothing in the dossier.
fn unchanged(a: Action<Message>) -> Action<Message> {
    a.map(|m| match m {
        Message::Done(r, _) => Message::Done(r, false),
        other => other,
    })
}

fn attach(
    desk: &Desk,
    code: &str,
    item: &str,
    source: Source<'_>,
    clerk: &str,
) -> Result<String, String> {
    match desk.attach_from(code, item, source, clerk) {
        Ok((written, sha)) => {
            let name = written
                .state
                .documents
                .iter()
                .find(|d| d.file.sha256 == sha)
                .map(|d| d.file.name.clone())
                .unwrap_or_default();
            Ok(s::docs_attached(&name, item))
        }
        Err(AttachError::NoScanFolder) => Err(s::DOCS_NO_SCAN_FOLDER.to_string()),
        Err(AttachError::ScanFolderEmpty) => Err(s::DOCS_SCAN_FOLDER_EMPTY.to_string()),
        Err(e) => Err(s::docs_not_attached(&e.to_string())),
    }
}

/// Thumbnails of the stored file `sha`, made off the UI thread.
pub(super) fn thumbs_job(sha: Sha256Hex) -> Action<Message> {
    let for_recover = sha.clone();
    Action::Run(
        Job::new(move |desk: &Desk| {
            let made = desk
                .document_path(&sha)
                .ok_or_else(|| s::DOCS_NOT_LOCAL.to_string())
                .and_then(|_| desk.thumbnails(&sha, THUMB_SIDE, THUMB_PAGES))
                .map(|pages| {
                    pages
                        .into_iter()
                        .map(|t| Handle::from_rgba(t.width, t.height, t.rgba))
                        .collect()
                });
            Message::Thumbs(sha, made)
        })
        .recover(move |e| Message::Thumbs(for_recover, Err(e))),
    )
}
