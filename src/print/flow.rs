//! Text flowing down a page and onto further pages.
//!
//! A form is written top to bottom into a [`Flow`]: paragraphs wrap to the frame's
//! width and, when the page is full, continue on a new page that starts with a short
//! continuation line (which form, which dossier), so a long address or a long list of
//! documents never runs off the paper. Blocks that must stay whole (the signatures)
//! ask for their height first with [`Flow::ensure`].

use crate::print::fonts::{Style, width_mm};
use crate::print::layout::{Align, Page, Text, ascent, line_height};
use crate::print::wrap::{Run, line_width, wrap, wrap_balanced};

/// The printable area of a page size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub size: (f32, f32),
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

/// Where a paragraph's lines start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Para {
    pub size: f32,
    /// Indent of the first line, mm.
    pub first: f32,
    /// Indent of the following lines, mm.
    pub rest: f32,
    pub align: Align,
    /// Stretch the spaces of every line but the last to the full width.
    pub justify: bool,
}

impl Para {
    pub fn new(size: f32) -> Para {
        Para {
            size,
            first: 0.0,
            rest: 0.0,
            align: Align::Left,
            justify: false,
        }
    }
    pub fn justified(self) -> Para {
        Para {
            justify: true,
            ..self
        }
    }
    pub fn indent(self, first: f32, rest: f32) -> Para {
        Para {
            first,
            rest,
            ..self
        }
    }
    pub fn centered(self) -> Para {
        Para {
            align: Align::Center,
            ..self
        }
    }
}

/// Size of the continuation line and page numbers.
const NOTE_SIZE: f32 = 8.5;

#[derive(Debug)]
pub struct Flow {
    frame: Frame,
    done: Vec<Page>,
    page: Page,
    y: f32,
    continuation: String,
}

impl Flow {
    /// A flow on a first page; `continuation` heads every further page.
    pub fn new(frame: Frame, continuation: impl Into<String>) -> Flow {
        Flow {
            frame,
            done: Vec::new(),
            page: Page::new(frame.size),
            y: frame.top,
            continuation: continuation.into(),
        }
    }

    pub fn left(&self) -> f32 {
        self.frame.left
    }

    pub fn width(&self) -> f32 {
        self.frame.size.0 - self.frame.left - self.frame.right
    }

    pub fn right(&self) -> f32 {
        self.frame.size.0 - self.frame.right
    }

    /// The top of the free space, mm from the top of the page.
    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }

    /// How many pages are finished so far.
    pub fn page_index(&self) -> usize {
        self.done.len()
    }

    fn bottom_limit(&self) -> f32 {
        self.frame.size.1 - self.frame.bottom
    }

    /// Starts a new page, headed by the continuation line.
    pub fn new_page(&mut self) {
        let page = std::mem::replace(&mut self.page, Page::new(self.frame.size));
        self.done.push(page);
        self.y = self.frame.top;
        if !self.continuation.is_empty() {
            let lines = wrap(
                &[Run::italic(&self.continuation)],
                NOTE_SIZE,
                self.width(),
                self.width(),
            );
            for line in lines {
                let base = self.y + ascent(NOTE_SIZE);
                self.draw_line(&line, NOTE_SIZE, self.left(), base);
                self.y += line_height(NOTE_SIZE);
            }
            self.y += 2.0;
        }
    }

    /// Makes sure `height` mm are free on the current page, breaking to a new page if
    /// not. Returns whether a new page was started.
    pub fn ensure(&mut self, height: f32) -> bool {
        let fresh = (self.y - self.frame.top).abs() < 0.01;
        if self.y + height > self.bottom_limit() + 0.001 && !fresh {
            self.new_page();
            return true;
        }
        false
    }

    /// Moves down by `height` mm (never past the bottom: a gap at a page end vanishes).
    pub fn gap(&mut self, height: f32) {
        self.y = (self.y + height).min(self.bottom_limit());
    }

    /// Moves down by `height` mm after drawing a block of that height.
    pub fn advance(&mut self, height: f32) {
        self.y += height;
    }

    /// Draws one already-wrapped line with its left edge at `x`, baseline `base`.
    pub fn draw_line(&mut self, line: &[Run], size: f32, x: f32, base: f32) {
        let mut x = x;
        for run in line {
            let t = Text::aligned(x, base, size, run.style, &run.text, Align::Left);
            x += t.width();
            self.page.text(t);
        }
    }

    /// Writes a wrapped paragraph, breaking pages between lines as needed.
    pub fn paragraph(&mut self, runs: &[Run], para: Para) {
        let w = self.width();
        let lines = if para.align == Align::Center && para.first == para.rest {
            wrap_balanced(runs, para.size, w - para.first)
        } else {
            wrap(runs, para.size, w - para.first, w - para.rest)
        };
        let lh = line_height(para.size);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lh);
            let indent = if i == 0 { para.first } else { para.rest };
            let x = match para.align {
                Align::Left => self.left() + indent,
                Align::Center => self.left() + (w - line_width(line, para.size)) / 2.0,
                Align::Right => self.right() - line_width(line, para.size),
            };
            let base = self.y + ascent(para.size);
            let last = i + 1 == lines.len();
            if para.justify && !last && para.align == Align::Left {
                let avail = w - indent;
                self.draw_justified(line, para.size, x, base, avail);
            } else {
                self.draw_line(line, para.size, x, base);
            }
            self.y += lh;
        }
    }

    /// Draws a line word by word, widening its spaces so it ends at `x + avail`.
    /// A line of very few words is left ragged rather than pulled apart.
    fn draw_justified(&mut self, line: &[Run], size: f32, x: f32, base: f32, avail: f32) {
        let gaps: usize = line.iter().map(|r| r.text.matches(' ').count()).sum();
        let slack = avail - line_width(line, size);
        if gaps == 0 || slack <= 0.0 || slack / gaps as f32 > 3.0 {
            self.draw_line(line, size, x, base);
            return;
        }
        let extra = slack / gaps as f32;
        let mut x = x;
        for run in line {
            let space = width_mm(run.style, size, " ");
            for (k, word) in run.text.split(' ').enumerate() {
                if k > 0 {
                    x += space + extra;
                }
                let t = Text::aligned(x, base, size, run.style, word, Align::Left);
                x += t.width();
                self.page.text(t);
            }
        }
    }

    /// Shorthand: one paragraph of a single style.
    pub fn text(&mut self, style: Style, text: &str, para: Para) {
        self.paragraph(&[Run::new(style, text)], para);
    }

    /// "label value" where the value starts on the label's line and wraps under it.
    pub fn field(&mut self, label: &str, value: &str, size: f32) {
        self.paragraph(
            &[Run::plain(format!("{label} ")), Run::bold(value)],
            Para::new(size),
        );
    }

    /// A field whose value is kept whole (a time, a code): when it does not fit after
    /// the label, it goes on the next line, indented, instead of breaking.
    pub fn field_keep(&mut self, label: &str, value: &str, size: f32) {
        let runs = [Run::plain(format!("{label} ")), Run::bold(value)];
        if wrap(&runs, size, self.width(), self.width()).len() <= 1 {
            self.paragraph(&runs, Para::new(size));
        } else {
            self.text(Style::Regular, label, Para::new(size));
            self.paragraph(&[Run::bold(value)], Para::new(size).indent(8.0, 8.0));
        }
    }

    /// Two fields side by side when both fit in half the width, else one under the
    /// other.
    pub fn field_pair(&mut self, a: (&str, &str), b: (&str, &str), size: f32) {
        let half = self.width() / 2.0;
        let runs = |(l, v): (&str, &str)| vec![Run::plain(format!("{l} ")), Run::bold(v)];
        let fits = |r: &Vec<Run>| wrap(r, size, half - 2.0, half - 2.0).len() <= 1;
        let (ra, rb) = (runs(a), runs(b));
        if fits(&ra) && fits(&rb) {
            let lh = line_height(size);
            self.ensure(lh);
            let base = self.y + ascent(size);
            let left = self.left();
            for (runs, x) in [(ra, left), (rb, left + half)] {
                if let Some(line) = wrap(&runs, size, half, half).first() {
                    self.draw_line(line, size, x, base);
                }
            }
            self.y += lh;
        } else {
            self.paragraph(&ra, Para::new(size));
            self.paragraph(&rb, Para::new(size));
        }
    }

    /// Finishes the flow. With more than one page (or `always`), every page gets
    /// "Trang i/n" centred in its bottom margin.
    pub fn finish(mut self, always_number: bool) -> Vec<Page> {
        self.done.push(self.page);
        let n = self.done.len();
        if n > 1 || always_number {
            for (i, page) in self.done.iter_mut().enumerate() {
                let base = page.height - self.frame.bottom / 2.0;
                let label = format!("Trang {}/{}", i + 1, n);
                page.text(Text::aligned(
                    page.width / 2.0,
                    base,
                    NOTE_SIZE,
                    Style::Italic,
                    &label,
                    Align::Center,
                ));
            }
        }
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::layout::A5;

    fn frame() -> Frame {
        Frame {
            size: A5,
            top: 10.0,
            bottom: 10.0,
            left: 15.0,
            right: 10.0,
        }
    }

    #[test]
    fn long_paragraphs_flow_onto_numbered_pages_inside_the_margins() {
        let mut flow = Flow::new(frame(), "Mã hồ sơ: H22.39.15-260213-0001 (tiếp theo)");
        for i in 0..60 {
            flow.field(
                &format!("{i}. Thành phần hồ sơ"),
                "Tờ khai đăng ký khai sinh theo mẫu",
                11.0,
            );
        }
        let pages = flow.finish(false);
        assert!(pages.len() >= 2);
        for (i, p) in pages.iter().enumerate() {
            assert!(p.fits(4.0), "page {i} overflows");
            assert!(
                p.plain_text()
                    .contains(&format!("Trang {}/{}", i + 1, pages.len()))
            );
        }
        assert!(
            pages[1]
                .plain_text()
                .starts_with("Mã hồ sơ: H22.39.15-260213-0001 (tiếp theo)")
        );
        assert!(pages.iter().all(|p| {
            p.texts()
                .all(|t| t.y <= 200.0 || t.text.starts_with("Trang"))
        }));
    }

    #[test]
    fn a_single_page_gets_no_number_and_pairs_share_a_line() {
        let mut flow = Flow::new(frame(), "");
        flow.field_pair(("Số điện thoại:", "0912345678"), ("Email:", "a@b.vn"), 11.0);
        let pages = flow.finish(false);
        assert_eq!(pages.len(), 1);
        let ys: Vec<f32> = pages[0].texts().map(|t| t.y).collect();
        assert!(ys.windows(2).all(|w| (w[0] - w[1]).abs() < 0.01));
        assert!(!pages[0].plain_text().contains("Trang"));
    }
}
