//! Pure domain rules of a ward one-stop desk: no I/O, no SQL, no GUI.
//!
//! Everything a clerk's action depends on is decided here: which unit and dossier codes
//! are valid, when a dossier is due, which status transitions are allowed, and how the
//! log of immutable events folds into the state a clerk sees.

pub mod action;
pub mod applicant;
pub mod calendar;
pub mod catalogue_seed;
pub mod cccd_qr;
pub mod clock;
pub mod document;
pub mod document_settings;
pub mod dossier;
pub mod dossier_code;
pub mod due;
pub mod event;
pub mod handover;
pub mod intake;
pub mod lifecycle;
pub mod limit_choice;
pub mod notice;
pub mod numbers;
pub mod on_time;
pub mod procedure;
pub mod province;
pub mod public_view;
pub mod rating;
pub mod report;
pub mod scorecard;
pub mod status;
pub mod sync_state;
pub mod text;
pub mod text_lint;
pub mod time_limit;
pub mod tracking;
pub mod trust;
pub mod unit;
pub mod urgency;
