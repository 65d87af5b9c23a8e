//! The dict: a local snapshot kept in step with a backend.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use tokio::sync::watch;

use crate::builder::Builder;
use crate::encoding::{Encoding, Json};
use crate::watcher::WatcherGuard;
use crate::{Backend, CasOutcome, Delta, Error, Marker, Result, Snapshot, SyncPolicy};

/// A dict cached in process and backed by a durable store.
///
/// Reads come from an immutable [`Snapshot`] swapped in atomically; they do I/O only when
/// the [`SyncPolicy`] asks for a marker check ([`SyncPolicy::EveryRead`], or
/// [`SyncPolicy::MaxStaleness`] once the bound passed). [`DurableDict::get_local`] and
/// [`DurableDict::local`] never do I/O. Writes go to the backend first, in one backend
/// transaction each, then patch the local snapshot without a reload. Clones share one
/// cache and one background task.
pub struct DurableDict<V, E = Json> {
    inner: Arc<Inner<V, E>>,
}

impl<V, E> Clone for DurableDict<V, E> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<V, E> fmt::Debug for DurableDict<V, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let snapshot = self.inner.state.load();
        f.debug_struct("DurableDict")
            .field("backend", &self.inner.backend.name())
            .field("policy", &self.inner.policy)
            .field("marker", &snapshot.marker)
            .field("len", &snapshot.len())
            .finish_non_exhaustive()
    }
}

/// What a [`DurableDict::sync`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncOutcome {
    /// The marker had not moved.
    Unchanged,
    /// Only the changed keys were fetched.
    Delta {
        /// How many keys changed.
        changed: usize,
    },
    /// Everything was reloaded.
    Full {
        /// How many keys the dict now has.
        len: usize,
    },
}

pub(crate) struct Inner<V, E> {
    pub(crate) backend: Arc<dyn Backend>,
    encoding: E,
    pub(crate) policy: SyncPolicy,
    state: ArcSwap<Snapshot<V>>,
    /// Serialises syncs and local patches, so one reload runs however many readers wait.
    sync_lock: tokio::sync::Mutex<()>,
    origin: Instant,
    last_check_nanos: AtomicU64,
    /// Set when a write could not be patched in locally or a sync failed: the next read
    /// syncs whatever the policy.
    dirty: AtomicBool,
    changes: watch::Sender<Marker>,
    pub(crate) watcher: std::sync::Mutex<Option<WatcherGuard>>,
}

impl<V, E> DurableDict<V, E>
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    pub(crate) fn from_parts(backend: Arc<dyn Backend>, encoding: E, policy: SyncPolicy) -> Self {
        let (changes, _) = watch::channel(Marker::default());
        let inner = Inner {
            backend,
            encoding,
            policy,
            state: ArcSwap::from_pointee(Snapshot::empty()),
            sync_lock: tokio::sync::Mutex::new(()),
            origin: Instant::now(),
            last_check_nanos: AtomicU64::new(0),
            dirty: AtomicBool::new(true),
            changes,
            watcher: std::sync::Mutex::new(None),
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn inner(&self) -> &Arc<Inner<V, E>> {
        &self.inner
    }

    // ---------------------------------------------------------------- reads

    /// The value of `key`, after the marker check the policy requires.
    ///
    /// A stored value that cannot be decoded is an [`Error::Decode`] naming the key; other
    /// keys stay readable.
    pub async fn get(&self, key: &str) -> Result<Option<Arc<V>>> {
        let snapshot = self.snapshot().await?;
        Ok(snapshot.try_get(key)?.cloned())
    }

    /// Whether `key` is present, after the marker check the policy requires.
    pub async fn contains_key(&self, key: &str) -> Result<bool> {
        Ok(self.snapshot().await?.contains_key(key))
    }

    /// Number of keys, after the marker check the policy requires.
    pub async fn len(&self) -> Result<usize> {
        Ok(self.snapshot().await?.len())
    }

    /// Whether the dict is empty, after the marker check the policy requires.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self.snapshot().await?.is_empty())
    }

    /// The keys, after the marker check the policy requires.
    pub async fn keys(&self) -> Result<Vec<String>> {
        Ok(self.snapshot().await?.keys().map(str::to_owned).collect())
    }

    /// The values, after the marker check the policy requires.
    pub async fn values(&self) -> Result<Vec<Arc<V>>> {
        Ok(self.snapshot().await?.values().cloned().collect())
    }

    /// The key/value pairs, after the marker check the policy requires.
    pub async fn items(&self) -> Result<Vec<(String, Arc<V>)>> {
        let snapshot = self.snapshot().await?;
        Ok(snapshot
            .iter()
            .map(|(k, v)| (k.to_owned(), Arc::clone(v)))
            .collect())
    }

    /// A consistent view of the whole dict, after the marker check the policy requires.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot<V>>> {
        if self.inner.needs_check() {
            self.inner.check(false).await?;
        }
        Ok(self.inner.state.load_full())
    }

    /// The value of `key` in the local copy; never does I/O.
    pub fn get_local(&self, key: &str) -> Option<Arc<V>> {
        self.inner.state.load().get(key).cloned()
    }

    /// The local copy as it is; never does I/O.
    pub fn local(&self) -> Arc<Snapshot<V>> {
        self.inner.state.load_full()
    }

    /// The sync policy this dict was built with.
    pub fn policy(&self) -> SyncPolicy {
        self.inner.policy
    }

    /// A receiver that sees the marker after every change applied to the local copy.
    pub fn subscribe(&self) -> watch::Receiver<Marker> {
        self.inner.changes.subscribe()
    }

    /// Checks the backend marker and applies what changed (Python's `sync()`, minus its
    /// bug: any marker difference counts, not only a larger number).
    pub async fn sync(&self) -> Result<SyncOutcome> {
        self.inner.check(false).await
    }

    /// Reloads everything, whatever the marker says.
    pub async fn reload(&self) -> Result<SyncOutcome> {
        self.inner.check(true).await
    }

    // ---------------------------------------------------------------- writes

    /// Stores `value` under `key` (Python's `d[k] = v`).
    pub async fn insert(&self, key: &str, value: V) -> Result<()> {
        let raw = self.inner.encode(key, &value)?;
        let marker = self.inner.backend.persist(key, raw).await?;
        self.inner
            .after_write(Some(marker), |s| s.put(key, Ok(value)))
            .await;
        Ok(())
    }

    /// Removes `key` and returns its value, atomically where the backend supports it
    /// (Python's `pop(k)`; absent is `None`, never a `KeyError`).
    pub async fn remove(&self, key: &str) -> Result<Option<V>> {
        let Some((raw, marker)) = self.inner.backend.pop(key).await? else {
            return Ok(None);
        };
        self.inner
            .after_write(Some(marker), |s| s.delete(key))
            .await;
        self.inner.decode(key, &raw).map(Some)
    }

    /// Removes `key` and returns its value, or `default` if it was absent (any default,
    /// including falsy ones, unlike Python).
    pub async fn pop_or(&self, key: &str, default: V) -> Result<V> {
        Ok(self.remove(key).await?.unwrap_or(default))
    }

    /// Deletes `key`; returns whether it was present (Python's `del d[k]`).
    pub async fn delete(&self, key: &str) -> Result<bool> {
        let marker = self.inner.backend.depersist(key).await?;
        let existed = marker.is_some();
        self.inner.after_write(marker, |s| s.delete(key)).await;
        Ok(existed)
    }

    /// Stores `value` unless `key` exists; returns the value now stored. Atomic where the
    /// backend supports it.
    pub async fn set_default(&self, key: &str, value: V) -> Result<Arc<V>> {
        let raw = self.inner.encode(key, &value)?;
        let (stored, marker) = self.inner.backend.set_default(key, raw).await?;
        if marker.is_some() {
            let value = Arc::new(value);
            let local = Arc::clone(&value);
            self.inner
                .after_write(marker, move |s| {
                    s.corrupt.remove(key);
                    s.entries.insert(Arc::from(key), local);
                })
                .await;
            return Ok(value);
        }
        self.inner.decode(key, &stored).map(Arc::new)
    }

    /// Stores many items as one backend change (one transaction where the backend has
    /// them); Python's `update()`, which there only changed the local cache.
    pub async fn update<K, I>(&self, items: I) -> Result<()>
    where
        K: Into<String>,
        I: IntoIterator<Item = (K, V)>,
    {
        let mut raw_items = Vec::new();
        let mut values = Vec::new();
        for (key, value) in items {
            let key = key.into();
            let raw = self.inner.encode(&key, &value)?;
            raw_items.push((key.clone(), Some(raw)));
            values.push((key, value));
        }
        let marker = self.inner.backend.persist_many(raw_items).await?;
        self.inner
            .after_write(marker, move |s| {
                for (key, value) in values {
                    s.put(&key, Ok(value));
                }
            })
            .await;
        Ok(())
    }

    /// Deletes every key as one backend change; Python's `clear()`, which there only
    /// changed the local cache.
    pub async fn clear(&self) -> Result<()> {
        let marker = self.inner.backend.clear().await?;
        self.inner
            .after_write(marker, |s| {
                s.entries.clear();
                s.corrupt.clear();
            })
            .await;
        Ok(())
    }

    /// Read-modify-write of one key without lost updates: `f` gets the current value and
    /// returns the new one (`None` deletes); it is retried if another writer got in between
    /// (compare-and-set). Returns the value written.
    pub async fn update_with<F>(&self, key: &str, mut f: F) -> Result<Option<Arc<V>>>
    where
        F: FnMut(Option<&V>) -> Option<V> + Send,
    {
        let mut current_raw = self.inner.backend.get(key).await?;
        loop {
            let current = match &current_raw {
                Some(raw) => Some(self.inner.decode(key, raw)?),
                None => None,
            };
            let next = f(current.as_ref()).map(Arc::new);
            let next_raw = match &next {
                Some(value) => Some(self.inner.encode(key, value)?),
                None => None,
            };
            let outcome = self
                .inner
                .backend
                .compare_and_set(key, current_raw.as_deref(), next_raw)
                .await?;
            match outcome {
                CasOutcome::Swapped(marker) => {
                    let local = next.clone();
                    self.inner
                        .after_write(marker, move |s| match local {
                            Some(value) => {
                                s.corrupt.remove(key);
                                s.entries.insert(Arc::from(key), value);
                            }
                            None => s.delete(key),
                        })
                        .await;
                    return Ok(next);
                }
                CasOutcome::Mismatch(now) => current_raw = now,
            }
        }
    }

    /// Stops the background task of a push or polling policy now instead of when the
    /// last clone is dropped.
    pub fn stop_watching(&self) {
        if let Ok(mut watcher) = self.inner.watcher.lock() {
            watcher.take();
        }
    }
}

impl<V> DurableDict<V, Json>
where
    V: Send + Sync + 'static,
{
    /// Starts building a dict on `backend`, with JSON values and the every-read policy.
    pub fn builder(backend: impl Backend) -> Builder<V, Json> {
        Builder::new(Arc::new(backend))
    }

    /// Like [`DurableDict::builder`] for a backend that is already shared.
    pub fn builder_shared(backend: Arc<dyn Backend>) -> Builder<V, Json> {
        Builder::new(backend)
    }
}

impl<V, E> Inner<V, E>
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    fn encode(&self, key: &str, value: &V) -> Result<Vec<u8>> {
        self.encoding.encode(value).map_err(|source| Error::Encode {
            key: key.to_owned(),
            source,
        })
    }

    fn decode(&self, key: &str, raw: &[u8]) -> Result<V> {
        self.encoding.decode(raw).map_err(|source| Error::Decode {
            key: key.to_owned(),
            source,
        })
    }

    fn elapsed_nanos(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::Acquire)
    }

    fn needs_check(&self) -> bool {
        if self.dirty.load(Ordering::Acquire) {
            return true;
        }
        match self.policy {
            SyncPolicy::EveryRead => true,
            SyncPolicy::MaxStaleness(bound) => {
                let last = self.last_check_nanos.load(Ordering::Relaxed);
                Duration::from_nanos(self.elapsed_nanos().saturating_sub(last)) > bound
            }
            SyncPolicy::Manual | SyncPolicy::Background(_) | SyncPolicy::Push { .. } => false,
        }
    }

    /// Compares the backend marker with the local one and applies any change.
    pub(crate) async fn check(&self, force_full: bool) -> Result<SyncOutcome> {
        let result = self.check_inner(force_full).await;
        if result.is_err() {
            self.dirty.store(true, Ordering::Release);
        }
        result
    }

    async fn check_inner(&self, force_full: bool) -> Result<SyncOutcome> {
        let marker = self.backend.last_updated().await?;
        self.last_check_nanos
            .store(self.elapsed_nanos(), Ordering::Relaxed);
        if !force_full && self.is_current(marker) {
            return Ok(SyncOutcome::Unchanged);
        }
        let _guard = self.sync_lock.lock().await;
        // Another task may have synced while this one waited for the lock.
        if !force_full && self.is_current(marker) {
            return Ok(SyncOutcome::Unchanged);
        }
        self.sync_locked(force_full).await
    }

    fn is_current(&self, marker: Marker) -> bool {
        let snapshot = self.state.load();
        snapshot.loaded && snapshot.marker == marker && !self.dirty.load(Ordering::Acquire)
    }

    /// Fetches and applies changes; the caller holds `sync_lock`.
    async fn sync_locked(&self, force_full: bool) -> Result<SyncOutcome> {
        // Cleared before fetching: a write that lands meanwhile sets it again.
        self.dirty.store(false, Ordering::Release);
        let current = self.state.load_full();
        let delta = if current.loaded && !force_full {
            self.backend.changes_since(current.marker).await?
        } else {
            Delta::Full(self.backend.durables().await?)
        };
        let (next, outcome) = match delta {
            Delta::Full(raw) => {
                let mut next = Snapshot::empty();
                for (key, bytes) in raw.entries {
                    let value = self.encoding.decode(&bytes);
                    next.put(&key, value);
                }
                next.marker = raw.marker;
                next.loaded = true;
                let len = next.len();
                (next, SyncOutcome::Full { len })
            }
            Delta::Changes {
                marker,
                upserts,
                deletes,
            } => {
                if marker == current.marker && upserts.is_empty() && deletes.is_empty() {
                    return Ok(SyncOutcome::Unchanged);
                }
                let mut next = (*current).clone();
                let changed = upserts.len() + deletes.len();
                for (key, bytes) in upserts {
                    let value = self.encoding.decode(&bytes);
                    next.put(&key, value);
                }
                for key in deletes {
                    next.delete(&key);
                }
                next.marker = marker;
                next.synced_at = Instant::now();
                (next, SyncOutcome::Delta { changed })
            }
        };
        self.publish(next);
        Ok(outcome)
    }

    fn publish(&self, next: Snapshot<V>) {
        let marker = next.marker;
        self.state.store(Arc::new(next));
        self.changes.send_replace(marker);
    }

    /// Brings the local copy up to date after this dict changed the backend: patched in
    /// place when no other change happened in between, synced otherwise.
    async fn after_write(&self, marker: Option<Marker>, patch: impl FnOnce(&mut Snapshot<V>)) {
        let Some(marker) = marker else { return };
        let _guard = self.sync_lock.lock().await;
        let current = self.state.load_full();
        if current.loaded && current.marker.is_next(&marker) {
            let mut next = (*current).clone();
            patch(&mut next);
            next.marker = marker;
            next.synced_at = Instant::now();
            self.publish(next);
            return;
        }
        let already_included = current.loaded
            && current.marker.epoch == marker.epoch
            && current.marker.version >= marker.version;
        if already_included {
            return;
        }
        self.dirty.store(true, Ordering::Release);
        // The write is durable whatever happens here; a failed sync leaves `dirty` set so
        // the next read retries.
        if self.sync_locked(false).await.is_err() {
            self.dirty.store(true, Ordering::Release);
        }
    }
}
