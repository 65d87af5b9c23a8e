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
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use dyn_sim::{RequestMatch, Simulator};
//!
//! let sim = Simulator::start().await?;
//! // Log in as the seeded user with any HTTP client:
//! // POST {base}/REST/Session/ {"customer_name": "acme", "user_name": "alice", "password": "s3cret"}
//! let base = sim.base_url();
//! sim.promote_next_to_job(1, RequestMatch::new("PUT", "/REST/Zone/"), 2);
//! assert!(sim.requests().is_empty());
//! # let _ = base; Ok(()) }
//! ```

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
