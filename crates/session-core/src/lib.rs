//! The HTTP session engine behind opskit's DynECT clients.
//!
//! **Status: not yet implemented.** It will hold the session engine for token-authenticated JSON REST APIs (login, logout, keep-alive, the `Protocol` trait each API implements, envelope parsing, failure classification, bounded retries, job polling, call history with masked passwords, sealed credentials, serializable sessions) and the per-task "current session" of each kind, as `../shared/specs/dyn.md` §1 describes.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
