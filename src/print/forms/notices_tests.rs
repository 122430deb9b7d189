//! Layout tests of Mẫu 02–05, without a PDF.

use super::*;
use crate::domain::clock::from_wall;
use crate::print::forms::receipt::tests::sample;

fn at(d: u32, h: u32) -> Timestamp {
    from_wall(
        NaiveDate::from_ymd_opt(2026, 2, d)
            .and_then(|x| x.and_hms_opt(h, 0, 0))
            .expect("valid"),
    )
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 20).expect("date")
}

fn one_page(pages: &[Page], paper: Paper) -> String {
    assert_eq!(pages.len(), 1, "{paper:?}");
    assert!(pages[0].fits(8.0), "{paper:?}");
    pages[0].flat_text()
}

#[test]
fn supplement_request_without_a_dossier_code() {
    let r = sample();
    let input = SupplementInput {
        issuer: r.issuer.clone(),
        date: date(),
        code: None,
        applicant: r.applicant.clone(),
        procedure: r.procedure.clone(),
        items: vec![
            "Bản sao Giấy khai sinh".into(),
            "Tờ khai ghi đầy đủ mục nơi cư trú".into(),
        ],
        reason: "Hồ sơ còn thiếu giấy tờ theo quy định".into(),
        contact: "Đặng Hữu Nghĩa".into(),
        contact_phone: "0203 3825 123".into(),
        clerk: "Đặng Hữu Nghĩa".into(),
    };
    for paper in [Paper::A5, Paper::A4] {
        let text = one_page(&supplement(&input, paper), paper);
        for s in [
            TITLE_02,
            "Số: ……………/PBS-TTPVHCC",
            "Hồng Gai, ngày 20 tháng 02 năm 2026",
            "Hồ sơ của: Nguyễn Thị Ngọc Ánh",
            "1. Bản sao Giấy khai sinh",
            "2. Tờ khai ghi đầy đủ mục nơi cư trú",
            "Lý do: Hồ sơ còn thiếu giấy tờ theo quy định",
            "NGƯỜI HƯỚNG DẪN",
            DIGITAL_GUIDE,
        ] {
            assert!(text.contains(s), "{s:?} in\n{text}");
        }
        assert!(!text.contains("Mã hồ sơ"));
    }
    // With a code, it is printed under the title, not among the official lines.
    let with_code = SupplementInput {
        code: Some(r.code.clone()),
        ..input
    };
    let text = one_page(&supplement(&with_code, Paper::A5), Paper::A5);
    let code_at = text
        .find("(Mã hồ sơ: H22.39.15-260213-0001)")
        .expect("the code");
    assert!(code_at < text.find("Hồ sơ của:").expect("the official text"));
    assert!(code_at > text.find(TITLE_02).expect("the title"));
}

#[test]
fn refusal_states_the_reason() {
    let r = sample();
    let input = RefusalInput {
        issuer: r.issuer.clone(),
        date: date(),
        code: None,
        applicant: r.applicant.clone(),
        procedure: r.procedure.clone(),
        reason: "Thủ tục không thuộc thẩm quyền giải quyết của cấp xã".into(),
        clerk: "Đặng Hữu Nghĩa".into(),
        authorised: None,
    };
    let text = one_page(&refusal(&input, Paper::A5), Paper::A5);
    for s in [
        TITLE_03,
        "Số: ……………/PTC-TTPVHCC",
        "Mã hồ sơ (nếu có): ……………",
        "Thủ tục không thuộc thẩm quyền giải quyết của cấp xã",
        "NGƯỜI NỘP HỒ SƠ",
        DIGITAL_RECEIVER_03,
    ] {
        assert!(text.contains(s), "{s:?} in\n{text}");
    }
}

#[test]
fn apology_and_stop_notice_give_the_times() {
    let r = sample();
    let apology_input = ApologyInput {
        issuer: r.issuer.clone(),
        date: date(),
        code: r.code.clone(),
        applicant: r.applicant.clone(),
        procedure: r.procedure.clone(),
        received_at: at(13, 10),
        old_due: at(25, 10),
        new_due: at(27, 16),
        reason: "Cần xác minh thông tin tại nơi cư trú trước đây".into(),
    };
    let text = one_page(&apology(&apology_input, Paper::A5), Paper::A5);
    for s in [
        TITLE_04,
        "Số: ……………/PXL",
        "Kính gửi: Bà Nguyễn Thị Ngọc Ánh",
        "Ngày 13 tháng 02 năm 2026",
        "10 giờ 00 phút, ngày 25 tháng 02 năm 2026",
        // The official two sentences (QĐ 3621/QĐ-BYT BM.04), then its closing line.
        "Trung tâm Phục vụ hành chính công phường Hồng Gai xin trân trọng gửi lời xin lỗi \
         đến Bà vì sự chậm trễ trong quá trình giải quyết hồ sơ có thể gây \
         phiền hà, tốn kém về chi phí, công sức của Bà.",
        "Trung tâm Phục vụ hành chính công phường Hồng Gai xin lỗi Bà và sẽ trả \
         kết quả giải quyết hồ sơ cho Bà vào ngày 27 tháng 02 năm 2026",
        "Mong nhận được sự thông cảm của Bà vì sự chậm trễ này./.",
        // The unit's head: a Trung tâm's Giám đốc when no title is set.
        "GIÁM ĐỐC",
        "(Ký và ghi rõ họ tên)",
        DIGITAL_HEAD,
    ] {
        assert!(text.contains(s), "{s:?} in\n{text}");
    }
    // Issue 19 §3: no placeholder on paper.
    for s in ["Ông/Bà", "Ông (Bà)", "Tổ chức", "THỦ TRƯỞNG"] {
        assert!(!text.contains(s), "{s:?} printed in\n{text}");
    }
    let stop_input = StopInput {
        issuer: r.issuer.clone(),
        date: date(),
        code: r.code.clone(),
        applicant: r.applicant.clone(),
        procedure: r.procedure.clone(),
        received_at: at(13, 10),
        stopped_at: at(20, 9),
        reason: "Người nộp hồ sơ đề nghị dừng giải quyết".into(),
    };
    let text = one_page(&stop(&stop_input, Paper::A4), Paper::A4);
    for s in [
        TITLE_05,
        "Số: ……………/TB-TTPVHCC",
        "09 giờ 00 phút, ngày 20 tháng 02 năm 2026",
        DIGITAL_HEAD,
    ] {
        assert!(text.contains(s), "{s:?} in\n{text}");
    }
}

/// Issue 19 §3: the unit's title for its head signs Mẫu 04 and 05, on two lines when it
/// has two; an organisation is addressed "Tổ chức".
#[test]
fn the_head_signs_with_the_units_title_and_an_organisation_is_to_chuc() {
    let r = sample();
    let mut issuer = r.issuer.clone();
    issuer.signer_title = "TM. Ủy ban nhân dân / Chủ tịch".into();
    let org = Party {
        kind: crate::domain::applicant::ApplicantKind::Organisation,
        gender: None,
        name: "Công ty TNHH Hạ Long Xanh".into(),
        signer: "Trần Văn Bình".into(),
        ..r.applicant.clone()
    };
    let input = StopInput {
        issuer,
        date: date(),
        code: r.code.clone(),
        applicant: org,
        procedure: r.procedure.clone(),
        received_at: at(13, 10),
        stopped_at: at(20, 9),
        reason: crate::print::fill::withdrawal_reason(""),
    };
    let pages = stop(&input, Paper::A5);
    let text = one_page(&pages, Paper::A5);
    for s in [
        "Kính gửi: Tổ chức Công ty TNHH Hạ Long Xanh",
        "của Tổ chức Công ty TNHH Hạ Long Xanh",
        "Lý do: Người nộp rút hồ sơ",
        "Xin thông báo để Tổ chức được biết./.",
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
    ] {
        assert!(text.contains(s), "{s:?} in\n{text}");
    }
    // Two lines, the second under the first.
    let lines: Vec<&crate::print::layout::Text> = pages[0]
        .texts()
        .filter(|t| t.text == "TM. ỦY BAN NHÂN DÂN" || t.text == "CHỦ TỊCH")
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].y > lines[0].y);
}

/// Issue 19 §3: Mẫu 03 names the person at the counter, the authorised person when
/// there is one, and gives the grantor as Mẫu 01 does.
#[test]
fn refusal_names_the_authorised_person_at_the_counter() {
    let r = sample();
    let input = RefusalInput {
        issuer: r.issuer.clone(),
        date: date(),
        code: None,
        applicant: r.applicant.clone(),
        procedure: r.procedure.clone(),
        reason: "Hồ sơ không thuộc thẩm quyền".into(),
        clerk: "Đặng Hữu Nghĩa".into(),
        authorised: Some(crate::print::forms::receipt::Authorised {
            name: "Phạm Quỳnh Hương".into(),
            id_number: "022190009999".into(),
            address: "Phường Bãi Cháy, tỉnh Quảng Ninh".into(),
            phone: "0987654321".into(),
            email: String::new(),
            document: "Giấy ủy quyền số 12/2026".into(),
        }),
    };
    let text = one_page(&refusal(&input, Paper::A5), Paper::A5);
    for s in [
        "Tiếp nhận hồ sơ của: Phạm Quỳnh Hương",
        "Số định danh cá nhân/tổ chức: 022190009999",
        "(Thông tin của người ủy quyền: họ và tên: Nguyễn Thị Ngọc Ánh",
        "giấy tờ ủy quyền: Giấy ủy quyền số 12/2026",
        "Xin thông báo cho Bà được biết và thực hiện./.",
    ] {
        assert!(text.contains(s), "{s:?} in\n{text}");
    }
}
