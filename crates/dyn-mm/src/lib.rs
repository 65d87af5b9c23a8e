//! A DynECT Message Management (email) client on top of `session-core`: sending (text, HTML,
//! templates), accounts, approved senders, recipients, suppressions, and reports streamed
//! across the API's 500-row pages.
//!
//! dyn-python's `dyn.mm` is largely broken in 1.8.6: every `POST` (sending included) fails
//! before anything is sent, and `dyn.mm.accounts` and `dyn.mm.reports` do not import. This
//! crate covers the same API and works:
//!
//! - **sessions**: [`MMSession`] holds the API key sealed in memory (AES-256-GCM, via
//!   `session-core`) and is the current Message Management session of its task or thread, in
//!   a slot separate from the Traffic Management one; free functions
//!   ([`message::send_message`], [`accounts::get_all_accounts`], ...) use it, the handles
//!   ([`MMSession::senders`], ...) work anywhere;
//! - **form encoding as the API documents it**: lists as repeated `to[]`, `cc[]`, `bcc[]`,
//!   custom headers as `X-Name=value` parameters, the key as `apikey`;
//! - **checks before sending**: addresses, subject, bodies, header names and values; a bad
//!   message costs no request;
//! - **typed errors**: the MM statuses 451 (key), 452 (argument), 453 (exists) and 404 map to
//!   [`Error`] predicates, and every other status is an error too;
//! - **retries and history** from `session-core`: throttled calls wait and retry within a
//!   bound, and the history masks the API key.
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use dyn_mm::{DateRange, EMail, MMSession, ReportKind, ReportQuery};
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> dyn_mm::Result<()> {
//! let session = MMSession::new("my-api-key").await?;
//! let email = EMail::new("News <news@example.com>", "ann@example.org", "Spring news")
//!     .text("Hello Ann")
//!     .html("<p>Hello Ann</p>")
//!     .xheader("X-Campaign", "spring");
//! session.send(&email).await?;
//!
//! // Elsewhere in the same task or thread: the session is current.
//! dyn_mm::message::send_message(&email).await?;
//!
//! let query = ReportQuery::new(DateRange::last(Duration::from_secs(86_400))?);
//! let mut clicks = session.reports().rows(ReportKind::Clicks, &query);
//! while let Some(row) = clicks.try_next().await? {
//!     println!("{} clicked {:?}", row.email_address(), row.get("clicklink"));
//! }
//! # Ok(())
//! # }
//! ```

mod address;
mod error;
mod paging;
mod session;
mod template;
mod time;

pub mod accounts;
pub mod message;
pub mod recipients;
pub mod reports;
pub mod senders;
pub mod suppressions;

pub use address::{is_valid_address, is_valid_mailbox};
pub use error::{Error, Result};
pub use message::{EMail, Header};
pub use paging::{PAGE_SIZE, Paged};
pub use reports::{ReportKind, ReportQuery, ReportRow};
pub use session::{DEFAULT_HOST, MMSession, MMSessionBuilder};
pub use template::{Substitutions, Template};
pub use time::{DateRange, format_time, parse_time};
