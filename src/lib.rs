//! motcua — "một cửa": the offline-first reception desk of a Vietnamese ward one-stop
//! centre.
//!
//! The crate follows `shared/design.md` §2: `domain` holds the pure rules (no I/O),
//! `store` the desk's local SQLite, `cli` the headless command line that the GUI, the
//! printer, the sync and the acceptance checks all drive through the same functions.

#[cfg(feature = "centre")]
pub mod centre;
pub mod cli;
pub mod domain;
pub mod files;
pub mod platform;
#[cfg(feature = "desk")]
pub mod print;
pub mod report;
pub mod store;
pub mod sync;
#[cfg(feature = "desk")]
pub mod ui;
