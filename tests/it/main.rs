//! Cross-crate scenarios: one test binary for the whole workspace.
//!
//! Each module checks one promise that only holds when several crates work together, against
//! real peers: the DynECT simulator, an SQLite file, a second OS process, LXD and OpenSSH.
//! Run them with `cargo test -p integration-tests` after `cargo xtask services up`.

mod current_sessions;
mod dyn_session_handoff;
mod lxd_device;
mod sealed_testbed;
mod support;
