//! Endpoints of the private test services started by `cargo xtask services up`.
