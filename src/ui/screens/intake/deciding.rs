//! The deciding-unit picker of a cross-commune procedure (issue 23): shown only when
//! the province lets any commune receive the chosen procedure, with the desk's own
//! unit first and chosen by default. Which units may be picked is the domain's rule
//! (`ProvinceLists::choices`); this only draws it and turns a pick into the form field.

use std::fmt;

use iced::widget::{column, container, pick_list, row, text};
use iced::{Element, Fill};

use crate::domain::province::ProvinceLists;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme};

use super::Message;

/// The picker's id (a container around it), for tests and focus.
pub const DECIDING_PICKER: &str = "intake-deciding-unit";

/// One unit the clerk may pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub name: String,
    pub own: bool,
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.code)?;
        if self.own {
            write!(f, " — {}", s::DECIDING_UNIT_OWN)?;
        }
        Ok(())
    }
}

/// What the picker offers for `procedure`: empty when the procedure is not on the
/// province's list, otherwise the own unit first (named from the session when the
/// kept list lacks it) and the province's other units.
pub fn choices(lists: &ProvinceLists, procedure: &str, session: &Session) -> Vec<Choice> {
    let own = session.unit.code.as_str();
    let units = lists.choices(procedure, own);
    if units.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(units.len() + 1);
    if !units.iter().any(|u| u.code == own) {
        out.push(Choice {
            code: own.to_string(),
            name: session.unit.name.clone(),
            own: true,
        });
    }
    out.extend(units.into_iter().map(|u| Choice {
        own: u.code == own,
        code: u.code,
        name: u.name,
    }));
    out
}

/// The form's value for a picked unit: `None` for the own unit (the default).
pub fn field_value(picked: &Choice) -> Option<String> {
    (!picked.own).then(|| picked.code.clone())
}

/// The unit after `chosen` in `choices`, back to the first (the own unit) after the
/// last: what F12 picks. `None` when there is no picker.
pub fn next(choices: &[Choice], chosen: Option<&str>) -> Option<Choice> {
    let at = choices.iter().position(|c| match chosen {
        Some(code) => !c.own && c.code == code,
        None => c.own,
    });
    let next = at.map_or(0, |i| (i + 1) % choices.len());
    choices.get(next).cloned()
}

/// The picker, or nothing when `choices` is empty. `chosen` is the form's field.
pub fn view<'a>(choices: Vec<Choice>, chosen: Option<&str>) -> Element<'a, Message> {
    if choices.is_empty() {
        return column![].into();
    }
    let selected = choices
        .iter()
        .find(|c| match chosen {
            Some(code) => c.code == code,
            None => c.own,
        })
        .cloned();
    let picker = pick_list(choices, selected, |c: Choice| Message::Deciding(c))
        .placeholder(s::DECIDING_UNIT)
        .text_size(theme::BODY)
        .width(Fill);
    column![
        row![
            text(s::DECIDING_UNIT)
                .size(theme::SMALL)
                .color(theme::MUTED),
            text(s::DECIDING_UNIT_KEY)
                .size(theme::SMALL)
                .color(theme::MUTED),
        ]
        .spacing(6),
        container(picker).id(DECIDING_PICKER).width(Fill),
        text(s::DECIDING_UNIT_HINT)
            .size(theme::SMALL)
            .color(theme::MUTED),
    ]
    .spacing(4)
    .into()
}
