//! dyn-tm against the in-process DynECT simulator (`dyn-sim`).

// Helpers outside `#[test]` functions unwrap too: a panic there is a failed test as well.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail the test by panicking"
)]

mod accounts;
mod codegen;
mod current;
mod records;
mod services;
mod support;
mod zones;
