//! The parts every desk form shares: the two-column header (authority and unit; the
//! national name and motto), the title, and the signature blocks.

use crate::domain::text::fold;
use crate::print::flow::{Flow, Para};
use crate::print::fonts::{Style, width_mm};
use crate::print::layout::{Align, Text, ascent, line_height};
use crate::print::wrap::{Run, line_width, wrap, wrap_balanced};

pub const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// The header of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Cơ quan chủ quản, e.g. "UBND phường Hồng Gai".
    pub authority: String,
    /// The receiving unit's name.
    pub unit: String,
    /// The number line, e.g. "Số: 0042/TTPVHCC".
    pub number: String,
    /// "Hồng Gai, ngày 13 tháng 02 năm 2026".
    pub place_date: String,
}

/// The abbreviation of the issuing body in number lines: TTPVHCC for a "Trung tâm
/// Phục vụ hành chính công", BPTNTKQ for a "Bộ phận Tiếp nhận và Trả kết quả"
/// (TT 03/2025 writes "-TTPVHCC (BPTNTKQ)" for "whichever the unit is").
pub fn issuer_abbr(unit_name: &str) -> &'static str {
    if fold(unit_name).starts_with("bo phan") {
        "BPTNTKQ"
    } else {
        "TTPVHCC"
    }
}

/// Uppercases Vietnamese correctly (đ → Đ, ư → Ư …).
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Draws wrapped, centred lines of one style around `cx` starting at `top`; returns
/// the y under the last line.
fn centred(
    flow: &mut Flow,
    text: &str,
    style: Style,
    size: f32,
    cx: f32,
    width: f32,
    top: f32,
) -> f32 {
    let mut y = top;
    for line in wrap_balanced(&[Run::new(style, text)], size, width) {
        let w = line_width(&line, size);
        flow.draw_line(&line, size, cx - w / 2.0, y + ascent(size));
        y += line_height(size);
    }
    y
}

/// The largest size ≤ `size` (down to 70 %) at which `text` fits in `width`.
fn fit(style: Style, size: f32, text: &str, width: f32) -> f32 {
    let w = width_mm(style, size, text);
    if w <= width {
        size
    } else {
        (size * width / w).max(size * 0.7)
    }
}

/// Draws the header at the top of the flow and moves below it.
pub fn header(flow: &mut Flow, h: &Header, size: f32) {
    let gap = 3.0;
    let lw = (flow.width() - gap) * 0.44;
    let rw = flow.width() - gap - lw;
    let lcx = flow.left() + lw / 2.0;
    let rcx = flow.left() + lw + gap + rw / 2.0;
    let top = flow.y();

    let mut ly = centred(
        flow,
        &upper(&h.authority),
        Style::Regular,
        size,
        lcx,
        lw,
        top,
    );
    // A slightly smaller unit name on two lines reads better than three.
    let unit = upper(&h.unit);
    let usize = [size, size - 0.5, size - 1.0, size - 1.5]
        .into_iter()
        .find(|&s| wrap(&[Run::bold(&unit)], s, lw, lw).len() <= 2)
        .unwrap_or(size - 1.5);
    ly = centred(flow, &unit, Style::Bold, usize, lcx, lw, ly);
    ly += 0.8;
    let rule = lw / 3.0;
    flow.page_mut()
        .line((lcx - rule / 2.0, ly), (lcx + rule / 2.0, ly), 0.5);

    let nsize = fit(Style::Bold, size, NATION, rw);
    let mut ry = centred(flow, NATION, Style::Bold, nsize, rcx, rw, top);
    let msize = fit(Style::Bold, size + 0.5, MOTTO, rw);
    ry = centred(flow, MOTTO, Style::Bold, msize, rcx, rw, ry);
    ry += 0.8;
    let mw = width_mm(Style::Bold, msize, MOTTO);
    flow.page_mut()
        .line((rcx - mw / 2.0, ry), (rcx + mw / 2.0, ry), 0.5);

    let row = ly.max(ry) + 2.0;
    let end_l = centred(flow, &h.number, Style::Regular, size, lcx, lw, row);
    let end_r = centred(flow, &h.place_date, Style::Italic, size, rcx, rw, row);
    let end = end_l.max(end_r);
    flow.advance(end - flow.y());
}

/// The title in bold capitals, then italic lines under it, all centred.
pub fn title(flow: &mut Flow, title: &str, under: &[String], size: f32) {
    flow.text(Style::Bold, &upper(title), Para::new(size + 2.0).centered());
    for line in under {
        flow.text(Style::Italic, line, Para::new(size).centered());
    }
}

/// One signature block.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// "NGƯỜI NỘP HỒ SƠ"; a line break starts a second line ("KT. GIÁM ĐỐC\nPHÓ GIÁM
    /// ĐỐC").
    pub role: String,
    /// "(Ký và ghi rõ họ tên)".
    pub note: String,
    /// The name printed under the space left for the signature, if known.
    pub name: Option<String>,
    /// The official form's second note, "(Chữ ký số của … nếu là biểu mẫu điện tử)".
    pub digital: Option<String>,
}

impl Signature {
    pub fn new(role: &str, note: &str, name: Option<&str>) -> Signature {
        Signature {
            role: role.into(),
            note: note.into(),
            name: name.map(str::to_string),
            digital: None,
        }
    }

    /// Adds the digital-signature note under the hand-signature note.
    pub fn digital(mut self, note: &str) -> Signature {
        self.digital = Some(note.into());
        self
    }
}

/// Room left for a hand signature (and a seal).
const SIGN_SPACE: f32 = 16.0;

/// Signature blocks side by side (one block sits in the right half), kept whole on
/// one page.
pub fn signatures(flow: &mut Flow, blocks: &[Signature], size: f32) {
    let lh = line_height(size);
    // A lone block (the head of the unit) sits on the right, wide enough for its title.
    let col = if blocks.len() <= 1 {
        flow.width() * 0.6
    } else {
        flow.width() / blocks.len() as f32
    };
    // The height of a block's text above the signature space, each part at its size.
    let text_height = |s: &Signature| -> f32 {
        let n = |runs: &[Run], size: f32| {
            wrap(runs, size, col - 2.0, col - 2.0).len() as f32 * line_height(size)
        };
        s.role
            .split('\n')
            .map(|l| n(&[Run::bold(l)], size))
            .sum::<f32>()
            + n(&[Run::italic(&s.note)], size - 0.5)
            + s.digital
                .as_ref()
                .map_or(0.0, |d| n(&[Run::plain(d)], size - 2.0))
    };
    let text_h = blocks.iter().map(text_height).fold(0.0, f32::max);
    let height = text_h + SIGN_SPACE + lh + 1.0;
    flow.ensure(height);
    let top = flow.y();
    for (i, s) in blocks.iter().enumerate() {
        let cx = if blocks.len() <= 1 {
            flow.right() - col / 2.0
        } else {
            flow.left() + col * (i as f32 + 0.5)
        };
        let mut y = top;
        // A title on two lines ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC") keeps its break.
        for line in s.role.split('\n') {
            y = centred(flow, line, Style::Bold, size, cx, col - 2.0, y);
        }
        y = centred(flow, &s.note, Style::Italic, size - 0.5, cx, col - 2.0, y);
        if let Some(d) = &s.digital {
            centred(flow, d, Style::Regular, size - 2.0, cx, col - 2.0, y);
        }
        y = top + text_h + SIGN_SPACE;
        if let Some(name) = &s.name {
            centred(flow, name, Style::Bold, size, cx, col - 2.0, y);
        }
    }
    flow.advance(height);
}

/// A dotted blank to be filled by hand.
pub const BLANK: &str = "……………";

/// `value`, or a dotted blank when empty.
pub fn or_blank(value: &str) -> String {
    if value.trim().is_empty() {
        BLANK.to_string()
    } else {
        value.trim().to_string()
    }
}

/// A text placed at a fixed spot (for small notes beside codes).
pub fn note_at(flow: &mut Flow, x: f32, y: f32, size: f32, style: Style, text: &str, align: Align) {
    flow.page_mut()
        .text(Text::aligned(x, y, size, style, text, align));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::flow::Frame;
    use crate::print::layout::A5;

    #[test]
    fn header_columns_do_not_overlap_and_stay_inside() {
        let frame = Frame {
            size: A5,
            top: 10.0,
            bottom: 10.0,
            left: 15.0,
            right: 10.0,
        };
        let mut flow = Flow::new(frame, "");
        header(
            &mut flow,
            &Header {
                authority: "UBND phường Hồng Gai".into(),
                unit: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
                number: "Số: 0042/TTPVHCC".into(),
                place_date: "Hồng Gai, ngày 13 tháng 02 năm 2026".into(),
            },
            10.0,
        );
        signatures(
            &mut flow,
            &[
                Signature::new(
                    "NGƯỜI NỘP HỒ SƠ",
                    "(Ký và ghi rõ họ tên)",
                    Some("Đặng Hữu Nghĩa"),
                ),
                Signature::new(
                    "NGƯỜI TIẾP NHẬN HỒ SƠ",
                    "(Ký và ghi rõ họ tên)",
                    Some("Trần Thị Mai"),
                ),
            ],
            10.0,
        );
        let pages = flow.finish(false);
        assert_eq!(pages.len(), 1);
        let p = &pages[0];
        assert!(p.fits(9.0));
        let text = p.plain_text();
        for s in [
            "UBND PHƯỜNG HỒNG GAI",
            NATION,
            MOTTO,
            "Số: 0042/TTPVHCC",
            "Đặng Hữu Nghĩa",
        ] {
            assert!(text.contains(s), "{s} in {text}");
        }
        // The unit's column ends before the nation's column starts.
        let unit = p
            .texts()
            .find(|t| t.text.starts_with("TRUNG TÂM"))
            .expect("unit");
        let nation = p.texts().find(|t| t.text == NATION).expect("nation");
        assert!(unit.x + unit.width() < nation.x);
        assert_eq!(
            issuer_abbr("Bộ phận Tiếp nhận và Trả kết quả xã A"),
            "BPTNTKQ"
        );
        assert_eq!(
            issuer_abbr("Trung tâm Phục vụ hành chính công phường B"),
            "TTPVHCC"
        );
    }
}
