//! The [`Protocol`] trait: what differs between the APIs a session can speak.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;

use crate::credentials::Login;
use crate::engine::Connection;
use crate::envelope::Outcome;
use crate::error::{InvalidResponse, Result};
use crate::token::Token;

/// The HTTP methods the supported APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a request's arguments travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgEncoding {
    /// In the query string (arrays repeat the key; nested objects are sent as JSON text).
    Query,
    /// As a JSON body (`Content-Type: application/json`).
    Json,
    /// As a form-urlencoded body (arrays repeat the key).
    Form,
}

/// A request before credentials are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) args: Value,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Request {
    /// A request for `path`, relative to the protocol's base path (`/Zone/x/` →
    /// `/REST/Zone/x/`) unless it already starts with it. `args` is a JSON object or `null`.
    pub fn new(method: Method, path: impl Into<String>, args: Value) -> Self {
        Self {
            method,
            path: path.into(),
            args,
            query: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The arguments.
    pub fn args(&self) -> &Value {
        &self.args
    }

    /// Mutable access to the arguments (for protocols that put credentials there).
    pub fn args_mut(&mut self) -> &mut Value {
        &mut self.args
    }

    /// Adds a query parameter regardless of the argument encoding.
    pub fn push_query(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.query.push((name.into(), value.into()));
    }

    /// Adds a request header.
    pub fn push_header(&mut self, name: &'static str, value: impl Into<String>) {
        self.headers.push((name, value.into()));
    }
}

/// A response as it came off the wire, before the protocol reads it.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// A response with `status` and `body` and no interesting headers (for tests of parsers).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            location: None,
            retry_after: None,
            body: body.into(),
        }
    }

    /// Sets the `Location` header.
    #[must_use]
    pub fn with_location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets the `Retry-After` header (in seconds on the wire).
    #[must_use]
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = Some(retry_after);
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `Location` header.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The `Retry-After` header, when it held a number of seconds.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// Why the service refused a call, as far as retries and callers care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// Throttled; retry after the given wait (from `Retry-After`) or the policy's.
    RateLimited {
        /// The wait the service asked for.
        retry_after: Option<Duration>,
    },
    /// A running back-end task locks the resource.
    BlockedByTask {
        /// The blocking task, when the service named it.
        task_id: Option<u64>,
    },
    /// This session (token) already has a job running.
    JobRunning,
    /// The token is unknown, expired or bound to another address.
    TokenExpired,
    /// The credentials were refused at log-in (or the API key is invalid).
    AuthenticationFailed,
    /// The arguments were refused (missing or invalid data, bad request).
    Validation,
    /// The resource does not exist.
    NotFound,
    /// The resource already exists.
    AlreadyExists,
    /// Anything else.
    Other,
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RateLimited { .. } => "rate limited",
            Self::BlockedByTask { .. } => "blocked by a running task",
            Self::JobRunning => "a job is already running on this session",
            Self::TokenExpired => "token expired",
            Self::AuthenticationFailed => "authentication failed",
            Self::Validation => "invalid request",
            Self::NotFound => "not found",
            Self::AlreadyExists => "already exists",
            Self::Other => "request failed",
        })
    }
}

/// What one API does differently: log-in, how credentials ride, how envelopes read.
///
/// The session engine ([`Session`](crate::Session)) does everything else — transport, retries,
/// job polling, history, the current session — the same way for every protocol. Implemented
/// here for DynECT Traffic Management ([`DynTm`](crate::DynTm)) and Message Management
/// ([`DynMm`](crate::DynMm)).
#[async_trait]
pub trait Protocol: fmt::Debug + Send + Sync + Sized + 'static {
    /// Name of the session kind (`"dyn-tm"`); also the key of the current-session slot, so
    /// two protocols must never share it.
    const KIND: &'static str;

    /// Path prefix every request lives under (`/REST`).
    fn base_path(&self) -> &str;

    /// The value of the `API-Version` header a new session sends, if any.
    fn default_api_version(&self) -> Option<&str> {
        None
    }

    /// Where the arguments of a `method` request travel.
    fn encoding(&self, method: Method) -> ArgEncoding;

    /// Attaches the session's credential to an outgoing request.
    fn authorize(&self, request: &mut Request, token: &Token);

    /// Reads a response: success, still-running job, or classified failure.
    ///
    /// # Errors
    /// [`InvalidResponse`] when the body is not this protocol's envelope.
    fn read(&self, response: &RawResponse) -> Result<Outcome, InvalidResponse>;

    /// The path that reports job `job_id`, for replies that say "incomplete" without a
    /// `Location`.
    fn job_path(&self, job_id: u64) -> Option<String> {
        let _ = job_id;
        None
    }

    /// Logs in with `login` and returns the credential to attach to later requests.
    ///
    /// # Errors
    /// Whatever the exchange fails with; refused credentials are an [`Error::Api`](crate::Error::Api)
    /// of kind [`FailureKind::AuthenticationFailed`].
    async fn log_in(&self, connection: &Connection<'_, Self>, login: &Login<'_>) -> Result<Token>;

    /// Ends the session that `token` belongs to.
    ///
    /// # Errors
    /// Whatever the exchange fails with.
    async fn log_out(&self, connection: &Connection<'_, Self>, token: &Token) -> Result<()>;

    /// Extends the validity of `token` without doing anything else.
    ///
    /// # Errors
    /// Whatever the exchange fails with.
    async fn keep_alive(&self, connection: &Connection<'_, Self>, token: &Token) -> Result<()>;
}
