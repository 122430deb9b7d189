//! The always-visible status line: clerk, unit, date and the connection to the
//! centre in words, when the next background sync round is due, and a newer version
//! the centre offers (issue 25 §3).

use std::time::{Duration, Instant};

use iced::widget::{button, column, container, row, text};
use iced::{Element, Fill};

use crate::desk::Desk;
use crate::desk::sync::SyncFailure;
use crate::desk::update::{LookSchedule, UpdateFailure, UpdateStep};
use crate::domain::clock::{Timestamp, format_vi_short, now_vn};
use crate::domain::sync_state::SyncState;
use crate::sync::backoff::Backoff;
use crate::sync::health::{self, Level, Thresholds};
use crate::ui::app::Message;
use crate::ui::job::Action;
use crate::ui::session::Session;
use crate::ui::{strings as s, theme};

/// Seconds between rounds while the link is healthy.
const SYNC_EVERY: Duration = Duration::from_secs(30);

/// What the status line shows about the centre, read from the store; the words are
/// made at drawing time (`sync::health`) so "3 phút trước" stays true between reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusInfo {
    pub enrolled: bool,
    pub state: Option<SyncState>,
    pub unsent_dossiers: i64,
    pub thresholds: Thresholds,
    /// Set when the store could not be read.
    pub problem: Option<String>,
    /// Free disk space is under the desk's warning threshold: what to do, in words.
    pub disk_warning: Option<String>,
}

impl StatusInfo {
    pub fn load(desk: &Desk) -> StatusInfo {
        let read = || -> crate::desk::Result<StatusInfo> {
            let state = desk.sync_state()?;
            Ok(StatusInfo {
                enrolled: state.enrolled,
                unsent_dossiers: desk.unsent_dossiers()?,
                thresholds: desk.sync_thresholds().unwrap_or_default(),
                state: Some(state),
                problem: None,
                disk_warning: None,
            })
        };
        read().unwrap_or_else(|e| StatusInfo {
            problem: Some(e.to_string()),
            ..StatusInfo::default()
        })
    }

    /// The connection in words, and whether it needs the clerk's attention.
    pub fn words(&self, now: Timestamp) -> (String, bool) {
        if let Some(p) = &self.problem {
            return (p.clone(), true);
        }
        let Some(state) = &self.state else {
            return (s::NOT_ENROLLED.to_string(), false);
        };
        let h = health::assess(
            state,
            self.enrolled,
            self.unsent_dossiers,
            now,
            &self.thresholds,
        );
        let alarm = matches!(h.level, Level::Warning | Level::Alarm);
        match h.clock_warning {
            Some(clock) => (format!("{} — {clock}", h.message), true),
            None => (h.message, alarm),
        }
    }
}

/// Reads the sync state and the free disk space off the UI thread.
pub fn refresh() -> Action<Message> {
    Action::desk(|desk| {
        let mut info = StatusInfo::load(desk);
        info.disk_warning = desk.disk_warning();
        Message::Status(info)
    })
}

/// What the status line knows of a newer version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateOffer {
    /// The last look's answer (None: not looked yet).
    pub step: Option<UpdateStep>,
    /// The administrator's yes is being carried out (download and checks).
    pub staging: bool,
    /// Why the last accept (or a release the centre offers) failed, in words.
    pub problem: Option<String>,
    /// The offered release was installed here before and rolled back: why.
    pub rolled_back: Option<String>,
    /// This version was just installed here: "Đã cài phiên bản …" (said at the first
    /// start, until a look has something newer to say).
    pub installed: Option<String>,
    looks: LookSchedule,
}

/// What the update part of the status line reports or is asked.
#[derive(Debug, Clone)]
pub enum UpdateEvent {
    /// The administrator's "Cập nhật".
    Accept,
    /// What a look came to, and why the offered release was rolled back here before
    /// (if it was); `Err` holds the words for the status line.
    Looked(Result<(UpdateStep, Option<String>), String>),
    /// A look after a round could not reach the centre: the sync words say so already.
    Unreachable,
    /// The note of an install this start took (None: no install since the last start).
    Installed(Option<String>),
}

impl UpdateOffer {
    /// Whether a successful round should also ask for a newer version now (and
    /// remembers that it did).
    pub fn look_due(&mut self, now: Instant) -> bool {
        !self.staging && self.looks.due(now)
    }

    /// The administrator may accept: a release is offered and not being fetched.
    pub fn can_accept(&self, is_admin: bool) -> bool {
        is_admin && !self.staging && matches!(self.step, Some(UpdateStep::Offered(_)))
    }

    /// The words of the status line's offer (None: nothing to say).
    pub fn words(&self) -> Option<String> {
        if self.staging {
            return Some(s::UPDATE_STAGING.to_string());
        }
        let line = self.step.as_ref().map(UpdateStep::status_line);
        let Some(line) = line.filter(|l| !l.is_empty()) else {
            return self.installed.clone();
        };
        match (&self.step, &self.rolled_back) {
            (Some(UpdateStep::Offered(_)), Some(why)) => Some(s::update_rolled_back(&line, why)),
            _ => Some(line),
        }
    }

    /// Takes in what happened.
    pub fn apply(&mut self, event: UpdateEvent) {
        self.staging = false;
        match event {
            UpdateEvent::Looked(Ok((step, rolled_back))) => {
                self.step = Some(step);
                self.rolled_back = rolled_back;
                self.problem = None;
            }
            UpdateEvent::Looked(Err(why)) => self.problem = Some(why),
            UpdateEvent::Installed(note) => self.installed = note,
            UpdateEvent::Accept | UpdateEvent::Unreachable => {}
        }
    }
}

/// Asks the centre for a newer version, off the UI thread; `accepted` (the
/// administrator's yes) or "tự cập nhật" downloads, checks and stages it.
pub fn look_for_update(accepted: bool) -> Action<Message> {
    Action::desk(move |desk| {
        Message::Update(match desk.look_for_update_blocking(accepted) {
            Ok(step) => {
                let rolled_back = match &step {
                    UpdateStep::Offered(o) => desk.rolled_back_reason(&o.version),
                    _ => None,
                };
                UpdateEvent::Looked(Ok((step, rolled_back)))
            }
            // A round's look that fails on the network is tried again later; a refused
            // release (said once: it is not fetched again for a day), or an accept
            // that failed, is said.
            Err(e @ UpdateFailure::Sync(_)) if !accepted && !e.is_bad_package() => {
                UpdateEvent::Unreachable
            }
            Err(e) => UpdateEvent::Looked(Err(s::update_failed(&e.to_string()))),
        })
    })
}

/// At sign-in: whether this start is the first after an install here (the note is
/// taken, so it is said once).
pub fn installed_note() -> Action<Message> {
    Action::desk(|desk| Message::Update(UpdateEvent::Installed(desk.take_install_note())))
}

/// When the next round is due: every 30 s while healthy, with capped backoff and
/// jitter after failures so fifty desks coming back online do not arrive at once.
/// When the next background round is due. A failure a retry can cure (a cut link)
/// waits longer each time; a refusal only a person can cure (401, 403) stops the
/// automatic rounds and says what to do, until someone acts (enrolls again, or asks
/// for a round).
#[derive(Debug)]
pub struct SyncSchedule {
    next: Instant,
    running: bool,
    backoff: Backoff,
    stopped: Option<String>,
}

impl SyncSchedule {
    pub fn new(now: Instant) -> SyncSchedule {
        SyncSchedule {
            next: now + Duration::from_secs(2),
            running: false,
            backoff: Backoff::new(Duration::from_secs(5), Duration::from_secs(300)),
            stopped: None,
        }
    }

    pub fn due(&self, now: Instant, enrolled: bool) -> bool {
        enrolled && !self.running && self.stopped.is_none() && now >= self.next
    }

    pub fn started(&mut self) {
        self.running = true;
    }

    pub fn finished(&mut self, now: Instant, result: Result<(), &SyncFailure>) {
        self.running = false;
        match result {
            Ok(()) => {
                self.backoff.reset();
                self.stopped = None;
                self.next = now + SYNC_EVERY;
            }
            Err(f) if f.transient => {
                // The centre's Retry-After, when it gave one, spread over as much again.
                let hint = f.retry_after.map(Duration::from_secs);
                self.next = now
                    + self
                        .backoff
                        .next_delay_hinted(hint)
                        .max(Duration::from_secs(1));
            }
            Err(f) => self.stopped = Some(f.message.clone()),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Why automatic rounds stopped, in words for the clerk.
    pub fn stopped(&self) -> Option<&str> {
        self.stopped.as_deref()
    }

    /// Someone acted on the refusal: rounds may go again, starting now.
    pub fn resume(&mut self, now: Instant) {
        self.stopped = None;
        self.backoff.reset();
        self.next = now;
    }
}

/// The status line. Above it, when there is one, what needs the clerk: a job that
/// failed (`problem`), or why automatic sync stopped (`stopped`), with the button
/// that starts the next round by hand.
pub fn view<'a>(
    session: &'a Session,
    info: &'a StatusInfo,
    problem: Option<&'a str>,
    stopped: Option<&'a str>,
    offer: (&'a UpdateOffer, bool),
) -> Element<'a, Message> {
    let (words, alarm) = info.words(now_vn());
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
    let line = row![
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
    .spacing(10);
    let mut all = column![].spacing(4);
    let disk = info.disk_warning.as_deref();
    for words in [problem, stopped, disk].into_iter().flatten() {
        all = all.push(text(words).size(theme::SMALL).color(theme::RED).width(Fill));
    }
    if stopped.is_some() {
        all = all.push(
            button(text(s::SYNC_AGAIN).size(theme::SMALL))
                .style(button::secondary)
                .padding([2, 8])
                .on_press(Message::SyncNow),
        );
    }
    if let Some(offered) = offer_row(offer.0, offer.1) {
        all = all.push(offered);
    }
    container(all.push(line))
        .padding([4, 12])
        .width(Fill)
        .style(theme::bar)
        .into()
}

/// The newer version offered, with "Cập nhật" when `accept` (an administrator, the
/// screen not locked); why an update failed, in red.
fn offer_row(offer: &UpdateOffer, accept: bool) -> Option<Element<'_, Message>> {
    if offer.words().is_none() && offer.problem.is_none() {
        return None;
    }
    let mut line = row![].spacing(10).align_y(iced::Center);
    if let Some(words) = offer.words() {
        line = line.push(text(words).size(theme::SMALL).color(theme::BLUE));
    }
    if accept && offer.can_accept(true) {
        line = line.push(
            button(text(s::UPDATE_ACCEPT).size(theme::SMALL))
                .style(button::primary)
                .padding([2, 8])
                .on_press(Message::Update(UpdateEvent::Accept)),
        );
    }
    if let Some(why) = &offer.problem {
        line = line.push(text(why.as_str()).size(theme::SMALL).color(theme::RED));
    }
    Some(line.into())
}
