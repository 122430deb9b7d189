//! The always-visible status line: clerk, unit, date and the connection to the
//! centre in words, and when the next background sync round is due.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use iced::widget::{container, row, text};
use iced::{Element, Fill};

use crate::domain::clock::{format_vi_short, now_vn};
use crate::store::Store;
use crate::sync::backoff::Backoff;
use crate::ui::app::Message;
use crate::ui::job::Action;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme};

/// Seconds between rounds while the link is healthy.
const SYNC_EVERY: Duration = Duration::from_secs(30);

/// What the status line shows about the centre, read from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusInfo {
    pub enrolled: bool,
    pub pending_events: i64,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub clock_offset_ms: Option<i64>,
    /// Set when the store could not be read.
    pub problem: Option<String>,
}

impl StatusInfo {
    pub fn load(store: &Store) -> StatusInfo {
        match store.sync_state() {
            Ok(st) => StatusInfo {
                enrolled: st.enrolled,
                pending_events: st.pending(),
                last_success: st.last_pull_at.clone().or(st.last_push_at.clone()),
                last_error: st.last_error.clone(),
                clock_offset_ms: st.clock_offset_ms,
                problem: None,
            },
            Err(e) => StatusInfo {
                problem: Some(e.to_string()),
                ..StatusInfo::default()
            },
        }
    }

    /// The connection in words, and whether it needs the clerk's attention.
    pub fn words(&self, now: DateTime<Utc>) -> (String, bool) {
        if let Some(p) = &self.problem {
            return (p.clone(), true);
        }
        if !self.enrolled {
            return (s::NOT_ENROLLED.to_string(), false);
        }
        let waiting = if self.pending_events > 0 {
            format!(" — {}", s::pending_dossiers(self.pending_events))
        } else {
            String::new()
        };
        if let Some(e) = &self.last_error {
            return (format!("Lỗi đồng bộ: {e}{waiting}"), true);
        }
        match self
            .last_success
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        {
            Some(t) => (
                format!("Đã đồng bộ {}{waiting}", ago(now - t.with_timezone(&Utc))),
                false,
            ),
            None => (
                format!("Chưa đồng bộ lần nào{waiting}"),
                self.pending_events > 0,
            ),
        }
    }
}

/// "vừa xong", "3 phút trước", "2 giờ trước", "4 ngày trước".
pub fn ago(d: chrono::Duration) -> String {
    let m = d.num_minutes();
    if m < 1 {
        "vừa xong".to_string()
    } else if m < 60 {
        format!("{m} phút trước")
    } else if m < 60 * 24 {
        format!("{} giờ trước", m / 60)
    } else {
        format!("{} ngày trước", m / (60 * 24))
    }
}

/// Reads the sync state off the UI thread.
pub fn refresh() -> Action<Message> {
    Action::run(|store| Message::Status(StatusInfo::load(store)))
}

/// When the next round is due: every 30 s while healthy, with capped backoff and
/// jitter after failures so fifty desks coming back online do not arrive at once.
#[derive(Debug)]
pub struct SyncSchedule {
    next: Instant,
    running: bool,
    backoff: Backoff,
}

impl SyncSchedule {
    pub fn new(now: Instant) -> SyncSchedule {
        SyncSchedule {
            next: now + Duration::from_secs(2),
            running: false,
            backoff: Backoff::new(Duration::from_secs(5), Duration::from_secs(300)),
        }
    }

    pub fn due(&self, now: Instant, enrolled: bool) -> bool {
        enrolled && !self.running && now >= self.next
    }

    pub fn started(&mut self) {
        self.running = true;
    }

    pub fn finished(&mut self, now: Instant, ok: bool) {
        self.running = false;
        self.next = now
            + if ok {
                self.backoff.reset();
                SYNC_EVERY
            } else {
                self.backoff.next_delay().max(Duration::from_secs(1))
            };
    }
}

pub fn view<'a>(session: &'a Session, info: &'a StatusInfo) -> Element<'a, Message> {
    let (words, alarm) = info.words(Utc::now());
    let clerk = format!(
        "{} ({})",
        session.clerk.full_name,
        if session.clerk.is_admin {
            s::ADMIN
        } else {
            s::CLERK
        }
    );
    let today = format_vi_short(now_vn());
    container(
        row![
            text(clerk).size(theme::SMALL),
            text("·").size(theme::SMALL).color(theme::MUTED),
            text(session.unit.name.as_str()).size(theme::SMALL),
            text("·").size(theme::SMALL).color(theme::MUTED),
            text(today).size(theme::SMALL),
            iced::widget::space::horizontal(),
            text(words)
                .size(theme::SMALL)
                .color(if alarm { theme::RED } else { theme::MUTED }),
        ]
        .spacing(10),
    )
    .padding([4, 12])
    .width(Fill)
    .style(theme::bar)
    .into()
}
