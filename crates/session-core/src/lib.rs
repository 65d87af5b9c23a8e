//! The HTTP session engine behind opskit's DynECT clients: log-in, tokens, envelopes, bounded
//! retries, job polling, call history with masked secrets, sealed credentials, serializable
//! sessions, and a "current session" per kind that is correct for async code.
//!
//! A [`Session`] speaks one [`Protocol`]: [`DynTm`] (Traffic Management: `Auth-Token` header,
//! `{status, data, job_id, msgs}` envelope) or [`DynMm`] (Message Management: `apikey`
//! parameter). Both protocols live in this crate, so `dyn-tm` and `dyn-mm` build their clients
//! on `Session<DynTm>` and `Session<DynMm>` without protocol code of their own; another API
//! implements [`Protocol`] the same way. The engine does the rest the same way for every protocol:
//!
//! - **transport**: one reqwest client per session (rustls on *ring*, keep-alive, `TCP_NODELAY`),
//!   connect and request timeouts, optional HTTP proxy with Basic auth;
//! - **retries** ([`RetryPolicy`]): throttled calls wait (`Retry-After` honoured), calls blocked
//!   by a task back off per task, an expired token triggers one new log-in — all bounded by
//!   attempts and a deadline, ending in [`Error::RetriesExhausted`];
//! - **jobs** ([`JobPolicy`]): a `307` to `/REST/Job/<id>/` or an `incomplete` reply is polled
//!   until done or [`Error::JobTimeout`]; dropping the future stops it;
//! - **one request in flight** per session, since the API refuses a second job on a token;
//! - **history** (opt-in): method, path, masked arguments, status, duration of each call;
//! - **credentials**: the password is sealed (AES-256-GCM, crate `encryption`) under your key
//!   or a generated one, and a session serializes to [`SessionState`] without plaintext;
//! - **current session** per kind and per task or thread: [`Session::get_session`],
//!   [`Session::new_session`], [`Session::close_session`], [`Session::set_global_default`],
//!   [`SessionFutureExt::with_session`] and [`SessionFutureExt::with_current_session`].
//!   Tasks that keep a current session run under [`spawn`] (or `registry::ScopeExt::task_scope`).
//!
//! # Example
//!
//! ```no_run
//! use serde_json::json;
//! use session_core::{Credentials, DynTm, Endpoint, Session};
//!
//! # async fn run() -> Result<(), session_core::Error> {
//! let credentials = Credentials::new("acme", "alice", "s3cret")?;
//! let session = Session::builder(DynTm, Endpoint::https("api.dynect.net"), credentials)
//!     .history(100)
//!     .log_in()
//!     .await?;
//! let zones = session.get("/Zone/", json!({"detail": "Y"})).await?;
//! println!("{}", zones.data());
//!
//! // Elsewhere in the same task: the session is current for its kind.
//! let same = Session::<DynTm>::current()?;
//! same.log_out().await?;
//! # Ok(())
//! # }
//! ```

mod call;
mod credentials;
mod current;
mod encode;
mod engine;
mod envelope;
mod error;
mod history;
pub mod mm;
mod options;
mod protocol;
mod session;
mod state;
pub mod tm;
mod token;

pub use credentials::{Credentials, Login, generate_key};
pub use current::{SessionFutureExt, WithSession};
pub use encryption::Key;
pub use engine::Connection;
pub use envelope::{ApiMessage, Outcome, Pending, Reply};
pub use error::{
    ApiError, Error, InvalidResponse, JobTimeout, Result, RetriesExhausted, SecretError,
    TransportError, TransportErrorKind,
};
pub use history::{CallRecord, MASK, mask_secrets};
pub use mm::{DynMm, MmSession};
pub use options::{Endpoint, JobPolicy, Options, ProxyConfig, RetryPolicy};
pub use protocol::{ArgEncoding, FailureKind, Method, Protocol, RawResponse, Request};
pub use registry::{TaskScope, spawn};
pub use session::{Session, SessionBuilder};
pub use state::SessionState;
pub use tm::{DynTm, TmSession};
pub use token::Token;
