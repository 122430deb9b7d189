//! The projection of current files follows events from any source, in any order; the
//! upload queue holds only this desk's own current files, present here.

use super::*;
use crate::domain::clock::now_vn;
use crate::domain::document::MediaType;
use crate::domain::event::{Actor, ActorRole, Event, EventId};
use crate::store::log::{insert_event, refold};
use crate::store::testkit::{intake, kit};

fn file(bytes: &[u8]) -> FileRef {
    FileRef {
        sha256: Sha256Hex::of(bytes),
        name: "Tờ khai.pdf".into(),
        media_type: MediaType::Pdf,
        size: bytes.len() as u64,
        pages: 1,
    }
}

/// An event written by another desk, as a pull applies it.
fn pulled(store: &mut Store, code: &str, body: EventBody, minutes: i64) {
    let now = now_vn();
    let event = Event {
        id: EventId::new(),
        dossier: DossierCode::parse(code).expect("code"),
        at: now + chrono::Duration::minutes(minutes),
        actor: Actor {
            name: "Lê Văn Bình".into(),
            role: ActorRole::Clerk,
        },
        origin: "desk-b".into(),
        body,
    };
    store
        .write(|tx| {
            insert_event(tx, &event, now)?;
            refold(tx, [code.to_string()], now)
        })
        .expect("pulled");
}

#[test]
fn the_projection_follows_pulled_events_even_a_detach_that_came_first() {
    let mut k = kit();
    let code = intake(&mut k.store, "Nguyễn Thị Hoa", "022190001234", None);
    let detach = EventBody::DocumentDetached {
        sha256: Sha256Hex::of(b"b"),
        item: "Tờ khai".into(),
        reason: "Nhầm".into(),
    };
    // The detach (stamped later) arrives before its attach: an anomaly until then.
    pulled(&mut k.store, &code, detach, 10);
    let attach = |bytes: &[u8]| EventBody::DocumentAttached {
        item: "Tờ khai".into(),
        file: file(bytes),
    };
    pulled(&mut k.store, &code, attach(b"a"), 1);
    pulled(&mut k.store, &code, attach(b"b"), 2);
    let listed: Vec<Sha256Hex> = k
        .store
        .dossier_files(&code)
        .expect("list")
        .into_iter()
        .map(|f| f.file.sha256)
        .collect();
    assert_eq!(listed, vec![Sha256Hex::of(b"a")]);
    // Another desk's files are not this desk's to upload (nor here to send).
    assert!(k.store.files_to_upload(10).expect("queue").is_empty());
    assert_eq!(
        k.store.file_ref(&Sha256Hex::of(b"b")).expect("ref"),
        Some(file(b"b")),
        "a detached file is still known by the log"
    );
}

#[test]
fn the_queue_holds_own_current_files_present_here_oldest_first_and_bounded() {
    let mut k = kit();
    let code = intake(&mut k.store, "Nguyễn Thị Hoa", "022190001234", None);
    let files = k.store.file_store();
    for bytes in [&b"one"[..], b"two", b"three"] {
        files.put(bytes).expect("put");
        k.store
            .record_document(
                &code,
                DocumentAction::Attach {
                    item: "Tờ khai".into(),
                    file: file(bytes),
                },
                "Trần Thị Mai",
                now_vn(),
            )
            .expect("attach");
    }
    let queue = k.store.files_to_upload(2).expect("queue");
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0].sha256, Sha256Hex::of(b"one"));
    // A file lost from the folder is skipped, not an error.
    std::fs::remove_file(files.path(&Sha256Hex::of(b"one"))).expect("lose");
    let queue = k.store.files_to_upload(10).expect("queue");
    assert_eq!(
        queue.iter().map(|p| p.sha256.clone()).collect::<Vec<_>>(),
        vec![Sha256Hex::of(b"two"), Sha256Hex::of(b"three")]
    );
    // Detached before it was sent: it no longer goes.
    k.store
        .record_document(
            &code,
            DocumentAction::Detach {
                sha256: Sha256Hex::of(b"two"),
                reason: "Nhầm".into(),
            },
            "Trần Thị Mai",
            now_vn(),
        )
        .expect("detach");
    k.store
        .mark_file_uploaded(&Sha256Hex::of(b"three"), now_vn())
        .expect("mark");
    k.store
        .mark_file_uploaded(&Sha256Hex::of(b"three"), now_vn())
        .expect("marking twice is harmless");
    assert!(k.store.files_to_upload(10).expect("queue").is_empty());
}

#[test]
fn an_attach_naming_a_file_not_stored_is_refused() {
    let mut k = kit();
    let code = intake(&mut k.store, "Nguyễn Thị Hoa", "022190001234", None);
    let err = k
        .store
        .record_document(
            &code,
            DocumentAction::Attach {
                item: "Tờ khai".into(),
                file: file(b"never stored"),
            },
            "Trần Thị Mai",
            now_vn(),
        )
        .expect_err("refused");
    assert!(err.to_string().contains("chưa được lưu"), "{err}");
    assert!(
        k.store
            .dossier(&code)
            .expect("dossier")
            .documents
            .is_empty()
    );
}

#[test]
fn a_hash_is_looked_up_through_its_index() {
    let k = kit();
    let plan: Vec<String> = k
        .store
        .conn()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT json_extract(event, '$.body.file') FROM dossier_event
             WHERE kind = 'document_attached'
               AND json_extract(event, '$.body.file.sha256') = ?1 LIMIT 1",
        )
        .expect("prepare")
        .query_map(["x"], |r| r.get::<_, String>(3))
        .expect("plan")
        .collect::<std::result::Result<_, _>>()
        .expect("rows");
    assert!(
        plan.iter().any(|p| p.contains("dossier_event_file")),
        "{plan:?}"
    );
}
