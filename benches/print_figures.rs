//! Figures for Mẫu 01 with both copies (issue 3): the median time to lay out and
//! render the PDF (target < 20 ms) and the file size (target < 150 KB), on A4 two-up
//! and on A5. Run with `cargo bench --bench print_figures`.

use std::time::Instant;

use chrono::NaiveDate;
use motcua::domain::clock::{Timestamp, from_wall};
use motcua::domain::dossier::SubmittedDocument;
use motcua::domain::procedure::DocumentForm;
use motcua::print::Paper;
use motcua::print::forms::receipt::{self, Authorised, BookEntry, ReceiptInput};
use motcua::print::forms::{Issuer, Party};
use motcua::print::render::to_pdf;

fn at(d: u32, h: u32, m: u32) -> Timestamp {
    from_wall(
        NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|x| x.and_hms_opt(h, m, 0))
            .expect("valid time"),
    )
}

fn doc(name: &str, count: u32, form: DocumentForm) -> SubmittedDocument {
    SubmittedDocument {
        name: name.into(),
        count,
        form,
    }
}

fn input() -> ReceiptInput {
    ReceiptInput {
        issuer: Issuer {
            authority: "UBND phường Hồng Gai".into(),
            unit: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
            place: "Hồng Gai".into(),
            signer_title: String::new(),
        },
        code: "H22.39.15-260302-0001".into(),
        applicant: Party {
            name: "Nguyễn Thị Ngọc Ánh".into(),
            id_number: "022190001234".into(),
            address: "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh".into(),
            phone: "0912345678".into(),
            email: "anh.ntn@example.vn".into(),
            ..Party::default()
        },
        authorised: Some(Authorised {
            name: "Đặng Hữu Nghĩa".into(),
            id_number: "022090004321".into(),
            address: "Phường Bãi Cháy, tỉnh Quảng Ninh".into(),
            phone: "0987654321".into(),
            email: String::new(),
            document: "Giấy ủy quyền số 12/2026".into(),
        }),
        procedure: "Cấp Giấy xác nhận tình trạng hôn nhân".into(),
        documents: vec![
            doc(
                "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                1,
                DocumentForm::Original,
            ),
            doc("Bản sao Giấy chứng nhận kết hôn", 2, DocumentForm::Copy),
            doc(
                "Giấy xác nhận tình trạng hôn nhân đã được cấp trước đó",
                1,
                DocumentForm::Original,
            ),
        ],
        sets: 1,
        time_limit: "03 ngày làm việc".into(),
        received_at: at(2, 9, 30),
        due_at: at(5, 9, 30),
        result_at: "Bộ phận Tiếp nhận và Trả kết quả".into(),
        book: Some(BookEntry {
            receipt: 42,
            book: "01/2026".into(),
            seq: 42,
        }),
        clerk: "Trần Thị Mai".into(),
        tracking_url: Some("https://dichvucong.example.vn/tra-cuu".into()),
        tracking_link: None,
        deciding_unit: None,
    }
}

fn measure(paper: Paper, label: &str) {
    let input = input();
    // The first call parses the fonts once per process; count it apart.
    let first = Instant::now();
    let bytes = to_pdf("Mẫu 01", &receipt::pages(&input, paper)).expect("pdf");
    let first_ms = first.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let pdf = to_pdf("Mẫu 01", &receipt::pages(&input, paper)).expect("pdf");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(pdf.len() / 1000, bytes.len() / 1000);
    }
    let mut layout = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let pages = receipt::pages(&input, paper);
        layout.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!pages.is_empty());
    }
    let (median, p95) = median_p95(&mut times);
    let (layout_median, _) = median_p95(&mut layout);
    println!(
        "Mẫu 01, 2 liên, {label}: trung vị {median:.2} ms (p95 {p95:.2} ms, lần đầu {first_ms:.1} ms; \
         riêng dàn trang {layout_median:.2} ms); tệp {:.1} KB",
        bytes.len() as f64 / 1024.0
    );
}

/// The median and 95th percentile of `times` (sorted in place).
fn median_p95(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn main() {
    measure(Paper::A4, "A4 hai liên một tờ");
    measure(Paper::A5, "A5 mỗi liên một tờ");
}
