//! Integration tests of the `encryption` crate through its public API.

mod keys;
mod redaction;
mod sealed;
mod secret;
mod tampering;
