//! Layout pages → PDF bytes with printpdf, embedding (subsetted) only the faces used.

use std::collections::BTreeMap;

use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, WindingOrder,
};

use crate::print::PrintError;
use crate::print::codes::{Cell, code128_bars, qr_cells};
use crate::print::fonts::{Style, face};
use crate::print::layout::{DASH_PT, Item, Page};

fn black() -> Color {
    Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    })
}

/// Converts a point in layout space (mm from the top-left) to PDF space.
fn pt(page: &Page, x: f32, y: f32) -> Point {
    Point::new(Mm(x), Mm(page.height - y))
}

fn fill_cells(ops: &mut Vec<Op>, page: &Page, x0: f32, y0: f32, cells: &[Cell]) {
    for &(x, y, w, h) in cells {
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x0 + x).into_pt(),
                y: Mm(page.height - (y0 + y + h)).into_pt(),
                width: Mm(w).into_pt(),
                height: Mm(h).into_pt(),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }
}

fn page_ops(page: &Page, fonts: &BTreeMap<Style, FontId>) -> Result<Vec<Op>, PrintError> {
    let mut ops = vec![
        Op::SetFillColor { col: black() },
        Op::SetOutlineColor { col: black() },
    ];
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let Some(font) = fonts.get(&t.style) else {
                    continue;
                };
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFont {
                        font: PdfFontHandle::External(font.clone()),
                        size: Pt(t.size),
                    },
                    Op::SetTextCursor {
                        pos: pt(page, t.x, t.y),
                    },
                    Op::ShowText {
                        items: vec![TextItem::Text(t.text.clone())],
                    },
                    Op::EndTextSection,
                ]);
            }
            Item::Line {
                from,
                to,
                width,
                dashed,
            } => {
                let dash = if *dashed {
                    LineDashPattern::new(0.0, &[DASH_PT.0, DASH_PT.1])
                } else {
                    LineDashPattern::solid()
                };
                ops.extend([
                    Op::SetOutlineThickness { pt: Pt(*width) },
                    Op::SetLineDashPattern { dash },
                    Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: pt(page, from.0, from.1),
                                    bezier: false,
                                },
                                LinePoint {
                                    p: pt(page, to.0, to.1),
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    },
                ]);
            }
            Item::Qr { x, y, size, data } => {
                let cells = qr_cells(data, *size).map_err(PrintError::Layout)?;
                fill_cells(&mut ops, page, *x, *y, &cells);
            }
            Item::Barcode {
                x,
                y,
                module,
                height,
                data,
            } => {
                let bars = code128_bars(data, *module, *height).map_err(PrintError::Layout)?;
                fill_cells(&mut ops, page, *x, *y, &bars);
            }
        }
    }
    Ok(ops)
}

/// The PDF of `pages`, titled `title`.
pub fn to_pdf(title: &str, pages: &[Page]) -> Result<Vec<u8>, PrintError> {
    let mut doc = PdfDocument::new(title);
    let mut fonts = BTreeMap::new();
    for style in Style::ALL {
        let used = pages.iter().any(|p| p.texts().any(|t| t.style == style));
        if used {
            let font = face(style).ok_or_else(|| {
                PrintError::Layout(format!("phông chữ {style:?} trong chương trình bị hỏng"))
            })?;
            fonts.insert(style, doc.add_font(font));
        }
    }
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        out.push(PdfPage::new(
            Mm(page.width),
            Mm(page.height),
            page_ops(page, &fonts)?,
        ));
    }
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(out).save(
        &PdfSaveOptions {
            subset_fonts: true,
            ..Default::default()
        },
        &mut warnings,
    );
    Ok(bytes)
}
