//! Exporting Biểu 06 from the dashboard: a period preset (this quarter, last quarter,
//! this year) or a free dd/mm/yyyy range, a format (Excel, PDF, CSV), written into the
//! data directory's `reports` folder by the desk (`Desk::export_report`, which renders
//! and writes with the store released). The job reports the
//! rows read through an `AtomicU64` the view reads on every redraw (the application's
//! one-second tick redraws), and stops when the Cancel button sets the flag.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{Datelike, NaiveDate};
use iced::widget::{button, column, row, text, text_input};
use iced::{Element, Fill};

use crate::domain::report::Period;
use crate::ui::job::Action;
use crate::ui::widgets::{banner, section};
use crate::ui::{strings as s, theme};

pub const FROM: &str = "export-from";
pub const TO: &str = "export-to";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ThisQuarter,
    LastQuarter,
    ThisYear,
    Range,
}

pub use crate::desk::reports::{ExportError, ReportFormat as Format};

#[derive(Debug, Clone)]
pub enum Message {
    Preset(Preset),
    From(String),
    To(String),
    Format(Format),
    Start,
    Cancel,
    /// The job ended: the file written, or why not.
    Done(Result<PathBuf, ExportError>),
}

#[derive(Debug)]
struct Running {
    rows: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
}

#[derive(Debug)]
pub struct State {
    pub preset: Preset,
    pub from: String,
    pub to: String,
    pub format: Format,
    running: Option<Running>,
    /// The last outcome: the file written, or the problem (in Vietnamese).
    pub outcome: Option<Result<PathBuf, String>>,
}

impl Default for State {
    fn default() -> State {
        State {
            preset: Preset::ThisQuarter,
            from: String::new(),
            to: String::new(),
            format: Format::Xlsx,
            running: None,
            outcome: None,
        }
    }
}

fn quarter_of(day: NaiveDate) -> (i32, u32) {
    (day.year(), (day.month() - 1) / 3 + 1)
}

fn date(raw: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%d/%m/%Y").map_err(|_| s::bad_date(what, raw))
}

/// The period a preset means on `today`.
pub fn period(preset: Preset, today: NaiveDate, from: &str, to: &str) -> Result<Period, String> {
    let (year, q) = quarter_of(today);
    let text = match preset {
        Preset::ThisQuarter => format!("{year}-Q{q}"),
        Preset::LastQuarter if q == 1 => format!("{}-Q4", year - 1),
        Preset::LastQuarter => format!("{year}-Q{}", q - 1),
        Preset::ThisYear => year.to_string(),
        Preset::Range => {
            return Period::new(date(from, s::EXPORT_FROM)?, date(to, s::EXPORT_TO)?)
                .map_err(|e| e.to_string());
        }
    };
    Period::preset(&text).map_err(|e| e.to_string())
}

impl State {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Rows read so far by the running export.
    pub fn rows_read(&self) -> Option<u64> {
        self.running
            .as_ref()
            .map(|r| r.rows.load(Ordering::Relaxed))
    }

    pub fn update(&mut self, message: Message, today: NaiveDate) -> Action<Message> {
        match message {
            Message::Preset(p) => {
                self.preset = p;
                self.outcome = None;
                if p == Preset::Range {
                    return Action::Focus(FROM);
                }
                Action::None
            }
            Message::From(v) => {
                self.from = v;
                Action::None
            }
            Message::To(v) => {
                self.to = v;
                Action::None
            }
            Message::Format(f) => {
                self.format = f;
                Action::None
            }
            Message::Start => {
                if self.running.is_some() {
                    return Action::None;
                }
                let period = match period(self.preset, today, &self.from, &self.to) {
                    Ok(p) => p,
                    Err(e) => {
                        self.outcome = Some(Err(e));
                        return Action::None;
                    }
                };
                let rows = Arc::new(AtomicU64::new(0));
                let cancel = Arc::new(AtomicBool::new(false));
                self.running = Some(Running {
                    rows: Arc::clone(&rows),
                    cancel: Arc::clone(&cancel),
                });
                self.outcome = None;
                let format = self.format;
                Action::desk(move |desk| {
                    Message::Done(desk.export_report(period, format, &rows, &cancel))
                })
            }
            Message::Cancel => {
                if let Some(r) = &self.running {
                    r.cancel.store(true, Ordering::Relaxed);
                }
                Action::None
            }
            Message::Done(result) => {
                self.running = None;
                self.outcome = Some(match result {
                    Ok(path) => Ok(path),
                    Err(ExportError::Cancelled) => Err(s::EXPORT_CANCELLED.to_string()),
                    Err(ExportError::Failed(e)) => Err(e),
                });
                Action::None
            }
        }
    }

    pub fn view(&self, today: NaiveDate) -> Element<'_, Message> {
        let choice = |label: &'static str, on: bool, m: Message| {
            button(text(label).size(theme::SMALL))
                .padding([4, 10])
                .style(if on {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press_maybe((!self.is_running()).then_some(m))
        };
        let presets = row![
            choice(
                s::EXPORT_THIS_QUARTER,
                self.preset == Preset::ThisQuarter,
                Message::Preset(Preset::ThisQuarter)
            ),
            choice(
                s::EXPORT_LAST_QUARTER,
                self.preset == Preset::LastQuarter,
                Message::Preset(Preset::LastQuarter)
            ),
            choice(
                s::EXPORT_THIS_YEAR,
                self.preset == Preset::ThisYear,
                Message::Preset(Preset::ThisYear)
            ),
            choice(
                s::EXPORT_RANGE,
                self.preset == Preset::Range,
                Message::Preset(Preset::Range)
            ),
        ]
        .spacing(6);
        let formats = row![
            choice(
                s::FORMAT_XLSX,
                self.format == Format::Xlsx,
                Message::Format(Format::Xlsx)
            ),
            choice(
                s::FORMAT_PDF,
                self.format == Format::Pdf,
                Message::Format(Format::Pdf)
            ),
            choice(
                s::FORMAT_CSV,
                self.format == Format::Csv,
                Message::Format(Format::Csv)
            ),
        ]
        .spacing(6);
        let mut line = row![presets].spacing(12).align_y(iced::Center);
        if self.preset == Preset::Range {
            line = line.push(
                text_input(s::EXPORT_FROM, &self.from)
                    .id(FROM)
                    .on_input(Message::From)
                    .padding(4)
                    .size(theme::SMALL)
                    .width(130)
                    .style(theme::input(false)),
            );
            line = line.push(
                text_input(s::EXPORT_TO, &self.to)
                    .id(TO)
                    .on_input(Message::To)
                    .on_submit(Message::Start)
                    .padding(4)
                    .size(theme::SMALL)
                    .width(130)
                    .style(theme::input(false)),
            );
        } else if let Ok(p) = period(self.preset, today, "", "") {
            line = line.push(text(p.describe_vi()).size(theme::SMALL).color(theme::MUTED));
        }
        let action: Element<'_, Message> = match self.rows_read() {
            Some(n) => row![
                text(s::export_progress(n)).size(theme::SMALL),
                button(text(s::CANCEL).size(theme::SMALL))
                    .style(button::danger)
                    .on_press(Message::Cancel),
            ]
            .spacing(10)
            .align_y(iced::Center)
            .into(),
            None => button(text(s::EXPORT_START).size(theme::SMALL))
                .on_press(Message::Start)
                .into(),
        };
        let mut col = column![
            section(s::EXPORT_TITLE),
            line,
            row![formats, iced::widget::space::horizontal(), action]
                .spacing(12)
                .align_y(iced::Center),
        ]
        .spacing(8)
        .width(Fill);
        match &self.outcome {
            Some(Ok(path)) => {
                col = col.push(banner(
                    text(s::exported_to(&path.display().to_string())).size(theme::SMALL),
                    theme::GREEN,
                ));
            }
            Some(Err(e)) => {
                col = col.push(banner(text(e.as_str()).size(theme::SMALL), theme::RED));
            }
            None => {}
        }
        col.into()
    }
}
