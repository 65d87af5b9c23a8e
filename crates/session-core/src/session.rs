//! [`Session`]: a logged-in handle to one API account, and its builder.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;

use crate::credentials::Credentials;
use crate::engine::{Connection, Engine};
use crate::envelope::Reply;
use crate::error::{Error, Result};
use crate::history::CallRecord;
use crate::options::{Endpoint, JobPolicy, Options, ProxyConfig, RetryPolicy};
use crate::protocol::{Method, Protocol, Request};
use crate::token::Token;

/// A session with one API account: endpoint, credentials, token, options, history.
///
/// Cheap to clone (an `Arc` inside); clones share the token, the one-request-in-flight gate and
/// the history. Requests go through [`Session::call`] (or [`get`](Self::get),
/// [`post`](Self::post), …), which attaches the token, retries throttled and blocked calls,
/// logs in again when the token expired, and waits for jobs — each bounded by the
/// [`RetryPolicy`] and [`JobPolicy`].
pub struct Session<P: Protocol> {
    pub(crate) inner: Arc<Inner<P>>,
}

pub(crate) struct Inner<P> {
    pub(crate) id: u64,
    pub(crate) protocol: P,
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: Credentials,
    pub(crate) engine: Engine,
    /// Never held across an await.
    pub(crate) token: Mutex<Option<Token>>,
    /// One request in flight per token: the API refuses a second job on the same session.
    pub(crate) gate: tokio::sync::Mutex<()>,
    /// Next wait per blocking task (`None`: a block that named no task).
    pub(crate) blocked_waits: Mutex<HashMap<Option<u64>, Duration>>,
}

impl<P: Protocol> Clone for Session<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<P: Protocol> PartialEq for Session<P> {
    /// Two handles are equal when they are clones of the same session.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl<P: Protocol> Eq for Session<P> {}

impl<P: Protocol> fmt::Debug for Session<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("kind", &P::KIND)
            .field("id", &self.inner.id)
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .field("logged_in", &self.is_logged_in())
            .finish_non_exhaustive()
    }
}

impl<P: Protocol> Session<P> {
    /// Starts building a session for `protocol` at `endpoint` with `credentials`.
    pub fn builder(protocol: P, endpoint: Endpoint, credentials: Credentials) -> SessionBuilder<P> {
        let options = Options {
            api_version: protocol.default_api_version().map(str::to_owned),
            ..Options::default()
        };
        SessionBuilder {
            protocol,
            endpoint,
            credentials,
            options,
        }
    }

    pub(crate) fn from_parts(
        protocol: P,
        endpoint: Endpoint,
        credentials: Credentials,
        options: Options,
        token: Option<Token>,
    ) -> Result<Self> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let engine = Engine::new(&endpoint, options)?;
        Ok(Self {
            inner: Arc::new(Inner {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                protocol,
                endpoint,
                credentials,
                engine,
                token: Mutex::new(token),
                gate: tokio::sync::Mutex::new(()),
                blocked_waits: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The protocol this session speaks.
    pub fn protocol(&self) -> &P {
        &self.inner.protocol
    }

    /// The server.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The credentials (the password stays sealed).
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The options the session was built with.
    pub fn options(&self) -> &Options {
        self.inner.engine.options()
    }

    /// `true` while the session holds a token.
    pub fn is_logged_in(&self) -> bool {
        self.token().is_some()
    }

    /// The calls recorded so far, oldest first; empty unless history was enabled with
    /// [`SessionBuilder::history`].
    pub fn history(&self) -> Vec<CallRecord> {
        self.inner
            .engine
            .history()
            .map(crate::history::History::snapshot)
            .unwrap_or_default()
    }

    /// Forgets the recorded calls.
    pub fn clear_history(&self) {
        if let Some(history) = self.inner.engine.history() {
            history.clear();
        }
    }

    /// `GET path` with `args` (query string for TM; see [`Session::call`]).
    ///
    /// # Errors
    /// As [`Session::call`].
    pub async fn get(&self, path: &str, args: Value) -> Result<Reply> {
        self.call(Method::Get, path, args).await
    }

    /// `POST path` with `args`.
    ///
    /// # Errors
    /// As [`Session::call`].
    pub async fn post(&self, path: &str, args: Value) -> Result<Reply> {
        self.call(Method::Post, path, args).await
    }

    /// `PUT path` with `args`.
    ///
    /// # Errors
    /// As [`Session::call`].
    pub async fn put(&self, path: &str, args: Value) -> Result<Reply> {
        self.call(Method::Put, path, args).await
    }

    /// `DELETE path` with `args`.
    ///
    /// # Errors
    /// As [`Session::call`].
    pub async fn delete(&self, path: &str, args: Value) -> Result<Reply> {
        self.call(Method::Delete, path, args).await
    }

    /// Sends one API call and returns its successful reply.
    ///
    /// `path` is relative to the protocol's base path (`/Zone/example.com/`); `args` is a JSON
    /// object (or `null`). The call waits its turn behind other calls of this session, retries
    /// as the [`RetryPolicy`] allows and follows jobs as the [`JobPolicy`] allows. Dropping
    /// the future abandons the call cleanly: nothing keeps running in the background.
    ///
    /// # Errors
    /// [`Error::Api`] when the service refuses the call for good, [`Error::RetriesExhausted`]
    /// when the retry budget ran out, [`Error::JobTimeout`], [`Error::NotLoggedIn`],
    /// [`Error::Transport`] and [`Error::InvalidResponse`].
    pub async fn call(&self, method: Method, path: &str, args: Value) -> Result<Reply> {
        self.execute(Request::new(method, path, args)).await
    }

    pub(crate) fn token(&self) -> Option<Token> {
        self.inner
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_token(&self, token: Option<Token>) {
        *self
            .inner
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = token;
    }

    pub(crate) fn connection(&self) -> Connection<'_, P> {
        Connection {
            engine: &self.inner.engine,
            protocol: &self.inner.protocol,
        }
    }
}

/// Builds a [`Session`]; finish with [`log_in`](Self::log_in).
#[derive(Debug)]
#[must_use = "a builder does nothing until `log_in` or `build`"]
pub struct SessionBuilder<P> {
    protocol: P,
    endpoint: Endpoint,
    credentials: Credentials,
    options: Options,
}

impl<P: Protocol> SessionBuilder<P> {
    /// Replaces all options at once (the protocol's API version is kept when `options` has
    /// none).
    pub fn options(mut self, options: Options) -> Self {
        let api_version = self.options.api_version.take();
        self.options = options;
        if self.options.api_version.is_none() {
            self.options.api_version = api_version;
        }
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = timeout;
        self
    }

    /// Time allowed for one HTTP exchange (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options.request_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.options.user_agent = user_agent.into();
        self
    }

    /// The `API-Version` header (TM defaults to `current`).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.options.api_version = Some(version.into());
        self
    }

    /// Keeps the last `capacity` calls in [`Session::history`].
    pub fn history(mut self, capacity: usize) -> Self {
        self.options.history = Some(capacity);
        self
    }

    /// Connects through an HTTP proxy.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.options.proxy = Some(proxy);
        self
    }

    /// Retry rules.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.options.retry = retry;
        self
    }

    /// Job polling rules.
    pub fn jobs(mut self, jobs: JobPolicy) -> Self {
        self.options.jobs = jobs;
        self
    }

    /// Builds the session without logging in and without making it current; call
    /// [`Session::log_in`] before other calls.
    ///
    /// # Errors
    /// [`Error::Config`] when the HTTP client cannot be built from the options.
    pub fn build(self) -> Result<Session<P>> {
        Session::from_parts(
            self.protocol,
            self.endpoint,
            self.credentials,
            self.options,
            None,
        )
    }

    /// Builds the session, logs in, and makes it the current session of its kind for the
    /// calling task or thread (see [`Session::make_current`]; a tokio task without a task
    /// scope gets a warning and no current session).
    ///
    /// # Errors
    /// As [`Session::log_in`]; nothing is registered then.
    pub async fn log_in(self) -> Result<Session<P>> {
        let session = self.log_in_detached().await?;
        session.make_current_or_warn();
        Ok(session)
    }

    /// Builds the session and logs in, without touching the current session.
    ///
    /// # Errors
    /// As [`Session::log_in`].
    pub async fn log_in_detached(self) -> Result<Session<P>> {
        let session = self.build()?;
        session.log_in().await?;
        Ok(session)
    }
}

impl<P: Protocol> Session<P> {
    /// Logs in (again) with the stored credentials, replacing any token held.
    ///
    /// # Errors
    /// [`Error::Api`] of kind [`FailureKind::AuthenticationFailed`](crate::FailureKind) when the
    /// credentials are refused; transport and response errors as they come.
    pub async fn log_in(&self) -> Result<()> {
        let _turn = self.inner.gate.lock().await;
        self.log_in_locked().await
    }

    pub(crate) async fn log_in_locked(&self) -> Result<()> {
        let token = {
            let login = self.inner.credentials.open()?;
            self.inner
                .protocol
                .log_in(&self.connection(), &login)
                .await?
        };
        self.set_token(Some(token));
        Ok(())
    }

    /// Logs out: ends the token on the server, forgets it, and stops being the current
    /// session of this task or thread if it was.
    ///
    /// The token is forgotten even when the server call fails.
    ///
    /// # Errors
    /// [`Error::NotLoggedIn`] when no token is held; the server call's errors.
    pub async fn log_out(&self) -> Result<()> {
        let result = {
            let _turn = self.inner.gate.lock().await;
            self.log_out_locked().await
        };
        crate::current::forget(self);
        result
    }

    pub(crate) async fn log_out_locked(&self) -> Result<()> {
        let token = self
            .inner
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let token = token.ok_or(Error::NotLoggedIn)?;
        self.inner
            .protocol
            .log_out(&self.connection(), &token)
            .await
    }

    /// Tells the server the session is still in use, extending the token's validity.
    ///
    /// # Errors
    /// [`Error::NotLoggedIn`] when no token is held; the server call's errors.
    pub async fn keep_alive(&self) -> Result<()> {
        let _turn = self.inner.gate.lock().await;
        let token = self.token().ok_or(Error::NotLoggedIn)?;
        self.inner
            .protocol
            .keep_alive(&self.connection(), &token)
            .await
    }
}
