//! Forms of stored dossiers: gathered from the store while it is held, then laid
//! out, saved and sent to the printer after it is released — a slow or stuck
//! printer (`lp`, `lpstat`) never holds up another store action.

use std::path::{Path, PathBuf};

use crate::desk::Desk;
use crate::desk::settings::{self, SETTING_UNIT_PHONE};
use crate::domain::dossier::DossierState;
use crate::print::forms::receipt::BookEntry;
use crate::print::job::{self, Built, DossierForm, FormData, Outcome};
use crate::print::{Paper, PrintError, cups};
use crate::store::paths::DataPaths;
use crate::store::{Result, Store, StoreError};

/// Where and how a form goes to paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRequest {
    /// The CUPS queue; `None` only saves the PDF.
    pub printer: Option<String>,
    pub paper: Paper,
}

/// What became of one form: the PDF is kept even when the printer failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub form: DossierForm,
    pub pdf: Option<PathBuf>,
    /// The printer and its job, when the form was sent to one.
    pub job: Option<(String, cups::Job)>,
    pub error: Option<String>,
}

/// A form laid out while the store was held, waiting to be rendered and printed.
#[derive(Debug)]
pub(crate) struct Prepared {
    form: DossierForm,
    built: Built,
    path: PathBuf,
}

/// Reads what `form` of `code` prints (the store is held by the caller).
pub fn gather(store: &Store, code: &str, form: DossierForm) -> Result<FormData> {
    let state = store.dossier(code)?;
    let book = match form {
        // The numbers given at intake, as stored: a reprint prints the same ones.
        DossierForm::M01 => Some(BookEntry {
            receipt: state.numbers.receipt,
            book: state.numbers.volume_vi(state.book_year()),
            seq: state.numbers.seq,
        }),
        _ => None,
    };
    let deciding = deciding_unit_name(store, &state)?;
    Ok(FormData {
        unit: store.unit()?,
        events: store.timeline(code)?,
        state,
        book,
        tracking_url: settings::tracking_url(store)?,
        public_base: settings::centre_public_url(store)?,
        unit_phone: store.setting(SETTING_UNIT_PHONE)?.unwrap_or_default(),
        signer_title: settings::signer_title(store)?,
        deciding_unit: deciding,
    })
}

/// The deciding unit of a cross-commune dossier as "name (code)", named from the
/// province's list kept offline; `None` when ordinary or not on the list.
fn deciding_unit_name(store: &Store, state: &DossierState) -> Result<Option<String>> {
    let Some(unit) = &state.deciding_unit else {
        return Ok(None);
    };
    let lists = store.province_lists()?;
    Ok(lists
        .unit_name(unit.as_str())
        .map(|name| format!("{name} ({unit})")))
}

/// Lays out `form` of `code` and picks its file (the store is held by the caller).
pub(crate) fn prepare(
    store: &Store,
    code: &str,
    form: DossierForm,
    paper: Paper,
) -> std::result::Result<Prepared, String> {
    let data = gather(store, code, form).map_err(|e| e.to_string())?;
    let built = job::build(&data, form, paper).map_err(|e| e.to_string())?;
    let path = default_path(store.paths(), &built.file_name).map_err(|e| e.to_string())?;
    Ok(Prepared { form, built, path })
}

/// Renders, saves and prints a prepared form. Must run with the store released.
pub(crate) fn output(
    prepared: std::result::Result<Prepared, String>,
    form: DossierForm,
    printer: Option<&str>,
) -> Printed {
    let mut out = Printed {
        form,
        pdf: None,
        job: None,
        error: None,
    };
    let p = match prepared {
        Ok(p) => p,
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    };
    out.form = p.form;
    match job::save_and_print(&p.built, &p.path, printer, 1) {
        Ok(o) => {
            out.pdf = Some(o.pdf);
            out.job = printer.map(str::to_string).zip(o.job);
        }
        Err(e) => {
            // The PDF is written before the printer is asked.
            if p.path.exists() {
                out.pdf = Some(p.path.clone());
            }
            out.error = Some(e.to_string());
        }
    }
    out
}

/// Where a printed form is kept when no file was named: the data directory's
/// `prints` folder, owner-only like the rest.
pub fn default_path(
    paths: &DataPaths,
    file_name: &str,
) -> std::result::Result<PathBuf, PrintError> {
    let dir = &paths.prints;
    std::fs::create_dir_all(dir)
        .map_err(|e| PrintError::Input(format!("không tạo được thư mục {}: {e}", dir.display())))?;
    crate::store::paths::set_mode(dir, 0o700)
        .map_err(|e: StoreError| PrintError::Input(e.to_string()))?;
    Ok(dir.join(file_name))
}

/// A form to lay out from the store: one dossier's (Mẫu 01–06) or the book (Mẫu 07).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRequest {
    Dossier {
        code: String,
        form: DossierForm,
        /// `None`: the paper chosen in the settings.
        paper: Option<Paper>,
    },
    Book(crate::desk::book::BookRequest),
}

impl Desk {
    /// Lays out a form while the store is held, so that it can be rendered, saved and
    /// printed (`print_built`) after the store is released.
    pub fn lay_out(&self, request: &FormRequest) -> std::result::Result<Built, PrintError> {
        let today = crate::domain::clock::to_wall(crate::domain::clock::now_vn()).date();
        self.with_store(|store| match request {
            FormRequest::Book(book) => crate::desk::book::build(store, book, today)
                .map_err(|e| PrintError::Input(e.to_string())),
            FormRequest::Dossier { code, form, paper } => {
                let paper = match paper {
                    Some(p) => *p,
                    None => settings::paper(store).map_err(|e| PrintError::Input(e.to_string()))?,
                };
                let data =
                    gather(store, code, *form).map_err(|e| PrintError::Input(e.to_string()))?;
                job::build(&data, *form, paper)
            }
        })
    }

    /// Prints `form` of the stored dossier `code` again.
    pub fn reprint(&self, code: &str, form: DossierForm, request: &PrintRequest) -> Printed {
        let prepared = self.with_store(|store| prepare(store, code, form, request.paper));
        output(prepared, form, request.printer.as_deref())
    }

    /// Saves (to `path`, or the prints folder) and prints a form laid out by the
    /// caller, e.g. a notice for a dossier not taken in, or the tracking book.
    pub fn print_built(
        &self,
        built: &Built,
        path: Option<&Path>,
        printer: Option<&str>,
        copies: u32,
    ) -> std::result::Result<Outcome, PrintError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => default_path(&self.paths, &built.file_name)?,
        };
        job::save_and_print(built, &path, printer, copies)
    }
}
