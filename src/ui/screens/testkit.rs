//! Test helpers for the screens: a real temporary desk with a unit, a clerk and a
//! session (built on the store's own test kit), and desk jobs run in place.

use std::sync::MutexGuard;

use crate::desk::Desk;
use crate::domain::clock::now_vn;
use crate::store::Store;
use crate::store::testkit as store_testkit;
pub use crate::store::testkit::{intake, outbox_len};
use crate::ui::job::{Action, Ran, Up};
use crate::ui::session::Session;

pub struct Kit {
    /// Kept so the directory lives as long as the store.
    #[allow(dead_code)]
    pub dir: tempfile::TempDir,
    pub desk: Desk,
    pub session: Session,
}

impl Kit {
    /// The desk's store for a test's own steps (never held across `settle`).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.desk.lock()
    }
}

pub fn kit() -> Kit {
    let (dir, desk, session) = desk_at(true, "mật khẩu dài", now_vn());
    Kit { dir, desk, session }
}

/// A unit "H22.39.15" with default office hours set up at `now`, and a clerk
/// "tran.mai" (an administrator when `admin`) signed in.
pub fn desk_at(
    admin: bool,
    password: &str,
    now: crate::domain::clock::Timestamp,
) -> (tempfile::TempDir, Desk, Session) {
    let (dir, store, clerk) = store_testkit::unit_with_clerk(admin, password, now);
    let desk = Desk::new(store);
    let session = Session::load(&desk, clerk).expect("session");
    (dir, desk, session)
}

/// What settling an action produced besides state changes.
#[derive(Debug, Default)]
pub struct Settled {
    pub ups: Vec<Up>,
    pub focus: Vec<&'static str>,
}

/// Runs every store job of `action` in place and feeds its message back to `update`,
/// until nothing is left to run.
pub fn settle<M: 'static>(
    desk: &Desk,
    action: Action<M>,
    mut update: impl FnMut(M) -> Action<M>,
) -> Settled {
    let mut out = Settled::default();
    let mut queue = action.into_list();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for a in queue {
            match a {
                Action::Run(job) => {
                    let m = match job.run(desk) {
                        Ran::Message(m) => m,
                        Ran::Panicked(e) => panic!("a job panicked with no way to recover: {e}"),
                    };
                    next.extend(update(m).into_list());
                }
                Action::Up(up) => out.ups.push(up),
                Action::Focus(id) => out.focus.push(id),
                Action::None | Action::Scroll(..) | Action::Many(_) => {}
            }
        }
        queue = next;
    }
    out
}
