//! session-core against the in-process DynECT simulator (`dyn-sim`).

// Helpers outside `#[test]` functions unwrap too: a panic there is a failed test as well.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail the test by panicking"
)]

mod current;
mod errors;
mod history;
mod jobs;
mod lifecycle;
mod logs;
mod mm;
mod proxy;
mod retries;
mod send;
mod state;
mod support;
