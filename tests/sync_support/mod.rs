//! Test harness for sync: a private PostgreSQL per test binary (unless `DATABASE_URL`
//! names one), a fresh database per test, the centre in-process or as a child process,
//! and desks in temporary directories. Everything listens on 127.0.0.1 only.
#![allow(dead_code)]

#[path = "../common/intake.rs"]
pub mod intake;
pub mod proxy;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use motcua::domain::clock::now_vn;
use motcua::domain::intake::IntakeInput;
use motcua::store::setup::InitInput;
use motcua::store::{DataPaths, Store};

pub const UNIT_A: &str = "H22.39.15";
pub const UNIT_B: &str = "H22.39.16";

/// The admin URL of the PostgreSQL server shared by this test binary.
pub fn admin_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => start_private_postgres(),
    })
}

fn pg_bin(name: &str) -> PathBuf {
    if let Ok(out) = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        && out.status.success()
    {
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !p.is_empty() {
            return PathBuf::from(p);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin").join(name))
                .collect()
        })
        .unwrap_or_default();
    found.retain(|p| p.exists());
    found.sort();
    found
        .pop()
        .unwrap_or_else(|| panic!("PostgreSQL binary {name} not found (install postgresql)"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root (initdb refuses root).
fn pg_command(tool: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(tool);
        c
    } else {
        Command::new(tool)
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// initdb + pg_ctl start in a temp dir; a watcher stops the server and removes the
/// directory once this test process has exited.
// The watcher must outlive this process, so it is deliberately never waited for.
#[allow(clippy::zombie_processes)]
fn start_private_postgres() -> String {
    let root = is_root();
    let dir = tempfile::Builder::new()
        .prefix("motcua-pg-")
        .tempdir()
        .expect("temp dir")
        .keep();
    let port = free_port();
    if root {
        Command::new("chmod")
            .arg("a+rwx")
            .arg(&dir)
            .status()
            .expect("chmod");
        Command::new("chown")
            .arg("postgres")
            .arg(&dir)
            .status()
            .expect("chown");
    }
    let data = dir.join("data");
    let out = pg_command(&pg_bin("initdb"), root)
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ])
        .stdout(Stdio::null())
        .output()
        .expect("initdb runs");
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
        dir.display()
    );
    let pg_ctl = pg_bin("pg_ctl");
    let out = pg_command(&pg_ctl, root)
        .arg("-D")
        .arg(&data)
        .arg("-o")
        .arg(&opts)
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-w", "-t", "60", "start"])
        .stdout(Stdio::null())
        .output()
        .expect("pg_ctl runs");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stop = format!(
        "{}{} -D {} -m immediate stop",
        if root { "runuser -u postgres -- " } else { "" },
        pg_ctl.display(),
        data.display()
    );
    let watcher = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        dir = dir.display()
    );
    Command::new("sh")
        .arg("-c")
        .arg(watcher)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("watcher");
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}

/// A new, empty database for one test.
pub fn fresh_database() -> String {
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let admin = admin_url().to_string();
    let sql = format!("CREATE DATABASE {name}");
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .expect("connect admin");
        let task = tokio::spawn(conn);
        client.batch_execute(&sql).await.expect("create database");
        drop(client);
        let _ = task.await;
    });
    let base = admin_url()
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .expect("url");
    format!("{base}/{name}")
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The centre running in this process on a background runtime.
pub struct Centre {
    pub addr: SocketAddr,
    pub db_url: String,
    /// The centre's folder of digitised documents.
    pub files: tempfile::TempDir,
    /// The files service the server runs on (its upload places and removal locks).
    pub service: std::sync::Arc<motcua::centre::uploads::Files>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Centre {
    pub fn start(db_url: &str) -> Centre {
        Centre::start_with(db_url, |_| {})
    }

    /// [`Centre::start`] with file settings changed by `tune` (quotas, bounds).
    pub fn start_with(
        db_url: &str,
        tune: impl FnOnce(&mut motcua::centre::uploads::FileSettings) + Send + 'static,
    ) -> Centre {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let url = db_url.to_string();
        let files = tempfile::tempdir().expect("files dir");
        let mut settings = motcua::centre::uploads::FileSettings::in_dir(files.path());
        tune(&mut settings);
        let service = std::sync::Arc::new(motcua::centre::uploads::Files::new(settings));
        let served = service.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("rt");
            rt.block_on(async move {
                let pool = motcua::centre::db::pool(&url, 32).expect("pool");
                motcua::centre::db::migrate(&pool).await.expect("migrate");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                addr_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                let limits = motcua::centre::guard::Limits::default();
                motcua::centre::routes::serve_sharing(listener, pool, limits, served, async {
                    let _ = stop_rx.await;
                })
                .await
                .expect("serve");
            });
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("centre started");
        Centre {
            addr,
            db_url: db_url.to_string(),
            files,
            service,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs an operator command of the real `motcua-centre` binary against this database.
    pub fn admin(&self, args: &[&str]) -> String {
        centre_admin(&self.db_url, args)
    }
}

impl Drop for Centre {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn centre_bin() -> &'static str {
    env!("CARGO_BIN_EXE_motcua-centre")
}

pub fn desk_bin() -> &'static str {
    env!("CARGO_BIN_EXE_motcua")
}

pub fn centre_admin(db_url: &str, args: &[&str]) -> String {
    let out = Command::new(centre_bin())
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("MOTCUA_LOG", "warn")
        .output()
        .expect("motcua-centre runs");
    assert!(
        out.status.success(),
        "motcua-centre {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Adds the two test units.
pub fn add_units(db_url: &str) {
    centre_admin(
        db_url,
        &["unit", "add", "--code", UNIT_A, "--name", "Phường Hồng Gai"],
    );
    centre_admin(
        db_url,
        &[
            "unit",
            "add",
            "--code",
            UNIT_B,
            "--name",
            "Phường Bạch Đằng",
        ],
    );
}

pub fn enroll_code(db_url: &str, unit: &str, index: Option<u8>) -> String {
    let mut args = vec!["enroll-code", "--unit", unit];
    let i;
    if let Some(k) = index {
        i = k.to_string();
        args.extend(["--desk-index", &i]);
    }
    centre_admin(db_url, &args)
}

/// A desk: an initialised store in its own temporary directory.
pub struct Desk {
    pub dir: tempfile::TempDir,
    pub unit: &'static str,
    pub index: u8,
}

impl Desk {
    pub fn new(unit: &'static str, index: u8) -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(DataPaths::in_dir(dir.path())).expect("opens");
        store
            .init(
                &InitInput {
                    unit_code: unit.into(),
                    unit_name: "Trung tâm Phục vụ hành chính công phường".into(),
                    authority: "UBND phường".into(),
                    place: "Hồng Gai".into(),
                    desk_index: index,
                    working_hours: None,
                },
                now_vn(),
            )
            .expect("init");
        Desk { dir, unit, index }
    }

    pub fn store(&self) -> Store {
        Store::open(DataPaths::in_dir(self.dir.path())).expect("opens")
    }

    /// The bearer token the desk got at enrollment.
    pub fn token(&self) -> String {
        self.store()
            .enrollment()
            .expect("reads")
            .expect("enrolled")
            .token
    }

    /// The desk's id, as the centre knows it.
    pub fn desk_id(&self) -> String {
        self.store().desk().expect("desk").desk_id
    }

    /// Takes `n` dossiers offline; returns their codes.
    pub fn take_dossiers(&self, n: usize) -> Vec<String> {
        let mut store = self.store();
        (0..n)
            .map(|i| {
                let input = IntakeInput::from_json(&dossier_json(i)).expect("json");
                store
                    .intake(input, "Trần Văn Bình", now_vn())
                    .expect("intake")
                    .code
                    .to_string()
            })
            .collect()
    }

    pub fn enroll(&self, centre: &str, code: &str) -> Result<(), String> {
        let desk = motcua::desk::Desk::new(self.store());
        block_on(desk.enroll(centre, code))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    pub fn sync(&self, centre: Option<&str>) -> Result<motcua::sync::client::SyncReport, String> {
        let desk = motcua::desk::Desk::new(self.store());
        block_on(desk.sync_round(centre))
            .map(|synced| synced.report)
            .map_err(|e| e.to_string())
    }

    /// `motcua sync --once` as a child process.
    pub fn sync_command(&self, centre: Option<&str>) -> Command {
        let mut c = Command::new(desk_bin());
        c.env("MOTCUA_DATA_DIR", self.dir.path())
            .args(["sync", "--once"]);
        if let Some(url) = centre {
            c.args(["--centre", url]);
        }
        c
    }

    /// Every event id this desk holds, sorted.
    pub fn event_ids(&self) -> Vec<String> {
        let store = self.store();
        let mut stmt = store
            .conn()
            .prepare("SELECT id FROM dossier_event ORDER BY id")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
    }

    pub fn dossier_codes(&self) -> Vec<String> {
        let store = self.store();
        let mut stmt = store
            .conn()
            .prepare("SELECT code FROM dossier ORDER BY code")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
    }

    pub fn status_of(&self, code: &str) -> u8 {
        self.store().dossier(code).expect("dossier").status.code()
    }
}

pub fn dossier_json(i: usize) -> String {
    const NAMES: [&str; 5] = ["Ánh", "Bình", "Cường", "Dũng", "Hà"];
    let name = NAMES[i % NAMES.len()];
    intake::Intake {
        full_name: format!("Nguyễn Thị Ngọc {name}"),
        address: format!("Số {i} đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh"),
        email: None,
        ..intake::Intake::default()
    }
    .json()
}

/// Event ids per unit as the centre holds them, sorted, and the total row count.
pub fn centre_event_ids(db_url: &str, unit: &str) -> Vec<String> {
    let url = db_url.to_string();
    let unit = unit.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let rows = client
            .query(
                "SELECT id::text FROM event WHERE unit_code = $1 ORDER BY id",
                &[&unit],
            )
            .await
            .expect("query");
        drop(client);
        let _ = task.await;
        rows.iter().map(|r| r.get::<_, String>(0)).collect()
    })
}

/// Counts rows of a centre table (to prove a refusal wrote nothing).
pub fn centre_count(db_url: &str, table: &str) -> i64 {
    let url = db_url.to_string();
    let sql = format!("SELECT count(*) FROM {table}");
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        let task = tokio::spawn(conn);
        let n: i64 = client.query_one(&sql, &[]).await.expect("count").get(0);
        drop(client);
        let _ = task.await;
        n
    })
}

/// A centre that announces its own address as the public one (the tracking page's),
/// and desk 0 of unit A enrolled with it.
pub fn centre_with_public_url(db: &str) -> (Centre, Desk) {
    let centre = Centre::start(db);
    add_units(db);
    centre.admin(&["public-url", &centre.url()]);
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&centre.url(), &enroll_code(db, UNIT_A, Some(0)))
        .expect("enrolled");
    (centre, desk)
}

/// Status and body of a GET, redirects not followed.
pub fn http_get(url: &str) -> (u16, String) {
    block_on(async {
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(url)
            .send()
            .await
            .expect("get");
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    })
}

/// Retries `f` until it succeeds or `deadline` passes.
pub fn eventually<T>(deadline: Duration, mut f: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        match f() {
            Ok(v) => return v,
            Err(e) if start.elapsed() > deadline => panic!("gave up after {deadline:?}: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// A child process that is killed when the test ends, even by a panic.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real `motcua-centre serve` over HTTPS with a fresh self-signed certificate for
/// localhost/127.0.0.1 (made by openssl): the running centre, its port and the
/// certificate file (a desk trusts it as a private CA).
pub struct TlsCentre {
    pub port: u16,
    pub files: tempfile::TempDir,
    pub cert: std::path::PathBuf,
    _dir: tempfile::TempDir,
    _process: KillOnDrop,
}

pub fn start_tls_centre(db: &str) -> TlsCentre {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(made.success());
    let port = free_port();
    let files = tempfile::tempdir().expect("files dir");
    let process = KillOnDrop(
        Command::new(centre_bin())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("MOTCUA_CENTRE_FILES_DIR", files.path())
            .arg("--tls-cert")
            .arg(&cert)
            .arg("--tls-key")
            .arg(&key)
            .env("DATABASE_URL", db)
            .env("MOTCUA_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts"),
    );
    TlsCentre {
        port,
        files,
        cert,
        _dir: dir,
        _process: process,
    }
}

/// A real `motcua-centre serve` process on a free loopback port (plain HTTP), with
/// extra environment settings (timeouts, limits); killed when dropped. Its files go
/// to a temporary folder unless `env` names one (MOTCUA_CENTRE_FILES_DIR).
pub fn serve_centre_process(db: &str, env: &[(&str, &str)]) -> (u16, KillOnDrop) {
    use std::process::{Command, Stdio};
    let port = free_port();
    let mut cmd = Command::new(centre_bin());
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env(
            "MOTCUA_CENTRE_FILES_DIR",
            std::env::temp_dir().join("motcua-centre-test-files"),
        )
        .env("DATABASE_URL", db)
        .env("MOTCUA_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    (port, KillOnDrop(cmd.spawn().expect("starts")))
}
