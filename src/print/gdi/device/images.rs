//! A stored document printed through the same GDI path as the forms: its pages drawn
//! as pictures (`documents::thumbnails`, the renderer the desk already uses for page
//! previews) and each stretched onto the sheet's printable area, centred, on A4 in the
//! first page's orientation. No PDF reader is involved.

use std::ptr::null;

use windows_sys::Win32::Graphics::Gdi::{
    BI_RGB, BITMAPINFO, BITMAPINFOHEADER, CreateDCW, DEVMODEW, DIB_RGB_COLORS, GetDeviceCaps,
    HALFTONE, HORZRES, SRCCOPY, SetStretchBltMode, StretchDIBits, VERTRES,
};
use windows_sys::Win32::Storage::Xps::{AbortDoc, DOCINFOW, EndDoc, EndPage, StartDocW, StartPage};

use super::{Dc, devmode_for, installed, last_error, status, status_warning, wide};
use crate::documents::{Thumbnail, thumbnails};
use crate::print::cups::{Job, PrinterError};
use crate::print::layout::{A4, A4_LANDSCAPE};

/// Longest side of a page picture: about 175 dpi on A4, finer than the scans.
const PICTURE_SIDE: u32 = 2048;

/// Prints the PDF `pdf` (a stored document of `pages` pages) on `printer`.
pub fn print_document(
    printer: &str,
    title: &str,
    pdf: &[u8],
    pages: u32,
) -> Result<Job, PrinterError> {
    let pictures = thumbnails(pdf, PICTURE_SIDE, pages.max(1) as usize)
        .map_err(|e| PrinterError::Windows(e.to_string()))?;
    print_pictures(printer, title, &pictures)
}

/// Where a `w` × `h` picture lands in `area` device pixels: as large as fits, centred.
fn fit(w: u32, h: u32, area: (i32, i32)) -> (i32, i32, i32, i32) {
    let scale = (area.0 as f64 / w.max(1) as f64).min(area.1 as f64 / h.max(1) as f64);
    let (dw, dh) = ((w as f64 * scale) as i32, (h as f64 * scale) as i32);
    ((area.0 - dw) / 2, (area.1 - dh) / 2, dw, dh)
}

/// Prints page pictures, one a sheet, in one job.
pub fn print_pictures(
    printer: &str,
    title: &str,
    pages: &[Thumbnail],
) -> Result<Job, PrinterError> {
    let name = installed(printer)?;
    let Some(first) = pages.first() else {
        return Err(PrinterError::Windows(
            "giấy tờ không có trang nào để in".into(),
        ));
    };
    let wname = wide(&name);
    let paper = if first.width > first.height {
        A4_LANDSCAPE
    } else {
        A4
    };
    let devmode = devmode_for(&wname, paper);
    let dm_ptr = devmode
        .as_ref()
        .map_or(null(), |b| b.as_ptr().cast::<DEVMODEW>());
    // SAFETY: NUL-terminated device name; `dm_ptr` is null or the driver's DEVMODEW.
    let hdc = unsafe { CreateDCW(null(), wname.as_ptr(), null(), dm_ptr) };
    if hdc.is_null() {
        return Err(PrinterError::Windows(format!(
            "không mở được máy in '{name}' (mã lỗi Windows {}); kiểm tra máy in đã được cài đúng và đang bật",
            last_error()
        )));
    }
    let dc = Dc(hdc);
    // SAFETY: capability queries on a valid DC.
    let area = unsafe {
        (
            GetDeviceCaps(dc.0, HORZRES as i32),
            GetDeviceCaps(dc.0, VERTRES as i32),
        )
    };
    if area.0 <= 0 || area.1 <= 0 {
        return Err(PrinterError::Windows(format!(
            "máy in '{name}' không cho biết khổ giấy in được; kiểm tra trình điều khiển máy in"
        )));
    }
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
    for page in pages {
        let bgra: Vec<u8> = page
            .rgba
            .chunks_exact(4)
            .flat_map(|p| [p[2], p[1], p[0], 255])
            .collect();
        let (x, y, w, h) = fit(page.width, page.height, area);
        let bmi = BITMAPINFO {
            bmiHeader: BITMAPINFOHEADER {
                biSize: std::mem::size_of::<BITMAPINFOHEADER>() as u32,
                biWidth: page.width as i32,
                // Negative: rows top to bottom, as the picture holds them.
                biHeight: -(page.height as i32),
                biPlanes: 1,
                biBitCount: 32,
                biCompression: BI_RGB,
                ..Default::default()
            },
            ..Default::default()
        };
        // SAFETY: a page bracket inside StartDoc; `bgra` holds width × height 32-bit
        // pixels as `bmi` describes, alive for the call.
        let ok = unsafe {
            StartPage(dc.0) > 0
                && {
                    SetStretchBltMode(dc.0, HALFTONE);
                    StretchDIBits(
                        dc.0,
                        x,
                        y,
                        w,
                        h,
                        0,
                        0,
                        page.width as i32,
                        page.height as i32,
                        bgra.as_ptr().cast(),
                        &bmi,
                        DIB_RGB_COLORS,
                        SRCCOPY,
                    ) > 0
                }
                && EndPage(dc.0) > 0
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
    // SAFETY: closes the document started above.
    if unsafe { EndDoc(dc.0) } <= 0 {
        return Err(PrinterError::Windows(format!(
            "máy in '{name}' không hoàn tất lệnh in (mã lỗi Windows {})",
            last_error()
        )));
    }
    drop(dc);
    Ok(Job {
        id: format!("{name}-{job}"),
        warning: status(&name).and_then(|s| status_warning(&name, s)),
    })
}
