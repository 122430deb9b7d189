//! The desk as a Windows program, run under Wine: the command-line journey with the
//! data in the Windows application data folder, paths with Vietnamese letters,
//! printing through the Windows print system into CUPS, and the installer.
//!
//! Needs the cross-built `motcua.exe` (`.ci/windows` builds it once; or set
//! MOTCUA_WIN_EXE), `wine`, `x86_64-w64-mingw32-gcc` (for the test prefix's
//! bcryptprimitives stand-in), poppler-utils and zbar-tools; `makensis` for the
//! installer test; CUPS with the `PDF` queue for the printing test. Without the exe
//! the tests are skipped, except in CI (CI=true), where that is a failure.

mod common;
#[path = "windows/release.rs"]
mod release;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

const UNIT: &str = "H22.39.15";
const FULL_NAME: &str = "Nguyễn Thị Ngọc Ánh";

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The cross-built exe, or `None` (skip) outside CI.
fn exe() -> Option<PathBuf> {
    let path = std::env::var_os("MOTCUA_WIN_EXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("x86_64-pc-windows-gnu/debug/motcua.exe"));
    if path.exists() {
        return Some(path);
    }
    assert!(
        !in_ci(),
        "{} is missing: in CI, .ci/windows builds it before the tests",
        path.display()
    );
    eprintln!(
        "BỎ QUA: chưa có {} (chạy .ci/windows để dựng bản Windows)",
        path.display()
    );
    None
}

/// A Wine prefix made for this test run, with the stand-in DLL Wine 8 lacks.
#[derive(Debug)]
struct Prefix {
    dir: PathBuf,
}

impl Prefix {
    fn create(name: &str) -> Prefix {
        let dir = target_dir()
            .join("wine")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("prefix dir");
        let prefix = Prefix { dir };
        let mut boot = prefix.command("wineboot");
        boot.arg("-i").env("WINEDEBUG", TRACE);
        run_traced(&mut boot, &format!("wineboot-{name}"));
        prefix.wait_server();
        let system32 = prefix.dir.join("drive_c/windows/system32");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows");
        let built = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-O2", "-o"])
            .arg(system32.join("bcryptprimitives.dll"))
            .arg(src.join("bcryptprimitives.c"))
            .arg(src.join("bcryptprimitives.def"))
            .arg("-lbcrypt")
            .output()
            .expect("mingw-w64 gcc runs");
        assert!(built.status.success(), "stand-in: {}", text(&built.stderr));
        prefix
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("WINEPREFIX", &self.dir)
            .env("WINEDEBUG", "-all")
            // No Mono/Gecko download dialogs in a test prefix.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("MOTCUA_DATA_DIR")
            .env_remove("DISPLAY");
        cmd
    }

    /// `wine EXE ARGS…`.
    fn wine(&self, exe: &Path) -> Command {
        let mut cmd = self.command("wine");
        cmd.arg(exe).env("MOTCUA_CLERK", "Trần Thị Mai");
        cmd
    }

    /// Waits until the prefix's wineserver has written the registry and gone.
    fn wait_server(&self) {
        let _ = self.command("wineserver").arg("-w").status();
    }

    /// The Windows user's Roaming application data folder, seen from Linux.
    fn appdata(&self) -> PathBuf {
        let user = std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "root".into());
        self.dir
            .join("drive_c/users")
            .join(user)
            .join("AppData/Roaming")
    }

    /// `reg query KEY /v VALUE` inside the prefix.
    fn reg(&self, key: &str, value: &str) -> Option<String> {
        let out = self
            .command("wine")
            .args(["reg", "query", key, "/v", value])
            .output()
            .ok()?;
        let stdout = text(&out.stdout);
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(value))
            .and_then(|l| l.split("REG_").nth(1))
            .and_then(|rest| rest.split_once(char::is_whitespace))
            .map(|(_, v)| v.trim().to_string())
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        let _ = self.command("wineserver").arg("-k").status();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// One prefix for the desk tests, used by one test at a time.
fn desk_prefix() -> MutexGuard<'static, Option<Prefix>> {
    static PREFIX: OnceLock<Mutex<Option<Prefix>>> = OnceLock::new();
    let mut guard = PREFIX
        .get_or_init(|| Mutex::new(None))
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if guard.is_none() {
        *guard = Some(Prefix::create("desk"));
    }
    guard
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn run(cmd: &mut Command, what: &str) -> String {
    ok(cmd.output().expect("wine runs"), what)
}

/// Wine's errors and module loading, for the steps that once failed with no output.
const TRACE: &str = "err+all,warn+module";

/// Runs `cmd` (given WINEDEBUG=TRACE); when it fails, keeps Wine's whole trace in
/// target/wine/LABEL.log and shows its end, so a failure is never silent.
fn run_traced(cmd: &mut Command, label: &str) -> String {
    let out = cmd.output().expect("wine runs");
    if out.status.success() {
        return text(&out.stdout);
    }
    let trace = text(&out.stderr);
    let log = target_dir().join("wine").join(format!("{label}.log"));
    let _ = std::fs::create_dir_all(target_dir().join("wine"));
    let _ = std::fs::write(&log, &trace);
    let lines: Vec<&str> = trace.lines().collect();
    let tail = lines[lines.len().saturating_sub(120)..].join("\n");
    panic!(
        "{label} failed ({}): stdout: {}\n--- the end of Wine's trace ({} lines, all in {}):\n{tail}",
        out.status,
        text(&out.stdout),
        lines.len(),
        log.display()
    );
}

fn dossier_json() -> String {
    format!(
        r#"{{
  "procedure": "1.004873",
  "applicant": {{
    "full_name": "{FULL_NAME}",
    "id_number": "022190001234",
    "date_of_birth": "1990-05-17",
    "gender": "Nữ",
    "address": "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh",
    "phone": "0912 345 678"
  }},
  "received_at": "2026-02-13T10:00:00+07:00"
}}"#
    )
}

/// `init` then one intake from a JSON file; returns the dossier code. `data_dir`
/// (a Windows path) or the default data folder when `None`.
fn init_and_take_in(prefix: &Prefix, exe: &Path, data_dir: Option<&str>, json: &Path) -> String {
    let with_dir = |cmd: &mut Command| {
        if let Some(d) = data_dir {
            cmd.env("MOTCUA_DATA_DIR", d);
        }
    };
    let mut init = prefix.wine(exe);
    with_dir(&mut init);
    init.args(["init", "--unit-code", UNIT, "--unit-name"])
        .arg("Trung tâm Phục vụ hành chính công phường Hồng Gai")
        .args(["--authority", "UBND phường Hồng Gai", "--place", "Hồng Gai"]);
    run(&mut init, "init");
    std::fs::write(json, dossier_json()).expect("writes json");
    let mut intake = prefix.wine(exe);
    with_dir(&mut intake);
    // Wine maps the Linux root to drive Z:.
    let win_json = format!("Z:{}", json.display()).replace('/', "\\");
    let out = run(
        intake.args(["--json", "intake", "--json", &win_json]),
        "intake",
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("intake json");
    v["code"].as_str().expect("code").to_string()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    ok(out, "pdftotext")
}

#[test]
fn the_cli_journey_runs_under_wine_with_data_in_appdata() {
    let Some(exe) = exe() else { return };
    let guard = desk_prefix();
    let prefix = guard.as_ref().expect("prefix");
    let work = tempfile::tempdir().expect("tempdir");

    let help = run(prefix.wine(&exe).arg("--help"), "--help");
    assert!(help.contains("Một cửa") || help.contains("hồ sơ"), "{help}");

    let code = init_and_take_in(prefix, &exe, None, &work.path().join("hồ sơ.json"));
    assert_eq!(code, "H22.39.15-260213-0001");
    let db = prefix.appdata().join("motcua/motcua/data/motcua.sqlite");
    assert!(db.exists(), "the database is in AppData: {}", db.display());

    let shown: serde_json::Value = serde_json::from_str(&run(
        prefix.wine(&exe).args(["show", &code, "--json"]),
        "show",
    ))
    .expect("show json");
    assert_eq!(shown["applicant"]["full_name"], FULL_NAME);
    assert_eq!(shown["applicant"]["phone"], "0912345678");
    let plain = run(prefix.wine(&exe).args(["show", &code]), "show");
    assert!(plain.contains(FULL_NAME), "Vietnamese text intact: {plain}");

    for query in ["nguyen thi ngoc anh", "NGỌC ÁNH", "le thanh tong"] {
        let found: serde_json::Value = serde_json::from_str(&run(
            prefix.wine(&exe).args(["search", query, "--json"]),
            "search",
        ))
        .expect("search json");
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{query}: {found}");
    }

    let pdf = work.path().join("giấy tiếp nhận.pdf");
    let win_pdf = format!("Z:{}", pdf.display()).replace('/', "\\");
    run(
        prefix
            .wine(&exe)
            .args(["print", &code, "--form", "01", "--out", &win_pdf]),
        "print --out",
    );
    let read = pdftotext(&pdf);
    assert!(read.contains(FULL_NAME), "{read}");
    assert!(read.contains(&code), "{read}");
}

#[test]
fn a_windows_user_named_in_vietnamese_keeps_data_under_that_name() {
    let Some(exe) = exe() else { return };
    let guard = desk_prefix();
    let prefix = guard.as_ref().expect("prefix");
    let work = tempfile::tempdir().expect("tempdir");
    let dir = r"C:\users\Nguyễn Thị Lan\AppData\Roaming\motcua\dữ liệu";
    let code = init_and_take_in(prefix, &exe, Some(dir), &work.path().join("đơn.json"));
    let linux = prefix
        .dir
        .join("drive_c/users/Nguyễn Thị Lan/AppData/Roaming/motcua/dữ liệu");
    assert!(linux.join("motcua.sqlite").exists(), "{}", linux.display());
    let out = run(
        prefix
            .wine(&exe)
            .env("MOTCUA_DATA_DIR", dir)
            .args(["print", &code, "--form", "01"]),
        "print to the default folder",
    );
    let saved = linux.join(format!("prints/{code}-mau01.pdf"));
    assert!(saved.exists(), "{out}");
    assert!(pdftotext(&saved).contains(FULL_NAME));
}

fn qr_of_first_page(pdf: &Path, work: &Path) -> String {
    let png = work.join("page");
    ok(
        Command::new("pdftoppm")
            .args(["-r", "300", "-f", "1", "-l", "1", "-png", "-singlefile"])
            .arg(pdf)
            .arg(&png)
            .output()
            .expect("pdftoppm runs"),
        "pdftoppm",
    );
    let out = Command::new("zbarimg")
        .arg("-q")
        .arg(png.with_extension("png"))
        .output()
        .expect("zbarimg runs");
    text(&out.stdout)
}

#[test]
fn a_form_printed_through_windows_reaches_the_cups_queue_with_a_readable_qr() {
    let Some(exe) = exe() else { return };
    if !common::cups_running() {
        assert!(!in_ci(), "CUPS must run in CI (.ci/setup starts it)");
        eprintln!("BỎ QUA: CUPS không chạy");
        return;
    }
    let guard = desk_prefix();
    let prefix = guard.as_ref().expect("prefix");
    let work = tempfile::tempdir().expect("tempdir");
    let dir = r"C:\motcua-in";
    let code = init_and_take_in(prefix, &exe, Some(dir), &work.path().join("in.json"));

    // A printer Windows does not have: worded for the clerk, the PDF kept.
    let out = prefix
        .wine(&exe)
        .env("MOTCUA_DATA_DIR", dir)
        .args(["print", &code, "--form", "01", "--printer", "KHONG_CO"])
        .output()
        .expect("wine runs");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("không có máy in tên 'KHONG_CO'"), "{err}");
    assert!(err.contains("PDF"), "names the printers there are: {err}");
    assert!(err.contains("Tệp PDF vẫn được lưu tại"), "{err}");

    // The default paper, A4 with Mẫu 01's two copies side by side: a landscape sheet.
    let (arrived, handed) = print_through_windows(prefix, &exe, dir, &code);
    eprintln!("windows print (A4 two-up): handed to the spooler in {handed:?}");
    assert_paper(&arrived, (842, 595), "A4 landscape");
    let decoded = qr_of_first_page(&arrived, work.path());
    assert!(
        decoded.contains(&code),
        "QR of {}: {decoded}",
        arrived.display()
    );
    let _ = std::fs::remove_file(&arrived);

    // A5 chosen in the settings: the driver is asked for A5 portrait.
    let db = prefix.dir.join("drive_c/motcua-in/motcua.sqlite");
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "INSERT INTO settings(key, value) VALUES('paper_layout', 'a5')
                 ON CONFLICT(key) DO UPDATE SET value = 'a5'",
                [],
            )
        })
        .expect("sets the paper");
    let (arrived, _) = print_through_windows(prefix, &exe, dir, &code);
    assert_paper(&arrived, (420, 595), "A5 portrait");
    let decoded = qr_of_first_page(&arrived, work.path());
    assert!(
        decoded.contains(&code),
        "QR of {}: {decoded}",
        arrived.display()
    );
    let _ = std::fs::remove_file(&arrived);
}

/// Prints Mẫu 01 of `code` on the Windows printer "PDF"; returns the PDF cups-pdf
/// wrote and how long motcua.exe took to hand the job over.
fn print_through_windows(
    prefix: &Prefix,
    exe: &Path,
    dir: &str,
    code: &str,
) -> (PathBuf, Duration) {
    let before = common::cups_pdf_outputs();
    let started = Instant::now();
    let out = run(
        prefix.wine(exe).env("MOTCUA_DATA_DIR", dir).args([
            "print",
            code,
            "--form",
            "01",
            "--printer",
            "PDF",
        ]),
        "print through Windows",
    );
    let handed = started.elapsed();
    assert!(out.contains("PDF"), "{out}");
    loop {
        let new: Vec<_> = common::cups_pdf_outputs()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if let Some(p) = new.into_iter().next() {
            // cups-pdf writes in place: give it time to finish the file.
            std::thread::sleep(Duration::from_secs(2));
            return (p, handed);
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no PDF arrived from the Windows print job: {out}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The first page is `want` points (within the 2 pt drivers round paper sizes to).
fn assert_paper(pdf: &Path, want: (u32, u32), what: &str) {
    let got = page_size(pdf);
    assert!(
        got.0.abs_diff(want.0) <= 2 && got.1.abs_diff(want.1) <= 2,
        "{what}: {got:?} pt, expected {want:?}"
    );
}

/// The first page's size in points as it is shown (rotation applied), rounded.
fn page_size(pdf: &Path) -> (u32, u32) {
    let info = ok(
        Command::new("pdfinfo")
            .arg(pdf)
            .output()
            .expect("pdfinfo runs"),
        "pdfinfo",
    );
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    let size = field("Page size:");
    let mut it = size.split_whitespace();
    let w: f32 = it.next().and_then(|v| v.parse().ok()).expect("width");
    let h: f32 = it.nth(1).and_then(|v| v.parse().ok()).expect("height");
    let (w, h) = (w.round() as u32, h.round() as u32);
    let rot: u32 = field("Page rot:").parse().unwrap_or(0);
    if rot % 180 == 90 { (h, w) } else { (w, h) }
}

/// Builds the installer for `version` from `exe` into `out` (zlib: quick, for tests).
fn build_installer(exe: &Path, version: &str, out: &Path) -> PathBuf {
    let setup = out.join(format!("motcua-setup-{version}.exe"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/windows/motcua.nsi");
    let made = Command::new("makensis")
        .args(["-V2", "-DFAST"])
        .arg(format!("-DVERSION={version}"))
        .arg(format!("-DEXE={}", exe.display()))
        .arg(format!("-DOUTFILE={}", setup.display()))
        .arg(&script)
        .output()
        .expect("makensis runs (apt install nsis)");
    ok(made, "makensis");
    setup
}

#[test]
fn the_installer_installs_silently_upgrades_and_uninstalls_keeping_data() {
    let Some(exe) = exe() else { return };
    let work = tempfile::tempdir().expect("tempdir");
    let first = build_installer(&exe, "0.1.0", work.path());
    let second = build_installer(&exe, "0.1.1", work.path());
    let prefix = Prefix::create("setup");
    let program = prefix.dir.join("drive_c/Program Files/motcua");
    let uninstall_key = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\motcua";
    // IT writes a path with spaces as /DATADIR="D:\Mot Cua"; Wine would quote the
    // whole argument instead, so this one has none.
    let data_win = r"C:\MotCua\DữLiệu";
    let data = prefix.dir.join("drive_c/MotCua/DữLiệu");

    // IT's silent install with a shared data folder.
    let started = Instant::now();
    run_traced(
        prefix
            .wine(&first)
            .env("WINEDEBUG", TRACE)
            .args(["/S", &format!("/DATADIR={data_win}")]),
        "silent-install",
    );
    prefix.wait_server();
    eprintln!("silent install: {:?}", started.elapsed());
    assert!(
        program.join("motcua.exe").exists(),
        "not installed (a 32-bit installer does not run on a 64-bit-only Wine)"
    );
    assert!(program.join("uninstall.exe").exists());
    assert!(
        prefix
            .dir
            .join("drive_c/users/Public/Desktop/Một cửa.lnk")
            .exists(),
        "desktop shortcut"
    );
    assert!(
        prefix
            .dir
            .join("drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Một cửa.lnk")
            .exists(),
        "Start-menu shortcut"
    );
    // What Apps & features shows: name, version, publisher, icon.
    assert_eq!(
        prefix.reg(uninstall_key, "DisplayVersion").as_deref(),
        Some("0.1.0")
    );
    assert!(
        prefix
            .reg(uninstall_key, "DisplayName")
            .is_some_and(|n| n.contains("(motcua)")),
        "DisplayName"
    );
    assert_eq!(
        prefix.reg(uninstall_key, "Publisher").as_deref(),
        Some("motcua")
    );
    assert!(
        prefix
            .reg(uninstall_key, "DisplayIcon")
            .is_some_and(|i| i.ends_with(r"motcua\motcua.exe,0")),
        "DisplayIcon: the exe's own icon"
    );
    assert!(
        prefix
            .reg(uninstall_key, "UninstallString")
            .is_some_and(|s| s.contains("uninstall.exe"))
    );
    // `reg query` prints through the ANSI code page ("D?Li?u"); that the program
    // finds the folder is checked below, by where its database lands.
    assert!(
        prefix
            .reg(r"HKLM\Software\motcua", "DataDir")
            .is_some_and(|v| v.starts_with(r"C:\MotCua\D")),
        "DataDir set"
    );

    // The installed program runs and keeps its data where IT said.
    let installed = program.join("motcua.exe");
    let code = init_and_take_in(&prefix, &installed, None, &work.path().join("a.json"));
    assert!(data.join("motcua.sqlite").exists(), "{}", data.display());

    // An upgrade over it keeps the data.
    run_traced(
        prefix.wine(&second).env("WINEDEBUG", TRACE).arg("/S"),
        "silent-upgrade",
    );
    prefix.wait_server();
    assert_eq!(
        prefix.reg(uninstall_key, "DisplayVersion").as_deref(),
        Some("0.1.1")
    );
    let shown = run(
        prefix.wine(&installed).args(["show", &code]),
        "show after upgrade",
    );
    assert!(shown.contains(FULL_NAME), "{shown}");

    // Uninstalling removes the program and keeps the data.
    run_traced(
        prefix
            .wine(&program.join("uninstall.exe"))
            .env("WINEDEBUG", TRACE)
            .arg("/S"),
        "silent-uninstall",
    );
    prefix.wait_server();
    assert!(!program.join("motcua.exe").exists(), "program removed");
    assert!(prefix.reg(uninstall_key, "DisplayVersion").is_none());
    assert!(
        !prefix
            .dir
            .join("drive_c/users/Public/Desktop/Một cửa.lnk")
            .exists()
    );
    assert!(data.join("motcua.sqlite").exists(), "data kept");
}

// Scanning through TWAIN under Wine (kept apart for easy merges).
#[path = "windows/scan.rs"]
mod scan;
