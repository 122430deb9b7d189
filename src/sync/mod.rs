//! Sync between a desk and the centre (design §6).
//!
//! `protocol` holds the request/response types both sides compile against, `wire` the
//! gzip/JSON encoding with its size limits, `bounds` what a desk accepts of a pull
//! page's shape (the item checks are `domain::trust`); both are always built so the centre and the
//! desk can never disagree on a field. `client` (feature `desk`) is the desk's side:
//! one push-then-pull round at a time (`files` its uploads and downloads of documents), driven by the CLI today and by a GUI
//! subscription later, with `backoff` deciding how long to wait after a failure.

pub mod backoff;
pub mod bounds;
#[cfg(feature = "desk")]
pub mod client;
#[cfg(feature = "desk")]
pub mod files;
pub mod health;
pub mod protocol;
#[cfg(feature = "desk")]
pub mod release;
pub mod wire;
