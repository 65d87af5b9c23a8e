//! Cross-crate scenarios: one test binary for the whole workspace.
