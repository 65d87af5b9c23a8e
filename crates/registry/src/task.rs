//! The per-task scope: entries keyed by tokio's task id, owned by a [`TaskScope`] wrapper.
//!
//! tokio offers no hook that runs when a task ends, so a task scope exists only while a
//! [`TaskScope`] future runs the task's code: it marks the task as scoped during each poll and
//! removes the task's entries when it completes or is dropped. Code outside such a wrapper gets
//! [`Error::NoTaskScope`] instead of an entry that would never be removed.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::error::{Error, Result};
use crate::scope::{ScopeId, Tracker};

thread_local! {
    /// The tracker of the task scope being polled on this thread, if any.
    static CURRENT_TASK: RefCell<Option<Arc<Tracker>>> = const { RefCell::new(None) };
}

pub(crate) fn current_tracker() -> Option<Arc<Tracker>> {
    CURRENT_TASK
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

pub(crate) fn current_scope() -> Option<ScopeId> {
    CURRENT_TASK
        .try_with(|current| current.borrow().as_ref().map(|tracker| tracker.scope()))
        .ok()
        .flatten()
}

/// Ends the task scope when the wrapper completes or is dropped.
#[derive(Debug)]
struct Owner {
    tracker: Arc<Tracker>,
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.tracker.end();
    }
}

/// Restores the previously polled task scope, also when the inner poll panics.
struct Entered {
    previous: Option<Arc<Tracker>>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let _ = CURRENT_TASK.try_with(|current| *current.borrow_mut() = previous);
    }
}

/// Marks `tracker` as the current task scope; `None` if the thread-local is already destroyed
/// (only possible in a thread-local destructor), in which case no task scope is available.
fn enter(tracker: &Arc<Tracker>) -> Option<Entered> {
    CURRENT_TASK
        .try_with(|current| current.replace(Some(Arc::clone(tracker))))
        .ok()
        .map(|previous| Entered { previous })
}

pin_project_lite::pin_project! {
    /// Runs a future with a task scope: registries may keep per-task entries while it runs,
    /// and those entries are removed when it completes or is dropped.
    ///
    /// Made by [`spawn`] or [`ScopeExt::task_scope`](crate::ScopeExt::task_scope). Wrap the
    /// whole body of a task; a `TaskScope` nested inside another one of the same task defers to
    /// the outer one. Outside a tokio task (for example in `block_on`) it simply polls its future.
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct TaskScope<F> {
        #[pin]
        inner: F,
        owner: Option<Owner>,
    }
}

impl<F> TaskScope<F> {
    pub(crate) fn new(inner: F) -> Self {
        Self { inner, owner: None }
    }
}

impl<F: Future> Future for TaskScope<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let Some(task) = tokio::task::try_id() else {
            return this.inner.poll(cx);
        };
        let scope = ScopeId::Task(task);
        if this.owner.is_none() && current_scope() == Some(scope) {
            return this.inner.poll(cx);
        }
        // A future moved into another task starts afresh; the old task's entries go away.
        if this
            .owner
            .as_ref()
            .is_some_and(|owner| owner.tracker.scope() != scope)
        {
            *this.owner = None;
        }
        let tracker = &this
            .owner
            .get_or_insert_with(|| Owner {
                tracker: Tracker::new(scope),
            })
            .tracker;
        let entered = enter(tracker);
        let poll = this.inner.poll(cx);
        drop(entered);
        if poll.is_ready() {
            *this.owner = None;
        }
        poll
    }
}

/// Spawns `future` as a tokio task with a task scope (see [`TaskScope`]).
///
/// The spawned task inherits no entries; carry one over explicitly with
/// [`ScopeExt::with_current`](crate::ScopeExt::with_current).
///
/// # Errors
/// [`Error::NoRuntime`] when called outside a tokio runtime.
pub fn spawn<F>(future: F) -> Result<tokio::task::JoinHandle<F::Output>>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
    Ok(runtime.spawn(TaskScope::new(future)))
}
