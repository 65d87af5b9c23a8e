//! A DynECT Message Management (email) client.
//!
//! **Status: not yet implemented.** It will hold sending (text, HTML, templates), accounts, senders, recipients, suppressions, bounces, complaints and paged reports, built on `session-core`.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
