//! An initialisation in flight: other callers of the same key wait for it, blocking or async.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

/// Marks a key whose value one caller is computing right now.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    state: Mutex<PendingState>,
    finished: Condvar,
}

#[derive(Debug, Default)]
struct PendingState {
    done: bool,
    wakers: Vec<Waker>,
}

impl Pending {
    /// Wakes every waiter; called once the initialiser stored its value, failed, or was dropped.
    pub(crate) fn finish(&self) {
        let wakers = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.done = true;
            std::mem::take(&mut state.wakers)
        };
        self.finished.notify_all();
        for waker in wakers {
            waker.wake();
        }
    }

    /// Blocks the thread until [`Pending::finish`] ran.
    pub(crate) fn wait_blocking(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.done {
            state = self
                .finished
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Resolves once [`Pending::finish`] ran.
    pub(crate) fn wait(self: Arc<Self>) -> WaitFinished {
        WaitFinished { pending: self }
    }
}

/// Future returned by [`Pending::wait`].
#[derive(Debug)]
pub(crate) struct WaitFinished {
    pending: Arc<Pending>,
}

impl Future for WaitFinished {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self
            .pending
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if state.done {
            return Poll::Ready(());
        }
        if !state.wakers.iter().any(|waker| waker.will_wake(cx.waker())) {
            state.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Barrier;

    use super::*;

    #[test]
    fn finish_releases_blocked_and_async_waiters() {
        let pending = Arc::new(Pending::default());
        let started = Arc::new(Barrier::new(3));
        let blocked = {
            let pending = Arc::clone(&pending);
            let started = Arc::clone(&started);
            std::thread::spawn(move || {
                started.wait();
                pending.wait_blocking();
            })
        };
        let awaiting = {
            let pending = Arc::clone(&pending);
            let started = Arc::clone(&started);
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("runtime builds");
                started.wait();
                runtime.block_on(pending.wait());
            })
        };
        started.wait();
        pending.finish();
        blocked.join().expect("blocking waiter released");
        awaiting.join().expect("async waiter released");
        // Waiting after the fact returns at once.
        pending.wait_blocking();
    }
}
