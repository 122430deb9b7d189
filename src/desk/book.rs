//! Mẫu 07 (Sổ theo dõi hồ sơ) for a period: one use case for the window (F3) and the
//! command line (`motcua print --form 07`). Laid out while the store is held, saved
//! and printed after it is released.

use chrono::NaiveDate;

use crate::desk::Desk;
use crate::desk::forms::PrintRequest;
use crate::domain::clock::{now_vn, to_wall};
use crate::domain::text;
use crate::print::fill;
use crate::print::forms::book::{self, BookInput, BookRow};
use crate::print::job::{Built, Outcome};
use crate::store::{Result, Store};

/// Which book to print: the dossiers received from `from` to `to`, of the lĩnh vực
/// named (all, one book per lĩnh vực, when none is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub fields: Vec<String>,
}

/// The lines of the book for `request`, each with the numbers given at intake.
pub fn rows(store: &Store, request: &BookRequest) -> Result<Vec<BookRow>> {
    let mut rows = Vec::new();
    for code in store.received_between(request.from, request.to)? {
        let state = store.dossier(&code)?;
        rows.push(fill::book_row(&state, &store.timeline(&code)?));
    }
    Ok(rows)
}

/// Lays out the book for `request`, printed on `date` (the store is held by the caller).
pub fn build(store: &Store, request: &BookRequest, date: NaiveDate) -> Result<Built> {
    let unit = store.unit()?;
    let (from, to) = (request.from, request.to);
    let rows = rows(store, request)?;
    let issuer = fill::issuer(&unit);
    let mut books = if request.fields.is_empty() {
        book::by_field(&issuer, from, to, date, rows)
    } else {
        let wanted: Vec<String> = request.fields.iter().map(|f| text::fold(f)).collect();
        let fields: Vec<String> = request
            .fields
            .iter()
            .map(|f| f.trim().to_string())
            .collect();
        let rows = rows
            .into_iter()
            .filter(|r| wanted.contains(&text::fold(&r.field)))
            .collect();
        let books = book::by_volume(&issuer, from, to, date, fields.clone(), rows);
        if books.is_empty() {
            vec![empty(&issuer, request, date, fields)]
        } else {
            books
        }
    };
    if books.is_empty() {
        // An empty period still prints its (empty) book.
        books.push(empty(&issuer, request, date, vec![]));
    }
    Ok(Built {
        pages: books.iter().flat_map(book::pages).collect(),
        title: format!("Sổ theo dõi hồ sơ {from} – {to}"),
        file_name: format!("so-theo-doi-{from}-{to}.pdf"),
    })
}

fn empty(
    issuer: &crate::print::forms::Issuer,
    request: &BookRequest,
    date: NaiveDate,
    fields: Vec<String>,
) -> BookInput {
    BookInput {
        issuer: issuer.clone(),
        from: request.from,
        to: request.to,
        date,
        fields,
        volume: String::new(),
        rows: vec![],
    }
}

impl Desk {
    /// Lays out Mẫu 07 for `request` (printed today) while holding the store.
    pub fn book(&self, request: &BookRequest) -> Result<Built> {
        let today = to_wall(now_vn()).date();
        self.with_store(|store| build(store, request, today))
    }

    /// Saves (to the prints folder) and prints Mẫu 07 for `request`.
    pub fn print_book(
        &self,
        request: &BookRequest,
        print: &PrintRequest,
    ) -> std::result::Result<Outcome, String> {
        let built = self.book(request).map_err(|e| e.to_string())?;
        self.print_built(&built, None, print.printer.as_deref(), 1)
            .map_err(|e| e.to_string())
    }
}
