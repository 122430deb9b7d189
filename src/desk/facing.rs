//! The screen facing the citizen (issue 22 §2): where it opens, what the idle screen
//! may list, and the rating criteria the desk fills from the dossier instead of
//! asking (TT 01/2018 Art 13: chỉ số 1, time against the limit; chỉ số 3, how many
//! times the citizen had to come back to complete the papers).

use crate::desk::{Desk, Result};
use crate::domain::dossier::DossierState;
use crate::domain::status::Status;
use crate::store::listing::ListFilter;

/// Most codes the idle screen lists: it is read from across a counter.
pub const QUEUE_MAX: usize = 12;

/// Where the second window opens. The desktop is one plane of pixels; iced 0.14 cannot
/// list monitors, so a monitor is named by where it sits: beside the counter's own
/// monitor (the usual two-screen desk) or at an exact rectangle (any other layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FacingScreen {
    #[default]
    Off,
    /// Full screen on the monitor to the right of the counter's monitor.
    Right,
    /// Full screen on the monitor to the left of the counter's monitor.
    Left,
    /// A borderless window at this rectangle of the desktop.
    At {
        x: i32,
        y: i32,
        width: u32,
        height: u32,
    },
}

/// Smallest and largest side of a rectangle accepted, in pixels.
const SIDE: std::ops::RangeInclusive<u32> = 200..=8192;
/// Farthest a rectangle may start from the desktop's origin, in pixels.
const REACH: i32 = 32_768;

impl FacingScreen {
    /// Reads the setting's text: `off`, `right`, `left` or `x,y,width,height`.
    pub fn parse(raw: &str) -> std::result::Result<FacingScreen, String> {
        let raw = raw.trim();
        match raw {
            "" | "off" => return Ok(FacingScreen::Off),
            "right" => return Ok(FacingScreen::Right),
            "left" => return Ok(FacingScreen::Left),
            _ => {}
        }
        let bad = || {
            format!(
                "Vị trí màn hình công dân '{raw}' không hợp lệ: chọn tắt, bên phải, bên trái, \
                 hoặc nhập x,y,rộng,cao (ví dụ 1366,0,1024,600; cạnh từ {} đến {} điểm ảnh)",
                SIDE.start(),
                SIDE.end()
            )
        };
        let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
        let [x, y, w, h] = parts.as_slice() else {
            return Err(bad());
        };
        let (Ok(x), Ok(y), Ok(width), Ok(height)) = (
            x.parse::<i32>(),
            y.parse::<i32>(),
            w.parse::<u32>(),
            h.parse::<u32>(),
        ) else {
            return Err(bad());
        };
        let inside = |v: i32| (-REACH..=REACH).contains(&v);
        if !inside(x) || !inside(y) || !SIDE.contains(&width) || !SIDE.contains(&height) {
            return Err(bad());
        }
        Ok(FacingScreen::At {
            x,
            y,
            width,
            height,
        })
    }

    /// The text stored in the setting.
    pub fn as_setting(&self) -> String {
        match self {
            FacingScreen::Off => "off".into(),
            FacingScreen::Right => "right".into(),
            FacingScreen::Left => "left".into(),
            FacingScreen::At {
                x,
                y,
                width,
                height,
            } => format!("{x},{y},{width},{height}"),
        }
    }

    pub fn is_on(&self) -> bool {
        *self != FacingScreen::Off
    }
}

/// TT 01/2018 chỉ số 1: the whole processing time against the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeAgainstLimit {
    /// Ready before the day it was due: 2 points.
    Early,
    /// Ready on the due day, by the due time: 1 point.
    OnTime,
    /// Ready after the due time: 0 points.
    Late,
}

impl TimeAgainstLimit {
    pub fn points(self) -> u8 {
        match self {
            TimeAgainstLimit::Early => 2,
            TimeAgainstLimit::OnTime => 1,
            TimeAgainstLimit::Late => 0,
        }
    }
}

/// What the desk knows of a returned dossier without asking the citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    pub time: TimeAgainstLimit,
    /// Supplement requests made (chỉ số 3: none 2 points, one 1, more 0).
    pub supplement_requests: u32,
}

impl Computed {
    /// From the dossier's state; `None` while no result was made ready.
    pub fn of(d: &DossierState) -> Option<Computed> {
        let ready = d.result_ready_at.or(d.returned_at)?;
        // NĐ 61 Art 19: a second supplement request makes the dossier late.
        let time = if ready > d.due_at || d.supplement_requests > 1 {
            TimeAgainstLimit::Late
        } else if ready.date_naive() < d.due_at.date_naive() {
            TimeAgainstLimit::Early
        } else {
            TimeAgainstLimit::OnTime
        };
        Some(Computed {
            time,
            supplement_requests: d.supplement_requests,
        })
    }

    pub fn contact_points(&self) -> u8 {
        match self.supplement_requests {
            0 => 2,
            1 => 1,
            _ => 0,
        }
    }
}

/// One question the citizen answers, and its answers from best to worst (at most 5,
/// the keypad's 1–5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: String,
    pub answers: Vec<String>,
}

/// The criteria asked at the counter: those of NĐ 61 Art 31 the desk cannot compute
/// (disclosure of the procedure, the staff's attitude, the result), one tap each.
pub fn asked() -> Vec<Question> {
    let q = |text: &str, answers: &[&str]| Question {
        text: text.to_string(),
        answers: answers.iter().map(|a| a.to_string()).collect(),
    };
    vec![
        q(
            "Thủ tục, giấy tờ phải nộp có được công khai, hướng dẫn rõ ràng không?",
            &["Rõ ràng, đầy đủ", "Chưa đầy đủ", "Không được hướng dẫn"],
        ),
        q(
            "Thái độ của cán bộ khi hướng dẫn, tiếp nhận và trả kết quả?",
            &["Rất hài lòng", "Hài lòng", "Không hài lòng"],
        ),
        q(
            "Kết quả giải quyết ông/bà nhận được?",
            &["Đúng, đầy đủ", "Có sai sót phải sửa", "Không đúng quy định"],
        ),
    ]
}

impl Desk {
    /// Codes of results ready for collection, newest first, at most `QUEUE_MAX`:
    /// codes only, nothing personal, for the idle facing screen.
    pub fn ready_codes(&self) -> Result<Vec<String>> {
        let filter = ListFilter {
            status: Some(Status::ResultReady),
            ..ListFilter::default()
        };
        let page = self.list_dossiers(&filter, None, QUEUE_MAX)?;
        Ok(page.rows.into_iter().map(|r| r.summary.code).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_text_round_trips_and_bad_text_is_refused() {
        for v in [
            "off",
            "right",
            "left",
            "1366,0,1024,600",
            "-1280,0,1280,800",
        ] {
            let parsed = FacingScreen::parse(v).expect(v);
            assert_eq!(parsed.as_setting(), v);
        }
        assert_eq!(FacingScreen::parse(""), Ok(FacingScreen::Off));
        for v in [
            "up",
            "1,2,3",
            "0,0,10,600",
            "0,0,1024,99999",
            "a,b,c,d",
            "99999,0,800,600",
        ] {
            let e = FacingScreen::parse(v).expect_err(v);
            assert!(e.contains("không hợp lệ"), "{e}");
        }
    }
}
