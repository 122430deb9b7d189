//! The counter's writes: taking a dossier in and recording what happens to it. Each
//! is one transaction, then today's backup, then — with the store released — the
//! form on paper when one was asked for.

#[cfg(feature = "desk")]
use crate::desk::forms::{PrintRequest, Printed, output, prepare};
use crate::desk::{Changed, Desk, now};
use crate::domain::clock::Timestamp;
use crate::domain::dossier::DossierState;
use crate::domain::intake::IntakeInput;
#[cfg(feature = "desk")]
use crate::print::job::DossierForm;
use crate::store::dossiers::ActionRequest;
use crate::store::{Result, Store};

/// A dossier taken in, or an action recorded on one.
#[derive(Debug, Clone)]
pub struct Written {
    pub state: DossierState,
    /// The form printed after the commit (Mẫu 01, or the action's notice), when
    /// one was asked for.
    #[cfg(feature = "desk")]
    pub printed: Option<Printed>,
    /// Set when today's backup could not be made (the write stands regardless).
    pub backup_warning: Option<String>,
    pub changed: Changed,
}

impl Written {
    /// A write with nothing printed after it: the dossier it changed.
    pub fn unprinted(state: DossierState, backup_warning: Option<String>) -> Written {
        Written {
            changed: Changed::dossier(state.code.to_string()),
            state,
            #[cfg(feature = "desk")]
            printed: None,
            backup_warning,
        }
    }
}

/// Who is taking the dossier in, and the draft it was typed in (discarded with the
/// save: it has done its job).
#[derive(Debug, Clone, Copy)]
pub struct Intake<'a> {
    pub clerk: &'a str,
    /// (clerk's username, screen) of the draft.
    pub draft: Option<(&'a str, &'a str)>,
}

impl Desk {
    /// Takes in one dossier: one transaction, then today's backup.
    pub fn take_in(&self, input: IntakeInput, who: Intake<'_>) -> Result<Written> {
        let (state, backup_warning, ()) = self.commit_intake(input, who, |_, _| ())?;
        Ok(Written::unprinted(state, backup_warning))
    }

    /// Takes in one dossier and prints its Mẫu 01 (after the commit, with the store
    /// released: a slow printer never holds up another desk action).
    #[cfg(feature = "desk")]
    pub fn take_in_and_print(
        &self,
        input: IntakeInput,
        who: Intake<'_>,
        print: &PrintRequest,
    ) -> Result<Written> {
        let (state, backup_warning, prepared) = self.commit_intake(input, who, |store, code| {
            prepare(store, code, DossierForm::M01, print.paper)
        })?;
        let printed = output(prepared, DossierForm::M01, print.printer.as_deref());
        Ok(Written {
            changed: Changed::dossier(state.code.to_string()),
            state,
            printed: Some(printed),
            backup_warning,
        })
    }

    /// Records an action on `code` (refused when the dossier's state does not allow
    /// it): one transaction, then today's backup.
    pub fn record(
        &self,
        code: &str,
        request: ActionRequest,
        at: Option<Timestamp>,
        clerk: &str,
    ) -> Result<Written> {
        let (state, backup_warning, ()) =
            self.commit_record(code, request, at, clerk, |_, _| ())?;
        Ok(Written::unprinted(state, backup_warning))
    }

    /// Records an action and prints its notice `form` after the commit.
    #[cfg(feature = "desk")]
    pub fn record_and_print(
        &self,
        code: &str,
        request: ActionRequest,
        clerk: &str,
        form: DossierForm,
        print: &PrintRequest,
    ) -> Result<Written> {
        let (state, backup_warning, prepared) =
            self.commit_record(code, request, None, clerk, |store, code| {
                prepare(store, code, form, print.paper)
            })?;
        let printed = output(prepared, form, print.printer.as_deref());
        Ok(Written {
            changed: Changed::dossier(state.code.to_string()),
            state,
            printed: Some(printed),
            backup_warning,
        })
    }

    /// The intake transaction and the backup; `then` reads what the printing needs
    /// while the store is still held.
    fn commit_intake<P>(
        &self,
        input: IntakeInput,
        who: Intake<'_>,
        then: impl FnOnce(&Store, &str) -> P,
    ) -> Result<(DossierState, Option<String>, P)> {
        let mut store = self.lock();
        let now = now();
        let state = store.intake(input, who.clerk, now)?;
        if let Some((username, screen)) = who.draft {
            // Best effort: a draft left over is offered again, never lost.
            let _ = store.discard_draft(username, screen);
        }
        let warning = self.backup_after_write(now);
        let code = state.code.to_string();
        let next = then(&store, &code);
        Ok((state, warning, next))
    }

    fn commit_record<P>(
        &self,
        code: &str,
        request: ActionRequest,
        at: Option<Timestamp>,
        clerk: &str,
        then: impl FnOnce(&Store, &str) -> P,
    ) -> Result<(DossierState, Option<String>, P)> {
        let mut store = self.lock();
        let now = now();
        let state = store.record(code, request, at, clerk, now)?;
        let warning = self.backup_after_write(now);
        let code = state.code.to_string();
        let next = then(&store, &code);
        Ok((state, warning, next))
    }
}
