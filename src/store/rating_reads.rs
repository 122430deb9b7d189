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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::{now_vn, to_wall};
    use crate::domain::dossier_code::DossierCode;
    use crate::domain::event::{Actor, ActorRole, Event, EventBody, EventId};
    use crate::domain::rating::{Answer, Choice, Indicator, RatingChannel};
    use crate::store::dossiers::ActionRequest;
    use crate::store::log::{insert_event, refold};
    use crate::store::testkit::{intake, unit_with_clerk};

    fn answer(choice: Choice) -> Vec<Answer> {
        vec![Answer {
            indicator: Indicator::Attitude,
            choice,
        }]
    }

    /// A web rating arriving from the centre, as a pull writes it.
    fn pulled_rating(store: &mut Store, code: &str, rating: Rating) {
        let event = Event {
            id: EventId::new(),
            dossier: DossierCode::parse(code).expect("code"),
            at: now_vn(),
            actor: Actor {
                name: "Người nộp hồ sơ (trang tra cứu)".into(),
                role: ActorRole::CentreOperator,
            },
            origin: "centre".into(),
            body: EventBody::Rated { rating },
        };
        store
            .write(|tx| {
                insert_event(tx, &event, now_vn())?;
                refold(tx, [code.to_string()], now_vn())
            })
            .expect("pulled");
    }

    #[test]
    fn one_rating_per_dossier_and_none_without_its_receipt() {
        let (_dir, mut store, _) = unit_with_clerk(true, "mật khẩu dài", now_vn());
        let code = intake(&mut store, "Nguyễn Thị Hải", "022190001234", None);
        for request in [
            ActionRequest::ResultReady {
                note: String::new(),
            },
            ActionRequest::Return {
                collected_by: None,
                note: String::new(),
            },
        ] {
            store
                .record(&code, request, None, "Trần Thị Mai", now_vn())
                .expect("recorded");
        }
        let kept = store
            .rate_at_counter(&code, answer(Choice::A), "Trần Thị Mai", now_vn())
            .expect("rated")
            .rating
            .expect("kept");
        // A second rating pulled later (an anomaly the fold does not keep), and a
        // rating of a dossier whose receipt has not arrived.
        let mut web = kept.clone();
        web.channel = RatingChannel::Web;
        pulled_rating(&mut store, &code, web.clone());
        pulled_rating(&mut store, "H22.39.15-261201-0999", web);

        // Yesterday and today: a run across midnight stays inside.
        let today = to_wall(now_vn()).date();
        let yesterday = today.pred_opt().expect("a day");
        let period = Period::new(yesterday, today).expect("two days");
        let codes = store.rated_codes(&period).expect("codes");
        assert_eq!(codes, vec![code.clone()]);
        let rated = store.rated_dossiers(&codes).expect("rated");
        assert_eq!(rated.len(), 1);
        assert_eq!(rated[0].rating, kept, "the first rating, from the counter");
        assert_eq!(rated[0].received_by, "Trần Thị Mai");

        let earlier = yesterday.pred_opt().expect("a day");
        let before = Period::new(earlier, earlier).expect("the day before");
        assert!(store.rated_codes(&before).expect("codes").is_empty());
    }
}
