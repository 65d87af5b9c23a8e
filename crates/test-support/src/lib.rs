//! Harnesses shared by opskit's tests.
//!
//! - [`services`]: where the private Redis, ZooKeeper, PostgreSQL and LXD started by
//!   `cargo xtask services up` listen, checked before a test uses them, so a missing service
//!   fails the test with the command that starts it instead of a confusing I/O error.
//! - [`sshd`]: a private OpenSSH server per test, on a loopback port of its own.
//! - [`proxy`]: a private tinyproxy (HTTP proxy, optional Basic auth) per test, with its log.
//! - [`python`]: venvs holding the Python originals, for tests that run them beside ours.
//! - [`bench`](mod@bench): rows for the combined table of `cargo xtask bench`.

pub mod bench;
pub mod proxy;
pub mod python;
pub mod services;
pub mod sshd;
