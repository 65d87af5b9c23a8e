//! Scoped overrides: entries installed on the current thread for the length of a closure or of
//! one poll of a wrapped future (tracing's `with_default` / `WithDispatch` model).

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

/// One override: a key and value of one registry, type-erased so a thread-local can hold any.
#[derive(Clone)]
pub(crate) struct Frame {
    registry: u64,
    entry: Arc<dyn Any + Send + Sync>,
}

struct Entry<K, V> {
    key: K,
    value: Arc<V>,
}

impl Frame {
    pub(crate) fn new<K, V>(registry: u64, key: K, value: Arc<V>) -> Self
    where
        K: Send + Sync + 'static,
        V: Send + Sync + 'static,
    {
        Self {
            registry,
            entry: Arc::new(Entry { key, value }),
        }
    }
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Frames installed on any thread; lets lookups skip the thread-local when nobody overrides.
static INSTALLED: AtomicUsize = AtomicUsize::new(0);

/// The innermost override of `key` in registry `registry` on this thread.
pub(crate) fn lookup<K, V>(registry: u64, key: &K) -> Option<Arc<V>>
where
    K: Eq + 'static,
    V: 'static,
{
    // Relaxed is enough: only frames pushed by this very thread matter, and those are ordered
    // before this load by program order.
    if INSTALLED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    FRAMES
        .try_with(|frames| {
            frames.borrow().iter().rev().find_map(|frame| {
                if frame.registry != registry {
                    return None;
                }
                let entry = frame.entry.downcast_ref::<Entry<K, V>>()?;
                (entry.key == *key).then(|| Arc::clone(&entry.value))
            })
        })
        .ok()
        .flatten()
}

/// Keeps a frame installed; removes it on drop, also when the closure or poll panics.
///
/// `!Send` on purpose: it must be dropped on the thread that installed it.
pub(crate) struct Installed {
    /// `false` when the thread-local was already destroyed (a thread-local destructor is
    /// running): the override is then not visible, and there is nothing to pop.
    pushed: bool,
    _not_send: PhantomData<*const ()>,
}

pub(crate) fn install(frame: Frame) -> Installed {
    let pushed = FRAMES
        .try_with(|frames| frames.borrow_mut().push(frame))
        .is_ok();
    if pushed {
        INSTALLED.fetch_add(1, Ordering::Relaxed);
    }
    Installed {
        pushed,
        _not_send: PhantomData,
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        if !self.pushed {
            return;
        }
        // Guards nest strictly (closure scope or one poll), so ours is the top frame.
        let popped = FRAMES.try_with(|frames| frames.borrow_mut().pop());
        INSTALLED.fetch_sub(1, Ordering::Relaxed);
        // The frame's value is dropped here, outside the `RefCell` borrow.
        drop(popped);
    }
}

pin_project_lite::pin_project! {
    /// A future that installs an override entry on every poll, so code it runs sees the entry
    /// through [`Registry::current`](crate::Registry::current) on whatever thread polls it.
    ///
    /// Made by [`ScopeExt::with_override`](crate::ScopeExt::with_override) and
    /// [`ScopeExt::with_current`](crate::ScopeExt::with_current).
    #[must_use = "futures do nothing unless polled"]
    pub struct WithOverride<F> {
        #[pin]
        inner: F,
        frame: Option<Frame>,
    }
}

impl<F> WithOverride<F> {
    pub(crate) fn new(inner: F, frame: Option<Frame>) -> Self {
        Self { inner, frame }
    }
}

impl<F> std::fmt::Debug for WithOverride<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithOverride")
            .field("installs_entry", &self.frame.is_some())
            .finish_non_exhaustive()
    }
}

impl<F: Future> Future for WithOverride<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _installed = this.frame.clone().map(install);
        this.inner.poll(cx)
    }
}
