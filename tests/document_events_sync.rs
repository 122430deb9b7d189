//! Attach and detach events travel like any other: the real centre (on PostgreSQL)
//! accepts them from a desk, and a sibling desk of the unit applies them, its list of
//! files following the fold. (The files themselves travel separately: tests/file_sync.rs.)

#![cfg(feature = "desk")]

mod sync_support;

use motcua::domain::document::{MediaType, NewDocument, Sha256Hex};
use sync_support::*;

fn pdf(text: &str) -> NewDocument {
    NewDocument {
        name: format!("{text}.pdf"),
        media_type: MediaType::Pdf,
        bytes: format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes(),
        pages: 1,
    }
}

#[test]
fn a_sibling_desk_lists_the_files_another_desk_attached() {
    let db = fresh_database();
    let centre = Centre::start(&db);
    add_units(&db);
    let (a, b) = (Desk::new(UNIT_A, 0), Desk::new(UNIT_A, 1));
    for (d, i) in [(&a, 0), (&b, 1)] {
        d.enroll(&centre.url(), &enroll_code(&db, UNIT_A, Some(i)))
            .expect("enrolls");
    }
    let code = a.take_dossiers(1).remove(0);
    let desk_a = motcua::desk::Desk::new(a.store());
    let (kept, dropped) = (pdf("Tờ khai"), pdf("Ảnh mờ"));
    desk_a
        .attach(&code, "Tờ khai", kept.clone(), "Trần Văn Bình")
        .expect("attach");
    desk_a
        .attach(&code, "Bản sao CCCD", dropped.clone(), "Trần Văn Bình")
        .expect("attach");
    desk_a
        .detach(
            &code,
            &Sha256Hex::of(&dropped.bytes),
            "Ảnh chụp mờ, chụp lại",
            "Trần Văn Bình",
        )
        .expect("detach");
    drop(desk_a);

    let pushed = a.sync(None).expect("pushes");
    assert_eq!(pushed.refused, 0, "the centre accepts document events");
    assert_eq!(pushed.pending, 0);
    assert_eq!(centre_count(&db, "event"), 4);

    let pulled = b.sync(None).expect("pulls");
    assert_eq!(pulled.refused, 0, "the sibling accepts them too");
    let store = b.store();
    let state = store.dossier(&code).expect("dossier on the sibling");
    assert_eq!(state.status.code(), 2, "documents change no status");
    assert!(state.anomalies.is_empty(), "{:?}", state.anomalies);
    assert_eq!(state.documents.len(), 1);
    assert_eq!(state.documents[0].file.sha256, Sha256Hex::of(&kept.bytes));
    assert_eq!(state.documents[0].attached_by, "Trần Văn Bình");
    let listed = store.dossier_files(&code).expect("listed");
    assert_eq!(listed.len(), 1);
    assert_ne!(
        listed[0].origin,
        store.desk().expect("desk").desk_id,
        "attached on the other desk"
    );
    // Not this desk's to upload; its name and size are known from the log.
    assert!(store.files_to_upload(10).expect("queue").is_empty());
    let file = store
        .file_ref(&Sha256Hex::of(&dropped.bytes))
        .expect("file ref")
        .expect("the log names it");
    assert_eq!(file.name, "Ảnh mờ.pdf");
}
