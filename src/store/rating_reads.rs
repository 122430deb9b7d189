//! The ratings given in a period (F5, issue 22 §3): the dossiers with a Rated event
//! dated in it, each folded so that only the rating the lifecycle kept counts (one per
//! dossier; a second one pulled from sync is an anomaly, not a rating).

use rusqlite::params;

use crate::domain::rating::Rating;
use crate::domain::report::Period;
use crate::store::Store;
use crate::store::error::Result;
use crate::store::log::fold_dossier;

/// One kept rating and the clerk who received its dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedDossier {
    pub code: String,
    pub received_by: String,
    pub rating: Rating,
}

impl Store {
    /// The codes of the dossiers rated in `period` (by the Rated event's time, on the
    /// unit's clock: every stored `at` is written in Vietnam's offset, so days compare
    /// as text), in code order; only dossiers whose receipt is here (the projection's
    /// rows): a rating pulled before another desk's receipt counts once it arrives.
    pub fn rated_codes(&self, period: &Period) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT dossier_code FROM dossier_event
             WHERE kind = 'rated' AND at >= ?1 AND at < ?2
               AND dossier_code IN (SELECT code FROM dossier)
             ORDER BY dossier_code",
        )?;
        let codes = stmt
            .query_map(params![period.start_key(), period.end_key()], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(codes)
    }

    /// The kept rating of each of `codes` (from `rated_codes`), folded.
    pub fn rated_dossiers(&self, codes: &[String]) -> Result<Vec<RatedDossier>> {
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            let Some(state) = fold_dossier(self.conn(), code)? else {
                continue;
            };
            if let Some(rating) = state.rating {
                out.push(RatedDossier {
                    code: code.clone(),
                    received_by: state.content.received_by,
                    rating,
                });
            }
        }
        Ok(out)
    }
}
