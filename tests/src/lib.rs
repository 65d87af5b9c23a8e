//! Cross-crate scenarios for opskit live in `it/`; this library is empty.
