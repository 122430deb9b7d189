//! `motcua-centre`: merges the events of every desk of every unit into PostgreSQL and
//! feeds each unit's desks back what they do not have (design §6).
//!
//! `db` owns the pool and the schema, `auth` the tokens and enrollment codes, `feed`
//! the push/pull queries, `request` the request bodies (encoding, limits, JSON, batch
//! checks), `quarantine` the trust checks of a push and the events they refuse, `routes` the HTTP surface (`guard` its connection limits, `admission` its 503 when saturated, `throttle` its per-client limit on failed enrollments, `proxy` the client's address behind a trusted reverse proxy) (errors mapped in `error`), `files` the digitised documents' routes (`uploads` their bounds, `blobs` the folder on disk, `file_access` their rows),
//! `releases` the desk app's releases (their route and store; `cli::release` the operator's commands),
//! `web` the web pages (citizen's tracking page, operators' console), `admin` and `report`
//! (`report::stats` the counts per unit, `report::dvcqg` the national portal's export)
//! the operator commands, `cli` the command line that drives them all (one file per group of commands).
//! `citizen_lookup` finds a dossier for the citizen's pages. The handlers (`routes`, `files`,
//! `web`) and `cli` hold no SQL: they call the module that owns the table (`.ci/layers`).

pub mod admin;
pub mod admission;
pub mod audit;
pub mod auth;
pub mod bieu06;
pub mod blobs;
pub mod citizen_lookup;
pub mod cli;
pub mod conflicts;
pub mod console;
pub mod cross;
pub mod db;
pub mod epoch;
pub mod error;
pub mod feed;
pub mod file_access;
pub mod files;
pub mod guard;
pub mod notices;
pub mod orphans;
pub mod province;
pub mod proxy;
pub mod quarantine;
pub mod ratings;
pub mod releases;
pub mod report;
pub mod request;
pub mod routes;
pub mod settings;
pub mod throttle;
pub mod tls;
pub mod uploads;
pub mod web;
