//! The rating at the return (TT 01/2018 Art 12–14): the three questions of
//! `domain::rating::QUESTIONS`, one at a time, answered with one touch, click or keypad
//! digit, each answer moving to the next; Esc or the skip button ends it unanswered.
//! What the desk works out itself (time against the limit, supplement requests) is
//! shown as filled, not asked.

use iced::keyboard::{Key, key::Named};
use iced::widget::{Column, Row, button, column, container, text};
use iced::{Element, Fill};

use crate::desk::facing::Computed;
use crate::domain::rating::{Answer, QUESTIONS, Question};
use crate::domain::status::Timeliness;
use crate::ui::{strings as s, theme};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The answer (from 0) to the question on screen.
    Answer(usize),
    Skip,
}

/// Where the rating stands after a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Asking,
    /// Every question answered, in question order.
    Rated(Vec<Answer>),
    Skipped,
}

#[derive(Debug, Clone)]
pub struct State {
    pub code: String,
    pub computed: Computed,
    questions: &'static [Question],
    answers: Vec<Answer>,
}

impl State {
    pub fn new(code: String, computed: Computed) -> State {
        State {
            code,
            computed,
            questions: &QUESTIONS,
            answers: Vec::new(),
        }
    }

    /// The question on screen (from 0).
    pub fn step(&self) -> usize {
        self.answers.len()
    }

    pub fn questions(&self) -> &'static [Question] {
        self.questions
    }

    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Skip => Outcome::Skipped,
            Message::Answer(i) => {
                let Some(q) = self.questions.get(self.answers.len()) else {
                    return Outcome::Rated(self.answers.clone());
                };
                if let Some(o) = q.options.get(i) {
                    self.answers.push(Answer {
                        indicator: q.indicator,
                        choice: o.choice,
                    });
                }
                if self.answers.len() == self.questions.len() {
                    Outcome::Rated(self.answers.clone())
                } else {
                    Outcome::Asking
                }
            }
        }
    }

    /// The keypad: digits 1–5 answer, Esc skips. Anything else is not the rating's.
    pub fn key(&self, key: &Key) -> Option<Message> {
        match key {
            Key::Named(Named::Escape) => Some(Message::Skip),
            Key::Character(c) => {
                let digit = c.as_str().parse::<usize>().ok()?;
                let q = self.questions.get(self.answers.len())?;
                (1..=q.options.len())
                    .contains(&digit)
                    .then_some(Message::Answer(digit - 1))
            }
            _ => None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let step = self.answers.len();
        let Some(q) = self.questions.get(step) else {
            return text(s::FACING_THANKS).size(theme::FACING_BIG).into();
        };
        let mut answers = Row::new().spacing(16);
        for (i, a) in q.options.iter().enumerate() {
            answers = answers.push(
                button(
                    column![
                        text((i + 1).to_string())
                            .size(theme::FACING_TEXT)
                            .font(theme::BOLD),
                        text(a.label).size(theme::TITLE).center(),
                    ]
                    .spacing(8)
                    .align_x(iced::Alignment::Center)
                    .width(Fill),
                )
                .padding(18)
                .height(120)
                .width(Fill)
                .on_press(Message::Answer(i)),
            );
        }
        column![
            text(s::FACING_RATE_TITLE)
                .size(theme::FACING_TEXT)
                .color(theme::BLUE),
            self.filled(),
            text(s::facing_question_count(step + 1, self.questions.len()))
                .size(theme::BODY)
                .color(theme::MUTED),
            text(q.text).size(theme::FACING_TEXT).font(theme::BOLD),
            answers,
            Row::new()
                .push(
                    text(s::facing_rate_hint(q.options.len()))
                        .size(theme::BODY)
                        .color(theme::MUTED)
                )
                .push(iced::widget::space::horizontal())
                .push(
                    button(text(s::FACING_SKIP).size(theme::TITLE))
                        .padding([12, 28])
                        .style(button::secondary)
                        .on_press(Message::Skip)
                ),
        ]
        .spacing(16)
        .padding(32)
        .width(Fill)
        .into()
    }

    /// The criteria the desk filled itself, so the citizen sees them and is not asked.
    fn filled(&self) -> Element<'_, Message> {
        let time = match self.computed.time {
            Timeliness::Early => s::FACING_TIME_EARLY,
            Timeliness::OnTime | Timeliness::PendingInTime => s::FACING_TIME_ON,
            Timeliness::Late | Timeliness::PendingLate => s::FACING_TIME_LATE,
        };
        let lines = Column::new()
            .spacing(4)
            .push(text(s::FACING_FILLED).size(theme::BODY).color(theme::MUTED))
            .push(text(format!("✓ {time}")).size(theme::TITLE))
            .push(
                text(format!(
                    "✓ {}",
                    s::facing_contacts(self.computed.supplement_requests)
                ))
                .size(theme::TITLE),
            );
        container(lines)
            .padding(12)
            .width(Fill)
            .style(theme::panel)
            .into()
    }
}
