//! The look: a calm light palette, the bundled Vietnamese-capable font, and the few
//! styles the screens share (panels, field errors, due-time colours, focus).

use iced::widget::{container, text_input};
use iced::{Border, Color, Font, Theme, color};

/// Liberation Sans (SIL OFL), bundled so the look does not depend on the PC's fonts.
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
pub const FAMILY: &str = "Liberation Sans";

pub const UI_FONT: Font = Font::with_name(FAMILY);
pub const BOLD: Font = Font {
    weight: iced::font::Weight::Bold,
    ..Font::with_name(FAMILY)
};

/// Text sizes: body text readable at a counter from 60 cm on a 1366×768 screen.
pub const BODY: f32 = 16.0;
pub const SMALL: f32 = 14.0;
pub const TITLE: f32 = 22.0;
pub const HUGE: f32 = 34.0;
/// The facing screen is read by the citizen from a metre away, across the counter.
pub const FACING_BIG: f32 = 40.0;
pub const FACING_TEXT: f32 = 28.0;

pub const BLUE: Color = color!(0x1f5fa8);
pub const GREEN: Color = color!(0x2e7d32);
pub const AMBER: Color = color!(0xb26a00);
pub const RED: Color = color!(0xc62828);
pub const MUTED: Color = color!(0x5f6b7a);
pub const PANEL: Color = color!(0xf4f6f9);
pub const LINE: Color = color!(0xd5dbe3);

pub fn theme() -> Theme {
    Theme::custom(
        "Một cửa",
        iced::theme::Palette {
            background: color!(0xffffff),
            text: color!(0x1d2733),
            primary: BLUE,
            success: GREEN,
            warning: AMBER,
            danger: RED,
        },
    )
}

/// A light panel with a thin border, for grouping a form's parts.
pub fn panel(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(PANEL.into()),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 6.0.into(),
        },
        ..container::Style::default()
    }
}

/// The top bar and the status line.
pub fn bar(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(color!(0xe9eef5).into()),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// A banner for a result the clerk must see (the new dossier code, an error).
pub fn banner(tone: Color) -> impl Fn(&Theme) -> container::Style {
    move |_theme| container::Style {
        background: Some(Color { a: 0.10, ..tone }.into()),
        border: Border {
            color: tone,
            width: 2.0,
            radius: 6.0.into(),
        },
        ..container::Style::default()
    }
}

/// The focused field's fill: the focus stays visible on a field marked invalid (red).
pub const FOCUS_FILL: Color = color!(0xe3eefb);

/// Text inputs with a thick blue focus ring on a pale blue fill (where Tab and typing
/// go), and a red border when the field is invalid.
pub fn input(invalid: bool) -> impl Fn(&Theme, text_input::Status) -> text_input::Style {
    move |theme, status| {
        let mut style = text_input::default(theme, status);
        if matches!(status, text_input::Status::Focused { .. }) {
            style.border.width = 2.0;
            style.border.color = BLUE;
            style.background = FOCUS_FILL.into();
        }
        if invalid {
            style.border.color = RED;
            style.border.width = 2.0;
        }
        style
    }
}
