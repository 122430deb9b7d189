//! Thumbnails drawn in a child process that is stopped when its budget runs out (issue
//! 20 item 2). The renderer checks its time only between pages and a page can draw one
//! form a billion times, so no bound inside this process can stop it: the desk re-runs
//! its own program (`motcua render-thumbnails`, hidden), hands it the PDF on standard
//! input and reads the pictures from standard output, with a size bound. The child caps
//! its own memory and CPU time (`limit_self`, Unix); the parent kills it at the
//! wall-clock budget on every platform, so the window always gets an answer.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::thumbnail::{Thumbnail, thumbnails};
use crate::domain::document::DocumentLimits;

/// The hidden subcommand of `motcua` that serves as the child.
pub const SUBCOMMAND: &str = "render-thumbnails";

/// What the child may spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderBudget {
    /// Killed by the parent after this long, whatever it is doing.
    pub wall: Duration,
    /// CPU seconds (RLIMIT_CPU, Unix).
    pub cpu_seconds: u64,
    /// Address space in bytes (RLIMIT_AS, Linux): an allocation past it fails.
    pub memory_bytes: u64,
}

impl Default for RenderBudget {
    /// 10 s, 10 CPU seconds, 1 GiB: the worst accepted PDF parses in ~1 s at 117 MB.
    fn default() -> Self {
        RenderBudget {
            wall: Duration::from_secs(10),
            cpu_seconds: 10,
            memory_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Why no thumbnails came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error(
        "Không vẽ được trang xem trước: tệp cần hơn {0} giây nên đã bị dừng (tệp có thể hỏng \
         hoặc được làm để treo máy); vẫn mở được tệp bằng nút Mở"
    )]
    TimedOut(u64),
    #[error(
        "Không vẽ được trang xem trước: trình vẽ dừng giữa chừng ({0}), có thể do tệp cần quá \
         nhiều bộ nhớ; vẫn mở được tệp bằng nút Mở"
    )]
    Died(String),
    #[error("Không chạy được trình vẽ trang xem trước ({0}); hãy cài lại chương trình")]
    Start(String),
    /// The child's answer broke the format or its bounds.
    #[error("Trình vẽ trang xem trước trả lời sai định dạng ({0})")]
    Garbled(&'static str),
    /// The child read the file and refused it (the words are the pipeline's).
    #[error("{0}")]
    Refused(String),
}

/// One child run: its outcome, how long it took and the highest resident memory seen
/// (Linux: the child's `VmHWM`, read while it runs; `None` elsewhere).
#[derive(Debug)]
pub struct ChildRun {
    pub result: Result<Vec<Thumbnail>, RenderError>,
    pub took: Duration,
    pub peak_rss_kib: Option<u64>,
}

/// Which program draws thumbnails for `Desk::thumbnails`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Renderer {
    /// This program (or the one named), re-run as a child.
    Child(PathBuf),
    /// In this process, without the child's kill: only where no `motcua` program exists
    /// to re-run (the library's own unit tests, whose program is the test harness).
    InProcess,
}

static RENDERER: OnceLock<Renderer> = OnceLock::new();

/// Chooses the renderer for this process (integration tests: the built `motcua`). The
/// first choice holds; `false` when one was already made.
pub fn use_renderer(renderer: Renderer) -> bool {
    RENDERER.set(renderer).is_ok()
}

/// The renderer chosen, by default this program as a child.
pub fn renderer() -> &'static Renderer {
    RENDERER.get_or_init(|| {
        if cfg!(test) {
            Renderer::InProcess
        } else {
            // Failing that, the name on the PATH: the spawn error then says what is wrong.
            Renderer::Child(std::env::current_exe().unwrap_or_else(|_| PathBuf::from("motcua")))
        }
    })
}

/// Thumbnails of `pdf` by the chosen renderer, within the default budget.
pub fn thumbnails_isolated(
    pdf: &[u8],
    side: u32,
    pages: usize,
) -> Result<Vec<Thumbnail>, RenderError> {
    match renderer() {
        Renderer::Child(exe) => {
            thumbnails_in_child(exe, pdf, side, pages, &RenderBudget::default()).result
        }
        Renderer::InProcess => {
            thumbnails(pdf, side, pages).map_err(|e| RenderError::Refused(e.to_string()))
        }
    }
}

/// Runs `exe render-thumbnails` on `pdf`, killed when `budget.wall` runs out.
pub fn thumbnails_in_child(
    exe: &Path,
    pdf: &[u8],
    side: u32,
    pages: usize,
    budget: &RenderBudget,
) -> ChildRun {
    let started = Instant::now();
    let side = side.clamp(16, 2048);
    let pages = pages.clamp(1, 500);
    let spawned = Command::new(exe)
        .arg(SUBCOMMAND)
        .args(["--side", &side.to_string(), "--pages", &pages.to_string()])
        .args(["--cpu-seconds", &budget.cpu_seconds.to_string()])
        .args(["--memory-bytes", &budget.memory_bytes.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return ChildRun {
                result: Err(RenderError::Start(format!("{}: {e}", exe.display()))),
                took: started.elapsed(),
                peak_rss_kib: None,
            };
        }
    };
    // Both pipes on threads: a child that stops reading or writing cannot hold the
    // parent past the deadline. A write error means the child stopped early: its exit
    // status tells why.
    let input = child.stdin.take().map(|mut stdin| {
        let pdf = pdf.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&pdf);
        })
    });
    let bound = answer_bound(side, pages);
    let output = child.stdout.take().map(|stdout| {
        std::thread::spawn(move || {
            let mut answer = Vec::new();
            let read = stdout.take(bound + 1).read_to_end(&mut answer);
            read.map(|_| answer)
        })
    });
    let (status, peak_rss_kib) = wait_within(&mut child, budget.wall);
    if let Some(input) = input {
        let _ = input.join();
    }
    let answer = output.and_then(|o| o.join().ok()).and_then(Result::ok);
    let result = match status {
        None => Err(RenderError::TimedOut(budget.wall.as_secs().max(1))),
        Some(Err(e)) => Err(RenderError::Died(e)),
        Some(Ok(status)) if !status.success() => Err(RenderError::Died(describe(status))),
        Some(Ok(_)) => match answer {
            Some(answer) if answer.len() as u64 <= bound => decode(&answer, side, pages),
            Some(_) => Err(RenderError::Garbled("quá lớn")),
            None => Err(RenderError::Garbled("không đọc được")),
        },
    };
    ChildRun {
        result,
        took: started.elapsed(),
        peak_rss_kib,
    }
}

/// The child's exit status within `wall` (`None`: it was killed at the deadline), and
/// the peak memory seen meanwhile.
fn wait_within(
    child: &mut Child,
    wall: Duration,
) -> (Option<Result<ExitStatus, String>>, Option<u64>) {
    let deadline = Instant::now() + wall;
    let mut peak = None;
    loop {
        peak = peak.max(peak_rss_kib(child.id()));
        match child.try_wait() {
            Ok(Some(status)) => return (Some(Ok(status)), peak),
            Ok(None) if Instant::now() >= deadline => {
                // Killed and reaped, so no zombie is left behind.
                let _ = child.kill();
                let _ = child.wait();
                return (None, peak);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return (Some(Err(e.to_string())), peak);
            }
        }
    }
}

fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("tín hiệu {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("mã thoát {code}"),
        None => "không rõ lý do".into(),
    }
}

#[cfg(target_os = "linux")]
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
        // A process between fork and exec, or already gone, shows nothing to count.
        .filter(|kib| *kib > 0)
}

#[cfg(not(target_os = "linux"))]
fn peak_rss_kib(_pid: u32) -> Option<u64> {
    None
}

// The answer on standard output: MAGIC, then 0 and the pictures (count, then width,
// height and RGBA of each, little-endian u32), or 1 and the refusal's words.
const MAGIC: &[u8; 4] = b"MCT1";
const MAX_MESSAGE: u64 = 4096;

/// Largest answer for `pages` pictures of at most `side` pixels a side.
fn answer_bound(side: u32, pages: usize) -> u64 {
    let picture = 8 + u64::from(side) * u64::from(side) * 4;
    9 + (pages as u64) * picture + MAX_MESSAGE
}

fn encode_ok(thumbs: &[Thumbnail], out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&[0])?;
    out.write_all(&(thumbs.len() as u32).to_le_bytes())?;
    for t in thumbs {
        out.write_all(&t.width.to_le_bytes())?;
        out.write_all(&t.height.to_le_bytes())?;
        out.write_all(&t.rgba)?;
    }
    out.flush()
}

fn encode_refusal(message: &str, out: &mut impl Write) -> std::io::Result<()> {
    let words: String = message.chars().take(1000).collect();
    out.write_all(MAGIC)?;
    out.write_all(&[1])?;
    out.write_all(&(words.len() as u32).to_le_bytes())?;
    out.write_all(words.as_bytes())?;
    out.flush()
}

/// Reads the answer front to back.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], RenderError> {
        if self.0.len() < n {
            return Err(RenderError::Garbled("thiếu dữ liệu"));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn number(&mut self) -> Result<u32, RenderError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// The child's answer, every size checked against what was asked.
fn decode(answer: &[u8], side: u32, pages: usize) -> Result<Vec<Thumbnail>, RenderError> {
    let rest = answer
        .strip_prefix(MAGIC)
        .ok_or(RenderError::Garbled("thiếu mở đầu"))?;
    let mut at = Cursor(rest);
    match at.take(1)?[0] {
        1 => {
            let len = at.number()? as usize;
            let words = at.take(len)?;
            Err(RenderError::Refused(
                String::from_utf8_lossy(words).into_owned(),
            ))
        }
        0 => {
            let count = at.number()? as usize;
            if count > pages {
                return Err(RenderError::Garbled("quá nhiều trang"));
            }
            let mut thumbs = Vec::with_capacity(count);
            for _ in 0..count {
                let (width, height) = (at.number()?, at.number()?);
                if !(1..=side).contains(&width) || !(1..=side).contains(&height) {
                    return Err(RenderError::Garbled("kích thước sai"));
                }
                let rgba = at.take(width as usize * height as usize * 4)?.to_vec();
                thumbs.push(Thumbnail {
                    width,
                    height,
                    rgba,
                });
            }
            Ok(thumbs)
        }
        _ => Err(RenderError::Garbled("trạng thái lạ")),
    }
}

/// The child's side: limits itself, reads the PDF from `input` (at most the largest
/// document the desk keeps), draws and writes the answer to `output`.
pub fn serve_child(
    input: &mut impl Read,
    output: &mut impl Write,
    side: u32,
    pages: usize,
    budget: &RenderBudget,
) -> std::io::Result<()> {
    limit_self(budget);
    let mut pdf = Vec::new();
    input
        .take(DocumentLimits::CEILING.max_bytes + 1)
        .read_to_end(&mut pdf)?;
    if pdf.len() as u64 > DocumentLimits::CEILING.max_bytes {
        return encode_refusal("Tệp quá lớn để vẽ trang xem trước", output);
    }
    match thumbnails(&pdf, side.clamp(16, 2048), pages.clamp(1, 500)) {
        Ok(thumbs) => encode_ok(&thumbs, output),
        Err(e) => encode_refusal(&e.to_string(), output),
    }
}

/// Caps this process's address space and CPU time, and turns core dumps off (a child
/// stopped for its limits leaves no copy of a citizen's paper on disk). Best effort: a
/// limit the system refuses leaves the parent's wall-clock kill.
fn limit_self(budget: &RenderBudget) {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let cap = |n: u64| Rlimit {
            current: Some(n),
            maximum: Some(n),
        };
        let _ = setrlimit(Resource::Core, cap(0));
        // SIGXCPU at the soft limit, SIGKILL a second later.
        let _ = setrlimit(
            Resource::Cpu,
            Rlimit {
                current: Some(budget.cpu_seconds),
                maximum: Some(budget.cpu_seconds + 1),
            },
        );
        #[cfg(target_os = "linux")]
        let _ = setrlimit(Resource::As, cap(budget.memory_bytes));
    }
    #[cfg(not(unix))]
    let _ = budget;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: u32, height: u32, v: u8) -> Thumbnail {
        Thumbnail {
            width,
            height,
            rgba: vec![v; (width * height * 4) as usize],
        }
    }

    #[test]
    fn pictures_and_refusals_cross_the_pipe_unchanged() {
        let thumbs = vec![picture(20, 30, 7), picture(30, 20, 200)];
        let mut wire = Vec::new();
        encode_ok(&thumbs, &mut wire).expect("in memory");
        assert!(wire.len() as u64 <= answer_bound(30, 2));
        assert_eq!(decode(&wire, 30, 2), Ok(thumbs));
        let mut wire = Vec::new();
        encode_refusal("Tệp PDF hỏng", &mut wire).expect("in memory");
        assert_eq!(
            decode(&wire, 30, 2),
            Err(RenderError::Refused("Tệp PDF hỏng".into()))
        );
    }

    #[test]
    fn an_answer_past_what_was_asked_is_refused() {
        let mut wire = Vec::new();
        encode_ok(&[picture(40, 10, 1)], &mut wire).expect("in memory");
        assert_eq!(
            decode(&wire, 30, 1),
            Err(RenderError::Garbled("kích thước sai"))
        );
        let mut wire = Vec::new();
        encode_ok(&[picture(10, 10, 1), picture(10, 10, 1)], &mut wire).expect("in memory");
        assert_eq!(
            decode(&wire, 30, 1),
            Err(RenderError::Garbled("quá nhiều trang"))
        );
        assert_eq!(
            decode(&wire[..wire.len() - 1], 30, 2),
            Err(RenderError::Garbled("thiếu dữ liệu"))
        );
        assert_eq!(
            decode(b"HTML", 30, 2),
            Err(RenderError::Garbled("thiếu mở đầu"))
        );
    }

    #[test]
    fn a_program_that_is_not_the_renderer_gives_a_clear_error() {
        let run = thumbnails_in_child(
            Path::new("/nonexistent/motcua"),
            b"%PDF-1.7",
            100,
            1,
            &RenderBudget::default(),
        );
        assert!(
            matches!(run.result, Err(RenderError::Start(_))),
            "{:?}",
            run.result
        );
    }
}
