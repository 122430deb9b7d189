//! Tổng hợp (F5): today's intake, what is due today, what is already late, the
//! month's and the year's on-time rate (the Biểu 06 totals, so they equal the official
//! report), a chart of dossiers received per day or per week with the part resolved
//! late, the dossiers about to become late (due within one working day, from the work
//! calendar and the unit's hours), the month's QĐ 766 scorecard with the dossiers that
//! cost each indicator points, and the Biểu 06 export.

mod chart;
pub mod export;
mod ratings;
pub mod score;
#[cfg(test)]
pub(crate) mod testing;

use chrono::NaiveDate;
use iced::widget::{button, canvas, column, container, row, scrollable, text};
use iced::{Element, Fill, FillPortion};

use crate::desk::Dashboard;
use crate::desk::ratings::RatingResults;
use crate::domain::clock::{Timestamp, format_vi_short, now_vn, to_wall};
use crate::domain::report::Counts;
use crate::ui::job::{Action, Up};
use crate::ui::session::Session;
use crate::ui::widgets::{banner, heading, panel, section};
use crate::ui::{strings as s, theme};

pub use chart::{Bar, Chart};

#[derive(Debug, Clone)]
pub enum Message {
    /// Read the figures again.
    Refresh,
    /// The figures were read.
    Loaded(Result<Box<Dashboard>, String>),
    /// The month's ratings were read (per clerk only for an administrator).
    Rated(Result<Box<RatingResults>, String>),
    /// Show the chart per week (true) or per day.
    Weekly(bool),
    /// Open a dossier of the "about to be late" list or of a scorecard's list.
    Open(String),
    /// Show the dossiers that cost the scorecard's `n`th indicator points (again:
    /// hide them).
    Pick(usize),
    Export(export::Message),
}

#[derive(Debug, Default)]
pub struct State {
    /// A fixed "now" (tests); the wall clock otherwise.
    clock: Option<Timestamp>,
    figures: Option<Dashboard>,
    ratings: Option<RatingResults>,
    ratings_problem: Option<String>,
    loading: bool,
    problem: Option<String>,
    weekly: bool,
    /// The scorecard indicator whose dossiers are listed.
    picked: Option<usize>,
    export: export::State,
}

/// The end of the "about to be late" window: the one rule of `domain::urgency` (the
/// list's "due soon" too), on the unit's calendar and office hours.
pub fn soon_until(now: Timestamp, session: &Session) -> Timestamp {
    crate::domain::urgency::soon_until(now, &session.calendar, &session.unit.hours)
}

impl State {
    /// A dashboard whose "now" is fixed.
    pub fn at(now: Timestamp) -> State {
        State {
            clock: Some(now),
            ..State::default()
        }
    }

    fn now(&self) -> Timestamp {
        self.clock.unwrap_or_else(now_vn)
    }

    fn today(&self) -> NaiveDate {
        to_wall(self.now()).date()
    }

    pub fn figures(&self) -> Option<&Dashboard> {
        self.figures.as_ref()
    }

    pub fn ratings(&self) -> Option<&RatingResults> {
        self.ratings.as_ref()
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    pub fn export(&self) -> &export::State {
        &self.export
    }

    pub fn weekly(&self) -> bool {
        self.weekly
    }

    pub fn picked(&self) -> Option<usize> {
        self.picked
    }

    /// The bars the chart draws now.
    pub fn bars(&self) -> Vec<Bar> {
        match &self.figures {
            Some(f) if self.weekly => chart::weekly(&f.days, f.today),
            Some(f) => chart::daily(&f.days),
            None => Vec::new(),
        }
    }

    pub fn on_show(&mut self, session: &Session) -> Action<Message> {
        self.refresh(session)
    }

    fn refresh(&mut self, session: &Session) -> Action<Message> {
        if self.loading {
            return Action::None;
        }
        self.loading = true;
        let now = self.now();
        let until = soon_until(now, session);
        let viewer = session.clerk.clone();
        Action::Many(vec![
            Action::desk(move |desk| {
                Message::Loaded(
                    desk.dashboard(now, until)
                        .map(Box::new)
                        .map_err(|e| e.to_string()),
                )
            }),
            // Read apart: a ratings problem never hides the other figures.
            Action::desk(move |desk| {
                Message::Rated(
                    desk.rating_results(now, &viewer)
                        .map(Box::new)
                        .map_err(|e| e.to_string()),
                )
            }),
        ])
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Refresh => self.refresh(session),
            Message::Loaded(result) => {
                self.loading = false;
                match result {
                    Ok(f) => {
                        self.figures = Some(*f);
                        self.problem = None;
                    }
                    Err(e) => self.problem = Some(e),
                }
                Action::None
            }
            Message::Rated(result) => {
                match result {
                    Ok(r) => {
                        self.ratings = Some(*r);
                        self.ratings_problem = None;
                    }
                    Err(e) => self.ratings_problem = Some(s::ratings_failed(&e)),
                }
                Action::None
            }
            Message::Weekly(on) => {
                self.weekly = on;
                Action::None
            }
            Message::Open(code) => Action::Up(Up::OpenDossier(code)),
            Message::Pick(n) => {
                self.picked = (self.picked != Some(n)).then_some(n);
                Action::None
            }
            Message::Export(m) => {
                let today = self.today();
                self.export.update(m, today).map(Message::Export)
            }
        }
    }

    pub fn view<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let _ = session;
        let mut top = row![heading(s::DASHBOARD_TITLE)]
            .spacing(12)
            .align_y(iced::Center);
        if self.figures.is_some() {
            top = top.push(
                text(s::dashboard_as_of(&format_vi_short(self.now())))
                    .size(theme::SMALL)
                    .color(theme::MUTED),
            );
        }
        top = top.push(iced::widget::space::horizontal());
        top = top.push(
            button(text(s::REFRESH).size(theme::SMALL))
                .style(button::secondary)
                .on_press(Message::Refresh),
        );
        let mut col = column![top].spacing(12);
        if let Some(p) = &self.problem {
            col = col.push(banner(text(p.as_str()).size(theme::BODY), theme::RED));
        }
        match &self.figures {
            Some(f) => {
                col = col.push(self.cards(f));
                col = col.push(panel(score::view(&f.scorecard, self.picked)));
                if let Some(p) = &self.ratings_problem {
                    col = col.push(banner(text(p.as_str()).size(theme::BODY), theme::RED));
                }
                if let Some(r) = &self.ratings {
                    col = col.push(panel(ratings::view(r)));
                }
                col = col.push(
                    row![
                        container(self.chart()).width(FillPortion(3)),
                        container(self.due_soon(f)).width(FillPortion(2)),
                    ]
                    .spacing(16)
                    .height(330),
                );
            }
            None => {
                col = col.push(text(s::LOADING_FIGURES).size(theme::BODY));
            }
        }
        col = col.push(panel(self.export.view(self.today()).map(Message::Export)));
        scrollable(col.padding([0, 12])).height(Fill).into()
    }

    fn cards<'a>(&'a self, f: &'a Dashboard) -> Element<'a, Message> {
        let card = |label: &'static str, value: String, note: String, tone| {
            container(
                column![
                    text(label).size(theme::SMALL).color(theme::MUTED),
                    text(value).size(theme::HUGE).font(theme::BOLD).color(tone),
                    text(note).size(theme::SMALL).color(theme::MUTED),
                ]
                .spacing(2),
            )
            .padding(10)
            .width(Fill)
            .style(theme::panel)
        };
        let rate = |c: &Counts| crate::report::rate_vi(c);
        let rate_note =
            |c: &Counts| s::on_time_of(c.resolved_early + c.resolved_on_time, c.resolved_total());
        let overdue_tone = if f.overdue > 0 {
            theme::RED
        } else {
            theme::GREEN
        };
        let mut cards = row![
            card(
                s::CARD_RECEIVED_TODAY,
                f.received_today.to_string(),
                s::CARD_RECEIVED_NOTE.to_string(),
                theme::BLUE,
            ),
            card(
                s::CARD_DUE_TODAY,
                f.due_today.to_string(),
                s::CARD_DUE_NOTE.to_string(),
                theme::AMBER,
            ),
            card(
                s::CARD_OVERDUE,
                f.overdue.to_string(),
                s::CARD_OVERDUE_NOTE.to_string(),
                overdue_tone,
            ),
            card(
                s::CARD_MONTH_RATE,
                rate(&f.month),
                rate_note(&f.month),
                theme::GREEN,
            ),
            card(
                s::CARD_YEAR_RATE,
                rate(&f.year),
                rate_note(&f.year),
                theme::GREEN,
            ),
        ]
        .spacing(10);
        // Counted at the deciding unit; shown here only so the counter sees its work.
        if f.received_for_others > 0 {
            cards = cards.push(card(
                s::CARD_FOR_OTHERS,
                f.received_for_others.to_string(),
                s::CARD_FOR_OTHERS_NOTE.to_string(),
                theme::BLUE,
            ));
        }
        cards.into()
    }

    fn chart(&self) -> Element<'_, Message> {
        let toggle = |label: &'static str, weekly: bool| {
            button(text(label).size(theme::SMALL))
                .padding([4, 10])
                .style(if self.weekly == weekly {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(Message::Weekly(weekly))
        };
        let swatch = |c| {
            container(text(""))
                .width(12)
                .height(12)
                .style(move |_: &iced::Theme| container::Style {
                    background: Some(iced::Background::Color(c)),
                    ..container::Style::default()
                })
        };
        let legend = row![
            swatch(theme::BLUE),
            text(s::CHART_RECEIVED).size(theme::SMALL),
            swatch(theme::RED),
            text(s::CHART_LATE).size(theme::SMALL),
        ]
        .spacing(6)
        .align_y(iced::Center);
        column![
            row![
                section(if self.weekly {
                    s::CHART_TITLE_WEEKS
                } else {
                    s::CHART_TITLE_DAYS
                }),
                iced::widget::space::horizontal(),
                toggle(s::CHART_BY_DAY, false),
                toggle(s::CHART_BY_WEEK, true),
            ]
            .spacing(6)
            .align_y(iced::Center),
            canvas(Chart {
                bars: self.bars(),
                weekly: self.weekly,
            })
            .width(Fill)
            .height(Fill),
            legend,
        ]
        .spacing(6)
        .into()
    }

    fn due_soon<'a>(&'a self, f: &'a Dashboard) -> Element<'a, Message> {
        let mut list = column![].spacing(4);
        if f.due_soon.is_empty() {
            list = list.push(
                text(s::DUE_SOON_NONE)
                    .size(theme::SMALL)
                    .color(theme::MUTED),
            );
        }
        for d in &f.due_soon {
            list = list.push(
                button(
                    column![
                        row![
                            text(d.code.as_str()).size(theme::SMALL).font(theme::BOLD),
                            iced::widget::space::horizontal(),
                            text(s::due_short(&format_vi_short(d.due_at)))
                                .size(theme::SMALL)
                                .color(theme::AMBER),
                        ],
                        text(format!("{} · {}", d.applicant, d.procedure_code)).size(theme::SMALL),
                    ]
                    .spacing(2),
                )
                .width(Fill)
                .padding([4, 8])
                .style(button::secondary)
                .on_press(Message::Open(d.code.clone())),
            );
        }
        column![
            section(s::DUE_SOON_TITLE),
            text(s::DUE_SOON_NOTE)
                .size(theme::SMALL)
                .color(theme::MUTED),
            scrollable(list).height(Fill),
        ]
        .spacing(6)
        .into()
    }
}

#[cfg(test)]
mod ratings_tests;
#[cfg(test)]
mod tests;
