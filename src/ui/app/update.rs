//! The status line's update offer (issue 25 §3): a successful sync round now and then
//! asks the centre for a newer version; the administrator's "Cập nhật" stages it
//! through the `Desk`, as `motcua update --accept` does. It is installed when the
//! window closes (`ui::run`).

use std::time::Instant;

use super::{Message, SignedIn};
use crate::ui::job::Action;
use crate::ui::status::{self, UpdateEvent};

impl SignedIn {
    /// After a successful round: asks for a newer version, when a look is due.
    pub(super) fn look_for_update(&mut self, now: Instant) -> Action<Message> {
        if self.update.look_due(now) {
            status::look_for_update(false)
        } else {
            Action::None
        }
    }

    pub(super) fn update_event(&mut self, event: UpdateEvent) -> Action<Message> {
        match event {
            // Only an administrator accepts, and never from behind the lock screen.
            UpdateEvent::Accept
                if self.lock.is_none() && self.update.can_accept(self.session.clerk.is_admin) =>
            {
                self.update.staging = true;
                self.update.problem = None;
                status::look_for_update(true)
            }
            other => {
                if !matches!(other, UpdateEvent::Accept) {
                    self.update.apply(other);
                }
                Action::None
            }
        }
    }

    /// The update part of the status line, and whether it shows "Cập nhật".
    pub(super) fn offer(&self) -> (&status::UpdateOffer, bool) {
        let accept = self.lock.is_none() && self.update.can_accept(self.session.clerk.is_admin);
        (&self.update, accept)
    }
}
