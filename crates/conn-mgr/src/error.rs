//! The crate's error type: one enum, typed where pyATS is silent.

use std::fmt;
use std::time::Duration;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while loading a testbed or driving a connection.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A testbed file could not be read.
    #[error("cannot read testbed {path}")]
    Read {
        /// The file that was asked for.
        path: String,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// A testbed file is not valid YAML or does not match the schema.
    #[error("invalid testbed: {0}")]
    Testbed(TestbedError),
    /// No device of that name in the testbed.
    #[error("no device named '{0}' in the testbed")]
    UnknownDevice(String),
    /// No connection under that alias (pyATS silently ignores this).
    #[error("device '{device}' has no connection with alias '{alias}'")]
    UnknownAlias {
        /// Device name.
        device: String,
        /// The alias asked for.
        alias: String,
    },
    /// `via` names a path the device does not define (the error lists the defined ones).
    #[error("via '{via}' does not exist for device '{device}' (defined: {})", .defined.join(", "))]
    UnknownVia {
        /// Device name.
        device: String,
        /// The path asked for.
        via: String,
        /// The paths the device defines.
        defined: Vec<String>,
    },
    /// No connection class registered under that name.
    #[error("no connection class named '{0}'")]
    UnknownClass(String),
    /// An alias that is not an identifier, or a reserved name.
    #[error("invalid alias '{alias}': {reason}")]
    InvalidAlias {
        /// The rejected alias.
        alias: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Connecting a connected alias with another path or class (pyATS silently keeps the old one).
    #[error(
        "alias '{alias}' of device '{device}' is connected via '{current}'; disconnect it before connecting via '{requested}'"
    )]
    AliasInUse {
        /// Device name.
        device: String,
        /// The alias.
        alias: String,
        /// Path (or class) in use.
        current: String,
        /// Path (or class) requested.
        requested: String,
    },
    /// A service was called on a connection that is not connected.
    #[error("connection '{alias}' of device '{device}' is not connected")]
    NotConnected {
        /// Device name.
        device: String,
        /// The alias.
        alias: String,
    },
    /// The connection's class does not offer that service.
    #[error("connection class '{class}' has no service '{service}'")]
    UnknownService {
        /// The service asked for.
        service: String,
        /// The class of the connection.
        class: String,
    },
    /// A required setting is missing or wrong (path, credentials, options).
    #[error("{0}")]
    Config(String),
    /// The server rejected our credentials.
    #[error("authentication as '{user}' failed")]
    Auth {
        /// The user name that was tried.
        user: String,
    },
    /// The server's host key is not the one recorded in known_hosts, or is unknown under a strict policy.
    #[error("host key of {host} rejected: {reason}")]
    HostKey {
        /// `host:port`.
        host: String,
        /// `mismatch` or `unknown`.
        reason: &'static str,
    },
    /// An operation did not finish in time; `tail` holds the last output received.
    #[error("{op} timed out after {after:?}")]
    Timeout {
        /// What was being done.
        op: String,
        /// How long we waited.
        after: Duration,
        /// The last few hundred characters received, for diagnosis.
        tail: String,
    },
    /// No pool worker became free within the pool timeout.
    #[error("no free worker in pool '{alias}' within {waited:?}")]
    PoolTimeout {
        /// The pool's alias.
        alias: String,
        /// How long the caller waited.
        waited: Duration,
    },
    /// The device answered with an error message.
    #[error("command '{command}' failed: matched error pattern '{pattern}'")]
    CommandFailed {
        /// The command sent.
        command: String,
        /// The error pattern that matched.
        pattern: String,
        /// The output, prompt stripped.
        output: String,
    },
    /// A command run on an exec channel exited with a non-zero status.
    #[error("command '{command}' exited with status {status}")]
    ExitStatus {
        /// The command sent.
        command: String,
        /// Its exit status.
        status: i32,
        /// Standard output followed by standard error.
        output: String,
    },
    /// Entering privileged mode failed.
    #[error("enable failed: {0}")]
    Enable(String),
    /// The peer closed the connection.
    #[error("connection closed by peer")]
    Disconnected,
    /// A transport-level failure (TCP, SSH, process).
    #[error("transport failure")]
    Transport(#[source] TransportError),
    /// Several connections failed during a `*_all` operation; each entry names the alias.
    #[error("{} connection(s) failed", .0.len())]
    Several(Vec<(String, Error)>),
}

impl Error {
    /// True when the connection is probably dead and a reconnect may help.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_) | Error::Disconnected)
    }
}

/// An opaque transport error (SSH library, socket, process); read it through `source()` and `Display`.
pub struct TransportError(Box<dyn std::error::Error + Send + Sync>);

impl TransportError {
    /// Wraps why a transport failed, for connection classes written outside this crate (an
    /// LXD exec class, say), so their callers see [`Error::Transport`] like with the built-ins.
    ///
    /// ```
    /// use conn_mgr::{Error, TransportError};
    /// let error = Error::Transport(TransportError::new("connection reset by peer"));
    /// assert!(error.is_transport());
    /// ```
    pub fn new(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError(err.into())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TransportError({})", self.0)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Where and why a testbed was rejected: file, line, key path and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestbedError {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) path: String,
    pub(crate) reason: String,
}

impl TestbedError {
    /// The file name (or `<string>` for text loaded from memory).
    pub fn file(&self) -> &str {
        &self.file
    }
    /// The 1-based line of the offending node (0 when the problem is not tied to a line).
    pub fn line(&self) -> usize {
        self.line
    }
    /// Dotted key path of the offending node, e.g. `devices.r1.connections.cli.ip`.
    pub fn key_path(&self) -> &str {
        &self.path
    }
    /// What is wrong.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for TestbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.reason)
    }
}
