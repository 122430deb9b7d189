//! The settings section «Số hóa giấy tờ»: scan resolution and mode, the scanner, the
//! scan folder, the three limits on what may be attached, the free-space threshold,
//! and the disk space left where the data lives. Saved in one transaction through
//! `Desk::change_settings`; `DocumentSettings::load` reads them back.

use iced::widget::{button, column, row, text};
use iced::{Element, Fill};

use crate::desk::Desk;
use crate::desk::settings::{
    DocumentSettings, SCAN_DPI_RANGE, SETTING_DISK_WARN_MB, SETTING_DOCUMENT_MAX_MB,
    SETTING_DOCUMENT_MAX_MEGAPIXELS, SETTING_DOCUMENT_MAX_PAGES, SETTING_SCAN_DPI,
    SETTING_SCAN_FOLDER, SETTING_SCAN_MODE, SETTING_SCANNER, ScanMode,
};
use crate::domain::document::{DocumentLimits, size_vi};
use crate::ui::job::{Action, Job, Up};
use crate::ui::widgets::{field, panel, section};
use crate::ui::{strings as s, theme};

pub const SCAN_DPI: &str = "settings-scan-dpi";
pub const SCANNER: &str = "settings-scanner";
pub const SCAN_FOLDER: &str = "settings-scan-folder";
pub const MAX_MB: &str = "settings-max-mb";
pub const MAX_MEGAPIXELS: &str = "settings-max-megapixels";
pub const MAX_PAGES: &str = "settings-max-pages";
pub const DISK_WARN_MB: &str = "settings-disk-warn-mb";

const MB: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Dpi,
    Scanner,
    Folder,
    MaxMb,
    MaxMegapixels,
    MaxPages,
    DiskWarnMb,
}

/// The settings to write, as `Desk::change_settings` takes them.
pub type Values = Vec<(&'static str, String)>;

/// Free and total bytes where the data lives.
pub type Disk = Result<(u64, u64), String>;

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<DocumentSettings, String>),
    Disk(Disk),
    Edit(Field, String),
    Mode(ScanMode),
    Save,
    Saved(Result<(), String>),
}

#[derive(Debug, Default)]
pub struct Section {
    dpi: String,
    mode: Option<ScanMode>,
    scanner: String,
    folder: String,
    max_mb: String,
    max_megapixels: String,
    max_pages: String,
    disk_warn_mb: String,
    disk: Option<Disk>,
    errors: Vec<(Field, String)>,
    note: super::Note,
    saving: bool,
}

/// A whole number in `min..=max`, or the error for the field.
fn whole(raw: &str, min: u64, max: u64, f: Field, errors: &mut Vec<(Field, String)>) -> String {
    match raw.trim().parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => v.to_string(),
        _ => {
            errors.push((f, s::bad_whole_number(min, max)));
            String::new()
        }
    }
}

impl Section {
    pub fn errors(&self) -> &[(Field, String)] {
        &self.errors
    }

    pub fn note(&self) -> &super::Note {
        &self.note
    }

    /// Reads the settings, then the disk space (off the UI thread).
    pub fn load() -> Action<Message> {
        Action::Many(vec![
            Action::desk(|desk| {
                Message::Loaded(desk.document_settings().map_err(|e| e.to_string()))
            }),
            Action::Run(Job::new(|desk: &Desk| Message::Disk(disk_space(desk)))),
        ])
    }

    /// The values to write, or the errors per field.
    pub fn validate(&self) -> Result<Values, Vec<(Field, String)>> {
        let ceiling = DocumentLimits::CEILING;
        let mut e = Vec::new();
        let dpi = whole(
            &self.dpi,
            u64::from(*SCAN_DPI_RANGE.start()),
            u64::from(*SCAN_DPI_RANGE.end()),
            Field::Dpi,
            &mut e,
        );
        let max_mb = whole(
            &self.max_mb,
            1,
            ceiling.max_bytes / MB,
            Field::MaxMb,
            &mut e,
        );
        let mpx = whole(
            &self.max_megapixels,
            1,
            ceiling.max_pixels / 1_000_000,
            Field::MaxMegapixels,
            &mut e,
        );
        let pages = whole(
            &self.max_pages,
            1,
            u64::from(ceiling.max_pages),
            Field::MaxPages,
            &mut e,
        );
        let warn = whole(&self.disk_warn_mb, 1, 1_000_000, Field::DiskWarnMb, &mut e);
        let folder = self.folder.trim().to_string();
        if !folder.is_empty() && !std::path::Path::new(&folder).is_dir() {
            e.push((Field::Folder, s::SCAN_FOLDER_MISSING.to_string()));
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(vec![
            (SETTING_SCAN_DPI, dpi),
            (
                SETTING_SCAN_MODE,
                self.mode.unwrap_or(ScanMode::Grey).as_str().to_string(),
            ),
            (SETTING_SCANNER, self.scanner.trim().to_string()),
            (SETTING_SCAN_FOLDER, folder),
            (SETTING_DOCUMENT_MAX_MB, max_mb),
            (SETTING_DOCUMENT_MAX_MEGAPIXELS, mpx),
            (SETTING_DOCUMENT_MAX_PAGES, pages),
            (SETTING_DISK_WARN_MB, warn),
        ])
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Ok(d)) => {
                self.dpi = d.scan_dpi.to_string();
                self.mode = Some(d.scan_mode);
                self.scanner = d.scanner.unwrap_or_default();
                self.folder = d
                    .scan_folder
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.max_mb = (d.limits.max_bytes / MB).to_string();
                self.max_megapixels = (d.limits.max_pixels / 1_000_000).to_string();
                self.max_pages = d.limits.max_pages.to_string();
                self.disk_warn_mb = (d.disk_warn_bytes / MB).to_string();
                self.errors.clear();
            }
            Message::Loaded(Err(e)) => self.note = Some(Err(e)),
            Message::Disk(d) => self.disk = Some(d),
            Message::Edit(f, v) => {
                match f {
                    Field::Dpi => self.dpi = v,
                    Field::Scanner => self.scanner = v,
                    Field::Folder => self.folder = v,
                    Field::MaxMb => self.max_mb = v,
                    Field::MaxMegapixels => self.max_megapixels = v,
                    Field::MaxPages => self.max_pages = v,
                    Field::DiskWarnMb => self.disk_warn_mb = v,
                }
                self.errors.retain(|(g, _)| *g != f);
                self.note = None;
            }
            Message::Mode(m) => {
                self.mode = Some(m);
                self.note = None;
            }
            Message::Save => return self.save(),
            Message::Saved(r) => {
                self.saving = false;
                let ok = r.is_ok();
                self.note = Some(r.map(|()| s::SAVED.to_string()));
                if ok {
                    return Action::Many(vec![Action::Up(Up::SettingsChanged), Section::load()]);
                }
            }
        }
        Action::None
    }

    fn save(&mut self) -> Action<Message> {
        if self.saving {
            return Action::None;
        }
        let values = match self.validate() {
            Ok(v) => v,
            Err(errors) => {
                self.errors = errors;
                self.note = Some(Err(s::NOT_SAVED.to_string()));
                return Action::None;
            }
        };
        self.errors.clear();
        self.saving = true;
        Action::Run(
            Job::new(move |desk: &Desk| {
                Message::Saved(
                    desk.change_settings(&values)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                )
            })
            .recover(|e| Message::Saved(Err(e))),
        )
    }

    fn error(&self, f: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, m)| m.as_str())
    }

    pub fn view(&self) -> Element<'_, Message> {
        let input = |label, id, value, f| {
            field(
                label,
                id,
                value,
                self.error(f),
                move |v| Message::Edit(f, v),
                Message::Save,
            )
        };
        let mode = self.mode.unwrap_or(ScanMode::Grey);
        let mut modes = row![].spacing(6);
        for m in [ScanMode::Grey, ScanMode::Colour, ScanMode::BlackWhite] {
            modes = modes.push(super::view::choice(
                m.label_vi().to_string(),
                m == mode,
                Message::Mode(m),
            ));
        }
        let disk = match &self.disk {
            Some(Ok((free, total))) => {
                text(s::disk_space(&size_vi(*free), &size_vi(*total))).size(theme::SMALL)
            }
            Some(Err(e)) => text(format!("{}: {e}", s::DISK_SPACE_UNKNOWN))
                .size(theme::SMALL)
                .color(theme::RED),
            None => text(s::DISK_SPACE_UNKNOWN)
                .size(theme::SMALL)
                .color(theme::MUTED),
        };
        panel(
            column![
                section(s::SETTINGS_DOCUMENTS),
                text(s::DISK_SPACE).size(theme::SMALL).color(theme::MUTED),
                disk,
                input(s::SCAN_DPI, SCAN_DPI, &self.dpi, Field::Dpi),
                text(s::SCAN_MODE).size(theme::SMALL).color(theme::MUTED),
                modes,
                input(s::SCANNER_DEVICE, SCANNER, &self.scanner, Field::Scanner),
                input(s::SCAN_FOLDER, SCAN_FOLDER, &self.folder, Field::Folder),
                row![
                    input(s::MAX_MB, MAX_MB, &self.max_mb, Field::MaxMb),
                    input(
                        s::MAX_MEGAPIXELS,
                        MAX_MEGAPIXELS,
                        &self.max_megapixels,
                        Field::MaxMegapixels
                    ),
                ]
                .spacing(8),
                row![
                    input(s::MAX_PAGES, MAX_PAGES, &self.max_pages, Field::MaxPages),
                    input(
                        s::DISK_WARN_MB,
                        DISK_WARN_MB,
                        &self.disk_warn_mb,
                        Field::DiskWarnMb
                    ),
                ]
                .spacing(8),
                row![
                    button(text(s::SAVE_DOCUMENTS).size(theme::SMALL)).on_press(Message::Save),
                    super::view::note(&self.note),
                ]
                .spacing(10)
                .align_y(iced::Center),
            ]
            .spacing(8)
            .width(Fill),
        )
    }
}

/// The free and total space of the disk where the data lives.
fn disk_space(desk: &Desk) -> Disk {
    desk.disk_space()
        .map(|d| (d.available, d.total))
        .map_err(|e| e.to_string())
}
