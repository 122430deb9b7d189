//! Small view pieces the screens share: a labelled input that shows its error in
//! place, section headings, banners.

use iced::widget::{column, container, text, text_input};
use iced::{Color, Element, Fill};

use crate::ui::theme;

/// A labelled text input with its id; `error` is shown under it in red.
pub fn field<'a, M: Clone + 'a>(
    label: &'a str,
    id: &'static str,
    value: &'a str,
    error: Option<&'a str>,
    on_input: impl Fn(String) -> M + 'a,
    on_submit: M,
) -> Element<'a, M> {
    let input = text_input("", value)
        .id(id)
        .on_input(on_input)
        .on_submit(on_submit)
        .padding(6)
        .size(theme::BODY)
        .style(theme::input(error.is_some()));
    let mut col = column![text(label).size(theme::SMALL).color(theme::MUTED), input].spacing(2);
    if let Some(e) = error {
        col = col.push(text(e).size(theme::SMALL).color(theme::RED));
    }
    col.width(Fill).into()
}

/// A password input (shown as dots).
pub fn secret<'a, M: Clone + 'a>(
    label: &'a str,
    id: &'static str,
    value: &'a str,
    on_input: impl Fn(String) -> M + 'a,
    on_submit: M,
) -> Element<'a, M> {
    column![
        text(label).size(theme::SMALL).color(theme::MUTED),
        text_input("", value)
            .id(id)
            .secure(true)
            .on_input(on_input)
            .on_submit(on_submit)
            .padding(6)
            .size(theme::BODY)
            .style(theme::input(false)),
    ]
    .spacing(2)
    .width(Fill)
    .into()
}

pub fn heading<'a, M: 'a>(label: &'a str) -> Element<'a, M> {
    text(label).size(theme::TITLE).font(theme::BOLD).into()
}

pub fn section<'a, M: 'a>(label: &'a str) -> Element<'a, M> {
    text(label)
        .size(theme::BODY)
        .font(theme::BOLD)
        .color(theme::BLUE)
        .into()
}

/// A framed message in `tone` (green for done, red for a problem, amber for a warning).
pub fn banner<'a, M: 'a>(content: impl Into<Element<'a, M>>, tone: Color) -> Element<'a, M> {
    container(content)
        .padding(12)
        .width(Fill)
        .style(theme::banner(tone))
        .into()
}

/// A panel grouping part of a form.
pub fn panel<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(content)
        .padding(12)
        .width(Fill)
        .style(theme::panel)
        .into()
}
