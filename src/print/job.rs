//! Making a dossier's form and putting it on paper. The data comes in as
//! `FormData` (the desk gathers it from its store); nothing here reads a database.

use std::path::{Path, PathBuf};

use crate::domain::clock::now_vn;
use crate::domain::dossier::DossierState;
use crate::domain::event::Event;
use crate::domain::unit::Unit;
use crate::print::forms::receipt::BookEntry;
use crate::print::forms::{control, notices, receipt};
use crate::print::layout::Page;
use crate::print::{Paper, PrintError, cups, fill, render, spool};

/// A form printed for one stored dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierForm {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    M01,
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    M02,
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ
    M03,
    /// Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết
    M04,
    /// Thông báo dừng giải quyết hồ sơ
    M05,
    /// Phiếu kiểm soát quá trình giải quyết hồ sơ
    M06,
}

impl DossierForm {
    pub const ALL: [DossierForm; 6] = [
        DossierForm::M01,
        DossierForm::M02,
        DossierForm::M03,
        DossierForm::M04,
        DossierForm::M05,
        DossierForm::M06,
    ];

    pub fn number(self) -> &'static str {
        match self {
            DossierForm::M01 => "01",
            DossierForm::M02 => "02",
            DossierForm::M03 => "03",
            DossierForm::M04 => "04",
            DossierForm::M05 => "05",
            DossierForm::M06 => "06",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            DossierForm::M01 => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            DossierForm::M02 => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            DossierForm::M03 => "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            DossierForm::M04 => "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            DossierForm::M05 => "Thông báo dừng giải quyết hồ sơ",
            DossierForm::M06 => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        }
    }
}

/// Pages of a form, its PDF title and a default file name.
#[derive(Debug)]
pub struct Built {
    pub pages: Vec<Page>,
    pub title: String,
    pub file_name: String,
}

/// What a dossier's forms print: the unit, the dossier and its events, and the
/// few settings the forms show.
#[derive(Debug, Clone)]
pub struct FormData {
    pub unit: Unit,
    pub state: DossierState,
    pub events: Vec<Event>,
    /// The dossier's line in the receipt book (Mẫu 01 only).
    pub book: Option<BookEntry>,
    /// The public tracking page, printed as a QR code on the receipt.
    pub tracking_url: Option<String>,
    /// The centre's public address: with the dossier's token, the receipt's QR.
    pub public_base: Option<String>,
    /// The desk's phone, printed on Mẫu 02 as the contact.
    pub unit_phone: String,
    /// The head's title over the signature of Mẫu 04 and 05.
    pub signer_title: String,
    /// The deciding unit of a cross-commune dossier as Mẫu 01 names it ("name
    /// (code)"); `None`: the code alone, or an ordinary dossier.
    pub deciding_unit: Option<String>,
}

/// Lays out `form` for one dossier.
pub fn build(data: &FormData, form: DossierForm, paper: Paper) -> Result<Built, PrintError> {
    let (unit, state, events) = (&data.unit, &data.state, &data.events);
    let pages = match form {
        DossierForm::M01 => {
            let mut input = fill::receipt(
                unit,
                state,
                data.book.clone(),
                data.tracking_url.clone(),
                data.public_base.as_deref(),
            );
            if data.deciding_unit.is_some() {
                input.deciding_unit = data.deciding_unit.clone();
            }
            receipt::pages(&input, paper)
        }
        DossierForm::M02 => notices::supplement(
            &fill::supplement(unit, state, events, &data.unit_phone)?,
            paper,
        ),
        DossierForm::M03 => notices::refusal(&fill::refusal(unit, state, events)?, paper),
        DossierForm::M04 => {
            let mut input = fill::apology(unit, state, events)?;
            input.issuer.signer_title = data.signer_title.clone();
            notices::apology(&input, paper)
        }
        DossierForm::M05 => {
            let mut input = fill::stop(unit, state, events)?;
            input.issuer.signer_title = data.signer_title.clone();
            notices::stop(&input, paper)
        }
        DossierForm::M06 => control::pages(&fill::control(unit, state, events, now_vn()), paper),
    };
    let code = state.code.to_string();
    Ok(Built {
        pages,
        title: format!("Mẫu {} — {code}", form.number()),
        file_name: format!("{code}-mau{}.pdf", form.number()),
    })
}

/// What happened to a form: always saved; sent to a printer when one was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub pdf: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub job: Option<cups::Job>,
}

/// Renders, saves (atomically) and, with a printer, submits to CUPS. A printer error
/// names the saved PDF so the clerk can print it by hand.
pub fn save_and_print(
    built: &Built,
    path: &Path,
    printer: Option<&str>,
    copies: u32,
) -> Result<Outcome, PrintError> {
    if !(1..=99).contains(&copies) {
        return Err(cups::PrinterError::Copies(copies).into());
    }
    let bytes = render::to_pdf(&built.title, &built.pages)?;
    crate::print::save_pdf(path, &bytes)?;
    let job = match printer {
        Some(printer) => Some(
            spool::submit(printer, copies, path, &built.title, &built.pages).map_err(|e| {
                PrintError::Input(format!(
                    "không in được: {e}. Tệp PDF vẫn được lưu tại {}",
                    path.display()
                ))
            })?,
        ),
        None => None,
    };
    Ok(Outcome {
        pdf: path.to_path_buf(),
        pages: built.pages.len(),
        bytes: bytes.len(),
        job,
    })
}
