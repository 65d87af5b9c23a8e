//! A faithful DynECT Traffic Management and Message Management server simulator.
//!
//! The DynECT service is shut down; this in-memory server is what every DynECT test talks to.
//! It follows the wire protocol of `shared/specs/dyn.md` closely enough that the unmodified
//! Python `dyn` 1.8.6 SDK works against it:
//!
//! - TM under `/REST/...`: JSON in (body on any method, or query string) and the envelope
//!   `{status, data, job_id, msgs[{INFO, SOURCE, ERR_CD, LVL}]}` out; the `Auth-Token` header;
//!   jobs answered by `307` to `/REST/Job/<id>/` or by `incomplete`; rate limiting, blocked
//!   tasks and job collisions.
//! - MM under `/rest/json/...`: the `apikey` parameter and the
//!   `{"response": {status, message, data}}` envelope.
//! - Control: the Rust methods of [`Simulator`], or `/__sim/...` over HTTP for the binary.
//!
//! ```
//! use dyn_sim::{RequestMatch, Simulator};
//! use serde_json::{Value, json};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = Simulator::start().await?;
//! # // Builds where reqwest has no TLS provider of its own need one installed (see tests/support).
//! # let _ = rustls::crypto::ring::default_provider().install_default();
//! let http = reqwest::Client::new();
//! let login: Value = http
//!     .post(format!("{}/REST/Session/", sim.base_url()))
//!     .json(&json!({"customer_name": "acme", "user_name": "alice", "password": "s3cret"}))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(login["status"], "success");
//!
//! // Faults are switched on per test: the next zone listing becomes a job.
//! sim.promote_next_to_job(1, RequestMatch::new("GET", "/REST/Zone/"), 1);
//! assert_eq!(sim.requests().len(), 1);
//! # Ok(()) }
//! ```
//!
//! Switches ([`Options`], changed with [`Simulator::update_options`]): idle session timeout,
//! pending-change visibility, id-0 lookups, HTTP 200 for failures, job answer form, one request
//! per token, job collisions, IP binding, a per-customer rate limit, blocking publish tasks,
//! response delay, deterministic tokens, MM page size, request-log size. One-off faults
//! ([`FaultRule`]): rate limit, failure envelope, raw body, job running, blocked by task, token
//! expiry, delay, promotion to a job. HTTPS: [`SimulatorBuilder::tls`].

mod clock;
mod control;
mod error;
mod fault;
mod http;
mod log;
mod mm;
mod options;
mod seed;
mod server;
mod tls;
mod tm;
mod world;

pub use error::{Error, Result};
pub use fault::{Fault, FaultRule, RequestMatch};
pub use log::LoggedRequest;
pub use mm::event::MmEvent;
pub use options::{JobResponse, Options, RateLimit};
pub use seed::{
    DEFAULT_APIKEY, DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_PERMISSIONS, DEFAULT_USER,
    MmAccountSeed, Seed, UserSeed,
};
pub use server::{Simulator, SimulatorBuilder};
