//! Figures for the counter application (issue 4), on a database of any size:
//!
//! * cold start to a usable sign-in screen: in-process (store open, start-up probe,
//!   first view) and, under Xvfb, the real window from process start to the first
//!   drawn sign-in screen (median of several starts; target < 1.5 s);
//! * resident memory of the real window after sign-in and a search (target < 200 MB);
//! * each keystroke: the application's handling of one typed character plus the
//!   view rebuilt (the intake's procedure picker, the dossier search with its store
//!   job run in place; target < 50 ms).
//!
//! MOTCUA_BENCH_DIR=/work/bench-1m cargo bench --bench gui_figures
//! (default: a fresh directory under target/ with MOTCUA_BENCH_DOSSIERS, default
//! 20,000, demo dossiers). The real-window part needs Xvfb, xdotool and ImageMagick.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use motcua::desk::Desk;
use motcua::domain::clock::now_vn;
use motcua::store::accounts::NewClerk;
use motcua::store::{DataPaths, Store};
use motcua::ui::app::{App, Message, Start};
use motcua::ui::screens::intake::form::Field;
use motcua::ui::screens::{dossiers, intake, login};
use motcua::ui::testing::Harness;

const USER: &str = "bench.clerk";
const PASSWORD: &str = "mật khẩu đo đạc";

fn data_dir() -> PathBuf {
    if let Ok(d) = std::env::var("MOTCUA_BENCH_DIR") {
        return PathBuf::from(d);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-gui");
    if !dir.join("motcua.sqlite").exists() {
        let count = std::env::var("MOTCUA_BENCH_DOSSIERS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(20_000);
        let mut store = Store::open(DataPaths::in_dir(&dir)).expect("opens");
        store
            .init(
                &motcua::store::setup::InitInput {
                    unit_code: "H22.39.15".into(),
                    unit_name: "UBND phường Hồng Gai".into(),
                    authority: "UBND tỉnh Quảng Ninh".into(),
                    place: "Hồng Gai".into(),
                    desk_index: 1,
                    working_hours: None,
                },
                now_vn(),
            )
            .expect("init");
        store
            .demo_data(count, 7, now_vn(), |_| {})
            .expect("demo data");
    }
    dir
}

fn ensure_clerk(dir: &Path) {
    let mut store = Store::open(DataPaths::in_dir(dir)).expect("opens");
    if !store
        .clerks()
        .expect("clerks")
        .iter()
        .any(|c| c.username == USER)
    {
        store
            .add_clerk(
                &NewClerk {
                    username: USER.into(),
                    full_name: "Cán bộ đo đạc".into(),
                    password: PASSWORD.into(),
                    is_admin: true,
                },
                now_vn(),
            )
            .expect("clerk");
    }
}

fn stats(label: &str, mut ms: Vec<f64>, target: &str) {
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<48} n={:<4} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms   ({target})",
        ms.len(),
        pick(0.5),
        pick(0.95),
        pick(1.0)
    );
}

fn in_process(dir: &Path) {
    let mut starts = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let desk = Desk::open(DataPaths::in_dir(dir)).expect("opens");
        let app = App::new(Start::probe(Ok(&desk)));
        let _view = app.view();
        starts.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stats(
        "start-up to sign-in view (in-process)",
        starts,
        "part of < 1.5 s",
    );

    let mut h = Harness::open(DataPaths::in_dir(dir)).expect("opens");
    let t = Instant::now();
    h.send_all([
        Message::Login(login::Message::Username(USER.into())),
        Message::Login(login::Message::Password(PASSWORD.into())),
        Message::Login(login::Message::Submit),
    ]);
    println!(
        "{:<48} {:>8.2} ms (argon2 check + session load)",
        "sign-in to intake screen",
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert!(h.app.session().is_some(), "signed in");

    let mut keys = Vec::new();
    for round in 0..20 {
        let mut typed = String::new();
        for c in "chung thuc ban sao".chars() {
            typed.push(c);
            let t = Instant::now();
            h.send(Message::Intake(intake::Message::Edit(
                Field::Procedure,
                typed.clone(),
            )));
            let _view = h.app.view();
            keys.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if round % 2 == 0 {
            h.send(Message::Intake(intake::Message::Edit(
                Field::Procedure,
                String::new(),
            )));
        }
    }
    stats("keystroke: procedure picker + view", keys, "< 50 ms");
    search_keystrokes(&mut h);
}

/// Each keystroke in the dossier search (F3): the list job runs in place, then the
/// view is rebuilt with up to 100 rows.
fn search_keystrokes(h: &mut Harness) {
    h.send(Message::Go(motcua::ui::app::Screen::Dossiers));
    let mut keys = Vec::new();
    for query in ["nguyen thi hoa", "tran van nam", "H22.39.15-26", "0912"] {
        let mut typed = String::new();
        for c in query.chars() {
            typed.push(c);
            let t = Instant::now();
            h.send(Message::Dossiers(dossiers::Message::Query(typed.clone())));
            let _view = h.app.view();
            keys.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    stats(
        "keystroke: dossier search (store job + view)",
        keys,
        "< 50 ms",
    );
}

struct Display {
    xvfb: Child,
    name: String,
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
    }
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn xvfb() -> Option<Display> {
    if !["Xvfb", "xdotool", "import", "convert"]
        .iter()
        .all(|t| have(t))
    {
        println!("real window: skipped (needs Xvfb, xdotool, ImageMagick)");
        return None;
    }
    let name = format!(":{}", 80 + std::process::id() % 9);
    let xvfb = Command::new("Xvfb")
        .args([name.as_str(), "-screen", "0", "1366x768x24"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(800));
    Some(Display { xvfb, name })
}

/// Mean brightness of the screen (0 black … 1 white).
fn brightness(display: &str) -> Option<f64> {
    let out = Command::new("sh")
        .args([
            "-c",
            "import -window root png:- | convert - -format '%[fx:mean]' info:",
        ])
        .env("DISPLAY", display)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn xdo(display: &str, args: &[&str]) {
    let _ = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .status();
}

fn real_window(dir: &Path) {
    let Some(display) = xvfb() else { return };
    let bin = env!("CARGO_BIN_EXE_motcua");
    let runtime = tempfile::tempdir().expect("tempdir");
    let blank = brightness(&display.name).unwrap_or(0.0);
    let mut starts = Vec::new();
    let mut last: Option<Child> = None;
    for i in 0..5 {
        let t = Instant::now();
        let mut child = Command::new(bin)
            .arg("--data-dir")
            .arg(dir)
            .env("DISPLAY", &display.name)
            .env("XDG_RUNTIME_DIR", runtime.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        // The sign-in screen is drawn when the screen stops being the blank root and
        // shows the mostly-white form (text makes it a little darker than white).
        let mut drawn = None;
        while t.elapsed() < Duration::from_secs(20) {
            if let Some(b) = brightness(&display.name)
                && (b - blank).abs() > 0.05
                && b < 0.999
            {
                drawn = Some(t.elapsed());
                break;
            }
        }
        match drawn {
            Some(d) => starts.push(d.as_secs_f64() * 1000.0),
            None => println!("start {i}: no sign-in screen within 20 s"),
        }
        if i < 4 {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(300));
        } else {
            last = Some(child);
        }
    }
    if !starts.is_empty() {
        stats(
            "cold start to drawn sign-in (real window)",
            starts,
            "< 1.5 s",
        );
    }
    let Some(mut child) = last else { return };
    let pid = child.id();
    let window = Command::new("xdotool")
        .args(["search", "--pid", &pid.to_string()])
        .env("DISPLAY", &display.name)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .last()
                .map(str::to_string)
        });
    if let Some(w) = window {
        xdo(&display.name, &["windowfocus", "--sync", &w]);
        let (rss, _) = rss_kb(pid);
        println!(
            "{:<48} {:>8.1} MB",
            "resident memory at sign-in",
            rss as f64 / 1024.0
        );
        xdo(&display.name, &["type", "--delay", "40", USER]);
        xdo(&display.name, &["key", "Return"]);
        std::thread::sleep(Duration::from_millis(400));
        xdo(&display.name, &["type", "--delay", "120", PASSWORD]);
        xdo(&display.name, &["key", "Return"]);
        std::thread::sleep(Duration::from_secs(4));
        let (rss, _) = rss_kb(pid);
        println!(
            "{:<48} {:>8.1} MB",
            "resident memory after sign-in (intake)",
            rss as f64 / 1024.0
        );
        xdo(&display.name, &["key", "F3"]);
        std::thread::sleep(Duration::from_millis(800));
        xdo(&display.name, &["type", "--delay", "150", "nguyen thi"]);
        std::thread::sleep(Duration::from_secs(3));
        xdo(&display.name, &["key", "F5"]);
        std::thread::sleep(Duration::from_secs(5));
        let (rss, hwm) = rss_kb(pid);
        println!(
            "{:<48} {:>8.1} MB (peak {:.1} MB)   (< 200 MB)",
            "resident memory after search (F3) and F5",
            rss as f64 / 1024.0,
            hwm as f64 / 1024.0
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    let dir = data_dir();
    ensure_clerk(&dir);
    let store = Store::open(DataPaths::in_dir(&dir)).expect("opens");
    println!(
        "database: {} ({} dossiers)",
        dir.display(),
        store.dossier_count().expect("count")
    );
    drop(store);
    in_process(&dir);
    real_window(&dir);
}
