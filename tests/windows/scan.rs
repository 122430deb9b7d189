//! Scanning on Windows, under Wine: motcua.exe's TWAIN code path through Wine's own
//! data source manager (`twain_32.dll`) and the test source `twain_test_source.c`,
//! built here and installed over the prefix's `c:\windows\twain_64\sane.ds` (the one
//! 64-bit file, with `gphoto2.ds`, that Wine's manager loads). The source's feeder
//! holds `MOTCUA_TEST_TWAIN_PAGES` numbered pages.

use super::*;

const DATA: &str = r"C:\motcua-quet";

/// Builds the test source over the prefix's `sane.ds` (idempotent).
fn install_test_source(prefix: &Prefix) {
    let ds = prefix.dir.join("drive_c/windows/twain_64/sane.ds");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows/twain_test_source.c");
    let built = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-shared", "-O2", "-o"])
        .arg(&ds)
        .arg(src)
        .output()
        .expect("mingw-w64 gcc runs");
    assert!(
        built.status.success(),
        "test source: {}",
        text(&built.stderr)
    );
}

/// `motcua document scan CODE --item "Tờ khai" [--feeder]` with the feeder holding
/// `pages` sheets; `extra` more environment.
fn scan(
    prefix: &Prefix,
    exe: &Path,
    code: &str,
    feeder: bool,
    pages: u32,
    extra: &[(&str, &str)],
) -> Output {
    let mut cmd = prefix.wine(exe);
    cmd.env("MOTCUA_DATA_DIR", DATA)
        .env("MOTCUA_TEST_TWAIN_PAGES", pages.to_string())
        .args(["--json", "document", "scan", code, "--item", "Tờ khai"]);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    if feeder {
        cmd.arg("--feeder");
    }
    cmd.output().expect("wine runs")
}

/// The page counts of the dossier's documents, in the order attached.
fn document_pages(prefix: &Prefix, exe: &Path, code: &str) -> Vec<u64> {
    let out = run(
        prefix
            .wine(exe)
            .env("MOTCUA_DATA_DIR", DATA)
            .args(["--json", "document", "list", code]),
        "document list",
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("list json");
    v["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["pages"].as_u64().expect("pages"))
        .collect()
}

#[test]
fn twain_scans_under_wine_the_feeder_into_one_document_the_glass_into_one_page() {
    let Some(exe) = exe() else { return };
    let guard = desk_prefix();
    let prefix = guard.as_ref().expect("prefix");
    install_test_source(prefix);
    let work = tempfile::tempdir().expect("tempdir");
    let code = init_and_take_in(prefix, &exe, Some(DATA), &work.path().join("quet.json"));
    let db = prefix.dir.join("drive_c/motcua-quet/motcua.sqlite");
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "INSERT INTO settings(key, value) VALUES('scan_dpi', '100')
                 ON CONFLICT(key) DO UPDATE SET value = '100'",
                [],
            )
        })
        .expect("sets the resolution");

    // N: the whole feeder, native transfer, one 5-page document.
    let started = Instant::now();
    let out = ok(scan(prefix, &exe, &code, true, 5, &[]), "scan --feeder");
    eprintln!(
        "TWAIN feeder scan of 5 pages at 100 dpi: {:?}",
        started.elapsed()
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("scan json");
    assert_eq!(v["attached"]["pages"], 5, "{out}");
    assert_eq!(document_pages(prefix, &exe, &code), vec![5]);
    let sha = v["attached"]["sha256"]
        .as_str()
        .expect("sha256")
        .to_string();

    // Q: one page from the glass, whatever the feeder holds.
    ok(scan(prefix, &exe, &code, false, 5, &[]), "scan (glass)");
    assert_eq!(document_pages(prefix, &exe, &code), vec![5, 1]);

    // Memory transfer, in colour: the same pipeline.
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "INSERT INTO settings(key, value) VALUES('scan_mode', 'colour')
                 ON CONFLICT(key) DO UPDATE SET value = 'colour'",
                [],
            )
        })
        .expect("sets colour");
    ok(
        scan(
            prefix,
            &exe,
            &code,
            true,
            3,
            &[("MOTCUA_TWAIN_TRANSFER", "memory")],
        ),
        "scan --feeder (memory transfer)",
    );
    assert_eq!(document_pages(prefix, &exe, &code), vec![5, 1, 3]);

    // An empty feeder: the Vietnamese message, nothing attached.
    let empty = scan(prefix, &exe, &code, true, 0, &[]);
    assert!(!empty.status.success());
    let err = text(&empty.stderr);
    assert!(err.contains("Khay nạp giấy không có giấy"), "{err}");

    // A jam on the second sheet: said so, and no half document.
    let jam = scan(
        prefix,
        &exe,
        &code,
        true,
        4,
        &[("MOTCUA_TEST_TWAIN_JAM", "2")],
    );
    assert!(!jam.status.success());
    let err = text(&jam.stderr);
    assert!(err.contains("kẹt giấy"), "{err}");
    assert_eq!(document_pages(prefix, &exe, &code), vec![5, 1, 3]);

    // The scanned document printed through Windows (GDI) into the cups-pdf queue.
    if !common::cups_running() {
        assert!(!in_ci(), "CUPS must run in CI (.ci/setup starts it)");
        eprintln!("BỎ QUA: CUPS không chạy");
        return;
    }
    let before = common::cups_pdf_outputs();
    let started = Instant::now();
    let out = run(
        prefix.wine(&exe).env("MOTCUA_DATA_DIR", DATA).args([
            "document",
            "print",
            &code,
            &sha,
            "--printer",
            "PDF",
        ]),
        "document print",
    );
    eprintln!(
        "stored document printed through GDI: handed over in {:?}",
        started.elapsed()
    );
    let arrived = loop {
        let new: Vec<_> = common::cups_pdf_outputs()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if let Some(p) = new.into_iter().next() {
            std::thread::sleep(Duration::from_secs(2));
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no PDF arrived from the document print job: {out}"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let info = ok(
        Command::new("pdfinfo")
            .arg(&arrived)
            .output()
            .expect("pdfinfo runs"),
        "pdfinfo",
    );
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 5")),
        "five sheets: {info}"
    );
    assert_paper(&arrived, (595, 842), "A4 portrait");
    let _ = std::fs::remove_file(&arrived);
}
