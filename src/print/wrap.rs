//! Line breaking of styled text with the real font metrics.
//!
//! A paragraph is a list of [`Run`]s (a label in regular, a value in bold …). It is
//! broken greedily at spaces; a single word wider than the line (a long e-mail address
//! or code) is broken between characters rather than allowed to overflow.

use crate::domain::text::nfc;
use crate::print::fonts::{Style, width_mm};

/// Text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub style: Style,
    pub text: String,
}

impl Run {
    pub fn new(style: Style, text: impl AsRef<str>) -> Run {
        Run {
            style,
            text: text.as_ref().to_string(),
        }
    }
    pub fn plain(text: impl AsRef<str>) -> Run {
        Run::new(Style::Regular, text)
    }
    pub fn bold(text: impl AsRef<str>) -> Run {
        Run::new(Style::Bold, text)
    }
    pub fn italic(text: impl AsRef<str>) -> Run {
        Run::new(Style::Italic, text)
    }
}

/// A no-break space: glues words that must stay on one line (a time, a date); it is
/// drawn as an ordinary space.
pub const NBSP: char = '\u{a0}';

/// `s` with its spaces made unbreakable.
pub fn nobreak(s: &str) -> String {
    s.replace(' ', "\u{a0}")
}

/// A word: consecutive non-space characters, possibly in several styles ("Ánh," with
/// a plain comma).
type Word = Vec<Run>;

fn word_width(word: &Word, size: f32) -> f32 {
    word.iter().map(|r| width_mm(r.style, size, &r.text)).sum()
}

fn words(runs: &[Run]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Word = Vec::new();
    for run in runs {
        let text = nfc(&run.text);
        let mut buf = String::new();
        for c in text.chars() {
            if c.is_whitespace() && c != NBSP {
                if !buf.is_empty() {
                    current.push(Run::new(run.style, std::mem::take(&mut buf)));
                }
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            } else {
                buf.push(c);
            }
        }
        if !buf.is_empty() {
            current.push(Run::new(run.style, buf));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Splits a word wider than `max` into pieces that fit, between characters.
fn split_word(word: Word, size: f32, max: f32) -> Vec<Word> {
    let mut pieces = Vec::new();
    let mut piece: Word = Vec::new();
    let mut width = 0.0;
    for run in word {
        for c in run.text.chars() {
            let s = c.to_string();
            let w = width_mm(run.style, size, &s);
            if width + w > max && !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
                width = 0.0;
            }
            match piece.last_mut() {
                Some(last) if last.style == run.style => last.text.push(c),
                _ => piece.push(Run::new(run.style, s)),
            }
            width += w;
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// Breaks `runs` into lines no wider than `first` (the first line) and `rest` (the
/// others), in mm at `size` pt. Each line is a list of runs with single spaces, merged
/// by style. An empty paragraph gives no lines.
pub fn wrap(runs: &[Run], size: f32, first: f32, rest: f32) -> Vec<Vec<Run>> {
    let space = width_mm(Style::Regular, size, " ");
    let mut lines: Vec<Vec<Word>> = Vec::new();
    let mut line: Vec<Word> = Vec::new();
    let mut width = 0.0;
    for word in words(runs) {
        let max = if lines.is_empty() { first } else { rest };
        let w = word_width(&word, size);
        let needed = if line.is_empty() {
            w
        } else {
            width + space + w
        };
        if needed <= max + 0.001 {
            width = needed;
            line.push(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let max = if lines.is_empty() { first } else { rest };
        if w <= max {
            width = w;
            line.push(word);
        } else {
            let mut pieces = split_word(word, size, rest.min(max));
            let last = pieces.pop();
            for p in pieces {
                lines.push(vec![p]);
            }
            if let Some(p) = last {
                width = word_width(&p, size);
                line.push(p);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| {
            let mut runs = join_words(l);
            for r in &mut runs {
                r.text = r.text.replace(NBSP, " ");
            }
            runs
        })
        .collect()
}

fn join_words(words: Vec<Word>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, word) in words.into_iter().enumerate() {
        for (j, run) in word.into_iter().enumerate() {
            let text = if i > 0 && j == 0 {
                format!(" {}", run.text)
            } else {
                run.text
            };
            match out.last_mut() {
                Some(last) if last.style == run.style => last.text.push_str(&text),
                _ => {
                    // A space between styles belongs to the earlier run.
                    if let (Some(stripped), Some(last)) = (text.strip_prefix(' '), out.last_mut()) {
                        last.text.push(' ');
                        out.push(Run::new(run.style, stripped));
                    } else {
                        out.push(Run::new(run.style, text));
                    }
                }
            }
        }
    }
    out
}

/// Like [`wrap`] with one width, but with lines of even length: the narrowest width
/// that still gives the same number of lines. Centred headings then break as
/// "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH / CÔNG PHƯỜNG HỒNG GAI", never leaving one word alone.
pub fn wrap_balanced(runs: &[Run], size: f32, max: f32) -> Vec<Vec<Run>> {
    let lines = wrap(runs, size, max, max);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (max / lines.len() as f32, max);
    for _ in 0..14 {
        let mid = (lo + hi) / 2.0;
        if wrap(runs, size, mid, mid).len() <= lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(runs, size, hi, hi)
}

/// Width of a wrapped line.
pub fn line_width(line: &[Run], size: f32) -> f32 {
    line.iter().map(|r| width_mm(r.style, size, &r.text)).sum()
}

/// The plain text of a line (for tests).
pub fn line_text(line: &[Run]) -> String {
    line.iter().map(|r| r.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_on_one_line_with_its_styles() {
        let lines = wrap(
            &[Run::plain("Họ và tên: "), Run::bold("Nguyễn Thị Ngọc Ánh")],
            11.0,
            120.0,
            120.0,
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0],
            vec![Run::plain("Họ và tên: "), Run::bold("Nguyễn Thị Ngọc Ánh")]
        );
    }

    #[test]
    fn long_text_wraps_within_the_width_and_keeps_every_word() {
        let address = "Số 12 ngõ 34 đường Lê Thánh Tông, tổ 5 khu 6, phường Hồng Gai, tỉnh Quảng Ninh, \
                       gần chợ Hạ Long 1 và Bưu điện tỉnh Quảng Ninh";
        let lines = wrap(
            &[Run::plain("Địa chỉ: "), Run::plain(address)],
            11.0,
            60.0,
            50.0,
        );
        assert!(lines.len() > 2);
        assert!(line_width(&lines[0], 11.0) <= 60.0);
        for l in &lines[1..] {
            assert!(line_width(l, 11.0) <= 50.0, "{}", line_text(l));
        }
        let joined: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
        assert_eq!(
            joined.join(" "),
            format!("Địa chỉ: {address}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_split() {
        let lines = wrap(
            &[Run::plain(
                "x@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.vn",
            )],
            11.0,
            20.0,
            20.0,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| line_width(l, 11.0) <= 20.0));
        let joined: String = lines.iter().map(|l| line_text(l)).collect();
        assert_eq!(
            joined,
            "x@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.vn"
        );
    }

    #[test]
    fn balanced_lines_are_even() {
        let runs = [Run::bold(
            "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG HỒNG GAI",
        )];
        let greedy = wrap(&runs, 10.0, 52.0, 52.0);
        let even = wrap_balanced(&runs, 10.0, 52.0);
        assert_eq!(greedy.len(), even.len());
        let spread = |ls: &[Vec<Run>]| {
            let w: Vec<f32> = ls.iter().map(|l| line_width(l, 10.0)).collect();
            w.iter().cloned().fold(0.0, f32::max) - w.iter().cloned().fold(f32::MAX, f32::min)
        };
        assert!(spread(&even) < spread(&greedy), "{even:?}");
        assert!(even.iter().all(|l| line_width(l, 10.0) <= 52.0));
    }

    #[test]
    fn glued_words_move_together_and_print_as_spaces() {
        let time = nobreak("09 giờ 30 phút, ngày 05 tháng 3 năm 2026");
        let lines = wrap(
            &[
                Run::plain("Thời gian hẹn trả kết quả giải quyết hồ sơ: "),
                Run::bold(&time),
            ],
            11.0,
            100.0,
            100.0,
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            vec![Run::bold("09 giờ 30 phút, ngày 05 tháng 3 năm 2026")]
        );
    }

    #[test]
    fn decomposed_input_comes_out_composed() {
        let lines = wrap(
            &[Run::plain("Đặng Hu\u{31b}\u{303}u Nghi\u{303}a")],
            11.0,
            100.0,
            100.0,
        );
        assert_eq!(line_text(&lines[0]), "Đặng Hữu Nghĩa");
        assert!(wrap(&[Run::plain("   ")], 11.0, 10.0, 10.0).is_empty());
    }
}
