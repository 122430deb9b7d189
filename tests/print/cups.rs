//! Printing for real through CUPS to the cups-pdf queue `.ci/run` creates, and the
//! ways printing fails without losing the PDF.

use super::*;

/// The PDF cups-pdf writes for the job `lp` answered in `out` ("… PDF-12 …"): it ends
/// its file names with "job_12", so parallel tests never take each other's pages.
/// Waits until the file is a whole PDF.
fn arrived_job(out: &str) -> PathBuf {
    let id = out
        .split(&format!("{QUEUE}-"))
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| panic!("no job id in: {out}"))
        .to_string();
    let suffix = format!("job_{id}.pdf");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let ready = common::cups_pdf_outputs().into_iter().find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(&suffix))
                && Process::new("pdfinfo")
                    .arg(p)
                    .output()
                    .is_ok_and(|o| o.status.success())
        });
        if let Some(p) = ready {
            return p;
        }
        assert!(
            Instant::now() < deadline,
            "job {QUEUE}-{id}: no PDF arrived within 90 s"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
#[should_panic(expected = "CI=true needs it")]
fn in_ci_a_missing_tool_fails_the_test() {
    common::missing_tool_in(Some("true"), "dịch vụ in CUPS không chạy trên máy này");
}

#[test]
fn outside_ci_a_missing_tool_skips_the_test() {
    common::missing_tool_in(None, "dịch vụ in CUPS không chạy trên máy này");
    common::missing_tool_in(Some("false"), "dịch vụ in CUPS không chạy trên máy này");
}

#[test]
fn printing_through_cups_delivers_the_receipt_and_failures_keep_the_pdf() {
    if !common::cups_running() {
        common::missing_tool("dịch vụ in CUPS không chạy trên máy này");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let code = one_dossier(dir);

    // An unknown printer: a plain Vietnamese error, the PDF is kept and named.
    let out = motcua(dir)
        .args([
            "print",
            &code,
            "--form",
            "01",
            "--printer",
            "KHONG_CO_MAY_IN",
        ])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    let kept = dir.join(format!("prints/{code}-mau01.pdf"));
    assert!(
        err.contains("không có máy in tên 'KHONG_CO_MAY_IN'"),
        "{err}"
    );
    assert!(err.contains(kept.to_str().expect("path")), "{err}");
    assert!(kept.exists());

    // CUPS unreachable: also worded, also kept.
    let out = motcua(dir)
        .env("CUPS_SERVER", "127.0.0.1:9")
        .args(["print", &code, "--form", "01", "--printer", QUEUE])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("Lỗi: không in được: dịch vụ in (CUPS) không chạy"),
        "{err}"
    );
    assert!(err.contains("Tệp PDF vẫn được lưu tại"), "{err}");

    // The real queue: a job id, and the PDF that arrives carries the receipt. cups-pdf
    // re-renders the job through PostScript, which turns the text into Type 3 glyphs
    // without usable Unicode, so the arrival is checked by its QR code.
    let out = ok(motcua(dir).args([
        "print",
        &code,
        "--form",
        "01",
        "--printer",
        QUEUE,
        "--copies",
        "1",
    ]));
    assert!(out.contains(&format!("Đã gửi lệnh in {QUEUE}-")), "{out}");
    let arrived = arrived_job(&out);
    assert_eq!(page_count(&arrived), 1, "the A4 sheet with both copies");
    let decoded = decode_page(&arrived, 1, dir);
    assert_eq!(
        decoded.matches(&format!("QR-Code:{code}")).count(),
        2,
        "{decoded}"
    );
    let _ = std::fs::remove_file(arrived);
    assert!(motcua::print::cups::printers().iter().any(|p| p == QUEUE));
}

/// A digitised document (an imported PDF) printed through the real queue: the pages
/// that arrive are the document's.
#[test]
fn a_digitised_document_is_printed_through_cups() {
    if !common::cups_running() {
        common::missing_tool("dịch vụ in CUPS không chạy trên máy này");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let code = one_dossier(dir);
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents/mau01-a4.pdf");
    let out = ok(motcua(dir)
        .args(["--json", "document", "attach", &code, "--item", "Tờ khai"])
        .arg(&pdf));
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let sha = json["attached"]["sha256"]
        .as_str()
        .expect("sha")
        .to_string();
    let out = ok(motcua(dir).args(["document", "print", &code, &sha, "--printer", QUEUE]));
    assert!(out.contains(&format!("Đã gửi lệnh in {QUEUE}-")), "{out}");
    let arrived = arrived_job(&out);
    assert_eq!(page_count(&arrived), page_count(&pdf));
    let _ = std::fs::remove_file(arrived);
}

/// Runs a CUPS admin command, panicking with its output on failure.
fn admin(cmd: &str, args: &[&str]) {
    let out = Process::new(cmd)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_paused_queue_holds_the_job_and_a_rejecting_one_refuses_it_in_plain_words() {
    if !common::cups_running() {
        common::missing_tool("dịch vụ in CUPS không chạy trên máy này");
        return;
    }
    // A queue of its own, so the shared PDF queue is never paused.
    let queue = "MOTCUA_TAM_DUNG";
    admin(
        "lpadmin",
        &[
            "-p",
            queue,
            "-v",
            "cups-pdf:/",
            "-m",
            "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
            "-E",
        ],
    );
    admin("cupsdisable", &[queue]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let code = one_dossier(dir);

    let out = ok(motcua(dir).args(["print", &code, "--form", "01", "--printer", queue]));
    assert!(out.contains(&format!("Đã gửi lệnh in {queue}-")), "{out}");
    assert!(
        out.contains(&format!("Lưu ý: máy in '{queue}' đang tạm dừng")),
        "{out}"
    );

    admin("cupsreject", &[queue]);
    let out = motcua(dir)
        .args(["print", &code, "--form", "01", "--printer", queue])
        .output()
        .expect("runs");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("máy in '{queue}' đang từ chối nhận lệnh in")),
        "{err}"
    );
    assert!(dir.join(format!("prints/{code}-mau01.pdf")).exists());

    // Leave nothing queued behind.
    admin("cancel", &["-a", queue]);
    admin("cupsaccept", &[queue]);
    admin("cupsenable", &[queue]);
}
