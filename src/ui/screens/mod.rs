//! One module per screen: `State`, `Message`, `update` returning an `Action`, `view`.

pub mod catalogue;
pub mod dashboard;
pub mod detail;
pub mod dossiers;
pub mod file_chooser;
pub mod intake;
pub mod lock;
pub mod login;
pub mod returns;
pub mod settings;
pub mod setup;
#[cfg(test)]
pub(crate) mod testkit;
