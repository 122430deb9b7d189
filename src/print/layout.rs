//! Forms as plain layout data: pages of positioned text, rules and codes, in
//! millimetres from the top-left corner of the page. Everything a form decides is here
//! and testable without a PDF; `render` only translates it to printpdf operations.

use crate::domain::text::nfc;
use crate::print::codes::code128_width;
use crate::print::fonts::{MM_PER_PT, Style, width_mm};

/// A5 portrait, the size of the desk's notices (TT 01/2018 Art 9(2)).
pub const A5: (f32, f32) = (148.0, 210.0);
/// A4 portrait.
pub const A4: (f32, f32) = (210.0, 297.0);
/// A4 landscape: the tracking book, and two A5 copies side by side.
pub const A4_LANDSCAPE: (f32, f32) = (297.0, 210.0);

/// The dash pattern of a dashed rule (the cut line between two copies), points
/// drawn then points left blank: the PDF renderer and the Windows print path both draw it.
pub const DASH_PT: (f32, f32) = (4.0, 3.0);

/// Horizontal placement of a line of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One run of text on one baseline, already measured and placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Left edge, mm.
    pub x: f32,
    /// Baseline, mm from the top.
    pub y: f32,
    pub size: f32,
    pub style: Style,
    /// NFC-normalised.
    pub text: String,
}

impl Text {
    /// Places `text` so that it is aligned at `x` (left edge, centre or right edge).
    pub fn aligned(x: f32, y: f32, size: f32, style: Style, text: &str, align: Align) -> Text {
        let text = nfc(text);
        let w = width_mm(style, size, &text);
        let left = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        Text {
            x: left,
            y,
            size,
            style,
            text,
        }
    }

    pub fn width(&self) -> f32 {
        width_mm(self.style, self.size, &self.text)
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(Text),
    /// A straight rule, `width` in points.
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        dashed: bool,
    },
    /// A QR code of `data`, `size` mm square including its quiet zone; (x, y) is the
    /// top-left corner.
    Qr {
        x: f32,
        y: f32,
        size: f32,
        data: String,
    },
    /// A Code 128 barcode of `data`; (x, y) is the top-left corner, `module` the
    /// width of one bar module in mm.
    Barcode {
        x: f32,
        y: f32,
        module: f32,
        height: f32,
        data: String,
    },
}

/// One page of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Page {
    pub fn new((width, height): (f32, f32)) -> Page {
        Page {
            width,
            height,
            items: Vec::new(),
        }
    }

    pub fn text(&mut self, t: Text) {
        if !t.text.is_empty() {
            self.items.push(Item::Text(t));
        }
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.items.push(Item::Line {
            from,
            to,
            width,
            dashed: false,
        });
    }

    pub fn dashed(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.items.push(Item::Line {
            from,
            to,
            width,
            dashed: true,
        });
    }

    /// The texts of the page, in drawing order (for tests and plain-text previews).
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }

    /// All text of the page joined by line, roughly as `pdftotext` reads it back.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let (mut last_y, mut last_end) = (f32::NAN, f32::NAN);
        for t in self.texts() {
            if !out.is_empty() {
                if (t.y - last_y).abs() >= 0.5 {
                    out.push('\n');
                } else if (t.x - last_end).abs() > 0.3 {
                    // Runs that touch continue a line; a gap is a space.
                    out.push(' ');
                }
            }
            out.push_str(&t.text);
            last_y = t.y;
            last_end = t.x + t.width();
        }
        out
    }

    /// The page's text with every run of whitespace (line breaks too) as one space,
    /// for finding phrases that wrapped.
    pub fn flat_text(&self) -> String {
        self.plain_text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Moves every item by (dx, dy): used to put an A5 copy onto half of an A4 sheet.
    pub fn translate(&mut self, dx: f32, dy: f32) {
        for item in &mut self.items {
            match item {
                Item::Text(t) => {
                    t.x += dx;
                    t.y += dy;
                }
                Item::Line { from, to, .. } => {
                    from.0 += dx;
                    from.1 += dy;
                    to.0 += dx;
                    to.1 += dy;
                }
                Item::Qr { x, y, .. } | Item::Barcode { x, y, .. } => {
                    *x += dx;
                    *y += dy;
                }
            }
        }
    }

    /// Whether every item lies inside the page with `margin` mm to spare.
    pub fn fits(&self, margin: f32) -> bool {
        let inside = |x: f32, y: f32| {
            x >= margin - 0.01
                && x <= self.width - margin + 0.01
                && y >= margin - 0.01
                && y <= self.height - margin + 0.01
        };
        self.items.iter().all(|item| match item {
            Item::Text(t) => inside(t.x, t.y) && inside(t.x + t.width(), t.y),
            Item::Line { from, to, .. } => inside(from.0, from.1) && inside(to.0, to.1),
            Item::Qr { x, y, size, .. } => inside(*x, *y) && inside(x + size, y + size),
            Item::Barcode {
                x,
                y,
                module,
                height,
                data,
            } => inside(*x, *y) && inside(x + code128_width(data, *module), y + height),
        })
    }
}

/// Line advance for text of `size_pt`, in mm.
pub fn line_height(size_pt: f32) -> f32 {
    size_pt * 1.22 * MM_PER_PT
}

/// The ascent above the baseline used to place a first line under a top edge.
pub fn ascent(size_pt: f32) -> f32 {
    size_pt * 0.80 * MM_PER_PT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_and_translation() {
        let c = Text::aligned(74.0, 20.0, 12.0, Style::Bold, "GIẤY", Align::Center);
        assert!((c.x + c.width() / 2.0 - 74.0).abs() < 0.001);
        let r = Text::aligned(100.0, 20.0, 12.0, Style::Regular, "Số", Align::Right);
        assert!((r.x + r.width() - 100.0).abs() < 0.001);
        let mut p = Page::new(A5);
        p.text(r);
        p.text(Text::aligned(
            10.0,
            30.0,
            12.0,
            Style::Regular,
            "",
            Align::Left,
        ));
        assert_eq!(p.items.len(), 1, "empty texts are not drawn");
        p.translate(148.5, 0.0);
        assert!(p.texts().all(|t| t.x > 148.5));
        assert!(!p.fits(0.0));
    }

    #[test]
    fn texts_are_stored_composed() {
        let t = Text::aligned(0.0, 0.0, 10.0, Style::Regular, "A\u{300}nh", Align::Left);
        assert_eq!(t.text, "Ành");
    }
}
