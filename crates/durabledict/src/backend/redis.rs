//! Redis in the exact layout of Python durabledict's `RedisDict`, plus push invalidation.
//!
//! Layout (shared with Python, byte for byte): a HASH at `<keyspace>` (field = key, value =
//! encoded bytes) and a STRING counter at `<keyspace>last_updated`. Every change bumps the
//! counter by one in the same transaction (`MULTI`/`EXEC` or a Lua script), which is all a
//! Python reader looks at. Push hints come from RESP3 client tracking in broadcast mode on
//! the keyspace prefix, on a dedicated connection that reconnects by itself.

use std::time::Duration;

use futures_util::StreamExt as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands as _, IntoConnectionInfo as _, PushKind, RedisError, Script};
use tokio::sync::mpsc;

use super::{Backend, CasOutcome, Invalidation, Invalidations, Marker, RawSnapshot};
use crate::{Error, Result};

const NAME: &str = "redis";

/// Options for [`RedisBackend::connect_with`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RedisOptions {
    /// Bump the counter once when connecting, as every Python `RedisDict` constructor does.
    /// Off by default: it only makes every other reader reload.
    pub bump_on_open: bool,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long to wait for a reply before failing the operation.
    pub response_timeout: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            bump_on_open: false,
            connect_timeout: Duration::from_secs(2),
            response_timeout: Duration::from_secs(2),
        }
    }
}

/// A dict stored in Redis in Python durabledict's layout, so Python and Rust processes share
/// one dict. Cheap to clone (one multiplexed, self-reconnecting connection).
#[derive(Clone)]
pub struct RedisBackend {
    client: redis::Client,
    connection: ConnectionManager,
    keyspace: String,
    counter: String,
    scripts: std::sync::Arc<Scripts>,
}

impl std::fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password, so only the keyspace is shown.
        f.debug_struct("RedisBackend")
            .field("keyspace", &self.keyspace)
            .finish_non_exhaustive()
    }
}

struct Scripts {
    depersist: Script,
    set_default: Script,
    pop: Script,
    compare_and_set: Script,
    clear: Script,
}

fn failed(operation: &'static str) -> impl FnOnce(RedisError) -> Error {
    move |e| Error::backend(NAME, operation, e)
}

impl RedisBackend {
    /// Connects to `url` (e.g. `redis://127.0.0.1:6379/0`) for the dict named `keyspace`.
    pub async fn connect(url: &str, keyspace: &str) -> Result<Self> {
        Self::connect_with(url, keyspace, RedisOptions::default()).await
    }

    /// Like [`RedisBackend::connect`] with options.
    pub async fn connect_with(url: &str, keyspace: &str, options: RedisOptions) -> Result<Self> {
        let client = redis::Client::open(url).map_err(failed("connect"))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(options.connect_timeout))
            .set_response_timeout(Some(options.response_timeout))
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(client.clone(), config)
            .await
            .map_err(failed("connect"))?;
        let backend = Self {
            client,
            connection,
            keyspace: keyspace.to_owned(),
            counter: format!("{keyspace}last_updated"),
            scripts: std::sync::Arc::new(Scripts::new()),
        };
        if options.bump_on_open {
            let mut connection = backend.connection.clone();
            let _: i64 = redis::cmd("INCRBY")
                .arg(&backend.counter)
                .arg(1)
                .query_async(&mut connection)
                .await
                .map_err(failed("connect"))?;
        }
        Ok(backend)
    }

    /// The Redis key of the hash.
    pub fn hash_key(&self) -> &str {
        &self.keyspace
    }

    /// The Redis key of the change counter (`<keyspace>last_updated`).
    pub fn counter_key(&self) -> &str {
        &self.counter
    }
}

fn marker(counter: i64) -> Marker {
    // A counter someone decremented below zero is still a distinct marker.
    Marker::new(counter.cast_unsigned())
}

fn parse_counter(raw: Option<Vec<u8>>) -> Result<Marker> {
    let Some(raw) = raw else {
        return Ok(Marker::new(0));
    };
    std::str::from_utf8(&raw)
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(marker)
        .ok_or_else(|| Error::backend(NAME, "last_updated", "the counter is not an integer"))
}

#[async_trait::async_trait]
impl Backend for RedisBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        let mut connection = self.connection.clone();
        let (counter,): (i64,) = redis::pipe()
            .atomic()
            .cmd("INCRBY")
            .arg(&self.counter)
            .arg(1)
            .hset(&self.keyspace, key, raw)
            .ignore()
            .query_async(&mut connection)
            .await
            .map_err(failed("persist"))?;
        Ok(marker(counter))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        let mut connection = self.connection.clone();
        let counter: Option<i64> = self
            .scripts
            .depersist
            .key(&self.keyspace)
            .key(&self.counter)
            .arg(key)
            .invoke_async(&mut connection)
            .await
            .map_err(failed("depersist"))?;
        Ok(counter.map(marker))
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        let mut connection = self.connection.clone();
        let (counter, fields): (Option<Vec<u8>>, Vec<(Vec<u8>, Vec<u8>)>) = redis::pipe()
            .atomic()
            .get(&self.counter)
            .hgetall(&self.keyspace)
            .query_async(&mut connection)
            .await
            .map_err(failed("durables"))?;
        let entries = fields
            .into_iter()
            .map(|(field, value)| (String::from_utf8_lossy(&field).into_owned(), value))
            .collect();
        Ok(RawSnapshot {
            marker: parse_counter(counter)?,
            entries,
        })
    }

    async fn last_updated(&self) -> Result<Marker> {
        let mut connection = self.connection.clone();
        let counter: Option<Vec<u8>> = connection
            .get(&self.counter)
            .await
            .map_err(failed("last_updated"))?;
        parse_counter(counter)
    }

    fn is_atomic(&self) -> bool {
        true
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let mut connection = self.connection.clone();
        connection
            .hget(&self.keyspace, key)
            .await
            .map_err(failed("get"))
    }

    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        let mut connection = self.connection.clone();
        let (stored, counter): (Vec<u8>, Option<i64>) = self
            .scripts
            .set_default
            .key(&self.keyspace)
            .key(&self.counter)
            .arg(key)
            .arg(raw)
            .invoke_async(&mut connection)
            .await
            .map_err(failed("set_default"))?;
        Ok((stored, counter.map(marker)))
    }

    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let mut connection = self.connection.clone();
        let popped: Option<(Vec<u8>, i64)> = self
            .scripts
            .pop
            .key(&self.keyspace)
            .key(&self.counter)
            .arg(key)
            .invoke_async(&mut connection)
            .await
            .map_err(failed("pop"))?;
        Ok(popped.map(|(raw, counter)| (raw, marker(counter))))
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        let mut connection = self.connection.clone();
        let (swapped, detail): (i64, Option<Vec<u8>>) = self
            .scripts
            .compare_and_set
            .key(&self.keyspace)
            .key(&self.counter)
            .arg(key)
            .arg(if expected.is_some() { "1" } else { "0" })
            .arg(expected.unwrap_or_default())
            .arg(if new.is_some() { "1" } else { "0" })
            .arg(new.unwrap_or_default())
            .invoke_async(&mut connection)
            .await
            .map_err(failed("compare_and_set"))?;
        if swapped == 0 {
            return Ok(CasOutcome::Mismatch(detail));
        }
        let counter = match detail {
            Some(digits) => Some(parse_counter(Some(digits))?),
            None => None,
        };
        Ok(CasOutcome::Swapped(counter))
    }

    async fn persist_many(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Result<Option<Marker>> {
        if items.is_empty() {
            return Ok(None);
        }
        let mut pipe = redis::pipe();
        pipe.atomic().cmd("INCRBY").arg(&self.counter).arg(1);
        let (puts, deletes): (Vec<_>, Vec<_>) = items.into_iter().partition(|(_, v)| v.is_some());
        if !puts.is_empty() {
            let fields: Vec<(String, Vec<u8>)> = puts
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect();
            pipe.hset_multiple(&self.keyspace, &fields).ignore();
        }
        if !deletes.is_empty() {
            let keys: Vec<String> = deletes.into_iter().map(|(k, _)| k).collect();
            pipe.hdel(&self.keyspace, keys).ignore();
        }
        let mut connection = self.connection.clone();
        let (counter,): (i64,) = pipe
            .query_async(&mut connection)
            .await
            .map_err(failed("persist_many"))?;
        Ok(Some(marker(counter)))
    }

    async fn clear(&self) -> Result<Option<Marker>> {
        let mut connection = self.connection.clone();
        let counter: Option<i64> = self
            .scripts
            .clear
            .key(&self.keyspace)
            .key(&self.counter)
            .invoke_async(&mut connection)
            .await
            .map_err(failed("clear"))?;
        Ok(counter.map(marker))
    }

    fn invalidations(&self) -> Option<Invalidations> {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(track(self.client.clone(), self.keyspace.clone(), sender));
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|event| (event, receiver))
        });
        Some(stream.boxed())
    }
}

impl Scripts {
    fn new() -> Self {
        Self {
            // Unlike Python, deleting an absent key changes nothing and bumps nothing.
            depersist: Script::new(
                "if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then \
                   return redis.call('INCRBY', KEYS[2], 1) end \
                 return false",
            ),
            // Bumps only when it inserted (Python bumps always, forcing needless reloads).
            set_default: Script::new(
                "if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then \
                   return {ARGV[2], redis.call('INCRBY', KEYS[2], 1)} end \
                 return {redis.call('HGET', KEYS[1], ARGV[1]), false}",
            ),
            pop: Script::new(
                "local v = redis.call('HGET', KEYS[1], ARGV[1]) \
                 if v then redis.call('HDEL', KEYS[1], ARGV[1]) \
                   return {v, redis.call('INCRBY', KEYS[2], 1)} end \
                 return false",
            ),
            compare_and_set: Script::new(
                "local cur = redis.call('HGET', KEYS[1], ARGV[1]) \
                 local ok \
                 if ARGV[2] == '1' then ok = (cur == ARGV[3]) else ok = (cur == false) end \
                 if not ok then return {0, cur} end \
                 if ARGV[4] == '1' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[5]) \
                   return {1, tostring(redis.call('INCRBY', KEYS[2], 1))} end \
                 if cur then redis.call('HDEL', KEYS[1], ARGV[1]) \
                   return {1, tostring(redis.call('INCRBY', KEYS[2], 1))} end \
                 return {1, false}",
            ),
            clear: Script::new(
                "if redis.call('DEL', KEYS[1]) == 1 then \
                   return redis.call('INCRBY', KEYS[2], 1) end \
                 return false",
            ),
        }
    }
}

/// Keeps a RESP3 connection with `CLIENT TRACKING ON BCAST PREFIX <keyspace>` open and
/// forwards its pushes; on every (re)connect it sends [`Invalidation::Lost`], because
/// pushes may have been missed while disconnected.
async fn track(client: redis::Client, keyspace: String, out: mpsc::UnboundedSender<Invalidation>) {
    let mut delay = Duration::from_millis(50);
    loop {
        let (push_sender, mut pushes) = mpsc::unbounded_channel();
        match open_tracking(&client, &keyspace, push_sender).await {
            Ok(connection) => {
                delay = Duration::from_millis(50);
                if out.send(Invalidation::Lost).is_err() {
                    return;
                }
                loop {
                    tokio::select! {
                        () = out.closed() => return,
                        push = pushes.recv() => match push {
                            Some(push) if push.kind == PushKind::Invalidate => {
                                if out.send(Invalidation::Changed).is_err() {
                                    return;
                                }
                            }
                            Some(push) if push.kind == PushKind::Disconnection => break,
                            Some(_) => {}
                            None => break,
                        },
                    }
                }
                drop(connection);
                if out.send(Invalidation::Lost).is_err() {
                    return;
                }
            }
            Err(_) => {
                tokio::select! {
                    () = out.closed() => return,
                    () = tokio::time::sleep(delay) => {}
                }
                delay = (delay * 2).min(Duration::from_secs(1));
            }
        }
    }
}

async fn open_tracking(
    client: &redis::Client,
    keyspace: &str,
    pushes: mpsc::UnboundedSender<redis::PushInfo>,
) -> redis::RedisResult<redis::aio::MultiplexedConnection> {
    let info = client.get_connection_info().clone();
    let settings = info
        .redis_settings()
        .clone()
        .set_protocol(redis::ProtocolVersion::RESP3);
    let resp3 = redis::Client::open(info.set_redis_settings(settings).into_connection_info()?)?;
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_push_sender(pushes);
    let mut connection = resp3
        .get_multiplexed_async_connection_with_config(&config)
        .await?;
    redis::cmd("CLIENT")
        .arg("TRACKING")
        .arg("ON")
        .arg("BCAST")
        .arg("PREFIX")
        .arg(keyspace)
        .exec_async(&mut connection)
        .await?;
    Ok(connection)
}
