//! Running `scanimage` as a child process: its pipes drained on their own threads,
//! polled so the clerk can cancel, stopped by SIGTERM (so SANE cancels the scan and
//! releases the device) and killed if it does not go.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::ScanError;

pub const POLL: Duration = Duration::from_millis(50);
/// Bytes of `scanimage`'s messages kept (enough for the last lines).
const MAX_MESSAGES: u64 = 64 * 1024;

pub fn spawn(mut cmd: Command) -> Result<Child, ScanError> {
    cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ScanError::NoSoftware
        } else {
            ScanError::Device(e.to_string())
        }
    })
}

/// Runs a short query (`-A`, `-f`) to its end: (success, stdout, stderr).
pub fn run_to_end(
    mut cmd: Command,
    timeout: Duration,
) -> Result<(bool, String, String), ScanError> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = spawn(cmd)?;
    let out = drain(child.stdout.take());
    let messages = drain(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| ScanError::Device(e.to_string()))?
        {
            break status;
        }
        if start.elapsed() > timeout {
            stop(&mut child);
            return Err(ScanError::TimedOut(timeout.as_secs()));
        }
        std::thread::sleep(POLL);
    };
    Ok((
        status.success(),
        out.join().unwrap_or_default(),
        messages.join().unwrap_or_default(),
    ))
}

/// Reads a child's pipe on its own thread (a full pipe would block the child).
pub fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(pipe) = pipe {
            let mut bytes = Vec::new();
            let mut limited = pipe.take(MAX_MESSAGES);
            let _ = limited.read_to_end(&mut bytes);
            // Keep reading (and dropping) so the child never blocks on a full pipe.
            let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}

/// Asks `scanimage` to cancel the scan cleanly (SIGTERM: it calls `sane_cancel`), then
/// kills it if it has not gone within two seconds.
pub fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(POLL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Watches the output folder: any new or grown page file is progress.
pub struct Progress<'a> {
    dir: &'a Path,
    last: (usize, u64),
    since: Instant,
}

impl<'a> Progress<'a> {
    pub fn new(dir: &'a Path) -> Self {
        Progress {
            dir,
            last: (0, 0),
            since: Instant::now(),
        }
    }

    pub fn stalled(&mut self, timeout: Duration) -> bool {
        let now = folder_state(self.dir);
        if now != self.last {
            self.last = now;
            self.since = Instant::now();
        }
        self.since.elapsed() > timeout
    }
}

fn folder_state(dir: &Path) -> (usize, u64) {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().fold((0, 0), |(n, bytes), e| {
                (n + 1, bytes + e.metadata().map(|m| m.len()).unwrap_or(0))
            })
        })
        .unwrap_or((0, 0))
}
