//! The report as a PDF: A4 landscape, the form's 13 columns with its merged headings
//! and the row of column numbers (1)…(13), repeated on every page, every page
//! numbered. Drawn with the forms'
//! layout engine (`print`), so fonts, wrapping and page flow are the forms' own.

use crate::domain::report::Report;
use crate::print::flow::{Flow, Frame, Para};
use crate::print::fonts::Style;
use crate::print::layout::{A4_LANDSCAPE, Align};
use crate::print::table::{Column, HeadCell, Table};
use crate::print::{PrintError, render};
use crate::report::{
    FIRST_RESULT_COLUMN, FORM_NUMBER, ISSUED_BY, PENDING_GROUP, RESULT_HEADINGS, TITLE,
    UNIT_OF_COUNT, for_others_line, lines, rate_line, recipient_line, reporter_line,
};

const SIZE: f32 = 9.0;

/// 1234567 → "1.234.567", as Vietnamese documents write numbers.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn table() -> Table {
    let col = |weight: f32, align| Column { weight, align };
    let mut columns = vec![col(0.8, Align::Center), col(6.5, Align::Left)];
    columns.extend((0..11).map(|_| col(1.35, Align::Right)));
    let mut head = vec![
        HeadCell::new("STT", 0, 1, 0, 3),
        HeadCell::new("Lĩnh vực, công việc giải quyết theo cấp", 1, 1, 0, 3),
        HeadCell::new("Số hồ sơ nhận giải quyết", 2, 4, 0, 1),
        HeadCell::new("Số hồ sơ đã giải quyết", 6, 4, 0, 1),
        HeadCell::new(PENDING_GROUP, 10, 3, 0, 1),
        HeadCell::new("Tổng số", 2, 1, 1, 2),
        HeadCell::new("Trong đó", 3, 2, 1, 1),
        HeadCell::new("Trực tuyến", 3, 1, 2, 1),
        HeadCell::new("Trực tiếp, dịch vụ bưu chính", 4, 1, 2, 1),
        HeadCell::new("Từ kỳ trước", 5, 1, 1, 2),
    ];
    for (i, text) in RESULT_HEADINGS.iter().enumerate() {
        head.push(HeadCell::new(text, FIRST_RESULT_COLUMN + i, 1, 1, 2));
    }
    // The form's numbering row under the headings, as the Excel sheet has it.
    for col in 0..13 {
        head.push(HeadCell::new(&format!("({})", col + 1), col, 1, 3, 1));
    }
    Table {
        columns,
        head,
        size: SIZE,
    }
}

pub fn pdf_bytes(report: &Report) -> Result<Vec<u8>, PrintError> {
    let frame = Frame {
        size: A4_LANDSCAPE,
        top: 12.0,
        bottom: 14.0,
        left: 15.0,
        right: 12.0,
    };
    let period = format!("({})", report.period.describe_vi());
    let mut flow = Flow::new(frame, format!("{FORM_NUMBER} {period} — tiếp theo"));
    flow.text(Style::Bold, FORM_NUMBER, Para::new(10.0));
    flow.text(Style::Italic, ISSUED_BY, Para::new(9.0));
    flow.gap(2.0);
    flow.text(Style::Bold, TITLE, Para::new(12.0).centered());
    flow.text(Style::Italic, &period, Para::new(11.0).centered());
    flow.gap(2.0);
    flow.text(Style::Regular, &reporter_line(report), Para::new(10.0));
    flow.text(Style::Regular, &recipient_line(report), Para::new(10.0));
    let mut right = Para::new(10.0);
    right.align = Align::Right;
    flow.text(Style::Italic, UNIT_OF_COUNT, right);
    flow.gap(2.0);
    let rows: Vec<Vec<String>> = lines(report)
        .iter()
        .map(|line| {
            let mut row = vec![line.number.clone(), line.label.clone()];
            row.extend(line.values().iter().map(|v| thousands(*v)));
            row
        })
        .collect();
    table().draw(&mut flow, &rows);
    flow.gap(2.0);
    flow.text(Style::Bold, &rate_line(report), Para::new(10.0));
    if let Some(note) = for_others_line(report) {
        flow.text(Style::Regular, &note, Para::new(10.0));
    }
    let pages = flow.finish(true);
    render::to_pdf(TITLE, &pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_the_vietnamese_way() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(1_001_800), "1.001.800");
    }
}
