//! The centre reading `POST /v1/push` (and `/v1/enroll`) bodies. The first byte picks
//! how the rest arrives: 0 plain JSON, 1 raw bytes labelled gzip, 2 JSON that this
//! target gzips (so the fuzzer explores the JSON behind real gzip), 3 an arbitrary
//! Content-Encoding (up to the first NUL) then the body. An accepted batch must meet
//! every rule the centre relies on before writing, and read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua::centre::auth::AuthedDesk;
use motcua::centre::request::{decode_enroll, decode_push};
use motcua::sync::protocol::MAX_PUSH_EVENTS;
use motcua::sync::wire;

const DESK: u128 = 0x0190a1b2_0000_7000_8000_000000000001;

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let zipped;
    let (encoding, body): (Option<&[u8]>, &[u8]) = match mode % 4 {
        0 => (None, rest),
        1 => (Some(b"gzip"), rest),
        2 => {
            zipped = wire::gzip(rest);
            (Some(b"gzip"), &zipped)
        }
        _ => match rest.iter().position(|b| *b == 0) {
            Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
            None => (Some(rest), &[]),
        },
    };
    let desk = AuthedDesk {
        desk_id: uuid::Uuid::from_u128(DESK),
        unit_code: "H22.39.15".into(),
        desk_index: 0,
    };
    match decode_push(&desk, encoding, body) {
        Ok(req) => {
            assert!(req.events.len() <= MAX_PUSH_EVENTS);
            let mut previous = 0;
            for item in &req.events {
                assert!(item.seq > previous);
                previous = item.seq;
                assert_eq!(item.event.dossier.unit().as_str(), desk.unit_code);
                assert_eq!(item.event.origin, desk.desk_id.to_string());
            }
            let again = decode_push(&desk, Some(b"gzip"), &wire::to_gzip_json(&req))
                .expect("an accepted batch, sent again, is accepted");
            assert_eq!(again, req);
        }
        Err(e) => assert!(
            matches!(e.status().as_u16(), 400 | 403 | 413),
            "{}: {e}",
            e.status()
        ),
    }
    if let Ok(req) = decode_enroll(encoding, body) {
        let again = decode_enroll(None, &serde_json::to_vec(&req).expect("serialises"))
            .expect("reads back");
        assert_eq!(again, req);
    }
});
