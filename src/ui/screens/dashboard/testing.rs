//! Helpers for the screen tests of the dashboard, catalogue and settings: a real
//! temporary store with a unit and a signed-in clerk, and dossiers taken in at
//! chosen times.

use chrono::DateTime;
use tempfile::TempDir;

use crate::desk::Desk;
use crate::domain::clock::{Timestamp, from_wall};
use crate::domain::intake::IntakeInput;
use crate::store::Store;
use crate::store::dossiers::ActionRequest;
use crate::ui::job::Action;
use crate::ui::session::Session;

pub const PASSWORD: &str = "mat-khau-8";

pub fn t(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).expect("rfc 3339")
}

pub fn wall(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    from_wall(
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid test time"),
    )
}

/// A unit "H22.39.15" with default office hours, and a clerk (or administrator)
/// signed in.
pub fn desk(admin: bool) -> (TempDir, Desk, Session) {
    crate::ui::screens::testkit::desk_at(admin, PASSWORD, wall(2025, 1, 2, 8, 0))
}

/// Takes in one dossier of `procedure` received at `received` (RFC 3339).
pub fn take(store: &mut Store, procedure: &str, received: &str, now: Timestamp) -> String {
    let json = format!(
        r#"{{
  "procedure": "{procedure}",
  "applicant": {{
    "full_name": "Nguyễn Thị Ngọc Ánh",
    "id_number": "022190001234",
    "date_of_birth": "1990-05-17",
    "gender": "Nữ",
    "address": "Số 12 đường Lê Thánh Tông, phường Hồng Gai, tỉnh Quảng Ninh",
    "phone": "0912 345 678"
  }},
  "received_at": "{received}"
}}"#
    );
    let input = IntakeInput::from_json(&json).expect("input");
    store
        .intake(input, "Trần Thị Mai", now)
        .expect("intake")
        .code
        .to_string()
}

pub fn act(store: &mut Store, code: &str, at: &str, request: ActionRequest, now: Timestamp) {
    store
        .record(code, request, Some(t(at)), "Trần Thị Mai", now)
        .expect("recorded");
}

pub fn ready(store: &mut Store, code: &str, at: &str, now: Timestamp) {
    act(
        store,
        code,
        at,
        ActionRequest::ResultReady {
            note: String::new(),
        },
        now,
    );
}

/// Runs every store job of `action` in place, feeding results back through
/// `update`, until nothing is left to run; returns what else was asked for.
pub fn drive<M: std::fmt::Debug + 'static>(
    store: &Desk,
    action: Action<M>,
    update: &mut dyn FnMut(M) -> Action<M>,
) -> Vec<Action<M>> {
    let settled = crate::ui::screens::testkit::settle(store, action, update);
    let ups = settled.ups.into_iter().map(Action::Up);
    ups.chain(settled.focus.into_iter().map(Action::Focus))
        .collect()
}
