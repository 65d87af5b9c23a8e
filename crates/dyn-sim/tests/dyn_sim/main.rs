//! Integration tests of dyn-sim: the raw HTTP API through reqwest, and the real Python
//! `dyn` 1.8.6 SDK driving the simulator unmodified.

mod python;
mod support;

mod binary;
mod faults;
mod mm;
mod records;
mod sdk;
mod services;
mod session;
mod tls;
mod zones;
