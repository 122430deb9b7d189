//! The counter application (design §7): an iced GUI over the same `Desk` (use cases,
//! one owner of the database) as the command line. `app` holds the state logic
//! (tested without a window), `counter` the iced program, `screens` one module per
//! screen; screens ask for desk work through `job`, and what a use case changed comes
//! back to `app`, which refreshes every screen that shows it.

pub mod app;
pub mod counter;
pub mod facing;
pub mod focus;
pub mod job;
pub mod screens;
pub mod session;
pub mod status;
pub mod strings;
pub mod testing;
pub mod theme;
pub mod widgets;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::desk::DataPaths;

/// Opens the counter window on the data in `paths`; once it closed with no intake under
/// way, installs the staged release, if any (the new version starts next time).
pub fn run(paths: DataPaths) -> iced::Result {
    let install = Arc::new(AtomicBool::new(false));
    let flag = install.clone();
    let data = paths.clone();
    // A daemon: the counter opens its own window, and the citizen's when set.
    let ran = iced::daemon(
        move || counter::Counter::new(paths.clone(), flag.clone()),
        counter::Counter::update,
        counter::Counter::view,
    )
    .title(counter::Counter::title)
    .subscription(counter::Counter::subscription)
    .theme(theme::theme())
    .font(theme::FONT_REGULAR)
    .font(theme::FONT_BOLD)
    .default_font(theme::UI_FONT)
    .run();
    if install.load(Ordering::SeqCst)
        && let Some(words) = crate::desk::update_install::install_after_close(data)
    {
        tracing::info!("{words}");
    }
    ran
}
