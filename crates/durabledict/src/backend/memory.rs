//! An in-process backend, for tests and single-process use.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::StreamExt as _;
use tokio::sync::broadcast;

use super::{Backend, CasOutcome, Delta, Invalidation, Invalidations, Marker, RawSnapshot};
use crate::Result;

/// A store in process memory (Python's `MemoryDict` storage). Clones share the store, so
/// several dicts built on clones see each other's writes, and push invalidation works.
/// Every operation is atomic and deltas are exact.
#[derive(Debug, Clone)]
pub struct MemoryBackend {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    changes: broadcast::Sender<Invalidation>,
}

#[derive(Debug, Default)]
struct State {
    version: u64,
    /// Value and the version of its last change; `None` is a tombstone kept for deltas.
    entries: BTreeMap<String, (Option<Vec<u8>>, u64)>,
}

impl Default for MemoryBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryBackend {
    /// An empty store.
    pub fn new() -> Self {
        let (changes, _) = broadcast::channel(1024);
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                changes,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave State half-updated: every change is
        // a single map operation followed by the version bump.
        self.shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Option<Marker> {
        let mut state = self.lock();
        let changes: Vec<_> = items
            .into_iter()
            .filter(|(key, raw)| {
                raw.is_some() || state.entries.get(key).is_some_and(|(v, _)| v.is_some())
            })
            .collect();
        if changes.is_empty() {
            return None;
        }
        state.version += 1;
        let version = state.version;
        let keys = changes.iter().map(|(k, _)| k.clone()).collect();
        for (key, raw) in changes {
            state.entries.insert(key, (raw, version));
        }
        drop(state);
        // No receiver is fine: nobody listens for pushes.
        let _ = self.shared.changes.send(Invalidation::Keys(keys));
        Some(Marker::new(version))
    }

    fn current(&self, key: &str) -> Option<Vec<u8>> {
        self.lock().entries.get(key).and_then(|(v, _)| v.clone())
    }
}

#[async_trait::async_trait]
impl Backend for MemoryBackend {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        Ok(self
            .write(vec![(key.to_owned(), Some(raw))])
            .expect("a put always changes the store"))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        Ok(self.write(vec![(key.to_owned(), None)]))
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        let state = self.lock();
        let entries = state
            .entries
            .iter()
            .filter_map(|(k, (v, _))| v.as_ref().map(|v| (k.clone(), v.clone())))
            .collect();
        Ok(RawSnapshot {
            marker: Marker::new(state.version),
            entries,
        })
    }

    async fn last_updated(&self) -> Result<Marker> {
        Ok(Marker::new(self.lock().version))
    }

    fn is_atomic(&self) -> bool {
        true
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.current(key))
    }

    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        let state = self.lock();
        if since.epoch != 0 || since.version > state.version {
            let entries = state
                .entries
                .iter()
                .filter_map(|(k, (v, _))| v.as_ref().map(|v| (k.clone(), v.clone())))
                .collect();
            return Ok(Delta::Full(RawSnapshot {
                marker: Marker::new(state.version),
                entries,
            }));
        }
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (key, (value, version)) in &state.entries {
            if *version > since.version {
                match value {
                    Some(v) => upserts.push((key.clone(), v.clone())),
                    None => deletes.push(key.clone()),
                }
            }
        }
        Ok(Delta::Changes {
            marker: Marker::new(state.version),
            upserts,
            deletes,
        })
    }

    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        let mut state = self.lock();
        if let Some((Some(existing), _)) = state.entries.get(key) {
            return Ok((existing.clone(), None));
        }
        state.version += 1;
        let version = state.version;
        state
            .entries
            .insert(key.to_owned(), (Some(raw.clone()), version));
        drop(state);
        let _ = self
            .shared
            .changes
            .send(Invalidation::Keys(vec![key.to_owned()]));
        Ok((raw, Some(Marker::new(version))))
    }

    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let mut state = self.lock();
        let Some((Some(existing), _)) = state.entries.get(key).cloned() else {
            return Ok(None);
        };
        state.version += 1;
        let version = state.version;
        state.entries.insert(key.to_owned(), (None, version));
        drop(state);
        let _ = self
            .shared
            .changes
            .send(Invalidation::Keys(vec![key.to_owned()]));
        Ok(Some((existing, Marker::new(version))))
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        // `write_if` compares and writes under one lock, which makes it atomic.
        Ok(self.write_if(key, expected, new))
    }

    async fn persist_many(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Result<Option<Marker>> {
        Ok(self.write(items))
    }

    async fn clear(&self) -> Result<Option<Marker>> {
        let keys: Vec<_> = {
            let state = self.lock();
            state
                .entries
                .iter()
                .filter(|(_, (v, _))| v.is_some())
                .map(|(k, _)| k.clone())
                .collect()
        };
        Ok(self.write(keys.into_iter().map(|k| (k, None)).collect()))
    }

    fn invalidations(&self) -> Option<Invalidations> {
        let receiver = self.shared.changes.subscribe();
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
            let event = match receiver.recv().await {
                Ok(event) => event,
                Err(broadcast::error::RecvError::Lagged(_)) => Invalidation::Lost,
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((event, receiver))
        });
        Some(stream.boxed())
    }
}

impl MemoryBackend {
    fn write_if(&self, key: &str, expected: Option<&[u8]>, new: Option<Vec<u8>>) -> CasOutcome {
        let mut state = self.lock();
        let current = state.entries.get(key).and_then(|(v, _)| v.clone());
        if current.as_deref() != expected {
            return CasOutcome::Mismatch(current);
        }
        if current.is_none() && new.is_none() {
            return CasOutcome::Swapped(None);
        }
        state.version += 1;
        let version = state.version;
        state.entries.insert(key.to_owned(), (new, version));
        drop(state);
        let _ = self
            .shared
            .changes
            .send(Invalidation::Keys(vec![key.to_owned()]));
        CasOutcome::Swapped(Some(Marker::new(version)))
    }
}
