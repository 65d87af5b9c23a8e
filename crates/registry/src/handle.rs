//! [`ScopeHandle`]: the operations on one scope of a registry.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Weak};

use crate::pending::Pending;
use crate::registry::{Inner, Registry, Scopes, Slot};
use crate::scope::{DropScope, ScopeId, Tracker};

/// One scope (global, a thread or a task) of a [`Registry`], resolved when the handle was made.
///
/// Made by [`Registry::global`], [`Registry::thread`] and [`Registry::task`]. A handle that
/// outlives its thread or task stores nothing any more: `insert` drops the value and returns
/// `None`, and `get_or_init` hands out a fresh value that nobody else sees. That keeps the
/// promise that entries of ended scopes never linger.
pub struct ScopeHandle<'a, K, V> {
    registry: &'a Registry<K, V>,
    scope: ScopeId,
    tracker: Option<Arc<Tracker>>,
}

impl<K, V> std::fmt::Debug for ScopeHandle<'_, K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopeHandle")
            .field("registry", &self.registry)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Outcome of looking a key up with the intent to initialise it.
enum Claim<V> {
    Ready(Arc<V>),
    Wait(Arc<Pending>),
    Init(Arc<Pending>),
    ScopeEnded,
}

impl<'a, K, V> ScopeHandle<'a, K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    pub(crate) fn new(
        registry: &'a Registry<K, V>,
        scope: ScopeId,
        tracker: Option<Arc<Tracker>>,
    ) -> Self {
        Self {
            registry,
            scope,
            tracker,
        }
    }

    fn inner(&self) -> &'a Inner<K, V> {
        &self.registry.inner
    }

    /// The entries of this scope, created (and enrolled with the scope's tracker) if needed;
    /// `None` once the scope ended.
    fn entries_mut<'s>(&self, scopes: &'s mut Scopes<K, V>) -> Option<&'s mut HashMap<K, Slot<V>>> {
        if !scopes.contains_key(&self.scope)
            && let Some(tracker) = &self.tracker
        {
            let weak: Weak<dyn DropScope> = Arc::downgrade(&self.registry.inner) as _;
            if !tracker.enrol(self.inner().id, weak) {
                return None;
            }
        }
        Some(scopes.entry(self.scope).or_default())
    }

    /// The entry for `key` in this scope.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        match self.inner().read().get(&self.scope)?.get(key)? {
            Slot::Ready(value) => Some(Arc::clone(value)),
            Slot::Initialising(_) => None,
        }
    }

    /// Stores `value` under `key`; returns the value it replaced.
    ///
    /// An initialisation of `key` in flight loses: its caller gets the inserted value.
    pub fn insert(&self, key: K, value: impl Into<Arc<V>>) -> Option<Arc<V>> {
        let value = value.into();
        let mut scopes = self.inner().write();
        let entries = self.entries_mut(&mut scopes)?;
        match entries.insert(key, Slot::Ready(value))? {
            Slot::Ready(old) => Some(old),
            Slot::Initialising(_) => None,
        }
    }

    /// Removes and returns the entry for `key`.
    pub fn remove(&self, key: &K) -> Option<Arc<V>> {
        let mut scopes = self.inner().write();
        let entries = scopes.get_mut(&self.scope)?;
        let removed = entries.remove(key);
        if entries.is_empty() {
            scopes.remove(&self.scope);
        }
        match removed? {
            Slot::Ready(old) => Some(old),
            Slot::Initialising(_) => None,
        }
    }

    /// Number of entries in this scope.
    pub fn len(&self) -> usize {
        self.inner().read().get(&self.scope).map_or(0, HashMap::len)
    }

    /// Whether this scope has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn claim(&self, key: &K) -> Claim<V> {
        let ready = |slot: &Slot<V>| match slot {
            Slot::Ready(value) => Claim::Ready(Arc::clone(value)),
            Slot::Initialising(pending) => Claim::Wait(Arc::clone(pending)),
        };
        if let Some(slot) = self
            .inner()
            .read()
            .get(&self.scope)
            .and_then(|e| e.get(key))
        {
            return ready(slot);
        }
        let mut scopes = self.inner().write();
        let Some(entries) = self.entries_mut(&mut scopes) else {
            return Claim::ScopeEnded;
        };
        if let Some(slot) = entries.get(key) {
            return ready(slot);
        }
        let pending = Arc::new(Pending::default());
        entries.insert(key.clone(), Slot::Initialising(Arc::clone(&pending)));
        Claim::Init(pending)
    }

    /// The entry for `key`, created by `init` if absent.
    ///
    /// `init` runs once per key even when many threads ask at the same time: the others block
    /// until it is done. It runs without any lock held, but calling `get_or_init` for the same
    /// key from inside `init` deadlocks (as with `std::sync::OnceLock`). In async code prefer
    /// [`ScopeHandle::get_or_try_init`], which waits without blocking the thread.
    pub fn get_or_init(&self, key: K, init: impl FnOnce() -> V) -> Arc<V> {
        loop {
            match self.claim(&key) {
                Claim::Ready(value) => return value,
                Claim::Wait(pending) => pending.wait_blocking(),
                Claim::Init(pending) => {
                    let guard = InitGuard::new(self, key, pending);
                    let value = Arc::new(init());
                    return guard.commit(value);
                }
                Claim::ScopeEnded => return Arc::new(init()),
            }
        }
    }

    /// The entry for `key`, created by the async `init` if absent.
    ///
    /// Concurrent callers of one key run `init` once; the others wait (without blocking their
    /// thread) and get its value. No lock is held across `.await`. If `init` fails or its caller
    /// is cancelled, nothing is stored and one of the waiters runs its own `init`.
    ///
    /// # Errors
    /// Whatever `init` returns.
    pub async fn get_or_try_init<E, F, Fut>(&self, key: K, init: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        loop {
            match self.claim(&key) {
                Claim::Ready(value) => return Ok(value),
                Claim::Wait(pending) => pending.wait().await,
                Claim::Init(pending) => {
                    let guard = InitGuard::new(self, key, pending);
                    let value = Arc::new(init().await?);
                    return Ok(guard.commit(value));
                }
                Claim::ScopeEnded => return Ok(Arc::new(init().await?)),
            }
        }
    }
}

/// Owns an `Initialising` slot: publishes the value, or clears the slot if the initialiser
/// fails or is dropped, and wakes the waiters in both cases.
struct InitGuard<'h, 'a, K, V>
where
    K: Eq + Hash,
{
    handle: &'h ScopeHandle<'a, K, V>,
    key: K,
    pending: Arc<Pending>,
}

impl<'h, 'a, K, V> InitGuard<'h, 'a, K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn new(handle: &'h ScopeHandle<'a, K, V>, key: K, pending: Arc<Pending>) -> Self {
        Self {
            handle,
            key,
            pending,
        }
    }

    fn is_ours(&self, slot: &Slot<V>) -> bool {
        matches!(slot, Slot::Initialising(p) if Arc::ptr_eq(p, &self.pending))
    }

    /// Stores `value` unless someone inserted meanwhile; returns the value now in the registry.
    fn commit(self, value: Arc<V>) -> Arc<V> {
        let mut scopes = self.handle.inner().write();
        let slot = scopes
            .get_mut(&self.handle.scope)
            .and_then(|entries| entries.get_mut(&self.key));
        match slot {
            Some(slot) if self.is_ours(slot) => {
                *slot = Slot::Ready(Arc::clone(&value));
                value
            }
            Some(Slot::Ready(winner)) => {
                let winner = Arc::clone(winner);
                drop(scopes);
                winner
            }
            // Removed meanwhile, or its scope ended: hand the value out unstored.
            _ => value,
        }
    }
}

impl<K: Eq + Hash, V> Drop for InitGuard<'_, '_, K, V> {
    fn drop(&mut self) {
        {
            let mut scopes = self.handle.registry.inner.write();
            if let Some(entries) = scopes.get_mut(&self.handle.scope) {
                let ours = matches!(
                    entries.get(&self.key),
                    Some(Slot::Initialising(p)) if Arc::ptr_eq(p, &self.pending)
                );
                if ours {
                    entries.remove(&self.key);
                    if entries.is_empty() {
                        scopes.remove(&self.handle.scope);
                    }
                }
            }
        }
        self.pending.finish();
    }
}
