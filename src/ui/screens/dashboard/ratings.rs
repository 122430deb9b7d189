//! F5's panel of the citizens' ratings (issue 22 §3): the unit's month — how many,
//! complaints, each TT 01/2018 indicator's average — and, when the desk gave them
//! (an administrator signed in), one row per receiving clerk.

use iced::widget::{Column, Row, column, row, text};
use iced::{Element, Fill, FillPortion};

use crate::desk::ratings::{ClerkRatings, RatingResults};
use crate::domain::rating::Indicator;
use crate::ui::{strings as s, theme};

use super::Message;

pub fn view(r: &RatingResults) -> Element<'_, Message> {
    let month = r.period.from.format("%m/%Y").to_string();
    let mut col = column![
        text(s::ratings_title(&month))
            .size(theme::BODY)
            .font(theme::BOLD)
            .color(theme::BLUE),
        text(s::RATINGS_NOTE).size(theme::SMALL).color(theme::MUTED),
    ]
    .spacing(6);
    let u = &r.unit;
    if u.count == 0 {
        return col
            .push(text(s::RATINGS_NONE).size(theme::BODY).color(theme::MUTED))
            .into();
    }
    let complaint_tone = if u.complaints > 0 {
        theme::RED
    } else {
        theme::GREEN
    };
    col = col.push(
        row![
            text(s::ratings_count(u.count, u.counter, u.web)).size(theme::BODY),
            text(s::ratings_complaints(u.complaints))
                .size(theme::BODY)
                .color(complaint_tone),
        ]
        .spacing(24),
    );
    for i in Indicator::ALL {
        col = col.push(
            row![
                text(s::ratings_indicator(i.number(), i.label_vi()))
                    .size(theme::SMALL)
                    .width(FillPortion(3)),
                text(s::ratings_points(u.average(i)))
                    .size(theme::SMALL)
                    .font(theme::BOLD)
                    .width(FillPortion(1)),
            ]
            .spacing(8),
        );
    }
    if !r.clerks.is_empty() {
        col = col.push(per_clerk(&r.clerks));
    }
    col.into()
}

/// The administrator's table: one row per receiving clerk.
fn per_clerk(clerks: &[ClerkRatings]) -> Element<'_, Message> {
    let cell = |t: String, bold: bool| {
        let t = text(t).size(theme::SMALL).width(FillPortion(1));
        if bold { t.font(theme::BOLD) } else { t }
    };
    let mut head = Row::new()
        .spacing(8)
        .push(
            text(s::RATINGS_CLERK)
                .size(theme::SMALL)
                .font(theme::BOLD)
                .width(FillPortion(3)),
        )
        .push(cell(s::RATINGS_COUNT.into(), true))
        .push(cell(s::RATINGS_COMPLAINTS.into(), true));
    for i in Indicator::ALL {
        head = head.push(cell(s::ratings_column(i.number()), true));
    }
    let mut table = Column::new().spacing(4).width(Fill).push(head);
    for c in clerks {
        let mut line = Row::new()
            .spacing(8)
            .push(
                text(c.clerk.as_str())
                    .size(theme::SMALL)
                    .width(FillPortion(3)),
            )
            .push(cell(c.summary.count.to_string(), false))
            .push(cell(c.summary.complaints.to_string(), false));
        for i in Indicator::ALL {
            let avg = c
                .summary
                .average(i)
                .map_or_else(|| "-".to_string(), |a| format!("{a:.2}").replace('.', ","));
            line = line.push(cell(avg, false));
        }
        table = table.push(line);
    }
    column![
        text(s::RATINGS_PER_CLERK)
            .size(theme::SMALL)
            .font(theme::BOLD)
            .color(theme::BLUE),
        table,
    ]
    .spacing(6)
    .into()
}
