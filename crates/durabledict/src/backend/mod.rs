//! Durable stores behind a dict, and the trait a new store implements.
//!
//! A backend stores encoded bytes under string keys and keeps a change [`Marker`]. Only the
//! four primitives of Python durabledict are required ([`Backend::persist`],
//! [`Backend::depersist`], [`Backend::durables`], [`Backend::last_updated`]); everything
//! else has a correct default built on them, which a backend overrides to make it atomic or
//! cheaper.

mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;
mod types;
#[cfg(feature = "zookeeper")]
mod zookeeper;

pub use memory::MemoryBackend;
#[cfg(feature = "postgres")]
pub use postgres::PostgresBackend;
#[cfg(feature = "redis")]
pub use redis::{RedisBackend, RedisOptions};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteBackend;
pub use types::{CasOutcome, Delta, Invalidation, Invalidations, Marker, RawSnapshot};
#[cfg(feature = "zookeeper")]
pub use zookeeper::ZookeeperBackend;

use crate::Result;

/// A durable store for one dict (one keyspace).
///
/// Every method that changes the store returns the [`Marker`] after the change, and a
/// backend bumps the marker's version by exactly one per change, so a dict can patch its
/// local copy instead of reloading it. Methods whose name says "atomic" in their docs are
/// only atomic when the backend overrides them; [`Backend::is_atomic`] tells which.
#[async_trait::async_trait]
pub trait Backend: Send + Sync + std::fmt::Debug + 'static {
    /// Short name used in errors, e.g. `"redis"`.
    fn name(&self) -> &'static str;

    /// Stores `raw` under `key`; returns the marker after the write.
    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker>;

    /// Deletes `key`; returns the marker after the delete, or `None` if it was absent (and
    /// nothing changed).
    async fn depersist(&self, key: &str) -> Result<Option<Marker>>;

    /// Every entry, with the marker it corresponds to. The marker must be read before (or
    /// atomically with) the entries, so a concurrent write can only cause an extra reload.
    async fn durables(&self) -> Result<RawSnapshot>;

    /// The current change marker (Python's `last_updated`). Cheap: called on every read
    /// under the every-read policy.
    async fn last_updated(&self) -> Result<Marker>;

    /// Whether set_default, pop, compare_and_set and persist_many are atomic here.
    fn is_atomic(&self) -> bool {
        false
    }

    /// The stored bytes of one key.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let snapshot = self.durables().await?;
        Ok(snapshot
            .entries
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v))
    }

    /// The changes after `since`. The default reloads everything.
    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        let _ = since;
        Ok(Delta::Full(self.durables().await?))
    }

    /// Stores `raw` unless `key` exists; returns the value now stored, and the new marker
    /// if this call inserted it.
    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        if let Some(existing) = self.get(key).await? {
            return Ok((existing, None));
        }
        let marker = self.persist(key, raw.clone()).await?;
        Ok((raw, Some(marker)))
    }

    /// Removes `key` and returns its stored bytes with the new marker.
    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let Some(existing) = self.get(key).await? else {
            return Ok(None);
        };
        Ok(self.depersist(key).await?.map(|marker| (existing, marker)))
    }

    /// Writes `new` (or deletes, for `None`) only if the stored value equals `expected`
    /// (`None` = absent).
    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        let current = self.get(key).await?;
        if current.as_deref() != expected {
            return Ok(CasOutcome::Mismatch(current));
        }
        let marker = match new {
            Some(raw) => Some(self.persist(key, raw).await?),
            None => self.depersist(key).await?,
        };
        Ok(CasOutcome::Swapped(marker))
    }

    /// Applies several writes (`None` deletes) as one change; returns the marker after them,
    /// or `None` if there was nothing to do. The default applies them one by one.
    async fn persist_many(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Result<Option<Marker>> {
        let mut last = None;
        for (key, raw) in items {
            let marker = match raw {
                Some(raw) => Some(self.persist(&key, raw).await?),
                None => self.depersist(&key).await?,
            };
            last = marker.or(last);
        }
        Ok(last)
    }

    /// Deletes every key; returns the new marker, or `None` if the store was empty.
    async fn clear(&self) -> Result<Option<Marker>> {
        let snapshot = self.durables().await?;
        let items = snapshot
            .entries
            .into_iter()
            .map(|(k, _)| (k, None))
            .collect();
        self.persist_many(items).await
    }

    /// A stream of change hints pushed by the server, if the backend has one. The dict
    /// treats them as hints only and still compares markers.
    fn invalidations(&self) -> Option<Invalidations> {
        None
    }
}
