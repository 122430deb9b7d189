//! Issue 19 §1 and §3 on real PDFs made by `motcua print`: the receipt for an ordinary
//! birth registration lists what was handed in on one page per copy, and a withdrawal
//! is notified with Mẫu 05 signed by the unit's head under its own title.
//!
//! Needs poppler-utils (`pdftotext`, `pdfinfo`).

mod common;

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use motcua::domain::intake::IntakeInput;
use motcua::store::Store;

const CLERK: &str = "Đặng Hữu Nghĩa";

fn motcua(dir: &Path) -> Command {
    common::motcua_cli(dir, CLERK)
}

fn ok(cmd: &mut Command) -> String {
    common::stdout_ok(cmd)
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Process::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test ({e}); run .ci/run"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The PDF's text, every run of whitespace as one space.
fn pdftotext(pdf: &Path) -> String {
    let raw = tool(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", pdf.to_str().expect("path"), "-"],
    );
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().expect("path")])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

/// A birth registration (1.001193) taken in as a new user would: no documents named,
/// received by the grandmother under an authorisation.
fn birth_registration(dir: &Path) -> String {
    let mut store = common::new_store(dir);
    let json = common::intake::Intake {
        procedure: "1.001193".into(),
        authorised: true,
        received_at: Some("2026-03-05T09:30:00+07:00".into()),
        ..common::intake::Intake::default()
    }
    .json();
    let input = IntakeInput::from_json(&json).expect("valid intake json");
    let state = store
        .intake(input, CLERK, common::at(2026, 3, 5, 9, 30))
        .expect("intake");
    state.code.to_string()
}

#[test]
fn a_birth_registration_receipt_lists_the_papers_handed_in_on_one_page_per_copy() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let code = birth_registration(dir);
    let a5 = dir.join("khai-sinh-a5.pdf");
    ok(motcua(dir)
        .args(["print", &code, "--form", "01", "--paper", "a5", "--out"])
        .arg(&a5));
    assert_eq!(page_count(&a5), 2, "one A5 page per copy");
    let a4 = dir.join("khai-sinh-a4.pdf");
    ok(motcua(dir)
        .args(["print", &code, "--form", "01", "--paper", "a4", "--out"])
        .arg(&a4));
    assert_eq!(page_count(&a4), 1, "both copies on one A4 sheet");
    let text = pdftotext(&a5);
    for s in [
        "Thủ tục đăng ký khai sinh",
        "Thành phần hồ sơ nộp gồm: 1. Tờ khai đăng ký khai sinh (01 bản chính) 2. Giấy chứng \
         sinh (nếu không có: văn bản của người làm chứng xác nhận về việc sinh hoặc giấy cam \
         đoan về việc sinh) (01 bản chính) Số lượng hồ sơ: 01 (bộ)",
        "Giải quyết ngay trong ngày; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết \
         được ngay thì trả kết quả trong ngày làm việc tiếp theo",
        // NĐ 30/2020 Phụ lục I: "tháng 3", not "tháng 03".
        "Hồng Gai, ngày 05 tháng 3 năm 2026",
        "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 05 tháng 3 năm 2026",
        // The result is registered at the unit itself.
        "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công phường Hồng Gai",
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Phạm Quỳnh Hương",
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
    // Not handed in: the conditional papers, and the identity paper only shown.
    for s in [
        "bỏ rơi",
        "mang thai hộ",
        "Văn bản ủy quyền",
        "Giấy tờ tùy thân",
        "tháng 03",
        "Bộ phận Tiếp nhận và Trả kết quả",
    ] {
        assert!(!text.contains(s), "{s:?} printed:\n{text}");
    }
}

#[test]
fn a_withdrawal_prints_mau_05_signed_under_the_units_title() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let code = birth_registration(dir);
    ok(motcua(dir).args([
        "record",
        &code,
        "withdraw",
        "--note",
        "gia đình tự đăng ký sau",
    ]));
    {
        let mut store = Store::open(motcua::store::DataPaths::in_dir(dir)).expect("opens");
        store
            .set_setting("signer_title", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
            .expect("setting");
    }
    let pdf = dir.join("mau05.pdf");
    ok(motcua(dir)
        .args(["print", &code, "--form", "05", "--paper", "a5", "--out"])
        .arg(&pdf));
    assert_eq!(page_count(&pdf), 1);
    let text = pdftotext(&pdf);
    for s in [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Bà Nguyễn Thị Ngọc Ánh",
        "của Bà Nguyễn Thị Ngọc Ánh",
        "Lý do: Người nộp rút hồ sơ (gia đình tự đăng ký sau)",
        "Xin thông báo để Bà được biết./.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
        "Ngày 05 tháng 3 năm 2026",
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
    for s in ["Ông/Bà", "THỦ TRƯỞNG CƠ QUAN", "Công dân rút"] {
        assert!(!text.contains(s), "{s:?} printed:\n{text}");
    }
}

/// Issue 23: a birth registration taken in at Hồng Gai for Bãi Cháy to decide. Refused
/// before the province's lists are kept; then Mẫu 01 names both units.
#[test]
fn a_receipt_for_another_commune_names_both_units() {
    use motcua::domain::province::{ProvinceLists, ProvinceUnit};
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut store = common::new_store(dir);
    let own = store.unit().expect("unit").code.to_string();
    let json = common::intake::Intake {
        procedure: "1.001193".into(),
        received_at: Some("2026-03-05T09:30:00+07:00".into()),
        ..common::intake::Intake::default()
    }
    .json();
    let mut input = IntakeInput::from_json(&json).expect("valid intake json");
    input.deciding_unit = Some("H22.39.16".into());
    let now = common::at(2026, 3, 5, 9, 30);
    let e = store
        .intake(input.clone(), CLERK, now)
        .expect_err("no list yet");
    assert!(e.to_string().contains("không phụ thuộc địa giới"), "{e}");
    let lists = ProvinceLists {
        units: vec![
            ProvinceUnit {
                code: own.clone(),
                name: "UBND phường Hồng Gai".into(),
            },
            ProvinceUnit {
                code: "H22.39.16".into(),
                name: "UBND phường Bãi Cháy".into(),
            },
        ],
        cross_procedures: vec!["1.001193".into()],
    };
    store.replace_province_lists(&lists, "v1").expect("kept");
    let state = store.intake(input, CLERK, now).expect("intake");
    assert_eq!(
        state.deciding_unit.as_ref().map(|u| u.to_string()),
        Some("H22.39.16".to_string())
    );
    let code = state.code.to_string();
    assert!(
        code.starts_with(&own),
        "the code stays in the receiving range"
    );
    drop(store);
    let a5 = dir.join("phi-dia-gioi.pdf");
    ok(motcua(dir)
        .args(["print", &code, "--form", "01", "--paper", "a5", "--out"])
        .arg(&a5));
    let text = pdftotext(&a5);
    for s in [
        "Trung tâm Phục vụ hành chính công phường Hồng Gai Tiếp nhận hồ sơ của",
        "Cơ quan có thẩm quyền giải quyết: UBND phường Bãi Cháy (H22.39.16)",
        "không phụ thuộc địa giới hành chính",
        "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công phường Hồng Gai",
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
}
