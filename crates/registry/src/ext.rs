//! [`ScopeExt`]: future adapters for task scopes, overrides and explicit propagation.

use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;

use crate::overrides::WithOverride;
use crate::registry::Registry;

/// Adapters that give a future a task scope or carry registry entries into it.
pub trait ScopeExt: Future + Sized {
    /// Runs `self` with a task scope, so [`Registry::task`] works inside it and the task's
    /// entries are removed when it completes or is dropped. Wrap a task's whole body with it
    /// (or use [`spawn`](crate::spawn)).
    #[cfg(feature = "tokio")]
    fn task_scope(self) -> crate::TaskScope<Self> {
        crate::TaskScope::new(self)
    }

    /// Makes [`Registry::current`] return `value` for `key` inside `self`, on every poll and on
    /// whichever thread polls it.
    fn with_override<K, V>(
        self,
        registry: &Registry<K, V>,
        key: K,
        value: impl Into<Arc<V>>,
    ) -> WithOverride<Self>
    where
        K: Eq + Hash + Clone + Send + Sync + 'static,
        V: Send + Sync + 'static,
    {
        WithOverride::new(self, Some(registry.frame(key, value.into())))
    }

    /// Captures [`Registry::current`] for `key` now and installs it as an override inside
    /// `self`: the way to hand the caller's entry to a spawned task, which inherits nothing.
    /// When there is no current entry, `self` runs unchanged.
    fn with_current<K, V>(self, registry: &Registry<K, V>, key: K) -> WithOverride<Self>
    where
        K: Eq + Hash + Clone + Send + Sync + 'static,
        V: Send + Sync + 'static,
    {
        let frame = registry
            .current(&key)
            .map(|value| registry.frame(key, value));
        WithOverride::new(self, frame)
    }
}

impl<F: Future> ScopeExt for F {}
