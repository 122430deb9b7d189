//! Notices to the citizen (issue 22 §4; NĐ 61/2018 Art 19(9), 20(4)): a text when a
//! dossier is received, needs a supplement, is extended, has its result ready and is
//! returned, only to the phone the citizen agreed to at intake.
//!
//! `outbox` is written in the transaction that stores the event (`feed.rs`);
//! `sender` drains it through one [`gateway::Gateway`]: `sms` (a brandname HTTP
//! API) or `zalo` (ZNS). `config` builds the gateway from `serve`'s flags; `failed`
//! lists and re-queues the notices that gave up.

pub mod config;
pub mod failed;
pub mod gateway;
pub mod outbox;
pub mod sender;
pub mod sms;
pub mod text;
pub mod zalo;
