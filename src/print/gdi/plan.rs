//! Layout pages → device drawing operations for a Windows printer (GDI), in whole
//! device pixels. Pure arithmetic, so it is unit-tested on every platform; `device`
//! only replays the operations on a printer DC.

use crate::print::PrintError;
use crate::print::codes::{Cell, code128_bars, qr_cells};
use crate::print::fonts::{MM_PER_PT, Style, width_mm};
use crate::print::layout::{Item, Page};

/// What the printer DC reports: resolution and the unprintable margin GDI's origin
/// sits at (PHYSICALOFFSETX/Y).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Device {
    pub dpi_x: f32,
    pub dpi_y: f32,
    pub offset_x: i32,
    pub offset_y: i32,
}

/// One drawing operation in device pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Text on a baseline at (x, y); `em` is the font's em height in pixels.
    /// `advances` has one entry per UTF-16 unit of `text` (ExtTextOutW's lpDx): the
    /// layout's own glyph advances, so a line is exactly as wide as in the PDF.
    Text {
        x: i32,
        y: i32,
        em: i32,
        style: Style,
        text: String,
        advances: Vec<i32>,
    },
    /// A solid stroke `width` pixels wide.
    Line {
        from: (i32, i32),
        to: (i32, i32),
        width: i32,
    },
    /// A filled black rectangle, right and bottom exclusive (GDI's RECT).
    Fill {
        left: i32,
        top: i32,
        right: i32,
        bottom: i32,
    },
}

/// The dash pattern of the PDF renderer (`layout::DASH_PT`).
const DASH_ON_PT: f32 = crate::print::layout::DASH_PT.0;
const DASH_OFF_PT: f32 = crate::print::layout::DASH_PT.1;

impl Device {
    fn x(&self, mm: f32) -> i32 {
        (mm / 25.4 * self.dpi_x).round() as i32 - self.offset_x
    }

    fn y(&self, mm: f32) -> i32 {
        (mm / 25.4 * self.dpi_y).round() as i32 - self.offset_y
    }

    fn pt_px(&self, pt: f32) -> f32 {
        pt / 72.0 * self.dpi_y
    }
}

/// The operations drawing `page` on `device`.
pub fn plan(page: &Page, device: &Device) -> Result<Vec<Op>, PrintError> {
    let mut ops = Vec::new();
    for item in &page.items {
        match item {
            Item::Text(t) => ops.push(Op::Text {
                x: device.x(t.x),
                y: device.y(t.y),
                em: device.pt_px(t.size).round().max(1.0) as i32,
                style: t.style,
                text: t.text.clone(),
                advances: advances(device, t.style, t.size, &t.text),
            }),
            Item::Line {
                from,
                to,
                width,
                dashed,
            } => {
                let width = device.pt_px(*width).round().max(1.0) as i32;
                if *dashed {
                    for (a, b) in dashes(*from, *to) {
                        ops.push(line(device, a, b, width));
                    }
                } else {
                    ops.push(line(device, *from, *to, width));
                }
            }
            Item::Qr { x, y, size, data } => {
                let cells = qr_cells(data, *size).map_err(PrintError::Layout)?;
                fills(&mut ops, device, *x, *y, &cells);
            }
            Item::Barcode {
                x,
                y,
                module,
                height,
                data,
            } => {
                let bars = code128_bars(data, *module, *height).map_err(PrintError::Layout)?;
                fills(&mut ops, device, *x, *y, &bars);
            }
        }
    }
    Ok(ops)
}

/// Each character's advance in pixels, rounded cumulatively so errors never add up.
fn advances(device: &Device, style: Style, size: f32, text: &str) -> Vec<i32> {
    let mut out = Vec::with_capacity(text.len());
    let (mut mm, mut px) = (0.0_f32, 0_i32);
    for c in text.chars() {
        mm += width_mm(style, size, c.encode_utf8(&mut [0; 4]));
        let next = (mm / 25.4 * device.dpi_x).round() as i32;
        out.push(next - px);
        px = next;
        // A character outside the BMP is two UTF-16 units; the second advances nothing.
        out.extend(std::iter::repeat_n(0, c.len_utf16() - 1));
    }
    out
}

fn line(device: &Device, a: (f32, f32), b: (f32, f32), width: i32) -> Op {
    Op::Line {
        from: (device.x(a.0), device.y(a.1)),
        to: (device.x(b.0), device.y(b.1)),
        width,
    }
}

/// Cells become rectangles whose edges are rounded, not their sizes: neighbouring
/// modules share an edge, so a QR code has no hairline gaps that would break a scan.
fn fills(ops: &mut Vec<Op>, device: &Device, x0: f32, y0: f32, cells: &[Cell]) {
    for &(x, y, w, h) in cells {
        ops.push(Op::Fill {
            left: device.x(x0 + x),
            top: device.y(y0 + y),
            right: device.x(x0 + x + w),
            bottom: device.y(y0 + y + h),
        });
    }
}

/// The drawn pieces of a dashed rule (GDI only dashes hairlines, so we cut it).
fn dashes(from: (f32, f32), to: (f32, f32)) -> Vec<((f32, f32), (f32, f32))> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len <= f32::EPSILON {
        return Vec::new();
    }
    let (on, off) = (DASH_ON_PT * MM_PER_PT, DASH_OFF_PT * MM_PER_PT);
    let at = |d: f32| (from.0 + dx * d / len, from.1 + dy * d / len);
    let mut out = Vec::new();
    let mut d = 0.0;
    while d < len {
        out.push((at(d), at((d + on).min(len))));
        d += on + off;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::layout::{A5, Align, Text};

    const DEV: Device = Device {
        dpi_x: 600.0,
        dpi_y: 600.0,
        offset_x: 100,
        offset_y: 50,
    };

    #[test]
    fn text_lands_at_its_millimetres_minus_the_unprintable_margin() {
        let mut page = Page::new(A5);
        page.text(Text::aligned(
            25.4,
            50.8,
            12.0,
            Style::Bold,
            "Nguyễn Thị Lan",
            Align::Left,
        ));
        let ops = plan(&page, &DEV).expect("plan");
        let [
            Op::Text {
                x,
                y,
                em,
                style,
                text,
                advances,
            },
        ] = ops.as_slice()
        else {
            panic!("one text expected: {ops:?}");
        };
        assert_eq!(
            (*x, *y, *em, *style),
            (600 - 100, 1200 - 50, 100, Style::Bold)
        );
        assert_eq!(text, "Nguyễn Thị Lan");
        assert_eq!(advances.len(), text.encode_utf16().count());
        // The advances add up to the measured width, to the pixel.
        let width = crate::print::fonts::width_mm(Style::Bold, 12.0, text) / 25.4 * 600.0;
        let sum: i32 = advances.iter().sum();
        assert!((sum as f32 - width).abs() <= 1.0, "{sum} vs {width}");
    }

    #[test]
    fn qr_modules_tile_without_gaps() {
        let mut page = Page::new(A5);
        page.items.push(Item::Qr {
            x: 10.3,
            y: 20.7,
            size: 23.1,
            data: "H22.39.15-260213-0001".into(),
        });
        let ops = plan(&page, &DEV).expect("plan");
        let rects: Vec<_> = ops
            .iter()
            .map(|op| match op {
                Op::Fill {
                    left,
                    top,
                    right,
                    bottom,
                } => (*left, *top, *right, *bottom),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        let mut tops: Vec<i32> = rects.iter().map(|r| r.1).collect();
        tops.sort_unstable();
        tops.dedup();
        // Each module row's bottom edge is exactly the next row's top edge.
        for pair in tops.windows(2) {
            let bottom = rects
                .iter()
                .find(|r| r.1 == pair[0])
                .map(|r| r.3)
                .expect("row");
            assert_eq!(bottom, pair[1], "gap or overlap between module rows");
        }
        assert!(rects.iter().all(|r| r.2 > r.0 && r.3 > r.1));
    }

    #[test]
    fn dashed_rules_are_cut_into_dashes_within_the_rule() {
        let pieces = dashes((0.0, 10.0), (100.0, 10.0));
        let period = (DASH_ON_PT + DASH_OFF_PT) * MM_PER_PT;
        assert_eq!(pieces.len(), (100.0 / period).ceil() as usize);
        assert!(
            pieces
                .iter()
                .all(|(a, b)| a.1 == 10.0 && b.0 <= 100.0 && b.0 > a.0)
        );
        let mut page = Page::new(A5);
        page.dashed((0.0, 10.0), (100.0, 10.0), 0.5);
        let ops = plan(&page, &DEV).expect("plan");
        assert_eq!(ops.len(), pieces.len());
        assert!(
            ops.iter()
                .all(|op| matches!(op, Op::Line { width, .. } if *width == 4))
        );
    }
}
