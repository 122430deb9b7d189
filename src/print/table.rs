//! Ruled tables whose header repeats on every page (the tracking book, the control
//! slip). Cells wrap; a row is never split across pages.

use crate::print::flow::Flow;
use crate::print::fonts::Style;
use crate::print::layout::{Align, ascent, line_height};
use crate::print::wrap::{Run, line_width, wrap};

const PAD_X: f32 = 1.0;
const PAD_Y: f32 = 0.9;
const RULE: f32 = 0.4;

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Relative width; columns share the flow's width in proportion.
    pub weight: f32,
    pub align: Align,
}

/// A header cell spanning `span` columns from `col` and `rows` header rows from `row`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadCell {
    pub text: String,
    pub col: usize,
    pub span: usize,
    pub row: usize,
    pub rows: usize,
}

impl HeadCell {
    pub fn new(text: &str, col: usize, span: usize, row: usize, rows: usize) -> HeadCell {
        HeadCell {
            text: text.into(),
            col,
            span,
            row,
            rows,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub head: Vec<HeadCell>,
    pub size: f32,
}

struct Geometry {
    /// x of each column edge (columns + 1 values).
    edges: Vec<f32>,
    /// Height of each header row.
    head_rows: Vec<f32>,
}

impl Table {
    fn geometry(&self, flow: &Flow) -> Geometry {
        let total: f32 = self
            .columns
            .iter()
            .map(|c| c.weight)
            .sum::<f32>()
            .max(0.001);
        let mut edges = vec![flow.left()];
        let mut x = flow.left();
        for c in &self.columns {
            x += flow.width() * c.weight / total;
            edges.push(x);
        }
        let n_rows = self.head.iter().map(|c| c.row + c.rows).max().unwrap_or(0);
        let lh = line_height(self.size);
        let mut head_rows = vec![lh + 2.0 * PAD_Y; n_rows];
        let mut cells: Vec<&HeadCell> = self.head.iter().collect();
        cells.sort_by_key(|c| c.rows);
        for c in cells {
            let w = edges[c.col + c.span] - edges[c.col] - 2.0 * PAD_X;
            let need = self.lines(Style::Bold, &c.text, w).len() as f32 * lh + 2.0 * PAD_Y;
            let have: f32 = head_rows[c.row..c.row + c.rows].iter().sum();
            if need > have {
                head_rows[c.row + c.rows - 1] += need - have;
            }
        }
        Geometry { edges, head_rows }
    }

    fn lines(&self, style: Style, text: &str, width: f32) -> Vec<Vec<Run>> {
        let mut out = Vec::new();
        for part in text.split('\n') {
            let lines = wrap(&[Run::new(style, part)], self.size, width, width);
            if lines.is_empty() {
                out.push(Vec::new());
            }
            out.extend(lines);
        }
        out
    }

    fn rect(flow: &mut Flow, x0: f32, y0: f32, x1: f32, y1: f32) {
        let p = flow.page_mut();
        p.line((x0, y0), (x1, y0), RULE);
        p.line((x0, y1), (x1, y1), RULE);
        p.line((x0, y0), (x0, y1), RULE);
        p.line((x1, y0), (x1, y1), RULE);
    }

    fn draw_lines(
        &self,
        flow: &mut Flow,
        lines: &[Vec<Run>],
        x0: f32,
        x1: f32,
        top: f32,
        align: Align,
    ) {
        let lh = line_height(self.size);
        for (i, line) in lines.iter().enumerate() {
            let w = line_width(line, self.size);
            let x = match align {
                Align::Left => x0 + PAD_X,
                Align::Center => (x0 + x1 - w) / 2.0,
                Align::Right => x1 - PAD_X - w,
            };
            let base = top + i as f32 * lh + ascent(self.size);
            flow.draw_line(line, self.size, x, base);
        }
    }

    fn draw_head(&self, flow: &mut Flow, g: &Geometry) {
        let top = flow.y();
        let lh = line_height(self.size);
        let row_y = |r: usize| top + g.head_rows[..r].iter().sum::<f32>();
        for c in &self.head {
            let (x0, x1) = (g.edges[c.col], g.edges[c.col + c.span]);
            let (y0, y1) = (row_y(c.row), row_y(c.row + c.rows));
            Self::rect(flow, x0, y0, x1, y1);
            let lines = self.lines(Style::Bold, &c.text, x1 - x0 - 2.0 * PAD_X);
            let text_h = lines.len() as f32 * lh;
            let text_top = y0 + (y1 - y0 - text_h) / 2.0;
            self.draw_lines(flow, &lines, x0, x1, text_top, Align::Center);
        }
        flow.advance(g.head_rows.iter().sum());
    }

    /// Draws the header and `rows` (one string per column; '\n' breaks a line inside
    /// a cell), repeating the header on each new page.
    pub fn draw(&self, flow: &mut Flow, rows: &[Vec<String>]) {
        let g = self.geometry(flow);
        let lh = line_height(self.size);
        let head_h: f32 = g.head_rows.iter().sum();
        let cells_of = |row: &Vec<String>| -> Vec<Vec<Vec<Run>>> {
            (0..self.columns.len())
                .map(|i| {
                    let w = g.edges[i + 1] - g.edges[i] - 2.0 * PAD_X;
                    self.lines(
                        Style::Regular,
                        row.get(i).map(String::as_str).unwrap_or(""),
                        w,
                    )
                })
                .collect()
        };
        let first_h = rows
            .first()
            .map(|r| cells_of(r).iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD_Y)
            .unwrap_or(0.0);
        flow.ensure(head_h + first_h);
        self.draw_head(flow, &g);
        for row in rows {
            let cells = cells_of(row);
            let height =
                cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD_Y;
            if flow.ensure(height) {
                self.draw_head(flow, &g);
            }
            let top = flow.y();
            for (i, lines) in cells.iter().enumerate() {
                let (x0, x1) = (g.edges[i], g.edges[i + 1]);
                Self::rect(flow, x0, top, x1, top + height);
                self.draw_lines(flow, lines, x0, x1, top + PAD_Y, self.columns[i].align);
            }
            flow.advance(height);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::flow::Frame;
    use crate::print::layout::A4_LANDSCAPE;

    #[test]
    fn the_header_repeats_on_every_page() {
        let frame = Frame {
            size: A4_LANDSCAPE,
            top: 12.0,
            bottom: 12.0,
            left: 15.0,
            right: 12.0,
        };
        let mut flow = Flow::new(frame, "SỔ THEO DÕI HỒ SƠ (tiếp theo)");
        let table = Table {
            columns: vec![
                Column {
                    weight: 1.0,
                    align: Align::Center,
                },
                Column {
                    weight: 4.0,
                    align: Align::Left,
                },
                Column {
                    weight: 4.0,
                    align: Align::Left,
                },
            ],
            head: vec![
                HeadCell::new("STT", 0, 1, 0, 2),
                HeadCell::new("Nhận và trả kết quả", 1, 2, 0, 1),
                HeadCell::new("Nhận hồ sơ", 1, 1, 1, 1),
                HeadCell::new("Hẹn trả kết quả", 2, 1, 1, 1),
            ],
            size: 9.0,
        };
        let rows: Vec<Vec<String>> = (1..=80)
            .map(|i| {
                vec![
                    i.to_string(),
                    format!("Nguyễn Thị Ngọc Ánh {i}"),
                    "13/02/2026\n10:00".into(),
                ]
            })
            .collect();
        table.draw(&mut flow, &rows);
        let pages = flow.finish(true);
        assert!(pages.len() >= 3, "{}", pages.len());
        for p in &pages {
            assert!(p.fits(5.0));
            let text = p.plain_text();
            assert!(text.contains("Hẹn trả kết quả"), "{text}");
        }
        assert!(
            pages
                .last()
                .is_some_and(|p| p.plain_text().contains("Nguyễn Thị Ngọc Ánh 80"))
        );
    }
}
