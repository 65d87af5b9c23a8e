//! [`WeakMap`]: an identity map that never keeps its values alive.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

/// Hands out the same live `Arc<V>` for the same key, holding only weak references.
///
/// Once the last strong reference to a value drops, the key reads as absent and the next
/// [`WeakMap::get_or_insert_with`] makes a fresh value. Dead entries are pruned when the map
/// has doubled since the last pruning, so the cost is amortised O(1) per insert.
pub struct WeakMap<K, V> {
    state: Mutex<State<K, V>>,
}

struct State<K, V> {
    entries: HashMap<K, Weak<V>>,
    /// Prune dead entries when `entries` reaches this length.
    prune_at: usize,
}

const MIN_PRUNE_AT: usize = 16;

impl<K, V> std::fmt::Debug for WeakMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WeakMap")
            .field("slots", &self.lock().entries.len())
            .finish_non_exhaustive()
    }
}

impl<K, V> Default for WeakMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> WeakMap<K, V> {
    /// Creates an empty map.
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State {
                entries: HashMap::new(),
                prune_at: MIN_PRUNE_AT,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        // No user code runs under the lock (values are never dropped here), so poison is noise.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Eq + Hash, V> WeakMap<K, V> {
    /// The live value for `key`.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        self.lock().entries.get(key).and_then(Weak::upgrade)
    }

    /// The live value for `key`, or a new one made by `make` and remembered weakly.
    ///
    /// `make` runs without the lock held; if two callers race, both may run `make`, but both
    /// get the value that was stored first.
    pub fn get_or_insert_with(&self, key: K, make: impl FnOnce() -> V) -> Arc<V> {
        if let Some(value) = self.get(&key) {
            return value;
        }
        let fresh = Arc::new(make());
        let mut state = self.lock();
        if let Some(value) = state.entries.get(&key).and_then(Weak::upgrade) {
            drop(state);
            return value;
        }
        state.insert(key, &fresh);
        fresh
    }

    /// Remembers `value` for `key`; returns the live value it replaced.
    pub fn insert(&self, key: K, value: &Arc<V>) -> Option<Arc<V>> {
        self.lock().insert(key, value)
    }

    /// Forgets `key`; returns its value if still alive.
    pub fn remove(&self, key: &K) -> Option<Arc<V>> {
        self.lock()
            .entries
            .remove(key)
            .and_then(|weak| weak.upgrade())
    }

    /// Number of live values (a scan: O(n)).
    pub fn len(&self) -> usize {
        let state = self.lock();
        state
            .entries
            .values()
            .filter(|weak| weak.strong_count() > 0)
            .count()
    }

    /// Whether no value is alive.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of stored slots, dead ones included (for tests of pruning).
    pub fn slots(&self) -> usize {
        self.lock().entries.len()
    }
}

impl<K: Eq + Hash, V> State<K, V> {
    fn insert(&mut self, key: K, value: &Arc<V>) -> Option<Arc<V>> {
        let old = self.entries.insert(key, Arc::downgrade(value));
        if self.entries.len() >= self.prune_at {
            self.entries.retain(|_, weak| weak.strong_count() > 0);
            self.prune_at = (self.entries.len() * 2).max(MIN_PRUNE_AT);
        }
        old.and_then(|weak| weak.upgrade())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_threshold_follows_the_live_count() {
        let map: WeakMap<usize, usize> = WeakMap::new();
        let live: Vec<_> = (0..40).map(|n| map.get_or_insert_with(n, || n)).collect();
        for n in 40..1000 {
            map.get_or_insert_with(n, || n);
        }
        let state = map.lock();
        assert!(state.entries.len() < state.prune_at);
        assert!(state.prune_at <= 2 * (live.len() + MIN_PRUNE_AT));
    }
}
