//! motcua — "một cửa": the offline-first reception desk of a Vietnamese ward one-stop
//! centre.
//!
//! The crate follows `shared/design.md` §2: `domain` holds the pure rules (no I/O),
//! `store` the desk's local SQLite, `print` the forms, `report` Biểu 06, `documents`
//! the document pipeline, `scan` the scanners, `sync` the protocol and the HTTP
//! client, `desk` the desk's use cases over the one owner of its database, and the two
//! faces that call only `desk`: `cli` (headless, scriptable) and `ui` (the window).
//! `update` says whether a release the centre hands out may be installed.
//! `centre` is the server; `platform` and `files` (the atomic writer) serve everyone.
//! `bash .ci/layers` checks the direction of the imports.

#[cfg(feature = "centre")]
pub mod centre;
pub mod cli;
pub mod desk;
#[cfg(feature = "desk")]
pub mod documents;
pub mod domain;
pub mod files;
pub mod platform;
// The centre draws Biểu 06 as PDF with the forms' layout engine (issue 21).
#[cfg(any(feature = "desk", feature = "centre"))]
pub mod print;
pub mod report;
#[cfg(feature = "desk")]
pub mod scan;
pub mod store;
pub mod sync;
#[cfg(feature = "desk")]
pub mod ui;
pub mod update;
