//! Biểu 06/VPCP/KSTT written out: a terminal table, CSV, Excel (.xlsx) and PDF, all from
//! the same flattened lines and the official column headings.

pub mod csv_out;
#[cfg(any(feature = "desk", feature = "centre"))]
pub mod pdf;
pub mod table;
pub mod xlsx;

use crate::domain::report::{Counts, Report};

/// The report's title as the form prints it (domain.md §8), in one form: "TTHC" both
/// times.
pub const TITLE: &str =
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC";
pub const FORM_NUMBER: &str = "Biểu số 06/VPCP/KSTT";
pub const ISSUED_BY: &str = "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020";
pub const UNIT_OF_COUNT: &str = "Đơn vị tính: Số hồ sơ TTHC";
/// The third group heading, as the production rendering of the form words it.
pub const PENDING_GROUP: &str = "Số lượng hồ sơ đang giải quyết";

/// "Đơn vị báo cáo: …".
pub fn reporter_line(report: &Report) -> String {
    format!("Đơn vị báo cáo: {}", report.unit_name)
}

/// "Đơn vị nhận báo cáo: …", a dotted blank when not known.
pub fn recipient_line(report: &Report) -> String {
    let r = report.recipient.trim();
    format!(
        "Đơn vị nhận báo cáo: {}",
        if r.is_empty() { "……………" } else { r }
    )
}

/// The on-time rate of the whole report, stated below the table (the official form has
/// 13 columns and no rate column).
pub fn rate_line(report: &Report) -> String {
    let t = &report.total;
    if t.resolved_total() == 0 {
        return "Tỷ lệ hồ sơ giải quyết đúng hạn: chưa có hồ sơ nào được giải quyết trong kỳ"
            .to_string();
    }
    format!(
        "Tỷ lệ hồ sơ giải quyết đúng hạn: {} ({} hồ sơ trước hạn và đúng hạn / {} hồ sơ đã giải quyết)",
        rate_vi(t),
        t.resolved_early + t.resolved_on_time,
        t.resolved_total()
    )
}

/// The "nhận hộ" note under the table (issue 23): dossiers this unit received in the
/// period for another unit of the province to decide. The table counts each dossier
/// once, at its deciding unit, so these are not in it; `None` when there were none.
pub fn for_others_line(report: &Report) -> Option<String> {
    let n = report.received_for_others;
    (n > 0).then(|| {
        format!(
            "Nhận hộ: {n} hồ sơ tiếp nhận trong kỳ cho đơn vị khác giải quyết (không phụ \
             thuộc địa giới hành chính); đã tính tại đơn vị giải quyết, không tính vào \
             bảng trên"
        )
    })
}

/// The 13 columns of the official form, flattened for CSV and the terminal.
pub const COLUMNS: [&str; 13] = [
    "STT",
    "Lĩnh vực, công việc giải quyết theo cấp",
    "Số hồ sơ nhận giải quyết - Tổng số",
    "Số hồ sơ nhận giải quyết - Trực tuyến",
    "Số hồ sơ nhận giải quyết - Trực tiếp, dịch vụ bưu chính",
    "Số hồ sơ nhận giải quyết - Từ kỳ trước",
    "Số hồ sơ đã giải quyết - Tổng số",
    "Số hồ sơ đã giải quyết - Trước hạn",
    "Số hồ sơ đã giải quyết - Đúng hạn",
    "Số hồ sơ đã giải quyết - Quá hạn",
    "Số hồ sơ đang giải quyết - Tổng số",
    "Số hồ sơ đang giải quyết - Trong hạn",
    "Số hồ sơ đang giải quyết - Quá hạn",
];

/// The headings of columns 7–13 (0-based 6–12), each under a group heading and
/// spanning the two lower heading rows.
pub const RESULT_HEADINGS: [&str; 7] = [
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
];

/// The first column (0-based) that `RESULT_HEADINGS` heads.
pub const FIRST_RESULT_COLUMN: usize = 6;

/// What kind of line: a field's subtotal, one procedure, or the grand total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Field,
    Procedure,
    Total,
}

/// One line of the written report.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    /// STT: I, II … for fields, 1, 2 … for procedures within a field.
    pub number: String,
    pub label: String,
    pub counts: Counts,
}

impl Line {
    /// The eleven counts in column order (columns 3–13).
    pub fn values(&self) -> [u64; 11] {
        let c = &self.counts;
        [
            c.received_total(),
            c.received_online,
            c.received_direct,
            c.carried_over,
            c.resolved_total(),
            c.resolved_early,
            c.resolved_on_time,
            c.resolved_late,
            c.pending_total(),
            c.pending_in_time,
            c.pending_late,
        ]
    }
}

fn roman(n: usize) -> String {
    const TABLE: [(usize, &str); 9] = [
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// The report as lines: each field's subtotal, then its procedures, then the total.
pub fn lines(report: &Report) -> Vec<Line> {
    let mut out = Vec::new();
    for (i, group) in report.groups.iter().enumerate() {
        out.push(Line {
            kind: LineKind::Field,
            number: roman(i + 1),
            label: format!("Lĩnh vực {}", group.field),
            counts: group.subtotal,
        });
        for (j, p) in group.procedures.iter().enumerate() {
            out.push(Line {
                kind: LineKind::Procedure,
                number: (j + 1).to_string(),
                label: format!("{} - {}", p.code, p.name),
                counts: p.counts,
            });
        }
    }
    out.push(Line {
        kind: LineKind::Total,
        number: String::new(),
        label: "Tổng cộng".to_string(),
        counts: report.total,
    });
    out
}

/// The on-time rate as the report prints it, e.g. "98,25%", or "-" when nothing was resolved.
pub fn rate_vi(counts: &Counts) -> String {
    match counts.on_time_rate() {
        Some(r) => format!("{:.2}%", r * 100.0).replace('.', ","),
        None => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numbers_and_rates() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
        let c = Counts {
            resolved_early: 1965,
            resolved_late: 35,
            ..Counts::default()
        };
        assert_eq!(rate_vi(&c), "98,25%");
        assert_eq!(rate_vi(&Counts::default()), "-");
        let mut report = Report::assemble(
            "Trung tâm".into(),
            crate::domain::report::Period::preset("2026").expect("period"),
            vec![],
        );
        assert!(rate_line(&report).contains("chưa có hồ sơ nào được giải quyết"));
        report.total = c;
        assert_eq!(
            rate_line(&report),
            "Tỷ lệ hồ sơ giải quyết đúng hạn: 98,25% (1965 hồ sơ trước hạn và đúng hạn / \
             2000 hồ sơ đã giải quyết)"
        );
        assert!(
            recipient_line(&report).ends_with("……………"),
            "unknown recipient: a blank"
        );
    }
}
