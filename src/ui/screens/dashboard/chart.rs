//! The intake chart: dossiers received per day (last 30 days) or per week (last 26
//! weeks), each bar with the part later resolved late stacked at its foot, drawn on an
//! iced canvas with Vietnamese axis labels.

use chrono::{Datelike, Days, NaiveDate};
use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke, Text};
use iced::{Point, Rectangle, Renderer, Size, Theme, mouse};

use crate::desk::DayCount;
use crate::ui::{strings as s, theme};

/// How many days the daily chart shows, and weeks the weekly one.
pub const DAYS: usize = 30;
pub const WEEKS: usize = 26;

/// One bar: its label on the x axis, what was received, and how many of those were
/// resolved late.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub start: NaiveDate,
    pub received: u64,
    pub late: u64,
}

/// The last `DAYS` days, oldest first.
pub fn daily(days: &[DayCount]) -> Vec<Bar> {
    let skip = days.len().saturating_sub(DAYS);
    days.iter()
        .skip(skip)
        .map(|d| Bar {
            start: d.day,
            received: d.received,
            late: d.resolved_late,
        })
        .collect()
}

/// The last `WEEKS` weeks (Monday to Sunday, the current one included), oldest first.
pub fn weekly(days: &[DayCount], today: NaiveDate) -> Vec<Bar> {
    let monday = today
        .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())))
        .unwrap_or(today);
    let mut bars: Vec<Bar> = (0..WEEKS)
        .rev()
        .map(|back| Bar {
            start: monday
                .checked_sub_days(Days::new(7 * back as u64))
                .unwrap_or(monday),
            received: 0,
            late: 0,
        })
        .collect();
    let first = bars.first().map_or(monday, |b| b.start);
    for d in days.iter().filter(|d| first <= d.day && d.day <= today) {
        let week = usize::try_from(d.day.signed_duration_since(first).num_days() / 7).unwrap_or(0);
        if let Some(bar) = bars.get_mut(week) {
            bar.received += d.received;
            bar.late += d.resolved_late;
        }
    }
    bars
}

/// The canvas program.
#[derive(Debug, Clone)]
pub struct Chart {
    pub bars: Vec<Bar>,
    pub weekly: bool,
}

const LEFT: f32 = 48.0;
const BOTTOM: f32 = 42.0;
const TOP: f32 = 12.0;
const RIGHT: f32 = 8.0;

/// A round top for the y axis: 1, 2, 5 × 10ⁿ.
pub fn axis_top(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= max.max(1) {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

fn label(content: String, position: Point, align_x: iced::alignment::Horizontal) -> Text {
    Text {
        content,
        position,
        color: theme::MUTED,
        size: iced::Pixels(12.0),
        font: theme::UI_FONT,
        align_x: align_x.into(),
        align_y: iced::alignment::Vertical::Center,
        ..Text::default()
    }
}

impl<Message> canvas::Program<Message> for Chart {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        _theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let width = (bounds.width - LEFT - RIGHT).max(1.0);
        let height = (bounds.height - TOP - BOTTOM).max(1.0);
        let top = axis_top(self.bars.iter().map(|b| b.received).max().unwrap_or(0));
        let y_of = |v: u64| TOP + height - height * (v as f32 / top as f32);
        let axis = Stroke::default().with_color(theme::LINE).with_width(1.0);

        // Grid lines and y labels at 0, ½ and the top.
        for v in [0, top / 2, top] {
            let y = y_of(v);
            frame.stroke(
                &Path::line(Point::new(LEFT, y), Point::new(LEFT + width, y)),
                axis,
            );
            frame.fill_text(label(
                v.to_string(),
                Point::new(LEFT - 6.0, y),
                iced::alignment::Horizontal::Right,
            ));
        }
        frame.fill_text(Text {
            align_y: iced::alignment::Vertical::Top,
            ..label(
                s::CHART_Y.to_string(),
                Point::new(2.0, 0.0),
                iced::alignment::Horizontal::Left,
            )
        });

        let n = self.bars.len().max(1);
        let slot = width / n as f32;
        let bar_w = (slot * 0.7).max(1.0);
        let every = if self.weekly { 4 } else { 5 };
        for (i, b) in self.bars.iter().enumerate() {
            let x = LEFT + slot * i as f32 + (slot - bar_w) / 2.0;
            let y = y_of(b.received);
            frame.fill_rectangle(
                Point::new(x, y),
                Size::new(bar_w, TOP + height - y),
                theme::BLUE,
            );
            if b.late > 0 {
                let y_late = y_of(b.late.min(b.received));
                frame.fill_rectangle(
                    Point::new(x, y_late),
                    Size::new(bar_w, TOP + height - y_late),
                    theme::RED,
                );
            }
            // Label every few bars, always the last (today / this week).
            if (self.bars.len() - 1 - i).is_multiple_of(every) {
                frame.fill_text(label(
                    b.start.format("%d/%m").to_string(),
                    Point::new(x + bar_w / 2.0, TOP + height + 10.0),
                    iced::alignment::Horizontal::Center,
                ));
            }
        }
        frame.fill_text(label(
            if self.weekly {
                s::CHART_X_WEEKS
            } else {
                s::CHART_X_DAYS
            }
            .to_string(),
            Point::new(LEFT + width / 2.0, TOP + height + 30.0),
            iced::alignment::Horizontal::Center,
        ));
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32, received: u64, late: u64) -> DayCount {
        DayCount {
            day: NaiveDate::from_ymd_opt(2026, 11, day).expect("date"),
            received,
            resolved_late: late,
        }
    }

    #[test]
    fn days_group_into_monday_weeks_and_axes_round_up() {
        // Fri 27/11/2026: this week began Mon 23/11.
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let days = vec![
            d(15, 4, 1),
            d(16, 2, 0),
            d(22, 1, 1),
            d(23, 5, 2),
            d(27, 3, 0),
        ];
        let weeks = weekly(&days, today);
        assert_eq!(weeks.len(), WEEKS);
        let last = &weeks[WEEKS - 1];
        assert_eq!(last.start.to_string(), "2026-11-23");
        assert_eq!((last.received, last.late), (8, 2));
        let before = &weeks[WEEKS - 2];
        assert_eq!(before.start.to_string(), "2026-11-16");
        assert_eq!((before.received, before.late), (3, 1));
        assert_eq!((weeks[WEEKS - 3].received, weeks[WEEKS - 3].late), (4, 1));
        assert_eq!(daily(&days).len(), 5);
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(120), 200);
        assert_eq!(axis_top(40), 50);
    }
}
