//! The application: which phase it is in (first run, sign-in, at the counter), which
//! screen is shown, the keyboard shortcuts, the idle lock, draft saving and the
//! background sync. Screens do their own work; this module only routes.
//!
//! `App::handle` is plain state logic returning `Effect`s, so tests drive it without a
//! window; `counter.rs` turns the effects into iced `Task`s.

use std::time::{Duration, Instant};

use iced::keyboard::{Key, Modifiers, key::Named};

use crate::desk::Changed;
use crate::desk::sync::SyncFailure;
use crate::domain::calendar::WorkCalendar;
use crate::domain::procedure::Procedure;
use crate::ui::facing;
use crate::ui::job::{Action, Job, Up};
use crate::ui::screens::{
    catalogue, dashboard, detail, dossiers, intake, lock, login, returns, settings, setup,
};
use crate::ui::session::Session;
use crate::ui::status::{self, StatusInfo};
use crate::ui::strings as s;

mod citizen;
mod update;
mod view;

/// The screens reached from the top bar and the function keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Intake,
    Dossiers,
    Detail,
    Returns,
    Dashboard,
    Catalogue,
    Settings,
}

#[derive(Debug, Clone)]
pub enum Message {
    Setup(setup::Message),
    Login(login::Message),
    Lock(lock::Message),
    Intake(intake::Message),
    Dossiers(dossiers::Message),
    Detail(detail::Message),
    Returns(returns::Message),
    Dashboard(dashboard::Message),
    Catalogue(catalogue::Message),
    Settings(settings::Message),
    /// The screen facing the citizen.
    Facing(facing::Message),
    /// A key pressed in the facing window (the citizen's keypad).
    FacingKey(Key),
    /// An input event and the window it happened in (the program sorts them).
    From(iced::window::Id, Box<Message>),
    /// Window bookkeeping, handled by the program around `App`.
    Window(WindowEvent),
    SessionLoaded(Result<Session, String>),
    SettingsReloaded(Result<crate::ui::session::Settings, String>),
    /// The unit's details after the settings screen saved them.
    UnitReloaded(Result<crate::domain::unit::Unit, String>),
    Go(Screen),
    /// A key press or click anywhere (resets the idle timer); keys are shortcuts.
    Input(Option<(Key, Modifiers)>),
    /// A key press no widget took (no text field has the focus): besides being an
    /// `Input`, the open screen's lists may use it (the file chooser's Enter, Space…).
    FreeKey(Key, Modifiers),
    /// Once a second: idle lock, draft saving, sync schedule, clock on screen.
    Tick(Instant),
    Status(StatusInfo),
    SyncFinished(Result<Changed, SyncFailure>),
    /// The catalogue and calendar after a sync round brought new ones.
    ReferenceReloaded(Result<Reference, String>),
    /// Desk work panicked and its screen had no way to hear of it: shown plainly.
    JobFailed(String),
    /// "Đồng bộ lại" on the status line, after a refusal stopped automatic rounds.
    SyncNow,
    /// A newer version: what a look found, or the administrator's "Cập nhật".
    Update(status::UpdateEvent),
    LockNow,
    LogOut,
}

/// What the windows report to the program that owns them.
#[derive(Debug, Clone)]
pub enum WindowEvent {
    /// The size of the monitor the counter's window is on.
    Monitor(Option<iced::Size>),
    Closed(iced::window::Id),
}

/// The catalogue and the calendar, shared with every screen.
pub type Reference = (std::sync::Arc<Vec<Procedure>>, std::sync::Arc<WorkCalendar>);

/// What the application must do besides changing state.
#[derive(Debug)]
pub enum Effect {
    Store(Job<Message>),
    Focus(&'static str),
    /// Scroll a scrollable to a relative height.
    Scroll(&'static str, f32),
    /// One push-and-pull round with the centre, on its own connection.
    Sync,
}

#[derive(Debug)]
enum Phase {
    Failed(String),
    Setup(setup::State),
    Login(login::State),
    Loading,
    SignedIn(Box<SignedIn>),
}

#[derive(Debug)]
struct SignedIn {
    session: Session,
    screen: Screen,
    intake: intake::State,
    dossiers: dossiers::State,
    detail: detail::State,
    returns: returns::State,
    dashboard: dashboard::State,
    catalogue: catalogue::State,
    settings: settings::State,
    facing: facing::State,
    lock: Option<lock::State>,
    last_input: Instant,
    status: StatusInfo,
    sync: status::SyncSchedule,
    /// A newer version the centre offers (issue 25 §3).
    update: status::UpdateOffer,
    /// A job that failed with no screen to tell (shown on the status line).
    job_error: Option<String>,
}

#[derive(Debug)]
pub struct App {
    phase: Phase,
}

/// What the application finds when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// No unit or no account yet: the first-run screen.
    FirstRun {
        unit_exists: bool,
    },
    SignIn,
    /// The store could not be opened (corrupt, too new, disk): the message says what to do.
    Broken(String),
}

impl Start {
    pub fn probe(desk: Result<&crate::desk::Desk, String>) -> Start {
        let desk = match desk {
            Ok(d) => d,
            Err(e) => return Start::Broken(e),
        };
        let unit = match desk.unit_opt() {
            Ok(u) => u.is_some(),
            Err(e) => return Start::Broken(e.to_string()),
        };
        match desk.has_clerks() {
            Ok(true) if unit => Start::SignIn,
            Ok(_) => Start::FirstRun { unit_exists: unit },
            Err(e) => Start::Broken(e.to_string()),
        }
    }
}

fn lift<M: 'static>(action: Action<M>, wrap: fn(M) -> Message) -> Action<Message> {
    action.map(wrap)
}

impl App {
    pub fn new(start: Start) -> App {
        let phase = match start {
            Start::Broken(e) => Phase::Failed(e),
            Start::FirstRun { unit_exists } => Phase::Setup(setup::State::new(unit_exists)),
            Start::SignIn => Phase::Login(login::State::default()),
        };
        App { phase }
    }

    /// The first effects: focus the first field.
    pub fn boot(&self) -> Vec<Effect> {
        match &self.phase {
            Phase::Setup(s) => vec![Effect::Focus(s.first_field())],
            Phase::Login(_) => vec![Effect::Focus(login::USERNAME)],
            _ => Vec::new(),
        }
    }

    pub fn title(&self) -> String {
        match &self.phase {
            Phase::SignedIn(d) => format!("{} — {}", s::APP_TITLE, d.session.unit.name),
            _ => s::APP_TITLE.to_string(),
        }
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.phase {
            Phase::SignedIn(d) => Some(&d.session),
            _ => None,
        }
    }

    pub fn screen(&self) -> Option<Screen> {
        match &self.phase {
            Phase::SignedIn(d) if d.lock.is_none() => Some(d.screen),
            _ => None,
        }
    }

    pub fn is_locked(&self) -> bool {
        matches!(&self.phase, Phase::SignedIn(d) if d.lock.is_some())
    }

    pub fn dossiers(&self) -> Option<&dossiers::State> {
        match &self.phase {
            Phase::SignedIn(d) => Some(&d.dossiers),
            _ => None,
        }
    }

    pub fn detail(&self) -> Option<&detail::State> {
        match &self.phase {
            Phase::SignedIn(d) => Some(&d.detail),
            _ => None,
        }
    }

    /// An intake is being typed or saved (the close path installs no update then).
    pub fn intake_busy(&self) -> bool {
        self.intake().is_some_and(intake::State::is_busy)
    }

    pub fn intake(&self) -> Option<&intake::State> {
        match &self.phase {
            Phase::SignedIn(d) => Some(&d.intake),
            _ => None,
        }
    }

    /// Changes state for one message and says what else must happen.
    pub fn handle(&mut self, message: Message) -> Vec<Effect> {
        let action = self.route(message);
        self.effects(action)
    }

    fn effects(&mut self, action: Action<Message>) -> Vec<Effect> {
        let mut out = Vec::new();
        for a in action.into_list() {
            match a {
                Action::Run(job) => out.push(Effect::Store(job)),
                Action::Focus(id) => out.push(Effect::Focus(id)),
                Action::Scroll(id, y) => out.push(Effect::Scroll(id, y)),
                Action::Up(Up::Sync) => {
                    if let Phase::SignedIn(desk) = &mut self.phase
                        && !desk.sync.is_running()
                    {
                        // Someone asked (e.g. after enrolling again): rounds go again.
                        desk.sync.resume(Instant::now());
                        desk.sync.started();
                    }
                    out.push(Effect::Sync);
                }
                Action::Up(up) => {
                    let more = self.up(up);
                    out.extend(self.effects(more));
                }
                Action::None | Action::Many(_) => {}
            }
        }
        out
    }

    fn route(&mut self, message: Message) -> Action<Message> {
        // Without the program around it (tests), an input is the counter window's.
        let message = match message {
            Message::From(_, inner) => *inner,
            other => other,
        };
        match (&mut self.phase, message) {
            (Phase::Setup(state), Message::Setup(m)) => match state.update(m) {
                setup::Outcome::Stay(a) => lift(a, Message::Setup),
                setup::Outcome::Done => {
                    self.phase = Phase::Login(login::State::default());
                    Action::Focus(login::USERNAME)
                }
            },
            (Phase::Login(state), Message::Login(m)) => match state.update(m) {
                login::Outcome::Stay(a) => lift(a, Message::Login),
                login::Outcome::SignedIn(clerk) => {
                    self.phase = Phase::Loading;
                    Action::desk(move |desk| {
                        Message::SessionLoaded(
                            Session::load(desk, clerk).map_err(|e| e.to_string()),
                        )
                    })
                }
            },
            (Phase::Loading, Message::SessionLoaded(Ok(session))) => {
                let mut desk = Box::new(SignedIn::new(session));
                let first = desk.show(Screen::Intake);
                let offer = lift(desk.intake.offer_draft(&desk.session), Message::Intake);
                let status = status::refresh();
                let installed = status::installed_note();
                self.phase = Phase::SignedIn(desk);
                Action::Many(vec![first, offer, status, installed])
            }
            (Phase::Loading, Message::SessionLoaded(Err(e)) | Message::JobFailed(e)) => {
                self.phase = Phase::Failed(e);
                Action::None
            }
            (Phase::SignedIn(desk), Message::LogOut) if desk.lock.is_none() => {
                // What was being typed is kept as a draft for this clerk's next sign-in.
                let keep = lift(desk.intake.flush_draft(&desk.session), Message::Intake);
                self.phase = Phase::Login(login::State::default());
                Action::Many(vec![keep, Action::Focus(login::USERNAME)])
            }
            (Phase::SignedIn(desk), message) => desk.route(message),
            _ => Action::None,
        }
    }

    fn up(&mut self, up: Up) -> Action<Message> {
        let Phase::SignedIn(desk) = &mut self.phase else {
            return Action::None;
        };
        match up {
            Up::OpenDossier(code) => {
                desk.screen = Screen::Detail;
                lift(desk.detail.open(&code, &desk.session), Message::Detail)
            }
            Up::OpenDocuments(code) => {
                desk.screen = Screen::Detail;
                let open = lift(desk.detail.open(&code, &desk.session), Message::Detail);
                desk.detail.show_documents(true);
                open
            }
            Up::DossierChanged(code) => desk.changed(Changed::dossier(code)),
            Up::Returned(code) => {
                let rate = desk.rate(&code);
                Action::Many(vec![desk.changed(Changed::dossier(code)), rate])
            }
            Up::Changed(changed) => desk.changed(changed),
            Up::Sync => Action::None,
            Up::SettingsChanged => desk.changed(Changed {
                settings: true,
                unit: true,
                ..Changed::default()
            }),
        }
    }
}

impl SignedIn {
    fn new(session: Session) -> SignedIn {
        let intake = intake::State::new(&session);
        SignedIn {
            screen: Screen::Intake,
            intake,
            dossiers: dossiers::State::default(),
            detail: detail::State::default(),
            returns: returns::State::default(),
            dashboard: dashboard::State::default(),
            catalogue: catalogue::State::default(),
            settings: settings::State::default(),
            facing: facing::State::default(),
            lock: None,
            last_input: Instant::now(),
            status: StatusInfo::default(),
            sync: status::SyncSchedule::new(Instant::now()),
            update: status::UpdateOffer::default(),
            job_error: None,
            session,
        }
    }

    /// Switches screens and lets the new one refresh and take the focus.
    fn show(&mut self, screen: Screen) -> Action<Message> {
        if screen == Screen::Settings && !self.session.clerk.is_admin {
            return Action::None;
        }
        self.screen = screen;
        self.job_error = None;
        let s = &self.session;
        match screen {
            Screen::Intake => lift(self.intake.on_show(s), Message::Intake),
            Screen::Dossiers => lift(self.dossiers.on_show(s), Message::Dossiers),
            Screen::Detail => lift(self.detail.on_show(s), Message::Detail),
            Screen::Returns => lift(self.returns.on_show(s), Message::Returns),
            Screen::Dashboard => lift(self.dashboard.on_show(s), Message::Dashboard),
            Screen::Catalogue => lift(self.catalogue.on_show(s), Message::Catalogue),
            Screen::Settings => lift(self.settings.on_show(s), Message::Settings),
        }
    }

    fn route(&mut self, message: Message) -> Action<Message> {
        if let Some(lock) = &mut self.lock {
            return match message {
                Message::Lock(m) => match lock.update(m) {
                    lock::Outcome::Stay(a) => lift(a, Message::Lock),
                    lock::Outcome::Unlocked => {
                        self.lock = None;
                        self.last_input = Instant::now();
                        self.show(self.screen)
                    }
                },
                // Work finishing in the background still lands while the screen is locked.
                Message::Tick(now) => self.tick(now),
                Message::Status(info) => {
                    self.status = info;
                    Action::None
                }
                Message::SyncFinished(r) => self.sync_finished(r),
                Message::SyncNow => Action::Up(Up::Sync),
                Message::Update(e) => self.update_event(e),
                Message::JobFailed(e) => {
                    self.job_error = Some(e);
                    Action::None
                }
                Message::Input(_) | Message::FreeKey(..) => Action::None,
                other => self.screen_message(other),
            };
        }
        match message {
            Message::Go(screen) => self.show(screen),
            Message::Input(key) => {
                self.last_input = Instant::now();
                match key {
                    Some((k, m)) => self
                        .screen_key(&k, m, false)
                        .unwrap_or_else(|| self.shortcut(&k, m)),
                    None => Action::None,
                }
            }
            Message::FreeKey(k, m) => {
                self.last_input = Instant::now();
                // The citizen's keypad on the counter's keyboard, nothing focused.
                if let Some(rate) = self.facing.rating().and_then(|r| r.key(&k)) {
                    return self.facing_message(facing::Message::Rating(rate));
                }
                self.screen_key(&k, m, true)
                    .unwrap_or_else(|| self.shortcut(&k, m))
            }
            Message::Tick(now) => self.tick(now),
            Message::Status(info) => {
                self.status = info;
                Action::None
            }
            Message::SyncFinished(r) => self.sync_finished(r),
            Message::SyncNow => Action::Up(Up::Sync),
            Message::Update(e) => self.update_event(e),
            Message::SettingsReloaded(Ok(settings)) => {
                self.session.settings = settings;
                Action::None
            }
            Message::SettingsReloaded(Err(_)) => Action::None,
            Message::UnitReloaded(Ok(unit)) => {
                self.session.unit = unit;
                Action::None
            }
            Message::UnitReloaded(Err(_)) => Action::None,
            Message::ReferenceReloaded(Ok((catalogue, calendar))) => {
                self.session.catalogue = catalogue;
                self.session.calendar = calendar;
                Action::None
            }
            Message::ReferenceReloaded(Err(e)) | Message::JobFailed(e) => {
                self.job_error = Some(e);
                Action::None
            }
            Message::LockNow => {
                self.lock_screen();
                Action::Focus(lock::PASSWORD)
            }
            other => self.screen_message(other),
        }
    }

    fn screen_message(&mut self, message: Message) -> Action<Message> {
        let s = &self.session;
        match message {
            Message::Intake(m) => lift(self.intake.update(m, s), Message::Intake),
            Message::Dossiers(m) => lift(self.dossiers.update(m, s), Message::Dossiers),
            Message::Detail(m) => lift(self.detail.update(m, s), Message::Detail),
            Message::Returns(m) => lift(self.returns.update(m, s), Message::Returns),
            Message::Dashboard(m) => lift(self.dashboard.update(m, s), Message::Dashboard),
            Message::Catalogue(m) => lift(self.catalogue.update(m, s), Message::Catalogue),
            Message::Settings(m) => lift(self.settings.update(m, s), Message::Settings),
            Message::Facing(m) => self.facing_message(m),
            Message::FacingKey(k) => match self.facing.rating().and_then(|r| r.key(&k)) {
                Some(m) => self.facing_message(facing::Message::Rating(m)),
                None => Action::None,
            },
            _ => Action::None,
        }
    }

    /// Keys the open screen takes before the shortcuts (the detail screen's documents
    /// panel and its file chooser); `free` says no text field took the key.
    fn screen_key(
        &mut self,
        key: &Key,
        modifiers: Modifiers,
        free: bool,
    ) -> Option<Action<Message>> {
        if self.screen == Screen::Intake && matches!(key, Key::Named(Named::F10)) {
            return Some(lift(
                self.intake.update(intake::Message::Digitise, &self.session),
                Message::Intake,
            ));
        }
        if self.screen == Screen::Intake {
            let m = self.intake.key(key, &self.session)?;
            return Some(lift(self.intake.update(m, &self.session), Message::Intake));
        }
        if self.screen != Screen::Detail {
            return None;
        }
        let m = self.detail.key(key, modifiers, free)?;
        Some(lift(self.detail.update(m, &self.session), Message::Detail))
    }

    fn shortcut(&mut self, key: &Key, modifiers: Modifiers) -> Action<Message> {
        let go = |screen| Some(screen);
        let target = match key {
            Key::Named(Named::F2) => go(Screen::Intake),
            Key::Named(Named::F3) => go(Screen::Dossiers),
            Key::Named(Named::F4) => go(Screen::Returns),
            Key::Named(Named::F5) => go(Screen::Dashboard),
            Key::Named(Named::F6) => go(Screen::Catalogue),
            Key::Named(Named::F9) => go(Screen::Settings),
            _ => None,
        };
        if let Some(screen) = target {
            return self.show(screen);
        }
        if matches!(key, Key::Named(Named::F7)) && self.screen == Screen::Intake {
            return lift(
                self.intake.update(intake::Message::NextCase, &self.session),
                Message::Intake,
            );
        }
        if modifiers.command()
            && matches!(key, Key::Named(Named::Enter))
            && self.screen == Screen::Intake
        {
            return lift(
                self.intake.update(intake::Message::Save, &self.session),
                Message::Intake,
            );
        }
        // F8 on the intake screen: the next kind of applicant (citizen → organisation →
        // foreigner). A function key, because Alt+digit also types the digit.
        if self.screen == Screen::Intake && matches!(key, Key::Named(Named::F8)) {
            let next = self.intake.form().kind.next();
            return lift(
                self.intake
                    .update(intake::Message::Kind(next), &self.session),
                Message::Intake,
            );
        }
        if modifiers.command() && matches!(key, Key::Character(c) if c.as_str() == "l") {
            self.lock_screen();
            return Action::Focus(lock::PASSWORD);
        }
        Action::None
    }

    fn lock_screen(&mut self) {
        self.lock = Some(lock::State::new(&self.session.clerk));
    }

    fn tick(&mut self, now: Instant) -> Action<Message> {
        let mut actions = Vec::new();
        if self.lock.is_none()
            && now.saturating_duration_since(self.last_input) >= self.session.settings.idle_lock
        {
            self.lock_screen();
            actions.push(Action::Focus(lock::PASSWORD));
        }
        actions.push(lift(self.intake.tick(&self.session), Message::Intake));
        actions.push(self.facing_tick(now));
        if self.sync.due(now, self.status.enrolled) {
            self.sync.started();
            actions.push(Action::Up(Up::Sync));
        }
        Action::Many(actions)
    }

    fn sync_finished(&mut self, result: Result<Changed, SyncFailure>) -> Action<Message> {
        let now = Instant::now();
        self.sync.finished(now, result.as_ref().map(|_| ()));
        match result {
            Ok(changed) => Action::Many(vec![self.changed(changed), self.look_for_update(now)]),
            Err(_) => status::refresh(),
        }
    }

    /// Refreshes everything on screen that `changed` touches: the status line, the
    /// session's catalogue and calendar (new due dates use them at once), settings,
    /// the unit, and the open list or dossier.
    fn changed(&mut self, changed: Changed) -> Action<Message> {
        let mut out = vec![status::refresh()];
        if changed.catalogue || changed.calendar {
            out.push(Action::desk(|desk| {
                Message::ReferenceReloaded(Session::reference(desk).map_err(|e| e.to_string()))
            }));
        }
        if changed.settings {
            out.push(Action::desk(|desk| {
                Message::SettingsReloaded(desk.settings().map_err(|e| e.to_string()))
            }));
        }
        if changed.unit {
            out.push(Action::desk(|desk| {
                Message::UnitReloaded(desk.unit().map_err(|e| e.to_string()))
            }));
        }
        // The intake's deciding-unit picker reads the province lists a round may bring.
        out.push(lift(self.intake.refresh(&changed), Message::Intake));
        match self.screen {
            Screen::Dossiers => out.push(lift(self.dossiers.refresh(&changed), Message::Dossiers)),
            Screen::Detail => out.push(lift(self.detail.refresh(&changed), Message::Detail)),
            Screen::Dashboard if changed.any_dossier() => out.push(lift(
                self.dashboard.on_show(&self.session),
                Message::Dashboard,
            )),
            _ => {}
        }
        Action::Many(out)
    }
}

/// Focus ids are static strings; the tick interval is one second.
pub const TICK: Duration = Duration::from_secs(1);
