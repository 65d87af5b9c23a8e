//! The crate's error type.

/// Errors returned when a scope cannot be entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller is not inside a future run by [`spawn`](crate::spawn) or
    /// [`ScopeExt::task_scope`](crate::ScopeExt::task_scope), so there is no task scope to use.
    #[error("no task scope here: run the future with `registry::spawn` or `.task_scope()`")]
    NoTaskScope,
    /// The current thread is exiting and its scope is already gone.
    #[error("the thread scope is gone because the thread is exiting")]
    ThreadExiting,
    /// [`spawn`](crate::spawn) was called outside a tokio runtime.
    #[error("no tokio runtime is running on this thread")]
    NoRuntime,
}

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
