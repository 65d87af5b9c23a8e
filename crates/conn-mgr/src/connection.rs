//! The contract a connection class implements, and what it is given when created.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;

use crate::testbed::{CredentialChain, PathSpec};
use crate::{Error, Result, Value};

/// One pipe to a device (pyATS `BaseConnection`): methods take `&self`, each class serialises its own pipe.
///
/// Every operation must be bounded in time; [`ExecOptions::timeout`] gives the caller's bound.
#[async_trait::async_trait]
pub trait Connection: Send + Sync + fmt::Debug + 'static {
    /// The registered class name, for errors.
    fn class_name(&self) -> &str;
    /// Whether the pipe is open.
    fn is_connected(&self) -> bool;
    /// Opens the pipe; connecting a connected connection is a no-op.
    async fn connect(&self) -> Result<()>;
    /// Closes the pipe; disconnecting a closed connection is a no-op.
    async fn disconnect(&self) -> Result<()>;
    /// Runs one command and returns its output (prompt and echo stripped).
    async fn execute(&self, command: &str, options: &ExecOptions) -> Result<String>;
    /// Applies configuration lines (entering and leaving configuration mode as the class needs).
    async fn configure(&self, lines: &[String], options: &ExecOptions) -> Result<String> {
        let _ = (lines, options);
        Err(Error::UnknownService {
            service: "configure".into(),
            class: self.class_name().into(),
        })
    }
    /// Any other service by name (pyATS `device.<service>(...)`).
    async fn call(&self, service: &str, args: &[Value]) -> Result<Value> {
        let _ = args;
        Err(Error::UnknownService {
            service: service.into(),
            class: self.class_name().into(),
        })
    }
}

/// Makes connections of one class; registered by name in [`crate::Classes`].
pub trait ConnectionFactory: Send + Sync + 'static {
    /// The alias a connection of this class gets when none is asked for (pyATS: `cli` for unicon).
    fn default_alias(&self) -> Option<&str> {
        None
    }
    /// Builds a connection; it must not do I/O (that is `connect`'s job).
    fn create(&self, context: ConnectContext) -> Result<Arc<dyn Connection>>;
}

/// What a connection class is given: the device, its alias and path, credentials and arguments.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectContext {
    /// Device name.
    pub device: String,
    /// Device `os`.
    pub os: Option<String>,
    /// Alias of this connection (`<alias>-N` for pool workers).
    pub alias: String,
    /// Path name, when one was chosen.
    pub via: Option<String>,
    /// The chosen path (`device.connections[via]`).
    pub path: Option<PathSpec>,
    /// Credentials: path → device → testbed.
    pub credentials: CredentialChain,
    /// Arguments given to `connect`/`instantiate` (pyATS `**kwargs`).
    pub args: BTreeMap<String, Value>,
}

impl ConnectContext {
    /// A context for a device with no testbed entry (tests, ad-hoc use).
    pub fn new(device: impl Into<String>, alias: impl Into<String>) -> Self {
        ConnectContext {
            device: device.into(),
            os: None,
            alias: alias.into(),
            via: None,
            path: None,
            credentials: CredentialChain::default(),
            args: BTreeMap::new(),
        }
    }

    /// An argument from `connect` args, else from the path's keys, else from the path's `arguments` block.
    pub fn arg(&self, name: &str) -> Option<&Value> {
        let path = self.path.as_ref();
        self.args
            .get(name)
            .or_else(|| path.and_then(|p| p.extra.get(name)))
            // unicon reads its options from the path's `arguments:` block too.
            .or_else(|| {
                path.and_then(|p| p.extra.get("arguments"))
                    .and_then(|a| a.get(name))
            })
    }

    /// A duration argument given in seconds (int or float).
    pub fn duration_arg(&self, name: &str) -> Result<Option<Duration>> {
        match self.arg(name) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| Some(Duration::from_secs_f64(s)))
                .ok_or_else(|| {
                    Error::Config(format!("argument '{name}' must be a number of seconds"))
                }),
        }
    }
}

/// An answer to a prompt the device asks during a command (unicon `Statement`).
#[derive(Debug, Clone)]
pub struct DialogRule {
    pub(crate) pattern: Regex,
    pub(crate) answer: String,
    pub(crate) newline: bool,
    pub(crate) repeat: bool,
}

impl DialogRule {
    /// Answers `answer` followed by a newline whenever `pattern` (a regex) appears at the end of the output.
    pub fn new(pattern: &str, answer: impl Into<String>) -> Result<Self> {
        let pattern = Regex::new(pattern)
            .map_err(|e| Error::Config(format!("invalid dialog pattern: {e}")))?;
        Ok(DialogRule {
            pattern,
            answer: answer.into(),
            newline: true,
            repeat: true,
        })
    }

    /// The pattern that triggers the answer.
    pub fn pattern(&self) -> &str {
        self.pattern.as_str()
    }

    /// What is sent.
    pub fn answer(&self) -> &str {
        &self.answer
    }

    /// Sends the answer without a newline (single keys such as `y`).
    pub fn without_newline(mut self) -> Self {
        self.newline = false;
        self
    }

    /// Answers only the first time the pattern appears.
    pub fn once(mut self) -> Self {
        self.repeat = false;
        self
    }
}

/// Per-call options for `execute` and `configure`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ExecOptions {
    /// Bound for the whole call; the class default when `None`.
    pub timeout: Option<Duration>,
    /// Answers to dialogs (`[confirm]`, `Destination filename?`, …).
    pub reply: Vec<DialogRule>,
    /// Extra error patterns (regexes) on top of the class's own.
    pub error_patterns: Vec<String>,
}

impl ExecOptions {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a dialog answer.
    pub fn reply(mut self, rule: DialogRule) -> Self {
        self.reply.push(rule);
        self
    }

    /// Adds an error pattern.
    pub fn error_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.error_patterns.push(pattern.into());
        self
    }
}
