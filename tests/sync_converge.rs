//! Two desks of one unit and one desk of another take dossiers offline, then sync:
//! every desk of a unit converges to the unit's whole log, nothing is lost or
//! duplicated, the other unit sees nothing, and centre-side events and official
//! updates flow down.

mod sync_support;

use std::collections::BTreeSet;

use sync_support::*;

#[test]
fn desks_converge_without_loss_duplication_or_leakage() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let a0 = Desk::new(UNIT_A, 0);
    let a1 = Desk::new(UNIT_A, 1);
    let b0 = Desk::new(UNIT_B, 0);

    // Offline: before enrollment, nothing has ever left the desks.
    let codes_a0 = a0.take_dossiers(12);
    let codes_a1 = a1.take_dossiers(9);
    let codes_b0 = b0.take_dossiers(5);

    for (desk, unit, index) in [(&a0, UNIT_A, 0), (&a1, UNIT_A, 1), (&b0, UNIT_B, 0)] {
        let code = enroll_code(&db, unit, Some(index));
        desk.enroll(&centre.url(), &code).expect("enrolls");
    }

    let r = a0.sync(None).expect("a0 syncs");
    assert_eq!((r.pushed, r.pending, r.pulled_events), (12, 0, 0));
    let r = a1.sync(None).expect("a1 syncs");
    assert_eq!((r.pushed, r.pulled_events), (9, 12));
    let r = b0.sync(None).expect("b0 syncs");
    assert_eq!((r.pushed, r.pulled_events), (5, 0));
    let r = a0.sync(None).expect("a0 syncs again");
    assert_eq!((r.pushed, r.pulled_events), (0, 9));

    // A centre-side step and an official calendar flow down to the unit's desks.
    let result_ready = &codes_a1[0];
    centre.admin(&[
        "record",
        result_ready,
        "result-ready",
        "--by",
        "Phòng Tư pháp",
    ]);
    let calendar = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(calendar.path(), motcua::domain::calendar::OFFICIAL_CSV).expect("write");
    centre.admin(&[
        "calendar",
        "import",
        calendar.path().to_str().expect("utf-8"),
    ]);

    for desk in [&a0, &a1, &b0] {
        let r = desk.sync(None).expect("final round");
        assert_eq!(r.pushed, 0);
        assert_eq!(r.pulled_updates, 1, "the calendar reaches every desk");
    }
    // A second round moves nothing: the cursor is kept with the pages.
    let r = a0.sync(None).expect("idle round");
    assert_eq!((r.pushed, r.pulled_events, r.pulled_updates), (0, 0, 0));

    let ids_a0 = a0.event_ids();
    let ids_a1 = a1.event_ids();
    let centre_a = centre_event_ids(&db, UNIT_A);
    assert_eq!(ids_a0.len(), 12 + 9 + 1);
    assert_eq!(ids_a0, ids_a1, "the desks of one unit converge");
    assert_eq!(ids_a0, centre_a, "and match the centre");
    assert_eq!(
        ids_a0.iter().collect::<BTreeSet<_>>().len(),
        ids_a0.len(),
        "no duplicates"
    );
    assert_eq!(centre_count(&db, "event"), 12 + 9 + 1 + 5);

    let all_a: BTreeSet<String> = codes_a0.iter().chain(&codes_a1).cloned().collect();
    assert_eq!(
        a0.dossier_codes().into_iter().collect::<BTreeSet<_>>(),
        all_a
    );
    assert_eq!(
        a1.dossier_codes().into_iter().collect::<BTreeSet<_>>(),
        all_a
    );
    assert_eq!(
        a0.status_of(result_ready),
        9,
        "result ready reached the other desk"
    );
    assert_eq!(a1.status_of(result_ready), 9);

    // The other unit saw nothing of the first, and the first nothing of it.
    assert_eq!(b0.dossier_codes(), {
        let mut c = codes_b0.clone();
        c.sort();
        c
    });
    assert_eq!(b0.event_ids(), centre_event_ids(&db, UNIT_B));
    assert!(b0.dossier_codes().iter().all(|c| c.starts_with(UNIT_B)));
    assert!(a0.dossier_codes().iter().all(|c| c.starts_with(UNIT_A)));

    let status = a0.store().sync_state().expect("state");
    assert_eq!(status.pending(), 0);
    assert!(status.last_push_at.is_some() && status.last_pull_at.is_some());
    assert!(status.last_error.is_none());
    assert!(status.clock_offset_ms.expect("measured").abs() < 60_000);
}

#[test]
fn cli_enrolls_syncs_and_reports_status() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    desk.take_dossiers(3);
    let code = enroll_code(&db, UNIT_A, None);
    let out = std::process::Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", desk.dir.path())
        .args(["enroll", "--centre", &centre.url(), "--code", &code])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã đăng ký quầy số 0"));

    let out = desk.sync_command(None).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Đã gửi 3 sự kiện"), "{text}");

    let out = std::process::Command::new(desk_bin())
        .env("MOTCUA_DATA_DIR", desk.dir.path())
        .args(["sync", "status"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Sự kiện chờ gửi:        0"), "{text}");
    assert!(text.contains("Lỗi gần nhất:           không có"), "{text}");

    // A centre that cannot be reached: non-zero exit, the error is kept for status.
    let dead = format!("http://127.0.0.1:{}", free_port());
    let out = desk.sync_command(Some(&dead)).output().expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Lỗi: Không kết nối được trung tâm"));
    let state = desk.store().sync_state().expect("state");
    assert!(
        state
            .last_error
            .expect("kept")
            .contains("Không kết nối được")
    );

    // The centre's reports see the dossiers.
    let stats = centre.admin(&["stats", "--unit", UNIT_A]);
    assert!(stats.contains("3 hồ sơ"), "{stats}");
    let out_file = desk.dir.path().join("dvcqg.json");
    let today = motcua::domain::clock::to_wall(motcua::domain::clock::now_vn())
        .date()
        .to_string();
    centre.admin(&[
        "export-dvcqg",
        "--from",
        &today,
        "--to",
        &today,
        "--out",
        out_file.to_str().expect("utf-8"),
    ]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_file).expect("read")).expect("json");
    let rows = json.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["MaTTHC"], "1.004873");
    assert_eq!(rows[0]["TrangThaiHoSo"], "2");
    assert_eq!(rows[0]["NgayTiepNhan"].as_str().expect("date").len(), 14);
}

#[test]
fn centre_side_steps_are_checked_and_reach_the_desk() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let desk = Desk::new(UNIT_A, 0);
    let codes = desk.take_dossiers(2);
    desk.enroll(&centre.url(), &enroll_code(&db, UNIT_A, None))
        .expect("enrolls");
    desk.sync(None).expect("push");
    centre.admin(&[
        "record",
        &codes[0],
        "supplement-request",
        "--item",
        "Bản sao giấy khai sinh",
        "--note",
        "Thiếu giấy tờ",
    ]);
    centre.admin(&[
        "record",
        &codes[1],
        "stop",
        "--note",
        "Công dân đề nghị dừng",
    ]);
    // A step the state does not allow is refused, in Vietnamese, and writes nothing.
    let out = std::process::Command::new(centre_bin())
        .args(["record", &codes[1], "result-ready"])
        .env("DATABASE_URL", &db)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Lỗi: Hồ sơ đang ở trạng thái"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(centre_count(&db, "event"), 4);
    let r = desk.sync(None).expect("pull");
    assert_eq!(r.pulled_events, 2);
    assert_eq!(desk.status_of(&codes[0]), 5);
    assert_eq!(desk.status_of(&codes[1]), 8);
}
