//! Mẫu 07 — Sổ theo dõi hồ sơ for a period: A4 landscape, the table header repeated on
//! every page, every page numbered. The form's note requires a book per lĩnh vực or
//! group of lĩnh vực: [`by_field`] splits a period's rows into one book per field, and a
//! caller wanting a group passes the group's rows with its field names. Each desk keeps
//! its own volume (quyển) of a book, so a book is printed per volume too, its STT the
//! Số thứ tự given at intake and printed on the receipt (issue 19).

use chrono::NaiveDate;

use crate::domain::clock::{Timestamp, to_wall};
use crate::print::blocks;
use crate::print::flow::{Flow, Frame, Para};
use crate::print::fonts::Style;
use crate::print::forms::Issuer;
use crate::print::layout::{A4_LANDSCAPE, Align, Page};
use crate::print::table::{Column, HeadCell, Table};

pub const TITLE: &str = "SỔ THEO DÕI HỒ SƠ";
pub const NOTE_1: &str =
    "- Sổ theo dõi hồ sơ được lập theo từng lĩnh vực hoặc nhóm lĩnh vực tại Bộ phận Một cửa.";
pub const NOTE_2: &str = "- Trường hợp áp dụng Sổ theo dõi hồ sơ điện tử thì theo dõi trực tiếp trên Hệ thống thông tin giải quyết thủ tục hành chính, không cần thực hiện in sổ giấy nhưng phải đảm bảo đầy đủ thông tin theo quy định.";

/// One dossier's line in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRow {
    /// Quyển số ("01/2026") and Số thứ tự given at intake, as the receipt prints them.
    pub volume: String,
    pub seq: u32,
    pub code: String,
    /// The procedure's lĩnh vực.
    pub field: String,
    pub procedure: String,
    pub applicant: String,
    pub address: String,
    pub phone: String,
    /// Cơ quan chủ trì giải quyết.
    pub handler: String,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
    pub returned_at: Option<Timestamp>,
    /// Phương thức nhận kết quả.
    pub result_method: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookInput {
    pub issuer: Issuer,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the book is printed.
    pub date: NaiveDate,
    /// The lĩnh vực (one, or a group) this book is kept for.
    pub fields: Vec<String>,
    /// The volume (Quyển số) printed; empty when the period has no dossier.
    pub volume: String,
    pub rows: Vec<BookRow>,
}

/// Splits a group's rows into one book per volume, each in Số thứ tự order.
pub fn by_volume(
    issuer: &Issuer,
    from: NaiveDate,
    to: NaiveDate,
    date: NaiveDate,
    fields: Vec<String>,
    rows: Vec<BookRow>,
) -> Vec<BookInput> {
    let mut books: Vec<BookInput> = Vec::new();
    for row in rows {
        match books.iter_mut().find(|b| b.volume == row.volume) {
            Some(b) => b.rows.push(row),
            None => books.push(BookInput {
                issuer: issuer.clone(),
                from,
                to,
                date,
                fields: fields.clone(),
                volume: row.volume.clone(),
                rows: vec![row],
            }),
        }
    }
    books.sort_by_key(|a| volume_key(&a.volume));
    for b in &mut books {
        b.rows.sort_by_key(|r| r.seq);
    }
    books
}

/// "02/2026" sorts as (2026, 2).
fn volume_key(volume: &str) -> (String, String) {
    let (number, year) = volume.split_once('/').unwrap_or((volume, ""));
    (year.to_string(), number.to_string())
}

/// One book per lĩnh vực (in the order of first appearance) and volume, each with its
/// own rows in Số thứ tự order.
pub fn by_field(
    issuer: &Issuer,
    from: NaiveDate,
    to: NaiveDate,
    date: NaiveDate,
    rows: Vec<BookRow>,
) -> Vec<BookInput> {
    let mut fields: Vec<(String, Vec<BookRow>)> = Vec::new();
    for row in rows {
        match fields.iter_mut().find(|(f, _)| *f == row.field) {
            Some((_, rows)) => rows.push(row),
            None => fields.push((row.field.clone(), vec![row])),
        }
    }
    fields
        .into_iter()
        .flat_map(|(field, rows)| by_volume(issuer, from, to, date, vec![field], rows))
        .collect()
}

const SIZE: f32 = 9.0;

fn frame() -> Frame {
    Frame {
        size: A4_LANDSCAPE,
        top: 12.0,
        bottom: 14.0,
        left: 15.0,
        right: 12.0,
    }
}

fn cell_time(t: Timestamp) -> String {
    to_wall(t).format("%d/%m/%Y\n%H:%M").to_string()
}

fn table() -> Table {
    let col = |weight: f32, align| Column { weight, align };
    Table {
        columns: vec![
            col(0.7, Align::Center),
            col(2.75, Align::Left),
            col(3.0, Align::Left),
            col(2.2, Align::Left),
            col(2.75, Align::Left),
            col(2.0, Align::Left),
            col(1.35, Align::Center),
            col(1.35, Align::Center),
            col(1.35, Align::Center),
            col(1.8, Align::Left),
            col(1.3, Align::Left),
        ],
        head: vec![
            HeadCell::new("STT", 0, 1, 0, 2),
            HeadCell::new("Mã hồ sơ", 1, 1, 0, 2),
            HeadCell::new("Tên TTHC", 2, 1, 0, 2),
            HeadCell::new("Tên tổ chức, cá nhân", 3, 1, 0, 2),
            HeadCell::new("Địa chỉ/SĐT", 4, 1, 0, 2),
            HeadCell::new("Cơ quan chủ trì giải quyết", 5, 1, 0, 2),
            HeadCell::new("Nhận và trả kết quả", 6, 5, 0, 1),
            HeadCell::new("Nhận hồ sơ", 6, 1, 1, 1),
            HeadCell::new("Hẹn trả kết quả", 7, 1, 1, 1),
            HeadCell::new("Trả kết quả", 8, 1, 1, 1),
            HeadCell::new("Phương thức nhận kết quả", 9, 1, 1, 1),
            HeadCell::new("Ký nhận", 10, 1, 1, 1),
        ],
        size: SIZE,
    }
}

pub fn pages(input: &BookInput) -> Vec<Page> {
    let period = format!(
        "(Từ ngày {} đến ngày {})",
        input.from.format("%d/%m/%Y"),
        input.to.format("%d/%m/%Y")
    );
    let mut flow = Flow::new(frame(), format!("{TITLE} {period} — tiếp theo"));
    blocks::header(&mut flow, &input.issuer.header("", "STD", input.date), 11.0);
    flow.gap(4.0);
    let mut under = vec![];
    if !input.fields.is_empty() {
        under.push(format!("Lĩnh vực: {}", input.fields.join("; ")));
    }
    if !input.volume.is_empty() {
        under.push(format!("Quyển số: {}", input.volume));
    }
    under.push(period.clone());
    blocks::title(&mut flow, TITLE, &under, 12.0);
    flow.gap(3.0);
    let rows: Vec<Vec<String>> = input
        .rows
        .iter()
        .map(|r| {
            let contact = match (r.address.trim(), r.phone.trim()) {
                (a, "") => a.to_string(),
                (a, p) => format!("{a}\nĐT: {p}"),
            };
            vec![
                format!("{:02}", r.seq),
                r.code.clone(),
                r.procedure.clone(),
                r.applicant.clone(),
                contact,
                r.handler.clone(),
                cell_time(r.received_at),
                cell_time(r.due_at),
                r.returned_at.map(cell_time).unwrap_or_default(),
                r.result_method.clone(),
                String::new(),
            ]
        })
        .collect();
    if rows.is_empty() {
        table().draw(&mut flow, &[]);
        flow.text(
            Style::Italic,
            "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.",
            Para::new(SIZE + 1.0).centered(),
        );
    } else {
        table().draw(&mut flow, &rows);
    }
    flow.gap(2.0);
    flow.text(Style::Italic, "Ghi chú:", Para::new(SIZE));
    flow.text(Style::Regular, NOTE_1, Para::new(SIZE));
    flow.text(Style::Regular, NOTE_2, Para::new(SIZE));
    flow.finish(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_wall;
    use crate::print::forms::receipt::tests::sample;

    #[test]
    fn many_dossiers_fill_numbered_landscape_pages() {
        let r = sample();
        let rows: Vec<BookRow> = (0..45)
            .map(|i| BookRow {
                volume: "01/2026".into(),
                seq: i as u32 + 1,
                code: format!("H22.39.15-260213-{:04}", i + 1),
                field: if i % 3 == 0 {
                    "Chứng thực"
                } else {
                    "Hộ tịch"
                }
                .into(),
                procedure: r.procedure.clone(),
                applicant: if i % 2 == 0 {
                    "Nguyễn Thị Ngọc Ánh"
                } else {
                    "Đặng Hữu Nghĩa"
                }
                .into(),
                address: r.applicant.address.clone(),
                phone: "0912345678".into(),
                handler: "Công chức Tư pháp - Hộ tịch".into(),
                received_at: from_wall(r.received_at.naive_local() + chrono::Duration::minutes(i)),
                due_at: r.due_at,
                returned_at: (i % 3 == 0).then_some(r.due_at),
                result_method: r.result_at.clone(),
            })
            .collect();
        let input = BookInput {
            issuer: r.issuer.clone(),
            from: NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
            to: NaiveDate::from_ymd_opt(2026, 2, 28).expect("date"),
            date: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
            fields: vec![],
            volume: "01/2026".into(),
            rows,
        };
        let pages = pages(&input);
        assert!(pages.len() >= 3, "{}", pages.len());
        for (i, p) in pages.iter().enumerate() {
            assert_eq!((p.width, p.height), A4_LANDSCAPE);
            assert!(p.fits(5.0), "page {i}");
            let text = p.flat_text();
            assert!(text.contains("Phương thức nhận kết quả"), "page {i}");
            assert!(text.contains(&format!("Trang {}/{}", i + 1, pages.len())));
        }
        assert!(
            pages[0]
                .flat_text()
                .contains("(Từ ngày 01/02/2026 đến ngày 28/02/2026)")
        );
        assert!(
            pages
                .last()
                .is_some_and(|p| p.flat_text().contains("H22.39.15-260213-0045"))
        );
    }

    #[test]
    fn an_empty_period_says_so() {
        let r = sample();
        let d = NaiveDate::from_ymd_opt(2026, 2, 1).expect("date");
        let pages = pages(&BookInput {
            issuer: r.issuer,
            from: d,
            to: d,
            date: d,
            fields: vec![],
            volume: String::new(),
            rows: vec![],
        });
        assert_eq!(pages.len(), 1);
        assert!(pages[0].flat_text().contains("Không có hồ sơ nào"));
    }

    #[test]
    fn a_book_is_kept_per_field() {
        // Before issue 12 one book mixed every lĩnh vực, against the form's note.
        let r = sample();
        let row = |n: u32, field: &str| BookRow {
            volume: "01/2026".into(),
            seq: n,
            code: format!("H22.39.15-260213-{n:04}"),
            field: field.into(),
            procedure: r.procedure.clone(),
            applicant: "Nguyễn Thị Ngọc Ánh".into(),
            address: String::new(),
            phone: String::new(),
            handler: String::new(),
            received_at: r.received_at,
            due_at: r.due_at,
            returned_at: None,
            result_method: String::new(),
        };
        let d = NaiveDate::from_ymd_opt(2026, 2, 1).expect("date");
        let books = by_field(
            &r.issuer,
            d,
            d,
            d,
            vec![row(1, "Hộ tịch"), row(2, "Chứng thực"), row(3, "Hộ tịch")],
        );
        assert_eq!(books.len(), 2);
        assert_eq!(books[0].fields, ["Hộ tịch"]);
        assert_eq!(books[0].rows.len(), 2);
        let text = pages(&books[1])[0].flat_text();
        assert!(text.contains("Lĩnh vực: Chứng thực"), "{text}");
        assert!(text.contains("H22.39.15-260213-0002"));
        assert!(!text.contains("H22.39.15-260213-0001"));
        assert!(
            text.contains(NOTE_1) && text.contains("Địa chỉ/SĐT"),
            "{text}"
        );
    }
}
