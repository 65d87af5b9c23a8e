//! The per-thread scope: a thread-local tracker whose destructor removes the thread's entries.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::scope::{ScopeId, Tracker};

/// Ends the thread's scope when the thread-local is destroyed at thread exit.
struct ThreadScope {
    tracker: Arc<Tracker>,
}

impl Drop for ThreadScope {
    fn drop(&mut self) {
        self.tracker.end();
    }
}

thread_local! {
    static THREAD_SCOPE: ThreadScope = {
        // Our own counter: `ThreadId` is not reachable from every thread-local destructor.
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        ThreadScope { tracker: Tracker::new(ScopeId::Thread(id)) }
    };
}

/// The current thread's tracker, or `None` while the thread is tearing down its thread-locals.
pub(crate) fn current_tracker() -> Option<Arc<Tracker>> {
    THREAD_SCOPE
        .try_with(|scope| Arc::clone(&scope.tracker))
        .ok()
}

/// The current thread's scope id, without touching the tracker's reference count.
pub(crate) fn current_scope() -> Option<ScopeId> {
    THREAD_SCOPE.try_with(|scope| scope.tracker.scope()).ok()
}
