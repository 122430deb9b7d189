//! A reprint "with a new tracking code" against the real centre (issue 22 §1): after
//! the desk renews the code and syncs, the tracking page answers the new token and
//! gives the old one the same answer as any unknown token; Mẫu 01's QR holds the new
//! address (read back with `zbarimg`).

mod sync_support;

#[path = "common/qr.rs"]
mod qr;

use motcua::desk::forms::PrintRequest;
use motcua::domain::tracking::tracking_url;
use motcua::print::Paper;
use qr::qr_of;
use sync_support::*;

#[test]
fn the_page_answers_the_renewed_code_and_not_the_old_one() {
    let db = fresh_database();
    let (centre, desk) = centre_with_public_url(&db);
    let code = desk.take_dossiers(1).remove(0);
    let old = desk
        .store()
        .dossier(&code)
        .expect("dossier")
        .tracking
        .expect("a token at intake");
    desk.sync(None).expect("synced");
    let old_url = tracking_url(&centre.url(), &old);
    let (status, page) = http_get(&old_url);
    assert_eq!(status, 200, "{page}");

    // The clerk reprints Mẫu 01 with a new code (no printer: the PDF is kept).
    let renewed = motcua::desk::Desk::new(desk.store())
        .reprint_with_new_tracking(
            &code,
            "Trần Văn Bình",
            &PrintRequest {
                printer: None,
                paper: Paper::A5,
            },
        )
        .expect("renewed");
    let new = renewed.state.tracking.clone().expect("the new token");
    assert_ne!(new, old);
    let new_url = tracking_url(&centre.url(), &new);
    let pdf = renewed.printed.pdf.clone().expect("Mẫu 01 saved");
    let work = tempfile::tempdir().expect("work dir");
    assert_eq!(qr_of(&pdf, work.path()), new_url);

    // Before the sync the centre still knows only the old code; after it, only the new.
    let (status, _) = http_get(&new_url);
    assert_eq!(status, 404);
    desk.sync(None).expect("pushes the renewal");
    let (status, page) = http_get(&new_url);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&code), "{page}");
    let (status, revoked) = http_get(&old_url);
    assert_eq!(status, 404, "the old code is revoked");
    let unknown = motcua::domain::tracking::TrackingToken::generate().expect("token");
    let (_, absent) = http_get(&tracking_url(&centre.url(), &unknown));
    assert_eq!(revoked, absent, "a revoked code looks like any unknown one");
}
