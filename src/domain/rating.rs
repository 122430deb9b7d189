//! The citizen's rating of one dossier's service (issue 22 §2–§3; NĐ 61/2018 Art 29(1);
//! TT 01/2018/TT-VPCP Art 12–14).
//!
//! TT 01/2018 Art 14 scores six of its Art 13 indicators per dossier (1, 2, 3, 4, 6, 7),
//! each 0–2 points, through the rating form, the device at the desk and online. Three
//! of them the dossier already knows, so the citizen is never asked them:
//! - 1, total time against the limit: 2 shorter, 1 equal, 0 longer, by the on-time rule
//!   every figure of the app uses ([`crate::domain::on_time::judge`]);
//! - 2, each participating unit's time against its limit: one unit handles a ward
//!   dossier here, so it is indicator 1 again;
//! - 3, contacts needed to complete the dossier: 0 supplement requests = 2, one = 1,
//!   more = 0.
//!
//! The other three are asked, three taps ([`QUESTIONS`]), in the words of the form (the
//! production list HuanVu201/DichVuCong_KhoaLuan_PASETO `TieuChiDanhGiaHaiLong.json`
//! quotes the Art 13 scales):
//! - 4, bodies contacted to complete the dossier: none = 2, only the one-stop desk = 1,
//!   more than one = 0;
//! - 6, the procedure published correctly, fully, on time: posted and online = 2, one of
//!   the two = 1, neither = 0;
//! - 7, staff attitude: the citizen says whether they have a complaint (harassment,
//!   trouble, not following the law). The form scores 0 with a complaint, otherwise 2
//!   when the result came early and 1 on time; late without complaint has no line in
//!   the form and scores 1 (the delay already costs indicators 1 and 2).
//!
//! A rating is one event per dossier, allowed once the result is returned (the
//! lifecycle's rule), given at the counter or on the tracking page.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::dossier::DossierState;
use crate::domain::on_time;
use crate::domain::status::Timeliness;

/// Where the citizen rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingChannel {
    /// At the desk: the facing screen or the clerk's keypad.
    Counter,
    /// On the public tracking page, written by the centre.
    Web,
}

impl RatingChannel {
    pub fn label_vi(self) -> &'static str {
        match self {
            RatingChannel::Counter => "Tại quầy",
            RatingChannel::Web => "Trực tuyến (trang tra cứu)",
        }
    }
}

/// An indicator of TT 01/2018 Art 13 that Art 14 scores per dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Indicator {
    TotalTime = 1,
    UnitTime = 2,
    Contacts = 3,
    Bodies = 4,
    Published = 6,
    Attitude = 7,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::TotalTime,
        Indicator::UnitTime,
        Indicator::Contacts,
        Indicator::Bodies,
        Indicator::Published,
        Indicator::Attitude,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    /// The indicator's name in reports.
    pub fn label_vi(self) -> &'static str {
        match self {
            Indicator::TotalTime => "Tổng thời gian giải quyết so với quy định",
            Indicator::UnitTime => "Thời gian của từng cơ quan, đơn vị so với quy định",
            Indicator::Contacts => "Số lần phải liên hệ để hoàn thiện hồ sơ",
            Indicator::Bodies => "Số cơ quan, đơn vị phải liên hệ",
            Indicator::Published => "Công khai thủ tục hành chính",
            Indicator::Attitude => "Thái độ của cán bộ, công chức",
        }
    }

    /// Whether the citizen is asked it (else the dossier answers).
    pub fn is_asked(self) -> bool {
        matches!(
            self,
            Indicator::Bodies | Indicator::Published | Indicator::Attitude
        )
    }
}

impl TryFrom<u8> for Indicator {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Indicator::ALL
            .into_iter()
            .find(|i| i.number() == n)
            .ok_or_else(|| format!("Chỉ số đánh giá {n} không thuộc TT 01/2018 Điều 14"))
    }
}

impl From<Indicator> for u8 {
    fn from(i: Indicator) -> u8 {
        i.number()
    }
}

/// The citizen's choice, as the form's lines a, b, c (best first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    A,
    B,
    C,
}

/// One line a question offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerOption {
    pub choice: Choice,
    pub label: &'static str,
}

/// One question asked of the citizen, in plain words, with its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub indicator: Indicator,
    pub text: &'static str,
    pub options: &'static [AnswerOption],
}

/// The three questions, in the order asked.
pub const QUESTIONS: [Question; 3] = [
    Question {
        indicator: Indicator::Bodies,
        text: "Để hoàn thiện hồ sơ, Ông/Bà đã phải liên hệ bao nhiêu cơ quan, đơn vị?",
        options: &[
            AnswerOption {
                choice: Choice::A,
                label: "Không phải liên hệ nơi nào",
            },
            AnswerOption {
                choice: Choice::B,
                label: "Chỉ Bộ phận Một cửa",
            },
            AnswerOption {
                choice: Choice::C,
                label: "Nhiều hơn một nơi",
            },
        ],
    },
    Question {
        indicator: Indicator::Published,
        text: "Thủ tục này có được công khai chính xác, đầy đủ, kịp thời không?",
        options: &[
            AnswerOption {
                choice: Choice::A,
                label: "Có, cả niêm yết và trên mạng",
            },
            AnswerOption {
                choice: Choice::B,
                label: "Chỉ niêm yết hoặc chỉ trên mạng",
            },
            AnswerOption {
                choice: Choice::C,
                label: "Không",
            },
        ],
    },
    Question {
        indicator: Indicator::Attitude,
        text: "Cán bộ có nhũng nhiễu, gây phiền hà hoặc làm sai quy định không?",
        options: &[
            AnswerOption {
                choice: Choice::A,
                label: "Không, tôi không có gì phản ánh",
            },
            AnswerOption {
                choice: Choice::C,
                label: "Có, tôi muốn phản ánh",
            },
        ],
    },
];

/// The question of an asked indicator.
pub fn question(indicator: Indicator) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.indicator == indicator)
}

/// The citizen's answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Answer {
    pub indicator: Indicator,
    pub choice: Choice,
}

/// Points of one indicator (0–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    pub indicator: Indicator,
    pub points: u8,
}

/// A rating as the Rated event carries it: what the citizen answered and every
/// indicator's points, computed when it was given (a later correction never rescores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub channel: RatingChannel,
    pub answers: Vec<Answer>,
    pub scores: Vec<Score>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RatingError {
    #[error("Chưa trả lời câu hỏi nào: nếu người dân không muốn đánh giá, hãy bỏ qua")]
    Empty,
    #[error("Câu hỏi \"{0}\" được trả lời hai lần")]
    Twice(&'static str),
    #[error("Chỉ số \"{0}\" do hệ thống tự tính từ hồ sơ, không hỏi người dân")]
    NotAsked(&'static str),
    #[error("Lựa chọn không có trong câu hỏi \"{0}\"")]
    BadChoice(&'static str),
}

/// Checks the answers: at least one, each an asked question answered once with one of
/// its options.
pub fn check_answers(answers: &[Answer]) -> Result<(), RatingError> {
    if answers.is_empty() {
        return Err(RatingError::Empty);
    }
    for (i, a) in answers.iter().enumerate() {
        let label = a.indicator.label_vi();
        let q = question(a.indicator).ok_or(RatingError::NotAsked(label))?;
        if !q.options.iter().any(|o| o.choice == a.choice) {
            return Err(RatingError::BadChoice(label));
        }
        if answers[..i].iter().any(|b| b.indicator == a.indicator) {
            return Err(RatingError::Twice(label));
        }
    }
    Ok(())
}

/// The points of indicators 1–2 from the dossier's on-time class.
fn time_points(t: Timeliness) -> u8 {
    match t {
        Timeliness::Early => 2,
        Timeliness::OnTime | Timeliness::PendingInTime => 1,
        Timeliness::Late | Timeliness::PendingLate => 0,
    }
}

/// The points of one answer, given the dossier's on-time class.
fn answer_points(a: Answer, t: Timeliness) -> u8 {
    match (a.indicator, a.choice) {
        (Indicator::Attitude, Choice::A) if t == Timeliness::Early => 2,
        (Indicator::Attitude, Choice::A) => 1,
        (Indicator::Attitude, _) => 0,
        (_, Choice::A) => 2,
        (_, Choice::B) => 1,
        (_, Choice::C) => 0,
    }
}

/// The rating of a returned dossier: the answers checked, the computed indicators
/// filled from the dossier (judged at its finish, so the time of rating changes
/// nothing).
pub fn rate(
    state: &DossierState,
    channel: RatingChannel,
    answers: Vec<Answer>,
) -> Result<Rating, RatingError> {
    check_answers(&answers)?;
    let cutoff = state.returned_at.unwrap_or(state.last_event_at);
    let t = on_time::judge(&state.progress(), cutoff);
    let contacts = match state.supplement_requests {
        0 => 2,
        1 => 1,
        _ => 0,
    };
    let mut scores = vec![
        Score {
            indicator: Indicator::TotalTime,
            points: time_points(t),
        },
        Score {
            indicator: Indicator::UnitTime,
            points: time_points(t),
        },
        Score {
            indicator: Indicator::Contacts,
            points: contacts,
        },
    ];
    scores.extend(answers.iter().map(|a| Score {
        indicator: a.indicator,
        points: answer_points(*a, t),
    }));
    Ok(Rating {
        channel,
        answers,
        scores,
    })
}

/// Checks a rating written by another machine: its answers, and scores with each
/// indicator at most once, 0–2 points, and an asked one only when it was answered.
pub fn check(r: &Rating) -> Result<(), String> {
    check_answers(&r.answers).map_err(|e| format!("Đánh giá không hợp lệ: {e}"))?;
    for (i, s) in r.scores.iter().enumerate() {
        if s.points > 2 {
            return Err(format!(
                "Đánh giá không hợp lệ: chỉ số {} có {} điểm (tối đa 2)",
                s.indicator.number(),
                s.points
            ));
        }
        if r.scores[..i].iter().any(|b| b.indicator == s.indicator) {
            return Err(format!(
                "Đánh giá không hợp lệ: chỉ số {} có hai điểm",
                s.indicator.number()
            ));
        }
        if s.indicator.is_asked() && !r.answers.iter().any(|a| a.indicator == s.indicator) {
            return Err(format!(
                "Đánh giá không hợp lệ: chỉ số {} có điểm mà người dân không trả lời",
                s.indicator.number()
            ));
        }
    }
    Ok(())
}

// Tested with the fold, in `lifecycle_rating_tests.rs`.
