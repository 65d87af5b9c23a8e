//! A blocking facade for code that is not async.
//!
//! [`DurableDict`] here owns a small tokio runtime and runs each call to completion on it,
//! like `reqwest::blocking`. **Do not use it from async code** (inside a tokio runtime):
//! blocking there panics or stalls the executor; use the async [`crate::DurableDict`].

use std::fmt;
use std::sync::Arc;

use crate::encoding::{Encoding, Json};
use crate::{Builder, Error, Result, Snapshot, SyncOutcome, SyncPolicy};

/// A [`crate::DurableDict`] with blocking methods. Cheap to clone; clones share the cache
/// and the runtime.
pub struct DurableDict<V, E = Json> {
    dict: crate::DurableDict<V, E>,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl<V, E> Clone for DurableDict<V, E> {
    fn clone(&self) -> Self {
        Self {
            dict: self.dict.clone(),
            runtime: Arc::clone(&self.runtime),
        }
    }
}

impl<V, E> fmt::Debug for DurableDict<V, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::DurableDict")
            .field(&self.dict)
            .finish()
    }
}

impl<V, E> DurableDict<V, E>
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    /// Opens the dict described by `builder` on a runtime of its own. For backends that
    /// hold no network connection (memory, SQLite); a networked backend must be connected
    /// on the facade's runtime with [`DurableDict::connect`].
    pub fn open(builder: Builder<V, E>) -> Result<Self> {
        Self::connect(|| async move { Ok(builder) })
    }

    /// Runs `make` (which typically connects a backend and returns a builder) and opens
    /// the dict, both on a runtime of its own, so the backend's connection lives there:
    ///
    /// ```no_run
    /// # #[cfg(feature = "redis")]
    /// # fn main() -> durabledict::Result<()> {
    /// use durabledict::{DurableDict, RedisBackend, blocking};
    ///
    /// let flags: blocking::DurableDict<bool> = blocking::DurableDict::connect(|| async {
    ///     let backend = RedisBackend::connect("redis://127.0.0.1/", "flags").await?;
    ///     Ok(DurableDict::builder(backend))
    /// })?;
    /// let beta = flags.get("beta")?;
    /// # Ok(())
    /// # }
    /// # #[cfg(not(feature = "redis"))]
    /// # fn main() {}
    /// ```
    ///
    /// The runtime has one worker thread rather than none, so that the background task of
    /// a push or polling policy keeps running between calls.
    pub fn connect<F, Fut>(make: F) -> Result<Self>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Builder<V, E>>>,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("durabledict")
            .enable_all()
            .build()
            .map_err(Error::Runtime)?;
        let dict = runtime.block_on(async move { make().await?.build().await })?;
        Ok(Self {
            dict,
            runtime: Arc::new(runtime),
        })
    }

    /// The async dict behind this facade.
    pub fn as_async(&self) -> &crate::DurableDict<V, E> {
        &self.dict
    }

    /// See [`crate::DurableDict::get`].
    pub fn get(&self, key: &str) -> Result<Option<Arc<V>>> {
        if self.fast_path() {
            return self.dict.local().try_get(key).map(|v| v.cloned());
        }
        self.runtime.block_on(self.dict.get(key))
    }

    /// See [`crate::DurableDict::contains_key`].
    pub fn contains_key(&self, key: &str) -> Result<bool> {
        Ok(self.snapshot()?.contains_key(key))
    }

    /// See [`crate::DurableDict::len`].
    pub fn len(&self) -> Result<usize> {
        Ok(self.snapshot()?.len())
    }

    /// See [`crate::DurableDict::is_empty`].
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.snapshot()?.is_empty())
    }

    /// See [`crate::DurableDict::snapshot`].
    pub fn snapshot(&self) -> Result<Arc<Snapshot<V>>> {
        if self.fast_path() {
            return Ok(self.dict.local());
        }
        self.runtime.block_on(self.dict.snapshot())
    }

    /// See [`crate::DurableDict::get_local`]; never does I/O.
    pub fn get_local(&self, key: &str) -> Option<Arc<V>> {
        self.dict.get_local(key)
    }

    /// See [`crate::DurableDict::sync`].
    pub fn sync(&self) -> Result<SyncOutcome> {
        self.runtime.block_on(self.dict.sync())
    }

    /// See [`crate::DurableDict::insert`].
    pub fn insert(&self, key: &str, value: V) -> Result<()> {
        self.runtime.block_on(self.dict.insert(key, value))
    }

    /// See [`crate::DurableDict::remove`].
    pub fn remove(&self, key: &str) -> Result<Option<V>> {
        self.runtime.block_on(self.dict.remove(key))
    }

    /// See [`crate::DurableDict::pop_or`].
    pub fn pop_or(&self, key: &str, default: V) -> Result<V> {
        self.runtime.block_on(self.dict.pop_or(key, default))
    }

    /// See [`crate::DurableDict::delete`].
    pub fn delete(&self, key: &str) -> Result<bool> {
        self.runtime.block_on(self.dict.delete(key))
    }

    /// See [`crate::DurableDict::set_default`].
    pub fn set_default(&self, key: &str, value: V) -> Result<Arc<V>> {
        self.runtime.block_on(self.dict.set_default(key, value))
    }

    /// See [`crate::DurableDict::update`].
    pub fn update<K, I>(&self, items: I) -> Result<()>
    where
        K: Into<String>,
        I: IntoIterator<Item = (K, V)>,
    {
        self.runtime.block_on(self.dict.update(items))
    }

    /// See [`crate::DurableDict::clear`].
    pub fn clear(&self) -> Result<()> {
        self.runtime.block_on(self.dict.clear())
    }

    /// Reads that need no marker check skip entering the runtime.
    fn fast_path(&self) -> bool {
        matches!(
            self.dict.policy(),
            SyncPolicy::Manual | SyncPolicy::Background(_) | SyncPolicy::Push { .. }
        ) && !self.dict.inner().is_dirty()
    }
}
