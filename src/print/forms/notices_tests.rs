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
        "Kính gửi: Ông/Bà/Tổ chức Nguyễn Thị Ngọc Ánh",
        "Ngày 13 tháng 02 năm 2026",
        "10 giờ 00 phút, ngày 25 tháng 02 năm 2026",
        // The official two sentences (QĐ 3621/QĐ-BYT BM.04), then its closing line.
        "Trung tâm Phục vụ hành chính công phường Hồng Gai xin trân trọng gửi lời xin lỗi \
         đến Ông (Bà)/Tổ chức vì sự chậm trễ trong quá trình giải quyết hồ sơ có thể gây \
         phiền hà, tốn kém về chi phí, công sức của Ông (Bà)/Tổ chức.",
        "Trung tâm Phục vụ hành chính công phường Hồng Gai xin lỗi Ông/Bà/Tổ chức và sẽ trả \
         kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào ngày 27 tháng 02 năm 2026",
        APOLOGY_CLOSING,
        HEAD_ROLE,
        "(Ký và ghi rõ họ tên)",
        DIGITAL_HEAD,
    ] {
        assert!(text.contains(s), "{s:?} in\n{text}");
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
