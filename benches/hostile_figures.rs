//! Figures for hostile files (issue 20), printed, not asserted: for each PDF bomb built
//! here (tests/common/pdf_bomb.rs), its size, the outcome of `import_file`, the wall time
//! and the peak resident memory of a child process that imports only that file (this
//! binary re-run with `--child PATH`, reading its own `VmHWM` from /proc, Linux only).
//!
//! Run with `cargo bench --bench hostile_figures` (`--profile dev` is quicker to build).

#[path = "../tests/common/pdf_bomb.rs"]
mod pdf_bomb;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use motcua::documents::{Profile, import_file};
use motcua::domain::document::DocumentLimits;

const MIB: usize = 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        let path = args.get(at + 1).expect("a path after --child");
        child(Path::new(path));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let bombs: Vec<(&str, Vec<u8>)> = vec![
        (
            "8 object streams × 255 MB",
            pdf_bomb::object_stream_bomb(8, 255 * MIB),
        ),
        (
            "96 object streams × 255 MB",
            pdf_bomb::object_stream_bomb(96, 255 * MIB),
        ),
        ("1 page drawing × 4 GB", pdf_bomb::content_bomb(4096 * MIB)),
        (
            "8 object streams × 2 MB (accepted)",
            pdf_bomb::object_stream_bomb(8, 2 * MIB),
        ),
        (
            "1 object stream, 15.9 MB of `0 `",
            pdf_bomb::object_stream_of_tiny_objects(16 * MIB - 64 * 1024),
        ),
        (
            "1 object stream, 1.8 MB of `0 ` (accepted, worst parse)",
            pdf_bomb::object_stream_of_tiny_objects(18 * MIB / 10),
        ),
    ];
    println!("== PDF bombs through import_file (one child process each)");
    for (i, (what, bytes)) in bombs.iter().enumerate() {
        let path = dir.path().join(format!("bomb{i}.pdf"));
        std::fs::write(&path, bytes).expect("write the bomb");
        let exe = std::env::current_exe().expect("this binary");
        let started = Instant::now();
        let out = Command::new(exe)
            .arg("--child")
            .arg(&path)
            .output()
            .expect("run the child");
        let took = started.elapsed();
        let report = String::from_utf8_lossy(&out.stdout);
        println!(
            "{what}: file {:.1} KB, {:.0} ms, {}",
            bytes.len() as f64 / 1024.0,
            took.as_secs_f64() * 1000.0,
            report.trim()
        );
    }
}

/// Imports one file and prints the outcome and this process's peak memory.
fn child(path: &Path) {
    let outcome = match import_file(path, &Profile::default(), &DocumentLimits::default()) {
        Ok(doc) => format!("accepted ({} page)", doc.pages),
        Err(e) => format!("refused: {e}"),
    };
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        .unwrap_or_else(|| "?".into());
    println!("peak RSS {peak}; {outcome}");
}
