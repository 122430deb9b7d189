//! Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ: travels with Liên 1 of the
//! receipt; every hand-over between the desk and the processing department is signed
//! on it.

use chrono::NaiveDate;

use crate::domain::clock::{Timestamp, format_vi_long, to_wall};
use crate::print::blocks::{self, or_blank};
use crate::print::flow::{Flow, Para};
use crate::print::fonts::Style;
use crate::print::forms::Issuer;
use crate::print::layout::{Align, Page};
use crate::print::table::{Column, HeadCell, Table};
use crate::print::{Paper, notice_sheet};

pub const TITLE: &str = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ";
/// The official form has four hand-over blocks; more are added when a dossier passes
/// through more hands.
pub const MIN_BLOCKS: usize = 4;
pub const NOTE_1: &str =
    "- Kết quả giải quyết hồ sơ do bên nhận nhập thông tin/ghi khi nhận bàn giao hồ sơ.";
pub const NOTE_2: &str = "- Việc lưu vết được thực hiện tự động theo chức năng của Hệ thống thông tin giải quyết thủ tục hành chính và thể hiện trên mẫu phiếu điện tử.";
/// How the desk is named in the hand-over rows.
pub const DESK: &str = "Bộ phận TN&TKQ";

/// One hand-over: from whom to whom, when, and with what result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub from: String,
    pub to: String,
    pub at: Option<Timestamp>,
    /// Trước hạn / Đúng hạn / Quá hạn, once known.
    pub result: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlInput {
    pub issuer: Issuer,
    pub date: NaiveDate,
    pub code: String,
    /// Cơ quan (bộ phận) giải quyết hồ sơ.
    pub handler: String,
    /// Cơ quan phối hợp giải quyết hồ sơ.
    pub coordinator: String,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
    pub handovers: Vec<Handover>,
}

fn when(at: Option<Timestamp>) -> String {
    match at {
        Some(t) => to_wall(t)
            .format("%H giờ %M phút\nngày %d/%m/%Y")
            .to_string(),
        None => "….. giờ ….. phút\nngày ….. /….. /…….".to_string(),
    }
}

pub fn pages(input: &ControlInput, paper: Paper) -> Vec<Page> {
    let (frame, size) = notice_sheet(paper);
    let mut flow = Flow::new(
        frame,
        format!("{TITLE} — Mã hồ sơ: {} — tiếp theo", input.code),
    );
    blocks::header(
        &mut flow,
        &input.issuer.header("", "PKS", input.date),
        size - 1.0,
    );
    flow.gap(3.0);
    blocks::title(&mut flow, TITLE, &[], size);
    flow.gap(2.0);
    flow.field("Mã số hồ sơ:", &input.code, size);
    flow.field(
        "Cơ quan (bộ phận) giải quyết hồ sơ:",
        &or_blank(&input.handler),
        size,
    );
    flow.field(
        "Cơ quan phối hợp giải quyết hồ sơ:",
        &or_blank(&input.coordinator),
        size,
    );
    flow.field_keep("Ngày nhận:", &format_vi_long(input.received_at), size);
    flow.field_keep("Hẹn trả kết quả vào", &format_vi_long(input.due_at), size);
    flow.gap(2.0);
    let table = Table {
        columns: vec![
            Column {
                weight: 3.2,
                align: Align::Left,
            },
            Column {
                weight: 3.4,
                align: Align::Center,
            },
            Column {
                weight: 2.4,
                align: Align::Center,
            },
            Column {
                weight: 1.6,
                align: Align::Left,
            },
        ],
        head: vec![
            HeadCell::new("Tên đơn vị", 0, 1, 0, 1),
            HeadCell::new("Thời gian giao nhận hồ sơ", 1, 1, 0, 1),
            HeadCell::new(
                "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
                2,
                1,
                0,
                1,
            ),
            HeadCell::new("Ghi chú", 3, 1, 0, 1),
        ],
        size: size - 2.0,
    };
    let blank = Handover {
        from: String::new(),
        to: String::new(),
        at: None,
        result: String::new(),
        note: String::new(),
    };
    let blanks = MIN_BLOCKS.saturating_sub(input.handovers.len());
    let rows: Vec<Vec<String>> = input
        .handovers
        .iter()
        .chain(std::iter::repeat_n(&blank, blanks))
        .map(|h| {
            vec![
                format!(
                    "1. Giao: {}\n2. Nhận: {}",
                    or_blank(&h.from),
                    or_blank(&h.to)
                ),
                format!("{}\nNgười giao\n\nNgười nhận", when(h.at)),
                h.result.clone(),
                h.note.clone(),
            ]
        })
        .collect();
    table.draw(&mut flow, &rows);
    flow.gap(1.0);
    let note = size - 2.5;
    flow.text(Style::Italic, "Ghi chú:", Para::new(note));
    flow.text(Style::Regular, NOTE_1, Para::new(note));
    flow.text(Style::Regular, NOTE_2, Para::new(note));
    flow.finish(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::forms::receipt::tests::sample;

    #[test]
    fn hand_overs_are_listed_with_their_times() {
        let r = sample();
        let input = ControlInput {
            issuer: r.issuer.clone(),
            date: to_wall(r.received_at).date(),
            code: r.code.clone(),
            handler: "Công chức Tư pháp - Hộ tịch".into(),
            coordinator: String::new(),
            received_at: r.received_at,
            due_at: r.due_at,
            handovers: vec![
                Handover {
                    from: DESK.into(),
                    to: "Công chức Tư pháp - Hộ tịch".into(),
                    at: Some(r.received_at),
                    result: String::new(),
                    note: String::new(),
                },
                Handover {
                    from: "Công chức Tư pháp - Hộ tịch".into(),
                    to: DESK.into(),
                    at: None,
                    result: String::new(),
                    note: String::new(),
                },
            ],
        };
        for paper in [Paper::A5, Paper::A4] {
            let pages = pages(&input, paper);
            assert_eq!(pages.len(), 1, "{paper:?}");
            assert!(pages[0].fits(8.0));
            let text = pages[0].flat_text();
            for s in [
                TITLE,
                "Số: ……………/PKS-TTPVHCC",
                "Mã số hồ sơ: H22.39.15-260213-0001",
                "10 giờ 00 phút ngày 13/02/2026",
                "2. Nhận: Công chức Tư pháp - Hộ tịch",
                "Người giao",
                "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
                NOTE_1,
                NOTE_2,
            ] {
                assert!(text.contains(s), "{s:?} in\n{text}");
            }
            // Four hand-over blocks as on the official form, two of them still blank.
            assert_eq!(text.matches("1. Giao:").count(), 4, "{text}");
            assert_eq!(text.matches("Người nhận").count(), 4, "{text}");
        }
    }
}
