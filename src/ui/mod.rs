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

use crate::desk::DataPaths;

/// Opens the counter window on the data in `paths`.
pub fn run(paths: DataPaths) -> iced::Result {
    // A daemon: the counter opens its own window, and the citizen's when set.
    iced::daemon(
        move || counter::Counter::new(paths.clone()),
        counter::Counter::update,
        counter::Counter::view,
    )
    .title(counter::Counter::title)
    .subscription(counter::Counter::subscription)
    .theme(theme::theme())
    .font(theme::FONT_REGULAR)
    .font(theme::FONT_BOLD)
    .default_font(theme::UI_FONT)
    .run()
}
