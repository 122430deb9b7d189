//! Replacing a desk from the console with a new machine (a new desk id) at the same
//! index (issue 21, "replace a desk"): the old desk is retired in the same transaction,
//! its events stay, and the new machine syncs as that index.

mod console_support;
mod sync_support;

use console_support::*;

#[test]
fn a_replacement_code_enrolls_a_new_machine_at_the_same_index() {
    let c = console();
    let old = Desk::new(UNIT_A, 0);
    old.take_dossiers(2);
    old.enroll(&c.centre.url(), &enroll_code(&c.db, UNIT_A, Some(0)))
        .expect("enrolls");
    old.sync(None).expect("syncs");
    let mut web = Web::new(&c.centre.url());
    web.sign_in(PROVINCE, PASSWORD);
    let token = web.csrf("/quan-tri/don-vi");
    let made = web.post(
        "/quan-tri/ma-dang-ky",
        &[
            ("csrf", &token),
            ("unit", UNIT_A),
            ("desk_index", "0"),
            ("replace", "1"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let at = made
        .body
        .find("<strong class=\"code\">")
        .expect("code shown")
        + 21;
    let code = made.body[at..at + 23].to_string();
    // A new machine: another desk id, the same index.
    let new = Desk::new(UNIT_A, 0);
    new.enroll(&c.centre.url(), &code)
        .expect("the replacement enrolls a new desk id at index 0");
    new.sync(None).expect("the new machine syncs");
    assert_eq!(
        sql_i64(
            &c.db,
            &format!(
                "SELECT count(*) FROM desk WHERE unit_code = '{UNIT_A}' AND desk_index = 0
                   AND retired_at IS NULL"
            )
        ),
        1
    );
    // The old machine is retired, its events kept; it can no longer sync.
    let err = old.sync(None).expect_err("the replaced desk is refused");
    assert!(err.contains("thu hồi") || err.contains("401"), "{err}");
    assert_eq!(centre_event_ids(&c.db, UNIT_A).len(), old.event_ids().len());
    assert!(web.get("/quan-tri/quay").body.contains("Đã thu hồi"));
    // A plain code (not a replacement) for a taken index is still refused.
    let third = Desk::new(UNIT_A, 0);
    let err = third
        .enroll(&c.centre.url(), &enroll_code(&c.db, UNIT_A, Some(0)))
        .expect_err("index 0 is taken");
    assert!(err.contains("đã có một quầy khác mang số 0"), "{err}");
}
