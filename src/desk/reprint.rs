//! "In lại với mã tra cứu mới" (issue 22 §1): Mẫu 01 printed again with a new
//! tracking code, for a citizen who lost the receipt or whose code was seen by
//! others. The new token is recorded (`TrackingRenewed`, revoking the old one) in one
//! transaction, the form is laid out from the committed state while the store is
//! still held, and it is rendered and printed with the store released.

use crate::desk::forms::{PrintRequest, Printed, output, prepare};
use crate::desk::{Changed, Desk, Result, now};
use crate::domain::dossier::DossierState;
use crate::print::job::DossierForm;

/// A dossier with its new tracking code, and its Mẫu 01 printed with it.
#[derive(Debug, Clone)]
pub struct Renewed {
    /// The dossier after the renewal (`tracking` holds the new token).
    pub state: DossierState,
    pub printed: Printed,
    /// Set when today's backup could not be made (the renewal stands regardless).
    pub backup_warning: Option<String>,
    pub changed: Changed,
}

impl Desk {
    /// Renews the tracking code of `code` and prints its Mẫu 01 with the new QR.
    /// Nothing is written if the renewal is refused; a printer failure after the
    /// commit is reported in `printed` (the new code stands: a plain reprint of
    /// Mẫu 01 then prints it).
    pub fn reprint_with_new_tracking(
        &self,
        code: &str,
        clerk: &str,
        print: &PrintRequest,
    ) -> Result<Renewed> {
        let (state, backup_warning, prepared) = {
            let mut store = self.lock();
            let now = now();
            let state = store.renew_tracking(code, clerk, now)?;
            let warning = self.backup_after_write(now);
            let prepared = prepare(
                &store,
                &state.code.to_string(),
                DossierForm::M01,
                print.paper,
            );
            (state, warning, prepared)
        };
        let printed = output(prepared, DossierForm::M01, print.printer.as_deref());
        Ok(Renewed {
            changed: Changed::dossier(state.code.to_string()),
            state,
            printed,
            backup_warning,
        })
    }
}
