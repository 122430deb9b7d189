//! The operators' console behind the web pages (issue 21): who may sign in and what each
//! role may see (`operators`), the server-side sessions (`sessions`), the fleet of desks
//! in one query (`fleet`), and the review of refused events (`review`). The pages in
//! `centre::web::console` only render what these return.

pub mod desks;
pub mod dossier;
pub mod fleet;
pub mod operators;
pub mod review;
pub mod sessions;
