//! [`DynectSession`]: a logged-in Traffic Management session, the current session of its
//! task or thread, and the entry point to every manager.

use std::fmt;
use std::time::Duration;

use serde_json::{Value, json};
use session_core::{
    Credentials, DynTm, Endpoint, JobPolicy, Key, Options, RetryPolicy, Session, TmSession,
};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The production API host.
pub const DEFAULT_HOST: &str = "api.dynect.net";

/// A logged-in DynECT Traffic Management session (dyn-python's `DynectSession`).
///
/// Cheap to clone; clones share the token. Logging in makes the session the current one of the
/// calling tokio task (run under [`session_core::spawn`]) or thread, so the free functions of
/// this crate (`dyn_tm::zones::get_all_zones()`) find it; explicit handles
/// (`session.zones()`) work everywhere.
#[derive(Clone, PartialEq, Eq)]
pub struct DynectSession {
    inner: TmSession,
}

impl fmt::Debug for DynectSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DynectSession").field(&self.inner).finish()
    }
}

impl DynectSession {
    /// Logs in to the production API and becomes the current session.
    ///
    /// # Errors
    /// [`Error::Session`] when the credentials are refused or the service cannot be reached.
    pub async fn new(customer: &str, user: &str, password: &str) -> Result<Self> {
        Self::builder(customer, user, password).log_in().await
    }

    /// Starts configuring a session (endpoint, key, retries, history).
    pub fn builder(customer: &str, user: &str, password: &str) -> DynectSessionBuilder {
        DynectSessionBuilder {
            customer: customer.to_owned(),
            user: user.to_owned(),
            password: Zeroizing::new(password.to_owned()),
            key: None,
            endpoint: Endpoint::https(DEFAULT_HOST),
            options: Options::default(),
        }
    }

    /// Wraps a session-core session (already logged in, or restored from state).
    pub fn from_session(session: TmSession) -> Self {
        Self { inner: session }
    }

    /// The current session of the calling task or thread.
    ///
    /// # Errors
    /// [`Error::NoCurrentSession`] when there is none.
    pub fn current() -> Result<Self> {
        Self::get_session().ok_or(Error::NoCurrentSession)
    }

    /// The current session of the calling task or thread, if any.
    pub fn get_session() -> Option<Self> {
        TmSession::get_session().map(Self::from_session)
    }

    /// Removes the current session of the calling task or thread and logs it out.
    ///
    /// # Errors
    /// The log-out's errors (the session is removed all the same).
    pub async fn close_session() -> Result<Option<Self>> {
        Ok(TmSession::close_session().await?.map(Self::from_session))
    }

    /// Makes this session the current one of the calling task or thread; returns the one it
    /// replaced (still logged in).
    ///
    /// # Errors
    /// [`Error::Session`] in a tokio task without a task scope.
    pub fn make_current(&self) -> Result<Option<Self>> {
        Ok(self.inner.make_current()?.map(Self::from_session))
    }

    /// The session-core session underneath (raw calls, history, serialization).
    pub fn raw(&self) -> &TmSession {
        &self.inner
    }

    /// The customer (account) name.
    pub fn customer(&self) -> &str {
        self.inner.credentials().customer().unwrap_or_default()
    }

    /// The user name.
    pub fn user(&self) -> &str {
        self.inner.credentials().user().unwrap_or_default()
    }

    /// `true` while the session holds a token.
    pub fn is_logged_in(&self) -> bool {
        self.inner.is_logged_in()
    }

    /// Logs out and stops being the current session of this task or thread.
    ///
    /// # Errors
    /// [`Error::Session`] when the session was not logged in or the call failed (the token is
    /// forgotten all the same).
    pub async fn log_out(&self) -> Result<()> {
        Ok(self.inner.log_out().await?)
    }

    /// Extends the token's validity (`PUT /Session/`; dyn-python never called it).
    ///
    /// # Errors
    /// As [`DynectSession::log_out`].
    pub async fn keep_alive(&self) -> Result<()> {
        Ok(self.inner.keep_alive().await?)
    }

    /// Asks the service whether the token is still valid (`GET /Session/`).
    ///
    /// # Errors
    /// Transport failures; an expired token is `Ok(false)`.
    pub async fn is_alive(&self) -> Result<bool> {
        match self.inner.get("/Session/", json!({})).await {
            Ok(_) => Ok(true),
            Err(session_core::Error::NotLoggedIn) => Ok(false),
            Err(error)
                if error.api_error().is_some_and(|api| {
                    matches!(
                        api.kind(),
                        session_core::FailureKind::TokenExpired
                            | session_core::FailureKind::AuthenticationFailed
                    )
                }) =>
            {
                Ok(false)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The permissions of the session's user (`allowed` names of the permission report).
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn permissions(&self) -> Result<Vec<String>> {
        let data = self
            .post("/UserPermissionReport/", json!({"user_name": self.user()}))
            .await?;
        let allowed = data
            .get("allowed")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::UnexpectedResponse("permission report without allowed".into()))?;
        Ok(allowed
            .iter()
            .filter_map(|entry| entry.get("name").and_then(Value::as_str))
            .map(str::to_owned)
            .collect())
    }

    /// Changes the session user's password (`PUT /Password/`). The session keeps its token;
    /// a later log-in of this session object still uses the old password.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn update_password(&self, new_password: &str) -> Result<()> {
        self.put("/Password/", json!({"password": new_password}))
            .await?;
        Ok(())
    }

    pub(crate) async fn get(&self, path: &str, args: Value) -> Result<Value> {
        Ok(self.inner.get(path, args).await?.into_data())
    }

    pub(crate) async fn post(&self, path: &str, args: Value) -> Result<Value> {
        Ok(self.inner.post(path, args).await?.into_data())
    }

    pub(crate) async fn put(&self, path: &str, args: Value) -> Result<Value> {
        Ok(self.inner.put(path, args).await?.into_data())
    }

    pub(crate) async fn delete(&self, path: &str, args: Value) -> Result<Value> {
        Ok(self.inner.delete(path, args).await?.into_data())
    }
}

/// Configures a [`DynectSession`]; finish with [`log_in`](Self::log_in).
#[must_use = "a builder does nothing until `log_in`"]
pub struct DynectSessionBuilder {
    customer: String,
    user: String,
    password: Zeroizing<String>,
    key: Option<Key>,
    endpoint: Endpoint,
    options: Options,
}

impl fmt::Debug for DynectSessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynectSessionBuilder")
            .field("customer", &self.customer)
            .field("user", &self.user)
            .field("password", &session_core::MASK)
            .field("key", &self.key.as_ref().map(|_| session_core::MASK))
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl DynectSessionBuilder {
    /// Seals the password under `key` (dyn-python's `key` argument) instead of a generated
    /// key, so a serialized session can be restored by whoever holds the key.
    pub fn key(mut self, key: Key) -> Self {
        self.key = Some(key);
        self
    }

    /// The server (default `https://api.dynect.net`).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// All session options at once.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Retry rules (throttling, blocking tasks, expired tokens).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.options.retry = retry;
        self
    }

    /// Job polling rules.
    pub fn jobs(mut self, jobs: JobPolicy) -> Self {
        self.options.jobs = jobs;
        self
    }

    /// Time allowed for one HTTP exchange.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options.request_timeout = timeout;
        self
    }

    /// Keeps the last `capacity` calls in the session's history (secrets masked).
    pub fn history(mut self, capacity: usize) -> Self {
        self.options.history = Some(capacity);
        self
    }

    fn into_core(self) -> Result<session_core::SessionBuilder<DynTm>> {
        let credentials = match self.key {
            Some(key) => Credentials::with_key(self.customer, self.user, &self.password, key)?,
            None => Credentials::new(self.customer, self.user, &self.password)?,
        };
        Ok(Session::builder(DynTm, self.endpoint, credentials).options(self.options))
    }

    /// Logs in and makes the session current for the calling task (under
    /// [`session_core::spawn`]) or thread.
    ///
    /// # Errors
    /// [`Error::Session`] when the credentials are refused or the service cannot be reached.
    pub async fn log_in(self) -> Result<DynectSession> {
        Ok(DynectSession::from_session(
            self.into_core()?.log_in().await?,
        ))
    }

    /// Logs in without touching the current session.
    ///
    /// # Errors
    /// As [`DynectSessionBuilder::log_in`].
    pub async fn log_in_detached(self) -> Result<DynectSession> {
        Ok(DynectSession::from_session(
            self.into_core()?.log_in_detached().await?,
        ))
    }

    /// Logs in, replaces the current session and logs the replaced one out (dyn-python's
    /// `new_session` left the old token alive).
    ///
    /// # Errors
    /// As [`DynectSessionBuilder::log_in`]; the old session stays current then.
    pub async fn new_session(self) -> Result<DynectSession> {
        Ok(DynectSession::from_session(
            TmSession::new_session(self.into_core()?).await?,
        ))
    }
}
