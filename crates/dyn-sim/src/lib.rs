//! A DynECT Traffic and Message Management simulator.
//!
//! **Status: not yet implemented.** It will hold an HTTP server faithful enough that the real Python `dyn` 1.8.6 SDK works against it unmodified, used by every DynECT test.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
