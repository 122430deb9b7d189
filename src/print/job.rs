//! Making a stored dossier's form and putting it on paper: the one path used by the
//! `motcua print` command and by the counter application.

use std::path::{Path, PathBuf};

use crate::domain::clock::now_vn;
use crate::print::forms::receipt::BookEntry;
use crate::print::forms::{control, notices, receipt};
use crate::print::layout::Page;
use crate::print::{DEFAULT_PAPER, Paper, PrintError, cups, fill, render, spool};
use crate::store::Store;

/// Settings read here: the paper layout, the public tracking page, the unit's phone,
/// the printer the counter application sends to.
pub const SETTING_PAPER: &str = "paper_layout";
pub const SETTING_TRACKING_URL: &str = "tracking_url";
pub const SETTING_UNIT_PHONE: &str = "unit_phone";
pub const SETTING_PRINTER: &str = "printer";

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

/// The paper layout from the settings (A4 two-up when unset).
pub fn paper_setting(store: &Store) -> Result<Paper, PrintError> {
    match store.setting(SETTING_PAPER).map_err(store_error)? {
        Some(v) => Paper::parse(&v).ok_or_else(|| {
            PrintError::Input(format!(
                "cài đặt {SETTING_PAPER} = '{v}' không hợp lệ: dùng a5 hoặc a4-two-up"
            ))
        }),
        None => Ok(DEFAULT_PAPER),
    }
}

fn store_error(e: crate::store::error::StoreError) -> PrintError {
    PrintError::Input(e.to_string())
}

/// Lays out `form` for the stored dossier `code`.
pub fn build(
    store: &Store,
    code: &str,
    form: DossierForm,
    paper: Paper,
) -> Result<Built, PrintError> {
    let unit = store.unit().map_err(store_error)?;
    let state = store.dossier(code).map_err(store_error)?;
    let events = store.timeline(code).map_err(store_error)?;
    let pages = match form {
        DossierForm::M01 => {
            let pos = store.book_position(code).map_err(store_error)?;
            let entry = BookEntry {
                book: format!("01/{}", pos.year),
                seq: pos.seq,
            };
            let url = store
                .setting(SETTING_TRACKING_URL)
                .map_err(store_error)?
                .filter(|u| !u.trim().is_empty());
            receipt::pages(&fill::receipt(&unit, &state, Some(entry), url), paper)
        }
        DossierForm::M02 => {
            let phone = store
                .setting(SETTING_UNIT_PHONE)
                .map_err(store_error)?
                .unwrap_or_default();
            notices::supplement(&fill::supplement(&unit, &state, &events, &phone)?, paper)
        }
        DossierForm::M03 => notices::refusal(&fill::refusal(&unit, &state, &events)?, paper),
        DossierForm::M04 => notices::apology(&fill::apology(&unit, &state, &events)?, paper),
        DossierForm::M05 => notices::stop(&fill::stop(&unit, &state, &events)?, paper),
        DossierForm::M06 => control::pages(&fill::control(&unit, &state, &events, now_vn()), paper),
    };
    let code = state.code.to_string();
    Ok(Built {
        pages,
        title: format!("Mẫu {} — {code}", form.number()),
        file_name: format!("{code}-mau{}.pdf", form.number()),
    })
}

/// Where a printed form is kept when no file was named: the data directory's
/// `prints` folder, owner-only like the rest.
pub fn default_path(store: &Store, file_name: &str) -> Result<PathBuf, PrintError> {
    let dir = &store.paths().prints;
    std::fs::create_dir_all(dir)
        .map_err(|e| PrintError::Input(format!("không tạo được thư mục {}: {e}", dir.display())))?;
    crate::store::paths::set_mode(dir, 0o700).map_err(store_error)?;
    Ok(dir.join(file_name))
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
