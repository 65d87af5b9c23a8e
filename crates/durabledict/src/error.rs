//! The crate's error type.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a durable dict.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The backend failed (connection lost, server error, bad reply).
    #[error("{backend} backend: {operation} failed")]
    Backend {
        /// Which backend, e.g. `"redis"`.
        backend: &'static str,
        /// What the dict asked it to do, e.g. `"persist"`.
        operation: &'static str,
        /// The underlying cause, opaque so no third-party type leaks into the API.
        #[source]
        source: BackendError,
    },
    /// A stored value could not be decoded; other keys stay readable.
    #[error("cannot decode the stored value of key {key:?}")]
    Decode {
        /// The key whose value is corrupt or in another encoding.
        key: String,
        /// Why decoding failed.
        #[source]
        source: EncodingError,
    },
    /// A value could not be encoded, so nothing was written.
    #[error("cannot encode the value for key {key:?}")]
    Encode {
        /// The key being written.
        key: String,
        /// Why encoding failed.
        #[source]
        source: EncodingError,
    },
    /// The backend cannot store this key (e.g. a `/` in a ZooKeeper key).
    #[error("invalid key {key:?}: {reason}")]
    InvalidKey {
        /// The rejected key.
        key: String,
        /// Why the backend rejects it.
        reason: &'static str,
    },
    /// The builder or a backend was configured inconsistently.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The blocking wrapper could not start its runtime.
    #[error("cannot start the blocking runtime")]
    Runtime(#[source] std::io::Error),
}

impl Error {
    /// Wraps any backend failure; third-party backends use this for their own errors.
    pub fn backend(
        backend: &'static str,
        operation: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Backend {
            backend,
            operation,
            source: BackendError(source.into()),
        }
    }

    /// Whether the error came from the backend (as opposed to data or configuration).
    pub fn is_backend(&self) -> bool {
        matches!(self, Self::Backend { .. })
    }
}

/// The opaque cause of an [`Error::Backend`].
pub struct BackendError(Box<dyn std::error::Error + Send + Sync>);

impl fmt::Debug for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Why an [`Encoding`](crate::Encoding) could not encode or decode a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{encoding}: {message}")]
pub struct EncodingError {
    encoding: &'static str,
    message: String,
}

impl EncodingError {
    /// Creates an error for the named encoding; custom encodings use this.
    pub fn new(encoding: &'static str, message: impl fmt::Display) -> Self {
        Self {
            encoding,
            message: message.to_string(),
        }
    }

    /// The encoding that failed, e.g. `"json"`.
    pub fn encoding(&self) -> &'static str {
        self.encoding
    }
}
