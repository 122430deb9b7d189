//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod intake;
pub mod pdf_bomb;

use std::path::{Path, PathBuf};

use motcua::domain::clock::{Timestamp, from_wall};
use motcua::store::setup::InitInput;
use motcua::store::{DataPaths, Store};

pub const UNIT: &str = "H22.39.15";

pub fn init_input() -> InitInput {
    InitInput {
        unit_code: UNIT.into(),
        unit_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
        authority: "UBND phường Hồng Gai".into(),
        place: "Hồng Gai".into(),
        desk_index: 0,
        working_hours: None,
    }
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    from_wall(
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid test time"),
    )
}

/// A tool a test needs (CUPS, Xvfb…) is missing. In CI (`CI=true`) that fails the
/// test: a run that skipped the real printer or window must not pass. Elsewhere the
/// test is skipped with a note; the caller returns.
pub fn missing_tool(what: &str) {
    missing_tool_in(std::env::var("CI").ok().as_deref(), what);
}

pub fn missing_tool_in(ci: Option<&str>, what: &str) {
    assert!(
        ci != Some("true"),
        "{what}: CI=true needs it (bash .ci/setup installs and starts it)"
    );
    eprintln!("BỎ QUA: {what} (bash .ci/setup cài và khởi động nó)");
}

/// A new, initialised desk store in `dir`.
pub fn new_store(dir: &Path) -> Store {
    let mut store = Store::open(DataPaths::in_dir(dir)).expect("opens");
    store
        .init(&init_input(), at(2026, 11, 2, 8, 0))
        .expect("init");
    store
}

/// One dossier as JSON (the shared `intake::Intake`), received at `received_at`.
pub fn dossier_json(procedure: &str, received_at: &str) -> String {
    intake::Intake {
        procedure: procedure.into(),
        received_at: Some(received_at.into()),
        ..intake::Intake::default()
    }
    .json()
}

/// Every table's rows as text, to prove that a failed command changed nothing.
pub fn snapshot(db: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("opens read-only");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'dossier_fts%' AND name NOT LIKE 'dossier_name_fts%' ORDER BY name")
        .expect("prepares")
        .query_map([], |r| r.get(0))
        .expect("queries")
        .collect::<Result<_, _>>()
        .expect("names");
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("prepares");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{t}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{v:?}|"));
                }
                Ok(line)
            })
            .expect("queries");
        for row in rows {
            out.push(row.expect("row"));
        }
    }
    out
}

/// The files cups-pdf writes (it names them after the job title).
pub fn cups_pdf_outputs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/var/spool/cups-pdf/ANONYMOUS")];
    if let Ok(home) = std::env::var("HOME") {
        dirs.push(Path::new(&home).join("PDF"));
    }
    dirs.push(PathBuf::from("/root/PDF"));
    dirs.iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect()
}

/// Whether the CUPS scheduler answers.
pub fn cups_running() -> bool {
    std::process::Command::new("lpstat")
        .arg("-r")
        .env("LC_ALL", "C")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("scheduler is running"))
}

/// The `motcua` binary on the data folder `dir`, as the clerk `clerk`.
pub fn motcua_cli(dir: &Path, clerk: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("motcua").expect("binary built");
    cmd.env("MOTCUA_DATA_DIR", dir).env("MOTCUA_CLERK", clerk);
    cmd
}

/// Runs a command and returns its stdout; panics with its stderr on failure.
pub fn stdout_ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}
