//! Building a dict.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::encoding::Encoding;
use crate::{Backend, DurableDict, Result, SyncPolicy, watcher};

/// Configures and opens a [`DurableDict`]; from [`DurableDict::builder`].
pub struct Builder<V, E> {
    backend: Arc<dyn Backend>,
    encoding: E,
    policy: SyncPolicy,
    value: PhantomData<fn() -> V>,
}

impl<V, E: std::fmt::Debug> std::fmt::Debug for Builder<V, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("backend", &self.backend.name())
            .field("encoding", &self.encoding)
            .field("policy", &self.policy)
            .finish()
    }
}

impl<V> Builder<V, crate::Json> {
    pub(crate) fn new(backend: Arc<dyn Backend>) -> Self {
        Self {
            backend,
            encoding: crate::Json,
            policy: SyncPolicy::default(),
            value: PhantomData,
        }
    }
}

impl<V, E> Builder<V, E>
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    /// Uses another encoding (JSON is the default).
    pub fn encoding<E2: Encoding<V>>(self, encoding: E2) -> Builder<V, E2> {
        Builder {
            backend: self.backend,
            encoding,
            policy: self.policy,
            value: PhantomData,
        }
    }

    /// Sets when the dict checks the backend ([`SyncPolicy::EveryRead`] by default).
    pub fn policy(mut self, policy: SyncPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Loads the dict from the backend and starts the background task its policy needs.
    /// Must run inside a tokio runtime, which hosts that task.
    pub async fn build(self) -> Result<DurableDict<V, E>> {
        let dict = DurableDict::from_parts(self.backend, self.encoding, self.policy);
        let inner = dict.inner();
        // Subscribe before loading, so a change between the load and the task is not lost.
        let stream = match self.policy {
            SyncPolicy::Push { .. } => inner.backend.invalidations(),
            _ => None,
        };
        inner.check(true).await?;
        let guard = watcher::spawn(inner, stream);
        if let Ok(mut slot) = inner.watcher.lock() {
            *slot = guard;
        }
        Ok(dict)
    }
}
