//! A dict cached in process and backed by a durable store, synced only when the store
//! changed: a Rust port of Disqus' Python `durabledict` that shares its Redis layout.
//!
//! A [`DurableDict`] keeps an immutable [`Snapshot`] of the store locally. Reads come from
//! the snapshot; when they check the store is a [`SyncPolicy`]: on every read (Python's
//! `autosync=True`), only on [`DurableDict::sync`], after a staleness bound, on a timer, or
//! when the server pushes a change. Writes go to the store first (one transaction each) and
//! then patch the snapshot, so a writer never reloads the whole dict.
//!
//! Stores implement [`Backend`]: [`MemoryBackend`] always, and behind features
//! `sqlite` (default), `redis`, `postgres` and `zookeeper`. Values go through an
//! [`Encoding`]: [`Json`] (default), [`RawBytes`], [`Pickle`] (feature `pickle`,
//! default; data only, never executes anything), and `Encrypted` (feature `encryption`:
//! any of these sealed with AES-256-GCM).
//!
//! ```
//! use durabledict::{DurableDict, MemoryBackend, SyncPolicy};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> durabledict::Result<()> {
//! let store = MemoryBackend::new();
//! let flags: DurableDict<bool> = DurableDict::builder(store.clone()).build().await?;
//! let reader: DurableDict<bool> =
//!     DurableDict::builder(store).policy(SyncPolicy::Manual).build().await?;
//!
//! flags.insert("beta", true).await?;
//! assert_eq!(reader.get_local("beta"), None); // manual policy: not synced yet
//! reader.sync().await?;
//! assert_eq!(reader.get("beta").await?.as_deref(), Some(&true));
//! # Ok(())
//! # }
//! ```
//!
//! Non-async code uses [`blocking::DurableDict`].

mod backend;
pub mod blocking;
mod builder;
mod dict;
mod encoding;
mod error;
mod policy;
mod snapshot;
mod watcher;

#[cfg(feature = "postgres")]
pub use backend::PostgresBackend;
#[cfg(feature = "sqlite")]
pub use backend::SqliteBackend;
#[cfg(feature = "zookeeper")]
pub use backend::ZookeeperBackend;
pub use backend::{
    Backend, CasOutcome, Delta, Invalidation, Invalidations, Marker, MemoryBackend, RawSnapshot,
};
#[cfg(feature = "redis")]
pub use backend::{RedisBackend, RedisOptions};
pub use builder::Builder;
pub use dict::{DurableDict, SyncOutcome};
#[cfg(feature = "encryption")]
pub use encoding::Encrypted;
#[cfg(feature = "pickle")]
pub use encoding::Pickle;
pub use encoding::{Encoding, Fallback, Json, RawBytes};
pub use error::{BackendError, EncodingError, Error, Result};
pub use policy::SyncPolicy;
pub use snapshot::Snapshot;
