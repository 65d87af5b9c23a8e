//! The crate's error type and the context structs its variants carry.

use std::fmt;
use std::time::Duration;

use crate::envelope::ApiMessage;
use crate::protocol::FailureKind;

/// Everything a session can fail with.
///
/// Callers branch on [`Error::Api`] (the service said no; see [`ApiError::kind`]) and on the
/// give-up variants; the rest are reported, not handled.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a failure envelope that is not retried (or no longer).
    #[error("api call failed")]
    Api(#[from] ApiError),
    /// A retryable failure kept coming back until the attempt or time budget ran out.
    #[error("gave up after {} attempts", .0.attempts())]
    RetriesExhausted(RetriesExhausted),
    /// A job was accepted but did not finish before the job deadline.
    #[error("job {} did not finish within {:?}", .0.job_id().map_or_else(|| "?".to_owned(), |id| id.to_string()), .0.waited())]
    JobTimeout(JobTimeout),
    /// The request never got a response: connection, TLS, proxy or timeout trouble.
    #[error("transport failure")]
    Transport(#[from] TransportError),
    /// The response could not be read as the protocol's envelope.
    #[error("invalid response")]
    InvalidResponse(#[from] InvalidResponse),
    /// The call needs a token and the session holds none (it was logged out).
    #[error("session is not logged in")]
    NotLoggedIn,
    /// A stored secret (password, token) could not be sealed or opened with the session's key.
    #[error("secret could not be sealed or opened")]
    Secret(#[source] SecretError),
    /// The session could not be built from the given settings.
    #[error("invalid configuration: {0}")]
    Config(&'static str),
    /// No session of this kind is current for the calling task or thread, and no global default.
    #[error("no current {0} session")]
    NoCurrentSession(&'static str),
    /// The calling tokio task has no task scope to hold a current session: run it with
    /// [`spawn`](crate::spawn) or `registry::ScopeExt::task_scope`.
    #[error("no task scope for a current session")]
    NoTaskScope,
    /// [`set_global_default`](crate::Session::set_global_default) was called a second time.
    #[error("a global default {0} session is already set")]
    GlobalDefaultAlreadySet(&'static str),
    /// A serialized session belongs to another kind of API.
    #[error("serialized session is of kind {found}, expected {expected}")]
    WrongKind {
        /// Kind the caller restores into.
        expected: &'static str,
        /// Kind recorded in the serialized state.
        found: String,
    },
}

impl Error {
    /// The failure envelope behind this error, if the service sent one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            Self::RetriesExhausted(exhausted) => Some(exhausted.last()),
            _ => None,
        }
    }
}

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A failure reported by the service: HTTP status, envelope status, codes and messages.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) http_status: u16,
    pub(crate) status: String,
    pub(crate) kind: FailureKind,
    pub(crate) job_id: Option<u64>,
    pub(crate) messages: Vec<ApiMessage>,
}

impl ApiError {
    /// Builds an error from what a [`Protocol`](crate::Protocol) read off the wire.
    pub fn new(http_status: u16, status: impl Into<String>, kind: FailureKind) -> Self {
        Self {
            http_status,
            status: status.into(),
            kind,
            job_id: None,
            messages: Vec::new(),
        }
    }

    /// Attaches the envelope's messages.
    #[must_use]
    pub fn with_messages(mut self, messages: Vec<ApiMessage>) -> Self {
        self.messages = messages;
        self
    }

    /// Attaches the envelope's job id.
    #[must_use]
    pub fn with_job_id(mut self, job_id: Option<u64>) -> Self {
        self.job_id = job_id;
        self
    }

    /// The HTTP status code of the response.
    pub fn status(&self) -> u16 {
        self.http_status
    }

    /// The envelope's own status word (`failure`, `running`, or MM's numeric status).
    pub fn envelope_status(&self) -> &str {
        &self.status
    }

    /// How the protocol classified this failure.
    pub fn kind(&self) -> FailureKind {
        self.kind
    }

    /// The job id the service assigned to the failed request, if any.
    pub fn job_id(&self) -> Option<u64> {
        self.job_id
    }

    /// The error codes (`ERR_CD`) of the messages that carry one, in order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().filter_map(ApiMessage::code)
    }

    /// Every message of the envelope, informational ones included.
    pub fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }

    /// `true` when the service said the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, FailureKind::NotFound)
    }

    /// `true` for failures that a later identical request may not get (throttling, a blocking
    /// task, a job already running on the session).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            FailureKind::RateLimited { .. }
                | FailureKind::BlockedByTask { .. }
                | FailureKind::JobRunning
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (http {}, {})",
            self.kind, self.http_status, self.status
        )?;
        let mut infos = self.messages.iter().filter_map(ApiMessage::info).peekable();
        if infos.peek().is_some() {
            f.write_str(": ")?;
            for (index, info) in infos.enumerate() {
                if index > 0 {
                    f.write_str("; ")?;
                }
                f.write_str(info)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Context of [`Error::RetriesExhausted`]: how many attempts were made and the last failure.
#[derive(Debug)]
pub struct RetriesExhausted {
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
    pub(crate) last: ApiError,
}

impl RetriesExhausted {
    /// Attempts made, the first one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time spent on the call, waits included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The failure of the last attempt.
    pub fn last(&self) -> &ApiError {
        &self.last
    }
}

/// Context of [`Error::JobTimeout`].
#[derive(Debug)]
pub struct JobTimeout {
    pub(crate) job_id: Option<u64>,
    pub(crate) location: Option<String>,
    pub(crate) waited: Duration,
}

impl JobTimeout {
    /// The job's id, when the service told it.
    pub fn job_id(&self) -> Option<u64> {
        self.job_id
    }

    /// The job URI polled last (the 307 `Location`).
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// Time spent waiting for the job.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

/// Why a request got no response; the HTTP client's own error is reachable through `source()`.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// The broad reason behind a [`TransportError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be opened (refused, unreachable, DNS, TLS, proxy).
    Connect,
    /// The connect or request timeout elapsed.
    Timeout,
    /// Anything else (connection reset mid-response, malformed HTTP, …).
    Other,
}

impl TransportError {
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if error.is_connect() {
            TransportErrorKind::Connect
        } else {
            TransportErrorKind::Other
        };
        Self {
            kind,
            // The URL can carry query arguments (MM's apikey): never keep it.
            source: Box::new(error.without_url()),
        }
    }

    /// The broad reason.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// `true` when a timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// `true` when no connection could be opened.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TransportErrorKind::Connect => f.write_str("could not connect"),
            TransportErrorKind::Timeout => f.write_str("timed out"),
            TransportErrorKind::Other => f.write_str("http exchange failed"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The body of a response was not the envelope the protocol expects.
#[derive(Debug)]
pub struct InvalidResponse {
    http_status: u16,
    reason: &'static str,
    source: Option<serde_json::Error>,
}

impl InvalidResponse {
    /// A response with `reason`, optionally caused by a JSON parse error.
    pub fn new(http_status: u16, reason: &'static str, source: Option<serde_json::Error>) -> Self {
        Self {
            http_status,
            reason,
            source,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.http_status
    }

    /// What was wrong with the body.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (http {})", self.reason, self.http_status)
    }
}

impl std::error::Error for InvalidResponse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

/// A secret could not be sealed or opened; the cause is reachable through `source()`.
#[derive(Debug)]
pub struct SecretError {
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl SecretError {
    pub(crate) fn new(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            source: Box::new(source),
        }
    }
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sealed secret unavailable")
    }
}

impl std::error::Error for SecretError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}
