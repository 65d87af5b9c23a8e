//! The crate's error type.

use session_core::{ApiError, FailureKind};

/// Everything a dyn-mm call can fail with.
///
/// The service's refusals arrive as [`Error::Session`]; [`Error::is_key_error`],
/// [`Error::is_invalid_argument`], [`Error::is_already_exists`] and [`Error::is_not_found`]
/// sort them the way dyn-python's `EmailKeyError`, `EmailInvalidArgumentError` and
/// `EmailObjectError` did (statuses 451, 452, 453, and 404). Every other status is an error
/// too: dyn-python returned `None` for them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A free function was called where no Message Management session is current.
    #[error("no current dyn-mm session")]
    NoCurrentSession,
    /// The session layer failed: the service refused the call, retries ran out, the transport
    /// broke. [`Error::api_error`] gives the service's answer, if any.
    #[error("dyn mm request failed")]
    Session(#[source] session_core::Error),
    /// An email address was refused before anything was sent.
    #[error("invalid {field} address: {reason}")]
    InvalidAddress {
        /// The argument that held it (`to`, `cc`, `from`, `emailaddress`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
        /// The address as given.
        address: String,
    },
    /// Another argument was refused before anything was sent.
    #[error("invalid argument {field}: {reason}")]
    InvalidArgument {
        /// The argument.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// No account with this user name is visible to the API key (dyn-python's
    /// `NoSuchAccountError`).
    #[error("no such account: {0}")]
    NoSuchAccount(String),
    /// The service answered with data of an unexpected shape.
    #[error("unexpected response: {0}")]
    UnexpectedResponse(String),
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field,
            reason: reason.into(),
        }
    }

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

    /// The MM status the service answered with (`451`, `452`, `453`, `404`, `503`, ...).
    pub fn mm_status(&self) -> Option<u16> {
        self.api_error()
            .and_then(|api| api.envelope_status().parse().ok())
    }

    /// The service's message (`Missing or invalid required fields: to`), if it sent one.
    pub fn message(&self) -> Option<&str> {
        self.api_error()
            .and_then(|api| api.messages().first())
            .and_then(|message| message.info())
    }

    /// `true` for a missing or invalid API key (status 451).
    pub fn is_key_error(&self) -> bool {
        matches!(self.failure_kind(), Some(FailureKind::AuthenticationFailed))
    }

    /// `true` when the service refused an argument (status 452), an unapproved sender
    /// included; also `true` for the arguments this crate refuses before sending.
    pub fn is_invalid_argument(&self) -> bool {
        matches!(
            self,
            Self::InvalidAddress { .. } | Self::InvalidArgument { .. }
        ) || matches!(self.failure_kind(), Some(FailureKind::Validation))
    }

    /// `true` when the object already exists (status 453).
    pub fn is_already_exists(&self) -> bool {
        matches!(self.failure_kind(), Some(FailureKind::AlreadyExists))
    }

    /// `true` when the service said the object does not exist (status 404), or an account
    /// lookup found nothing.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NoSuchAccount(_))
            || self.api_error().is_some_and(ApiError::is_not_found)
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

impl From<session_core::InvalidResponse> for Error {
    fn from(error: session_core::InvalidResponse) -> Self {
        Self::Session(session_core::Error::InvalidResponse(error))
    }
}

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
