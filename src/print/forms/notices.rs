//! The notices: Mẫu 02 (supplement request), 03 (refusal), 04 (apology and
//! extension), 05 (stop notice). 02 and 03 are also printed at the intake screen for a
//! dossier that was never received, so their inputs need no dossier code.

use chrono::NaiveDate;

use crate::domain::clock::{Timestamp, format_vi_long, to_wall};
use crate::print::blocks::{self, Signature, or_blank};
use crate::print::flow::{Flow, Para};
use crate::print::fonts::Style;
use crate::print::forms::receipt::Authorised;
use crate::print::forms::{Issuer, Party, date_vi};
use crate::print::layout::Page;
use crate::print::wrap::{Run, nobreak};
use crate::print::{Paper, notice_sheet};

/// Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplementInput {
    pub issuer: Issuer,
    pub date: NaiveDate,
    pub code: Option<String>,
    pub applicant: Party,
    pub procedure: String,
    /// What to add or complete, all at once (NĐ 61 Art 15(3)).
    pub items: Vec<String>,
    pub reason: String,
    /// Who to contact with questions, and their phone.
    pub contact: String,
    pub contact_phone: String,
    /// The clerk who guided the applicant (người hướng dẫn).
    pub clerk: String,
}

/// Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalInput {
    pub issuer: Issuer,
    pub date: NaiveDate,
    pub code: Option<String>,
    pub applicant: Party,
    pub procedure: String,
    pub reason: String,
    pub clerk: String,
    /// The person at the counter when authorised (named as on Mẫu 01).
    pub authorised: Option<Authorised>,
}

/// Mẫu 04 — Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApologyInput {
    pub issuer: Issuer,
    pub date: NaiveDate,
    pub code: String,
    pub applicant: Party,
    pub procedure: String,
    pub received_at: Timestamp,
    /// The due time promised on the receipt.
    pub old_due: Timestamp,
    /// The new due time (set once).
    pub new_due: Timestamp,
    pub reason: String,
}

/// Mẫu 05 — Thông báo dừng giải quyết hồ sơ (NĐ 118/2025 Art 21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopInput {
    pub issuer: Issuer,
    pub date: NaiveDate,
    pub code: String,
    pub applicant: Party,
    pub procedure: String,
    pub received_at: Timestamp,
    pub stopped_at: Timestamp,
    pub reason: String,
}

pub const TITLE_02: &str = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ";
pub const TITLE_03: &str = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ";
pub const TITLE_04: &str = "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT";
pub const TITLE_05: &str = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ";
/// "Mong nhận được sự thông cảm của {Ông|Bà|Tổ chức} vì sự chậm trễ này./."
pub fn apology_closing(p: &Party) -> String {
    format!(
        "Mong nhận được sự thông cảm của {} vì sự chậm trễ này./.",
        p.honorific()
    )
}

const SIGN_NOTE: &str = "(Ký và ghi rõ họ tên)";
pub const DIGITAL_GUIDE: &str = "(Chữ ký số của Người hướng dẫn nếu là biểu mẫu điện tử)";
pub const DIGITAL_RECEIVER_03: &str =
    "(Chữ ký số của Người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)";
pub const DIGITAL_HEAD: &str = "(Chữ ký số của Thủ trưởng cơ quan, đơn vị nếu là biểu mẫu điện tử)";

/// Starts a notice: header, title, and returns the flow and body size.
fn start(paper: Paper, header: blocks::Header, title: &str, what: &str) -> (Flow, f32) {
    start_with(paper, header, title, what, &[])
}

/// `under`: lines under the title (production extras, outside the official text).
fn start_with(
    paper: Paper,
    header: blocks::Header,
    title: &str,
    what: &str,
    under: &[String],
) -> (Flow, f32) {
    let (frame, size) = notice_sheet(paper);
    let mut flow = Flow::new(frame, format!("{} — {what} — tiếp theo", title));
    blocks::header(&mut flow, &header, size - 1.0);
    flow.gap(4.0);
    blocks::title(&mut flow, title, under, size);
    flow.gap(3.0);
    (flow, size)
}

fn contact_lines(flow: &mut Flow, p: &Party, size: f32) {
    flow.field("Địa chỉ:", &or_blank(&p.address), size);
    flow.field_pair(
        ("Số điện thoại:", &or_blank(&p.phone)),
        ("Email:", &or_blank(&p.email)),
        size,
    );
}

/// Who signs for the party: an organisation's representative, else the person.
fn signer(p: &Party) -> &str {
    if p.signer.trim().is_empty() {
        &p.name
    } else {
        &p.signer
    }
}

fn prose(flow: &mut Flow, runs: &[Run], size: f32) {
    flow.paragraph(runs, Para::new(size).indent(8.0, 0.0).justified());
}

pub fn supplement(input: &SupplementInput, paper: Paper) -> Vec<Page> {
    let what = input
        .code
        .clone()
        .unwrap_or_else(|| input.applicant.name.clone());
    let header = input.issuer.header("", "PBS", input.date);
    // BM.02 has no line for the dossier code: it goes under the title, as an extra.
    let under: Vec<String> = input
        .code
        .iter()
        .map(|c| format!("(Mã hồ sơ: {c})"))
        .collect();
    let (mut flow, size) = start_with(paper, header, TITLE_02, &what, &under);
    flow.field("Hồ sơ của:", &input.applicant.name, size);
    flow.field("Nội dung yêu cầu giải quyết:", &input.procedure, size);
    contact_lines(&mut flow, &input.applicant, size);
    flow.text(
        Style::Regular,
        "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
        Para::new(size),
    );
    for (i, item) in input.items.iter().enumerate() {
        flow.text(
            Style::Regular,
            &format!("{}. {item}", i + 1),
            Para::new(size).indent(4.0, 8.0),
        );
    }
    flow.field("Lý do:", &or_blank(&input.reason), size);
    prose(
        &mut flow,
        &[
            Run::plain(format!(
                "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, {} liên hệ với ",
                input.applicant.honorific()
            )),
            Run::bold(or_blank(&input.contact)),
            Run::plain(" số điện thoại "),
            Run::bold(or_blank(&input.contact_phone)),
            Run::plain(" để được hướng dẫn./."),
        ],
        size,
    );
    flow.gap(3.0);
    blocks::signatures(
        &mut flow,
        &[Signature::new("NGƯỜI HƯỚNG DẪN", SIGN_NOTE, Some(&input.clerk)).digital(DIGITAL_GUIDE)],
        size,
    );
    flow.finish(false)
}

pub fn refusal(input: &RefusalInput, paper: Paper) -> Vec<Page> {
    let what = input
        .code
        .clone()
        .unwrap_or_else(|| input.applicant.name.clone());
    let header = input.issuer.header("", "PTC", input.date);
    let (mut flow, size) = start(paper, header, TITLE_03, &what);
    flow.text(Style::Regular, &input.issuer.unit, Para::new(size));
    let p = &input.applicant;
    // The person at the counter, as on Mẫu 01: the authorised person when there is one.
    let at_counter = match &input.authorised {
        Some(a) => Party {
            kind: crate::domain::applicant::ApplicantKind::Citizen,
            gender: None,
            name: a.name.clone(),
            signer: a.name.clone(),
            id_number: a.id_number.clone(),
            address: a.address.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
        },
        None => p.clone(),
    };
    flow.field("Tiếp nhận hồ sơ của:", &at_counter.name, size);
    flow.field(
        "Số định danh cá nhân/tổ chức:",
        &or_blank(&at_counter.id_number),
        size,
    );
    contact_lines(&mut flow, &at_counter, size);
    if let Some(a) = &input.authorised {
        flow.paragraph(
            &crate::print::forms::receipt::grantor_runs(p, a),
            Para::new(size - 0.5),
        );
    }
    flow.field(
        "Mã hồ sơ (nếu có):",
        &or_blank(input.code.as_deref().unwrap_or("")),
        size,
    );
    flow.field("Nội dung yêu cầu giải quyết:", &input.procedure, size);
    prose(
        &mut flow,
        &[
            Run::plain(
                "Qua xem xét, Bộ phận Tiếp nhận và Trả kết quả thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau: ",
            ),
            Run::bold(or_blank(&input.reason)),
        ],
        size,
    );
    prose(
        &mut flow,
        &[Run::plain(format!(
            "Xin thông báo cho {} được biết và thực hiện./.",
            p.honorific()
        ))],
        size,
    );
    flow.gap(3.0);
    blocks::signatures(
        &mut flow,
        &[
            Signature::new("NGƯỜI NỘP HỒ SƠ", SIGN_NOTE, Some(signer(&at_counter))),
            Signature::new("NGƯỜI TIẾP NHẬN HỒ SƠ", SIGN_NOTE, Some(&input.clerk))
                .digital(DIGITAL_RECEIVER_03),
        ],
        size,
    );
    flow.finish(false)
}

/// "Ngày …, {unit} tiếp nhận … hồ sơ … của Ông/Bà/Tổ chức …; số định danh: …; mã số
/// hồ sơ: …" shared by Mẫu 04 and 05.
fn received_sentence(
    flow: &mut Flow,
    issuer: &Issuer,
    p: &Party,
    procedure: &str,
    code: &str,
    received_at: Timestamp,
    size: f32,
) {
    let day = date_vi(to_wall(received_at).date()).replacen("ngày", "Ngày", 1);
    prose(
        flow,
        &[
            Run::plain(format!(
                "{day}, {} tiếp nhận giải quyết hồ sơ đề nghị giải quyết thủ tục hành chính ",
                issuer.unit
            )),
            Run::bold(procedure),
            Run::plain(format!(" của {} ", p.honorific())),
            Run::bold(&p.name),
            Run::plain("; số định danh: "),
            Run::bold(or_blank(&p.id_number)),
            Run::plain("; mã số hồ sơ: "),
            Run::bold(code),
            Run::plain("."),
        ],
        size,
    );
}

/// The head of the unit signs and seals under the unit's title for them; the name is
/// written by hand.
fn signed_by_head(mut flow: Flow, issuer: &Issuer, size: f32) -> Vec<Page> {
    flow.gap(3.0);
    blocks::signatures(
        &mut flow,
        &[Signature::new(&issuer.head_title(), SIGN_NOTE, None).digital(DIGITAL_HEAD)],
        size,
    );
    flow.finish(false)
}

fn addressee(flow: &mut Flow, p: &Party, size: f32) {
    flow.paragraph(
        &[
            Run::plain("Kính gửi: "),
            Run::bold(format!("{} {}", p.honorific(), p.name)),
        ],
        Para::new(size).centered(),
    );
    flow.gap(2.0);
}

pub fn apology(input: &ApologyInput, paper: Paper) -> Vec<Page> {
    let header = input.issuer.header_raw("", "PXL", input.date);
    let (mut flow, size) = start(paper, header, TITLE_04, &input.code);
    let p = &input.applicant;
    let unit = &input.issuer.unit;
    let hon = p.honorific();
    addressee(&mut flow, p, size);
    received_sentence(
        &mut flow,
        &input.issuer,
        p,
        &input.procedure,
        &input.code,
        input.received_at,
        size,
    );
    prose(
        &mut flow,
        &[
            Run::plain("Thời gian hẹn trả kết quả giải quyết hồ sơ: "),
            Run::bold(nobreak(&format_vi_long(input.old_due))),
            Run::plain("."),
        ],
        size,
    );
    prose(
        &mut flow,
        &[Run::plain(format!(
            "Tuy nhiên đến nay, {unit} chưa trả kết quả giải quyết hồ sơ của {hon} đúng thời hạn quy định ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
        ))],
        size,
    );
    prose(
        &mut flow,
        &[Run::plain("Lý do: "), Run::bold(or_blank(&input.reason))],
        size,
    );
    prose(
        &mut flow,
        &[Run::plain(format!(
            "{unit} xin trân trọng gửi lời xin lỗi đến {hon} vì sự chậm trễ trong quá trình giải quyết hồ sơ có thể gây phiền hà, tốn kém về chi phí, công sức của {hon}."
        ))],
        size,
    );
    prose(
        &mut flow,
        &[
            Run::plain(format!(
                "{unit} xin lỗi {hon} và sẽ trả kết quả giải quyết hồ sơ cho {hon} vào "
            )),
            Run::bold(nobreak(&date_vi(to_wall(input.new_due).date()))),
        ],
        size,
    );
    prose(&mut flow, &[Run::plain(apology_closing(p))], size);
    signed_by_head(flow, &input.issuer, size)
}

pub fn stop(input: &StopInput, paper: Paper) -> Vec<Page> {
    let header = input.issuer.header("", "TB", input.date);
    let (mut flow, size) = start(paper, header, TITLE_05, &input.code);
    let p = &input.applicant;
    addressee(&mut flow, p, size);
    received_sentence(
        &mut flow,
        &input.issuer,
        p,
        &input.procedure,
        &input.code,
        input.received_at,
        size,
    );
    prose(
        &mut flow,
        &[
            Run::plain(format!(
                "{} thông báo dừng giải quyết hồ sơ nêu trên kể từ ",
                input.issuer.unit
            )),
            Run::bold(nobreak(&format_vi_long(input.stopped_at))),
            Run::plain("."),
        ],
        size,
    );
    prose(
        &mut flow,
        &[Run::plain("Lý do: "), Run::bold(or_blank(&input.reason))],
        size,
    );
    prose(
        &mut flow,
        &[Run::plain(format!(
            "Xin thông báo để {} được biết./.",
            p.honorific()
        ))],
        size,
    );
    signed_by_head(flow, &input.issuer, size)
}

#[cfg(test)]
#[path = "notices_tests.rs"]
mod tests;
