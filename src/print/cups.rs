//! Handing a saved PDF to the operating system's print system: CUPS `lp` on Linux and
//! macOS. The PDF is written before anything is sent, so a failure here never loses
//! it; every failure is worded for the clerk.

use std::path::Path;
use std::process::Command;

use thiserror::Error;

/// Why a print job did not go out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrinterError {
    #[error("máy này chưa cài hệ thống in CUPS (không có lệnh lp)")]
    NoCups,
    #[error("không có máy in tên '{0}'; xem danh sách máy in bằng lệnh: lpstat -p")]
    UnknownPrinter(String),
    #[error("dịch vụ in (CUPS) không chạy; hãy bật lại dịch vụ in hoặc khởi động lại máy")]
    SchedulerDown,
    #[error("máy in '{0}' đang từ chối nhận lệnh in; người quản trị cần bật lại (cupsaccept {0})")]
    NotAccepting(String),
    #[error("số bản in phải từ 1 đến 99 (đã nhập {0})")]
    Copies(u32),
    #[error("tên máy in '{0}' không hợp lệ")]
    BadName(String),
    #[error("hệ thống in báo lỗi: {0}")]
    Other(String),
    /// From the Windows print path (`print::gdi`), already worded for the clerk.
    #[error("{0}")]
    Windows(String),
}

/// A job CUPS accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// e.g. "PDF-12".
    pub id: String,
    /// Set when the queue is paused: the job waits in it until the printer is resumed.
    pub warning: Option<String>,
}

/// Submits `file` to `printer` for `copies` copies with `lp -d PRINTER -n N FILE`.
pub fn submit(printer: &str, copies: u32, file: &Path) -> Result<Job, PrinterError> {
    if !(1..=99).contains(&copies) {
        return Err(PrinterError::Copies(copies));
    }
    // A name starting with '-' would be read by lp as an option.
    if printer.trim().is_empty()
        || printer.starts_with('-')
        || printer.contains(char::is_whitespace)
    {
        return Err(PrinterError::BadName(printer.to_string()));
    }
    let out = Command::new("lp")
        .env("LC_ALL", "C")
        .args(["-d", printer, "-n", &copies.to_string(), "--"])
        .arg(file)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PrinterError::NoCups,
            _ => PrinterError::Other(e.to_string()),
        })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        // lp reports an unreachable scheduler as "printer does not exist": ask first.
        if !scheduler_running() {
            return Err(PrinterError::SchedulerDown);
        }
        return Err(classify(printer, &stderr));
    }
    let id = parse_job_id(&stdout)
        .ok_or_else(|| PrinterError::Other(format!("không đọc được số lệnh in từ: {stdout}")))?;
    Ok(Job {
        id,
        warning: paused_warning(printer),
    })
}

/// Reads the job id from lp's "request id is PDF-12 (1 file(s))".
pub fn parse_job_id(stdout: &str) -> Option<String> {
    let rest = stdout.split("request id is ").nth(1)?;
    let id = rest.split_whitespace().next()?;
    (!id.is_empty()).then(|| id.to_string())
}

/// Maps lp's (C-locale) error text to what happened.
pub fn classify(printer: &str, stderr: &str) -> PrinterError {
    let lower = stderr.to_ascii_lowercase();
    if lower.contains("does not exist") || lower.contains("no such") || lower.contains("not found")
    {
        PrinterError::UnknownPrinter(printer.to_string())
    } else if lower.contains("scheduler not running")
        || lower.contains("connection refused")
        || lower.contains("unable to connect")
        || lower.contains("no such file or directory")
    {
        PrinterError::SchedulerDown
    } else if lower.contains("not accepting") {
        PrinterError::NotAccepting(printer.to_string())
    } else {
        PrinterError::Other(stderr.trim().to_string())
    }
}

/// Whether the CUPS scheduler answers (`lpstat -r`).
pub fn scheduler_running() -> bool {
    Command::new("lpstat")
        .env("LC_ALL", "C")
        .arg("-r")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("scheduler is running"))
}

/// A paused (disabled) queue still accepts jobs but holds them: tell the clerk.
fn paused_warning(printer: &str) -> Option<String> {
    let out = Command::new("lpstat")
        .env("LC_ALL", "C")
        .args(["-p", printer])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.contains("disabled").then(|| {
        format!(
            "máy in '{printer}' đang tạm dừng: lệnh in nằm chờ trong hàng đợi cho đến khi máy in được bật lại (cupsenable {printer})"
        )
    })
}

/// The printers CUPS knows (for a settings screen); empty when CUPS is absent.
pub fn printers() -> Vec<String> {
    let Ok(out) = Command::new("lpstat").env("LC_ALL", "C").arg("-p").output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("printer "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ids_and_errors_are_read() {
        assert_eq!(
            parse_job_id("request id is PDF-12 (1 file(s))\n").as_deref(),
            Some("PDF-12")
        );
        assert_eq!(parse_job_id("nothing"), None);
        assert_eq!(
            classify("X", "lp: The printer or class does not exist.\n"),
            PrinterError::UnknownPrinter("X".into())
        );
        assert_eq!(
            classify("X", "lp: Error - Scheduler Not Running\n"),
            PrinterError::SchedulerDown
        );
        assert_eq!(
            classify("X", "lp: Destination \"X\" is not accepting jobs.\n"),
            PrinterError::NotAccepting("X".into())
        );
        assert!(matches!(classify("X", "lp: odd"), PrinterError::Other(_)));
    }

    #[test]
    fn bad_requests_are_refused_before_lp_runs() {
        let f = Path::new("/nonexistent.pdf");
        assert_eq!(submit("PDF", 0, f), Err(PrinterError::Copies(0)));
        assert_eq!(submit("-x", 1, f), Err(PrinterError::BadName("-x".into())));
    }
}
