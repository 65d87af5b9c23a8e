//! [`MMSession`]: a Message Management session, the current one of its task or thread, and
//! the entry point to every manager.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value};
use session_core::{
    CallRecord, Credentials, DynMm, Endpoint, Key, MmSession, Options, ProxyConfig, RetryPolicy,
    Session,
};
use zeroize::Zeroizing;

use crate::accounts::Accounts;
use crate::error::{Error, Result};
use crate::recipients::Recipients;
use crate::reports::Reports;
use crate::senders::Senders;
use crate::suppressions::Suppressions;

/// The production API host.
pub const DEFAULT_HOST: &str = "emailapi.dynect.net";

/// A DynECT Message Management session (dyn-python's `MMSession`), holding the account's API
/// key sealed in memory.
///
/// Cheap to clone. [`MMSessionBuilder::connect`] makes the session the current Message
/// Management session of the calling tokio task (run under [`session_core::spawn`]) or
/// thread, in a slot of its own: a task can hold a Traffic Management session at the same
/// time. The free functions of this crate use the current session; the handles
/// ([`MMSession::senders`], ...) work everywhere.
#[derive(Clone, PartialEq, Eq)]
pub struct MMSession {
    inner: MmSession,
}

impl fmt::Debug for MMSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MMSession").field(&self.inner).finish()
    }
}

impl MMSession {
    /// A session on the production API with `apikey`, made current.
    ///
    /// # Errors
    /// As [`MMSessionBuilder::connect`].
    pub async fn new(apikey: &str) -> Result<Self> {
        Self::builder(apikey).connect().await
    }

    /// Starts configuring a session (endpoint, sealing key, retries, history).
    pub fn builder(apikey: &str) -> MMSessionBuilder {
        MMSessionBuilder {
            apikey: Zeroizing::new(apikey.to_owned()),
            key: None,
            endpoint: Endpoint::https(DEFAULT_HOST),
            options: Options::default(),
        }
    }

    /// Wraps a session-core Message Management session.
    pub fn from_session(session: MmSession) -> Self {
        Self { inner: session }
    }

    /// The session-core session underneath (raw calls, state, options).
    pub fn session(&self) -> &MmSession {
        &self.inner
    }

    /// The current Message Management session of the calling task or thread.
    ///
    /// # Errors
    /// [`Error::NoCurrentSession`] when there is none.
    pub fn current() -> Result<Self> {
        Self::get_session().ok_or(Error::NoCurrentSession)
    }

    /// The current Message Management session of the calling task or thread, if any.
    pub fn get_session() -> Option<Self> {
        MmSession::get_session().map(Self::from_session)
    }

    /// Makes this session the current one of the calling task or thread; returns the one it
    /// replaced.
    ///
    /// # Errors
    /// [`Error::Session`] in a tokio task without a task scope (use [`session_core::spawn`]).
    pub fn make_current(&self) -> Result<Option<Self>> {
        Ok(self.inner.make_current()?.map(Self::from_session))
    }

    /// Replaces the current session of the calling task or thread with a new one.
    ///
    /// # Errors
    /// As [`MMSessionBuilder::connect`]; the old session stays current then.
    pub async fn new_session(builder: MMSessionBuilder) -> Result<Self> {
        let builder = builder.into_core()?;
        Ok(Self::from_session(Session::new_session(builder).await?))
    }

    /// Removes the current session of the calling task or thread and returns it.
    ///
    /// # Errors
    /// [`Error::Session`] in a tokio task without a task scope.
    pub async fn close_session() -> Result<Option<Self>> {
        Ok(MmSession::close_session().await?.map(Self::from_session))
    }

    /// Sets the process-wide default Message Management session (once).
    ///
    /// # Errors
    /// [`Error::Session`] when a default is already set.
    pub fn set_global_default(session: Self) -> Result<()> {
        Ok(MmSession::set_global_default(session.inner)?)
    }

    /// The calls recorded so far (API keys and passwords masked); empty unless enabled with
    /// [`MMSessionBuilder::history`].
    pub fn history(&self) -> Vec<CallRecord> {
        self.inner.history()
    }

    /// Accounts and sub-accounts of this API key.
    pub fn accounts(&self) -> Accounts {
        Accounts::new(self.clone())
    }

    /// Approved senders.
    pub fn senders(&self) -> Senders {
        Senders::new(self.clone())
    }

    /// Recipient status and reactivation.
    pub fn recipients(&self) -> Recipients {
        Recipients::new(self.clone())
    }

    /// The suppression list.
    pub fn suppressions(&self) -> Suppressions {
        Suppressions::new(self.clone())
    }

    /// Reports: sent, delivered, bounces, complaints, issues, opens, clicks.
    pub fn reports(&self) -> Reports {
        Reports::new(self.clone())
    }

    pub(crate) async fn get(&self, path: &str, args: Map<String, Value>) -> Result<Value> {
        Ok(self.inner.get(path, Value::Object(args)).await?.into_data())
    }

    pub(crate) async fn post(&self, path: &str, args: Map<String, Value>) -> Result<Value> {
        Ok(self
            .inner
            .post(path, Value::Object(args))
            .await?
            .into_data())
    }
}

/// Configures an [`MMSession`]; finish with [`connect`](Self::connect).
#[must_use = "a builder does nothing until `connect`"]
pub struct MMSessionBuilder {
    apikey: Zeroizing<String>,
    key: Option<Key>,
    endpoint: Endpoint,
    options: Options,
}

impl fmt::Debug for MMSessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MMSessionBuilder")
            .field("apikey", &"***")
            .field("endpoint", &self.endpoint)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl MMSessionBuilder {
    /// The server (default `https://emailapi.dynect.net:443`).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Seals the API key under `key` instead of a generated one (to restore serialized
    /// sessions later).
    pub fn key(mut self, key: Key) -> Self {
        self.key = Some(key);
        self
    }

    /// All session options at once.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Keeps the last `capacity` calls in [`MMSession::history`].
    pub fn history(mut self, capacity: usize) -> Self {
        self.options.history = Some(capacity);
        self
    }

    /// Connects through an HTTP proxy (Basic authentication optional).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.options.proxy = Some(proxy);
        self
    }

    /// Retry rules (throttled calls wait and retry, bounded).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.options.retry = retry;
        self
    }

    /// Time allowed for one HTTP exchange.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options.request_timeout = timeout;
        self
    }

    fn into_core(self) -> Result<session_core::SessionBuilder<DynMm>> {
        if self.apikey.trim().is_empty() {
            return Err(Error::invalid("apikey", "is empty"));
        }
        let credentials = match self.key {
            Some(key) => Credentials::api_key_with_key(&self.apikey, key)?,
            None => Credentials::api_key(&self.apikey)?,
        };
        Ok(Session::builder(DynMm, self.endpoint, credentials).options(self.options))
    }

    /// Builds the session and makes it the current Message Management session of the calling
    /// task or thread. Nothing is sent: the API has no log-in, and the key is checked by the
    /// first call (a wrong key fails it with [`Error::is_key_error`]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty key; [`Error::Session`] when the HTTP client
    /// cannot be built.
    pub async fn connect(self) -> Result<MMSession> {
        Ok(MMSession::from_session(self.into_core()?.log_in().await?))
    }

    /// As [`connect`](Self::connect), without touching the current session.
    ///
    /// # Errors
    /// As [`connect`](Self::connect).
    pub async fn connect_detached(self) -> Result<MMSession> {
        Ok(MMSession::from_session(
            self.into_core()?.log_in_detached().await?,
        ))
    }
}
