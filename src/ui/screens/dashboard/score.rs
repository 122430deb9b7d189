//! The F5 scorecard: the QĐ 766 indicators of the month that the desk's data can
//! compute (`domain::scorecard`), one card each; choosing a card lists the dossiers
//! that cost it points, each one button that opens the dossier.

use iced::widget::{Column, button, column, row, text};
use iced::{Element, Fill};

use crate::domain::scorecard::{Indicator, Scorecard};
use crate::ui::widgets::section;
use crate::ui::{strings as s, theme};

use super::Message;

/// How many dossiers a drill-down list shows at most.
pub const COSTS_SHOWN: usize = 200;

/// "87,50%", or "-" when there is nothing to count.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.2}%", r * 100.0).replace('.', ","),
        None => "-".to_string(),
    }
}

fn tone(i: &Indicator) -> iced::Color {
    match i.share_of_points() {
        Some(p) if p >= 1.0 => theme::GREEN,
        Some(_) => theme::AMBER,
        None => theme::MUTED,
    }
}

fn card<'a>(index: usize, i: &'a Indicator, picked: bool) -> Element<'a, Message> {
    let mut note = s::score_of(i.met, i.of);
    if let Some(t) = i.threshold {
        note = format!("{note} · {}", s::score_threshold(&percent(Some(t))));
    }
    button(
        column![
            text(s::score_label(i.id, i.title))
                .size(theme::SMALL)
                .color(theme::MUTED),
            text(percent(i.rate()))
                .size(theme::HUGE)
                .font(theme::BOLD)
                .color(tone(i)),
            text(note).size(theme::SMALL).color(theme::MUTED),
        ]
        .spacing(2),
    )
    .width(Fill)
    .padding(10)
    .style(if picked {
        button::primary
    } else {
        button::secondary
    })
    .on_press(Message::Pick(index))
    .into()
}

/// The cards, and the picked indicator's dossiers.
pub fn view(card_set: &Scorecard, picked: Option<usize>) -> Element<'_, Message> {
    let mut cards = row![].spacing(10);
    for (k, i) in card_set.indicators().into_iter().enumerate() {
        cards = cards.push(card(k, i, picked == Some(k)));
    }
    let mut col = column![
        section(s::SCORE_TITLE),
        text(s::SCORE_NOTE).size(theme::SMALL).color(theme::MUTED),
        cards
    ]
    .spacing(8);
    if let Some(i) = picked.and_then(|k| card_set.indicators().get(k).copied()) {
        col = col.push(costs(i));
    }
    col.into()
}

fn costs(i: &Indicator) -> Column<'_, Message> {
    let mut list = column![
        text(s::score_costs_title(i.id, i.costs.len()))
            .size(theme::BODY)
            .font(theme::BOLD)
    ]
    .spacing(4);
    if let Some(note) = i.note {
        list = list.push(text(note).size(theme::SMALL).color(theme::MUTED));
    }
    if i.costs.is_empty() {
        list = list.push(
            text(s::SCORE_NO_COSTS)
                .size(theme::SMALL)
                .color(theme::GREEN),
        );
    }
    for c in i.costs.iter().take(COSTS_SHOWN) {
        list = list.push(
            button(
                row![
                    text(c.code.as_str()).size(theme::SMALL).font(theme::BOLD),
                    text(c.why.as_str()).size(theme::SMALL),
                ]
                .spacing(12),
            )
            .width(Fill)
            .padding([4, 8])
            .style(button::secondary)
            .on_press(Message::Open(c.code.clone())),
        );
    }
    if i.costs.len() > COSTS_SHOWN {
        list = list.push(
            text(s::score_more(i.costs.len() - COSTS_SHOWN))
                .size(theme::SMALL)
                .color(theme::MUTED),
        );
    }
    list
}
