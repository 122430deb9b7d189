//! The mirror: what the clerk is typing, read from the intake screen's own state at
//! every frame (no copy is kept, so it cannot lag a keystroke behind), in large type
//! for the citizen across the counter. Nothing here takes input.

use iced::widget::{Column, column, container, row, text};
use iced::{Element, Fill};

use crate::domain::clock::Timestamp;
use crate::ui::screens::intake;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme};

/// The lines the citizen checks, as typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub full_name: String,
    pub date_of_birth: String,
    pub id_number: String,
    pub phone: String,
    /// The chosen procedure's name (empty while the clerk is still searching).
    pub procedure: String,
    /// Another commune's unit that decides a cross-commune dossier ("name (code)");
    /// `None` for the own unit.
    pub deciding: Option<String>,
    /// Papers ticked as received, with their form and count ("Bản chính × 1").
    pub papers: Vec<String>,
    /// The due time as the receipt will print it, once a procedure is chosen.
    pub due: Option<String>,
}

impl Mirror {
    /// What the intake screen holds now, or `None` while its form is blank.
    pub fn of(intake: &intake::State, session: &Session, now: Timestamp) -> Option<Mirror> {
        let form = intake.form();
        if form.is_blank() && form.procedure.is_none() {
            return None;
        }
        let papers = form
            .documents
            .iter()
            .filter(|d| d.received && !d.shown_only)
            .map(|d| paper_line(&d.name, &d.form, &d.count))
            .collect();
        Some(Mirror {
            full_name: form.full_name.trim().to_string(),
            date_of_birth: form.date_of_birth.trim().to_string(),
            id_number: form.id_number.trim().to_string(),
            phone: form.phone.trim().to_string(),
            procedure: intake
                .procedure(session)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            deciding: intake.deciding_other(session),
            papers,
            due: intake.live_due(session, now),
        })
    }

    /// The mirror drawn; it owns its text, as it is rebuilt at every frame.
    pub fn into_view<M: 'static>(self) -> Element<'static, M> {
        let mut fields = Column::new().spacing(8);
        for (label, value) in [
            (s::FACING_NAME, self.full_name),
            (s::FACING_BIRTH, self.date_of_birth),
            (s::FACING_ID, self.id_number),
            (s::FACING_PHONE, self.phone),
        ] {
            fields = fields.push(line(label, value, theme::FACING_BIG));
        }
        fields = fields.push(line(
            s::FACING_PROCEDURE,
            self.procedure,
            theme::FACING_TEXT,
        ));
        if let Some(unit) = self.deciding {
            fields = fields.push(line(s::FACING_DECIDING, unit, theme::FACING_TEXT));
        }
        // The due time before the papers: a long list must not push it off a small screen.
        fields = fields.push(line(
            s::FACING_DUE,
            self.due.unwrap_or_default(),
            theme::FACING_TEXT,
        ));
        let mut papers = Column::new().spacing(4);
        let none = self.papers.is_empty();
        for p in self.papers {
            papers = papers.push(text(format!("• {p}")).size(theme::TITLE));
        }
        if none {
            papers = papers.push(
                text(s::FACING_NONE)
                    .size(theme::FACING_TEXT)
                    .color(theme::MUTED),
            );
        }
        column![
            text(s::FACING_CHECK).size(theme::TITLE).color(theme::BLUE),
            text(s::FACING_READ_ONLY)
                .size(theme::BODY)
                .color(theme::MUTED),
            fields,
            column![
                text(s::FACING_PAPERS).size(theme::BODY).color(theme::MUTED),
                papers
            ]
            .spacing(4),
        ]
        .spacing(14)
        .padding(28)
        .width(Fill)
        .into()
    }
}

fn paper_line(name: &str, form: &str, count: &str) -> String {
    match (form.trim(), count.trim()) {
        ("", "") => name.to_string(),
        ("", n) => format!("{name} (× {n})"),
        (f, "") => format!("{name} ({f})"),
        (f, n) => format!("{name} ({f} × {n})"),
    }
}

/// A label over its value; an empty value shows a dash so the citizen sees it is missing.
fn line<M: 'static>(label: &'static str, value: String, size: f32) -> Element<'static, M> {
    let shown = if value.is_empty() {
        "—".to_string()
    } else {
        value
    };
    row![
        container(text(label).size(theme::BODY).color(theme::MUTED)).width(220),
        text(shown).size(size).font(theme::BOLD),
    ]
    .spacing(16)
    .align_y(iced::Alignment::Center)
    .into()
}
