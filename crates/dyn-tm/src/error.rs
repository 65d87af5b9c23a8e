//! The crate's error type.

use session_core::{ApiError, FailureKind};

/// Everything a dyn-tm call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A free function was called where no Traffic Management session is current.
    #[error("no current dyn-tm session")]
    NoCurrentSession,
    /// The session layer failed: the service refused the call, retries ran out, a job timed
    /// out, the transport broke. [`Error::api_error`] gives the service's answer, if any.
    #[error("dyn tm request failed")]
    Session(#[source] session_core::Error),
    /// The service answered with data of an unexpected shape.
    #[error("unexpected response: {0}")]
    UnexpectedResponse(String),
    /// An argument was refused before anything was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// The record was added in this session and not published yet, and the node holds other
    /// unpublished records of its type: it cannot be addressed alone. Publish first (ids are
    /// assigned then) or discard the pending changes. dyn-python deleted every record of the
    /// type at the node in this case.
    #[error("record is unpublished and cannot be addressed alone")]
    UnpublishedRecord,
}

impl Error {
    /// The service's failure envelope behind this error, if it sent one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Session(error) => error.api_error(),
            _ => None,
        }
    }

    /// How the service's failure was classified, if the service sent one.
    pub fn failure_kind(&self) -> Option<FailureKind> {
        self.api_error().map(ApiError::kind)
    }

    /// `true` when the service said the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_not_found)
    }

    /// `true` when the service refused the call as already existing (`TARGET_EXISTS`).
    pub fn is_already_exists(&self) -> bool {
        matches!(self.failure_kind(), Some(FailureKind::AlreadyExists))
    }

    /// `true` when the session's user lacks the permission the call needs.
    pub fn is_permission_denied(&self) -> bool {
        self.codes().contains(&"PERMISSION_DENIED")
    }

    /// The error codes (`ERR_CD`) the service sent, in order.
    pub fn codes(&self) -> Vec<&str> {
        self.api_error()
            .map(|api| api.codes().collect())
            .unwrap_or_default()
    }
}

impl From<session_core::Error> for Error {
    fn from(error: session_core::Error) -> Self {
        match error {
            session_core::Error::NoCurrentSession(_) => Self::NoCurrentSession,
            other => Self::Session(other),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Self::UnexpectedResponse(error.to_string())
    }
}

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
