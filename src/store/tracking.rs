//! A new tracking code for a dossier (issue 22 §1): a reprint of Mẫu 01 "with a new
//! code" revokes the old one when a receipt was lost or its code shown to others. The
//! token is made here, offline, from the system's randomness (160 bits,
//! `domain::tracking`), and written as this desk's `TrackingRenewed` event in one
//! transaction; the fold then holds only the new token, so the page answers it alone.

use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::EventBody;
use crate::domain::lifecycle;
use crate::domain::tracking::TrackingToken;
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::{fold_dossier, record_clerk_event};

impl Store {
    /// Gives `code` a new tracking token, revoking the one it had; returns the state
    /// with the new token.
    pub fn renew_tracking(
        &mut self,
        code: &str,
        clerk: &str,
        now: Timestamp,
    ) -> Result<DossierState> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        let desk = self.desk()?;
        let calendar = self.calendar()?.clone();
        let token = TrackingToken::generate().map_err(StoreError::Invalid)?;
        self.write(|tx| {
            let mut state = fold_dossier(tx, &code.to_string())?
                .ok_or_else(|| StoreError::UnknownDossier(code.to_string()))?;
            let body = EventBody::TrackingRenewed { token };
            lifecycle::check(&state, &body, to_wall(now), &calendar)?;
            record_clerk_event(tx, &mut state, body, clerk, &desk.desk_id, now, now)?;
            Ok(state)
        })
    }
}
