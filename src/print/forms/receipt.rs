//! Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 03/2025 wording, as reproduced
//! in QĐ 3621/QĐ-BYT BM.01), with the production extras outside the official blocks: a
//! QR code (the dossier code, or the tracking URL), a Code 128 barcode of the code, the
//! copy line and the reminder to bring the receipt. Two copies (liên): one kept with the
//! control slip, one for the applicant; each on A5, or both side by side on one A4 sheet
//! with a cut line.
//!
//! Who is who when someone submits under an authorisation: the receipt names the person
//! who actually submits ("Tiếp nhận hồ sơ của", and the NGƯỜI NỘP HỒ SƠ signature), and
//! the official bracket "thông tin của người ủy quyền" gives the grantor — the dossier's
//! owner — in the official order. Without an authorisation the bracket keeps the form's
//! instruction line.

use crate::domain::applicant::ApplicantKind;
use crate::domain::clock::{Timestamp, format_vi_long, to_wall};
use crate::domain::dossier::SubmittedDocument;
use crate::print::Paper;
use crate::print::blocks::{self, BLANK, Signature, or_blank};
use crate::print::codes::code128_width;
use crate::print::flow::{Flow, Frame, Para};
use crate::print::fonts::{Style, width_mm};
use crate::print::forms::{DIGITAL_RECEIVER, Issuer, Party};
use crate::print::layout::{A4_LANDSCAPE, A5, Align, Item, Page, line_height};
use crate::print::wrap::Run;

pub const TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
/// The official bracket, printed as is when nobody is authorised.
pub const AUTH_INSTRUCTION: &str = "(Trường hợp ủy quyền thì cung cấp thêm thông tin của người ủy quyền, bao gồm: họ và tên, địa chỉ, số định danh cá nhân, số điện thoại, email, giấy tờ ủy quyền).";
pub const BRING_RECEIPT: &str = "Khi đến nhận kết quả, đề nghị mang theo Giấy tiếp nhận này.";
pub const COPIES: [&str; 2] = ["Liên 1: Lưu", "Liên 2: Giao người nộp hồ sơ"];

/// The person authorised to submit on the applicant's behalf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorised {
    pub name: String,
    pub id_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// Giấy tờ ủy quyền.
    pub document: String,
}

/// Where the dossier stands in the tracking book (Sổ theo dõi hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookEntry {
    /// The receipt's number ("Số: 07/TTPVHCC"), unique in the unit and year.
    pub receipt: u32,
    /// Quyển số, e.g. "01/2026".
    pub book: String,
    /// Số thứ tự in the lĩnh vực's book.
    pub seq: u32,
}

/// Everything Mẫu 01 prints.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptInput {
    pub issuer: Issuer,
    pub code: String,
    pub applicant: Party,
    pub authorised: Option<Authorised>,
    /// Nội dung yêu cầu giải quyết: the procedure's name.
    pub procedure: String,
    /// The papers handed in (xuất trình papers are left out by the filler: they are
    /// shown and handed back, Mẫu 01 has no line for them).
    pub documents: Vec<SubmittedDocument>,
    pub sets: u32,
    /// The statutory limit as worded by `TimeLimit::describe_vi`.
    pub time_limit: String,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
    pub result_at: String,
    pub book: Option<BookEntry>,
    /// The clerk who received it.
    pub clerk: String,
    /// The unit's public tracking page; the QR then opens `{url}?ma={code}`.
    pub tracking_url: Option<String>,
    /// The dossier's own tracking page (`<centre's public address>/tra-cuu/<token>`,
    /// issue 22): when known, the QR opens it, whatever `tracking_url` says.
    pub tracking_link: Option<String>,
    /// The unit that decides a dossier received for another commune (issue 23), as
    /// printed: "name (code)". `None`: the receiving unit decides.
    pub deciding_unit: Option<String>,
}

impl ReceiptInput {
    /// What the QR code holds.
    pub fn qr_data(&self) -> String {
        if let Some(link) = &self.tracking_link {
            return link.clone();
        }
        match self.tracking_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}ma={}", self.code)
            }
            _ => self.code.clone(),
        }
    }
}

const SIZE: f32 = 10.0;
/// Under the deciding unit of a cross-commune dossier.
const CROSS_NOTE: &str = "(Hồ sơ tiếp nhận không phụ thuộc địa giới hành chính; kết quả trả tại nơi đã đăng ký dưới đây)";
const QR_SIZE: f32 = 24.0;
const BAR_HEIGHT: f32 = 9.0;

fn frame() -> Frame {
    Frame {
        size: A5,
        top: 8.0,
        bottom: 10.0,
        left: 13.0,
        right: 10.0,
    }
}

/// The code band (production extras, above the official text): "Mã hồ sơ", the barcode
/// and a tracking hint with the reminder to bring the receipt on the left, the QR code on
/// the right.
fn code_band(flow: &mut Flow, input: &ReceiptInput) {
    flow.ensure(QR_SIZE + 1.0);
    let top = flow.y();
    let left = flow.left();
    let text_w = flow.width() - QR_SIZE - 3.0;
    let qr_x = flow.right() - QR_SIZE + 2.0;
    flow.page_mut().items.push(Item::Qr {
        x: qr_x,
        y: top - 1.0,
        size: QR_SIZE,
        data: input.qr_data(),
    });
    let mut y = top + 1.0;
    let lh = line_height(SIZE + 1.0);
    let line = [Run::plain("Mã hồ sơ: "), Run::new(Style::Bold, &input.code)];
    flow.draw_line(&line, SIZE + 1.0, left, y + lh * 0.8);
    y += lh + 0.8;
    // Module width: as wide as fits (≤ 0.28 mm); too thin to scan → QR only.
    let module = (text_w / code128_width(&input.code, 1.0)).min(0.28);
    if module >= 0.17 {
        flow.page_mut().items.push(Item::Barcode {
            x: left,
            y,
            module,
            height: BAR_HEIGHT,
            data: input.code.clone(),
        });
        y += BAR_HEIGHT + 1.5;
    }
    let hint = match input.tracking_url.as_deref().map(str::trim) {
        _ if input.tracking_link.is_some() => {
            format!("Tra cứu tình trạng hồ sơ: quét mã QR (không cần đăng nhập). {BRING_RECEIPT}")
        }
        Some(url) if !url.is_empty() => {
            format!("Tra cứu: quét mã QR hoặc truy cập {url}. {BRING_RECEIPT}")
        }
        _ => format!("Mã QR, mã vạch: mã hồ sơ. {BRING_RECEIPT}"),
    };
    let size = SIZE - 2.5;
    for l in crate::print::wrap::wrap(&[Run::italic(hint)], size, text_w, text_w) {
        flow.draw_line(&l, size, left, y + line_height(size) * 0.8);
        y += line_height(size);
    }
    let bottom = (top + QR_SIZE - 1.0).max(y);
    flow.advance(bottom - top + 1.0);
}

fn count(n: u32) -> String {
    format!("{n:02}")
}

/// The receipt's number: the header's `Số:`, given at intake.
fn receipt_number(book: Option<&BookEntry>) -> String {
    book.map(|b| count(b.receipt)).unwrap_or_default()
}

/// Who stands at the counter: the authorised person, or the applicant (an
/// organisation's contact data with its legal representative signing).
struct Submitter<'a> {
    name: &'a str,
    id_number: &'a str,
    address: &'a str,
    phone: &'a str,
    email: &'a str,
    signer: &'a str,
}

fn submitter(input: &ReceiptInput) -> Submitter<'_> {
    match &input.authorised {
        Some(a) => Submitter {
            name: &a.name,
            id_number: &a.id_number,
            address: &a.address,
            phone: &a.phone,
            email: &a.email,
            signer: &a.name,
        },
        None => {
            let p = &input.applicant;
            Submitter {
                name: &p.name,
                id_number: &p.id_number,
                address: &p.address,
                phone: &p.phone,
                email: &p.email,
                signer: if p.signer.trim().is_empty() {
                    &p.name
                } else {
                    &p.signer
                },
            }
        }
    }
}

/// "Thông tin của người ủy quyền: …" — the grantor's data in the official order (họ và
/// tên, địa chỉ, số định danh cá nhân, số điện thoại, email, giấy tờ ủy quyền), the
/// labels adapted to an organisation or a foreigner.
pub(crate) fn grantor_runs(p: &Party, a: &Authorised) -> Vec<Run> {
    let (name_label, id_label) = match p.kind {
        ApplicantKind::Citizen => ("họ và tên", "số định danh cá nhân"),
        ApplicantKind::Organisation => ("tên tổ chức", "số định danh tổ chức (mã số doanh nghiệp)"),
        ApplicantKind::Foreigner => ("họ và tên", "số hộ chiếu"),
    };
    let mut runs = vec![Run::plain("(Thông tin của người ủy quyền: ")];
    for (i, (label, value)) in [
        (name_label, p.name.as_str()),
        ("địa chỉ", p.address.as_str()),
        (id_label, p.id_number.as_str()),
        ("số điện thoại", p.phone.as_str()),
        ("email", p.email.as_str()),
        ("giấy tờ ủy quyền", a.document.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        let sep = if i == 0 { "" } else { "; " };
        runs.push(Run::plain(format!("{sep}{label}: ")));
        runs.push(Run::bold(or_blank(value)));
    }
    runs.push(Run::plain(")."));
    runs
}

/// One copy (liên) of the receipt, on as many A5 pages as it needs.
pub fn copy_pages(input: &ReceiptInput, copy: &str) -> Vec<Page> {
    let continuation = format!(
        "{} — Mã hồ sơ: {} ({copy}) — tiếp theo",
        blocks::upper(TITLE),
        input.code
    );
    let mut flow = Flow::new(frame(), continuation);
    let received = to_wall(input.received_at).date();
    let number = receipt_number(input.book.as_ref());
    blocks::header(
        &mut flow,
        &input.issuer.header(&number, "", received),
        SIZE - 1.0,
    );
    flow.gap(2.0);
    blocks::title(&mut flow, TITLE, &[format!("({copy})")], SIZE);
    flow.gap(1.5);
    code_band(&mut flow, input);

    let who = submitter(input);
    flow.text(Style::Regular, &input.issuer.unit, Para::new(SIZE));
    flow.field("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức:", who.name, SIZE);
    flow.field(
        "Số định danh cá nhân/tổ chức:",
        &or_blank(who.id_number),
        SIZE,
    );
    flow.field("Địa chỉ:", &or_blank(who.address), SIZE);
    flow.field_pair(
        ("Số điện thoại:", &or_blank(who.phone)),
        ("Email:", &or_blank(who.email)),
        SIZE,
    );
    match &input.authorised {
        Some(a) => flow.paragraph(&grantor_runs(&input.applicant, a), Para::new(SIZE - 0.5)),
        None => flow.text(Style::Italic, AUTH_INSTRUCTION, Para::new(SIZE - 1.5)),
    }
    flow.field("Nội dung yêu cầu giải quyết:", &input.procedure, SIZE);
    if let Some(deciding) = &input.deciding_unit {
        // Both units on the citizen's copy: who took it in (above), who decides it.
        flow.field("Cơ quan có thẩm quyền giải quyết:", deciding, SIZE);
        flow.text(Style::Italic, CROSS_NOTE, Para::new(SIZE - 1.5));
    }
    flow.text(Style::Regular, "Thành phần hồ sơ nộp gồm:", Para::new(SIZE));
    // Continuation lines start under the text, past the widest number ("12. ").
    let hang = 4.0
        + width_mm(
            Style::Regular,
            SIZE,
            &format!("{}. ", input.documents.len()),
        );
    for (i, d) in input.documents.iter().enumerate() {
        flow.paragraph(
            &[
                Run::plain(format!("{}. {}", i + 1, d.name)),
                Run::italic(format!(" ({})", d.form.count_vi(d.count))),
            ],
            Para::new(SIZE).indent(4.0, hang),
        );
    }
    if input.documents.is_empty() {
        flow.text(Style::Regular, BLANK, Para::new(SIZE).indent(4.0, 8.0));
    }
    flow.field(
        "Số lượng hồ sơ:",
        &format!("{} (bộ)", count(input.sets)),
        SIZE,
    );
    flow.field(
        "Thời gian giải quyết hồ sơ theo quy định là:",
        &input.time_limit,
        SIZE,
    );
    flow.field_keep(
        "Thời gian nhận hồ sơ:",
        &format_vi_long(input.received_at),
        SIZE,
    );
    flow.field_keep(
        "Thời gian trả kết quả giải quyết hồ sơ:",
        &format_vi_long(input.due_at),
        SIZE,
    );
    flow.field(
        "Đăng ký nhận kết quả tại:",
        &or_blank(&input.result_at),
        SIZE,
    );
    let (book, seq) = match &input.book {
        Some(b) => (b.book.clone(), count(b.seq)),
        None => (BLANK.to_string(), BLANK.to_string()),
    };
    let mut line = vec![
        Run::plain("Vào Sổ theo dõi hồ sơ, Quyển số: "),
        Run::bold(book),
        Run::plain(" Số thứ tự: "),
        Run::bold(seq),
    ];
    if input.book.is_none() {
        line.push(Run::plain(" (nếu có)"));
    }
    flow.paragraph(&line, Para::new(SIZE));
    flow.gap(1.5);
    blocks::signatures(
        &mut flow,
        &[
            Signature::new("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", Some(who.signer)),
            Signature::new(
                "NGƯỜI TIẾP NHẬN HỒ SƠ",
                "(Ký và ghi rõ họ tên)",
                Some(&input.clerk),
            )
            .digital(DIGITAL_RECEIVER),
        ],
        SIZE,
    );
    flow.finish(false)
}

/// Both copies: A5 pages (Liên 1 then Liên 2), or A4 landscape sheets with Liên 1 on
/// the left half and Liên 2 on the right, divided by a dashed cut line.
pub fn pages(input: &ReceiptInput, paper: Paper) -> Vec<Page> {
    let copies: Vec<Vec<Page>> = COPIES.iter().map(|c| copy_pages(input, c)).collect();
    match paper {
        Paper::A5 => copies.into_iter().flatten().collect(),
        Paper::A4 => {
            let n = copies.iter().map(Vec::len).max().unwrap_or(0);
            let half = A4_LANDSCAPE.0 / 2.0;
            (0..n)
                .map(|i| {
                    let mut sheet = Page::new(A4_LANDSCAPE);
                    for (k, copy) in copies.iter().enumerate() {
                        if let Some(page) = copy.get(i) {
                            let mut page = page.clone();
                            page.translate(half * k as f32 + (half - A5.0) / 2.0, 0.0);
                            sheet.items.extend(page.items);
                        }
                    }
                    sheet.dashed((half, 4.0), (half, A4_LANDSCAPE.1 - 4.0), 0.5);
                    sheet
                        .items
                        .push(Item::Text(crate::print::layout::Text::aligned(
                            half + 1.5,
                            A4_LANDSCAPE.1 - 4.5,
                            7.0,
                            Style::Italic,
                            "Cắt theo đường này",
                            Align::Left,
                        )));
                    sheet
                })
                .collect()
        }
    }
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
pub(crate) mod tests;
