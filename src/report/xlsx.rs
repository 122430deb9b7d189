//! The report as an Excel workbook with the official layout: title, period, merged
//! two-level column headings, numbered columns, number formats.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::domain::report::Report;
use crate::report::{
    FIRST_RESULT_COLUMN, FORM_NUMBER, ISSUED_BY, LineKind, PENDING_GROUP, RESULT_HEADINGS, TITLE,
    UNIT_OF_COUNT, for_others_line, lines, rate_line, recipient_line, reporter_line,
};

/// The first row of data (0-based), below the title block and the three heading rows
/// and the row of column numbers.
pub const FIRST_DATA_ROW: u32 = 10;
/// The last column (0-based): the form has 13.
const LAST: u16 = 12;

pub fn workbook_bytes(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Biểu 06")?;
    let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(12);
    let title = font(Format::new())
        .set_bold()
        .set_align(FormatAlign::Center);
    let italic = font(Format::new())
        .set_italic()
        .set_align(FormatAlign::Center);
    let plain = font(Format::new());
    let right = font(Format::new())
        .set_italic()
        .set_align(FormatAlign::Right);
    let head = font(Format::new())
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let number_head = font(Format::new())
        .set_italic()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let cell = font(Format::new()).set_border(FormatBorder::Thin);
    let count = cell.clone().set_num_format("#,##0");
    let bold = |f: &Format| f.clone().set_bold();

    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 55)?;
    for col in 2..=LAST {
        sheet.set_column_width(col, 11)?;
    }

    sheet.write_string_with_format(0, 0, FORM_NUMBER, &plain)?;
    sheet.write_string_with_format(1, 0, ISSUED_BY, &plain)?;
    sheet.merge_range(2, 0, 2, LAST, TITLE, &title)?;
    sheet.merge_range(
        3,
        0,
        3,
        LAST,
        &format!("({})", report.period.describe_vi()),
        &italic,
    )?;
    sheet.write_string_with_format(4, 0, reporter_line(report), &plain)?;
    sheet.write_string_with_format(5, 0, recipient_line(report), &plain)?;
    sheet.merge_range(5, 9, 5, LAST, UNIT_OF_COUNT, &right)?;

    // Headings: rows 6–8, merged as on the paper form.
    sheet.merge_range(6, 0, 8, 0, "STT", &head)?;
    sheet.merge_range(6, 1, 8, 1, "Lĩnh vực, công việc giải quyết theo cấp", &head)?;
    sheet.merge_range(6, 2, 6, 5, "Số hồ sơ nhận giải quyết", &head)?;
    sheet.merge_range(6, 6, 6, 9, "Số hồ sơ đã giải quyết", &head)?;
    sheet.merge_range(6, 10, 6, LAST, PENDING_GROUP, &head)?;
    sheet.merge_range(7, 2, 8, 2, "Tổng số", &head)?;
    sheet.merge_range(7, 3, 7, 4, "Trong đó", &head)?;
    sheet.write_string_with_format(8, 3, "Trực tuyến", &head)?;
    sheet.write_string_with_format(8, 4, "Trực tiếp, dịch vụ bưu chính", &head)?;
    sheet.merge_range(7, 5, 8, 5, "Từ kỳ trước", &head)?;
    for (i, text) in RESULT_HEADINGS.iter().enumerate() {
        let col = (FIRST_RESULT_COLUMN + i) as u16;
        sheet.merge_range(7, col, 8, col, text, &head)?;
    }
    sheet.set_row_height(8, 45)?;
    for col in 0..=LAST {
        sheet.write_string_with_format(9, col, format!("({})", col + 1), &number_head)?;
    }

    let lines = lines(report);
    for (i, line) in lines.iter().enumerate() {
        let row = FIRST_DATA_ROW + i as u32;
        let strong = line.kind != LineKind::Procedure;
        let (text_fmt, count_fmt) = if strong {
            (bold(&cell), bold(&count))
        } else {
            (cell.clone(), count.clone())
        };
        sheet.write_string_with_format(row, 0, &line.number, &text_fmt)?;
        sheet.write_string_with_format(row, 1, &line.label, &text_fmt)?;
        for (j, v) in line.values().iter().enumerate() {
            sheet.write_number_with_format(row, 2 + j as u16, *v as f64, &count_fmt)?;
        }
    }
    // The on-time rate, below the table (the form has no rate column).
    let below = FIRST_DATA_ROW + lines.len() as u32 + 1;
    sheet.merge_range(below, 0, below, LAST, &rate_line(report), &bold(&plain))?;
    if let Some(note) = for_others_line(report) {
        sheet.merge_range(below + 1, 0, below + 1, LAST, &note, &plain)?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 2)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    book.save_to_buffer()
}
