//! The Windows print path: forms drawn through GDI on an installed printer (`device`,
//! Windows only) from device-space operations planned from layout pages (`plan`).

#[cfg(windows)]
pub mod device;
pub mod plan;
