//! The report as an Excel workbook with the official layout: title, period, merged
//! two-level column headings, numbered columns, number formats.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::domain::report::Report;
use crate::report::{
    FIRST_RESULT_COLUMN, FORM_NUMBER, LineKind, RESULT_HEADINGS, TITLE, UNIT_OF_COUNT, lines,
};

/// The first row of data (0-based), below the title block and the three heading rows
/// and the row of column numbers.
pub const FIRST_DATA_ROW: u32 = 8;

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
    let rate = cell.clone().set_num_format("0.00%");
    let bold = |f: &Format| f.clone().set_bold();

    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 55)?;
    for col in 2..=12 {
        sheet.set_column_width(col, 11)?;
    }
    sheet.set_column_width(13, 12)?;

    sheet.write_string_with_format(0, 0, FORM_NUMBER, &plain)?;
    sheet.merge_range(1, 0, 1, 13, TITLE, &title)?;
    sheet.merge_range(
        2,
        0,
        2,
        13,
        &format!("({})", report.period.describe_vi()),
        &italic,
    )?;
    sheet.write_string_with_format(
        3,
        0,
        format!("Đơn vị báo cáo: {}", report.unit_name),
        &plain,
    )?;
    sheet.merge_range(3, 10, 3, 13, UNIT_OF_COUNT, &right)?;

    // Headings: rows 4–6, merged as on the paper form.
    sheet.merge_range(4, 0, 6, 0, "STT", &head)?;
    sheet.merge_range(4, 1, 6, 1, "Lĩnh vực, công việc giải quyết theo cấp", &head)?;
    sheet.merge_range(4, 2, 4, 5, "Số hồ sơ nhận giải quyết", &head)?;
    sheet.merge_range(4, 6, 4, 9, "Số hồ sơ đã giải quyết", &head)?;
    sheet.merge_range(4, 10, 4, 12, "Số hồ sơ đang giải quyết", &head)?;
    sheet.merge_range(4, 13, 6, 13, "Tỷ lệ giải quyết đúng hạn", &head)?;
    sheet.merge_range(5, 2, 6, 2, "Tổng số", &head)?;
    sheet.merge_range(5, 3, 5, 5, "Trong đó", &head)?;
    sheet.write_string_with_format(6, 3, "Trực tuyến", &head)?;
    sheet.write_string_with_format(6, 4, "Trực tiếp, dịch vụ bưu chính", &head)?;
    sheet.write_string_with_format(6, 5, "Từ kỳ trước", &head)?;
    for (i, text) in RESULT_HEADINGS.iter().enumerate() {
        let col = (FIRST_RESULT_COLUMN + i) as u16;
        sheet.merge_range(5, col, 6, col, text, &head)?;
    }
    sheet.set_row_height(6, 45)?;
    for col in 0..14u16 {
        sheet.write_string_with_format(7, col, format!("({})", col + 1), &number_head)?;
    }

    for (i, line) in lines(report).iter().enumerate() {
        let row = FIRST_DATA_ROW + i as u32;
        let strong = line.kind != LineKind::Procedure;
        let (text_fmt, count_fmt, rate_fmt) = if strong {
            (bold(&cell), bold(&count), bold(&rate))
        } else {
            (cell.clone(), count.clone(), rate.clone())
        };
        sheet.write_string_with_format(row, 0, &line.number, &text_fmt)?;
        sheet.write_string_with_format(row, 1, &line.label, &text_fmt)?;
        for (j, v) in line.values().iter().enumerate() {
            sheet.write_number_with_format(row, 2 + j as u16, *v as f64, &count_fmt)?;
        }
        match line.counts.on_time_rate() {
            Some(r) => sheet.write_number_with_format(row, 13, r, &rate_fmt)?,
            None => sheet.write_string_with_format(row, 13, "-", &text_fmt)?,
        };
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 2)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    book.save_to_buffer()
}
