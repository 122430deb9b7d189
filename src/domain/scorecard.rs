//! The QĐ 766/QĐ-TTg indicators a desk's own data can compute, for one unit and one
//! period, each with the dossiers that cost it points. The desk shows them on F5; the
//! centre calls the same [`scorecard`] per unit. Formulas: DVCQG's "Mô tả công thức
//! tính chỉ số 766" (domain.md §8.1).
//!
//! - **2.1 on time** ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"): the dossiers received
//!   or processed in the period (Biểu 06's set: received before its end, not finished
//!   before its start) that finished, or are still open, by their appointment, judged
//!   by the one rule, [`crate::domain::on_time`]. Costs: the late ones.
//! - **1.4 synced** ("Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG"): dossiers received in the
//!   period whose receipt the centre holds (it feeds the national portal) ÷ those
//!   received. Costs: the ones still only on this desk.
//! - **4.2 / 4.3 digitised** (threshold 80%): dossiers received in the period with at
//!   least one digitised component (HoSoCoThanhPhanSoHoa = 1) ÷ those received. 4.2 also
//!   asks for an electronic result, which the desk does not hold: the figure is the
//!   component part only. Costs: dossiers with no digitised paper.
//! - **5.4 satisfaction** (threshold 90%) = 100% − (late share + share of dossiers with
//!   a complaint (PAKN) or a "dislike" on the portal). The desk records no complaint,
//!   so the figure is the most the unit can score: 100% − the late share of 2.1. Costs:
//!   the late ones.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::domain::clock::{Timestamp, from_wall};
use crate::domain::on_time::{Progress, is_late, judge};
use crate::domain::report::{Period, PeriodKeys};
use crate::domain::status::Timeliness;

/// What the scorecard needs of one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreDossier {
    pub code: String,
    pub received_at: Timestamp,
    pub progress: Progress,
    /// The centre holds its receipt (the desk pushed it and it was acknowledged, or it
    /// came from the centre).
    pub synced: bool,
    /// At least one of its papers is digitised.
    pub digitised: bool,
}

/// A dossier that cost an indicator points, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cost {
    pub code: String,
    pub why: String,
}

/// One indicator: `met` of `of` dossiers, against the threshold that earns full points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// "2.1", "1.4", "4.2/4.3", "5.4".
    pub id: &'static str,
    pub title: &'static str,
    pub met: u64,
    pub of: u64,
    /// The rate that earns the indicator's full points (below it: pro rata), when the
    /// formula document gives one.
    pub threshold: Option<f64>,
    /// What the desk cannot know and the figure leaves out.
    pub note: Option<&'static str>,
    pub costs: Vec<Cost>,
}

impl Indicator {
    /// met ÷ of; `None` when there is nothing to count ("N/A" in the formula notes).
    pub fn rate(&self) -> Option<f64> {
        (self.of > 0).then(|| self.met as f64 / self.of as f64)
    }

    /// The share of full points earned: 1 at or above the threshold, pro rata below.
    pub fn share_of_points(&self) -> Option<f64> {
        let rate = self.rate()?;
        Some(match self.threshold {
            Some(t) if t > 0.0 => (rate / t).min(1.0),
            _ => rate,
        })
    }
}

/// The indicators of one unit in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub on_time: Indicator,
    pub synced: Indicator,
    pub digitised: Indicator,
    pub satisfaction: Indicator,
}

impl Scorecard {
    pub fn indicators(&self) -> [&Indicator; 4] {
        [
            &self.on_time,
            &self.synced,
            &self.digitised,
            &self.satisfaction,
        ]
    }
}

fn day_start(d: chrono::NaiveDate) -> Timestamp {
    from_wall(NaiveDateTime::new(d, chrono::NaiveTime::MIN))
}

fn late_why(t: Timeliness) -> &'static str {
    match t {
        Timeliness::PendingLate => "Đang giải quyết, đã quá hẹn",
        _ => "Giải quyết quá hạn",
    }
}

/// The scorecard of `dossiers` (one unit's) for `period`, made at `now` (open dossiers
/// of a period that has not ended are judged at `now`, as in Biểu 06).
pub fn scorecard(dossiers: &[ScoreDossier], period: &Period, now: Timestamp) -> Scorecard {
    let keys = PeriodKeys::at(period, now);
    let cutoff = keys.judged_at();
    let start = day_start(period.from);
    let end = day_start(period.to.succ_opt().unwrap_or(period.to));
    let mut on_time = indicator("2.1", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", None);
    let mut synced = indicator("1.4", "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", None);
    let mut digitised = indicator("4.2/4.3", "Tỷ lệ hồ sơ có thành phần số hóa", Some(0.8));
    digitised.note = Some(
        "Chỉ tính giấy tờ số hóa trong thành phần hồ sơ; kết quả điện tử (4.2) không có tại quầy",
    );
    let mut satisfaction = indicator(
        "5.4",
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
        Some(0.9),
    );
    satisfaction.note = Some(
        "Quầy không có dữ liệu phản ánh, kiến nghị và đánh giá trên Cổng DVCQG: đây là mức cao nhất có thể đạt",
    );
    let mut sorted: Vec<&ScoreDossier> = dossiers.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    for d in sorted {
        if d.received_at >= end {
            continue;
        }
        let finish = d.progress.finish.map(|f| f.at());
        if finish.is_some_and(|at| at < start) {
            continue;
        }
        let mut progress = d.progress;
        if finish.is_some_and(|at| at >= end) {
            progress.finish = None;
        }
        let class = judge(&progress, cutoff);
        on_time.of += 1;
        satisfaction.of += 1;
        if is_late(class) {
            let cost = Cost {
                code: d.code.clone(),
                why: late_why(class).to_string(),
            };
            on_time.costs.push(cost.clone());
            satisfaction.costs.push(cost);
        } else {
            on_time.met += 1;
            satisfaction.met += 1;
        }
        if d.received_at < start {
            continue;
        }
        synced.of += 1;
        digitised.of += 1;
        if d.synced {
            synced.met += 1;
        } else {
            synced.costs.push(Cost {
                code: d.code.clone(),
                why: "Chưa gửi lên máy chủ trung tâm".into(),
            });
        }
        if d.digitised {
            digitised.met += 1;
        } else {
            digitised.costs.push(Cost {
                code: d.code.clone(),
                why: "Chưa số hóa giấy tờ nào".into(),
            });
        }
    }
    Scorecard {
        on_time,
        synced,
        digitised,
        satisfaction,
    }
}

fn indicator(id: &'static str, title: &'static str, threshold: Option<f64>) -> Indicator {
    Indicator {
        id,
        title,
        met: 0,
        of: 0,
        threshold,
        note: None,
        costs: Vec::new(),
    }
}

/// The scorecard's facts of a folded dossier (the centre's side).
pub fn of_state(state: &crate::domain::dossier::DossierState, synced: bool) -> ScoreDossier {
    ScoreDossier {
        code: state.code.to_string(),
        received_at: state.content.received_at,
        progress: state.progress(),
        synced,
        digitised: !state.documents.is_empty(),
    }
}

#[cfg(test)]
#[path = "scorecard_tests.rs"]
mod tests;
