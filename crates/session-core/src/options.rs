//! Where a session connects and how it behaves: endpoint, proxy, timeouts, retries, jobs.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The API server: host, port and whether TLS is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    host: String,
    port: u16,
    tls: bool,
}

impl Endpoint {
    /// An endpoint with every part given.
    pub fn new(host: impl Into<String>, port: u16, tls: bool) -> Self {
        Self {
            host: host.into(),
            port,
            tls,
        }
    }

    /// `https://host:443`.
    pub fn https(host: impl Into<String>) -> Self {
        Self::new(host, 443, true)
    }

    /// Plain HTTP on `host:port` (simulators, local tests).
    pub fn http(host: impl Into<String>, port: u16) -> Self {
        Self::new(host, port, false)
    }

    /// The host name or address.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether TLS is used.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// `scheme://host:port`.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base_url())
    }
}

/// An HTTP proxy (plain HTTP requests are forwarded, HTTPS goes through `CONNECT`), with
/// optional Basic authentication.
///
/// The proxy password is never printed; when a session is serialized it is sealed with the
/// session's key like the account password.
#[derive(Clone, Serialize, Deserialize)]
pub struct ProxyConfig {
    host: String,
    port: u16,
    user: Option<String>,
    #[serde(skip)]
    pub(crate) password: Option<zeroize::Zeroizing<String>>,
}

impl ProxyConfig {
    /// A proxy at `host:port` without authentication.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            user: None,
            password: None,
        }
    }

    /// Adds Basic authentication.
    #[must_use]
    pub fn with_basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self.password = Some(zeroize::Zeroizing::new(password.into()));
        self
    }

    /// The proxy's host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The proxy user, if authentication is configured.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    pub(crate) fn url(&self) -> String {
        Endpoint::http(self.host.clone(), self.port).base_url()
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// When and how often a failed call is tried again.
///
/// Every retry is bounded twice: by [`max_attempts`](Self::max_attempts) and by
/// [`deadline`](Self::deadline) (a wait that would end past the deadline is not started).
/// dyn-python retries throttled calls forever and never logs in again; this does neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per call, the first included (at least 1).
    pub max_attempts: u32,
    /// Time budget of one call, waits included.
    pub deadline: Duration,
    /// Wait after a rate-limit failure when the service sent no `Retry-After`.
    pub rate_limit_wait: Duration,
    /// Upper bound on any rate-limit wait, `Retry-After` included.
    pub max_rate_limit_wait: Duration,
    /// First wait for a task that blocks the call; doubles (plus one step) per repeat.
    pub blocked_initial_wait: Duration,
    /// Upper bound on the wait for a blocking task.
    pub blocked_max_wait: Duration,
    /// Log in again once and retry when the token has expired.
    pub relogin_on_expiry: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            deadline: Duration::from_secs(120),
            rate_limit_wait: Duration::from_secs(5),
            max_rate_limit_wait: Duration::from_secs(60),
            blocked_initial_wait: Duration::from_secs(1),
            blocked_max_wait: Duration::from_secs(31),
            relogin_on_expiry: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every failure is returned as it comes.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            relogin_on_expiry: false,
            ..Self::default()
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts).
    #[must_use]
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets [`deadline`](Self::deadline).
    #[must_use]
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets [`rate_limit_wait`](Self::rate_limit_wait) and caps waits at `max`.
    #[must_use]
    pub fn with_rate_limit_wait(mut self, wait: Duration, max: Duration) -> Self {
        self.rate_limit_wait = wait;
        self.max_rate_limit_wait = max;
        self
    }

    /// Sets the first and the largest wait for a blocking task.
    #[must_use]
    pub fn with_blocked_wait(mut self, initial: Duration, max: Duration) -> Self {
        self.blocked_initial_wait = initial;
        self.blocked_max_wait = max;
        self
    }

    /// Sets [`relogin_on_expiry`](Self::relogin_on_expiry).
    #[must_use]
    pub fn with_relogin_on_expiry(mut self, relogin: bool) -> Self {
        self.relogin_on_expiry = relogin;
        self
    }
}

/// How a call promoted to a job is waited for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobPolicy {
    /// Pause between two polls of the job.
    pub poll_interval: Duration,
    /// Time budget for the job, from the first "still running" answer.
    pub deadline: Duration,
}

impl Default for JobPolicy {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(1),
            deadline: Duration::from_secs(300),
        }
    }
}

impl JobPolicy {
    /// A policy polling every `poll_interval` for at most `deadline`.
    pub fn new(poll_interval: Duration, deadline: Duration) -> Self {
        Self {
            poll_interval,
            deadline,
        }
    }
}

/// Everything about a session that is not its endpoint or credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Options {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one HTTP exchange.
    pub request_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The `API-Version` header. A session builder starts with the protocol's value (TM:
    /// `current`) and keeps it when given options without one.
    pub api_version: Option<String>,
    /// Keep the last `n` calls in the session's history; `None` keeps none.
    pub history: Option<usize>,
    /// Retry rules.
    pub retry: RetryPolicy,
    /// Job polling rules.
    pub jobs: JobPolicy,
    /// HTTP proxy; `None` connects directly (proxy environment variables are ignored).
    pub proxy: Option<ProxyConfig>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: concat!("opskit-session-core/", env!("CARGO_PKG_VERSION")).to_owned(),
            api_version: None,
            history: None,
            retry: RetryPolicy::default(),
            jobs: JobPolicy::default(),
            proxy: None,
        }
    }
}
