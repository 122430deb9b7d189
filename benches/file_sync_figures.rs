//! File sync figures (issue 15): upload and download throughput of one desk over
//! loopback, and the centre process's peak memory (VmHWM) while 20 desks upload a
//! 10 MB scan each at once — uploads are streamed to disk, so memory must not grow
//! with the bytes in flight. Run with `cargo bench --bench file_sync_figures`.

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use motcua::domain::document::Sha256Hex;
use motcua::sync::client::CentreClient;
use sync_support::*;

const MB: usize = 1024 * 1024;

fn sample(dir: &Path, size: usize, seed: u64) -> (PathBuf, Sha256Hex) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut bytes = vec![0u8; size];
    rng.fill(&mut bytes);
    let path = dir.join(format!("scan-{seed}.pdf"));
    std::fs::write(&path, &bytes).expect("writes");
    (path, Sha256Hex::of(&bytes))
}

fn token(desk: &Desk) -> String {
    desk.store()
        .enrollment()
        .expect("reads")
        .expect("enrolled")
        .token
}

fn vm_hwm_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("status")
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .expect("VmHWM")
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp");

    // 1. One desk, in-process centre: upload and fetch throughput.
    {
        let db = fresh_database();
        let centre = Centre::start(&db);
        add_units(&db);
        let desk = Desk::new(UNIT_A, 0);
        desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
            .expect("enroll");
        let client = CentreClient::new(&centre.url()).expect("client");
        let token = token(&desk);
        let size = 40 * MB;
        let mut up = Vec::new();
        let mut down = Vec::new();
        for seed in 0..3 {
            let (path, sha) = sample(tmp.path(), size, seed);
            let t = Instant::now();
            block_on(client.upload_file(&token, &sha, &path, size as u64)).expect("upload");
            up.push(size as f64 / MB as f64 / t.elapsed().as_secs_f64());
            let dest = tmp.path().join(format!("back-{seed}"));
            let t = Instant::now();
            block_on(client.fetch_file(&token, &sha, &dest, size as u64)).expect("fetch");
            down.push(size as f64 / MB as f64 / t.elapsed().as_secs_f64());
            let _ = std::fs::remove_file(dest);
            let _ = std::fs::remove_file(path);
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "upload over loopback: {:.0} MB/s (median of 3 × 40 MB, 1 MiB chunks, hash checked at the end)",
            median(&mut up)
        );
        println!(
            "fetch over loopback: {:.0} MB/s (median of 3 × 40 MB, hash checked while streaming)",
            median(&mut down)
        );
    }

    // 2. A real centre process: 20 desks (10 per unit) upload 10 MB each at once.
    let db = fresh_database();
    add_units(&db);
    let files = tmp.path().join("centre-files");
    let files_env = files.to_str().expect("utf-8").to_string();
    let (port, process) = serve_centre_process(&db, &[("MOTCUA_CENTRE_FILES_DIR", &files_env)]);
    let url = format!("http://127.0.0.1:{port}");
    eventually(Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())
    });
    let pid = process.0.id();
    let mut desks = Vec::new();
    for unit in [UNIT_A, UNIT_B] {
        for i in 0..10u8 {
            let d = Desk::new(unit, i);
            d.enroll(&url, &enroll_code(&db, unit, Some(i)))
                .expect("enroll");
            desks.push(d);
        }
    }
    let jobs: Vec<(String, PathBuf, Sha256Hex)> = desks
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let (path, sha) = sample(tmp.path(), 10 * MB, 100 + n as u64);
            (token(d), path, sha)
        })
        .collect();
    let before = vm_hwm_kb(pid);
    let t = Instant::now();
    std::thread::scope(|s| {
        for (token, path, sha) in &jobs {
            let url = url.clone();
            s.spawn(move || {
                let client = CentreClient::new(&url).expect("client");
                block_on(client.upload_file(token, sha, path, (10 * MB) as u64)).expect("upload");
            });
        }
    });
    let took = t.elapsed();
    let after = vm_hwm_kb(pid);
    let kept = std::fs::read_dir(&files)
        .expect("files dir")
        .flatten()
        .filter(|e| e.file_name() != "partial")
        .map(|e| std::fs::read_dir(e.path()).map_or(0, |d| d.count()))
        .sum::<usize>();
    assert_eq!(kept, 20, "every upload kept");
    println!(
        "20 desks × 10 MB at once: {:.1} s ({:.0} MB/s together); centre VmHWM {} MB before, {} MB after",
        took.as_secs_f64(),
        200.0 / took.as_secs_f64(),
        before / 1024,
        after / 1024
    );
}
