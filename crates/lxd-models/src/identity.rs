//! The identity map: one live model object per URL, never keeping objects alive.

use std::sync::Arc;

/// `registry::WeakMap` keyed by canonical URL, plus the two operations the models need.
pub(crate) struct WeakMap<V> {
    map: registry::WeakMap<String, V>,
}

impl<V> WeakMap<V> {
    pub(crate) fn new() -> Self {
        Self {
            map: registry::WeakMap::new(),
        }
    }

    /// Returns the live value for `key` and whether `make` produced it.
    pub(crate) fn get_or_insert_with(
        &self,
        key: String,
        make: impl FnOnce() -> V,
    ) -> (Arc<V>, bool) {
        if let Some(live) = self.map.get(&key) {
            return (live, false);
        }
        let mut made = None;
        let value = self.map.get_or_insert_with(key, || {
            let value = make();
            made = Some(());
            value
        });
        // A racing caller may have stored its value first; then ours was dropped.
        (value, made.is_some())
    }

    pub(crate) fn insert(&self, key: String, value: &Arc<V>) {
        self.map.insert(key, value);
    }

    /// Removes `key` only if it still points at `value` (another object may own the key now).
    pub(crate) fn remove_if(&self, key: &str, value: &Arc<V>) {
        let key = key.to_owned();
        if self
            .map
            .get(&key)
            .is_some_and(|live| Arc::ptr_eq(&live, value))
        {
            self.map.remove(&key);
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Arc<V>> {
        self.map.get(&key.to_owned())
    }

    /// Number of live entries.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_arc_while_alive_and_gone_after() {
        let map = WeakMap::new();
        let (a, created) = map.get_or_insert_with("k".into(), || 1);
        assert!(created);
        let (b, created) = map.get_or_insert_with("k".into(), || 2);
        assert!(!created);
        assert!(Arc::ptr_eq(&a, &b));
        drop((a, b));
        assert_eq!(map.len(), 0);
        let (c, created) = map.get_or_insert_with("k".into(), || 3);
        assert!(created);
        assert_eq!(*c, 3);
        let other = Arc::new(9);
        map.remove_if("k", &other);
        assert!(map.get("k").is_some());
        map.remove_if("k", &c);
        assert!(map.get("k").is_none());
    }
}
