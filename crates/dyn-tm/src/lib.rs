//! A DynECT Traffic Management client.
//!
//! **Status: not yet implemented.** It will hold zones, every DNS record type (generated from a table by `cargo xtask codegen`), services, accounts, reports and tasks, callable through explicit handles and through the current session.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
