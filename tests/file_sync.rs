//! File sync between desks and the centre (design §6, "Files"), on a real PostgreSQL:
//! an upload cut mid-way resumes, the same file is stored once however often and from
//! whichever desk it comes, a sibling desk fetches it when asked, another unit is
//! refused, and a wrong hash or an oversize file leaves nothing behind.

#[path = "common/pdf_bomb.rs"]
mod pdf_bomb;
mod sync_support;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use motcua::domain::document::Sha256Hex;
use motcua::sync::client::{CentreClient, SyncError};
use motcua::sync::protocol::{OffsetConflict, UploadState};
use sync_support::*;

/// A proxy on 127.0.0.1 that cuts its first connection once `cut_after` bytes have
/// gone up through it, and passes everything after (or, made with `outage`, cuts
/// every connection once that many bytes have gone up in all); counts the bytes sent up.
struct CutProxy {
    addr: SocketAddr,
    up_bytes: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl CutProxy {
    fn start(upstream: SocketAddr, cut_after: u64) -> CutProxy {
        CutProxy::run(upstream, cut_after, false)
    }

    fn outage(upstream: SocketAddr, cut_after: u64) -> CutProxy {
        CutProxy::run(upstream, cut_after, true)
    }

    fn run(upstream: SocketAddr, cut_after: u64, outage: bool) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let up_bytes = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (up, s) = (up_bytes.clone(), stop.clone());
        thread::spawn(move || {
            let mut first = true;
            while !s.load(Ordering::Relaxed) {
                let Ok((client, _)) = listener.accept() else {
                    thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let limit = if outage {
                    Some(cut_after.saturating_sub(up.load(Ordering::Relaxed)).max(1))
                } else {
                    first.then_some(cut_after)
                };
                first = false;
                let up = up.clone();
                thread::spawn(move || relay(client, upstream, limit, up));
            }
        });
        CutProxy {
            addr,
            up_bytes,
            stop,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn relay(client: TcpStream, upstream: SocketAddr, limit: Option<u64>, up: Arc<AtomicU64>) {
    let _ = client.set_nonblocking(false);
    let Ok(server) = TcpStream::connect(upstream) else {
        return;
    };
    let (c2, s2) = match (client.try_clone(), server.try_clone()) {
        (Ok(c), Ok(s)) => (c, s),
        _ => return,
    };
    let upward = thread::spawn(move || pump(c2, s2, limit, Some(up)));
    pump(server, client, None, None);
    let _ = upward.join();
}

fn pump(mut from: TcpStream, mut to: TcpStream, limit: Option<u64>, count: Option<Arc<AtomicU64>>) {
    let mut buf = [0u8; 16 * 1024];
    let mut sent = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(l) = limit
            && sent + n as u64 >= l
        {
            let part = usize::try_from(l - sent).expect("small");
            let _ = to.write_all(&buf[..part]);
            if let Some(c) = &count {
                c.fetch_add(part as u64, Ordering::Relaxed);
            }
            let _ = to.shutdown(Shutdown::Both);
            let _ = from.shutdown(Shutdown::Both);
            return;
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        if let Some(c) = &count {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
        sent += n as u64;
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// The centre with units A and B, and enrolled desks: A0, A1 (siblings) and B0.
struct World {
    db: String,
    centre: Centre,
    a0: Desk,
    a1: Desk,
    b0: Desk,
}

fn world() -> World {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let (a0, a1, b0) = (
        Desk::new(UNIT_A, 0),
        Desk::new(UNIT_A, 1),
        Desk::new(UNIT_B, 0),
    );
    for (desk, unit, i) in [(&a0, UNIT_A, 0), (&a1, UNIT_A, 1), (&b0, UNIT_B, 0)] {
        desk.enroll(&centre.url(), &enroll_code(&db, unit, Some(i)))
            .expect("enrolls");
    }
    World {
        db,
        centre,
        a0,
        a1,
        b0,
    }
}

fn token(desk: &Desk) -> String {
    desk.store()
        .enrollment()
        .expect("reads")
        .expect("enrolled")
        .token
}

/// A file of `size` pseudo-random bytes in `dir`, and its hash.
fn sample(dir: &Path, size: usize, seed: u64) -> (PathBuf, Sha256Hex) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let bytes: Vec<u8> = (0..size).map(|_| rng.u8(..)).collect();
    let path = dir.join(format!("scan-{seed}.pdf"));
    std::fs::write(&path, &bytes).expect("writes");
    (path, Sha256Hex::of(&bytes))
}

/// Every file under the centre's folder: (kept files, partial files).
fn centre_files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push(e.path());
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, &mut all);
    all.into_iter()
        .partition(|p| !p.starts_with(dir.join("partial")))
}

fn upload(url: &str, desk: &Desk, path: &Path, sha: &Sha256Hex) -> Result<(), SyncError> {
    let client = CentreClient::new(url).expect("client");
    let size = std::fs::metadata(path).expect("meta").len();
    block_on(client.upload_file(&token(desk), sha, path, size))
}

fn fetch(url: &str, desk: &Desk, sha: &Sha256Hex, dest: &Path) -> Result<u64, SyncError> {
    let client = CentreClient::new(url).expect("client");
    block_on(client.fetch_file(&token(desk), sha, dest, 100 << 20))
}

fn status(e: &SyncError) -> u16 {
    match e {
        SyncError::Rejected { status, .. } => *status,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn an_upload_cut_midway_resumes_from_what_arrived_and_completes() {
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let size = 3 * 1024 * 1024 + 12_345;
    let (path, sha) = sample(tmp.path(), size, 1);
    // The first connection dies half-way through the second chunk.
    let proxy = CutProxy::start(w.centre.addr, 1024 * 1024 + 600 * 1024);
    upload(&proxy.url(), &w.a0, &path, &sha).expect("resumes and completes");

    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!(
        kept,
        vec![
            w.centre
                .files
                .path()
                .join(&sha.as_str()[..2])
                .join(sha.as_str())
        ]
    );
    assert!(partial.is_empty(), "{partial:?}");
    assert_eq!(
        std::fs::read(&kept[0]).expect("kept"),
        std::fs::read(&path).expect("src")
    );
    // Resumed, not restarted: what was cut was not sent again from the start.
    let sent = proxy.up_bytes.load(Ordering::Relaxed);
    assert!(sent < size as u64 + 1024 * 1024, "sent {sent} for {size}");
    assert_eq!(centre_count(&w.db, "file_blob"), 1);
    assert_eq!(centre_count(&w.db, "file_access"), 1);
}

#[test]
fn a_chunk_at_the_wrong_offset_is_told_where_to_resume() {
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (path, sha) = sample(tmp.path(), 5000, 2);
    let bytes = std::fs::read(&path).expect("reads");
    let http = raw::put(
        &w.centre.url(),
        &token(&w.a0),
        &sha,
        5000,
        0,
        &bytes[..1000],
    );
    assert_eq!(http.0, 200, "{}", http.1);
    let state: UploadState = serde_json::from_str(&http.1).expect("state");
    assert_eq!(
        state,
        UploadState {
            offset: 1000,
            complete: false
        }
    );
    let (code, body) = raw::put(
        &w.centre.url(),
        &token(&w.a0),
        &sha,
        5000,
        3000,
        &bytes[3000..],
    );
    assert_eq!(code, 409, "{body}");
    let c: OffsetConflict = serde_json::from_str(&body).expect("conflict body");
    assert_eq!(c.offset, 1000);
    assert!(c.error.contains("1000"), "{}", c.error);
    // The client resumes from there and finishes.
    upload(&w.centre.url(), &w.a0, &path, &sha).expect("completes");
    let client = CentreClient::new(&w.centre.url()).expect("client");
    let state = block_on(client.upload_state(&token(&w.a0), &sha, 5000)).expect("state");
    assert!(state.complete);
}

#[test]
fn a_chunk_at_any_offset_starts_no_partial_past_the_units_bound() {
    // Issue 20 item 5: 200 PUTs at offset 1 of files never begun left 200 partials.
    let w = world();
    let token = token(&w.a0);
    for i in 0..200u32 {
        let sha = Sha256Hex::of(&i.to_le_bytes());
        let (code, body) = raw::put(&w.centre.url(), &token, &sha, 10, 1, b"x");
        assert!(code == 409 || code == 429, "{code} {body}");
    }
    let (_, partial) = centre_files(w.centre.files.path());
    assert!(partial.is_empty(), "{} partials", partial.len());
    // Begun at offset 0, they stop at the bound (32), whatever offset comes next.
    let mut refused = 0;
    for i in 0..40u32 {
        let sha = Sha256Hex::of(&(1000 + i).to_le_bytes());
        let (code, _) = raw::put(&w.centre.url(), &token, &sha, 10, 0, b"x");
        if code == 429 {
            refused += 1;
        }
    }
    assert_eq!(refused, 8);
    let (_, partial) = centre_files(w.centre.files.path());
    assert_eq!(partial.len(), 32);
}

#[test]
fn a_unit_cannot_store_past_its_quota_and_another_unit_is_not_charged() {
    // Issue 20 item 4: one desk stored 24 files in 0.3 s, with no bound per unit.
    let db = fresh_database();
    let centre = Centre::start_with(&db, |s| s.quota_per_unit = 500_000);
    add_units(&db);
    let (a0, b0) = (Desk::new(UNIT_A, 0), Desk::new(UNIT_B, 0));
    a0.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(0)))
        .expect("enrolls");
    b0.enroll(&centre.url(), &enroll_code(&db, UNIT_B, Some(0)))
        .expect("enrolls");
    let tmp = tempfile::tempdir().expect("temp");
    let (p1, s1) = sample(tmp.path(), 200_000, 41);
    let (p2, s2) = sample(tmp.path(), 200_000, 42);
    let (p3, s3) = sample(tmp.path(), 200_000, 43);
    upload(&centre.url(), &a0, &p1, &s1).expect("first");
    upload(&centre.url(), &a0, &p2, &s2).expect("second");
    let e = upload(&centre.url(), &a0, &p3, &s3).expect_err("past the quota");
    assert_eq!(status(&e), 413, "{e}");
    assert!(e.to_string().contains("hạn mức"), "{e}");
    let (kept, partial) = centre_files(centre.files.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(partial.is_empty(), "{partial:?}");
    // Another unit has its own quota.
    upload(&centre.url(), &b0, &p3, &s3).expect("unit B");
}

#[test]
fn an_upload_no_event_of_its_unit_names_is_swept_after_the_grace() {
    // Issue 20 item 4: any complete upload was kept, even one no event names.
    let w = world();
    let codes = w.a0.take_dossiers(1);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let named = scan("Tờ khai", 20_000);
    let named_sha = Sha256Hex::of(&named.bytes);
    a0.attach(&codes[0], "Tờ khai", named, "Trần Văn Bình")
        .expect("attach");
    w.a0.sync(None).expect("round");
    let tmp = tempfile::tempdir().expect("temp");
    let (path, orphan) = sample(tmp.path(), 30_000, 51);
    upload(&w.centre.url(), &w.a0, &path, &orphan).expect("an unnamed upload");
    assert_eq!(centre_files(w.centre.files.path()).0.len(), 2);
    let pool = motcua::centre::db::pool(&w.db, 2).expect("pool");
    let sweep = |grace: u64| {
        block_on(motcua::centre::orphans::sweep(
            &pool,
            &w.centre.service,
            Duration::from_secs(grace),
        ))
        .expect("sweeps")
    };
    // Within the grace window the upload waits for its event.
    assert_eq!(sweep(3600), 0);
    assert_eq!(centre_files(w.centre.files.path()).0.len(), 2);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(sweep(0), 1);
    let (kept, _) = centre_files(w.centre.files.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].ends_with(named_sha.as_str()), "{kept:?}");
    assert_eq!(centre_count(&w.db, "file_blob"), 1);
    let e = fetch(&w.centre.url(), &w.a1, &orphan, &tmp.path().join("x")).expect_err("gone");
    assert_eq!(status(&e), 403, "{e}");
}

#[test]
fn an_upload_of_the_same_bytes_during_a_sweep_leaves_a_row_naming_an_existing_file() {
    // report-hostile2's known race: unit A's unnamed upload is swept, and unit B sends
    // the same bytes between the sweep's commit and its removal of the file. B's upload
    // found the file on disk and recorded it; the sweep then removed it.
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (path, sha) = sample(tmp.path(), 30_000, 61);
    upload(&w.centre.url(), &w.a0, &path, &sha).expect("unit A's unnamed upload");
    std::thread::sleep(Duration::from_millis(50));
    let pool = motcua::centre::db::pool(&w.db, 2).expect("pool");
    let (url, b_token) = (w.centre.url(), token(&w.b0));
    let mut during = None;
    let swept = block_on(motcua::centre::orphans::sweep_pausing(
        &pool,
        &w.centre.service,
        Duration::ZERO,
        async {
            // On a thread of its own: the upload helper runs its own runtime.
            let sent = thread::scope(|s| {
                s.spawn(|| {
                    let client = CentreClient::new(&url).expect("client");
                    block_on(client.upload_file(&b_token, &sha, &path, 30_000))
                })
                .join()
                .expect("upload thread")
            });
            during = Some(sent);
        },
    ))
    .expect("sweeps");
    assert_eq!(swept, 1);
    let e = during.expect("ran").expect_err("B waits for the removal");
    assert_eq!(status(&e), 429, "{e}");
    upload(&url, &w.b0, &path, &sha).expect("B's upload, once the sweep is done");
    let dest = tmp.path().join("back.pdf");
    fetch(&url, &w.b0, &sha, &dest).expect("B reads its file");
    assert_eq!(
        std::fs::read(&dest).expect("got"),
        std::fs::read(&path).expect("src")
    );
    assert_eq!(centre_count(&w.db, "file_access"), 1);
    assert_eq!(centre_files(w.centre.files.path()).0.len(), 1);
}

#[test]
fn the_same_file_from_two_desks_and_two_units_is_stored_once() {
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (path, sha) = sample(tmp.path(), 200_000, 3);
    upload(&w.centre.url(), &w.a0, &path, &sha).expect("a0");
    upload(&w.centre.url(), &w.a0, &path, &sha).expect("a0 again: nothing to send");
    upload(&w.centre.url(), &w.a1, &path, &sha).expect("a1: same unit");
    upload(&w.centre.url(), &w.b0, &path, &sha).expect("b0: proves it, copy dropped");
    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(partial.is_empty(), "{partial:?}");
    assert_eq!(centre_count(&w.db, "file_blob"), 1);
    assert_eq!(centre_count(&w.db, "file_access"), 2);
}

#[test]
fn a_sibling_desk_fetches_the_file_and_another_unit_is_refused() {
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (path, sha) = sample(tmp.path(), 300_000, 4);
    // Before anyone sent it: no unit may read it, and no one learns it exists.
    let e = fetch(&w.centre.url(), &w.a1, &sha, &tmp.path().join("early")).expect_err("absent");
    assert_eq!(status(&e), 403, "{e}");
    upload(&w.centre.url(), &w.a0, &path, &sha).expect("a0 uploads");

    let dest = tmp.path().join("fetched.pdf");
    let n = fetch(&w.centre.url(), &w.a1, &sha, &dest).expect("sibling fetches");
    assert_eq!(n, 300_000);
    assert_eq!(
        std::fs::read(&dest).expect("got"),
        std::fs::read(&path).expect("src")
    );

    let other = tmp.path().join("other.pdf");
    let e = fetch(&w.centre.url(), &w.b0, &sha, &other).expect_err("other unit");
    assert_eq!(status(&e), 403, "{e}");
    assert!(e.to_string().contains(UNIT_B), "{e}");
    assert!(!other.exists());

    // A bound below the file's size: refused before it is written.
    let client = CentreClient::new(&w.centre.url()).expect("client");
    let small = tmp.path().join("small.pdf");
    let e = block_on(client.fetch_file(&token(&w.a1), &sha, &small, 1000)).expect_err("bound");
    assert!(matches!(e, SyncError::TooLarge { .. }), "{e:?}");
    assert!(!small.exists());

    let e = block_on(client.fetch_file(&"0".repeat(64), &sha, &small, 1 << 20)).expect_err("token");
    assert_eq!(status(&e), 401);
}

#[test]
fn bytes_that_are_not_the_named_file_are_refused_and_nothing_is_kept() {
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (path, _) = sample(tmp.path(), 1_500_000, 5);
    let claimed = Sha256Hex::of(b"a different scan");
    let e = upload(&w.centre.url(), &w.a0, &path, &claimed).expect_err("wrong hash");
    assert_eq!(status(&e), 400, "{e}");
    assert!(e.to_string().contains("mã băm"), "{e}");
    let (kept, partial) = centre_files(w.centre.files.path());
    assert!(
        kept.is_empty() && partial.is_empty(),
        "{kept:?} {partial:?}"
    );
    assert_eq!(centre_count(&w.db, "file_blob"), 0);
    assert_eq!(centre_count(&w.db, "file_access"), 0);
    // Knowing the name of a file is no access to it either.
    let e = fetch(&w.centre.url(), &w.a0, &claimed, &tmp.path().join("x")).expect_err("no");
    assert_eq!(status(&e), 403);
}

#[test]
fn an_oversize_file_is_refused_413_with_nothing_written() {
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (_, sha) = sample(tmp.path(), 10, 6);
    let client = CentreClient::new(&w.centre.url()).expect("client");
    let huge = 300 * 1024 * 1024;
    let e = block_on(client.upload_state(&token(&w.a0), &sha, huge)).expect_err("too big");
    assert_eq!(status(&e), 413, "{e}");
    assert!(e.to_string().contains("vượt giới hạn"), "{e}");
    let (code, body) = raw::put(&w.centre.url(), &token(&w.a0), &sha, huge, 0, b"abc");
    assert_eq!(code, 413, "{body}");
    // A chunk larger than a chunk may be, even of an allowed file.
    let big = vec![0u8; 5 * 1024 * 1024];
    match raw::try_put(&w.centre.url(), &token(&w.a0), &sha, 40 << 20, 0, &big) {
        Ok((code, body)) => assert_eq!(code, 413, "{body}"),
        // The centre answers 413 from the headers and closes without reading the 5 MiB:
        // a client still writing them may see the connection cut before the answer (it
        // did in CI on a loaded machine). Either way nothing may be kept, checked below.
        Err(e) => assert!(
            e.contains("Broken pipe") || e.contains("reset"),
            "neither 413 nor a cut connection: {e}"
        ),
    }
    let (kept, partial) = centre_files(w.centre.files.path());
    assert!(
        kept.is_empty() && partial.is_empty(),
        "{kept:?} {partial:?}"
    );
}

/// Raw requests the desk's client never sends.
mod raw {
    use motcua::domain::document::Sha256Hex;
    use reqwest::Client;

    /// `PUT …/upload` with any offset and body: (status, body text).
    pub fn put(
        base: &str,
        token: &str,
        sha: &Sha256Hex,
        size: u64,
        offset: u64,
        body: &[u8],
    ) -> (u16, String) {
        try_put(base, token, sha, size, offset, body).expect("sends")
    }

    /// `put`, with a failed send as its error text (with its causes).
    pub fn try_put(
        base: &str,
        token: &str,
        sha: &Sha256Hex,
        size: u64,
        offset: u64,
        body: &[u8],
    ) -> Result<(u16, String), String> {
        let body = body.to_vec();
        let url = format!("{base}/v1/files/{sha}/upload?size={size}&offset={offset}");
        let token = token.to_string();
        super::block_on(async move {
            let resp = Client::new()
                .put(url)
                .bearer_auth(token)
                .body(body)
                .send()
                .await
                .map_err(|e| format!("{e:?}"))?;
            let code = resp.status().as_u16();
            Ok((code, resp.text().await.unwrap_or_default()))
        })
    }
}

fn scan(text: &str, size: usize) -> motcua::domain::document::NewDocument {
    // A real PDF: a fetched copy is checked as an imported one is.
    let bytes = pdf_bomb::plain_pdf(text, size, size as u64);
    motcua::domain::document::NewDocument {
        name: format!("{text}.pdf"),
        media_type: motcua::domain::document::MediaType::Pdf,
        bytes,
        pages: 1,
    }
}

fn local_files(desk: &Desk) -> Vec<PathBuf> {
    let root = desk.dir.path().join("files");
    let (kept, _) = centre_files(&root);
    kept.into_iter()
        .filter(|p| !p.starts_with(root.join("tmp")))
        .collect()
}

#[test]
fn a_round_sends_attached_documents_once_and_a_sibling_fetches_only_when_asked() {
    let w = world();
    let codes = w.a0.take_dossiers(2);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let shared = scan("Bản sao CCCD", 400_000);
    let shared_sha = Sha256Hex::of(&shared.bytes);
    for code in &codes {
        a0.attach(
            code,
            "Bản sao Căn cước công dân",
            shared.clone(),
            "Trần Văn Bình",
        )
        .expect("attach");
    }
    let own = scan("Tờ khai", 50_000);
    let own_sha = Sha256Hex::of(&own.bytes);
    a0.attach(&codes[0], "Tờ khai", own.clone(), "Trần Văn Bình")
        .expect("attach");

    let report = w.a0.sync(None).expect("round");
    assert_eq!(
        (report.files_sent, report.files_pending),
        (2, 0),
        "{report:?}"
    );
    assert_eq!(report.files_error, None);
    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!(
        kept.len(),
        2,
        "the same scan on two dossiers is stored once: {kept:?}"
    );
    assert!(partial.is_empty());
    let again = w.a0.sync(None).expect("round");
    assert_eq!((again.files_sent, again.files_pending), (0, 0), "{again:?}");

    // The sibling learns of the documents but does not download them...
    let report = w.a1.sync(None).expect("round");
    assert!(report.pulled_events >= 5, "{report:?}");
    assert!(local_files(&w.a1).is_empty(), "{:?}", local_files(&w.a1));
    // ...until a clerk opens one.
    let a1 = motcua::desk::Desk::new(w.a1.store());
    assert_eq!(a1.document_path(&shared_sha), None);
    let path = block_on(a1.open_document(&shared_sha)).expect("fetched");
    assert_eq!(std::fs::read(&path).expect("read"), shared.bytes);
    assert_eq!(a1.document_path(&shared_sha), Some(path.clone()));
    assert_eq!(local_files(&w.a1), vec![path]);
    // Opening again needs no centre at all.
    drop(w.centre);
    assert!(block_on(a1.open_document(&shared_sha)).is_ok());
    let e = block_on(a1.open_document(&own_sha)).expect_err("centre gone");
    assert!(e.is_transient(), "{e:?}");
    assert_eq!(local_files(&w.a1).len(), 1);

    // Another unit's desk does not even ask: its log does not name the file.
    let b0 = motcua::desk::Desk::new(w.b0.store());
    let e = block_on(b0.open_document(&own_sha)).expect_err("not its file");
    assert!(e.to_string().contains("Không hồ sơ nào"), "{e}");
}

#[test]
fn a_sibling_cannot_plant_other_bytes_as_a_pdf_nor_a_bomb() {
    // Issue 20 item 3: another desk attaches an HTML page and a PDF bomb as PDFs.
    let w = world();
    let codes = w.a0.take_dossiers(1);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let mut html = scan("CCCD", 1_000);
    html.bytes = b"<html><body><script>alert(1)</script></body></html>".to_vec();
    let mut bomb = scan("Giấy khai sinh", 1_000);
    bomb.bytes = pdf_bomb::object_stream_bomb(8, 40 * 1024 * 1024);
    let mut lying = scan("Sổ hộ khẩu", 1_000);
    lying.pages = 3;
    for doc in [&html, &bomb, &lying] {
        a0.attach(&codes[0], "Bản sao", doc.clone(), "Trần Văn Bình")
            .expect("attach");
    }
    // The centre refuses the HTML page named as a PDF (its magic bytes are not a
    // PDF's) and keeps nothing of it; the others go on.
    let report = w.a0.sync(None).expect("round");
    let refused = report.files_error.clone().unwrap_or_default();
    assert!(
        refused.contains("không phải PDF như hồ sơ ghi"),
        "{report:?}"
    );
    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!((kept.len(), partial.len()), (2, 0), "{kept:?} {partial:?}");
    w.a1.sync(None).expect("round");
    let a1 = motcua::desk::Desk::new(w.a1.store());
    let html_sha = Sha256Hex::of(&html.bytes);
    assert!(block_on(a1.open_document(&html_sha)).is_err());
    assert_eq!(a1.document_path(&html_sha), None);
    for (doc, why) in [
        (&bomb, "cấu trúc bất thường"),
        (&lying, "hồ sơ ghi 3 trang"),
    ] {
        let sha = Sha256Hex::of(&doc.bytes);
        let e = block_on(a1.open_document(&sha)).expect_err("refused");
        assert!(e.to_string().contains(why), "{e}");
        assert_eq!(a1.document_path(&sha), None);
    }
    assert!(local_files(&w.a1).is_empty(), "{:?}", local_files(&w.a1));
}

#[test]
fn a_file_uploaded_before_the_event_naming_it_is_type_checked_when_the_event_arrives() {
    // Issue 20: an upload no event names yet is let through (its event may follow);
    // an HTML page sent first and then named "CCCD.pdf" was kept and handed out.
    let w = world();
    let codes = w.a0.take_dossiers(1);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let mut html = scan("CCCD", 1_000);
    html.bytes = b"<html><body><script>alert(1)</script></body></html>".to_vec();
    let sha = Sha256Hex::of(&html.bytes);
    let tmp = tempfile::tempdir().expect("temp");
    let early = tmp.path().join("early.pdf");
    std::fs::write(&early, &html.bytes).expect("write");
    upload(&w.centre.url(), &w.a0, &early, &sha).expect("unnamed yet: let through");
    assert_eq!(centre_count(&w.db, "file_access"), 1);
    a0.attach(&codes[0], "Bản sao CCCD", html, "Trần Văn Bình")
        .expect("attach");
    // The round pushes the event: the unit loses the bytes it sent early, and its
    // upload of them now is refused as if the event had come first.
    let report = w.a0.sync(None).expect("round");
    let refused = report.files_error.clone().unwrap_or_default();
    assert!(
        refused.contains("không phải PDF như hồ sơ ghi"),
        "{report:?}"
    );
    assert_eq!(centre_count(&w.db, "file_access"), 0);
    assert_eq!(centre_count(&w.db, "file_blob"), 0);
    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!((kept.len(), partial.len()), (0, 0), "{kept:?} {partial:?}");
    // The event stays (the clerk's record); a sibling learns of it and gets 404.
    w.a1.sync(None).expect("round");
    let e = fetch(&w.centre.url(), &w.a1, &sha, &tmp.path().join("x")).expect_err("gone");
    assert_eq!(status(&e), 404, "{e}");
}

#[test]
fn a_document_whose_upload_has_not_arrived_is_404_to_its_own_unit_only() {
    let w = world();
    let codes = w.a0.take_dossiers(1);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let doc = scan("Giấy ủy quyền", 10_000);
    let sha = Sha256Hex::of(&doc.bytes);
    a0.attach(&codes[0], "Giấy ủy quyền", doc, "Trần Văn Bình")
        .expect("attach");
    // The desk lost its copy (restored without its files folder): the event goes,
    // the file cannot.
    std::fs::remove_file(a0.document_path(&sha).expect("local")).expect("removed");
    let report = w.a0.sync(None).expect("round");
    assert_eq!(report.files_sent, 0);
    w.a1.sync(None).expect("round");
    let a1 = motcua::desk::Desk::new(w.a1.store());
    let e = block_on(a1.open_document(&sha)).expect_err("not yet");
    assert_eq!(status(&e), 404, "{e}");
    assert!(e.to_string().contains("chưa được tải lên"), "{e}");
    assert!(local_files(&w.a1).is_empty());
    let e = fetch(&w.centre.url(), &w.b0, &sha, &w.b0.dir.path().join("x")).expect_err("B");
    assert_eq!(status(&e), 403, "{e}");
}

#[test]
fn the_processing_department_lists_a_dossiers_documents_and_writes_one_out() {
    let w = world();
    let codes = w.a0.take_dossiers(1);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let doc = scan("Giấy khai sinh", 20_000);
    let sha = Sha256Hex::of(&doc.bytes);
    a0.attach(
        &codes[0],
        "Bản sao Giấy khai sinh",
        doc.clone(),
        "Trần Văn Bình",
    )
    .expect("attach");
    let pending = scan("Sổ hộ khẩu", 5_000);
    let pending_sha = Sha256Hex::of(&pending.bytes);
    a0.attach(&codes[0], "Sổ hộ khẩu", pending, "Trần Văn Bình")
        .expect("attach");
    std::fs::remove_file(a0.document_path(&pending_sha).expect("local")).expect("rm");
    w.a0.sync(None).expect("round");

    let dir = w.centre.files.path().to_str().expect("utf-8").to_string();
    let listed = centre_admin(&w.db, &["--files-dir", &dir, "files", "list", &codes[0]]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].starts_with(sha.as_str()), "{listed}");
    assert!(
        lines[0].contains("Bản sao Giấy khai sinh") && lines[0].contains("đã nhận tệp"),
        "{listed}"
    );
    assert!(
        lines[1].starts_with(pending_sha.as_str()) && lines[1].contains("chưa nhận tệp"),
        "{listed}"
    );

    let out = tempfile::tempdir().expect("temp");
    let dest = out.path().join("khai-sinh.pdf");
    let audit_before = centre_count(&w.db, "operator_audit");
    let said = centre_admin(
        &w.db,
        &[
            "--files-dir",
            &dir,
            "files",
            "get",
            &codes[0],
            sha.as_str(),
            "--out",
            dest.to_str().expect("utf-8"),
        ],
    );
    assert!(said.contains("20"), "{said}");
    assert_eq!(std::fs::read(&dest).expect("written"), doc.bytes);
    // Owner-only: the copy is a citizen's paper (issue 20).
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    assert_eq!(centre_count(&w.db, "operator_audit"), audit_before + 1);
    // Never over an existing file; a file not received yet is said so.
    for (what, args) in [
        (
            "đã tồn tại",
            vec![
                "files",
                "get",
                &codes[0],
                sha.as_str(),
                "--out",
                dest.to_str().expect("utf-8"),
            ],
        ),
        (
            "chưa nhận tệp",
            vec![
                "files",
                "get",
                &codes[0],
                pending_sha.as_str(),
                "--out",
                "/tmp/never-written.pdf",
            ],
        ),
    ] {
        let o = std::process::Command::new(centre_bin())
            .args(["--files-dir", &dir])
            .args(&args)
            .env("DATABASE_URL", &w.db)
            .output()
            .expect("runs");
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(what), "{err}");
    }
    assert!(!Path::new("/tmp/never-written.pdf").exists());
}

#[test]
fn a_unit_that_only_named_another_units_file_is_shown_and_given_nothing() {
    // Issue 20 item 6: unit B names unit A's citizen's paper in its own dossier
    // without ever holding its bytes.
    let w = world();
    let (a_codes, b_codes) = (w.a0.take_dossiers(1), w.b0.take_dossiers(1));
    let (a0, b0) = (
        motcua::desk::Desk::new(w.a0.store()),
        motcua::desk::Desk::new(w.b0.store()),
    );
    let paper = scan("Giấy khai sinh", 20_000);
    let sha = Sha256Hex::of(&paper.bytes);
    a0.attach(
        &a_codes[0],
        "Bản sao Giấy khai sinh",
        paper.clone(),
        "Trần Văn Bình",
    )
    .expect("attach");
    w.a0.sync(None).expect("round");
    b0.attach(&b_codes[0], "Bản sao Giấy khai sinh", paper, "Lê Thị Hoa")
        .expect("attach");
    std::fs::remove_file(b0.document_path(&sha).expect("local")).expect("rm");
    w.b0.sync(None).expect("round");

    let dir = w.centre.files.path().to_str().expect("utf-8").to_string();
    let files = |code: &str| centre_admin(&w.db, &["--files-dir", &dir, "files", "list", code]);
    assert!(files(&a_codes[0]).contains("đã nhận tệp"));
    let listed = files(&b_codes[0]);
    assert!(
        listed.contains("chưa nhận tệp") && !listed.contains("đã nhận tệp"),
        "{listed}"
    );
    let out = tempfile::tempdir().expect("temp");
    let dest = out.path().join("cua-don-vi-khac.pdf");
    let o = std::process::Command::new(centre_bin())
        .args([
            "--files-dir",
            &dir,
            "files",
            "get",
            &b_codes[0],
            sha.as_str(),
            "--out",
        ])
        .arg(&dest)
        .env("DATABASE_URL", &w.db)
        .output()
        .expect("runs");
    assert!(!o.status.success());
    assert!(!dest.exists());
    // The export lists the paper under A's dossier only.
    let export = out.path().join("dvcqg.json");
    centre_admin(
        &w.db,
        &[
            "export-dvcqg",
            "--from",
            "2020-01-01",
            "--to",
            "2035-12-31",
            "--out",
            export.to_str().expect("utf-8"),
        ],
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export).expect("written")).expect("json");
    let text = json.to_string();
    assert_eq!(text.matches(sha.as_str()).count(), 1, "{text}");
    let records = json.as_array().cloned().unwrap_or_default();
    let holder: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r.to_string().contains(sha.as_str()))
        .collect();
    assert_eq!(holder.len(), 1);
    assert!(holder[0].to_string().contains(&a_codes[0]), "{}", holder[0]);
}

#[test]
fn a_round_cut_during_an_upload_leaves_the_file_for_the_next_round_which_resumes() {
    let w = world();
    let codes = w.a0.take_dossiers(1);
    let a0 = motcua::desk::Desk::new(w.a0.store());
    let doc = scan("Hồ sơ thiết kế", 3 * 1024 * 1024);
    a0.attach(&codes[0], "Bản vẽ", doc.clone(), "Trần Văn Bình")
        .expect("attach");
    // The line dies for good once 2 MiB have gone up: events pass, the scan does not.
    let proxy = CutProxy::outage(w.centre.addr, 2 * 1024 * 1024);
    let report =
        w.a0.sync(Some(&proxy.url()))
            .expect("the round itself succeeds");
    assert_eq!(report.pushed, 2, "receipt and attach: {report:?}");
    assert_eq!(
        (report.files_sent, report.files_pending),
        (0, 1),
        "{report:?}"
    );
    let why = report.files_error.expect("said why");
    assert!(why.contains("Không kết nối được trung tâm"), "{why}");
    let (kept, partial) = centre_files(w.centre.files.path());
    assert!(kept.is_empty(), "{kept:?}");
    assert_eq!(partial.len(), 1, "what arrived is kept for the next round");
    let arrived = std::fs::metadata(&partial[0]).expect("partial").len();
    assert!(arrived > 0, "{arrived}");
    let status = std::process::Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", w.a0.dir.path())
        .args(["sync", "status"])
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("Tệp giấy tờ chờ gửi:    1"), "{said}");

    let report = w.a0.sync(None).expect("next round");
    assert_eq!(
        (report.files_sent, report.files_pending),
        (1, 0),
        "{report:?}"
    );
    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!(kept.len(), 1);
    assert!(partial.is_empty());
    assert_eq!(std::fs::read(&kept[0]).expect("kept"), doc.bytes);
}

#[test]
fn an_upload_whose_every_byte_arrived_but_was_never_checked_completes() {
    // The connection died after the last chunk was written and before the centre
    // hashed it: the centre holds the whole file as a partial. Also a stale partial
    // longer than the file (another size declared before).
    let w = world();
    let tmp = tempfile::tempdir().expect("temp");
    let (path, sha) = sample(tmp.path(), 100_000, 7);
    let (other, other_sha) = sample(tmp.path(), 1000, 8);
    let unit_dir = w.centre.files.path().join("partial").join(UNIT_A);
    std::fs::create_dir_all(&unit_dir).expect("dir");
    std::fs::copy(&path, unit_dir.join(sha.as_str())).expect("whole partial");
    std::fs::write(unit_dir.join(other_sha.as_str()), vec![1u8; 5000]).expect("long partial");

    upload(&w.centre.url(), &w.a0, &path, &sha).expect("checked and kept");
    upload(&w.centre.url(), &w.a0, &other, &other_sha).expect("starts again");
    let (kept, partial) = centre_files(w.centre.files.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(partial.is_empty(), "{partial:?}");
}
