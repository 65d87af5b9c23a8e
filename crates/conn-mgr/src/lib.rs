//! A pyATS-style connection manager for network devices.
//!
//! **Status: not yet implemented.** It will hold testbed YAML loading, devices with one connection manager each, aliases, paths (`via`), pools, and built-in connection classes: an interactive SSH CLI with a prompt engine, an exec channel, a local shell and a scripted fake.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
