use super::*;

const LIMIT: PageLimit = PageLimit {
    max_pixels: 1_000_000,
    max_side: 2_000,
};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_source_is_the_one_named_in_the_settings_else_the_first_that_is_not_a_camera() {
    let found = names(&["Gphoto2 Camera", "Canon DR-C225", "HP ScanJet"]);
    assert_eq!(pick_source(&found, None), Ok("Canon DR-C225".into()));
    assert_eq!(
        pick_source(&found, Some("  hp scanjet ")),
        Ok("HP ScanJet".into())
    );
    assert_eq!(
        pick_source(&found, Some("Epson")),
        Err(TwainFailure::NoSource {
            wanted: Some("Epson".into()),
            found: found.clone()
        })
    );
    assert!(pick_source(&names(&["Gphoto2 Camera"]), None).is_err());
    assert!(pick_source(&[], Some("")).is_err());
}

#[test]
fn twain_condition_codes_become_the_same_messages_as_sane() {
    let call = |condition| TwainFailure::Call {
        step: "nhận trang",
        condition,
    };
    assert_eq!(scan_error(call(29), None), ScanError::NoPaper);
    assert_eq!(
        scan_error(call(20), None),
        ScanError::Device("kẹt giấy".into())
    );
    assert_eq!(
        scan_error(call(3), Some("Canon")),
        ScanError::NoScanner(" 'Canon'".into())
    );
    assert_eq!(
        scan_error(call(4), None),
        ScanError::Device("máy quét đang bận (một chương trình khác đang dùng)".into())
    );
    assert_eq!(
        scan_error(call(99), None),
        ScanError::Device("lỗi khi nhận trang (mã TWAIN 99)".into())
    );
    assert_eq!(
        scan_error(TwainFailure::Stalled(90), None),
        ScanError::TimedOut(90)
    );
    assert!(
        scan_error(TwainFailure::NoManager, None)
            .to_string()
            .contains("chưa cài trình điều khiển TWAIN")
    );
    let none = scan_error(
        TwainFailure::NoSource {
            wanted: None,
            found: names(&["Gphoto2 Camera"]),
        },
        None,
    );
    assert!(none.to_string().contains("Gphoto2 Camera"), "{none}");
}

/// A packed DIB: header, palette, rows as given (already bottom-up and padded).
fn dib(width: i32, height: i32, bits: u16, palette: &[[u8; 4]], rows: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(40u32.to_le_bytes());
    b.extend(width.to_le_bytes());
    b.extend(height.to_le_bytes());
    b.extend(1u16.to_le_bytes());
    b.extend(bits.to_le_bytes());
    b.extend([0u8; 16]);
    b.extend((palette.len() as u32).to_le_bytes());
    b.extend([0u8; 4]);
    for q in palette {
        b.extend(q);
    }
    b.extend(rows);
    b
}

#[test]
fn a_native_dib_is_read_bottom_up_in_bgr_with_padded_rows() {
    // 2 × 2, 24-bit: stored bottom row first; each row 6 bytes padded to 8.
    let rows = [
        0, 0, 255, 255, 0, 0, 0, 0, // bottom: red, blue
        255, 255, 255, 0, 255, 0, 0, 0, // top: white, green
    ];
    let img = dib_to_image(&dib(2, 2, 24, &[], &rows), LIMIT)
        .expect("reads")
        .to_rgb8();
    assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255]);
    assert_eq!(img.get_pixel(1, 0).0, [0, 255, 0]);
    assert_eq!(img.get_pixel(0, 1).0, [255, 0, 0]);
    assert_eq!(img.get_pixel(1, 1).0, [0, 0, 255]);
    // A negative height is top-down.
    let img = dib_to_image(&dib(2, -2, 24, &[], &rows), LIMIT)
        .expect("reads")
        .to_rgb8();
    assert_eq!(img.get_pixel(0, 0).0, [255, 0, 0]);
}

#[test]
fn palette_dibs_become_grey_through_their_palette() {
    // 1-bit, 10 wide: palette 0 white, 1 black (inverted on purpose); rows 4 bytes.
    let palette = [[255, 255, 255, 0], [0, 0, 0, 0]];
    let rows = [0b1000_0000, 0b0100_0000, 0, 0];
    let img = dib_to_image(&dib(10, 1, 1, &palette, &rows), LIMIT)
        .expect("reads")
        .to_luma8();
    assert_eq!(img.get_pixel(0, 0).0, [0]);
    assert_eq!(img.get_pixel(1, 0).0, [255]);
    assert_eq!(img.get_pixel(9, 0).0, [0]);
    // 8-bit with a grey ramp.
    let ramp: Vec<[u8; 4]> = (0..=255u8).map(|v| [v, v, v, 0]).collect();
    let img = dib_to_image(&dib(3, 1, 8, &ramp, &[7, 128, 250, 0]), LIMIT)
        .expect("reads")
        .to_luma8();
    assert_eq!(img.as_raw(), &vec![7, 128, 250]);
}

#[test]
fn a_dib_too_large_or_cut_short_is_refused_before_decoding() {
    assert_eq!(
        dib_to_image(&dib(3000, 10, 24, &[], &[]), LIMIT),
        Err(TwainFailure::PageTooLarge {
            width: 3000,
            height: 10
        })
    );
    assert!(matches!(
        dib_to_image(&dib(1000, 1000, 24, &[], &[0; 100]), LIMIT),
        Err(TwainFailure::BadPage(_))
    ));
    assert!(dib_to_image(&[1, 2, 3], LIMIT).is_err());
}

#[test]
fn memory_strips_make_one_page_even_when_its_height_is_unknown() {
    let mut page = StripPage::new(10, None, 1, LIMIT).expect("new");
    // Rows of 2 bytes padded to 4; 0 is black.
    page.add(0, 2, 4, &[0xff, 0xc0, 9, 9, 0x7f, 0xc0, 9, 9])
        .expect("strip 1");
    page.add(2, 1, 4, &[0x00, 0x00, 9, 9]).expect("strip 2");
    let img = page.into_image().expect("image").to_luma8();
    assert_eq!((img.width(), img.height()), (10, 3));
    assert_eq!(img.get_pixel(0, 0).0, [255]);
    assert_eq!(img.get_pixel(0, 1).0, [0]);
    assert_eq!(img.get_pixel(1, 1).0, [255]);
    assert_eq!(img.get_pixel(5, 2).0, [0]);

    let mut rgb = StripPage::new(1, Some(1), 24, LIMIT).expect("new");
    rgb.add(0, 1, 3, &[10, 20, 30]).expect("strip");
    assert_eq!(
        rgb.into_image().expect("image").to_rgb8().as_raw(),
        &vec![10, 20, 30]
    );
}

#[test]
fn memory_strips_beyond_the_page_limit_or_short_are_refused() {
    let mut page = StripPage::new(1000, None, 8, LIMIT).expect("new");
    assert!(matches!(
        page.add(1999, 2, 1000, &[0; 2000]),
        Err(TwainFailure::PageTooLarge { .. })
    ));
    assert!(matches!(
        page.add(0, 2, 1000, &[0; 1000]),
        Err(TwainFailure::BadPage(_))
    ));
    assert!(StripPage::new(10, None, 16, LIMIT).is_err());
    assert!(
        StripPage::new(10, None, 8, LIMIT)
            .expect("new")
            .into_image()
            .is_err()
    );
}

#[test]
fn a_session_that_stops_beating_is_left_behind_and_told_to_stop() {
    let cancel = AtomicBool::new(false);
    let seen_stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&seen_stop);
    let started = Instant::now();
    let result: Result<(), _> = run_bounded(
        move |watch| {
            while !watch.stopped() {
                std::thread::sleep(Duration::from_millis(10));
            }
            seen.store(true, Ordering::Relaxed);
            Err(TwainFailure::Cancelled)
        },
        &cancel,
        Duration::from_millis(300),
    );
    assert_eq!(result, Err(TwainFailure::Stalled(0)));
    assert!(started.elapsed() < Duration::from_secs(5));
    let until = Instant::now() + Duration::from_secs(5);
    while !seen_stop.load(Ordering::Relaxed) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        seen_stop.load(Ordering::Relaxed),
        "the session was told to stop"
    );
}

#[test]
fn a_beating_session_runs_past_the_stall_timeout_and_a_cancel_stops_it() {
    let cancel = AtomicBool::new(false);
    let result = run_bounded(
        |watch| {
            for _ in 0..30 {
                watch.beat();
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(7)
        },
        &cancel,
        Duration::from_millis(200),
    );
    assert_eq!(result, Ok(7));

    let cancel = AtomicBool::new(true);
    let result: Result<(), _> = run_bounded(
        |watch| {
            while !watch.stopped() {
                watch.beat();
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(())
        },
        &cancel,
        Duration::from_secs(60),
    );
    assert_eq!(result, Err(TwainFailure::Cancelled));
}
