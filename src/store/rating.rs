//! The citizen's rating given at the counter (issue 22 §3): scored from the dossier as
//! it stands, checked by the lifecycle (returned, once), and written as this desk's
//! own event in one transaction.

use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::dossier::DossierState;
use crate::domain::dossier_code::DossierCode;
use crate::domain::event::EventBody;
use crate::domain::lifecycle;
use crate::domain::rating::{self, Answer, RatingChannel};
use crate::store::Store;
use crate::store::error::{Result, StoreError};
use crate::store::log::{fold_dossier, record_clerk_event};

impl Store {
    /// Records the answers given at the counter for a returned dossier.
    pub fn rate_at_counter(
        &mut self,
        code: &str,
        answers: Vec<Answer>,
        clerk: &str,
        now: Timestamp,
    ) -> Result<DossierState> {
        let code = DossierCode::parse(code.trim()).map_err(StoreError::from)?;
        let desk = self.desk()?;
        let calendar = self.calendar()?.clone();
        self.write(|tx| {
            let mut state = fold_dossier(tx, &code.to_string())?
                .ok_or_else(|| StoreError::UnknownDossier(code.to_string()))?;
            let rating = rating::rate(&state, RatingChannel::Counter, answers)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            let body = EventBody::Rated { rating };
            lifecycle::check(&state, &body, to_wall(now), &calendar)?;
            record_clerk_event(tx, &mut state, body, clerk, &desk.desk_id, now, now)?;
            Ok(state)
        })
    }
}
