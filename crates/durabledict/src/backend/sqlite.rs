//! SQLite: the embedded default, shared safely by several processes on one file.
//!
//! Tables `durabledict_keyspaces(keyspace, version, epoch)` and
//! `durabledict_entries(keyspace, key, value, version)`; a delete keeps a tombstone row
//! (`value` NULL) so readers can fetch exactly what changed since their version. Every
//! change is one `BEGIN IMMEDIATE` transaction that bumps the keyspace version, so version
//! order is commit order. `PRAGMA data_version` tells cheaply whether another connection
//! committed anything, so an unchanged marker check does not even query the tables.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::{Backend, CasOutcome, Delta, Marker, RawSnapshot};
use crate::{Error, Result};

const NAME: &str = "sqlite";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS durabledict_keyspaces (
        keyspace TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        epoch INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS durabledict_entries (
        keyspace TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB,
        version INTEGER NOT NULL,
        PRIMARY KEY (keyspace, key)
    );
    CREATE INDEX IF NOT EXISTS durabledict_entries_by_version
        ON durabledict_entries (keyspace, version);
";

/// A dict stored in an SQLite file. Several processes (and several backends in one
/// process) may open the same file and keyspace. Cheap to clone.
#[derive(Clone)]
pub struct SqliteBackend {
    state: Arc<Mutex<State>>,
    keyspace: Arc<str>,
    path: Arc<PathBuf>,
}

impl std::fmt::Debug for SqliteBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteBackend")
            .field("path", &self.path)
            .field("keyspace", &self.keyspace)
            .finish_non_exhaustive()
    }
}

struct State {
    connection: Connection,
    /// `PRAGMA data_version` and the marker read at that data version.
    cached: Option<(i64, Marker)>,
}

fn failed(operation: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |e| Error::backend(NAME, operation, e)
}

impl SqliteBackend {
    /// Opens (creating if needed) the database at `path` for the dict named `keyspace`.
    pub async fn open(path: impl AsRef<Path>, keyspace: &str) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let opened = path.clone();
        let connection = tokio::task::spawn_blocking(move || -> rusqlite::Result<Connection> {
            let connection = Connection::open(&opened)?;
            connection.busy_timeout(std::time::Duration::from_secs(10))?;
            connection.pragma_update(None, "journal_mode", "WAL")?;
            connection.pragma_update(None, "synchronous", "NORMAL")?;
            connection.execute_batch(SCHEMA)?;
            Ok(connection)
        })
        .await
        .map_err(|e| Error::backend(NAME, "open", e))?
        .map_err(failed("open"))?;
        Ok(Self {
            state: Arc::new(Mutex::new(State {
                connection,
                cached: None,
            })),
            keyspace: Arc::from(keyspace),
            path: Arc::new(path),
        })
    }

    /// Runs `f` on the connection in a blocking thread.
    async fn run<T: Send + 'static>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut State, &str) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        let state = Arc::clone(&self.state);
        let keyspace = Arc::clone(&self.keyspace);
        tokio::task::spawn_blocking(move || {
            let mut state = state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut state, &keyspace)
        })
        .await
        .map_err(|e| Error::backend(NAME, operation, e))?
        .map_err(failed(operation))
    }

    /// Runs `f` in a write transaction that may bump the version (through the `bump`
    /// closure it gets); commits only if `f` says so by returning `Ok`.
    async fn write<T: Send + 'static>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &str) -> rusqlite::Result<(T, Option<Marker>)>
        + Send
        + 'static,
    ) -> Result<(T, Option<Marker>)> {
        self.run(operation, move |state, keyspace| {
            let (value, marker) = {
                let tx = state
                    .connection
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                let (value, marker) = f(&tx, keyspace)?;
                // Without a marker nothing changed: dropping the transaction rolls it back.
                if marker.is_some() {
                    tx.commit()?;
                }
                (value, marker)
            };
            // Our own commits do not change data_version; remember the new marker for it.
            let version = data_version(&state.connection)?;
            state.cached = marker.map(|m| (version, m));
            Ok((value, marker))
        })
        .await
    }
}

fn data_version(connection: &Connection) -> rusqlite::Result<i64> {
    connection.query_row("PRAGMA data_version", [], |row| row.get(0))
}

fn read_marker(connection: &Connection, keyspace: &str) -> rusqlite::Result<Marker> {
    let row: Option<(i64, i64)> = connection
        .query_row(
            "SELECT version, epoch FROM durabledict_keyspaces WHERE keyspace = ?1",
            [keyspace],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(row.map_or(Marker::default(), |(version, epoch)| Marker {
        version: version.cast_unsigned(),
        epoch: epoch.cast_unsigned(),
    }))
}

/// Bumps the keyspace version (creating the row with a fresh epoch) and returns the marker.
fn bump(tx: &rusqlite::Transaction<'_>, keyspace: &str) -> rusqlite::Result<Marker> {
    let mut epoch = [0u8; 8];
    // A failed random source only weakens the epoch's uniqueness, never correctness of the
    // version order; fall back to the clock.
    if getrandom::fill(&mut epoch).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        epoch = (nanos as u64).to_le_bytes();
    }
    let (version, epoch): (i64, i64) = tx.query_row(
        "INSERT INTO durabledict_keyspaces (keyspace, version, epoch) VALUES (?1, 1, ?2)
         ON CONFLICT (keyspace) DO UPDATE SET version = version + 1
         RETURNING version, epoch",
        params![keyspace, i64::from_le_bytes(epoch) & i64::MAX],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(Marker {
        version: version.cast_unsigned(),
        epoch: epoch.cast_unsigned(),
    })
}

fn store(
    tx: &rusqlite::Transaction<'_>,
    keyspace: &str,
    key: &str,
    value: Option<&[u8]>,
    marker: Marker,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO durabledict_entries (keyspace, key, value, version) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (keyspace, key) DO UPDATE SET value = excluded.value, version = excluded.version",
        params![keyspace, key, value, marker.version.cast_signed()],
    )?;
    Ok(())
}

fn current(
    tx: &rusqlite::Transaction<'_>,
    keyspace: &str,
    key: &str,
) -> rusqlite::Result<Option<Vec<u8>>> {
    Ok(tx
        .query_row(
            "SELECT value FROM durabledict_entries WHERE keyspace = ?1 AND key = ?2",
            [keyspace, key],
            |row| row.get::<_, Option<Vec<u8>>>(0),
        )
        .optional()?
        .flatten())
}

fn all_entries(
    connection: &Connection,
    keyspace: &str,
) -> rusqlite::Result<Vec<(String, Vec<u8>)>> {
    let mut statement = connection.prepare_cached(
        "SELECT key, value FROM durabledict_entries WHERE keyspace = ?1 AND value IS NOT NULL",
    )?;
    statement
        .query_map([keyspace], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

#[async_trait::async_trait]
impl Backend for SqliteBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        let key = key.to_owned();
        let ((), marker) = self
            .write("persist", move |tx, keyspace| {
                let marker = bump(tx, keyspace)?;
                store(tx, keyspace, &key, Some(&raw), marker)?;
                Ok(((), Some(marker)))
            })
            .await?;
        marker.ok_or_else(|| Error::backend(NAME, "persist", "no marker after a write"))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        Ok(self.pop(key).await?.map(|(_, marker)| marker))
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        self.run("durables", |state, keyspace| {
            let tx = state.connection.transaction()?;
            let marker = read_marker(&tx, keyspace)?;
            let entries = all_entries(&tx, keyspace)?;
            tx.commit()?;
            Ok(RawSnapshot { marker, entries })
        })
        .await
    }

    async fn last_updated(&self) -> Result<Marker> {
        self.run("last_updated", |state, keyspace| {
            let version = data_version(&state.connection)?;
            if let Some((cached_version, marker)) = state.cached
                && cached_version == version
            {
                return Ok(marker);
            }
            let marker = read_marker(&state.connection, keyspace)?;
            state.cached = Some((version, marker));
            Ok(marker)
        })
        .await
    }

    fn is_atomic(&self) -> bool {
        true
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let key = key.to_owned();
        self.run("get", move |state, keyspace| {
            let tx = state.connection.transaction()?;
            current(&tx, keyspace, &key)
        })
        .await
    }

    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        self.run("changes_since", move |state, keyspace| {
            let tx = state.connection.transaction()?;
            let marker = read_marker(&tx, keyspace)?;
            if marker.epoch != since.epoch || marker.version < since.version {
                let entries = all_entries(&tx, keyspace)?;
                return Ok(Delta::Full(RawSnapshot { marker, entries }));
            }
            let mut statement = tx.prepare_cached(
                "SELECT key, value FROM durabledict_entries WHERE keyspace = ?1 AND version > ?2",
            )?;
            let rows = statement
                .query_map(params![keyspace, since.version.cast_signed()], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, Option<Vec<u8>>>(1)?))
                })?;
            let mut upserts = Vec::new();
            let mut deletes = Vec::new();
            for row in rows {
                match row? {
                    (key, Some(value)) => upserts.push((key, value)),
                    (key, None) => deletes.push(key),
                }
            }
            Ok(Delta::Changes {
                marker,
                upserts,
                deletes,
            })
        })
        .await
    }

    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        let key = key.to_owned();
        self.write("set_default", move |tx, keyspace| {
            if let Some(existing) = current(tx, keyspace, &key)? {
                return Ok((existing, None));
            }
            let marker = bump(tx, keyspace)?;
            store(tx, keyspace, &key, Some(&raw), marker)?;
            Ok((raw, Some(marker)))
        })
        .await
    }

    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let key = key.to_owned();
        let (popped, marker) = self
            .write("pop", move |tx, keyspace| {
                let Some(existing) = current(tx, keyspace, &key)? else {
                    return Ok((None, None));
                };
                let marker = bump(tx, keyspace)?;
                store(tx, keyspace, &key, None, marker)?;
                Ok((Some(existing), Some(marker)))
            })
            .await?;
        Ok(popped.zip(marker))
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        let key = key.to_owned();
        let expected = expected.map(<[u8]>::to_vec);
        let (outcome, _) = self
            .write("compare_and_set", move |tx, keyspace| {
                let now = current(tx, keyspace, &key)?;
                if now != expected {
                    return Ok((CasOutcome::Mismatch(now), None));
                }
                if now.is_none() && new.is_none() {
                    return Ok((CasOutcome::Swapped(None), None));
                }
                let marker = bump(tx, keyspace)?;
                store(tx, keyspace, &key, new.as_deref(), marker)?;
                Ok((CasOutcome::Swapped(Some(marker)), Some(marker)))
            })
            .await?;
        Ok(outcome)
    }

    async fn persist_many(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Result<Option<Marker>> {
        if items.is_empty() {
            return Ok(None);
        }
        let ((), marker) = self
            .write("persist_many", move |tx, keyspace| {
                let marker = bump(tx, keyspace)?;
                for (key, value) in &items {
                    store(tx, keyspace, key, value.as_deref(), marker)?;
                }
                Ok(((), Some(marker)))
            })
            .await?;
        Ok(marker)
    }

    async fn clear(&self) -> Result<Option<Marker>> {
        let ((), marker) = self
            .write("clear", move |tx, keyspace| {
                let live: i64 = tx.query_row(
                    "SELECT count(*) FROM durabledict_entries WHERE keyspace = ?1 AND value IS NOT NULL",
                    [keyspace],
                    |row| row.get(0),
                )?;
                if live == 0 {
                    return Ok(((), None));
                }
                let marker = bump(tx, keyspace)?;
                tx.execute(
                    "UPDATE durabledict_entries SET value = NULL, version = ?2
                     WHERE keyspace = ?1 AND value IS NOT NULL",
                    params![keyspace, marker.version.cast_signed()],
                )?;
                Ok(((), Some(marker)))
            })
            .await?;
        Ok(marker)
    }
}
