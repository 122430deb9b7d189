//! SANE through its command-line front end `scanimage`: one child process a job, pages
//! written as PNG into a temporary folder (`--batch`), stopped by a signal when the
//! clerk cancels or when the scanner makes no progress for too long.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::process::{POLL, Progress, drain, run_to_end, spawn, stop};
use super::{ScanDevice, ScanError, ScanJob, ScanMode, ScannedPages, Scanner};

/// How long a scanner may go without writing a byte before the job is stopped.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(90);

#[derive(Debug, Clone)]
pub struct SaneScanner {
    program: PathBuf,
    stall_timeout: Duration,
    extra_args: Vec<String>,
    env: Vec<(OsString, OsString)>,
}

impl Default for SaneScanner {
    fn default() -> Self {
        SaneScanner {
            program: PathBuf::from("scanimage"),
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            extra_args: Vec::new(),
            env: Vec::new(),
        }
    }
}

impl SaneScanner {
    /// Another `scanimage` (a full path, or a stand-in for tests).
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = program.into();
        self
    }

    /// Stop a job after this long without progress.
    pub fn with_stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// Device options passed through (e.g. `-x 210 -y 297` for an A4 area).
    pub fn with_args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.extra_args.extend(args.into_iter().map(Into::into));
        self
    }

    /// An environment variable for `scanimage` (e.g. `SANE_CONFIG_DIR`).
    pub fn with_env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        cmd
    }

    /// The device's feeder source name ("ADF", "Automatic Document Feeder"…), if any.
    fn feeder_source(&self, device: Option<&str>) -> Result<Option<String>, ScanError> {
        let mut cmd = self.command();
        if let Some(d) = device {
            cmd.arg("-d").arg(d);
        }
        cmd.arg("-A");
        let (status, out, messages) = run_to_end(cmd, self.stall_timeout)?;
        if !status {
            return Err(classify(&messages, device));
        }
        Ok(parse_feeder_source(&out))
    }
}

impl Scanner for SaneScanner {
    fn scan(&self, job: &ScanJob, cancel: &AtomicBool) -> Result<ScannedPages, ScanError> {
        let dir = tempfile::Builder::new()
            .prefix("motcua-scan-")
            .tempdir()
            .map_err(|e| ScanError::TempDir(e.to_string()))?;
        let mut cmd = self.command();
        if let Some(d) = &job.device {
            cmd.arg("-d").arg(d);
        }
        let mode = match job.mode {
            ScanMode::Colour => "Color",
            // Black-and-white is thresholded by the pipeline: mode names for line art
            // differ between backends, grey does not.
            ScanMode::Grey | ScanMode::BlackWhite => "Gray",
        };
        let max_pages = if job.feeder { job.max_pages.max(1) } else { 1 };
        if job.feeder
            && let Some(source) = self.feeder_source(job.device.as_deref())?
        {
            cmd.arg("--source").arg(source);
        }
        cmd.arg("--format=png")
            .arg("--mode")
            .arg(mode)
            .arg("--resolution")
            .arg(job.dpi.to_string())
            .args(&self.extra_args)
            .arg(format!(
                "--batch={}",
                dir.path().join("page-%04d.png").display()
            ))
            .arg(format!("--batch-count={max_pages}"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = spawn(cmd)?;
        let messages = drain(child.stderr.take());
        let mut progress = Progress::new(dir.path());
        let status = loop {
            if let Some(status) = child
                .try_wait()
                .map_err(|e| ScanError::Device(e.to_string()))?
            {
                break status;
            }
            if cancel.load(Ordering::Relaxed) {
                stop(&mut child);
                return Err(ScanError::Cancelled);
            }
            if progress.stalled(self.stall_timeout) {
                stop(&mut child);
                return Err(ScanError::TimedOut(self.stall_timeout.as_secs()));
            }
            std::thread::sleep(POLL);
        };
        let messages = messages.join().unwrap_or_default();
        let pages = page_files(dir.path(), max_pages);
        // `--batch` ends with "out of documents" (status 7) once the feeder is empty.
        let feeder_emptied = messages.contains("out of documents");
        let finished = status.success() || (feeder_emptied && !failed(&messages));
        if finished && !pages.is_empty() {
            return Ok(ScannedPages::new(dir, pages));
        }
        if finished && !failed(&messages) && !feeder_emptied {
            let code = status
                .code()
                .map(|c| format!(", mã {c}"))
                .unwrap_or_default();
            return Err(ScanError::Device(format!(
                "không nhận được trang nào{code}"
            )));
        }
        Err(classify(&messages, job.device.as_deref()))
    }

    fn devices(&self) -> Result<Vec<ScanDevice>, ScanError> {
        let mut cmd = self.command();
        cmd.arg("-f").arg("%d\t%v %m%n");
        let (ok, out, messages) = run_to_end(cmd, self.stall_timeout)?;
        if !ok {
            return Err(classify(&messages, None));
        }
        Ok(out
            .lines()
            .filter_map(|line| {
                let (name, label) = line.split_once('\t')?;
                let name = name.trim();
                (!name.is_empty()).then(|| ScanDevice {
                    name: name.to_string(),
                    label: label.trim().to_string(),
                })
            })
            .collect())
    }
}

/// The page files written, in page order, empty ones (a page cut short) left out.
fn page_files(dir: &Path, max_pages: u32) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "png"))
                .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    pages.truncate(max_pages as usize);
    pages
}

/// Whether `scanimage` reported a real failure (not the normal end of a batch).
fn failed(messages: &str) -> bool {
    messages.lines().any(|l| {
        l.contains("scanimage:")
            && !l.contains("out of documents")
            // "rounded value of br-x from 210 to 200": the area was clipped to the bed.
            && !l.contains("rounded value")
    })
}

/// The SANE messages a clerk may meet, in Vietnamese; others passed on as they are.
fn classify(messages: &str, device: Option<&str>) -> ScanError {
    let named = device.map(|d| format!(" '{d}'")).unwrap_or_default();
    if messages.contains("no SANE devices found") || messages.contains("open of device") {
        return ScanError::NoScanner(named);
    }
    if messages.contains("out of documents") {
        return ScanError::NoPaper;
    }
    const KNOWN: [(&str, &str); 6] = [
        ("jammed", "kẹt giấy"),
        ("cover", "nắp máy quét đang mở"),
        (
            "busy",
            "máy quét đang bận (một chương trình khác đang dùng)",
        ),
        ("denied", "không có quyền dùng máy quét"),
        ("I/O", "lỗi kết nối với máy quét"),
        ("memory", "máy quét hết bộ nhớ"),
    ];
    for (english, vietnamese) in KNOWN {
        if messages.contains(english) {
            return ScanError::Device(vietnamese.into());
        }
    }
    let last = messages
        .lines()
        .rev()
        .find(|l| l.contains("scanimage:"))
        .unwrap_or("lỗi không rõ")
        .trim_start_matches("scanimage:")
        .trim();
    ScanError::Device(last.chars().take(160).collect())
}

/// The first feeder choice of the `--source` option in `scanimage -A` output.
fn parse_feeder_source(help: &str) -> Option<String> {
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("--source "))?;
    let choices = line.trim_start().strip_prefix("--source ")?;
    let choices = choices.split(" [").next()?;
    let options: Vec<&str> = choices.split('|').map(str::trim).collect();
    let feeder = |o: &&str| {
        let l = o.to_ascii_lowercase();
        l.contains("adf") || l.contains("feeder")
    };
    let simplex = |o: &&str| {
        let l = o.to_ascii_lowercase();
        !l.contains("duplex") && !l.contains("back")
    };
    options
        .iter()
        .find(|o| feeder(o) && simplex(o))
        .or_else(|| options.iter().find(|o| feeder(o)))
        .map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feeder_source_is_read_from_the_option_list() {
        let test = "  Scan Mode:\n    --source Flatbed|Automatic Document Feeder [Flatbed]\n";
        assert_eq!(
            parse_feeder_source(test).as_deref(),
            Some("Automatic Document Feeder")
        );
        let duplex = "    --source Flatbed|ADF Duplex|ADF Front [Flatbed]\n";
        assert_eq!(parse_feeder_source(duplex).as_deref(), Some("ADF Front"));
        assert_eq!(parse_feeder_source("    --mode Gray|Color [Gray]\n"), None);
        assert_eq!(
            parse_feeder_source("    --source Flatbed [Flatbed]\n"),
            None
        );
    }

    #[test]
    fn sane_messages_become_vietnamese() {
        assert_eq!(
            classify("scanimage: no SANE devices found\n", None),
            ScanError::NoScanner(String::new())
        );
        assert_eq!(
            classify(
                "scanimage: open of device epson:x failed: Invalid argument\n",
                Some("epson:x")
            ),
            ScanError::NoScanner(" 'epson:x'".into())
        );
        assert_eq!(
            classify("scanimage: sane_read: Document feeder jammed\n", None),
            ScanError::Device("kẹt giấy".into())
        );
        assert_eq!(
            classify(
                "scanimage: sane_start: Document feeder out of documents\n",
                None
            ),
            ScanError::NoPaper
        );
    }
}
