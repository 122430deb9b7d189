//! `motcua enroll` without the code on its command line (issue 20: a flag shows in
//! `ps`): the code piped on standard input, or in `MOTCUA_ENROLL_CODE`.
#![cfg(all(feature = "desk", feature = "centre"))]

mod sync_support;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use sync_support::*;

/// `motcua enroll --centre URL` for `desk`, with `env` set and `stdin` written.
fn enroll(desk: &Desk, centre: &Centre, env: Option<&str>, stdin: &str) -> Output {
    let mut cmd = Command::new(desk_bin());
    cmd.env("MOTCUA_DATA_DIR", desk.dir.path())
        .env_remove("MOTCUA_ENROLL_CODE")
        .args(["enroll", "--centre", &centre.url()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(code) = env {
        cmd.env("MOTCUA_ENROLL_CODE", code);
    }
    let mut child = cmd.spawn().expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("writes the code");
    child.wait_with_output().expect("ends")
}

fn enrolled(desk: &Desk) -> bool {
    desk.store().enrollment().expect("reads").is_some()
}

#[test]
fn enroll_takes_the_code_from_stdin_or_the_environment_never_the_command_line() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let (a0, a1, b0) = (
        Desk::new(UNIT_A, 0),
        Desk::new(UNIT_A, 1),
        Desk::new(UNIT_B, 0),
    );

    // Piped in, as `echo CODE | motcua enroll …` or typed at the prompt.
    let code = enroll_code(&db, UNIT_A, Some(0));
    let out = enroll(&a0, &centre, None, &format!("{code}\n"));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Đã đăng ký quầy số 0"), "{stdout}");
    assert!(stderr.contains("Nhập mã đăng ký"), "the prompt: {stderr}");
    assert!(!stdout.contains(&code) && !stderr.contains(&code));
    assert!(enrolled(&a0));

    // From the environment: stdin is not read.
    let code = enroll_code(&db, UNIT_A, Some(1));
    let out = enroll(&a1, &centre, Some(&code), "not the code\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã đăng ký quầy số 1"));
    assert!(enrolled(&a1));

    // Nothing given: a clear refusal, nothing enrolled.
    let out = enroll(&b0, &centre, None, "\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("Chưa có mã đăng ký") && stderr.contains("MOTCUA_ENROLL_CODE"),
        "{stderr}"
    );
    assert!(!enrolled(&b0));
}
