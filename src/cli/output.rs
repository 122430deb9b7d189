//! Shared pieces of the command line: the one writer of its output, reading times,
//! writing JSON.
//!
//! Every line a command shows goes through `outln!`/`out!` (stdout) or `errln!`/`err!`
//! (stderr). A reader that goes away early (`motcua show CODE | head -1`) is not a
//! failure: the rest of the output is dropped quietly and the command ends as it would
//! have (exit 0 when it succeeded), never with a panic.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::cli::CliError;
use crate::domain::clock::{Timestamp, from_wall, vn_offset};

/// Set once stdout's reader has gone away: nothing more is written to it.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout; a closed pipe silences the rest of the output. Any other write
/// error (a full disk behind a redirection) is reported once on stderr.
pub fn write_out(args: fmt::Arguments<'_>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe {
            write_err(format_args!(
                "Lỗi: không ghi được kết quả ra màn hình/tệp: {e}\n"
            ));
        }
    }
}

/// Writes to stderr; a closed stderr is ignored (there is nowhere left to tell).
pub fn write_err(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.flush());
}

/// `println!` through the command line's one writer.
macro_rules! outln {
    () => { $crate::cli::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through the command line's one writer.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    () => { $crate::cli::output::write_err(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::output::write_err(format_args!($($arg)*)) };
}

pub(crate) use {err, errln, out, outln};

/// Reads a time given on the command line: RFC 3339 (`2026-03-02T09:30:00+07:00`), or a
/// Vietnam wall-clock `2026-03-02T09:30`, `2026-03-02 09:30[:00]`, or a bare date
/// (start of that day).
pub fn parse_time(raw: &str, what: &str) -> Result<Timestamp, CliError> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&vn_offset()));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(from_wall(t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(from_wall(d.and_time(chrono::NaiveTime::MIN)));
    }
    Err(CliError(format!(
        "{what} '{s}' không hợp lệ: dùng dạng 2026-03-02T09:30:00+07:00 hoặc 2026-03-02 09:30 (giờ Việt Nam)"
    )))
}

pub fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError(format!("không tạo được JSON: {e}")))?;
    outln!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::format_rfc3339;

    #[test]
    fn times_in_every_accepted_form() {
        for raw in [
            "2026-03-02T09:30:00+07:00",
            "2026-03-02T02:30:00Z",
            "2026-03-02T09:30",
            "2026-03-02 09:30",
            "2026-03-02 09:30:00",
        ] {
            let t = parse_time(raw, "Thời điểm").expect(raw);
            assert_eq!(format_rfc3339(t), "2026-03-02T09:30:00+07:00", "{raw}");
        }
        assert!(parse_time("02/03/2026", "Thời điểm").is_err());
    }
}
