//! The screen facing the citizen (issue 22 §2): where it opens, what the idle screen
//! may list, what the desk fills in the rating instead of asking (TT 01/2018
//! indicators 1–3, `domain::rating`), and recording the answers given at the counter.

use crate::desk::{Desk, Result, now};
use crate::domain::dossier::DossierState;
use crate::domain::on_time;
use crate::domain::rating::Answer;
use crate::domain::status::Status;
use crate::domain::status::Timeliness;
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

/// What the desk fills itself for the rating of a returned dossier (TT 01/2018
/// indicators 1–3), judged as `domain::rating::rate` scores them, so what the citizen
/// sees is what is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    pub time: Timeliness,
    /// Supplement requests made (indicator 3: none 2 points, one 1, more 0).
    pub supplement_requests: u32,
}

impl Computed {
    pub fn of(d: &DossierState) -> Computed {
        let cutoff = d.returned_at.unwrap_or(d.last_event_at);
        Computed {
            time: on_time::judge(&d.progress(), cutoff),
            supplement_requests: d.supplement_requests,
        }
    }
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

    /// The citizen's answers at the counter, kept as the dossier's Rated event (one
    /// transaction; refused unless returned and not yet rated).
    pub fn rate_at_counter(&self, code: &str, answers: Vec<Answer>, clerk: &str) -> Result<()> {
        self.lock().rate_at_counter(code, answers, clerk, now())?;
        let _ = self.backup_after_write(now());
        Ok(())
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
