//! Hồ sơ (F3): search as you type over code, name, ID number and phone (folded, so
//! "nguyen thi" finds "Nguyễn Thị"), filters, and a newest-first table read a page at
//! a time from `Desk::list_dossiers`. Enter or a click opens the detail.

use chrono::NaiveDate;
use iced::widget::{Column, button, checkbox, column, container, pick_list, row, scrollable, text};
use iced::{Element, Fill};

use crate::desk::book::BookRequest;
use crate::desk::forms::PrintRequest;
use crate::desk::{Cursor, DueFilter, ListFilter, ListPage, ListRow, SyncMark};
use crate::domain::clock::{now_vn, to_wall};
use crate::domain::status::Status;
use crate::domain::urgency::Urgency;
use crate::ui::job::{Action, Up};
use crate::ui::session::Session;
use crate::ui::{strings as s, theme, widgets};

pub const SEARCH: &str = "dossiers-search";
pub const FROM: &str = "dossiers-from";
pub const TO: &str = "dossiers-to";
/// Rows per page.
pub const PAGE: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChoice(pub Option<Status>);

impl std::fmt::Display for StatusChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.map_or(s::FILTER_ALL, Status::label_vi))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureChoice {
    pub code: Option<String>,
    pub label: String,
}

impl std::fmt::Display for ProcedureChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Query(String),
    /// Enter in the search box: open the first row.
    Submit,
    Status(StatusChoice),
    Procedure(ProcedureChoice),
    From(String),
    To(String),
    DueSoon(bool),
    Overdue(bool),
    ClearFilters,
    More,
    Found {
        seq: u64,
        append: bool,
        result: Result<ListPage, String>,
    },
    Open(String),
    /// In sổ theo dõi hồ sơ (Mẫu 07) for the period of the date filters.
    PrintBook,
    /// Where the book's PDF went, or why it did not.
    BookPrinted(Result<String, String>),
}

#[derive(Debug, Default)]
pub struct State {
    query: String,
    status: Option<Status>,
    procedure: Option<String>,
    from: String,
    to: String,
    due: DueFilter,
    /// The newest search asked for; results of older ones are dropped.
    seq: u64,
    searching: bool,
    rows: Vec<ListRow>,
    next: Option<Cursor>,
    /// The last word was too short a start to search as one (see `ListPage`).
    broad_prefix: Option<String>,
    problem: Option<String>,
    /// The last Mẫu 07 printed from here: where it went, or why not.
    book: Option<Result<String, String>>,
}

fn parse_day(raw: &str) -> Result<Option<NaiveDate>, ()> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%d/%m/%Y")
        .map(Some)
        .map_err(|_| ())
}

/// `2026-11-27T09:30:00+07:00` → `27/11/2026 09:30`.
fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| to_wall(t).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

impl State {
    pub fn rows(&self) -> &[ListRow] {
        &self.rows
    }

    pub fn has_more(&self) -> bool {
        self.next.is_some()
    }

    pub fn on_show(&mut self, _session: &Session) -> Action<Message> {
        Action::Many(vec![self.search(false), Action::Focus(SEARCH)])
    }

    /// Searches again when dossiers changed elsewhere (taken in, recorded, or pulled
    /// from the centre), so the open list never shows a stale status.
    pub fn refresh(&mut self, changed: &crate::desk::Changed) -> Action<Message> {
        if self.seq == 0 || !changed.any_dossier() {
            return Action::None;
        }
        self.search(false)
    }

    fn filter(&self) -> Option<ListFilter> {
        Some(ListFilter {
            query: self.query.clone(),
            status: self.status,
            procedure: self.procedure.clone(),
            received_from: parse_day(&self.from).ok()?,
            received_to: parse_day(&self.to).ok()?,
            due: self.due,
        })
    }

    /// Starts a search (or the next page with `append`); the result carries its number.
    fn search(&mut self, append: bool) -> Action<Message> {
        let Some(filter) = self.filter() else {
            return Action::None;
        };
        let after = if append {
            match &self.next {
                Some(c) => Some(c.clone()),
                None => return Action::None,
            }
        } else {
            self.seq += 1;
            None
        };
        let seq = self.seq;
        self.searching = true;
        Action::desk(move |desk| Message::Found {
            seq,
            append,
            result: desk
                .list_dossiers(&filter, after.as_ref(), PAGE)
                .map_err(|e| e.to_string()),
        })
    }

    /// The book's period: the date filters, an empty one meaning today (an empty
    /// "from" the same day as "to").
    fn book_request(&self) -> Result<BookRequest, String> {
        let (Ok(from), Ok(to)) = (parse_day(&self.from), parse_day(&self.to)) else {
            return Err(s::BOOK_BAD_PERIOD.to_string());
        };
        let to = to.unwrap_or_else(|| to_wall(now_vn()).date());
        Ok(BookRequest {
            from: from.unwrap_or(to),
            to,
            fields: vec![],
        })
    }

    pub fn book_printed(&self) -> Option<&Result<String, String>> {
        self.book.as_ref()
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::PrintBook => match self.book_request() {
                Ok(request) => {
                    let print = PrintRequest {
                        printer: session.settings.printer.clone(),
                        paper: session.settings.paper,
                    };
                    Action::desk(move |desk| {
                        Message::BookPrinted(desk.print_book(&request, &print).map(|o| {
                            s::book_printed(&o.pdf.display().to_string(), o.job.is_some())
                        }))
                    })
                }
                Err(e) => {
                    self.book = Some(Err(e));
                    Action::None
                }
            },
            Message::BookPrinted(r) => {
                self.book = Some(r);
                Action::None
            }
            Message::Query(q) => {
                self.query = q;
                self.search(false)
            }
            Message::Submit => match self.rows.first() {
                Some(r) => Action::Up(Up::OpenDossier(r.summary.code.clone())),
                None => Action::None,
            },
            Message::Status(c) => {
                self.status = c.0;
                self.search(false)
            }
            Message::Procedure(c) => {
                self.procedure = c.code;
                self.search(false)
            }
            Message::From(v) => {
                self.from = v;
                self.search(false)
            }
            Message::To(v) => {
                self.to = v;
                self.search(false)
            }
            Message::DueSoon(on) => {
                self.due = if on { DueFilter::Soon } else { DueFilter::Any };
                self.search(false)
            }
            Message::Overdue(on) => {
                self.due = if on {
                    DueFilter::Overdue
                } else {
                    DueFilter::Any
                };
                self.search(false)
            }
            Message::ClearFilters => {
                self.status = None;
                self.procedure = None;
                self.from.clear();
                self.to.clear();
                self.due = DueFilter::Any;
                self.search(false)
            }
            Message::More => self.search(true),
            Message::Found {
                seq,
                append,
                result,
            } => {
                if seq != self.seq {
                    return Action::None;
                }
                self.searching = false;
                match result {
                    Ok(page) => {
                        if !append {
                            self.rows.clear();
                        }
                        self.rows.extend(page.rows);
                        self.next = page.next;
                        self.broad_prefix = page.broad_prefix;
                        self.problem = None;
                    }
                    Err(e) => self.problem = Some(e),
                }
                Action::None
            }
            Message::Open(code) => Action::Up(Up::OpenDossier(code)),
        }
    }

    pub fn view<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let date_error = |v: &str| parse_day(v).is_err().then_some(s::BAD_DATE);
        let search = widgets::field(
            s::DOSSIERS_SEARCH,
            SEARCH,
            &self.query,
            None,
            Message::Query,
            Message::Submit,
        );
        let statuses: Vec<StatusChoice> = std::iter::once(StatusChoice(None))
            .chain(Status::ALL.into_iter().map(|s| StatusChoice(Some(s))))
            .collect();
        let mut procedures = vec![ProcedureChoice {
            code: None,
            label: s::FILTER_ALL.to_string(),
        }];
        procedures.extend(session.catalogue.iter().map(|p| {
            let name: String = p.name.chars().take(48).collect();
            ProcedureChoice {
                code: Some(p.code.as_str().to_string()),
                label: format!("{} — {name}", p.code.as_str()),
            }
        }));
        let chosen_procedure = procedures
            .iter()
            .find(|c| c.code == self.procedure)
            .cloned();
        let filters = row![
            column![
                text(s::FILTER_STATUS)
                    .size(theme::SMALL)
                    .color(theme::MUTED),
                pick_list(statuses, Some(StatusChoice(self.status)), Message::Status)
                    .text_size(theme::SMALL)
            ]
            .spacing(2),
            column![
                text(s::FILTER_PROCEDURE)
                    .size(theme::SMALL)
                    .color(theme::MUTED),
                pick_list(procedures, chosen_procedure, Message::Procedure)
                    .text_size(theme::SMALL)
                    .width(340)
            ]
            .spacing(2),
            container(widgets::field(
                s::FILTER_FROM,
                FROM,
                &self.from,
                date_error(&self.from),
                Message::From,
                Message::Submit
            ))
            .width(190),
            container(widgets::field(
                s::FILTER_TO,
                TO,
                &self.to,
                date_error(&self.to),
                Message::To,
                Message::Submit
            ))
            .width(190),
            column![
                checkbox(self.due == DueFilter::Soon)
                    .label(s::FILTER_SOON)
                    .on_toggle(Message::DueSoon)
                    .text_size(theme::SMALL),
                checkbox(self.due == DueFilter::Overdue)
                    .label(s::FILTER_OVERDUE)
                    .on_toggle(Message::Overdue)
                    .text_size(theme::SMALL),
            ]
            .spacing(4),
            button(text(s::FILTER_CLEAR).size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::ClearFilters),
        ]
        .spacing(12)
        .align_y(iced::alignment::Vertical::Bottom);

        // Mẫu 07 for the period of the date filters (today when they are empty).
        let book = button(text(s::BOOK_PRINT).size(theme::SMALL))
            .style(button::secondary)
            .on_press(Message::PrintBook);
        let mut col =
            column![widgets::heading(s::DOSSIERS_TITLE), search, filters, book].spacing(10);
        if let Some(b) = &self.book {
            let (line, color) = match b {
                Ok(done) => (done.as_str(), theme::MUTED),
                Err(e) => (e.as_str(), theme::RED),
            };
            col = col.push(text(line).size(theme::SMALL).color(color));
        }
        if let Some(p) = &self.problem {
            col = col.push(widgets::banner(
                text(p.as_str()).size(theme::BODY),
                theme::RED,
            ));
        }
        let status_line = if self.searching && self.rows.is_empty() {
            s::SEARCHING.to_string()
        } else if self.rows.is_empty() {
            s::NO_DOSSIERS.to_string()
        } else {
            s::shown_rows(self.rows.len())
        };
        col = col.push(text(status_line).size(theme::SMALL).color(theme::MUTED));
        if let Some(start) = &self.broad_prefix {
            col = col.push(text(s::broad_prefix(start)).size(theme::SMALL));
        }
        col = col.push(header());
        let mut table: Column<'a, Message> = column(self.rows.iter().map(table_row)).spacing(2);
        if self.next.is_some() {
            table = table.push(
                button(text(s::MORE).size(theme::BODY))
                    .style(button::secondary)
                    .on_press(Message::More),
            );
        }
        col.push(scrollable(table).height(Fill)).into()
    }
}

const WIDTHS: [u32; 7] = [190, 210, 300, 140, 170, 140, 80];

fn cells<'a>(values: [Element<'a, Message>; 7]) -> Element<'a, Message> {
    let mut r = row![].spacing(6);
    for (v, w) in values.into_iter().zip(WIDTHS) {
        r = r.push(container(v).width(w));
    }
    r.into()
}

fn header<'a>() -> Element<'a, Message> {
    let h = |label: &'a str| -> Element<'a, Message> {
        text(label).size(theme::SMALL).font(theme::BOLD).into()
    };
    container(cells([
        h(s::COL_CODE),
        h(s::COL_APPLICANT),
        h(s::COL_PROCEDURE),
        h(s::COL_RECEIVED),
        h(s::COL_STATUS),
        h(s::COL_DUE),
        h(s::COL_SYNC),
    ]))
    .padding([4, 8])
    .width(Fill)
    .style(theme::bar)
    .into()
}

fn cell<'a>(v: String) -> Element<'a, Message> {
    text(v).size(theme::SMALL).into()
}

fn table_row(r: &ListRow) -> Element<'_, Message> {
    let d = &r.summary;
    let due_colour = match r.urgency {
        Urgency::Overdue => theme::RED,
        Urgency::Soon => theme::AMBER,
        Urgency::Normal => theme::MUTED,
    };
    let (sync, sync_colour) = match r.sync {
        SyncMark::Sent => (s::SYNC_SENT, theme::GREEN),
        SyncMark::Waiting => (s::SYNC_WAITING, theme::AMBER),
    };
    let procedure = if d.procedure_name.is_empty() {
        d.procedure_code.clone()
    } else {
        d.procedure_name.chars().take(40).collect()
    };
    button(cells([
        cell(d.code.clone()),
        cell(d.applicant_name.clone()),
        cell(procedure),
        cell(short_time(&d.received_at)),
        cell(d.status.label_vi().to_string()),
        text(short_time(&d.due_at))
            .size(theme::SMALL)
            .color(due_colour)
            .into(),
        text(sync).size(theme::SMALL).color(sync_colour).into(),
    ]))
    .padding([4, 8])
    .width(Fill)
    .style(button::text)
    .on_press(Message::Open(d.code.clone()))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::screens::testkit::{Settled, intake, kit, settle};
    use iced::keyboard::{Key, key::Named};
    use iced_test::{selector, simulator};

    fn apply(state: &mut State, kit: &mut crate::ui::screens::testkit::Kit, m: Message) -> Settled {
        let session = kit.session.clone();
        let action = state.update(m, &session);
        settle(&kit.desk, action, |m| state.update(m, &session))
    }

    fn codes(state: &State) -> Vec<String> {
        state
            .rows()
            .iter()
            .map(|r| r.summary.code.clone())
            .collect()
    }

    #[test]
    fn typing_a_folded_name_finds_and_enter_opens_the_dossier() {
        let mut kit = kit();
        let hai = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
        let binh = intake(&mut kit.store(), "Trần Văn Bình", "022190005678", None);
        let mut state = State::default();
        let session = kit.session.clone();
        let shown = state.on_show(&session);
        let out = settle(&kit.desk, shown, |m| state.update(m, &session));
        assert_eq!(out.focus, vec![SEARCH]);
        assert_eq!(
            codes(&state),
            vec![binh.clone(), hai.clone()],
            "newest first"
        );

        // Type in the real search box: one search job per keystroke.
        let mut ui = simulator(state.view(&session));
        ui.click(selector::id(SEARCH)).expect("search box");
        let _ = ui.typewrite("nguyen thi");
        let typed: Vec<Message> = ui.into_messages().collect();
        assert!(typed.len() >= 2, "one search per keystroke: {typed:?}");
        for m in typed {
            apply(&mut state, &mut kit, m);
        }
        assert_eq!(codes(&state), vec![hai.clone()]);

        let mut ui = simulator(state.view(&session));
        ui.click(selector::id(SEARCH)).expect("search box");
        let _ = ui.tap_key(Key::Named(Named::Enter));
        let msgs: Vec<Message> = ui.into_messages().collect();
        let mut ups = Vec::new();
        for m in msgs {
            ups.extend(apply(&mut state, &mut kit, m).ups);
        }
        assert_eq!(ups, vec![Up::OpenDossier(hai)]);
    }

    #[test]
    fn a_code_prefix_lists_by_code_and_a_click_opens_the_row() {
        let mut kit = kit();
        let first = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
        let second = intake(&mut kit.store(), "Trần Văn Bình", "022190005678", None);
        let mut state = State::default();
        // Lowercase, part of the code only.
        let prefix = first[..13].to_lowercase();
        apply(&mut state, &mut kit, Message::Query(prefix));
        assert_eq!(codes(&state), vec![second.clone(), first.clone()]);
        let session = kit.session.clone();
        let mut ui = simulator(state.view(&session));
        ui.click(first.as_str()).expect("row");
        let msgs: Vec<Message> = ui.into_messages().collect();
        let mut ups = Vec::new();
        for m in msgs {
            ups.extend(apply(&mut state, &mut kit, m).ups);
        }
        assert_eq!(ups, vec![Up::OpenDossier(first)]);
    }

    #[test]
    fn a_stale_result_is_dropped() {
        let kit = kit();
        let hai = intake(&mut kit.store(), "Nguyễn Thị Hải", "022190001234", None);
        intake(&mut kit.store(), "Trần Văn Bình", "022190005678", None);
        let mut state = State::default();
        let session = kit.session.clone();
        let Action::Run(old) = state.update(Message::Query("tran".into()), &session) else {
            panic!("a search job");
        };
        let Action::Run(new) = state.update(Message::Query("nguyen".into()), &session) else {
            panic!("a search job");
        };
        // The newer search answers first; the older one arrives late.
        let crate::ui::job::Ran::Message(m) = new.run(&kit.desk) else {
            panic!("the search ran")
        };
        let _ = state.update(m, &session);
        let crate::ui::job::Ran::Message(m) = old.run(&kit.desk) else {
            panic!("the search ran")
        };
        let _ = state.update(m, &session);
        assert_eq!(codes(&state), vec![hai]);
    }

    #[test]
    fn the_overdue_filter_keeps_only_overdue_dossiers() {
        let mut kit = kit();
        let late = intake(
            &mut kit.store(),
            "Phạm Quỳnh Hương",
            "022190001234",
            Some("2026-11-02T09:00:00+07:00"),
        );
        let fresh = intake(&mut kit.store(), "Trần Văn Bình", "022190005678", None);
        let mut state = State::default();
        apply(&mut state, &mut kit, Message::Query(String::new()));
        assert_eq!(codes(&state), vec![fresh, late.clone()]);
        apply(&mut state, &mut kit, Message::Overdue(true));
        assert_eq!(codes(&state), vec![late]);
        assert_eq!(state.rows()[0].urgency, Urgency::Overdue);
        // A bad date does not search; a good one that excludes the row empties the list.
        apply(&mut state, &mut kit, Message::From("31/02/2026".into()));
        assert_eq!(state.rows().len(), 1);
        apply(&mut state, &mut kit, Message::From("03/11/2026".into()));
        assert!(state.rows().is_empty());
        apply(&mut state, &mut kit, Message::ClearFilters);
        assert_eq!(state.rows().len(), 2);
    }
}

#[cfg(test)]
#[path = "dossiers_book_tests.rs"]
mod book_tests;
