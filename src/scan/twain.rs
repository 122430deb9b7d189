//! TWAIN, the scanner interface of Windows drivers, without its FFI (that lives in
//! `platform::windows::twain`): which source to use, what to ask of it, what its
//! condition codes mean for the clerk, the pages it delivers (a native DIB or memory
//! strips) as images, and a session kept bounded in time from another thread. All of
//! it is plain Rust, tested on every platform.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage, RgbImage};

use super::{ScanError, ScanMode};

/// ICAP_PIXELTYPE values.
pub const TWPT_BW: u16 = 0;
pub const TWPT_GRAY: u16 = 1;
pub const TWPT_RGB: u16 = 2;

/// How a TWAIN session stopped short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwainFailure {
    /// Neither `TWAINDSM.dll` nor `twain_32.dll` loads: no TWAIN driver on this PC.
    NoManager,
    /// No source to use: the one named in the settings (if any) and those found.
    NoSource {
        wanted: Option<String>,
        found: Vec<String>,
    },
    /// A TWAIN call failed: what was being done and the source's condition code.
    Call {
        step: &'static str,
        condition: u16,
    },
    /// The source asked to be closed (MSG_CLOSEDSREQ) before sending a page.
    ClosedBySource,
    /// No progress for this many seconds.
    Stalled(u64),
    Cancelled,
    /// A page larger than the desk accepts (width × height in pixels).
    PageTooLarge {
        width: u64,
        height: u64,
    },
    /// A page in a form this program does not read.
    BadPage(String),
    /// Writing a page into the temporary folder failed.
    Write(String),
}

/// TWAIN condition codes (TWCC_*) a clerk may meet.
mod cc {
    pub const LOWMEMORY: u16 = 2;
    pub const NODS: u16 = 3;
    pub const MAXCONNECTIONS: u16 = 4;
    pub const OPERATIONERROR: u16 = 5;
    pub const BADDEST: u16 = 12;
    pub const DENIED: u16 = 16;
    pub const PAPERJAM: u16 = 20;
    pub const PAPERDOUBLEFEED: u16 = 21;
    pub const CHECKDEVICEONLINE: u16 = 23;
    pub const INTERLOCK: u16 = 24;
    pub const NOMEDIA: u16 = 29;
}

/// The same Vietnamese messages as SANE's, for the same situations.
pub fn scan_error(failure: TwainFailure, device: Option<&str>) -> ScanError {
    let named = device
        .map(|d| format!(" '{}'", d.trim()))
        .unwrap_or_default();
    match failure {
        TwainFailure::NoManager => {
            ScanError::NoScanner(" (máy này chưa cài trình điều khiển TWAIN của máy quét)".into())
        }
        TwainFailure::NoSource { wanted, found } => {
            let wanted = wanted
                .map(|w| format!(" '{}'", w.trim()))
                .unwrap_or_default();
            if found.is_empty() {
                ScanError::NoScanner(wanted)
            } else {
                ScanError::NoScanner(format!("{wanted} (có: {})", found.join(", ")))
            }
        }
        TwainFailure::Call { step, condition } => match condition {
            cc::NODS | cc::BADDEST | cc::CHECKDEVICEONLINE => ScanError::NoScanner(named),
            cc::NOMEDIA => ScanError::NoPaper,
            cc::PAPERJAM => ScanError::Device("kẹt giấy".into()),
            cc::PAPERDOUBLEFEED => ScanError::Device("máy kéo hai tờ một lúc".into()),
            cc::INTERLOCK => ScanError::Device("nắp máy quét đang mở".into()),
            cc::MAXCONNECTIONS => {
                ScanError::Device("máy quét đang bận (một chương trình khác đang dùng)".into())
            }
            cc::DENIED => ScanError::Device("không có quyền dùng máy quét".into()),
            cc::LOWMEMORY => ScanError::Device("máy quét hết bộ nhớ".into()),
            cc::OPERATIONERROR => ScanError::Device(format!("lỗi khi {step}")),
            other => ScanError::Device(format!("lỗi khi {step} (mã TWAIN {other})")),
        },
        TwainFailure::ClosedBySource => {
            ScanError::Device("máy quét tự dừng trước khi gửi trang nào".into())
        }
        TwainFailure::Stalled(secs) => ScanError::TimedOut(secs),
        TwainFailure::Cancelled => ScanError::Cancelled,
        TwainFailure::PageTooLarge { width, height } => ScanError::Device(format!(
            "trang quét quá lớn ({width} × {height} điểm ảnh): hãy giảm độ phân giải trong Cài đặt"
        )),
        TwainFailure::BadPage(detail) => {
            ScanError::Device(format!("trang quét không đọc được ({detail})"))
        }
        TwainFailure::Write(detail) => ScanError::TempDir(detail),
    }
}

/// The source to open: the one the settings name (case and spaces aside), else the
/// first that is not Wine's camera source (gphoto2, listed even with no camera).
pub fn pick_source(found: &[String], wanted: Option<&str>) -> Result<String, TwainFailure> {
    let wanted = wanted.map(str::trim).filter(|w| !w.is_empty());
    let picked = match wanted {
        Some(w) => found.iter().find(|f| f.trim().eq_ignore_ascii_case(w)),
        None => found
            .iter()
            .find(|f| !f.to_ascii_lowercase().contains("gphoto2")),
    };
    picked.cloned().ok_or_else(|| TwainFailure::NoSource {
        wanted: wanted.map(str::to_string),
        found: found.to_vec(),
    })
}

/// ICAP_PIXELTYPE for the desk's scan mode.
pub fn pixel_type(mode: ScanMode) -> u16 {
    match mode {
        ScanMode::Colour => TWPT_RGB,
        ScanMode::Grey => TWPT_GRAY,
        ScanMode::BlackWhite => TWPT_BW,
    }
}

/// The largest page accepted, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit {
    pub max_pixels: u64,
    pub max_side: u32,
}

impl PageLimit {
    pub fn check(&self, width: u64, height: u64) -> Result<(), TwainFailure> {
        let side = u64::from(self.max_side);
        if width == 0 || height == 0 {
            return Err(TwainFailure::BadPage(format!("{width} × {height}")));
        }
        if width > side || height > side || width.saturating_mul(height) > self.max_pixels {
            return Err(TwainFailure::PageTooLarge { width, height });
        }
        Ok(())
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A native transfer's packed DIB (BITMAPINFOHEADER, palette, rows bottom-up unless the
/// height is negative, each padded to 4 bytes) as an image: 1- and 8-bit through their
/// palette as grey, 24- and 32-bit as colour.
pub fn dib_to_image(dib: &[u8], limit: PageLimit) -> Result<DynamicImage, TwainFailure> {
    let bad = |what: &str| TwainFailure::BadPage(format!("DIB: {what}"));
    let header = u32_at(dib, 0).ok_or_else(|| bad("quá ngắn"))? as usize;
    let width = u32_at(dib, 4).ok_or_else(|| bad("quá ngắn"))? as i32;
    let height = u32_at(dib, 8).ok_or_else(|| bad("quá ngắn"))? as i32;
    let bits = u16_at(dib, 14).ok_or_else(|| bad("quá ngắn"))?;
    let compression = u32_at(dib, 16).ok_or_else(|| bad("quá ngắn"))?;
    let used = u32_at(dib, 32).ok_or_else(|| bad("quá ngắn"))?;
    if header < 40 || width <= 0 || height == 0 || compression != 0 {
        return Err(bad("dạng không hỗ trợ"));
    }
    let (w, h) = (width as u32, height.unsigned_abs());
    limit.check(u64::from(w), u64::from(h))?;
    let colours = match bits {
        1 | 8 if used == 0 => 1usize << bits,
        1 | 8 => used as usize,
        24 | 32 => 0,
        _ => return Err(bad(&format!("{bits} bit"))),
    };
    let palette = dib
        .get(header..header + 4 * colours)
        .ok_or_else(|| bad("thiếu bảng màu"))?;
    let grey_of = |i: usize| -> u8 {
        let q = palette.get(4 * i..4 * i + 3).unwrap_or(&[0, 0, 0]);
        ((u32::from(q[2]) * 299 + u32::from(q[1]) * 587 + u32::from(q[0]) * 114) / 1000) as u8
    };
    let stride = (w as usize * bits as usize).div_ceil(32) * 4;
    let pixels = &dib[header + 4 * colours..];
    if pixels.len() < stride * h as usize {
        return Err(bad("thiếu dữ liệu ảnh"));
    }
    let row = |y: u32| {
        let stored = if height > 0 { h - 1 - y } else { y } as usize;
        &pixels[stored * stride..stored * stride + stride]
    };
    Ok(match bits {
        1 => DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
            let byte = row(y)[x as usize / 8];
            image::Luma([grey_of(usize::from(byte >> (7 - x % 8) & 1))])
        })),
        8 => DynamicImage::ImageLuma8(GrayImage::from_fn(w, h, |x, y| {
            image::Luma([grey_of(usize::from(row(y)[x as usize]))])
        })),
        _ => {
            let step = usize::from(bits / 8);
            DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
                let p = &row(y)[x as usize * step..];
                image::Rgb([p[2], p[1], p[0]])
            }))
        }
    })
}

/// A page arriving by memory transfer: top-down strips of whole rows, 1-bit (0 is
/// black, TWAIN's default pixel flavour), 8-bit grey or 24-bit RGB; the height may be
/// unknown (-1 in DAT_IMAGEINFO) until the last strip.
#[derive(Debug)]
pub struct StripPage {
    width: u32,
    bits: u16,
    limit: PageLimit,
    /// One byte (grey) or three (RGB) a pixel, rows packed.
    samples: Vec<u8>,
    rows: u32,
}

impl StripPage {
    pub fn new(
        width: u32,
        height: Option<u32>,
        bits: u16,
        limit: PageLimit,
    ) -> Result<StripPage, TwainFailure> {
        if !matches!(bits, 1 | 8 | 24) {
            return Err(TwainFailure::BadPage(format!("{bits} bit")));
        }
        limit.check(u64::from(width), u64::from(height.unwrap_or(1)))?;
        Ok(StripPage {
            width,
            bits,
            limit,
            samples: Vec::new(),
            rows: 0,
        })
    }

    fn channels(&self) -> usize {
        if self.bits == 24 { 3 } else { 1 }
    }

    /// One strip: `rows` rows of `bytes_per_row` bytes from row `y_offset`.
    pub fn add(
        &mut self,
        y_offset: u32,
        rows: u32,
        bytes_per_row: u32,
        data: &[u8],
    ) -> Result<(), TwainFailure> {
        let (w, per_row) = (self.width as usize, bytes_per_row as usize);
        let needed = (w * self.bits as usize).div_ceil(8);
        if per_row < needed || data.len() < per_row * rows as usize {
            return Err(TwainFailure::BadPage("dải ảnh ngắn hơn khai báo".into()));
        }
        let end = y_offset.saturating_add(rows);
        self.limit
            .check(u64::from(self.width), u64::from(end.max(1)))?;
        let row_len = w * self.channels();
        if end > self.rows {
            self.samples.resize(row_len * end as usize, 255);
            self.rows = end;
        }
        for r in 0..rows as usize {
            let src = &data[r * per_row..r * per_row + per_row];
            let at = (y_offset as usize + r) * row_len;
            let dst = &mut self.samples[at..at + row_len];
            match self.bits {
                1 => {
                    for (x, d) in dst.iter_mut().enumerate() {
                        *d = if src[x / 8] >> (7 - x % 8) & 1 == 1 {
                            255
                        } else {
                            0
                        };
                    }
                }
                _ => dst.copy_from_slice(&src[..row_len]),
            }
        }
        Ok(())
    }

    pub fn into_image(self) -> Result<DynamicImage, TwainFailure> {
        let short = || TwainFailure::BadPage("không có dữ liệu ảnh".into());
        if self.rows == 0 {
            return Err(short());
        }
        Ok(if self.channels() == 3 {
            DynamicImage::ImageRgb8(
                RgbImage::from_raw(self.width, self.rows, self.samples).ok_or_else(short)?,
            )
        } else {
            DynamicImage::ImageLuma8(
                GrayImage::from_raw(self.width, self.rows, self.samples).ok_or_else(short)?,
            )
        })
    }
}

/// What a running session shows the thread waiting for it: a beat at each message,
/// strip and page, and the flag that asks it to stop.
#[derive(Debug, Default)]
pub struct Watch {
    beats: AtomicU64,
    pub stop: AtomicBool,
}

impl Watch {
    pub fn beat(&self) {
        self.beats.fetch_add(1, Ordering::Relaxed);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Runs `session` on its own thread (a TWAIN driver's calls block, and a hung driver
/// never returns): the caller gets `Cancelled` soon after `cancel` is set and
/// `Stalled` after `stall` without a beat, while the session is asked to stop and
/// left to end on its own.
pub fn run_bounded<T: Send + 'static>(
    session: impl FnOnce(&Watch) -> Result<T, TwainFailure> + Send + 'static,
    cancel: &AtomicBool,
    stall: Duration,
) -> Result<T, TwainFailure> {
    let watch = Arc::new(Watch::default());
    let (tx, rx) = std::sync::mpsc::channel();
    let inner = Arc::clone(&watch);
    std::thread::Builder::new()
        .name("twain".into())
        .spawn(move || {
            let _ = tx.send(session(&inner));
        })
        .map_err(|e| TwainFailure::BadPage(e.to_string()))?;
    let (mut seen, mut since) = (u64::MAX, Instant::now());
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(result) => return result,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(TwainFailure::BadPage("phiên TWAIN dừng bất thường".into()));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        let beats = watch.beats.load(Ordering::Relaxed);
        if beats != seen {
            (seen, since) = (beats, Instant::now());
        }
        if cancel.load(Ordering::Relaxed) {
            watch.stop.store(true, Ordering::Relaxed);
            return Err(TwainFailure::Cancelled);
        }
        if since.elapsed() > stall {
            watch.stop.store(true, Ordering::Relaxed);
            return Err(TwainFailure::Stalled(stall.as_secs()));
        }
    }
}

#[cfg(test)]
#[path = "twain_tests.rs"]
mod tests;
