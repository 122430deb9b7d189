//! The report as a plain-text table for the terminal.

use crate::domain::report::Report;
use crate::report::{
    FORM_NUMBER, ISSUED_BY, LineKind, TITLE, UNIT_OF_COUNT, for_others_line, lines, rate_line,
    recipient_line, reporter_line,
};

const SHORT_HEADINGS: [&str; 11] = [
    "Nhận",
    "T.tuyến",
    "T.tiếp",
    "Kỳ trước",
    "Đã GQ",
    "Trước",
    "Đúng",
    "Quá",
    "Đang GQ",
    "Trong",
    "Quá",
];

fn pad_right(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.chars().take(width).collect()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

pub fn render(report: &Report) -> String {
    let mut out = format!("{FORM_NUMBER}\n{ISSUED_BY}\n\n{TITLE}\n");
    out.push_str(&format!(
        "({})\n{}\n{}\n{}\n\n",
        report.period.describe_vi(),
        reporter_line(report),
        recipient_line(report),
        UNIT_OF_COUNT
    ));
    let label_width = 48;
    out.push_str(&format!(
        "{:>5} {}",
        "STT",
        pad_right("Lĩnh vực, thủ tục", label_width)
    ));
    for h in SHORT_HEADINGS {
        out.push_str(&format!(" {h:>8}"));
    }
    out.push('\n');
    for line in lines(report) {
        if line.kind == LineKind::Total {
            out.push('\n');
        }
        out.push_str(&format!(
            "{:>5} {}",
            line.number,
            pad_right(&line.label, label_width)
        ));
        for v in line.values() {
            out.push_str(&format!(" {v:>8}"));
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&rate_line(report));
    out.push('\n');
    if let Some(note) = for_others_line(report) {
        out.push_str(&note);
        out.push('\n');
    }
    out
}
