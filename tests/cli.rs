//! The command line as a clerk or a script uses it: the whole counter journey, the
//! calendar commands, and bad input that must be refused precisely without writing.

mod common;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn motcua(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("motcua").expect("binary built");
    cmd.env("MOTCUA_DATA_DIR", dir)
        .env("MOTCUA_CLERK", "Trần Thị Mai");
    cmd
}

fn init(dir: &Path) {
    motcua(dir)
        .args(["init", "--unit-code", common::UNIT, "--unit-name"])
        .arg("Trung tâm Phục vụ hành chính công phường Hồng Gai")
        .args(["--authority", "UBND phường Hồng Gai", "--place", "Hồng Gai"])
        .assert()
        .success();
}

/// Takes in the sample dossier for `procedure`, received at `received_at`.
fn take_in(dir: &Path, procedure: &str, received_at: &str) {
    motcua(dir)
        .args(["intake", "--json", "-"])
        .write_stdin(common::dossier_json(procedure, received_at))
        .assert()
        .success();
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(cmd: &mut Command) -> Value {
    serde_json::from_str(&stdout(cmd)).expect("json output")
}

/// Runs a command that must fail; returns its stderr.
fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(!out.status.success(), "should have failed");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    String::from_utf8(out.stderr).expect("utf-8")
}

#[test]
fn a_dossier_from_intake_to_return() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    // Received Friday before Tết 2026, 3 working days: Tết week (16–20/2) is skipped.
    let input = dir.join("hoso.json");
    std::fs::write(
        &input,
        common::dossier_json("1.004873", "2026-02-13T10:00:00+07:00"),
    )
    .expect("writes");
    let out = stdout(motcua(dir).arg("intake").arg("--json").arg(&input));
    assert!(out.contains("H22.39.15-260213-0001"), "{out}");
    assert!(
        out.contains("10 giờ 00 phút, ngày 25 tháng 02 năm 2026"),
        "{out}"
    );

    // The same dossier from stdin, machine-readable: the next number of the day.
    let second = json(
        motcua(dir)
            .args(["--json", "intake", "--json", "-"])
            .write_stdin(common::dossier_json(
                "1.004873",
                "2026-02-13T10:05:00+07:00",
            )),
    );
    assert_eq!(second["code"], "H22.39.15-260213-0002");
    assert_eq!(second["due_at"], "2026-02-25T10:05:00+07:00");

    let shown = json(motcua(dir).args(["show", "H22.39.15-260213-0001", "--json"]));
    assert_eq!(shown["status"], 2);
    assert_eq!(shown["procedure"], "1.004873");
    assert_eq!(shown["received_at"], "2026-02-13T10:00:00+07:00");
    assert_eq!(shown["due_at"], "2026-02-25T10:00:00+07:00");
    let a = &shown["applicant"];
    assert_eq!(a["full_name"], "Nguyễn Thị Ngọc Ánh");
    assert_eq!(a["id_number"], "022190001234");
    assert_eq!(a["date_of_birth"], "1990-05-17");
    assert_eq!(a["gender"], "Nữ");
    assert_eq!(a["phone"], "0912345678", "stored normalised");
    assert_eq!(a["email"], "anh.ntn@example.vn");
    assert_eq!(
        shown["documents"].as_array().map(Vec::len),
        Some(1),
        "the papers everyone hands in (issue 19): the declaration; the rest is conditional \
         or only shown"
    );

    for query in [
        "nguyen thi ngoc anh",
        "NGỌC ÁNH",
        "ngoc an",
        "ngoc",
        "022190001234",
        "0912345678",
        "h22.39.15-260213",
        "le thanh tong",
    ] {
        let found = json(motcua(dir).args(["search", query, "--json"]));
        assert_eq!(
            found.as_array().map(Vec::len),
            Some(2),
            "query {query}: {found}"
        );
        assert_eq!(found[0]["code"], "H22.39.15-260213-0002", "newest first");
    }
    let none = json(motcua(dir).args(["search", "Đặng", "--json"]));
    assert_eq!(none.as_array().map(Vec::len), Some(0));

    let code = "H22.39.15-260213-0001";
    let steps: &[&[&str]] = &[
        &[
            "transfer",
            "--at",
            "2026-02-13T10:30:00+07:00",
            "--to",
            "Công chức Tư pháp - Hộ tịch",
        ],
        &["result-ready", "--at", "2026-02-24T16:00:00+07:00"],
        &[
            "return",
            "--at",
            "2026-02-25T08:00:00+07:00",
            "--collected-by",
            "Nguyễn Thị Ngọc Ánh",
        ],
    ];
    for step in steps {
        motcua(dir)
            .args(["record", code])
            .args(*step)
            .assert()
            .success();
    }
    let shown = json(motcua(dir).args(["show", code, "--json"]));
    assert_eq!(shown["status"], 10);
    assert_eq!(shown["timeliness"], "Trước hạn");
    assert_eq!(shown["events"].as_array().map(Vec::len), Some(4));
    assert_eq!(shown["events"][0]["actor"], "Trần Thị Mai");

    // Returned is final: a second return is refused and writes nothing.
    let before = common::snapshot(&dir.join("motcua.sqlite"));
    let err = fails(motcua(dir).args(["record", code, "return"]));
    assert!(err.contains("không thể trả kết quả"), "{err}");
    assert_eq!(before, common::snapshot(&dir.join("motcua.sqlite")));

    // Backup, more work, restore: the later dossier is gone, the earlier ones are back.
    let backup = dir.join("sao-luu.sqlite");
    motcua(dir)
        .args(["backup", "--out"])
        .arg(&backup)
        .assert()
        .success();
    take_in(dir, "2.000884", "2026-02-24T09:00:00+07:00");
    let out = stdout(motcua(dir).arg("restore").arg(&backup));
    assert!(out.contains("2 hồ sơ"), "{out}");
    let found = json(motcua(dir).args(["search", "h22.39.15-260224", "--json"]));
    assert_eq!(found.as_array().map(Vec::len), Some(0));
    let kept: Vec<_> = std::fs::read_dir(dir)
        .expect("lists")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept, not deleted");
}

#[test]
fn supplement_restarts_the_clock_and_extension_is_once_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    let code = "H22.39.15-261103-0001";
    take_in(dir, "1.004873", "2026-11-03T09:00:00+07:00");
    motcua(dir)
        .args([
            "record",
            code,
            "supplement-request",
            "--at",
            "2026-11-03T10:00:00+07:00",
        ])
        .args([
            "--item",
            "Giấy xác nhận nơi cư trú",
            "--note",
            "Thiếu giấy tờ",
        ])
        .assert()
        .success();
    // Complete again on Friday 20/11 14:00: 3 working days skip the weekend and
    // 24/11 (Ngày Văn hóa Việt Nam) → Thursday 26/11 14:00.
    let state = json(motcua(dir).args([
        "--json",
        "record",
        code,
        "supplement-received",
        "--at",
        "2026-11-20T14:00:00+07:00",
    ]));
    assert_eq!(state["status"], 4);
    assert_eq!(state["due_at"], "2026-11-26T14:00:00+07:00");
    let extend = |at: &str, until: &str, note: &str| {
        let mut cmd = motcua(dir);
        cmd.args([
            "--json", "record", code, "extend", "--at", at, "--until", until,
        ]);
        cmd.args(["--note", note]);
        cmd
    };
    // Due Thursday 26/11: an extension had to be sent by Wednesday 25/11.
    let late = "2026-11-26T08:00:00+07:00";
    let err = fails(&mut extend(
        late,
        "2026-12-01T14:00:00+07:00",
        "Cần xác minh thêm",
    ));
    assert!(err.contains("trước hạn trả 01 ngày làm việc"), "{err}");
    let in_time = "2026-11-25T16:00:00+07:00";
    let err = fails(&mut extend(in_time, "2026-12-01T14:00:00+07:00", ""));
    assert!(err.contains("Lý do gia hạn"), "{err}");
    let state = json(&mut extend(
        in_time,
        "2026-12-01T14:00:00+07:00",
        "Cần xác minh thêm",
    ));
    assert_eq!(state["due_at"], "2026-12-01T14:00:00+07:00");
    let err = fails(&mut extend(in_time, "2026-12-03T14:00:00+07:00", "Lần hai"));
    assert!(err.contains("chỉ được gia hạn một lần"), "{err}");
}

/// Issue 19 §5: a second supplement request makes the dossier late (QĐ 766 2.1). A
/// script cannot answer a question, so it is refused, saying why, unless `--yes`.
#[test]
fn a_second_supplement_request_needs_yes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    let code = "H22.39.15-261103-0001";
    take_in(dir, "1.004873", "2026-11-03T09:00:00+07:00");
    let ask = |at: &str| {
        let mut cmd = motcua(dir);
        cmd.args(["--json", "record", code, "supplement-request", "--at", at])
            .args(["--item", "Tờ khai", "--note", "Thiếu giấy tờ"]);
        cmd
    };
    json(&mut ask("2026-11-03T10:00:00+07:00"));
    motcua(dir)
        .args(["record", code, "supplement-received"])
        .args(["--at", "2026-11-04T09:00:00+07:00"])
        .assert()
        .success();
    let err = fails(&mut ask("2026-11-04T10:00:00+07:00"));
    assert!(err.contains("QUÁ HẠN") && err.contains("--yes"), "{err}");
    let shown = stdout(motcua(dir).args(["show", code]));
    assert!(shown.contains("Đang xử lý"), "nothing written: {shown}");
    let state = json(ask("2026-11-04T10:00:00+07:00").arg("--yes"));
    assert_eq!(state["status"], 5);
}

#[test]
fn due_and_holidays_commands() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let due = |args: &[&str]| {
        let out = stdout(motcua(dir).arg("due").args(args));
        out.lines().next().unwrap_or_default().to_string()
    };
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--at",
                "2026-11-27T15:00:00+07:00",
                "--limit",
                "0",
                "--unit",
                "same-day",
            ],
            "2026-11-27T17:00:00+07:00",
        ),
        (
            &[
                "--at",
                "2026-11-27T15:01:00+07:00",
                "--limit",
                "0",
                "--unit",
                "same-day",
            ],
            "2026-11-30T17:00:00+07:00",
        ),
        (
            &[
                "--at",
                "2026-11-27T15:30:00+07:00",
                "--procedure",
                "1.001193",
            ],
            "2026-11-30T17:00:00+07:00",
        ),
        // Đăng ký kết hôn: the same day by default, 05 working days when verifying.
        (
            &[
                "--at",
                "2026-11-26T10:00:00+07:00",
                "--procedure",
                "1.000894",
            ],
            "2026-11-26T17:00:00+07:00",
        ),
        (
            &[
                "--at",
                "2026-11-26T10:00:00+07:00",
                "--procedure",
                "1.000894",
                "--case",
                "2",
            ],
            "2026-12-03T10:00:00+07:00",
        ),
        // After closing on a Friday, 02 working days: the close of Tuesday (BLDS Art 148).
        (
            &[
                "--at",
                "2026-03-06T17:30:00+07:00",
                "--limit",
                "2",
                "--unit",
                "working-day",
            ],
            "2026-03-10T17:00:00+07:00",
        ),
        // Make-up Saturdays are working days.
        (
            &[
                "--at",
                "2026-01-09T10:00:00+07:00",
                "--limit",
                "1",
                "--unit",
                "working-day",
            ],
            "2026-01-10T10:00:00+07:00",
        ),
        (
            &[
                "--at",
                "2026-08-21T09:00:00+07:00",
                "--limit",
                "2",
                "--unit",
                "working-day",
            ],
            "2026-08-24T09:00:00+07:00",
        ),
        (
            &[
                "--at",
                "2026-02-13T10:00:00+07:00",
                "--limit",
                "3",
                "--unit",
                "working-day",
            ],
            "2026-02-25T10:00:00+07:00",
        ),
        (
            &["--at", "2026-03-02 12:00", "--limit", "1", "--unit", "hour"],
            "2026-03-02T14:30:00+07:00",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(due(args), *expected, "{args:?}");
    }
    assert!(
        !dir.join("motcua.sqlite").exists(),
        "due never creates a database"
    );

    let out = stdout(motcua(dir).args(["holidays", "--year", "2026"]));
    for line in [
        "2026-01-10\twork\t",
        "2026-02-17\toff\t",
        "2026-04-27\toff\t",
        "2026-08-22\twork\t",
        "2026-11-24\toff\t",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert!(
        !out.contains("2026-04-26"),
        "a Sunday holiday is not a non-working weekday"
    );
    let out = stdout(motcua(dir).args(["holidays", "--year", "2030"]));
    // Tết Canh Tuất: mùng 1 is Sat 2/2/2030 in Vietnam.
    assert!(out.contains("2030-02-01\toff\t"), "{out}");
    assert!(out.lines().all(|l| l.split('\t').count() == 3));
}

#[test]
fn bad_input_is_refused_in_vietnamese_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    take_in(dir, "1.004873", "2026-11-02T09:00:00+07:00");
    let db = dir.join("motcua.sqlite");
    let before = common::snapshot(&db);
    let good = common::dossier_json("1.004873", "2026-11-02T10:00:00+07:00");
    let cases: Vec<(String, &str)> = vec![
        (good.replace("022190001234", "02219000123"), "12 chữ số"),
        (good.replace("022190001234", "022090001234"), "022090001234"),
        (good.replace("1990-05-17", "1990-02-30"), "date_of_birth"),
        (good.replace("1.004873", "9.999999"), "Không có thủ tục mã 9.999999"),
        (good.replace("\"email\"", "\"mail\""), "mail"),
        (good.replace("Nguyễn Thị Ngọc Ánh", &"Nguyễn ".repeat(30)), "full_name"),
        (good.replace("Số 12 đường", "Số 12\\u0007 đường"), "address"),
        (good.replace("2026-11-02T10:00:00+07:00", "2030-01-01T10:00:00+07:00"), "tương lai"),
        (good.replace("2026-11-02T10:00:00+07:00", "02/11/2026"), "RFC 3339"),
        ("{\"procedure\": \"1.004873\", \"cccd_qr\": \"034303011829||Nguyễn Thị Hoa|21032003|Nữ|Thái Bình\"}".into(), "7 trường"),
        ("{\"procedure\": \"1.004873\", \"cccd_qr\": \"034303011829||Nguyễn Thị Hoa|31022003|Nữ|Thái Bình|14082021\"}".into(), "Ngày sinh"),
        ("không phải json".into(), "JSON"),
    ];
    for (input, expected) in cases {
        let err = fails(
            motcua(dir)
                .args(["intake", "--json", "-"])
                .write_stdin(input.clone()),
        );
        assert!(err.starts_with("Lỗi: "), "{err}");
        assert!(err.contains(expected), "expected {expected:?} in {err}");
        assert_eq!(
            before,
            common::snapshot(&db),
            "nothing written for {expected}"
        );
    }
    let err = fails(motcua(dir).args(["show", "H22.39.15-260101-0001"]));
    assert!(err.contains("Không tìm thấy hồ sơ"), "{err}");
    let err = fails(motcua(dir).args(["show", "không-phải-mã"]));
    assert!(err.contains("Mã hồ sơ"), "{err}");
    let err = fails(motcua(dir).args(["record", "H22.39.15-261102-0001", "bay-len"]));
    assert!(err.contains("không hợp lệ"), "{err}");
    assert_eq!(before, common::snapshot(&db));

    // A bad unit code creates no database at all.
    let other = tmp.path().join("khac");
    let err = fails(motcua(&other).args([
        "init",
        "--unit-code",
        "h22.39.15",
        "--unit-name",
        "X",
        "--authority",
        "Y",
        "--place",
        "Z",
    ]));
    assert!(
        err.contains("H22.39.15"),
        "suggests the uppercase form: {err}"
    );
    assert!(!other.join("motcua.sqlite").exists());

    // A data directory that cannot be created is named, with the reason, in Vietnamese.
    let file = tmp.path().join("tep-thuong");
    std::fs::write(&file, b"x").expect("writes");
    let err = fails(motcua(&file.join("motcua")).args(["search", "nguyen"]));
    assert!(err.contains("không phải thư mục"), "{err}");
}

#[test]
fn a_newer_or_corrupt_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    let db = dir.join("motcua.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).expect("opens");
        conn.pragma_update(None, "user_version", 99).expect("sets");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("sets");
    }
    let bytes = std::fs::read(&db).expect("reads");
    let err = fails(motcua(dir).args(["search", "nguyen"]));
    assert!(err.contains("phiên bản mới hơn"), "{err}");
    assert_eq!(bytes, std::fs::read(&db).expect("reads"), "not touched");

    std::fs::write(&db, b"this is not a database, but it may be the only copy").expect("writes");
    let bytes = std::fs::read(&db).expect("reads");
    let err = fails(motcua(dir).args(["search", "nguyen"]));
    assert!(err.contains("khôi phục bản sao lưu"), "{err}");
    assert_eq!(
        bytes,
        std::fs::read(&db).expect("reads"),
        "never deleted or rewritten"
    );
}

#[test]
fn the_sample_command_takes_in_a_sample_dossier() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = stdout(motcua(tmp.path()).arg("sample"));
    assert!(out.contains("Đã tiếp nhận hồ sơ mẫu H22.39.15-"), "{out}");
    assert!(out.contains("Nguyễn Thị Hoa"), "{out}");
    let out = stdout(motcua(tmp.path()).arg("sample"));
    assert!(out.contains("2 hồ sơ"), "{out}");
}

#[test]
fn the_report_command_writes_each_format() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    take_in(dir, "1.004873", "2026-05-04T09:00:00+07:00");
    let table = stdout(motcua(dir).args(["report", "--period", "2026-Q2"]));
    assert!(
        table.contains("Từ ngày 01/04/2026 đến ngày 30/06/2026"),
        "{table}"
    );
    assert!(table.contains("Lĩnh vực Hộ tịch"), "{table}");
    let csv = stdout(motcua(dir).args([
        "report",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--format",
        "csv",
    ]));
    // 13 columns; the rate on its own line below the table.
    assert!(csv.contains(",Tổng cộng,1,0,1,0,0,0,0,0,1,0,1\n"), "{csv}");
    assert!(
        csv.contains(",Tỷ lệ hồ sơ giải quyết đúng hạn: chưa có hồ sơ nào"),
        "{csv}"
    );
    let out = dir.join("bao-cao.xlsx");
    motcua(dir)
        .args(["report", "--period", "2026", "--format", "xlsx", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        std::fs::read(&out).expect("written").starts_with(b"PK"),
        "an xlsx (zip) file"
    );
    let err = fails(motcua(dir).args(["report", "--from", "2026-06-30", "--to", "2026-04-01"]));
    assert!(err.contains("sau ngày kết thúc"), "{err}");
    let err = fails(motcua(dir).args(["report", "--period", "2026-Q7"]));
    assert!(err.contains("2026-Q1"), "{err}");
}

/// Runs `motcua ARGS` with its stdout a pipe whose reader is already gone (as
/// `motcua show CODE | head -1` leaves it once `head` has its line).
fn with_stdout_closed(dir: &Path, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::new(assert_cmd::cargo::cargo_bin("motcua"))
        .env("MOTCUA_DATA_DIR", dir)
        .env("MOTCUA_CLERK", "Trần Thị Mai")
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("runs")
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    init(dir);
    take_in(dir, "1.004873", "2026-02-13T10:00:00+07:00");
    for args in [
        &["show", "H22.39.15-260213-0001"][..],
        &["--json", "show", "H22.39.15-260213-0001"],
        &["holidays", "--year", "2026"],
        &["search", "Hoa"],
    ] {
        let out = with_stdout_closed(dir, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: nothing on stderr: {stderr}");
    }
}

#[test]
fn the_sample_command_makes_the_daily_backup() {
    let tmp = tempfile::tempdir().expect("tempdir");
    stdout(motcua(tmp.path()).arg("sample"));
    let backups: Vec<String> = std::fs::read_dir(tmp.path().join("backups"))
        .expect("backup folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("daily-") && n.ends_with(".sqlite"))
        .collect();
    assert_eq!(backups.len(), 1, "today's backup: {backups:?}");
}
