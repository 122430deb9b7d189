//! Figures for hostile files (issue 20), printed, not asserted: for each PDF bomb built
//! here (tests/common/pdf_bomb.rs), its size, the outcome of `import_file`, the wall time
//! and the peak resident memory of a child process that imports only that file (this
//! binary re-run with `--child PATH`, reading its own `VmHWM` from /proc, Linux only).
//!
//! Then thumbnails in their child process (`motcua render-thumbnails`, the built
//! program): for each file, the outcome, the time to the answer or the kill, and the
//! child's peak resident memory as the parent saw it while it ran.
//!
//! Run with `cargo bench --bench hostile_figures` (`--profile dev` is quicker to build).

#[path = "../tests/common/pdf_bomb.rs"]
mod pdf_bomb;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use motcua::documents::render_child::{RenderBudget, thumbnails_in_child};
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
    thumbnails_in_children();
}

/// Each file drawn by the real child, as the desk's detail screen asks (4 pages, 200 px).
fn thumbnails_in_children() {
    let exe = Path::new(env!("CARGO_BIN_EXE_motcua"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    let mau01 = std::fs::read(fixture.join("mau01-a4.pdf")).expect("fixture");
    let default = RenderBudget::default();
    let cpu_2s = RenderBudget {
        wall: Duration::from_secs(30),
        cpu_seconds: 2,
        ..default
    };
    let runs: Vec<(&str, Vec<u8>, RenderBudget)> = vec![
        ("Mẫu 01, one A4 text page", mau01, default),
        (
            "10^12 nested form draws (never finishes)",
            pdf_bomb::nested_forms(12, 10),
            default,
        ),
        (
            "the same, CPU limit 2 s, wall 30 s",
            pdf_bomb::nested_forms(12, 10),
            cpu_2s,
        ),
        (
            "8 object streams × 2 MB (accepted on import)",
            pdf_bomb::object_stream_bomb(8, 2 * MIB),
            default,
        ),
        (
            "1 page drawing × 4 GB",
            pdf_bomb::content_bomb(4096 * MIB),
            default,
        ),
        (
            "1 object stream, 1.8 MB of `0 ` (worst parse accepted)",
            pdf_bomb::object_stream_of_tiny_objects(18 * MIB / 10),
            default,
        ),
    ];
    println!("== Thumbnails in the child (4 pages, 200 px)");
    for (what, bytes, budget) in runs {
        let run = thumbnails_in_child(exe, &bytes, 200, 4, &budget);
        let outcome = match &run.result {
            Ok(t) => format!("{} picture(s)", t.len()),
            Err(e) => format!("refused: {e:?}"),
        };
        let peak = run
            .peak_rss_kib
            .map_or_else(|| "?".into(), |k| format!("{:.1} MB", k as f64 / 1024.0));
        println!(
            "{what}: file {:.1} KB, {:.0} ms, child peak RSS {peak}; {outcome}",
            bytes.len() as f64 / 1024.0,
            run.took.as_secs_f64() * 1000.0,
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
