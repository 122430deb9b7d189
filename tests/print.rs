//! Forms read back from the PDF the program writes: text with `pdftotext`, fonts with
//! `pdffonts`, the QR code with `zbarimg`, pages rendered with `pdftoppm` must not be
//! blank; and a real print through CUPS to the cups-pdf virtual printer.
//!
//! Needs poppler-utils, zbar-tools, and cups with printer-driver-cups-pdf and a queue
//! named `PDF` (`.ci/run` installs and starts them).
#![cfg(feature = "desk")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use motcua::domain::clock::to_wall;
use motcua::domain::due::new_due::NewDue;
use motcua::domain::intake::IntakeInput;
use motcua::store::Store;
use motcua::store::dossiers::ActionRequest;

const CLERK: &str = "Đặng Hữu Nghĩa";
const APPLICANT: &str = "Nguyễn Thị Ngọc Ánh";
/// The cups-pdf queue `.ci/run` creates.
const QUEUE: &str = "PDF";

fn motcua(dir: &Path) -> Command {
    common::motcua_cli(dir, CLERK)
}

fn ok(cmd: &mut Command) -> String {
    common::stdout_ok(cmd)
}

fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let out = Process::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test ({e}); run .ci/run"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The PDF's text in content order, every run of whitespace (line breaks too) as one
/// space, so phrases that wrapped are still found.
fn pdftotext(pdf: &Path) -> String {
    let path = pdf.to_str().expect("utf-8 path");
    let raw =
        String::from_utf8(tool("pdftotext", &["-raw", "-enc", "UTF-8", path, "-"])).expect("utf-8");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &Path) -> usize {
    let info = String::from_utf8(tool("pdfinfo", &[pdf.to_str().expect("path")])).expect("utf-8");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

/// What `zbarimg` reads on page `page` of `pdf` rendered at 300 dpi.
fn decode_page(pdf: &Path, page: u32, work: &Path) -> String {
    let png = work.join(format!("decode-{page}"));
    let n = page.to_string();
    let (pdf, out) = (pdf.to_str().expect("path"), png.to_str().expect("path"));
    tool(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-f",
            &n,
            "-l",
            &n,
            "-png",
            "-singlefile",
            pdf,
            out,
        ],
    );
    let file = png.with_extension("png");
    String::from_utf8(tool("zbarimg", &["-q", file.to_str().expect("path")])).expect("utf-8")
}

/// A dossier with an authorised person (the shared `common::intake::Intake`).
fn intake_json(received_at: &str, address: &str, documents: &[(String, u32)]) -> String {
    common::intake::Intake {
        full_name: APPLICANT.into(),
        address: address.into(),
        authorised: true,
        documents: documents.to_vec(),
        received_at: Some(received_at.into()),
        ..common::intake::Intake::default()
    }
    .json()
}

const ADDRESS: &str = "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh";

fn standard_documents() -> Vec<(String, u32)> {
    vec![
        ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân".into(), 1),
        ("Bản sao Giấy chứng nhận kết hôn".into(), 2),
    ]
}

fn intake(store: &mut Store, json: &str) -> String {
    let input = IntakeInput::from_json(json).expect("valid intake json");
    let state = store
        .intake(input, CLERK, common::at(2026, 3, 20, 8, 0))
        .expect("intake");
    state.code.to_string()
}

/// A store with one ordinary dossier; returns its code.
fn one_dossier(dir: &Path) -> String {
    let mut store = common::new_store(dir);
    intake(
        &mut store,
        &intake_json("2026-03-02T09:30:00+07:00", ADDRESS, &standard_documents()),
    )
}

/// Dark pixels (value < 128) of each page rendered at 40 dpi in greyscale.
fn dark_pixels_per_page(pdf: &Path, out_dir: &Path) -> Vec<usize> {
    let prefix = out_dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-gray",
            pdf.to_str().expect("path"),
            prefix.to_str().expect("path"),
        ],
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(out_dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| dark_in_pgm(&std::fs::read(f).expect("pgm")))
        .collect()
}

/// Counts pixels below 128 in a binary (P5) PGM.
fn dark_in_pgm(bytes: &[u8]) -> usize {
    // Header: "P5", width, height, maxval, each separated by whitespace.
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    bytes[i + 1..].iter().filter(|&&b| b < 128).count()
}

#[test]
fn the_receipt_reads_back_exactly_with_a_subset_embedded_font() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let code = one_dossier(tmp.path());
    let pdf = tmp.path().join("mau01.pdf");
    let out = ok(motcua(tmp.path())
        .args(["print", &code, "--form", "01", "--paper", "a4", "--out"])
        .arg(&pdf));
    assert!(out.contains("Đã lưu tệp PDF (1 trang)"), "{out}");
    let text = pdftotext(&pdf);
    for s in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "(Liên 1: Lưu)",
        "(Liên 2: Giao người nộp hồ sơ)",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG HỒNG GAI",
        "Hồng Gai, ngày 02 tháng 3 năm 2026",
        &format!("Mã hồ sơ: {code}"),
        APPLICANT,
        "022190001234",
        "Phạm Quỳnh Hương",
        "cấp Giấy xác nhận tình trạng hôn nhân",
        "2. Bản sao Giấy chứng nhận kết hôn (02 bản)",
        "03 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 02 tháng 3 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày 05 tháng 3 năm 2026",
        "Quyển số: 01/2026 Số thứ tự: 01",
        "Số: 01/TTPVHCC",
        // The authorised person submits: named on top and under NGƯỜI NỘP HỒ SƠ; the
        // official bracket gives the grantor (the owner) in the official order.
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Phạm Quỳnh Hương",
        "(Thông tin của người ủy quyền: họ và tên: Nguyễn Thị Ngọc Ánh; địa chỉ: Số 12 đường \
         Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh; số định danh cá nhân: 022190001234; \
         số điện thoại: 0912345678; email: anh.ntn@example.vn; giấy tờ ủy quyền: Giấy ủy \
         quyền số 12/2026).",
        "(Chữ ký số của người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)",
        CLERK,
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
    assert_eq!(
        text.matches(APPLICANT).count() % 2,
        0,
        "both copies carry the name"
    );
    let fonts = String::from_utf8(tool("pdffonts", &[pdf.to_str().expect("path")])).expect("utf-8");
    let faces: Vec<&str> = fonts
        .lines()
        .filter(|l| l.contains("LiberationSerif"))
        .collect();
    assert!(faces.len() >= 2, "{fonts}");
    for line in faces {
        // name+subset tag, type, encoding, emb, sub, uni.
        assert!(line.contains('+'), "subset tag: {line}");
        assert!(
            line.contains("yes yes yes"),
            "embedded, subset, unicode: {line}"
        );
    }
    let size = std::fs::metadata(&pdf).expect("pdf").len();
    assert!(size < 150_000, "{size} bytes");
}

/// Issue 12 §2: Đăng ký kết hôn is resolved the same day (Luật Hộ tịch Art 18(2)); the
/// receipt promises 17:00 that day and says which case applies. Picking the case that
/// needs verification promises 05 working days. No research note reaches the paper.
#[test]
fn a_marriage_received_at_ten_prints_due_the_same_day() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let mut json: serde_json::Value =
        serde_json::from_str(&intake_json("2026-03-02T10:00:00+07:00", ADDRESS, &[]))
            .expect("json");
    json["procedure"] = "1.000894".into();
    json.as_object_mut().expect("object").remove("documents");
    let same_day = intake(&mut store, &json.to_string());
    json["time_limit_case"] = 2.into();
    let verified = intake(&mut store, &json.to_string());
    drop(store);
    let print = |code: &str| {
        let pdf = tmp.path().join(format!("{code}.pdf"));
        ok(motcua(tmp.path())
            .args(["print", code, "--form", "01", "--paper", "a4", "--out"])
            .arg(&pdf));
        pdftotext(&pdf)
    };
    let text = print(&same_day);
    for s in [
        "Thủ tục đăng ký kết hôn",
        "Giải quyết ngay trong ngày; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo, áp dụng cho trường hợp thông thường",
        "Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 02 tháng 3 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 02 tháng 3 năm 2026",
        "Tờ khai đăng ký kết hôn (01 bản chính)",
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
    for s in ["UNCONFIRMED", "portal", "Art ", "->"] {
        assert!(!text.contains(s), "{s:?} printed:\n{text}");
    }
    let text = print(&verified);
    for s in [
        "05 ngày làm việc, áp dụng cho trường hợp cần xác minh điều kiện kết hôn",
        // Mon 02/03/2026 10:00 + 05 working days.
        "Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 09 tháng 3 năm 2026",
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
}

#[test]
fn the_qr_code_and_barcode_decode_to_the_dossier_code_and_tracking_url() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let code = one_dossier(tmp.path());
    let pdf = tmp.path().join("a5.pdf");
    ok(motcua(tmp.path())
        .args(["print", &code, "--form", "1", "--paper", "a5", "--out"])
        .arg(&pdf));
    assert_eq!(page_count(&pdf), 2, "one A5 page per copy");
    let decoded = decode_page(&pdf, 1, tmp.path());
    assert!(decoded.contains(&format!("QR-Code:{code}")), "{decoded}");
    assert!(decoded.contains(&format!("CODE-128:{code}")), "{decoded}");

    let mut store = Store::open(motcua::store::DataPaths::in_dir(tmp.path())).expect("opens");
    store
        .set_setting("tracking_url", "https://dichvucong.example.vn/tra-cuu")
        .expect("setting");
    drop(store);
    let pdf = tmp.path().join("url.pdf");
    ok(motcua(tmp.path())
        .args(["print", &code, "--form", "01", "--paper", "a5", "--out"])
        .arg(&pdf));
    let decoded = decode_page(&pdf, 2, tmp.path());
    assert!(
        decoded.contains(&format!(
            "QR-Code:https://dichvucong.example.vn/tra-cuu?ma={code}"
        )),
        "{decoded}"
    );
    assert!(pdftotext(&pdf).contains("truy cập https://dichvucong.example.vn/tra-cuu"));
}

#[test]
fn a_long_dossier_flows_onto_a_second_page_and_no_page_is_blank() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = common::new_store(tmp.path());
    let address = "Số 1234 ngõ 56 ngách 78 hẻm 90 đường Nguyễn Văn Cừ nối dài, tổ dân phố số 15, khu phố 7, phường Hồng Gai, tỉnh Quảng Ninh (gần Trường Trung học phổ thông chuyên Hạ Long và chợ Hạ Long 1)";
    let documents: Vec<(String, u32)> = (1..=16)
        .map(|i| (format!("Bản sao có chứng thực giấy tờ chứng minh quan hệ nhân thân với người được đăng ký, số {i}"), 1))
        .collect();
    let code = intake(
        &mut store,
        &intake_json("2026-03-02T09:30:00+07:00", address, &documents),
    );
    drop(store);
    let pdf = tmp.path().join("long.pdf");
    ok(motcua(tmp.path())
        .args(["print", &code, "--form", "01", "--paper", "a5", "--out"])
        .arg(&pdf));
    assert_eq!(page_count(&pdf), 4, "two A5 pages per copy");
    let text = pdftotext(&pdf);
    assert!(text.contains("khu phố 7, phường Hồng Gai"), "{text}");
    assert!(text.contains("16. Bản sao có chứng thực"), "{text}");
    assert!(text.contains("tiếp theo"));
    assert!(text.contains("Trang 2/2"));
    let shots = tmp.path().join("shots");
    std::fs::create_dir(&shots).expect("dir");
    let dark = dark_pixels_per_page(&pdf, &shots);
    assert_eq!(dark.len(), 4);
    // A page of text at 40 dpi has thousands of dark pixels; a blank one has none.
    assert!(dark.iter().all(|&d| d > 800), "{dark:?}");
}

#[test]
fn every_other_form_prints_from_the_dossiers_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut store = common::new_store(dir);
    let docs = standard_documents();
    let a = intake(
        &mut store,
        &intake_json("2026-03-02T09:30:00+07:00", ADDRESS, &docs),
    );
    let b = intake(
        &mut store,
        &intake_json("2026-03-02T10:00:00+07:00", ADDRESS, &docs),
    );
    let c = intake(
        &mut store,
        &intake_json("2026-03-02T10:30:00+07:00", ADDRESS, &docs),
    );
    let now = common::at(2026, 3, 20, 8, 0);
    let mut record = |code: &str, req: ActionRequest, at| {
        store
            .record(code, req, Some(at), CLERK, now)
            .expect("recorded");
    };
    record(
        &a,
        ActionRequest::Transfer {
            to: "Công chức Tư pháp - Hộ tịch".into(),
            note: String::new(),
        },
        common::at(2026, 3, 2, 10, 0),
    );
    record(
        &a,
        ActionRequest::RequestSupplement {
            items: vec!["Bản sao Giấy khai sinh".into()],
            reason: "Thiếu giấy tờ chứng minh nhân thân".into(),
        },
        common::at(2026, 3, 2, 14, 0),
    );
    record(
        &a,
        ActionRequest::ReceiveSupplement {
            note: String::new(),
        },
        common::at(2026, 3, 3, 9, 0),
    );
    record(
        &a,
        ActionRequest::Extend {
            until: NewDue::At(to_wall(common::at(2026, 3, 11, 16, 0))),
            reason: "Cần xác minh tại nơi cư trú trước đây".into(),
        },
        common::at(2026, 3, 4, 9, 0),
    );
    record(
        &b,
        ActionRequest::Refuse {
            reason: "Không thuộc thẩm quyền giải quyết của cấp xã".into(),
        },
        common::at(2026, 3, 2, 10, 5),
    );
    record(
        &c,
        ActionRequest::Stop {
            reason: "Người nộp hồ sơ đề nghị dừng giải quyết".into(),
        },
        common::at(2026, 3, 3, 8, 0),
    );
    drop(store);

    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "02",
            &a,
            &[
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "1. Bản sao Giấy khai sinh",
                "Thiếu giấy tờ chứng minh nhân thân",
                "NGƯỜI HƯỚNG DẪN",
            ],
        ),
        (
            "03",
            &b,
            &[
                "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                "Không thuộc thẩm quyền giải quyết của cấp xã",
            ],
        ),
        (
            "04",
            &a,
            &[
                "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                "09 giờ 00 phút, ngày 06 tháng 3 năm 2026",
                // Issue 19 §3: "Bà" from the applicant's gender, not "Ông/Bà/Tổ chức".
                "Kính gửi: Bà Nguyễn Thị Ngọc Ánh",
                "xin trân trọng gửi lời xin lỗi đến Bà vì sự chậm trễ trong quá \
                 trình giải quyết hồ sơ có thể gây phiền hà, tốn kém về chi phí, công sức của \
                 Bà.",
                "xin lỗi Bà và sẽ trả kết quả giải quyết hồ sơ cho Bà \
                 vào ngày 11 tháng 3 năm 2026",
                "Mong nhận được sự thông cảm của Bà vì sự chậm trễ này./.",
                // The head of a Trung tâm, with no title set.
                "GIÁM ĐỐC (Ký và ghi rõ họ tên)",
                "(Chữ ký số của Thủ trưởng cơ quan, đơn vị nếu là biểu mẫu điện tử)",
            ],
        ),
        (
            "05",
            &c,
            &[
                "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
                "Người nộp hồ sơ đề nghị dừng giải quyết",
            ],
        ),
        (
            "06",
            &a,
            &[
                "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                "2. Nhận: Công chức Tư pháp - Hộ tịch",
                "10 giờ 00 phút ngày 02/03/2026",
                "- Việc lưu vết được thực hiện tự động theo chức năng của Hệ thống thông tin \
                 giải quyết thủ tục hành chính và thể hiện trên mẫu phiếu điện tử.",
            ],
        ),
    ];
    for (form, code, expected) in cases {
        for paper in ["a5", "a4"] {
            let pdf = dir.join(format!("mau{form}-{paper}.pdf"));
            ok(motcua(dir)
                .args(["print", code, "--form", form, "--paper", paper, "--out"])
                .arg(&pdf));
            let text = pdftotext(&pdf);
            assert!(text.contains(APPLICANT) || form == "06", "{form}: {text}");
            for s in expected {
                assert!(text.contains(s), "{form}/{paper}: {s:?} not in:\n{text}");
            }
            let shots = dir.join(format!("shots-{form}-{paper}"));
            std::fs::create_dir(&shots).expect("dir");
            assert!(
                dark_pixels_per_page(&pdf, &shots).iter().all(|&d| d > 500),
                "{form}"
            );
        }
    }
    // A form whose step never happened is refused in plain words.
    let out = motcua(dir)
        .args(["print", &b, "--form", "04"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains(&format!("Lỗi: Hồ sơ {b} chưa có gia hạn")),
        "{err}"
    );
}

#[test]
fn the_tracking_book_spans_numbered_landscape_pages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut store = common::new_store(dir);
    let docs = standard_documents();
    let mut codes = Vec::new();
    for i in 0..40 {
        let t = format!(
            "2026-03-{:02}T{:02}:{:02}:00+07:00",
            2 + i / 20,
            8 + (i % 20) / 4,
            (i % 4) * 10
        );
        codes.push(intake(&mut store, &intake_json(&t, ADDRESS, &docs)));
    }
    // Outside the period: not in the book, but numbered on in the year's book.
    let later = intake(
        &mut store,
        &intake_json("2026-03-05T09:00:00+07:00", ADDRESS, &docs),
    );
    // Received earlier, entered later (from a paper book): numbers are given once, at
    // intake, and never move (issue 19), so it takes the next one.
    let earlier = intake(
        &mut store,
        &intake_json("2026-03-01T16:00:00+07:00", ADDRESS, &docs),
    );
    let seq = |code: &str| store.dossier(code).expect("dossier").numbers.seq;
    for (i, code) in codes.iter().enumerate() {
        assert_eq!(seq(code), i as u32 + 1, "{code}");
    }
    assert_eq!(seq(&later), 41);
    assert_eq!(seq(&earlier), 42);
    drop(store);
    let out = ok(motcua(dir).args([
        "print",
        "--form",
        "07",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-03",
    ]));
    let pdf = dir.join("prints/so-theo-doi-2026-03-02-2026-03-03.pdf");
    assert!(out.contains(pdf.to_str().expect("path")), "{out}");
    let pages = page_count(&pdf);
    assert!(pages >= 3, "{pages}");
    let text = pdftotext(&pdf);
    assert!(text.contains("SỔ THEO DÕI HỒ SƠ"));
    assert!(text.contains("Lĩnh vực: Hộ tịch"), "one book per field");
    assert!(text.contains("(Từ ngày 02/03/2026 đến ngày 03/03/2026)"));
    assert_eq!(
        text.matches("Phương thức nhận kết quả").count(),
        pages,
        "header on every page"
    );
    assert!(text.contains(&format!("Trang {pages}/{pages}")));
    assert!(text.contains("H22.39.15-260303-0020"));
    assert!(!text.contains("H22.39.15-260305"));
    // A book kept for a group of fields: only those fields' dossiers.
    let group = dir.join("so-nhom.pdf");
    ok(motcua(dir)
        .args([
            "print",
            "--form",
            "07",
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-03",
            "--field",
            "chứng thực",
            "--field",
            "Chung thuc dien tu",
            "--out",
        ])
        .arg(&group));
    let text = pdftotext(&group);
    assert!(
        text.contains("Lĩnh vực: chứng thực; Chung thuc dien tu"),
        "{text}"
    );
    assert!(text.contains("Không có hồ sơ nào"), "{text}");
    let err = motcua(dir)
        .args(["print", "--form", "07", "--from", "2026-03-03"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&err.stderr).contains("mẫu 07 cần --from NGÀY và --to NGÀY"));
}

#[test]
fn the_paper_follows_the_setting_unless_the_flag_says_otherwise() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let code = one_dossier(dir);
    let json = ok(motcua(dir).args(["--json", "print", &code, "--form", "01"]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let default_pdf = dir.join(format!("prints/{code}-mau01.pdf"));
    assert_eq!(v["pdf"], default_pdf.to_str().expect("path"));
    assert_eq!(v["pages"], 1, "A4 two-up by default");
    assert!(v["job"].is_null());
    assert_eq!(page_count(&default_pdf), 1);

    let mut store = Store::open(motcua::store::DataPaths::in_dir(dir)).expect("opens");
    store.set_setting("paper_layout", "a5").expect("setting");
    drop(store);
    ok(motcua(dir).args(["print", &code, "--form", "01"]));
    assert_eq!(page_count(&default_pdf), 2, "one A5 page per copy");
    ok(motcua(dir).args(["print", &code, "--form", "01", "--paper", "a4"]));
    assert_eq!(page_count(&default_pdf), 1, "the flag wins");

    let err = motcua(dir)
        .args(["print", &code, "--form", "01", "--copies", "0"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&err.stderr).contains("số bản in phải từ 1 đến 99"));
    let err = motcua(dir)
        .args(["print", "--form", "02"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&err.stderr).contains("mẫu 02 cần mã hồ sơ"));
}

#[path = "print/cups.rs"]
mod cups;

/// An organisation and a foreigner are received from JSON, stored, printed on Mẫu 01 and
/// found by search (before issue 12 only a citizen with a 12-digit ID could be entered).
#[test]
fn an_organisation_and_a_foreigner_are_received_printed_and_found() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut store = common::new_store(dir);
    let company = intake(
        &mut store,
        r#"{
  "procedure": "2.000884",
  "applicant": {
    "kind": "organisation",
    "full_name": "Công ty TNHH Xây dựng số 1 Hạ Long",
    "id_number": "5700100256-001",
    "representative": "Phạm Văn Đông",
    "address": "Số 8 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh",
    "phone": "0203 3825 111"
  },
  "received_at": "2026-03-02T09:00:00+07:00"
}"#,
    );
    let visitor = intake(
        &mut store,
        r#"{
  "procedure": "2.000884",
  "applicant": {
    "kind": "người nước ngoài",
    "full_name": "Kim Min-jun",
    "id_number": "M12345678",
    "nationality": "Hàn Quốc",
    "address": "Khách sạn Hạ Long Plaza, phường Bãi Cháy, tỉnh Quảng Ninh"
  },
  "received_at": "2026-03-02T09:10:00+07:00"
}"#,
    );
    let found = |store: &Store, q: &str| -> Vec<String> {
        store
            .search(q, 10)
            .expect("search")
            .into_iter()
            .map(|s| s.code)
            .collect()
    };
    assert_eq!(found(&store, "5700100256"), vec![company.as_str()]);
    assert_eq!(found(&store, "pham van dong"), vec![company.as_str()]);
    assert_eq!(found(&store, "M12345678"), vec![visitor.as_str()]);
    assert_eq!(found(&store, "han quoc"), vec![visitor.as_str()]);
    drop(store);

    let pdf = dir.join("to-chuc.pdf");
    ok(motcua(dir)
        .args(["print", &company, "--form", "01", "--paper", "a5", "--out"])
        .arg(&pdf));
    let text = pdftotext(&pdf);
    for s in [
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Công ty TNHH Xây dựng số 1 Hạ Long",
        "Số định danh cá nhân/tổ chức: 5700100256-001",
        "Phạm Văn Đông",
    ] {
        assert!(text.contains(s), "{s:?} not in:\n{text}");
    }
    let pdf = dir.join("nguoi-nuoc-ngoai.pdf");
    ok(motcua(dir)
        .args(["print", &visitor, "--form", "01", "--paper", "a5", "--out"])
        .arg(&pdf));
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Kim Min-jun"),
        "{text}"
    );
    assert!(
        text.contains("Số định danh cá nhân/tổ chức: M12345678"),
        "{text}"
    );
    let shown = ok(motcua(dir).args(["show", &visitor]));
    assert!(
        shown.contains("Quốc tịch:") && shown.contains("Hàn Quốc"),
        "{shown}"
    );
}
