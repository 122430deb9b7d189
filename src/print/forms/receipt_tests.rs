//! Layout tests of Mẫu 01, without a PDF.

use super::*;
use crate::domain::clock::from_wall;
use crate::domain::procedure::DocumentForm;

fn at(d: u32, h: u32, m: u32) -> Timestamp {
    from_wall(
        chrono::NaiveDate::from_ymd_opt(2026, 2, d)
            .and_then(|x| x.and_hms_opt(h, m, 0))
            .expect("valid"),
    )
}

fn doc(name: &str, count: u32, form: DocumentForm) -> SubmittedDocument {
    SubmittedDocument {
        name: name.into(),
        count,
        form,
    }
}

pub(crate) fn sample() -> ReceiptInput {
    ReceiptInput {
        issuer: Issuer {
            authority: "UBND phường Hồng Gai".into(),
            unit: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
            place: "Hồng Gai".into(),
            signer_title: String::new(),
        },
        code: "H22.39.15-260213-0001".into(),
        applicant: Party {
            kind: ApplicantKind::Citizen,
            gender: Some(crate::domain::applicant::Gender::Female),
            name: "Nguyễn Thị Ngọc Ánh".into(),
            signer: "Nguyễn Thị Ngọc Ánh".into(),
            id_number: "022190001234".into(),
            address: "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh".into(),
            phone: "0912345678".into(),
            email: "anh.ntn@example.vn".into(),
        },
        authorised: None,
        procedure: "Cấp Giấy xác nhận tình trạng hôn nhân".into(),
        documents: vec![
            doc(
                "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                1,
                DocumentForm::Original,
            ),
            doc("Bản sao Giấy khai sinh", 2, DocumentForm::Copy),
            doc("Giấy tờ khác", 1, DocumentForm::Unspecified),
        ],
        sets: 1,
        time_limit: "03 ngày làm việc".into(),
        received_at: at(13, 10, 0),
        due_at: at(25, 10, 0),
        result_at: "Bộ phận Tiếp nhận và Trả kết quả".into(),
        book: Some(BookEntry {
            receipt: 42,
            book: "01/2026".into(),
            seq: 42,
        }),
        clerk: "Đặng Hữu Nghĩa".into(),
        tracking_url: None,
        tracking_link: None,
        deciding_unit: None,
    }
}

#[test]
fn one_copy_fits_one_a5_page_with_every_field() {
    let input = sample();
    let pages = copy_pages(&input, COPIES[0]);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].fits(7.5));
    let text = pages[0].flat_text();
    for s in [
        TITLE,
        "(Liên 1: Lưu)",
        "Mã hồ sơ: H22.39.15-260213-0001",
        "Số: 42/TTPVHCC",
        "Hồng Gai, ngày 13 tháng 02 năm 2026",
        "Nguyễn Thị Ngọc Ánh",
        "022190001234",
        "0912345678",
        "anh.ntn@example.vn",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "1. Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (01 bản chính)",
        "2. Bản sao Giấy khai sinh (02 bản sao)",
        "3. Giấy tờ khác (01 bản)",
        "Số lượng hồ sơ: 01 (bộ)",
        "03 ngày làm việc",
        "Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 13 tháng 02 năm 2026",
        "10 giờ 00 phút, ngày 25 tháng 02 năm 2026",
        "Quyển số: 01/2026 Số thứ tự: 42",
        AUTH_INSTRUCTION,
        DIGITAL_RECEIVER,
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Đặng Hữu Nghĩa",
    ] {
        assert!(text.contains(s), "missing {s:?} in\n{text}");
    }
    let qr: Vec<&str> = pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Qr { data, .. } => Some(data.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(qr, vec!["H22.39.15-260213-0001"]);
    assert!(
        pages[0]
            .items
            .iter()
            .any(|i| matches!(i, Item::Barcode { data, .. } if data == &input.code))
    );
}

#[test]
fn the_qr_opens_the_tracking_page_when_one_is_configured() {
    let mut input = sample();
    input.tracking_url = Some("https://dichvucong.example.vn/tra-cuu".into());
    assert_eq!(
        input.qr_data(),
        "https://dichvucong.example.vn/tra-cuu?ma=H22.39.15-260213-0001"
    );
    input.tracking_url = Some("https://x.example.vn/p?tinh=22".into());
    assert_eq!(
        input.qr_data(),
        "https://x.example.vn/p?tinh=22&ma=H22.39.15-260213-0001"
    );
}

#[test]
fn two_copies_on_a5_or_side_by_side_on_a4() {
    let input = sample();
    let a5 = pages(&input, Paper::A5);
    assert_eq!(a5.len(), 2);
    assert!(a5[1].flat_text().contains("(Liên 2: Giao người nộp hồ sơ)"));
    let a4 = pages(&input, Paper::A4);
    assert_eq!(a4.len(), 1);
    let sheet = &a4[0];
    assert_eq!((sheet.width, sheet.height), A4_LANDSCAPE);
    assert!(sheet.fits(4.0));
    let half = A4_LANDSCAPE.0 / 2.0;
    let liên1 = sheet
        .texts()
        .find(|t| t.text == "(Liên 1: Lưu)")
        .expect("liên 1");
    let liên2 = sheet
        .texts()
        .find(|t| t.text == "(Liên 2: Giao người nộp hồ sơ)")
        .expect("liên 2");
    assert!(liên1.x + liên1.width() < half && liên2.x > half);
    assert!(
        sheet
            .items
            .iter()
            .any(|i| matches!(i, Item::Line { dashed: true, .. }))
    );
    // Nothing of the left copy crosses the cut line.
    assert!(sheet.texts().all(|t| t.x > half || t.x + t.width() < half));
}

#[test]
fn a_long_address_and_many_documents_flow_onto_a_second_page() {
    let mut input = sample();
    input.applicant.address =
        "Số 1234 ngõ 56 ngách 78 hẻm 90 đường Nguyễn Văn Cừ nối dài, tổ dân phố số 15, \
        khu phố 7, phường Hồng Gai, tỉnh Quảng Ninh (gần Trường Trung học phổ thông chuyên Hạ Long)"
            .to_string();
    input.documents = (1..=14)
        .map(|i| {
            doc(
                &format!("Bản sao có chứng thực giấy tờ chứng minh quan hệ nhân thân số {i}"),
                i,
                DocumentForm::Copy,
            )
        })
        .collect();
    input.authorised = Some(Authorised {
        name: "Đặng Hữu Nghĩa".into(),
        id_number: "022090004321".into(),
        address: "Phường Bãi Cháy, tỉnh Quảng Ninh".into(),
        phone: "0987654321".into(),
        email: String::new(),
        document: "Giấy ủy quyền số 12/2026 chứng thực ngày 10/02/2026".into(),
    });
    let pages = copy_pages(&input, COPIES[1]);
    assert_eq!(pages.len(), 2);
    for p in &pages {
        assert!(p.fits(5.0));
    }
    let all: String = pages
        .iter()
        .map(Page::plain_text)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("14. Bản sao có chứng thực giấy tờ chứng minh quan hệ nhân thân số 14"));
    assert!(all.contains("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Đặng Hữu Nghĩa"));
    assert!(pages[1].flat_text().contains("tiếp theo"));
    assert!(pages[1].flat_text().contains("Trang 2/2"));
    // The signatures are whole on the last page.
    assert!(pages[1].flat_text().contains("NGƯỜI TIẾP NHẬN HỒ SƠ"));
}

/// The text of one copy, every run of whitespace as one space.
fn copy_text(input: &ReceiptInput) -> String {
    copy_pages(input, COPIES[1])
        .iter()
        .map(Page::flat_text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name printed under the NGƯỜI NỘP HỒ SƠ block: the last bold text in the left half
/// of the signature row.
fn submitter_signature(input: &ReceiptInput) -> String {
    let pages = copy_pages(input, COPIES[1]);
    let last = pages.last().expect("a page");
    let role = last
        .texts()
        .find(|t| t.text == "NGƯỜI NỘP HỒ SƠ")
        .unwrap_or_else(|| panic!("{} pages: {}", pages.len(), last.flat_text()));
    last.texts()
        .filter(|t| t.y > role.y + 10.0 && t.x < A5.0 / 2.0 && t.style == Style::Bold)
        .map(|t| t.text.clone())
        .next()
        .unwrap_or_default()
}

#[test]
fn an_authorised_person_submits_and_signs_and_the_bracket_gives_the_grantor() {
    // Before issue 12 the owner's name was printed under NGƯỜI NỘP HỒ SƠ even when an
    // authorised person stood at the counter, and the grantor's e-mail was never printed.
    let mut input = sample();
    input.authorised = Some(Authorised {
        name: "Đặng Hữu Nghĩa".into(),
        id_number: "022090004321".into(),
        address: "Phường Bãi Cháy, tỉnh Quảng Ninh".into(),
        phone: "0987654321".into(),
        email: "nghia.dh@example.vn".into(),
        document: "Giấy ủy quyền số 12/2026".into(),
    });
    let text = copy_text(&input);
    assert!(
        text.contains("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Đặng Hữu Nghĩa"),
        "{text}"
    );
    assert!(text.contains("Số định danh cá nhân/tổ chức: 022090004321"));
    let grantor = "(Thông tin của người ủy quyền: họ và tên: Nguyễn Thị Ngọc Ánh; địa chỉ: Số 12 \
                   đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh; số định danh cá nhân: \
                   022190001234; số điện thoại: 0912345678; email: anh.ntn@example.vn; giấy tờ \
                   ủy quyền: Giấy ủy quyền số 12/2026).";
    assert!(text.contains(grantor), "{text}");
    assert!(!text.contains(AUTH_INSTRUCTION));
    assert_eq!(submitter_signature(&input), "Đặng Hữu Nghĩa");
    assert_eq!(submitter_signature(&sample()), "Nguyễn Thị Ngọc Ánh");
}

#[test]
fn an_organisation_is_named_and_its_representative_signs() {
    let mut input = sample();
    input.applicant = Party {
        kind: ApplicantKind::Organisation,
        gender: None,
        name: "Công ty TNHH Xây dựng số 1 Hạ Long".into(),
        signer: "Phạm Văn Đông".into(),
        id_number: "5700100256".into(),
        address: "Số 8 đường Lê Thánh Tông".into(),
        phone: "02033825111".into(),
        email: String::new(),
    };
    let text = copy_text(&input);
    assert!(
        text.contains("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Công ty TNHH Xây dựng số 1 Hạ Long")
    );
    assert!(text.contains("Số định danh cá nhân/tổ chức: 5700100256"));
    assert_eq!(submitter_signature(&input), "Phạm Văn Đông");
}

#[test]
fn the_header_prints_the_receipt_number_and_the_body_the_book_place() {
    // The receipt number (unique in the unit and year) and the place in the lĩnh
    // vực's book are both given at intake and printed as stored (issue 19).
    for (receipt, seq) in [(7, 3), (42, 42), (100_234, 1234)] {
        let mut input = sample();
        input.book = Some(BookEntry {
            receipt,
            book: "02/2026".into(),
            seq,
        });
        let text = copy_text(&input);
        assert!(
            text.contains(&format!("Số: {receipt:02}/TTPVHCC")),
            "{text}"
        );
        assert!(text.contains("Quyển số: 02/2026"), "{text}");
        assert!(text.contains(&format!("Số thứ tự: {seq:02}")), "{text}");
    }
    let mut none = sample();
    none.book = None;
    assert!(copy_text(&none).contains("(nếu có)"));
}

#[test]
fn production_extras_sit_outside_the_official_blocks() {
    let pages = copy_pages(&sample(), COPIES[0]);
    let page = &pages[0];
    let y_of = |s: &str| {
        page.texts()
            .find(|t| t.text.contains(s))
            .map(|t| t.y)
            .unwrap_or_else(|| panic!("{s:?} missing"))
    };
    // The reminder sits in the code band, before the official text begins, not inside it.
    assert!(y_of("mang theo Giấy") < y_of("Tiếp nhận hồ sơ của"));
    assert!(page.flat_text().contains(BRING_RECEIPT));
}

/// Issue 19 §1: a birth registration lists the two papers everyone hands in, each with
/// its kind and count; the identity paper (xuất trình) and the conditional papers are
/// not on it, and one copy fits one A5 page.
#[test]
fn a_birth_registration_receipt_lists_what_was_handed_in_on_one_page() {
    let khai_sinh = crate::domain::catalogue_seed::seed_catalogue()
        .into_iter()
        .find(|p| p.code.as_str() == "1.001193")
        .expect("in the catalogue");
    let mut input = sample();
    input.procedure = khai_sinh.name.clone();
    input.time_limit = khai_sinh.time_limits[0].limit.describe_vi();
    input.documents = crate::domain::intake::default_documents(&khai_sinh);
    let pages = copy_pages(&input, COPIES[1]);
    assert_eq!(pages.len(), 1);
    let text = pages[0].flat_text();
    for s in [
        "1. Tờ khai đăng ký khai sinh (01 bản chính)",
        "2. Giấy chứng sinh",
        "giấy cam đoan về việc sinh) (01 bản chính)",
    ] {
        assert!(text.contains(s), "missing {s:?} in\n{text}");
    }
    for s in [
        "Giấy tờ tùy thân",
        "bỏ rơi",
        "mang thai hộ",
        "Văn bản ủy quyền",
        "3. ",
    ] {
        assert!(!text.contains(s), "{s:?} printed in\n{text}");
    }
}
