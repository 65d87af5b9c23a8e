//! The crate's error type.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to LXD.
///
/// Errors answered by LXD keep the HTTP method, the request path and LXD's own message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The object (or project, or file) does not exist: HTTP 404.
    #[error("{method} {path}: not found: {message}")]
    NotFound {
        /// HTTP method of the request.
        method: String,
        /// Request path and query.
        path: String,
        /// LXD's message.
        message: String,
    },
    /// The object changed on the server since it was read: the `If-Match` ETag was stale (HTTP 412).
    ///
    /// Call [`crate::sync`] (keeps local edits) or [`crate::rollback`] and try again.
    #[error("{method} {path}: conflict, changed on the server: {message}")]
    Conflict {
        /// HTTP method of the request.
        method: String,
        /// Request path and query.
        path: String,
        /// LXD's message.
        message: String,
    },
    /// An object with that name already exists (HTTP 409, or 500 "already exists" as LXD 5.0 answers).
    #[error("{method} {path}: already exists: {message}")]
    AlreadyExists {
        /// HTTP method of the request.
        method: String,
        /// Request path and query.
        path: String,
        /// LXD's message.
        message: String,
    },
    /// Any other error answered by LXD.
    #[error("{method} {path}: lxd answered {status}: {message}")]
    Api {
        /// HTTP status code.
        status: u16,
        /// HTTP method of the request.
        method: String,
        /// Request path and query.
        path: String,
        /// LXD's message.
        message: String,
    },
    /// A background operation finished with a failure.
    #[error("operation {operation} failed: {message}")]
    OperationFailed {
        /// Operation id.
        operation: String,
        /// LXD's `err` text.
        message: String,
    },
    /// Waiting for something took longer than allowed.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The connection to LXD failed (daemon down, socket missing, TLS, reset).
    #[error("transport: {0}")]
    Transport(#[source] Transport),
    /// LXD answered something this client cannot interpret.
    #[error("protocol: {0}")]
    Protocol(String),
    /// The client was configured wrongly (bad URL, unreadable certificate, no socket found).
    #[error("config: {0}")]
    Config(String),
    /// A value handed to the client cannot be used (e.g. it does not serialize to JSON).
    #[error("invalid value: {0}")]
    InvalidValue(String),
    /// Local I/O failed (reading a file to push, writing a pulled file).
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// Whether this is [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// Whether this is [`Error::Conflict`] (stale ETag).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict { .. })
    }

    /// Whether this is [`Error::AlreadyExists`].
    pub fn is_already_exists(&self) -> bool {
        matches!(self, Self::AlreadyExists { .. })
    }

    /// Builds the right variant for an error answer from LXD.
    pub(crate) fn from_api(status: u16, method: &str, path: &str, message: String) -> Self {
        let method = method.to_owned();
        let path = path.to_owned();
        match status {
            404 => Self::NotFound {
                method,
                path,
                message,
            },
            412 => Self::Conflict {
                method,
                path,
                message,
            },
            409 => Self::AlreadyExists {
                method,
                path,
                message,
            },
            // LXD 5.0 answers a duplicate create with 500 and this text.
            500 if message.contains("already exists") => Self::AlreadyExists {
                method,
                path,
                message,
            },
            _ => Self::Api {
                status,
                method,
                path,
                message,
            },
        }
    }

    pub(crate) fn transport(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Transport(Transport(Box::new(err)))
    }
}

/// An opaque transport failure (HTTP, websocket or TLS); its source chain has the details.
pub struct Transport(Box<dyn std::error::Error + Send + Sync>);

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // reqwest's top-level message is terse; the innermost cause names the real problem.
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl std::error::Error for Transport {}

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            return Self::Timeout(format!("http request: {err}"));
        }
        Self::transport(err)
    }
}

impl From<tokio_tungstenite::tungstenite::Error> for Error {
    fn from(err: tokio_tungstenite::tungstenite::Error) -> Self {
        Self::transport(err)
    }
}
