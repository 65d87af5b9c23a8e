//! An LXD REST client in the shape of the pylxd 3.0 proposal.
//!
//! **Status: not yet implemented.** It will hold models that keep the whole JSON, managers for instances, images, networks, storage, profiles, projects and more, top-level `save`/`delete` with ETag conflict detection, operations, exec over websockets, and raw API access.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
