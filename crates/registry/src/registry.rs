//! [`Registry`]: keyed shared instances in a global, per-thread, per-task or overridden scope.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::error::{Error, Result};
use crate::handle::ScopeHandle;
use crate::overrides::{self, Frame, install};
use crate::pending::Pending;
use crate::scope::{DropScope, ScopeId, ScopeMap};

/// One key's state in one scope.
#[derive(Debug)]
pub(crate) enum Slot<V> {
    Ready(Arc<V>),
    /// A caller is running the initialiser; others wait on it.
    Initialising(Arc<Pending>),
}

pub(crate) type Scopes<K, V> = ScopeMap<HashMap<K, Slot<V>>>;

pub(crate) struct Inner<K, V> {
    pub(crate) id: u64,
    scopes: RwLock<Scopes<K, V>>,
}

impl<K, V> Inner<K, V> {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Scopes<K, V>> {
        // Poisoning carries no meaning here: no user code runs while the lock is held.
        self.scopes.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Scopes<K, V>> {
        self.scopes.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K, V> DropScope for Inner<K, V>
where
    K: Send + Sync,
    V: Send + Sync,
{
    fn drop_scope(&self, scope: ScopeId) {
        let removed = self.write().remove(&scope);
        // Values' destructors run here, after the lock is released: they may use the registry.
        drop(removed);
    }
}

/// A keyed registry of shared instances (`Arc<V>`), with four scopes.
///
/// - **global**: [`Registry::get`], [`Registry::insert`], … or [`Registry::global`];
/// - **thread**: [`Registry::thread`]: entries of the calling OS thread, removed when it exits;
/// - **task** (feature `tokio`): [`Registry::task`]: entries of the calling tokio task, which
///   must run under [`spawn`](crate::spawn) or [`ScopeExt::task_scope`](crate::ScopeExt::task_scope);
///   removed when that wrapper completes or is dropped;
/// - **override**: [`Registry::with_override`] for a closure, or
///   [`ScopeExt::with_override`](crate::ScopeExt::with_override) for a future (installed on
///   every poll); seen only through [`Registry::current`].
///
/// [`Registry::current`] resolves the innermost entry: override, task, thread, then global.
/// `Registry` is a cheap handle (`Clone` shares the same entries); create as many independent
/// registries as you like, for example one per test.
pub struct Registry<K, V> {
    pub(crate) inner: Arc<Inner<K, V>>,
}

impl<K, V> Clone for Registry<K, V> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<K, V> std::fmt::Debug for Registry<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("id", &self.inner.id)
            .finish_non_exhaustive()
    }
}

/// Entry counts of a registry, for monitoring and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Entries in the global scope.
    pub global_entries: usize,
    /// Threads that hold entries.
    pub thread_scopes: usize,
    /// Tasks that hold entries.
    pub task_scopes: usize,
    /// Entries in all thread and task scopes together.
    pub scoped_entries: usize,
}

impl<K, V> Default for Registry<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> Registry<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// Creates an empty registry.
    pub fn new() -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Self {
            inner: Arc::new(Inner {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                scopes: RwLock::new(ScopeMap::default()),
            }),
        }
    }

    /// The process-wide scope of this registry.
    pub fn global(&self) -> ScopeHandle<'_, K, V> {
        ScopeHandle::new(self, ScopeId::Global, None)
    }

    /// The scope of the calling OS thread; its entries are removed when the thread exits.
    ///
    /// Meant for plain threads (the Python original's per-thread sessions). Inside tokio tasks
    /// prefer [`Registry::task`]: a worker thread's entries are shared by every task it runs,
    /// and [`Registry::current`] ignores them there.
    ///
    /// # Errors
    /// [`Error::ThreadExiting`] when called from a thread-local destructor at thread exit.
    pub fn thread(&self) -> Result<ScopeHandle<'_, K, V>> {
        let tracker = crate::thread::current_tracker().ok_or(Error::ThreadExiting)?;
        Ok(ScopeHandle::new(self, tracker.scope(), Some(tracker)))
    }

    /// The scope of the calling tokio task; its entries are removed when the task's
    /// [`TaskScope`](crate::TaskScope) completes or is dropped.
    ///
    /// # Errors
    /// [`Error::NoTaskScope`] unless called inside a future run by [`spawn`](crate::spawn) or
    /// wrapped in [`ScopeExt::task_scope`](crate::ScopeExt::task_scope).
    ///
    /// # Example
    /// ```
    /// use registry::{Registry, ScopeExt};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sessions: Registry<&'static str, String> = Registry::new();
    /// sessions.insert("tm", "global".to_owned());
    ///
    /// let in_task = sessions.clone();
    /// let seen = registry::spawn(async move {
    ///     // Inside `registry::spawn` the task scope exists and wins over the global entry.
    ///     in_task.task()?.insert("tm", "task".to_owned());
    ///     // A child task inherits nothing unless the entry is carried over explicitly.
    ///     let child = in_task.clone();
    ///     let carried = registry::spawn(async move { child.current(&"tm") }.with_current(&in_task, "tm"))?
    ///         .await?;
    ///     assert_eq!(carried.as_deref().map(String::as_str), Some("task"));
    ///     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(in_task.current(&"tm"))
    /// })?
    /// .await?
    /// .map_err(|e| e.to_string())?;
    /// assert_eq!(seen.as_deref().map(String::as_str), Some("task"));
    /// // The task ended, so its entry is gone; the global one remains.
    /// assert_eq!(sessions.stats().task_scopes, 0);
    ///
    /// // An override travels with a future across polls and worker threads.
    /// let here = sessions.clone();
    /// let inside = async move { here.current(&"tm") }
    ///     .with_override(&sessions, "tm", "override".to_owned())
    ///     .await;
    /// assert_eq!(inside.as_deref().map(String::as_str), Some("override"));
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub fn task(&self) -> Result<ScopeHandle<'_, K, V>> {
        let tracker = crate::task::current_tracker().ok_or(Error::NoTaskScope)?;
        Ok(ScopeHandle::new(self, tracker.scope(), Some(tracker)))
    }

    /// The innermost entry for `key`: override, then task, then thread, then global.
    ///
    /// Inside a tokio task (feature `tokio`) the thread scope is skipped: a worker thread runs
    /// many unrelated tasks, and a task may move to another worker at any `.await`, so the
    /// worker's entries say nothing about the task. Use a task scope or an override there.
    pub fn current(&self, key: &K) -> Option<Arc<V>> {
        if let Some(value) = overrides::lookup(self.inner.id, key) {
            return Some(value);
        }
        #[cfg(feature = "tokio")]
        let (task, thread) = match crate::task::current_scope() {
            Some(task) => (Some(task), None),
            None if tokio::task::try_id().is_some() => (None, None),
            None => (None, crate::thread::current_scope()),
        };
        #[cfg(not(feature = "tokio"))]
        let (task, thread) = (None, crate::thread::current_scope());
        let scopes = self.inner.read();
        [task, thread, Some(ScopeId::Global)]
            .into_iter()
            .flatten()
            .find_map(|scope| match scopes.get(&scope)?.get(key)? {
                Slot::Ready(value) => Some(Arc::clone(value)),
                Slot::Initialising(_) => None,
            })
    }

    /// Runs `f` with `key` overridden to `value` on this thread, as seen by [`Registry::current`].
    ///
    /// For async code use [`ScopeExt::with_override`](crate::ScopeExt::with_override), which
    /// follows the future across threads.
    pub fn with_override<R>(&self, key: K, value: impl Into<Arc<V>>, f: impl FnOnce() -> R) -> R {
        let _installed = install(self.frame(key, value.into()));
        f()
    }

    pub(crate) fn frame(&self, key: K, value: Arc<V>) -> Frame {
        Frame::new(self.inner.id, key, value)
    }

    /// The global entry for `key`.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        self.global().get(key)
    }

    /// Stores `value` globally under `key`; returns the value it replaced.
    pub fn insert(&self, key: K, value: impl Into<Arc<V>>) -> Option<Arc<V>> {
        self.global().insert(key, value)
    }

    /// Removes and returns the global entry for `key`.
    pub fn remove(&self, key: &K) -> Option<Arc<V>> {
        self.global().remove(key)
    }

    /// The global entry for `key`, created by `init` if absent (see [`ScopeHandle::get_or_init`]).
    pub fn get_or_init(&self, key: K, init: impl FnOnce() -> V) -> Arc<V> {
        self.global().get_or_init(key, init)
    }

    /// The global entry for `key`, created by the async `init` if absent
    /// (see [`ScopeHandle::get_or_try_init`]).
    ///
    /// # Errors
    /// Whatever `init` returns; nothing is stored then.
    pub async fn get_or_try_init<E, F, Fut>(&self, key: K, init: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        self.global().get_or_try_init(key, init).await
    }

    /// Number of global entries.
    pub fn len(&self) -> usize {
        self.global().len()
    }

    /// Whether there are no global entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry counts over all scopes (overrides are not stored and not counted).
    pub fn stats(&self) -> Stats {
        let scopes = self.inner.read();
        let mut stats = Stats::default();
        for (scope, entries) in scopes.iter() {
            match scope {
                ScopeId::Global => stats.global_entries += entries.len(),
                ScopeId::Thread(_) => {
                    stats.thread_scopes += 1;
                    stats.scoped_entries += entries.len();
                }
                #[cfg(feature = "tokio")]
                ScopeId::Task(_) => {
                    stats.task_scopes += 1;
                    stats.scoped_entries += entries.len();
                }
            }
        }
        stats
    }
}
