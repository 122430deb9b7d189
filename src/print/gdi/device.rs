//! Printing layout pages on an installed Windows printer through GDI: no PDF reader
//! or other program needed. The printer driver and spooler do the rest, exactly as for
//! any Windows program; Wine maps its CUPS queues to such printers, which is how the
//! tests reach a real print queue.
#![allow(unsafe_code)] // Win32 calls; each block below states what it relies on.

use std::collections::BTreeMap;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{GetLastError, HANDLE, RECT};
use windows_sys::Win32::Graphics::Gdi::{
    AddFontMemResourceEx, BLACK_BRUSH, CLIP_DEFAULT_PRECIS, CreateDCW, CreateFontW, CreatePen,
    DEFAULT_CHARSET, DEFAULT_PITCH, DEFAULT_QUALITY, DEVMODEW, DM_IN_BUFFER, DM_ORIENTATION,
    DM_OUT_BUFFER, DM_PAPERSIZE, DMORIENT_LANDSCAPE, DMORIENT_PORTRAIT, DMPAPER_A4, DMPAPER_A5,
    DeleteDC, DeleteObject, ExtTextOutW, FF_ROMAN, FW_BOLD, FW_NORMAL, FillRect, GetDeviceCaps,
    GetStockObject, HDC, HFONT, HGDIOBJ, LOGPIXELSX, LOGPIXELSY, LineTo, MoveToEx,
    OUT_TT_ONLY_PRECIS, PHYSICALOFFSETX, PHYSICALOFFSETY, PS_SOLID, RemoveFontMemResourceEx,
    SelectObject, SetBkMode, SetTextAlign, TA_BASELINE, TA_LEFT, TRANSPARENT,
};
use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, DocumentPropertiesW, EnumPrintersW, GetDefaultPrinterW, OpenPrinterW,
    PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL, PRINTER_HANDLE, PRINTER_INFO_2W, PRINTER_INFO_4W,
    PRINTER_STATUS_ERROR, PRINTER_STATUS_NOT_AVAILABLE, PRINTER_STATUS_OFFLINE,
    PRINTER_STATUS_PAPER_OUT, PRINTER_STATUS_PAUSED,
};
use windows_sys::Win32::Storage::Xps::{AbortDoc, DOCINFOW, EndDoc, EndPage, StartDocW, StartPage};

use crate::print::cups::{Job, PrinterError};
use crate::print::fonts::Style;
use crate::print::gdi::plan::{Device, Op, plan};
use crate::print::layout::{A4, A4_LANDSCAPE, A5, Page};

mod images;
pub use images::{print_document, print_pictures};

const FAMILY: &str = "Liberation Serif";

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// Reads a NUL-terminated UTF-16 string the system handed us.
///
/// # Safety
/// `p` is null or points to a NUL-terminated UTF-16 string.
unsafe fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut len = 0;
    // SAFETY: the string is NUL-terminated (caller's contract).
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` units were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
}

/// `EnumPrintersW` at `level` into a buffer of 8-byte-aligned words (the records hold
/// pointers); returns the buffer and the number of records.
fn enum_printers(level: u32) -> Option<(Vec<u64>, usize)> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    // SAFETY: a size query with an empty buffer; the out-pointers are valid.
    unsafe { EnumPrintersW(flags, null(), level, null_mut(), 0, &mut needed, &mut count) };
    if needed == 0 {
        return Some((Vec::new(), 0));
    }
    let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
    // SAFETY: `buf` holds at least `needed` bytes, suitably aligned for the records.
    let ok = unsafe {
        EnumPrintersW(
            flags,
            null(),
            level,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
            &mut count,
        )
    };
    (ok != 0).then_some((buf, count as usize))
}

/// The installed printers (local and network connections), as Windows names them.
pub fn printers() -> Vec<String> {
    let Some((buf, count)) = enum_printers(4) else {
        return Vec::new();
    };
    let records = buf.as_ptr().cast::<PRINTER_INFO_4W>();
    (0..count)
        // SAFETY: EnumPrintersW wrote `count` PRINTER_INFO_4W records at the start of
        // `buf`, whose strings live further on in the same buffer.
        .map(|i| unsafe { from_wide((*records.add(i)).pPrinterName) })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The user's default printer, if one is set.
pub fn default_printer() -> Option<String> {
    let mut len = 0u32;
    // SAFETY: a size query.
    unsafe { GetDefaultPrinterW(null_mut(), &mut len) };
    if len == 0 {
        return None;
    }
    let mut buf = vec![0u16; len as usize];
    // SAFETY: `buf` holds `len` units.
    let ok = unsafe { GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) };
    // SAFETY: on success the buffer holds a NUL-terminated name.
    (ok != 0).then(|| unsafe { from_wide(buf.as_ptr()) })
}

/// The spooler's status bits of `printer` (PRINTER_INFO_2W.Status).
fn status(printer: &str) -> Option<u32> {
    let (buf, count) = enum_printers(2)?;
    let records = buf.as_ptr().cast::<PRINTER_INFO_2W>();
    (0..count).find_map(|i| {
        // SAFETY: as in `printers`, for PRINTER_INFO_2W records.
        let r = unsafe { &*records.add(i) };
        // SAFETY: a NUL-terminated name inside `buf`.
        let name = unsafe { from_wide(r.pPrinterName) };
        name.eq_ignore_ascii_case(printer).then_some(r.Status)
    })
}

/// What the clerk is told when the spooler says the printer cannot print now: the
/// job still waits in the queue, so it is a warning, not a failure.
pub fn status_warning(printer: &str, status: u32) -> Option<String> {
    let fix = "Mở Cài đặt Windows → Bluetooth & thiết bị → Máy in & máy quét để xử lý; lệnh in nằm chờ trong hàng đợi đến khi máy in sẵn sàng";
    let what = if status & PRINTER_STATUS_PAUSED != 0 {
        "đang tạm dừng"
    } else if status & (PRINTER_STATUS_OFFLINE | PRINTER_STATUS_NOT_AVAILABLE) != 0 {
        "đang ngoại tuyến (chưa bật hoặc chưa nối dây)"
    } else if status & PRINTER_STATUS_PAPER_OUT != 0 {
        "hết giấy"
    } else if status & PRINTER_STATUS_ERROR != 0 {
        "đang báo lỗi"
    } else {
        return None;
    };
    Some(format!("máy in '{printer}' {what}. {fix}."))
}

/// The printer's own settings with paper size and orientation set for `page`, so the
/// driver feeds the right sheet; `None` lets the printer's defaults apply.
fn devmode_for(printer: &[u16], page: (f32, f32)) -> Option<Vec<u64>> {
    let (paper, orientation) = if page == A5 {
        (DMPAPER_A5, DMORIENT_PORTRAIT)
    } else if page == A4_LANDSCAPE {
        (DMPAPER_A4, DMORIENT_LANDSCAPE)
    } else if page == A4 {
        (DMPAPER_A4, DMORIENT_PORTRAIT)
    } else {
        return None;
    };
    let mut handle = PRINTER_HANDLE::default();
    // SAFETY: `printer` is NUL-terminated; the handle is closed below.
    if unsafe { OpenPrinterW(printer.as_ptr(), &mut handle, null()) } == 0 {
        return None;
    }
    let result = (|| {
        // SAFETY: a size query (mode 0).
        let size = unsafe {
            DocumentPropertiesW(null_mut(), handle, printer.as_ptr(), null_mut(), null(), 0)
        };
        if size < std::mem::size_of::<DEVMODEW>() as i32 {
            return None;
        }
        let mut buf = vec![0u64; (size as usize).div_ceil(8)];
        let dm = buf.as_mut_ptr().cast::<DEVMODEW>();
        // SAFETY: `buf` holds `size` bytes, aligned for DEVMODEW.
        let got = unsafe {
            DocumentPropertiesW(
                null_mut(),
                handle,
                printer.as_ptr(),
                dm,
                null(),
                DM_OUT_BUFFER,
            )
        };
        if got < 0 {
            return None;
        }
        // SAFETY: `dm` points to the DEVMODEW just filled in; the union member set is
        // the printer one (dmOrientation/dmPaperSize).
        unsafe {
            (*dm).dmFields |= DM_ORIENTATION | DM_PAPERSIZE;
            (*dm).Anonymous1.Anonymous1.dmOrientation = orientation as i16;
            (*dm).Anonymous1.Anonymous1.dmPaperSize = paper as i16;
        }
        // SAFETY: merges our two fields into the driver's data, in place.
        let merged = unsafe {
            DocumentPropertiesW(
                null_mut(),
                handle,
                printer.as_ptr(),
                dm,
                dm,
                DM_IN_BUFFER | DM_OUT_BUFFER,
            )
        };
        (merged >= 0).then_some(buf)
    })();
    // SAFETY: opened above.
    unsafe { ClosePrinter(handle) };
    result
}

/// A printer device context, deleted on drop.
struct Dc(HDC);

impl Drop for Dc {
    fn drop(&mut self) {
        // SAFETY: created by CreateDCW and not deleted elsewhere.
        unsafe { DeleteDC(self.0) };
    }
}

/// The bundled Liberation Serif faces, private to this process while printing (the
/// PC need not have them installed).
struct BundledFonts(Vec<HANDLE>);

impl BundledFonts {
    fn load() -> BundledFonts {
        let mut handles = Vec::new();
        for style in Style::ALL {
            let bytes = style.bytes();
            let mut count = 0u32;
            // GDI writes the number of fonts through this pointer although the
            // binding declares it const: derive it from a mutable place.
            let count_ptr = (&raw mut count).cast_const();
            // SAFETY: the bytes are a static TTF; GDI copies them.
            let h = unsafe {
                AddFontMemResourceEx(bytes.as_ptr().cast(), bytes.len() as u32, null(), count_ptr)
            };
            if !h.is_null() {
                handles.push(h);
            }
        }
        BundledFonts(handles)
    }
}

impl Drop for BundledFonts {
    fn drop(&mut self) {
        for h in &self.0 {
            // SAFETY: returned by AddFontMemResourceEx.
            unsafe { RemoveFontMemResourceEx(*h) };
        }
    }
}

/// GDI objects made for one document, deleted on drop (after the DC let go of them).
#[derive(Default)]
struct Objects {
    fonts: BTreeMap<(Style, i32), HFONT>,
    pens: BTreeMap<i32, HGDIOBJ>,
}

impl Objects {
    fn font(&mut self, style: Style, em: i32) -> HFONT {
        *self.fonts.entry((style, em)).or_insert_with(|| {
            let bold = matches!(style, Style::Bold | Style::BoldItalic);
            let italic = matches!(style, Style::Italic | Style::BoldItalic);
            let face = wide(FAMILY);
            // SAFETY: plain value arguments and a NUL-terminated face name. A negative
            // height asks for the em size, as the layout measures.
            unsafe {
                CreateFontW(
                    -em,
                    0,
                    0,
                    0,
                    (if bold { FW_BOLD } else { FW_NORMAL }) as i32,
                    u32::from(italic),
                    0,
                    0,
                    u32::from(DEFAULT_CHARSET),
                    u32::from(OUT_TT_ONLY_PRECIS),
                    u32::from(CLIP_DEFAULT_PRECIS),
                    u32::from(DEFAULT_QUALITY),
                    u32::from(DEFAULT_PITCH | FF_ROMAN),
                    face.as_ptr(),
                )
            }
        })
    }

    fn pen(&mut self, width: i32) -> HGDIOBJ {
        // SAFETY: a solid black pen; value arguments only.
        *self
            .pens
            .entry(width)
            .or_insert_with(|| unsafe { CreatePen(PS_SOLID, width, 0) })
    }
}

impl Drop for Objects {
    fn drop(&mut self) {
        for h in self.fonts.values().chain(self.pens.values()) {
            // SAFETY: created above; no longer selected (the DC is deleted first).
            unsafe { DeleteObject(*h) };
        }
    }
}

fn last_error() -> u32 {
    // SAFETY: no arguments.
    unsafe { GetLastError() }
}

/// The installed printer named `printer` (case aside), as Windows spells it.
fn installed(printer: &str) -> Result<String, PrinterError> {
    let known = printers();
    known
        .iter()
        .find(|p| p.eq_ignore_ascii_case(printer.trim()))
        .cloned()
        .ok_or_else(|| {
            PrinterError::Windows(if known.is_empty() {
                "máy tính này chưa cài máy in nào; người quản trị cần cài máy in trong Cài đặt Windows → Máy in & máy quét".to_string()
            } else {
                format!(
                    "không có máy in tên '{printer}' trên máy tính này; chọn một máy in đã cài trong Cài đặt: {}",
                    known.join(", ")
                )
            })
        })
}

/// Prints `pages` (`copies` times, in one job) on `printer`; the job id the spooler
/// gave is returned.
pub fn print(printer: &str, title: &str, pages: &[Page], copies: u32) -> Result<Job, PrinterError> {
    let name = installed(printer)?;
    let Some(first) = pages.first() else {
        return Err(PrinterError::Windows(
            "biểu mẫu không có trang nào để in".into(),
        ));
    };
    let wname = wide(&name);
    let devmode = devmode_for(&wname, (first.width, first.height));
    let dm_ptr = devmode
        .as_ref()
        .map_or(null(), |b| b.as_ptr().cast::<DEVMODEW>());
    let fonts = BundledFonts::load();
    // Declared before the DC so it is dropped after it, on every path.
    let mut objects = Objects::default();
    // SAFETY: NUL-terminated device name; `dm_ptr` is null or a full DEVMODEW from
    // the driver, alive until the DC is created.
    let hdc = unsafe { CreateDCW(null(), wname.as_ptr(), null(), dm_ptr) };
    if hdc.is_null() {
        return Err(PrinterError::Windows(format!(
            "không mở được máy in '{name}' (mã lỗi Windows {}); kiểm tra máy in đã được cài đúng và đang bật",
            last_error()
        )));
    }
    let dc = Dc(hdc);
    // SAFETY: device capability queries on a valid DC.
    let device = unsafe {
        Device {
            dpi_x: GetDeviceCaps(dc.0, LOGPIXELSX as i32) as f32,
            dpi_y: GetDeviceCaps(dc.0, LOGPIXELSY as i32) as f32,
            offset_x: GetDeviceCaps(dc.0, PHYSICALOFFSETX as i32),
            offset_y: GetDeviceCaps(dc.0, PHYSICALOFFSETY as i32),
        }
    };
    if device.dpi_x <= 0.0 || device.dpi_y <= 0.0 {
        return Err(PrinterError::Windows(format!(
            "máy in '{name}' không cho biết độ phân giải; kiểm tra trình điều khiển máy in"
        )));
    }
    let plans = pages
        .iter()
        .map(|p| plan(p, &device))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PrinterError::Windows(e.to_string()))?;
    let wtitle = wide(title);
    let info = DOCINFOW {
        cbSize: std::mem::size_of::<DOCINFOW>() as i32,
        lpszDocName: wtitle.as_ptr(),
        ..Default::default()
    };
    // SAFETY: valid DC and DOCINFOW whose strings outlive the call.
    let job = unsafe { StartDocW(dc.0, &info) };
    if job <= 0 {
        return Err(PrinterError::Windows(format!(
            "máy in '{name}' không nhận lệnh in (mã lỗi Windows {}); kiểm tra máy in đang bật và dịch vụ in (Print Spooler) đang chạy",
            last_error()
        )));
    }
    for _ in 0..copies {
        for ops in &plans {
            // SAFETY: a page bracket on a DC inside StartDoc; drawing uses only
            // objects owned by `objects`, which outlives the DC's use of them.
            let ok = unsafe {
                StartPage(dc.0) > 0 && draw(dc.0, ops, &mut objects) && EndPage(dc.0) > 0
            };
            if !ok {
                let code = last_error();
                // SAFETY: ends the failed job so nothing half-printed stays queued.
                unsafe { AbortDoc(dc.0) };
                return Err(PrinterError::Windows(format!(
                    "máy in '{name}' dừng giữa chừng (mã lỗi Windows {code}); lệnh in đã được huỷ, hãy in lại"
                )));
            }
        }
    }
    // SAFETY: closes the document started above.
    if unsafe { EndDoc(dc.0) } <= 0 {
        return Err(PrinterError::Windows(format!(
            "máy in '{name}' không hoàn tất lệnh in (mã lỗi Windows {})",
            last_error()
        )));
    }
    drop(dc);
    drop(objects);
    drop(fonts);
    Ok(Job {
        id: format!("{name}-{job}"),
        warning: status(&name).and_then(|s| status_warning(&name, s)),
    })
}

/// Replays one page's operations.
///
/// # Safety
/// `dc` is a valid printer DC inside StartPage.
unsafe fn draw(dc: HDC, ops: &[Op], objects: &mut Objects) -> bool {
    // SAFETY: caller's contract; stock objects need no freeing.
    unsafe {
        SetBkMode(dc, TRANSPARENT as i32);
        SetTextAlign(dc, TA_BASELINE | TA_LEFT);
        let black = GetStockObject(BLACK_BRUSH);
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    em,
                    style,
                    text,
                    advances,
                } => {
                    SelectObject(dc, objects.font(*style, *em));
                    let units: Vec<u16> = text.encode_utf16().collect();
                    if ExtTextOutW(
                        dc,
                        *x,
                        *y,
                        0,
                        null(),
                        units.as_ptr(),
                        units.len() as u32,
                        advances.as_ptr(),
                    ) == 0
                    {
                        return false;
                    }
                }
                Op::Line { from, to, width } => {
                    SelectObject(dc, objects.pen(*width));
                    MoveToEx(dc, from.0, from.1, null_mut());
                    LineTo(dc, to.0, to.1);
                }
                Op::Fill {
                    left,
                    top,
                    right,
                    bottom,
                } => {
                    let r = RECT {
                        left: *left,
                        top: *top,
                        right: *right,
                        bottom: *bottom,
                    };
                    FillRect(dc, &r, black);
                }
            }
        }
    }
    true
}
