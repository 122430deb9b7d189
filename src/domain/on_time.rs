//! The one rule that classes a dossier early / on time / late (trước hạn / đúng hạn /
//! quá hạn) or, still open, in time / late: **indicator 2.1 of QĐ 766/QĐ-TTg** ("Tỷ lệ
//! hồ sơ xử lý trước hạn, đúng hạn"), the figure the province scores a commune by.
//! Biểu 06 (`report::contribution`), the dossier's lifecycle (`lifecycle::classify`: the
//! control slip, the command line), the dashboard, the F5 scorecard, the centre's
//! statistics and the DVCQG export all call [`judge`], so their figures cannot disagree.
//!
//! Source: DVCQG's "Mô tả công thức tính chỉ số 766" (domain.md §8.1), indicator 2.1:
//! "Hồ sơ … được tính đúng hạn, trong hạn khi: Thời gian kết thúc xử lý
//! (NgayKetThucXuLy) <= Ngày hẹn trả (NgayHenTra)". Hence:
//!
//! - **Compared as date-times**, not calendar days: a same-day procedure finished
//!   before its hour is trước hạn, a result ready hours after the printed time is quá
//!   hạn. The appointment is printed to the minute ("16 giờ 30 phút"), so an end within
//!   that minute is đúng hạn; earlier is trước hạn, later quá hạn (the production
//!   Biểu 06 of Thanh Hóa: trước hạn NgayTra < NgayHenTra, đúng hạn =, quá hạn >).
//! - **The end of processing** is the moment of "Đã xử lý xong" (result ready), else
//!   "Đã trả kết quả", else "Từ chối / Dừng xử lý / Công dân rút" — [`finish_of`]. A
//!   dossier closed without a result is never trước hạn (nothing was delivered early):
//!   by its appointment it is đúng hạn, as Biểu II.06a prints it ("Đúng hạn, bao gồm cả
//!   hồ sơ … trả lại/xin rút"); after it, quá hạn.
//! - **Waiting for the citizen's supplement is not counted**: "Thời gian kết thúc xử lý
//!   hồ sơ = Thời gian kết thúc xử lý − Thời gian bổ sung hồ sơ", the latter being
//!   "hoàn thành bổ sung hồ sơ − Yêu cầu bổ sung", compared with the appointment the
//!   dossier carries (NgayHenTra as synced: after a supplement, the restarted one).
//! - **A dossier still waiting for its supplement ends at the request** ("lấy ngày cán
//!   bộ yêu cầu bổ sung hồ sơ là Thời gian kết thúc xử lý"): it stays "đang giải quyết"
//!   in Biểu 06, in time when the request came by the appointment.
//! - **A second supplement request makes the dossier late** ("trừ trường hợp Yêu cầu
//!   bổ sung hơn 01 lần thì tính quá hạn"; NĐ 61/2018 Art 19: the desk asks once).
//! - **Open** at the cut-off (now, or the end of a report's period: "Chưa có trạng thái
//!   hoàn thành → lấy ngày cuối kỳ báo cáo là ngày kết thúc xử lý"): in time while the
//!   cut-off (less the time waited for papers) has not passed the appointment.

use chrono::{Duration, DurationRound};

use crate::domain::clock::Timestamp;
use crate::domain::status::Timeliness;

/// How a dossier ended, when it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish<T> {
    /// The result was ready (or handed over) at this moment.
    Result(T),
    /// Refused, withdrawn or stopped at this moment.
    NoResult(T),
}

impl<T: Copy> Finish<T> {
    /// The moment processing ended.
    pub fn at(self) -> T {
        match self {
            Finish::Result(at) | Finish::NoResult(at) => at,
        }
    }
}

/// What the dossier's supplement requests (Mẫu 02) mean for the rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Supplements {
    /// When the second request was made: late from then on.
    pub second_request_at: Option<Timestamp>,
    /// When the open request was made, while the dossier waits for the papers.
    pub waiting_since: Option<Timestamp>,
    /// Seconds spent waiting for papers in supplements already received.
    pub waited_secs: i64,
}

/// The facts the rule reads of one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The appointment the dossier carries now (restarted by a supplement, extended by
    /// a Mẫu 04).
    pub due: Timestamp,
    pub finish: Option<Finish<Timestamp>>,
    pub supplements: Supplements,
}

/// Ten years, in seconds.
const MAX_WAIT_SECS: i64 = 10 * 366 * 24 * 3600;

/// The appointment's precision: the minute it prints.
fn minute(t: Timestamp) -> Timestamp {
    t.duration_trunc(Duration::minutes(1)).unwrap_or(t)
}

/// The rule (see the module docs), at `cutoff`. Facts after the cut-off (a finish, a
/// request) are not known at it and do not count.
pub fn judge(p: &Progress, cutoff: Timestamp) -> Timeliness {
    let s = &p.supplements;
    // Bounded: a wait longer than a few years is no real wait and must not overflow.
    let waited = Duration::seconds(s.waited_secs.clamp(0, MAX_WAIT_SECS));
    let less_waited = |t: Timestamp| t.checked_sub_signed(waited).unwrap_or(t);
    let due = minute(p.due);
    let second_request = s.second_request_at.is_some_and(|at| at <= cutoff);
    match p.finish.filter(|f| f.at() <= cutoff) {
        Some(finish) => {
            if second_request {
                return Timeliness::Late;
            }
            let end = minute(less_waited(finish.at()));
            match (finish, end.cmp(&due)) {
                (_, std::cmp::Ordering::Greater) => Timeliness::Late,
                (Finish::Result(_), std::cmp::Ordering::Less) => Timeliness::Early,
                _ => Timeliness::OnTime,
            }
        }
        None => {
            if second_request {
                return Timeliness::PendingLate;
            }
            // Waiting for papers: it ended, for the rule, when they were asked for.
            let end = less_waited(s.waiting_since.filter(|at| *at <= cutoff).unwrap_or(cutoff));
            if minute(end) <= due {
                Timeliness::PendingInTime
            } else {
                Timeliness::PendingLate
            }
        }
    }
}

/// The finish of a dossier from its projection's moments: a result (ready, else
/// returned) wins over a closing.
pub fn finish_of<T: Copy>(
    result_ready_at: Option<T>,
    returned_at: Option<T>,
    closed_at: Option<T>,
) -> Option<Finish<T>> {
    result_ready_at
        .or(returned_at)
        .map(Finish::Result)
        .or(closed_at.map(Finish::NoResult))
}

/// Whether a class costs the dossier its point in indicator 2.1 (quá hạn, resolved or
/// not).
pub fn is_late(t: Timeliness) -> bool {
    matches!(t, Timeliness::Late | Timeliness::PendingLate)
}

/// The calendar day of a canonical RFC 3339 time at +07:00 (its first ten characters).
pub fn text_day(key: &str) -> &str {
    key.get(..10).unwrap_or(key)
}

#[cfg(test)]
#[path = "on_time_tests.rs"]
mod tests;
