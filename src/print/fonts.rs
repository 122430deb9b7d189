//! The embedded Liberation Serif faces and their metrics.
//!
//! Liberation Serif is metric-compatible with Times New Roman, which NĐ 30/2020
//! prescribes for administrative documents, and covers Vietnamese completely. The TTFs
//! ship unmodified in `assets/fonts` with their SIL OFL licence; printpdf subsets them
//! into each PDF. Layout measures text with the very advances the PDF will use
//! (printpdf shows glyphs one by one, without kerning), so a measured line is exactly
//! as wide on paper.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::domain::text::nfc;

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub const ALL: [Style; 4] = [
        Style::Regular,
        Style::Bold,
        Style::Italic,
        Style::BoldItalic,
    ];

    /// The TTF file of the face (also handed to Windows' GDI when printing there).
    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
            Style::Bold => include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
            Style::Italic => include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
            Style::BoldItalic => {
                include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf")
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Millimetres in one typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

static FACES: [OnceLock<Option<ParsedFont>>; 4] = [
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
];

/// The parsed face, parsed once per process. `None` only if the shipped file were
/// damaged, which the unit tests rule out.
pub fn face(style: Style) -> Option<&'static ParsedFont> {
    FACES[style.index()]
        .get_or_init(|| ParsedFont::from_bytes(style.bytes(), 0, &mut Vec::new()))
        .as_ref()
}

/// Width in millimetres of `text` set in `style` at `size_pt`. The text is measured
/// NFC-normalised, as it will be drawn.
pub fn width_mm(style: Style, size_pt: f32, text: &str) -> f32 {
    let Some(font) = face(style) else {
        // Never reached with the shipped fonts; a generous estimate keeps text inside.
        return text.chars().count() as f32 * size_pt * 0.6 * MM_PER_PT;
    };
    let upm = f32::from(font.font_metrics.units_per_em.max(1));
    let units: u32 = nfc(text)
        .chars()
        .map(|c| {
            let gid = font.lookup_glyph_index(c as u32).unwrap_or(0);
            u32::from(font.get_horizontal_advance(gid))
        })
        .sum();
    units as f32 / upm * size_pt * MM_PER_PT
}

/// The characters of `text` the font has no glyph for (they would print as boxes).
pub fn missing_glyphs(style: Style, text: &str) -> Vec<char> {
    let Some(font) = face(style) else {
        return text.chars().collect();
    };
    nfc(text)
        .chars()
        .filter(|&c| !c.is_whitespace() && font.lookup_glyph_index(c as u32).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_parses_and_covers_vietnamese() {
        let sample = "Nguyễn Thị Ngọc Ánh, Đặng Hữu Nghĩa — Ấ Ầ Ẩ Ẫ Ậ Ề Ể Ễ Ệ Ồ Ổ Ỗ Ộ Ờ Ở Ỡ Ợ Ừ Ử Ữ Ự ỹ ỵ đ ư ơ";
        for style in Style::ALL {
            assert!(face(style).is_some(), "{style:?}");
            assert_eq!(
                missing_glyphs(style, sample),
                Vec::<char>::new(),
                "{style:?}"
            );
        }
    }

    #[test]
    fn widths_follow_times_metrics() {
        // Times/Liberation: "M" is 889/1000 em wide, a space 250/1000 em.
        let m = width_mm(Style::Regular, 10.0, "M");
        assert!((m - 0.889 * 10.0 * MM_PER_PT).abs() < 0.01, "{m}");
        let space = width_mm(Style::Regular, 10.0, " ");
        assert!((space - 0.25 * 10.0 * MM_PER_PT).abs() < 0.01, "{space}");
        assert!(width_mm(Style::Bold, 10.0, "Hồ sơ") > width_mm(Style::Regular, 10.0, "Hồ sơ"));
    }

    #[test]
    fn decomposed_text_measures_as_composed() {
        let nfd = "Nguye\u{302}\u{303}n";
        assert_eq!(
            width_mm(Style::Regular, 11.0, nfd),
            width_mm(Style::Regular, 11.0, "Nguyễn")
        );
    }
}
