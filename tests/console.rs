//! The operators' console (issue 21) over HTTP: accounts from the command line, sign-in
//! with server-side sessions, CSRF, session fixation, brute force, a unit leader held to
//! their unit, script in every shown field, and the fleet's figures from real desks.
//! `tests/console_browser.rs` reads the same pages in Chromium.

#[path = "console_support/mod.rs"]
mod console_support;
mod sync_support;

use console_support::*;

#[test]
fn operator_add_reads_the_password_from_stdin_and_is_audited() {
    let c = console();
    // Three accounts were made by `console()`; the password is not stored as given.
    assert_eq!(sql_i64(&c.db, "SELECT count(*) FROM console_operator"), 3);
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM console_operator WHERE password_hash LIKE '$argon2id$%'"
        ),
        3
    );
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM operator_audit WHERE action = 'operator add'"
        ),
        3
    );
    let short = operator_add(
        &c.db,
        &["--username", "ngan", "--name", "Ngân", "--role", "auditor"],
        "ngắn",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("Mật khẩu: cần từ 10 ký tự"));
    let no_unit = operator_add(
        &c.db,
        &["--username", "ngan", "--name", "Ngân", "--role", "leader"],
        PASSWORD,
    );
    assert!(String::from_utf8_lossy(&no_unit.stderr).contains("Lãnh đạo đơn vị cần --unit"));
    let empty = operator_add(
        &c.db,
        &["--username", "ngan", "--name", "Ngân", "--role", "auditor"],
        "",
    );
    assert!(String::from_utf8_lossy(&empty.stderr).contains("thiếu mật khẩu"));
    assert_eq!(sql_i64(&c.db, "SELECT count(*) FROM console_operator"), 3);
}

#[test]
fn sign_in_opens_a_session_with_strict_cookies_and_a_new_id_every_time() {
    let c = console();
    let mut web = Web::new(&c.centre.url());
    // Before sign-in every page leads to the sign-in form.
    let a = web.get("/quan-tri/quay");
    assert_eq!(a.status, 303);
    assert_eq!(a.location(), Some("/quan-tri/dang-nhap"));
    // Session fixation: an id planted in the browser before sign-in is never promoted.
    let planted = "ab".repeat(32);
    web.set("mc_sid", &planted);
    let signed = web.sign_in(PROVINCE, PASSWORD);
    assert_eq!(signed.status, 303, "{}", signed.body);
    let line = signed.set_cookie_line("mc_sid").expect("session cookie");
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(line.contains(flag), "{line}");
    }
    let first = signed.set_cookie("mc_sid").expect("id");
    assert_ne!(first, planted);
    assert_eq!(first.len(), 64);
    let fleet = web.get("/quan-tri/quay");
    assert_eq!(fleet.status, 200);
    assert!(fleet.body.contains("Các quầy và tình trạng đồng bộ"));
    let mut attacker = Web::new(&c.centre.url());
    attacker.set("mc_sid", &planted);
    assert_eq!(attacker.get("/quan-tri/quay").status, 303);
    // Signing in again renews the id and ends the session the browser brought.
    let again = web.sign_in(PROVINCE, PASSWORD);
    let second = again.set_cookie("mc_sid").expect("id");
    assert_ne!(second, first);
    let mut old = Web::new(&c.centre.url());
    old.set("mc_sid", &first);
    assert_eq!(old.get("/quan-tri/quay").status, 303);
    // The database keeps only a hash of the id.
    assert_eq!(
        sql_i64(
            &c.db,
            &format!("SELECT count(*) FROM console_session WHERE id_hash = '{second}'")
        ),
        0
    );
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM operator_audit WHERE action = 'console sign-in'"
        ),
        2
    );
    // Sign-out ends the session on the server.
    let csrf = web.csrf("/quan-tri/quay");
    assert_eq!(
        web.post("/quan-tri/dang-xuat", &[("csrf", &csrf)]).status,
        303
    );
    let mut replay = Web::new(&c.centre.url());
    replay.set("mc_sid", &second);
    assert_eq!(replay.get("/quan-tri/quay").status, 303);
}

#[test]
fn every_post_needs_the_sessions_csrf_token() {
    let c = console();
    seed_refused(&c.db, UNIT_A, "<b>x</b>");
    let id = sql_i64(&c.db, "SELECT min(id) FROM quarantine");
    let path = format!("/quan-tri/cach-ly/{id}/da-xem");
    let mut web = Web::new(&c.centre.url());
    // The sign-in form itself: a post without the form's own cookie is refused.
    let forged = web.post(
        "/quan-tri/dang-nhap",
        &[
            ("username", PROVINCE),
            ("password", PASSWORD),
            ("csrf", "00"),
        ],
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(forged.set_cookie("mc_sid").is_none());
    assert_eq!(web.sign_in(PROVINCE, PASSWORD).status, 303);
    for token in ["", "00", &"ab".repeat(32)] {
        let a = web.post(&path, &[("csrf", token), ("note", "đã xem")]);
        assert_eq!(a.status, 403, "{}", a.body);
        assert!(a.body.contains("Biểu mẫu đã hết hạn"), "{}", a.body);
    }
    // Another session's token is not this one's.
    let mut other = Web::new(&c.centre.url());
    other.sign_in(PROVINCE, PASSWORD);
    let theirs = other.csrf("/quan-tri/cach-ly");
    assert_eq!(
        web.post(&path, &[("csrf", &theirs), ("note", "x")]).status,
        403
    );
    assert_eq!(
        web.post("/quan-tri/dang-xuat", &[("csrf", "00")]).status,
        403
    );
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM quarantine WHERE reviewed_at IS NOT NULL"
        ),
        0
    );
    // With the right token the review is kept and audited, in one transaction.
    let mine = web.csrf("/quan-tri/cach-ly");
    let ok = web.post(
        &path,
        &[("csrf", &mine), ("note", "Đã gọi quầy chỉnh giờ máy")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM quarantine WHERE review_note = 'Đã gọi quầy chỉnh giờ máy'"
        ),
        1
    );
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM operator_audit WHERE action = 'quarantine review'"
        ),
        1
    );
    // An empty note is refused in Vietnamese.
    let empty = web.post(&path, &[("csrf", &mine), ("note", "  ")]);
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Hãy ghi chú đã xử lý thế nào"));
}

#[test]
fn a_brute_force_is_stopped_per_account_and_per_address() {
    let c = console();
    let mut web = Web::new(&c.centre.url());
    for _ in 0..5 {
        let a = web.sign_in(LEADER_A, "sai-mật-khẩu-rồi");
        assert_eq!(a.status, 401);
        assert!(a.body.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    }
    // The account now waits, even for the right password.
    let locked = web.sign_in(LEADER_A, PASSWORD);
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(
        locked.body.contains("Tài khoản tạm khóa"),
        "{}",
        locked.body
    );
    assert!(locked.set_cookie("mc_sid").is_none());
    // An unknown name is answered as a wrong password (names are not told apart).
    let unknown = web.sign_in("khong.co.ai", PASSWORD);
    assert_eq!(unknown.status, 401);
    assert!(
        unknown
            .body
            .contains("Tên đăng nhập hoặc mật khẩu không đúng")
    );
    // Ten failures from one address hold the address off, for every account.
    for _ in 0..3 {
        web.sign_in("khong.co.ai", PASSWORD);
    }
    let held = web.sign_in(PROVINCE, PASSWORD);
    assert_eq!(held.status, 429, "{}", held.body);
    assert!(
        held.body
            .contains("quá nhiều lần đăng nhập sai từ địa chỉ này")
    );
    assert_eq!(sql_i64(&c.db, "SELECT count(*) FROM console_session"), 0);
}

#[test]
fn a_unit_leader_sees_only_their_unit_and_changes_nothing() {
    let c = console();
    seed_desk(&c.db, UNIT_A, 0, "Quầy A");
    seed_desk(&c.db, UNIT_B, 0, "Quầy B");
    seed_refused(&c.db, UNIT_A, "thân A");
    seed_refused(&c.db, UNIT_B, "thân B");
    let b_id = sql_i64(
        &c.db,
        &format!("SELECT id FROM quarantine WHERE unit_code = '{UNIT_B}'"),
    );
    let mut leader = Web::new(&c.centre.url());
    assert_eq!(leader.sign_in(LEADER_A, PASSWORD).status, 303);
    let fleet = leader.get("/quan-tri/quay");
    assert!(fleet.body.contains(UNIT_A));
    assert!(!fleet.body.contains(UNIT_B), "{}", fleet.body);
    let refused = leader.get("/quan-tri/cach-ly");
    assert!(refused.body.contains("thân A"));
    assert!(!refused.body.contains("thân B"));
    assert!(!refused.body.contains("Đánh dấu đã xem"));
    // Another unit by a changed link or form field: refused, not widened.
    for path in [
        format!("/quan-tri/quay?don-vi={UNIT_B}"),
        format!("/quan-tri/quay.csv?don-vi={UNIT_B}"),
        format!("/quan-tri/cach-ly?don-vi={UNIT_B}"),
    ] {
        let a = leader.get(&path);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert!(a.body.contains("chỉ được xem đơn vị của mình"));
    }
    let csv = leader.get("/quan-tri/quay.csv");
    assert!(csv.body.contains(UNIT_A) && !csv.body.contains(UNIT_B));
    // Read-only: a review post with a valid token is refused, for leader and auditor.
    let token = leader.csrf("/quan-tri/quay");
    let path = format!("/quan-tri/cach-ly/{b_id}/da-xem");
    assert_eq!(
        leader
            .post(&path, &[("csrf", &token), ("note", "x")])
            .status,
        403
    );
    let mut auditor = Web::new(&c.centre.url());
    auditor.sign_in(AUDITOR, PASSWORD);
    let all = auditor.get("/quan-tri/quay");
    assert!(all.body.contains(UNIT_A) && all.body.contains(UNIT_B));
    let token = auditor.csrf("/quan-tri/cach-ly");
    let a = auditor.post(&path, &[("csrf", &token), ("note", "x")]);
    assert_eq!(a.status, 403);
    assert!(a.body.contains("chỉ được xem, không được thay đổi"));
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM quarantine WHERE reviewed_at IS NOT NULL"
        ),
        0
    );
}

#[test]
fn script_in_every_shown_field_is_escaped_and_csp_forbids_scripts() {
    let c = console();
    let evil = "<script>alert(1)</script>";
    sql(
        &c.db,
        &format!("UPDATE unit SET name = '{evil}' WHERE code = '{UNIT_A}'"),
    );
    seed_desk(&c.db, UNIT_A, 1, evil);
    seed_refused(&c.db, UNIT_A, &format!("{{\"note\":\"{evil}\"}}"));
    sql(
        &c.db,
        &format!("UPDATE quarantine SET reason = '{evil}', dossier_code = '{evil}'"),
    );
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    for path in ["/quan-tri/quay", "/quan-tri/cach-ly", "/quan-tri/dang-nhap"] {
        let a = web.get(path);
        assert!(!a.body.contains("<script"), "{path}: {}", a.body);
        let csp = a
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("script-src"));
    }
    let fleet = web.get("/quan-tri/quay");
    assert!(fleet.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let refused = web.get("/quan-tri/cach-ly");
    assert!(refused.body.contains("&lt;script&gt;"));
    assert!(refused.body.contains("byte"));
    let csv = web.get("/quan-tri/quay.csv");
    assert!(csv.body.contains(evil), "CSV carries the text as data");
}

#[test]
fn the_fleet_shows_what_desks_report_and_flags_dark_ones_with_their_cost() {
    let c = console();
    let desk = Desk::new(UNIT_A, 0);
    desk.take_dossiers(2);
    desk.enroll(&c.centre.url(), &enroll_code(&c.db, UNIT_A, None))
        .expect("enrolls");
    desk.sync(None).expect("syncs");
    // The round's first request carried version, unsent count and clock.
    assert_eq!(
        sql_i64(&c.db, "SELECT unsent_count FROM desk"),
        2,
        "unsent reported at the start of the round"
    );
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM desk WHERE last_sync_at > now() - interval '1 minute'"
        ),
        1
    );
    assert!(sql_i64(&c.db, "SELECT abs(clock_skew_ms) FROM desk") < 60_000);
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let page = web.get("/quan-tri/quay");
    assert!(page.body.contains(env!("CARGO_PKG_VERSION")));
    assert!(page.body.contains("Mọi quầy đã đồng bộ trong 24 giờ qua"));
    // Dark since three days with 7 dossiers not at the centre: flagged, with the cost.
    sql(
        &c.db,
        "UPDATE desk SET last_sync_at = now() - interval '3 days', unsent_count = 7",
    );
    let page = web.get("/quan-tri/quay?sap-xep=dong-bo");
    assert!(page.body.contains("class=\"flag\""), "{}", page.body);
    assert!(
        page.body
            .contains("7 hồ sơ chưa gửi về trung tâm có nguy cơ bị trừ điểm chỉ số 1.4"),
        "{}",
        page.body
    );
    let csv = web.get(&format!("/quan-tri/quay.csv?don-vi={UNIT_A}"));
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let row = csv.body.lines().nth(1).expect("a desk row");
    assert!(row.ends_with(",co,7"), "{row}");
}

/// A desk row without a real desk (for pages that only read the table).
fn seed_desk(db: &str, unit: &str, index: u8, version: &str) {
    let version = version.replace('\'', "''");
    sql(
        db,
        &format!(
            "INSERT INTO desk (desk_id, unit_code, desk_index, token_hash, app_version, unsent_count)
             VALUES (gen_random_uuid(), '{unit}', {index}, md5(random()::text), '{version}', 3)"
        ),
    );
}

/// A refused event with `body` (adds a desk to hold it).
fn seed_refused(db: &str, unit: &str, body: &str) {
    let body = body.replace('\'', "''");
    sql(
        db,
        &format!(
            "INSERT INTO desk (desk_id, unit_code, desk_index, token_hash)
             SELECT gen_random_uuid(), '{unit}', coalesce(max(desk_index) + 1, 5), md5(random()::text)
             FROM desk WHERE unit_code = '{unit}';
             INSERT INTO quarantine (desk_id, unit_code, desk_seq, event_id, dossier_code, kind, reason, body)
             SELECT desk_id, '{unit}', 1, gen_random_uuid(), 'H22.39.15-251207-0001', 'received',
                    'giờ ngoài giới hạn', '{body}'
             FROM desk WHERE unit_code = '{unit}' ORDER BY desk_index DESC LIMIT 1"
        ),
    );
}

#[test]
fn units_codes_and_retiring_a_desk_from_the_console() {
    let c = console();
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let token = web.csrf("/quan-tri/don-vi");
    // Add a unit; a bad code is refused in Vietnamese and writes nothing.
    let bad = web.post(
        "/quan-tri/don-vi",
        &[("csrf", &token), ("code", "<b>"), ("name", "Phường X")],
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    let added = web.post(
        "/quan-tri/don-vi",
        &[
            ("csrf", &token),
            ("code", "H22.39.17"),
            ("name", "Phường Cao Xanh"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    assert!(web.get("/quan-tri/don-vi").body.contains("Phường Cao Xanh"));
    // An enrollment code, shown once, enrolls a real desk; the audit log never holds it.
    let made = web.post(
        "/quan-tri/ma-dang-ky",
        &[("csrf", &token), ("unit", UNIT_A), ("desk_index", "0")],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let at = made
        .body
        .find("<strong class=\"code\">")
        .expect("code shown")
        + 21;
    let code = &made.body[at..at + 23];
    let desk = Desk::new(UNIT_A, 0);
    desk.enroll(&c.centre.url(), code)
        .expect("enrolls with the console's code");
    assert_eq!(
        sql_i64(
            &c.db,
            &format!("SELECT count(*) FROM operator_audit WHERE detail LIKE '%{code}%'")
        ),
        0
    );
    desk.sync(None).expect("syncs");
    // Retire it: its token stops working at once; the fleet shows it retired, not dark.
    let id = {
        let page = web.get("/quan-tri/don-vi");
        let at = page.body.find("name=\"desk\"").expect("desk select");
        let v = page.body[at..].find("value=\"").expect("option") + at + 7;
        page.body[v..v + 36].to_string()
    };
    let retired = web.post("/quan-tri/thu-hoi-quay", &[("csrf", &token), ("desk", &id)]);
    assert_eq!(retired.status, 303, "{}", retired.body);
    let err = desk.sync(None).expect_err("a retired desk is refused");
    assert!(err.contains("thu hồi") || err.contains("401"), "{err}");
    let fleet = web.get("/quan-tri/quay");
    assert!(fleet.body.contains("Đã thu hồi"));
    assert_eq!(
        sql_i64(
            &c.db,
            "SELECT count(*) FROM operator_audit WHERE action IN ('unit add', 'enroll-code', 'desk retire') AND operator LIKE 'tinh.an%'"
        ),
        3
    );
    // Leader and auditor read, and change nothing.
    let mut leader = Web::new(&c.centre.url());
    leader.sign_in(LEADER_A, PASSWORD);
    let page = leader.get("/quan-tri/don-vi");
    assert!(page.body.contains(UNIT_A) && !page.body.contains("Phường Cao Xanh"));
    assert!(!page.body.contains("Cấp mã đăng ký quầy"));
    let t = leader.csrf("/quan-tri/don-vi");
    for (path, form) in [
        (
            "/quan-tri/don-vi",
            vec![("csrf", t.as_str()), ("code", "H22.39.18"), ("name", "X")],
        ),
        (
            "/quan-tri/ma-dang-ky",
            vec![("csrf", t.as_str()), ("unit", UNIT_B)],
        ),
        (
            "/quan-tri/thu-hoi-quay",
            vec![("csrf", t.as_str()), ("desk", id.as_str())],
        ),
    ] {
        assert_eq!(leader.post(path, &form).status, 403, "{path}");
    }
    assert_eq!(sql_i64(&c.db, "SELECT count(*) FROM enroll_code"), 1);
}

#[test]
fn the_766_scorecard_per_unit_and_province_opens_on_its_dossiers() {
    let c = console();
    let desk = Desk::new(UNIT_A, 0);
    let codes = desk.take_dossiers(3);
    desk.enroll(&c.centre.url(), &enroll_code(&c.db, UNIT_A, None))
        .expect("enrolls");
    desk.sync(None).expect("syncs");
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let page = web.get("/quan-tri/chi-so-766");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Toàn tỉnh"), "{}", page.body);
    assert!(page.body.contains(UNIT_A));
    // Every dossier the centre holds counts as synced (indicator 1.4): 3 of 3.
    assert!(page.body.contains("3/3 (100.0%)"), "{}", page.body);
    let detail = web.get(&format!("/quan-tri/chi-so-766?don-vi={UNIT_A}&chi-so=1.4"));
    assert!(
        detail
            .body
            .contains("Không hồ sơ nào làm giảm điểm chỉ số này"),
        "{}",
        detail.body
    );
    let bad = web.get("/quan-tri/chi-so-766?tu=hôm-qua");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Ngày phải có dạng YYYY-MM-DD"));
    let mut leader = Web::new(&c.centre.url());
    leader.sign_in(LEADER_A, PASSWORD);
    let own = leader.get("/quan-tri/chi-so-766");
    assert!(own.body.contains(UNIT_A) && !own.body.contains("Toàn tỉnh"));
    assert_eq!(
        leader
            .get(&format!("/quan-tri/chi-so-766?don-vi={UNIT_B}"))
            .status,
        403
    );
    assert!(!codes.is_empty());
}
