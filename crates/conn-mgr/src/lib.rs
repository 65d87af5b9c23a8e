//! A pyATS-style connection manager for network devices.
//!
//! A [`TestbedSpec`] is loaded from pyATS testbed YAML (credentials chained testbed → device → path,
//! `%{…}` references, `%ENV{…}`, pyATS' default `%ENC{…}` codec), and errors name file, line and key path.

mod error;
mod secret;
pub mod testbed;
mod value;

pub use error::{Error, Result, TestbedError, TransportError};
pub use secret::Secret;
pub use testbed::{TestbedLoader, TestbedSpec, load_testbed};
pub use value::Value;
