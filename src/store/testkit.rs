//! Test helpers for store tests (and the screens' kit built on them): a real
//! temporary store with a unit and a clerk, dossiers taken in through the store.

use crate::domain::clock::now_vn;
use crate::domain::intake::IntakeInput;
use crate::store::accounts::{Clerk, NewClerk};
use crate::store::setup::InitInput;
use crate::store::{DataPaths, Store};

#[derive(Debug)]
pub struct Kit {
    /// Kept so the directory lives as long as the store.
    #[allow(dead_code)]
    pub dir: tempfile::TempDir,
    pub store: Store,
}

pub fn kit() -> Kit {
    let (dir, store, _) = unit_with_clerk(true, "mật khẩu dài", now_vn());
    Kit { dir, store }
}

/// A unit "H22.39.15" with default office hours set up at `now`, and a clerk
/// "tran.mai" (an administrator when `admin`).
pub fn unit_with_clerk(
    admin: bool,
    password: &str,
    now: crate::domain::clock::Timestamp,
) -> (tempfile::TempDir, Store, Clerk) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(DataPaths::in_dir(dir.path())).expect("open");
    store
        .init(
            &InitInput {
                unit_code: "H22.39.15".into(),
                unit_name: "UBND phường Hồng Gai".into(),
                authority: "UBND tỉnh Quảng Ninh".into(),
                place: "Hồng Gai".into(),
                desk_index: 0,
                working_hours: None,
            },
            now,
        )
        .expect("init");
    let clerk = store
        .add_clerk(
            &NewClerk {
                username: "tran.mai".into(),
                full_name: "Trần Thị Mai".into(),
                password: password.into(),
                is_admin: admin,
            },
            now,
        )
        .expect("clerk");
    (dir, store, clerk)
}

/// Takes in a dossier for procedure 1.004873 (3 working days); `received_at` RFC 3339
/// or now. Returns its code.
pub fn intake(store: &mut Store, name: &str, id_number: &str, received_at: Option<&str>) -> String {
    let received = received_at
        .map(|r| format!(r#", "received_at": "{r}""#))
        .unwrap_or_default();
    let json = format!(
        r#"{{
  "procedure": "1.004873",
  "applicant": {{
    "full_name": "{name}",
    "id_number": "{id_number}",
    "date_of_birth": "1990-05-17",
    "gender": "Nữ",
    "address": "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh",
    "phone": "0912 345 678"
  }}{received}
}}"#
    );
    let input = IntakeInput::from_json(&json).expect("json");
    store
        .intake(input, "Trần Thị Mai", now_vn())
        .expect("intake")
        .code
        .to_string()
}

pub fn outbox_len(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .expect("count")
}
