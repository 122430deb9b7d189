//! Figures for digitised documents (issue 15), printed, not asserted:
//! - bytes per A4 page at the default settings (goal ≤ 150 KB greyscale), on a
//!   realistic page: motcua's own Mẫu 06 rendered at 200 dpi greyscale (pdftoppm),
//!   committed as tests/fixtures/documents/mau06-a4-200dpi.png, clean and made to look
//!   scanned (paper tone, noise, blur); the JPEG quality sweep on a photo;
//! - scan → NewDocument per page through SANE's `test` device at the defaults
//!   (200 dpi, grey, its whole 200 × 200 mm bed, "Color pattern" picture), 10 pages
//!   from its feeder;
//! - import time of a 20-page PDF (its checks; the bytes are kept as they are).
//!
//! Run with `cargo bench --bench document_figures` (`--profile dev` is quicker to
//! build: the image and PDF crates are optimised there too).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use motcua::documents::{Profile, import_file, pages_to_pdf};
use motcua::domain::document::DocumentLimits;
use motcua::scan::{SaneScanner, ScanJob, ScanMode, Scanner};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/documents")
        .join(name)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// `page` with a paper tone, noise and a slight blur, as a flatbed scanner returns it.
fn scanned_look(page: &Path) -> image::GrayImage {
    let clean = image::open(page).expect("the fixture decodes").to_luma8();
    let blurred = image::imageops::blur(&clean, 0.6);
    let mut rng = fastrand::Rng::with_seed(15);
    image::GrayImage::from_fn(blurred.width(), blurred.height(), |x, y| {
        let ink = 255 - i32::from(blurred.get_pixel(x, y).0[0]);
        let v = 235 - ink * 220 / 255 + rng.i32(-6..=6);
        image::Luma([v.clamp(0, 255) as u8])
    })
}

fn main() {
    let limits = DocumentLimits::default();
    let page = fixture("mau06-a4-200dpi.png");

    println!("== Bytes per A4 page at the defaults (200 dpi, grey)");
    let one = |path: &Path, profile: &Profile| {
        pages_to_pdf("trang", &[path.to_path_buf()], profile, &limits)
            .expect("a PDF")
            .bytes
            .len()
    };
    let defaults = Profile::default();
    println!(
        "  Mẫu 06 rendered at 200 dpi (1654 × 2339, clean):          {:>9}",
        kb(one(&page, &defaults))
    );
    // A scanner's page: paper tone, sensor noise, a slight blur of the print.
    let dir = tempfile::tempdir().expect("temp dir");
    let scanned = dir.path().join("scanned.png");
    scanned_look(&page).save(&scanned).expect("writes");
    println!(
        "  the same page made to look scanned (paper 235, noise ±6): {:>9}",
        kb(one(&scanned, &defaults))
    );
    for mode in [ScanMode::BlackWhite, ScanMode::Colour] {
        let profile = Profile {
            mode,
            ..Profile::default()
        };
        println!(
            "  Mẫu 06 clean, {:<11}:                             {:>9}",
            mode.as_str(),
            kb(one(&page, &profile))
        );
    }
    println!("  JPEG quality sweep on photo.jpg (800 × 600; photos stay JPEG):");
    for quality in [30u8, 40, 50, 60, 75] {
        let profile = Profile {
            jpeg_quality: quality,
            ..Profile::default()
        };
        let mark = if quality == defaults.jpeg_quality {
            "  ← default"
        } else {
            ""
        };
        println!(
            "    quality {quality:>3}: {:>9}{mark}",
            kb(one(&fixture("photo.jpg"), &profile))
        );
    }
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let _ = pages_to_pdf(
                "trang",
                std::slice::from_ref(&page),
                &Profile::default(),
                &limits,
            )
            .expect("a PDF");
            t.elapsed()
        })
        .collect();
    println!(
        "  one A4 page PNG → PDF at the defaults: {:?} (median of 5)",
        median(runs)
    );

    println!("== Scan → NewDocument through SANE's test device (200 dpi, grey, 200 × 200 mm)");
    let scanner = SaneScanner::default().with_args([
        "--test-picture",
        "Color pattern",
        "-x",
        "200",
        "-y",
        "200",
    ]);
    let profile = Profile::default();
    let job = ScanJob {
        device: Some("test".into()),
        dpi: profile.dpi,
        mode: profile.mode,
        feeder: true,
        max_pages: 10,
    };
    let t = Instant::now();
    match scanner.scan(&job, &AtomicBool::new(false)) {
        Ok(scanned) => {
            let scanned_in = t.elapsed();
            let doc = pages_to_pdf("quét", &scanned.pages, &profile, &limits).expect("a PDF");
            let total = t.elapsed();
            let n = scanned.pages.len() as u32;
            println!(
                "  {n} pages: scan {:?}, to PDF {:?}; per page {:?}; {} per page",
                scanned_in,
                total - scanned_in,
                total / n.max(1),
                kb(doc.bytes.len() / n.max(1) as usize)
            );
        }
        Err(e) => println!("  (no figure: {e})"),
    }

    println!("== Import of a 20-page PDF");
    let pages: Vec<PathBuf> = std::iter::repeat_n(page.clone(), 20).collect();
    let twenty = pages_to_pdf("20 trang", &pages, &Profile::default(), &limits).expect("a PDF");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("20 trang.pdf");
    std::fs::write(&path, &twenty.bytes).expect("writes");
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let doc = import_file(&path, &Profile::default(), &limits).expect("imports");
            assert_eq!(doc.pages, 20);
            t.elapsed()
        })
        .collect();
    println!(
        "  {} (20 scanned A4 pages): {:?} (median of 5)",
        kb(twenty.bytes.len()),
        median(runs)
    );
    let printed = fixture("mau01-a4.pdf");
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let _ = import_file(&printed, &Profile::default(), &limits).expect("imports");
            t.elapsed()
        })
        .collect();
    println!(
        "  Mẫu 01 printed by motcua (1 page, text): {:?} (median of 5)",
        median(runs)
    );
}
