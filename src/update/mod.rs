//! Updates through the centre (issue 25 §3): what a release is and when a desk may trust it.
//!
//! A release is one package file (the Windows installer, or the Linux tarball) and one
//! minisign signature of it. The signature's *trusted comment* (covered by the global
//! signature) is the release manifest as one line of JSON: version, platform, size,
//! SHA-256 and the oldest version it may replace. So the province signs once, with
//! `motcua-centre release sign` or the stock `minisign -S -t '<manifest>'`, and the centre
//! only stores and hands out what it cannot forge: the desk checks the signature against
//! the public key built into its exe (`key`), then the manifest against itself.

pub mod error;
pub mod install;
pub mod key;
pub mod manifest;
#[cfg(feature = "centre")]
pub mod sign;
pub mod verify;
pub mod version;

pub use error::UpdateError;
pub use manifest::{Manifest, this_platform};
pub use verify::{VerifiedRelease, check_manifest, read_signature, verify_package, verify_release};
pub use version::Version;
