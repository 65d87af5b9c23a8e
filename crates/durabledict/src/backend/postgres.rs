//! PostgreSQL: the SQLite schema on a server, with LISTEN/NOTIFY as a change hint.
//!
//! Every change is one transaction that first bumps the keyspace row in
//! `durabledict_keyspaces` (whose row lock serialises writers, so version order is commit
//! order), then writes `durabledict_entries` (tombstones for deletes, for exact deltas)
//! and sends `pg_notify('durabledict', keyspace)`. Notifications are only hints: they are
//! lost while a listener is disconnected, so the dict still compares versions and resyncs
//! fully after every reconnect.

use std::sync::Arc;

use futures_util::StreamExt as _;
use tokio::sync::{Mutex, MutexGuard, mpsc};
use tokio_postgres::{AsyncMessage, Client, NoTls, Transaction};

use super::{Backend, CasOutcome, Delta, Invalidation, Invalidations, Marker, RawSnapshot};
use crate::{Error, Result};

const NAME: &str = "postgres";
const CHANNEL: &str = "durabledict";

const SCHEMA: &str = "
    SELECT pg_advisory_xact_lock(hashtext('durabledict schema'));
    CREATE TABLE IF NOT EXISTS durabledict_keyspaces (
        keyspace TEXT PRIMARY KEY,
        version BIGINT NOT NULL,
        epoch BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS durabledict_entries (
        keyspace TEXT NOT NULL,
        key TEXT NOT NULL,
        value BYTEA,
        version BIGINT NOT NULL,
        PRIMARY KEY (keyspace, key)
    );
    CREATE INDEX IF NOT EXISTS durabledict_entries_by_version
        ON durabledict_entries (keyspace, version);
";

/// A dict stored in PostgreSQL. Cheap to clone; clones share one connection, which is
/// re-established on the next operation after it broke.
#[derive(Clone)]
pub struct PostgresBackend {
    url: Arc<str>,
    keyspace: Arc<str>,
    client: Arc<Mutex<Option<Client>>>,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password.
        f.debug_struct("PostgresBackend")
            .field("keyspace", &self.keyspace)
            .finish_non_exhaustive()
    }
}

fn failed(operation: &'static str) -> impl FnOnce(tokio_postgres::Error) -> Error {
    move |e| Error::backend(NAME, operation, e)
}

async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        // Ends when the connection breaks; the client then reports errors and is replaced.
        let _ = connection.await;
    });
    Ok(client)
}

fn random_epoch() -> i64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        bytes[..4].copy_from_slice(&nanos.to_le_bytes());
    }
    i64::from_le_bytes(bytes) & i64::MAX
}

fn to_marker(version: i64, epoch: i64) -> Marker {
    Marker {
        version: version.cast_unsigned(),
        epoch: epoch.cast_unsigned(),
    }
}

impl PostgresBackend {
    /// Connects to `url` (e.g. `postgres://user@host/db`) for the dict named `keyspace`,
    /// creating the tables if needed.
    pub async fn connect(url: &str, keyspace: &str) -> Result<Self> {
        let mut client = connect(url).await.map_err(failed("connect"))?;
        let tx = client.transaction().await.map_err(failed("connect"))?;
        tx.batch_execute(SCHEMA)
            .await
            .map_err(failed("create schema"))?;
        tx.commit().await.map_err(failed("create schema"))?;
        Ok(Self {
            url: Arc::from(url),
            keyspace: Arc::from(keyspace),
            client: Arc::new(Mutex::new(Some(client))),
        })
    }

    async fn client(&self, operation: &'static str) -> Result<MutexGuard<'_, Option<Client>>> {
        let mut guard = self.client.lock().await;
        if guard.as_ref().is_none_or(Client::is_closed) {
            *guard = Some(connect(&self.url).await.map_err(failed(operation))?);
        }
        Ok(guard)
    }

    /// Runs a write: `f` gets a transaction in which the keyspace version is already
    /// bumped (and the row locked) and returns whether it changed anything; if not, the
    /// transaction (bump included) is rolled back.
    async fn write<T: Send>(
        &self,
        operation: &'static str,
        f: impl for<'t> FnOnce(
            &'t Transaction<'t>,
            &'t str,
            Marker,
        ) -> futures_util::future::BoxFuture<
            't,
            Result<(T, bool), tokio_postgres::Error>,
        > + Send,
    ) -> Result<(T, Option<Marker>)> {
        let mut guard = self.client(operation).await?;
        let client = guard
            .as_mut()
            .expect("client() always leaves a connected client");
        let tx = client.transaction().await.map_err(failed(operation))?;
        let row = tx
            .query_one(
                "INSERT INTO durabledict_keyspaces (keyspace, version, epoch) VALUES ($1, 1, $2)
                 ON CONFLICT (keyspace) DO UPDATE SET version = durabledict_keyspaces.version + 1
                 RETURNING version, epoch",
                &[&&*self.keyspace, &random_epoch()],
            )
            .await
            .map_err(failed(operation))?;
        let marker = to_marker(row.get(0), row.get(1));
        let (value, changed) = f(&tx, &self.keyspace, marker)
            .await
            .map_err(failed(operation))?;
        if !changed {
            tx.rollback().await.map_err(failed(operation))?;
            return Ok((value, None));
        }
        tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &&*self.keyspace])
            .await
            .map_err(failed(operation))?;
        tx.commit().await.map_err(failed(operation))?;
        Ok((value, Some(marker)))
    }

    async fn read_marker<C: tokio_postgres::GenericClient + Sync>(
        client: &C,
        keyspace: &str,
    ) -> Result<Marker, tokio_postgres::Error> {
        let row = client
            .query_opt(
                "SELECT version, epoch FROM durabledict_keyspaces WHERE keyspace = $1",
                &[&keyspace],
            )
            .await?;
        Ok(row.map_or(Marker::default(), |row| to_marker(row.get(0), row.get(1))))
    }
}

async fn store(
    tx: &Transaction<'_>,
    keyspace: &str,
    key: &str,
    value: Option<&[u8]>,
    marker: Marker,
) -> Result<(), tokio_postgres::Error> {
    tx.execute(
        "INSERT INTO durabledict_entries (keyspace, key, value, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (keyspace, key) DO UPDATE SET value = excluded.value, version = excluded.version",
        &[&keyspace, &key, &value, &marker.version.cast_signed()],
    )
    .await?;
    Ok(())
}

async fn current(
    tx: &Transaction<'_>,
    keyspace: &str,
    key: &str,
) -> Result<Option<Vec<u8>>, tokio_postgres::Error> {
    let row = tx
        .query_opt(
            "SELECT value FROM durabledict_entries WHERE keyspace = $1 AND key = $2",
            &[&keyspace, &key],
        )
        .await?;
    Ok(row.and_then(|row| row.get::<_, Option<Vec<u8>>>(0)))
}

#[async_trait::async_trait]
impl Backend for PostgresBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        let key = key.to_owned();
        let ((), marker) = self
            .write("persist", |tx, keyspace, marker| {
                Box::pin(async move {
                    store(tx, keyspace, &key, Some(&raw), marker).await?;
                    Ok(((), true))
                })
            })
            .await?;
        marker.ok_or_else(|| Error::backend(NAME, "persist", "no marker after a write"))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        Ok(self.pop(key).await?.map(|(_, marker)| marker))
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        let mut guard = self.client("durables").await?;
        let client = guard
            .as_mut()
            .expect("client() always leaves a connected client");
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(failed("durables"))?;
        let marker = Self::read_marker(&tx, &self.keyspace)
            .await
            .map_err(failed("durables"))?;
        let rows = tx
            .query(
                "SELECT key, value FROM durabledict_entries WHERE keyspace = $1 AND value IS NOT NULL",
                &[&&*self.keyspace],
            )
            .await
            .map_err(failed("durables"))?;
        tx.commit().await.map_err(failed("durables"))?;
        let entries = rows
            .into_iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        Ok(RawSnapshot { marker, entries })
    }

    async fn last_updated(&self) -> Result<Marker> {
        let guard = self.client("last_updated").await?;
        let client = guard
            .as_ref()
            .expect("client() always leaves a connected client");
        Self::read_marker(client, &self.keyspace)
            .await
            .map_err(failed("last_updated"))
    }

    fn is_atomic(&self) -> bool {
        true
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let guard = self.client("get").await?;
        let client = guard
            .as_ref()
            .expect("client() always leaves a connected client");
        let row = client
            .query_opt(
                "SELECT value FROM durabledict_entries WHERE keyspace = $1 AND key = $2",
                &[&&*self.keyspace, &key],
            )
            .await
            .map_err(failed("get"))?;
        Ok(row.and_then(|row| row.get::<_, Option<Vec<u8>>>(0)))
    }

    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        let mut guard = self.client("changes_since").await?;
        let client = guard
            .as_mut()
            .expect("client() always leaves a connected client");
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(failed("changes_since"))?;
        let marker = Self::read_marker(&tx, &self.keyspace)
            .await
            .map_err(failed("changes_since"))?;
        let full = marker.epoch != since.epoch || marker.version < since.version;
        let rows = if full {
            tx.query(
                "SELECT key, value FROM durabledict_entries WHERE keyspace = $1 AND value IS NOT NULL",
                &[&&*self.keyspace],
            )
            .await
        } else {
            tx.query(
                "SELECT key, value FROM durabledict_entries WHERE keyspace = $1 AND version > $2",
                &[&&*self.keyspace, &since.version.cast_signed()],
            )
            .await
        }
        .map_err(failed("changes_since"))?;
        tx.commit().await.map_err(failed("changes_since"))?;
        if full {
            let entries = rows
                .into_iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect();
            return Ok(Delta::Full(RawSnapshot { marker, entries }));
        }
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for row in rows {
            match row.get::<_, Option<Vec<u8>>>(1) {
                Some(value) => upserts.push((row.get(0), value)),
                None => deletes.push(row.get(0)),
            }
        }
        Ok(Delta::Changes {
            marker,
            upserts,
            deletes,
        })
    }

    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        let key = key.to_owned();
        self.write("set_default", |tx, keyspace, marker| {
            Box::pin(async move {
                if let Some(existing) = current(tx, keyspace, &key).await? {
                    return Ok((existing, false));
                }
                store(tx, keyspace, &key, Some(&raw), marker).await?;
                Ok((raw, true))
            })
        })
        .await
    }

    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let key = key.to_owned();
        let (popped, marker) = self
            .write("pop", |tx, keyspace, marker| {
                Box::pin(async move {
                    let Some(existing) = current(tx, keyspace, &key).await? else {
                        return Ok((None, false));
                    };
                    store(tx, keyspace, &key, None, marker).await?;
                    Ok((Some(existing), true))
                })
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
        let (outcome, marker) = self
            .write("compare_and_set", |tx, keyspace, marker| {
                Box::pin(async move {
                    let now = current(tx, keyspace, &key).await?;
                    if now != expected {
                        return Ok((Some(now), false));
                    }
                    if now.is_none() && new.is_none() {
                        return Ok((None, false));
                    }
                    store(tx, keyspace, &key, new.as_deref(), marker).await?;
                    Ok((None, true))
                })
            })
            .await?;
        Ok(match outcome {
            Some(now) => CasOutcome::Mismatch(now),
            None => CasOutcome::Swapped(marker),
        })
    }

    async fn persist_many(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Result<Option<Marker>> {
        if items.is_empty() {
            return Ok(None);
        }
        let ((), marker) = self
            .write("persist_many", |tx, keyspace, marker| {
                Box::pin(async move {
                    for (key, value) in &items {
                        store(tx, keyspace, key, value.as_deref(), marker).await?;
                    }
                    Ok(((), true))
                })
            })
            .await?;
        Ok(marker)
    }

    async fn clear(&self) -> Result<Option<Marker>> {
        let ((), marker) = self
            .write("clear", |tx, keyspace, marker| {
                Box::pin(async move {
                    let cleared = tx
                        .execute(
                            "UPDATE durabledict_entries SET value = NULL, version = $2
                             WHERE keyspace = $1 AND value IS NOT NULL",
                            &[&keyspace, &marker.version.cast_signed()],
                        )
                        .await?;
                    Ok(((), cleared > 0))
                })
            })
            .await?;
        Ok(marker)
    }

    fn invalidations(&self) -> Option<Invalidations> {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(listen(
            Arc::clone(&self.url),
            Arc::clone(&self.keyspace),
            sender,
        ));
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|event| (event, receiver))
        });
        Some(stream.boxed())
    }
}

/// Keeps a `LISTEN durabledict` connection open, forwarding this keyspace's
/// notifications; every (re)connect sends [`Invalidation::Lost`].
async fn listen(url: Arc<str>, keyspace: Arc<str>, out: mpsc::UnboundedSender<Invalidation>) {
    let mut delay = std::time::Duration::from_millis(50);
    loop {
        if let Ok((client, mut connection)) = tokio_postgres::connect(&url, NoTls).await {
            let (notes, mut received) = mpsc::unbounded_channel();
            let driver = tokio::spawn(async move {
                let mut messages = futures_util::stream::poll_fn(|cx| connection.poll_message(cx));
                while let Some(Ok(message)) = messages.next().await {
                    if let AsyncMessage::Notification(note) = message
                        && notes.send(note.payload().to_owned()).is_err()
                    {
                        return;
                    }
                }
            });
            if client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .await
                .is_ok()
            {
                delay = std::time::Duration::from_millis(50);
                if out.send(Invalidation::Lost).is_err() {
                    driver.abort();
                    return;
                }
                loop {
                    tokio::select! {
                        () = out.closed() => {
                            driver.abort();
                            return;
                        }
                        note = received.recv() => match note {
                            Some(payload) if *payload == *keyspace => {
                                if out.send(Invalidation::Changed).is_err() {
                                    driver.abort();
                                    return;
                                }
                            }
                            Some(_) => {}
                            None => break,
                        },
                    }
                }
                if out.send(Invalidation::Lost).is_err() {
                    return;
                }
            }
            driver.abort();
        }
        tokio::select! {
            () = out.closed() => return,
            () = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(std::time::Duration::from_secs(1));
    }
}
