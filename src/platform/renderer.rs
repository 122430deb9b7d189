//! The counter window draws with the GPU (wgpu) when it can and falls back to
//! software drawing (tiny-skia) by itself. iced already falls back when the GPU fails
//! to start; broken drivers on old ward PCs (and Wine) fail later instead: a panic in
//! wgpu at the first shader, or an abort inside the Direct3D driver that no panic
//! hook sees. So on Windows the window first runs in a child process; if that process
//! dies, the window reopens here with software drawing, and the failure is remembered
//! for this PC so later starts go straight to software drawing.
#![allow(unsafe_code)] // setting ICED_BACKEND for iced while single-threaded.

use std::path::{Path, PathBuf};

/// iced reads its renderer choice from this variable.
pub const BACKEND_VAR: &str = "ICED_BACKEND";
pub const SOFTWARE: &str = "tiny-skia";
/// Set in the child process that tries the GPU.
pub const TRIAL_VAR: &str = "MOTCUA_GPU_TRIAL";
/// The file whose presence means "the GPU failed on this PC".
const MARKER: &str = "renderer-software";

/// How the window should draw this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// As ICED_BACKEND says, or iced's default (GPU, software if it cannot start).
    AsConfigured,
    /// The GPU failed here before: software drawing from the start.
    Software,
    /// Try the GPU in a child process, reopen with software drawing if it dies.
    Supervised,
}

/// Decides from ICED_BACKEND, the remembered failure, whether this process is the
/// GPU trial, and whether the platform supervises (Windows).
pub fn choose(
    configured: Option<&str>,
    failed_before: bool,
    trial: bool,
    supervise: bool,
) -> Choice {
    match configured {
        Some(v) if !v.trim().is_empty() => Choice::AsConfigured,
        _ if failed_before => Choice::Software,
        _ if trial || !supervise => Choice::AsConfigured,
        _ => Choice::Supervised,
    }
}

/// Where the remembered failure is kept: the per-user local cache folder (it is about
/// this PC's graphics, not about dossiers).
pub fn marker_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "motcua", "motcua").map(|d| d.cache_dir().join(MARKER))
}

fn remember_failure(marker: Option<&Path>, what: &str) {
    if let Some(marker) = marker {
        if let Some(dir) = marker.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(marker, what.as_bytes());
    }
}

fn use_software() {
    // SAFETY: called before the window's runtime starts, while this process has a
    // single thread (the supervising path only waited for a child), so nothing reads
    // the environment concurrently.
    unsafe { std::env::set_var(BACKEND_VAR, SOFTWARE) };
}

/// Opens the window with `open`, choosing the renderer as described above.
pub fn open_window<E>(open: impl FnOnce() -> Result<(), E>) -> Result<(), E> {
    let configured = std::env::var(BACKEND_VAR).ok();
    let marker = marker_path();
    let failed_before = marker.as_deref().is_some_and(Path::exists);
    let trial = std::env::var_os(TRIAL_VAR).is_some();
    match choose(configured.as_deref(), failed_before, trial, cfg!(windows)) {
        Choice::AsConfigured => open(),
        Choice::Software => {
            use_software();
            open()
        }
        Choice::Supervised => {
            let status = std::env::current_exe().and_then(|exe| {
                std::process::Command::new(exe)
                    .args(std::env::args_os().skip(1))
                    .env(TRIAL_VAR, "1")
                    .status()
            });
            match status {
                Ok(s) if s.success() => Ok(()),
                Ok(s) => {
                    let what = format!("the GPU window ended with {s}");
                    eprintln!(
                        "Cửa sổ không vẽ được bằng card đồ hoạ ({s}); mở lại bằng chế độ vẽ phần mềm."
                    );
                    remember_failure(marker.as_deref(), &what);
                    use_software();
                    open()
                }
                // Could not start a second process: draw in software here, safely.
                Err(_) => {
                    use_software();
                    open()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_backend_wins_then_the_remembered_failure_then_supervision() {
        assert_eq!(
            choose(Some("wgpu"), true, false, true),
            Choice::AsConfigured
        );
        assert_eq!(choose(Some(" "), true, false, true), Choice::Software);
        assert_eq!(choose(None, true, true, true), Choice::Software);
        assert_eq!(choose(None, false, false, true), Choice::Supervised);
        assert_eq!(
            choose(None, false, true, true),
            Choice::AsConfigured,
            "the trial itself"
        );
        assert_eq!(
            choose(None, false, false, false),
            Choice::AsConfigured,
            "Linux, macOS"
        );
    }

    #[test]
    fn a_failure_is_remembered_in_the_marker_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let marker = dir.path().join("cache/renderer-software");
        remember_failure(Some(&marker), "exit code: 3");
        assert_eq!(
            std::fs::read_to_string(&marker).expect("reads"),
            "exit code: 3"
        );
    }
}
