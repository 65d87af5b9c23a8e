//! The current session of each kind, per tokio task or thread, on top of `registry`.
//!
//! Lookups resolve like tracing's dispatcher: a [`with_session`](SessionFutureExt::with_session)
//! override, then the calling task's entry (tasks run under [`spawn`](crate::spawn) or
//! `.task_scope()`), then the calling thread's, then the set-once global default.

use std::any::Any;
use std::future::Future;
use std::sync::{Arc, OnceLock};

use registry::{Registry, ScopeExt};

use crate::error::{Error, Result};
use crate::protocol::Protocol;
use crate::session::{Session, SessionBuilder};

/// A session of any kind, stored under its kind's name.
struct Erased(Box<dyn Any + Send + Sync>);

impl Erased {
    fn new<P: Protocol>(session: Session<P>) -> Self {
        Self(Box::new(session))
    }

    fn get<P: Protocol>(&self) -> Option<Session<P>> {
        self.0.downcast_ref::<Session<P>>().cloned()
    }
}

fn sessions() -> &'static Registry<&'static str, Erased> {
    static SESSIONS: OnceLock<Registry<&'static str, Erased>> = OnceLock::new();
    SESSIONS.get_or_init(Registry::new)
}

/// A scoped handle for the calling context: the task scope inside a scoped tokio task, the
/// thread scope outside any tokio task; `None` in a tokio task that has no task scope, where
/// a thread entry would leak to whichever task runs next on that worker.
fn local_scope<'r>(
    registry: &'r Registry<&'static str, Erased>,
) -> Result<registry::ScopeHandle<'r, &'static str, Erased>> {
    if let Ok(task) = registry.task() {
        return Ok(task);
    }
    if tokio::task::try_id().is_some() {
        return Err(Error::NoTaskScope);
    }
    registry.thread().map_err(|_| Error::NoTaskScope)
}

impl<P: Protocol> Session<P> {
    /// The current session of this kind, if any (override, task, thread, global default).
    pub fn get_session() -> Option<Self> {
        sessions().current(&P::KIND)?.get::<P>()
    }

    /// [`Session::get_session`] as a `Result`, for callers that need a session.
    ///
    /// # Errors
    /// [`Error::NoCurrentSession`] when there is none.
    pub fn current() -> Result<Self> {
        Self::get_session().ok_or(Error::NoCurrentSession(P::KIND))
    }

    /// Makes this session the current one of its kind for the calling tokio task (inside
    /// [`spawn`](crate::spawn) or `.task_scope()`), or for the calling thread outside tokio
    /// tasks. Returns the session it replaced, which stays logged in.
    ///
    /// # Errors
    /// [`Error::NoTaskScope`] in a tokio task without a task scope.
    pub fn make_current(&self) -> Result<Option<Self>> {
        let replaced = local_scope(sessions())?.insert(P::KIND, Erased::new(self.clone()));
        Ok(replaced.and_then(|erased| erased.get::<P>()))
    }

    pub(crate) fn make_current_or_warn(&self) {
        if let Err(error) = self.make_current() {
            tracing::warn!(kind = P::KIND, %error, "session not registered as current");
        }
    }

    /// Logs in a new session, makes it current in place of the old one, and logs the old one
    /// out (dyn-python left the old token alive).
    ///
    /// A failed log-out of the old session is only logged: the new session is in place.
    ///
    /// # Errors
    /// As [`SessionBuilder::log_in`]; the old session stays current then.
    pub async fn new_session(builder: SessionBuilder<P>) -> Result<Self> {
        let session = builder.log_in_detached().await?;
        let replaced = match session.make_current() {
            Ok(replaced) => replaced,
            Err(error) => {
                // Nobody could reach the new session: do not leave its token alive.
                let _ = session.log_out_only().await;
                return Err(error);
            }
        };
        if let Some(old) = replaced.filter(|old| *old != session)
            && let Err(error) = old.log_out_only().await
        {
            tracing::warn!(kind = P::KIND, %error, "old session could not be logged out");
        }
        Ok(session)
    }

    /// Removes the current session of the calling task or thread and logs it out; returns it
    /// (`None` when there was none in that scope).
    ///
    /// # Errors
    /// The log-out's errors (the session is removed all the same), [`Error::NoTaskScope`].
    pub async fn close_session() -> Result<Option<Self>> {
        let Some(session) = local_scope(sessions())?
            .remove(&P::KIND)
            .and_then(|erased| erased.get::<P>())
        else {
            return Ok(None);
        };
        match session.log_out_only().await {
            Ok(()) | Err(Error::NotLoggedIn) => Ok(Some(session)),
            Err(error) => Err(error),
        }
    }

    /// Sets the process-wide default session of this kind, seen wherever no task, thread or
    /// override entry exists. Can be done once.
    ///
    /// # Errors
    /// [`Error::GlobalDefaultAlreadySet`] on a second call.
    pub fn set_global_default(session: Self) -> Result<()> {
        let stored = sessions()
            .global()
            .get_or_init(P::KIND, || Erased::new(session.clone()));
        match stored.get::<P>() {
            Some(stored) if stored == session => Ok(()),
            _ => Err(Error::GlobalDefaultAlreadySet(P::KIND)),
        }
    }

    async fn log_out_only(&self) -> Result<()> {
        let _turn = self.inner.gate.lock().await;
        self.log_out_locked().await
    }
}

/// Drops `session` from the calling scope if it is the current one there.
pub(crate) fn forget<P: Protocol>(session: &Session<P>) {
    let Ok(scope) = local_scope(sessions()) else {
        return;
    };
    if scope
        .get(&P::KIND)
        .and_then(|erased| erased.get::<P>())
        .is_some_and(|current| current == *session)
    {
        scope.remove(&P::KIND);
    }
}

/// Runs futures with a given session, or with the caller's, as the current one.
pub trait SessionFutureExt: Future + Sized {
    /// Makes `session` the current session of its kind inside `self`, on every poll and
    /// whichever thread polls it.
    fn with_session<P: Protocol>(self, session: Session<P>) -> WithSession<Self> {
        self.with_override(sessions(), P::KIND, Arc::new(Erased::new(session)))
    }

    /// Captures the caller's current session of kind `P` now and makes it current inside
    /// `self`: use it before spawning, since spawned tasks inherit nothing.
    fn with_current_session<P: Protocol>(self) -> WithSession<Self> {
        self.with_current(sessions(), P::KIND)
    }
}

impl<F: Future> SessionFutureExt for F {}

/// A future running with a current session installed (see [`SessionFutureExt`]).
pub type WithSession<F> = registry::WithOverride<F>;
