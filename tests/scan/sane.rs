//! Scanning through SANE's own `test` device (`scanimage -d test`), read back from the
//! PDF the pages became; and the errors a clerk meets, in Vietnamese.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use motcua::documents::{Profile, pages_to_pdf, thumbnails};
use motcua::domain::document::DocumentLimits;
use motcua::scan::{SaneScanner, ScanError, ScanJob, ScanMode, Scanner};

use crate::common::missing_tool;
use crate::{dark_share, page_sizes};

fn have_scanimage() -> bool {
    let ok = std::process::Command::new("scanimage")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing_tool("scanimage (gói sane-utils)");
    }
    ok
}

/// The test device with a black-and-white grid over its whole bed (200 × 200 mm).
fn test_scanner() -> SaneScanner {
    SaneScanner::default().with_args(["--test-picture", "Grid", "-x", "200", "-y", "200"])
}

/// The test device's bed at 200 dpi (1574 pixels a side), in points.
fn is_test_bed((w, h): (f32, f32)) -> bool {
    (w - 566.6).abs() < 1.0 && (h - 566.6).abs() < 1.0
}

fn job(feeder: bool, max_pages: u32) -> ScanJob {
    ScanJob {
        device: Some("test".into()),
        dpi: 200,
        mode: ScanMode::Grey,
        feeder,
        max_pages,
    }
}

#[test]
fn three_pages_from_the_feeder_become_one_pdf_read_back_with_its_page_size_and_ink() {
    if !have_scanimage() {
        return;
    }
    let scanned = test_scanner()
        .scan(&job(true, 3), &AtomicBool::new(false))
        .expect("the test device scans");
    assert_eq!(scanned.pages.len(), 3);
    let doc = pages_to_pdf(
        "Giấy tờ quét",
        &scanned.pages,
        &Profile::default(),
        &DocumentLimits::default(),
    )
    .expect("pages become a PDF");
    assert_eq!(doc.name, "Giấy tờ quét.pdf");
    assert_eq!(doc.pages, 3);
    let sizes = page_sizes(&doc.bytes);
    assert_eq!(sizes.len(), 3);
    assert!(sizes.iter().all(|s| is_test_bed(*s)), "{sizes:?}");
    let thumbs = thumbnails(&doc.bytes, 200, 10).expect("thumbnails");
    assert_eq!(thumbs.len(), 3);
    for t in &thumbs {
        // A grid of black lines on white: ink, but mostly paper.
        let dark = dark_share(t);
        assert!(dark > 0.01 && dark < 0.6, "dark share {dark}");
    }
    // The temporary pages go with the scan.
    let first = scanned.pages[0].clone();
    drop(scanned);
    assert!(!first.exists());
}

#[test]
fn the_feeder_runs_until_it_is_empty_and_the_glass_gives_one_page() {
    if !have_scanimage() {
        return;
    }
    // The test device's feeder holds 10 sheets.
    let all = test_scanner()
        .scan(&job(true, 50), &AtomicBool::new(false))
        .expect("scans");
    assert_eq!(all.pages.len(), 10);
    let one = test_scanner()
        .scan(&job(false, 50), &AtomicBool::new(false))
        .expect("scans");
    assert_eq!(one.pages.len(), 1);
}

#[test]
fn colour_and_black_white_scans_make_pdfs_too() {
    if !have_scanimage() {
        return;
    }
    for mode in [ScanMode::Colour, ScanMode::BlackWhite] {
        let scanned = test_scanner()
            .scan(
                &ScanJob {
                    mode,
                    ..job(false, 1)
                },
                &AtomicBool::new(false),
            )
            .expect("scans");
        let profile = Profile {
            mode,
            ..Profile::default()
        };
        let doc = pages_to_pdf("Màu", &scanned.pages, &profile, &DocumentLimits::default())
            .expect("a PDF");
        assert!(is_test_bed(page_sizes(&doc.bytes)[0]));
        let dark = dark_share(&thumbnails(&doc.bytes, 200, 1).expect("thumbnail")[0]);
        assert!(dark > 0.01 && dark < 0.6, "{mode:?}: dark share {dark}");
    }
}

#[test]
fn no_scanner_and_no_scanimage_are_clear_vietnamese_errors() {
    if !have_scanimage() {
        return;
    }
    let err = test_scanner()
        .scan(
            &ScanJob {
                device: Some("khongco:0".into()),
                ..job(false, 1)
            },
            &AtomicBool::new(false),
        )
        .expect_err("no such scanner");
    assert_eq!(err, ScanError::NoScanner(" 'khongco:0'".into()));
    assert!(
        err.to_string()
            .starts_with("Không tìm thấy máy quét 'khongco:0'")
    );

    let none = SaneScanner::default().with_program("/không/có/scanimage");
    let err = none
        .scan(&job(false, 1), &AtomicBool::new(false))
        .expect_err("no program");
    assert_eq!(err, ScanError::NoSoftware);
    assert!(err.to_string().contains("sane-utils"));
    assert_eq!(none.devices(), Err(ScanError::NoSoftware));
}

#[test]
fn a_paper_jam_is_reported_in_vietnamese() {
    if !have_scanimage() {
        return;
    }
    let err = test_scanner()
        .with_args(["--read-return-value", "SANE_STATUS_JAMMED"])
        .scan(&job(true, 3), &AtomicBool::new(false))
        .expect_err("jammed");
    assert_eq!(err, ScanError::Device("kẹt giấy".into()));
}

/// The test device made slow: a 200 ms pause after every 64 bytes.
fn slow_scanner() -> SaneScanner {
    test_scanner().with_args([
        "--read-limit=yes",
        "--read-limit-size",
        "64",
        "--read-delay=yes",
        "--read-delay-duration",
        "200000",
    ])
}

#[test]
fn a_scan_is_cancelled_by_the_clerk() {
    if !have_scanimage() {
        return;
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        flag.store(true, Ordering::Relaxed);
    });
    let started = Instant::now();
    let err = slow_scanner()
        .scan(&job(false, 1), &cancel)
        .expect_err("cancelled");
    canceller.join().expect("joins");
    assert_eq!(err, ScanError::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_scanner_that_stops_answering_times_out() {
    if !have_scanimage() {
        return;
    }
    let started = Instant::now();
    let err = slow_scanner()
        .with_stall_timeout(Duration::from_secs(1))
        .scan(&job(false, 1), &AtomicBool::new(false))
        .expect_err("times out");
    assert_eq!(err, ScanError::TimedOut(1));
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_test_device_is_listed_when_sane_is_configured_for_it() {
    if !have_scanimage() {
        return;
    }
    let conf = tempfile::tempdir().expect("temp dir");
    std::fs::write(conf.path().join("dll.conf"), "test\n").expect("writes");
    let devices = SaneScanner::default()
        .with_env("SANE_CONFIG_DIR", conf.path())
        .devices()
        .expect("lists");
    assert!(
        devices.iter().any(|d| d.name.starts_with("test:")),
        "{devices:?}"
    );
}
