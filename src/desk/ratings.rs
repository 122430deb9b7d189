//! The citizens' ratings on F5 (issue 22 §3; TT 01/2018 Art 14): the unit's figures
//! for the dashboard's month — how many ratings (at the counter, on the web), each
//! indicator's average points, complaints — and, for an administrator only, the same
//! per receiving clerk. A plain clerk never gets a colleague's figures: the rows are
//! not read for them, not merely hidden by the window.

use chrono::Datelike;

use crate::desk::{Clerk, Desk, Result, StoreError};
use crate::domain::clock::{Timestamp, to_wall};
use crate::domain::rating::Summary;
use crate::domain::report::Period;
use crate::store::dashboard::month_end;
use crate::store::rating_reads::RatedDossier;

/// Rated dossiers folded per hold of the store (see `rating_results`).
pub const FOLDS_PER_LOCK: usize = 100;

/// One receiving clerk's ratings.
#[derive(Debug, Clone, PartialEq)]
pub struct ClerkRatings {
    pub clerk: String,
    pub summary: Summary,
}

/// The ratings of a period, as F5 shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingResults {
    pub period: Period,
    pub unit: Summary,
    /// Per receiving clerk, by name; empty unless the viewer is an administrator.
    pub clerks: Vec<ClerkRatings>,
}

/// Sums `rated` for the unit and, when `per_clerk`, per receiving clerk.
pub fn sum(period: Period, rated: &[RatedDossier], per_clerk: bool) -> RatingResults {
    let mut unit = Summary::default();
    let mut clerks: Vec<ClerkRatings> = Vec::new();
    for r in rated {
        unit.add(&r.rating);
        if !per_clerk {
            continue;
        }
        let at = match clerks.binary_search_by(|c| c.clerk.as_str().cmp(&r.received_by)) {
            Ok(i) => i,
            Err(i) => {
                clerks.insert(
                    i,
                    ClerkRatings {
                        clerk: r.received_by.clone(),
                        summary: Summary::default(),
                    },
                );
                i
            }
        };
        clerks[at].summary.add(&r.rating);
    }
    RatingResults {
        period,
        unit,
        clerks,
    }
}

/// The dashboard's month around `now` (the QĐ 766 scorecard's period too).
pub fn month_of(now: Timestamp) -> Result<Period> {
    let today = to_wall(now).date();
    let first = today.with_day(1).unwrap_or(today);
    Period::new(first, month_end(today)).map_err(|e| StoreError::Invalid(e.to_string()))
}

impl Desk {
    /// The ratings given in the month of `now`, per clerk only for an administrator.
    /// Folding is the slow part, so the store is taken for `FOLDS_PER_LOCK` dossiers
    /// at a time: an intake waits for one slice at most, never for the whole month.
    pub fn rating_results(&self, now: Timestamp, viewer: &Clerk) -> Result<RatingResults> {
        let period = month_of(now)?;
        let codes = self.lock().rated_codes(&period)?;
        let mut rated = Vec::with_capacity(codes.len());
        for slice in codes.chunks(FOLDS_PER_LOCK) {
            rated.extend(self.lock().rated_dossiers(slice)?);
        }
        Ok(sum(period, &rated, viewer.is_admin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rating::{Answer, Choice, Indicator, Rating, RatingChannel, Score};

    fn rating(channel: RatingChannel, points: [u8; 6], complaint: bool) -> Rating {
        let asked = [
            (Indicator::Bodies, Choice::A),
            (Indicator::Published, Choice::B),
            (
                Indicator::Attitude,
                if complaint { Choice::C } else { Choice::A },
            ),
        ];
        Rating {
            channel,
            answers: asked
                .iter()
                .map(|(indicator, choice)| Answer {
                    indicator: *indicator,
                    choice: *choice,
                })
                .collect(),
            scores: Indicator::ALL
                .iter()
                .zip(points)
                .map(|(indicator, points)| Score {
                    indicator: *indicator,
                    points,
                })
                .collect(),
        }
    }

    fn rated(code: &str, clerk: &str, rating: Rating) -> RatedDossier {
        RatedDossier {
            code: code.into(),
            received_by: clerk.into(),
            rating,
        }
    }

    fn november() -> Period {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).expect("a day");
        Period::new(day(1), day(30)).expect("november")
    }

    fn data() -> Vec<RatedDossier> {
        vec![
            rated(
                "A",
                "Trần Thị Mai",
                rating(RatingChannel::Counter, [2, 2, 2, 2, 1, 2], false),
            ),
            rated(
                "B",
                "Lê Văn Hòa",
                rating(RatingChannel::Web, [0, 0, 1, 0, 0, 0], true),
            ),
            rated(
                "C",
                "Trần Thị Mai",
                rating(RatingChannel::Counter, [1, 1, 0, 2, 2, 1], false),
            ),
        ]
    }

    #[test]
    fn the_unit_sums_every_rating_and_an_administrator_gets_each_clerk() {
        let all = sum(november(), &data(), true);
        let u = &all.unit;
        assert_eq!((u.count, u.counter, u.web, u.complaints), (3, 2, 1, 1));
        // Indicator 1: (2 + 0 + 1) / 3; indicator 3: (2 + 1 + 0) / 3; 6: (1 + 0 + 2) / 3.
        assert_eq!(u.average(Indicator::TotalTime), Some(1.0));
        assert_eq!(u.average(Indicator::Contacts), Some(1.0));
        assert_eq!(u.average(Indicator::Bodies), Some(4.0 / 3.0));
        assert_eq!(u.average(Indicator::Attitude), Some(1.0));
        let names: Vec<&str> = all.clerks.iter().map(|c| c.clerk.as_str()).collect();
        assert_eq!(names, ["Lê Văn Hòa", "Trần Thị Mai"]);
        let mai = &all.clerks[1].summary;
        assert_eq!(
            (mai.count, mai.counter, mai.web, mai.complaints),
            (2, 2, 0, 0)
        );
        assert_eq!(mai.average(Indicator::TotalTime), Some(1.5));
        assert_eq!(mai.average(Indicator::Attitude), Some(1.5));
        let hoa = &all.clerks[0].summary;
        assert_eq!((hoa.count, hoa.web, hoa.complaints), (1, 1, 1));
        assert_eq!(hoa.average(Indicator::Contacts), Some(1.0));
    }

    #[test]
    fn a_plain_clerk_gets_the_unit_only() {
        let plain = sum(november(), &data(), false);
        assert_eq!(plain.unit, sum(november(), &data(), true).unit);
        assert!(plain.clerks.is_empty());
        let none = sum(november(), &[], true);
        assert_eq!(none.unit.count, 0);
        assert_eq!(none.unit.average(Indicator::TotalTime), None);
        assert!(none.clerks.is_empty());
    }

    #[test]
    fn the_period_is_the_dashboards_month() {
        let now =
            chrono::DateTime::parse_from_rfc3339("2026-11-18T10:00:00+07:00").expect("a time");
        let p = month_of(now).expect("a month");
        assert_eq!(p, november());
    }
}
