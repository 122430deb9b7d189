//! A desk process killed (SIGKILL) at random moments while it takes dossiers in and
//! attaches files: afterwards no event names a missing or torn file, and every dossier
//! code and attachment the clerk was shown survives.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use motcua::desk::Desk;
use motcua::desk::work::Intake;
use motcua::domain::clock::{format_rfc3339, now_vn};
use motcua::domain::document::{MediaType, NewDocument, Sha256Hex};
use motcua::domain::intake::IntakeInput;
use motcua::store::DataPaths;
use motcua::store::files::FileStore;

const CHILD_ENV: &str = "MOTCUA_TEST_ATTACH_CRASH_DIR";
const SHOWN: &str = "shown.txt";
const KILLS: usize = 8;

/// The child: attaches files until killed, appending to `shown.txt` each code and each
/// attachment only after its use case returned (what the clerk's screen would show).
fn attach_until_killed(dir: &Path) {
    let desk = Desk::open(DataPaths::in_dir(dir)).expect("opens");
    let mut shown = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(dir.join(SHOWN))
        .expect("shown");
    let mut rng = fastrand::Rng::new();
    loop {
        let input =
            IntakeInput::from_json(&common::dossier_json("1.004873", &format_rfc3339(now_vn())))
                .expect("json");
        let who = Intake {
            clerk: "Trần Thị Hòa",
            draft: None,
        };
        let code = desk.take_in(input, who).expect("taken in").state.code;
        writeln!(shown, "code {code}").expect("shown");
        for n in 0..3 {
            // 100 KB to 1.5 MB of noise: a scan's size, long enough to be cut.
            let mut bytes = vec![0u8; rng.usize(100_000..1_500_000)];
            rng.fill(&mut bytes);
            let doc = NewDocument {
                name: format!("Trang {n}.pdf"),
                media_type: MediaType::Pdf,
                bytes,
                pages: 1,
            };
            let sha = Sha256Hex::of(&doc.bytes);
            desk.attach(
                &code.to_string(),
                &format!("Giấy tờ {n}"),
                doc,
                "Trần Thị Hòa",
            )
            .expect("attached");
            writeln!(shown, "file {code} {sha}").expect("shown");
        }
    }
}

#[test]
fn a_desk_killed_mid_attach_never_names_a_missing_file() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        attach_until_killed(Path::new(&dir));
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    drop(common::new_store(dir.path()));
    let mut rng = fastrand::Rng::with_seed(15);
    let mut cut = 0;
    for _ in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "a_desk_killed_mid_attach_never_names_a_missing_file",
                "--nocapture",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child");
        std::thread::sleep(Duration::from_millis(rng.u64(150..900)));
        if child.try_wait().expect("wait").is_none() {
            cut += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    assert_eq!(cut, KILLS, "every child was killed while it worked");

    let started = Instant::now();
    let desk = Desk::open(DataPaths::in_dir(dir.path())).expect("opens after the crashes");
    let files = FileStore::new(desk.paths().files.clone());
    // Every file the log names is here, whole.
    let referenced = desk
        .with_store(|s| s.referenced_files())
        .expect("referenced");
    assert!(!referenced.is_empty(), "some attaches happened");
    for sha in &referenced {
        assert!(files.verify(sha).expect("verify"), "{sha} missing or torn");
    }
    // Every stored file is whole (a torn one would have been renamed in too early).
    for sha in files.list().expect("list") {
        assert!(files.verify(&sha).expect("verify"), "{sha} torn");
    }
    // What the clerk was shown survived.
    let shown = std::fs::read_to_string(dir.path().join(SHOWN)).expect("shown");
    let (mut codes, mut attached) = (0, 0);
    for line in shown.lines() {
        let mut parts = line.split(' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("code"), Some(code), None) => {
                desk.with_store(|s| s.dossier(code)).expect("code survives");
                codes += 1;
            }
            (Some("file"), Some(code), Some(sha)) => {
                let sha = Sha256Hex::parse(sha).expect("sha");
                let state = desk.with_store(|s| s.dossier(code)).expect("dossier");
                assert!(
                    state.documents.iter().any(|d| d.file.sha256 == sha),
                    "attachment {sha} of {code} survives"
                );
                attached += 1;
            }
            // The line being written when the process died.
            _ => {}
        }
    }
    assert!(
        codes >= KILLS / 2 && attached > 0,
        "{codes} codes, {attached} files"
    );
    eprintln!(
        "figure: {KILLS} kills, {codes} codes and {attached} attachments shown and kept, {} files stored, {} referenced; checked in {:?}",
        files.list().expect("list").len(),
        referenced.len(),
        started.elapsed()
    );
}
