//! Real files imported: kept byte for byte (PDF) or made a compact PDF (images).

use std::path::PathBuf;

use motcua::desk::settings::ScanMode;
use motcua::documents::{Profile, import_file, import_files, pages_to_pdf, thumbnails};
use motcua::domain::document::{DocumentLimits, MediaType};

use crate::{dark_share, fixture, is_a4_portrait, page_sizes};

#[test]
fn a_pdf_printed_by_motcua_is_kept_byte_for_byte() {
    let path = fixture("mau01-a4.pdf");
    let doc = import_file(&path, &Profile::default(), &DocumentLimits::default())
        .expect("a real PDF is accepted");
    assert_eq!(doc.bytes, std::fs::read(&path).expect("reads"));
    assert_eq!(doc.name, "mau01-a4.pdf");
    assert_eq!(doc.media_type, MediaType::Pdf);
    assert_eq!(doc.pages, 1);
    let thumbs = thumbnails(&doc.bytes, 200, 4).expect("thumbnails");
    assert_eq!(thumbs.len(), 1);
    assert_eq!((thumbs[0].width, thumbs[0].height), (200, 141));
}

/// Luma of the pixel at (x, y).
fn luma_at(t: &motcua::documents::Thumbnail, x: u32, y: u32) -> u32 {
    let i = ((y * t.width + x) * 4) as usize;
    (u32::from(t.rgba[i]) + u32::from(t.rgba[i + 1]) + u32::from(t.rgba[i + 2])) / 3
}

#[test]
fn a_text_pdf_page_is_drawn_with_its_text_not_a_stand_in() {
    let bytes = std::fs::read(fixture("mau01-a4.pdf")).expect("reads");
    let thumbs = thumbnails(&bytes, 200, 1).expect("thumbnails");
    let t = &thumbs[0];
    assert_eq!((t.width, t.height), (200, 141));
    // The title «GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ» stands at 76–353 × 78–91 pt
    // on the 842 × 595 pt page: x 18–84, y 18–22 at this size. Its strokes are dark.
    let title: Vec<u32> = (18..84)
        .flat_map(|x| (18..22).map(move |y| (x, y)))
        .map(|(x, y)| luma_at(t, x, y))
        .collect();
    let darkest = title.iter().copied().min().expect("pixels");
    let inked = title.iter().filter(|l| **l < 160).count() as f64 / title.len() as f64;
    assert!(darkest < 100, "darkest title pixel {darkest}");
    assert!(inked > 0.1, "inked share of the title {inked}");
    // The empty band right of the left copy's title (x 90–98, y 18–22) stays paper.
    let paper = (90..98)
        .flat_map(|x| (18..22).map(move |y| (x, y)))
        .all(|(x, y)| luma_at(t, x, y) > 230);
    assert!(paper, "the band beside the title is white");
}

#[test]
fn a_page_at_200_dpi_becomes_a_compact_a4_pdf_that_is_not_blank() {
    let doc = import_file(
        &fixture("mau06-a4-200dpi.png"),
        &Profile::default(),
        &DocumentLimits::default(),
    )
    .expect("a real PNG is accepted");
    assert_eq!(doc.name, "mau06-a4-200dpi.pdf");
    assert_eq!(doc.media_type, MediaType::Pdf);
    assert_eq!(doc.pages, 1);
    let sizes = page_sizes(&doc.bytes);
    assert!(is_a4_portrait(sizes[0]), "page size {:?}", sizes[0]);
    assert!(
        doc.bytes.len() <= 150 * 1024,
        "an A4 page at the defaults is {} bytes",
        doc.bytes.len()
    );
    let thumbs = thumbnails(&doc.bytes, 300, 1).expect("thumbnails");
    // A printed form: mostly paper, some ink.
    let dark = dark_share(&thumbs[0]);
    assert!(dark > 0.005 && dark < 0.5, "dark share {dark}");
}

#[test]
fn a_photo_becomes_a_one_page_pdf_sized_to_it_at_the_profile_resolution() {
    let doc = import_file(
        &fixture("photo.jpg"),
        &Profile::default(),
        &DocumentLimits::default(),
    )
    .expect("a real JPEG is accepted");
    assert_eq!(doc.name, "photo.pdf");
    assert_eq!(doc.pages, 1);
    // 800 × 600 pixels at 200 dpi: 288 × 216 points.
    let (w, h) = page_sizes(&doc.bytes)[0];
    assert!(
        (w - 288.0).abs() < 0.5 && (h - 216.0).abs() < 0.5,
        "{w} × {h}"
    );
    let thumbs = thumbnails(&doc.bytes, 100, 1).expect("thumbnails");
    assert_eq!((thumbs[0].width, thumbs[0].height), (100, 75));
    let luma = thumbs[0].mean_luma();
    assert!(luma > 20.0 && luma < 235.0, "mean luma {luma}");
}

#[test]
fn several_images_become_one_pdf_in_the_order_given() {
    let paths: Vec<PathBuf> = vec![fixture("photo.jpg"), fixture("mau06-a4-200dpi.png")];
    let doc = import_files(
        "Giấy tờ kèm theo",
        &paths,
        &Profile::default(),
        &DocumentLimits::default(),
    )
    .expect("two images make one document");
    assert_eq!(doc.name, "Giấy tờ kèm theo.pdf");
    assert_eq!(doc.pages, 2);
    let sizes = page_sizes(&doc.bytes);
    assert!(
        (sizes[0].0 - 288.0).abs() < 0.5,
        "page 1 is the photo: {sizes:?}"
    );
    assert!(is_a4_portrait(sizes[1]), "page 2 is the form: {sizes:?}");
    let thumbs = thumbnails(&doc.bytes, 64, 10).expect("thumbnails");
    assert_eq!(thumbs.len(), 2);
    assert!(thumbs[0].width > thumbs[0].height && thumbs[1].width < thumbs[1].height);
}

#[test]
fn an_oversized_photo_is_scaled_to_fit_a4_at_the_profile_resolution() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ảnh chụp CCCD.png");
    let big = image::GrayImage::from_fn(4000, 3000, |x, y| {
        image::Luma([((x / 16 + y / 16) % 2 * 200) as u8])
    });
    big.save(&path).expect("writes the PNG");
    let doc = import_file(&path, &Profile::default(), &DocumentLimits::default())
        .expect("a large photo is accepted");
    assert_eq!(doc.name, "ảnh chụp CCCD.pdf");
    // Landscape A4 at 200 dpi is 2339 × 1654 pixels: the photo is scaled to 2205 × 1654.
    let (w, h) = page_sizes(&doc.bytes)[0];
    assert!(
        (w - 793.8).abs() < 0.5 && (h - 595.44).abs() < 0.5,
        "{w} × {h}"
    );
}

/// Poppler's `pdftoppm` reads the pages this desk writes (16-level grey with PNG
/// predictors, 1-bit, JPEG grey and colour): an independent reader, not our decoder.
#[test]
fn a_real_pdf_reader_renders_every_kind_of_page_with_ink_on_it() {
    if std::process::Command::new("pdftoppm")
        .arg("-v")
        .output()
        .is_err()
    {
        crate::common::missing_tool("pdftoppm (gói poppler-utils)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = [fixture("mau06-a4-200dpi.png"), fixture("photo.jpg")];
    for mode in [ScanMode::Grey, ScanMode::BlackWhite, ScanMode::Colour] {
        let profile = Profile {
            mode,
            ..Profile::default()
        };
        let doc = pages_to_pdf("x", &pages, &profile, &DocumentLimits::default()).expect("a PDF");
        let pdf = dir.path().join(format!("{}.pdf", mode.as_str()));
        std::fs::write(&pdf, &doc.bytes).expect("writes");
        let out = dir.path().join(mode.as_str());
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "30", "-gray", "-png"])
            .arg(&pdf)
            .arg(&out)
            .status()
            .expect("runs pdftoppm");
        assert!(status.success(), "{mode:?}");
        // A4 and 800 × 600 pixels at 200 dpi, rendered at 30 dpi.
        for (n, (w, h)) in [(1, (248u32, 351u32)), (2, (120, 90))] {
            let png = dir.path().join(format!("{}-{n}.png", mode.as_str()));
            let page = image::open(&png).expect("rendered").to_luma8();
            let (pw, ph) = page.dimensions();
            assert!(
                pw.abs_diff(w) <= 1 && ph.abs_diff(h) <= 1,
                "{mode:?} page {n}: {pw} × {ph}"
            );
            let inked = page.pixels().filter(|p| p.0[0] < 200).count();
            assert!(
                inked * 200 > page.len(),
                "{mode:?} page {n}: {inked} inked pixels"
            );
        }
    }
}

/// A scanned PDF made elsewhere (one JPEG per page, written by another program): kept
/// as it is, and its thumbnail is the real page, not the placeholder.
#[test]
fn a_scanned_pdf_from_elsewhere_is_kept_and_shows_its_page() {
    let path = fixture("scan-from-elsewhere.pdf");
    let doc =
        import_file(&path, &Profile::default(), &DocumentLimits::default()).expect("accepted");
    assert_eq!(doc.bytes, std::fs::read(&path).expect("reads"));
    assert_eq!(doc.pages, 1);
    let thumbs = thumbnails(&doc.bytes, 120, 4).expect("thumbnails");
    assert_eq!((thumbs[0].width, thumbs[0].height), (85, 120));
    let dark = dark_share(&thumbs[0]);
    assert!(dark > 0.005 && dark < 0.5, "dark share {dark}");
}
