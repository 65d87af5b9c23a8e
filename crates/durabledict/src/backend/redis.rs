//! Redis in the exact layout of Python durabledict's `RedisDict`, plus push invalidation.
//!
//! Layout (shared with Python, byte for byte): a HASH at `<keyspace>` (field = key, value =
//! encoded bytes) and a STRING counter at `<keyspace>last_updated`. Every change bumps the
//! counter by one in the same transaction (`MULTI`/`EXEC` or a Lua script), which is all a
//! Python reader looks at. Push hints come from RESP3 client tracking in broadcast mode on
//! the keyspace prefix, on a dedicated connection that reconnects by itself.
//!
//! Beside that layout, every change made through this crate is also logged (Lua, same
//! atomic step) in `<keyspace>:rs_changes` (field → counter at its last change),
//! `<keyspace>:rs_versions` (counter values produced by logged changes) and
//! `<keyspace>:rs_epoch`. A reader fetches only the changed fields when every counter step
//! since its version is logged; any Python write (or constructor bump) leaves a gap and
//! makes it reload fully, exactly as Python would. Python ignores these keys.

use std::time::Duration;

use futures_util::StreamExt as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands as _, IntoConnectionInfo as _, PushKind, RedisError, Script};
use tokio::sync::mpsc;

use super::{Backend, CasOutcome, Delta, Invalidation, Invalidations, Marker, RawSnapshot};
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
    log: std::sync::Arc<LogKeys>,
    scripts: std::sync::Arc<Scripts>,
}

/// The keys of the change log kept beside Python's layout (Python ignores them).
struct LogKeys {
    changes: String,
    versions: String,
    epoch: String,
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
    persist: Script,
    depersist: Script,
    set_default: Script,
    pop: Script,
    compare_and_set: Script,
    clear: Script,
    persist_many: Script,
    changes: Script,
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
            log: std::sync::Arc::new(LogKeys {
                changes: format!("{keyspace}:rs_changes"),
                versions: format!("{keyspace}:rs_versions"),
                epoch: format!("{keyspace}:rs_epoch"),
            }),
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

fn epoch_of(raw: Option<&str>) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let Some(raw) = raw else { return 0 };
    raw.parse().unwrap_or_else(|_| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        raw.hash(&mut hasher);
        hasher.finish()
    })
}

fn marker(counter: i64, epoch: Option<&str>) -> Marker {
    // A counter someone decremented below zero is still a distinct marker.
    Marker {
        version: counter.cast_unsigned(),
        epoch: epoch_of(epoch),
    }
}

fn parse_counter(raw: Option<&[u8]>) -> Result<i64> {
    let Some(raw) = raw else { return Ok(0) };
    std::str::from_utf8(raw)
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| Error::backend(NAME, "last_updated", "the counter is not an integer"))
}

fn new_epoch() -> String {
    let mut bytes = [0u8; 8];
    // Uniqueness only; the clock is a fine fallback.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        bytes[..4].copy_from_slice(&nanos.to_le_bytes());
    }
    (u64::from_le_bytes(bytes) >> 1).to_string()
}

impl RedisBackend {
    /// A script call with the five keys every script uses and a fresh epoch candidate.
    fn invoke<'a>(&'a self, script: &'a Script) -> redis::ScriptInvocation<'a> {
        let mut invocation = script.key(&self.keyspace);
        invocation
            .key(&self.counter)
            .key(&self.log.changes)
            .key(&self.log.versions)
            .key(&self.log.epoch)
            .arg(new_epoch());
        invocation
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        operation: &'static str,
        invocation: redis::ScriptInvocation<'_>,
    ) -> Result<T> {
        let mut connection = self.connection.clone();
        invocation
            .invoke_async(&mut connection)
            .await
            .map_err(failed(operation))
    }
}

fn written(counter: Option<i64>, epoch: Option<String>) -> Option<Marker> {
    counter.map(|c| marker(c, epoch.as_deref()))
}

#[async_trait::async_trait]
impl Backend for RedisBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        let mut invocation = self.invoke(&self.scripts.persist);
        invocation.arg(key).arg(raw);
        let (counter, epoch): (Option<i64>, Option<String>) =
            self.run("persist", invocation).await?;
        written(counter, epoch)
            .ok_or_else(|| Error::backend(NAME, "persist", "no counter after a write"))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        let mut invocation = self.invoke(&self.scripts.depersist);
        invocation.arg(key);
        let (counter, epoch): (Option<i64>, Option<String>) =
            self.run("depersist", invocation).await?;
        Ok(written(counter, epoch))
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        let mut connection = self.connection.clone();
        let (counter, epoch, fields): (Option<Vec<u8>>, Option<String>, Vec<(Vec<u8>, Vec<u8>)>) =
            redis::pipe()
                .atomic()
                .get(&self.counter)
                .get(&self.log.epoch)
                .hgetall(&self.keyspace)
                .query_async(&mut connection)
                .await
                .map_err(failed("durables"))?;
        let entries = fields
            .into_iter()
            .map(|(field, value)| (String::from_utf8_lossy(&field).into_owned(), value))
            .collect();
        let counter = parse_counter(counter.as_deref())?;
        Ok(RawSnapshot {
            marker: marker(counter, epoch.as_deref()),
            entries,
        })
    }

    async fn last_updated(&self) -> Result<Marker> {
        let mut connection = self.connection.clone();
        let (counter, epoch): (Option<Vec<u8>>, Option<String>) = redis::cmd("MGET")
            .arg(&self.counter)
            .arg(&self.log.epoch)
            .query_async(&mut connection)
            .await
            .map_err(failed("last_updated"))?;
        Ok(marker(parse_counter(counter.as_deref())?, epoch.as_deref()))
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

    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        let mut invocation = self.invoke(&self.scripts.changes);
        invocation.arg(since.version.cast_signed());
        let reply: Vec<redis::Value> = self.run("changes_since", invocation).await?;
        let parse = |e: redis::ParsingError| Error::backend(NAME, "changes_since", e);
        let mut items = reply.into_iter();
        let mut next = || items.next().unwrap_or(redis::Value::Nil);
        let counter: i64 = redis::from_redis_value(next()).map_err(parse)?;
        let epoch: Option<String> = redis::from_redis_value(next()).map_err(parse)?;
        let complete: i64 = redis::from_redis_value(next()).map_err(parse)?;
        let now = marker(counter, epoch.as_deref());
        if complete == 0 || now.epoch != since.epoch {
            return Ok(Delta::Full(self.durables().await?));
        }
        let fields: Vec<String> = redis::from_redis_value(next()).map_err(parse)?;
        let values: Vec<Option<Vec<u8>>> = redis::from_redis_value(next()).map_err(parse)?;
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (field, value) in fields.into_iter().zip(values) {
            match value {
                Some(value) => upserts.push((field, value)),
                None => deletes.push(field),
            }
        }
        Ok(Delta::Changes {
            marker: now,
            upserts,
            deletes,
        })
    }

    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        let mut invocation = self.invoke(&self.scripts.set_default);
        invocation.arg(key).arg(raw);
        let (counter, epoch, stored): (Option<i64>, Option<String>, Vec<u8>) =
            self.run("set_default", invocation).await?;
        Ok((stored, written(counter, epoch)))
    }

    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let mut invocation = self.invoke(&self.scripts.pop);
        invocation.arg(key);
        let (counter, epoch, popped): (Option<i64>, Option<String>, Option<Vec<u8>>) =
            self.run("pop", invocation).await?;
        Ok(popped.zip(written(counter, epoch)))
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        let mut invocation = self.invoke(&self.scripts.compare_and_set);
        invocation
            .arg(key)
            .arg(if expected.is_some() { "1" } else { "0" })
            .arg(expected.unwrap_or_default())
            .arg(if new.is_some() { "1" } else { "0" })
            .arg(new.unwrap_or_default());
        let (counter, epoch, swapped, current): (
            Option<i64>,
            Option<String>,
            i64,
            Option<Vec<u8>>,
        ) = self.run("compare_and_set", invocation).await?;
        if swapped == 0 {
            return Ok(CasOutcome::Mismatch(current));
        }
        Ok(CasOutcome::Swapped(written(counter, epoch)))
    }

    async fn persist_many(&self, items: Vec<(String, Option<Vec<u8>>)>) -> Result<Option<Marker>> {
        if items.is_empty() {
            return Ok(None);
        }
        let mut invocation = self.invoke(&self.scripts.persist_many);
        for (key, value) in items {
            match value {
                Some(value) => invocation.arg("1").arg(key).arg(value),
                None => invocation.arg("0").arg(key).arg(""),
            };
        }
        let (counter, epoch): (Option<i64>, Option<String>) =
            self.run("persist_many", invocation).await?;
        Ok(written(counter, epoch))
    }

    async fn clear(&self) -> Result<Option<Marker>> {
        let invocation = self.invoke(&self.scripts.clear);
        let (counter, epoch): (Option<i64>, Option<String>) = self.run("clear", invocation).await?;
        Ok(written(counter, epoch))
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

/// Records each change made through this crate, next to Python's counter: KEYS are the
/// hash, the counter, `<ks>:rs_changes` (field → counter at its last change),
/// `<ks>:rs_versions` (every counter value a logged change produced, the last 10,000) and
/// `<ks>:rs_epoch`; ARGV[1] is a fresh epoch, used when the log starts over (first use, or
/// the counter went back).
const BUMP: &str = "
local function bump(fields)
  local v = redis.call('INCRBY', KEYS[2], 1)
  local top = redis.call('ZREVRANGE', KEYS[4], 0, 0, 'WITHSCORES')
  if redis.call('EXISTS', KEYS[5]) == 0 or (top[2] ~= nil and tonumber(top[2]) >= v) then
    redis.call('DEL', KEYS[3], KEYS[4])
    redis.call('SET', KEYS[5], ARGV[1])
  end
  for _, f in ipairs(fields) do redis.call('ZADD', KEYS[3], v, f) end
  redis.call('ZADD', KEYS[4], v, v)
  if redis.call('ZCARD', KEYS[4]) > 10000 then
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -10001)
  end
  return v
end
";

fn script(body: &str) -> Script {
    Script::new(&format!("{BUMP}\n{body}"))
}

impl Scripts {
    fn new() -> Self {
        Self {
            persist: script(
                "redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
                 return {bump({ARGV[2]}), redis.call('GET', KEYS[5])}",
            ),
            // Unlike Python, deleting an absent key changes nothing and bumps nothing.
            depersist: script(
                "if redis.call('HDEL', KEYS[1], ARGV[2]) == 1 then
                   return {bump({ARGV[2]}), redis.call('GET', KEYS[5])} end
                 return {false, false}",
            ),
            // Bumps only when it inserted (Python bumps always, forcing needless reloads).
            set_default: script(
                "if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 1 then
                   return {bump({ARGV[2]}), redis.call('GET', KEYS[5]), ARGV[3]} end
                 return {false, false, redis.call('HGET', KEYS[1], ARGV[2])}",
            ),
            pop: script(
                "local v = redis.call('HGET', KEYS[1], ARGV[2])
                 if v then
                   redis.call('HDEL', KEYS[1], ARGV[2])
                   return {bump({ARGV[2]}), redis.call('GET', KEYS[5]), v} end
                 return {false, false, false}",
            ),
            compare_and_set: script(
                "local cur = redis.call('HGET', KEYS[1], ARGV[2])
                 local ok
                 if ARGV[3] == '1' then ok = (cur == ARGV[4]) else ok = (cur == false) end
                 if not ok then return {false, false, 0, cur} end
                 if ARGV[5] == '1' then
                   redis.call('HSET', KEYS[1], ARGV[2], ARGV[6])
                   return {bump({ARGV[2]}), redis.call('GET', KEYS[5]), 1, false} end
                 if cur then
                   redis.call('HDEL', KEYS[1], ARGV[2])
                   return {bump({ARGV[2]}), redis.call('GET', KEYS[5]), 1, false} end
                 return {false, false, 1, false}",
            ),
            persist_many: script(
                "local fields = {}
                 for i = 2, #ARGV, 3 do
                   if ARGV[i] == '1' then
                     redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
                     table.insert(fields, ARGV[i + 1])
                   elseif redis.call('HDEL', KEYS[1], ARGV[i + 1]) == 1 then
                     table.insert(fields, ARGV[i + 1])
                   end
                 end
                 if #fields == 0 then return {false, false} end
                 return {bump(fields), redis.call('GET', KEYS[5])}",
            ),
            clear: script(
                "local fields = redis.call('HKEYS', KEYS[1])
                 if #fields == 0 then return {false, false} end
                 redis.call('DEL', KEYS[1])
                 return {bump(fields), redis.call('GET', KEYS[5])}",
            ),
            // ARGV[2] = the reader's version. Complete only if every counter value since
            // then came from a logged change (a Python write or constructor leaves a gap).
            changes: script(
                "local now = tonumber(redis.call('GET', KEYS[2]) or '0')
                 local epoch = redis.call('GET', KEYS[5])
                 local since = tonumber(ARGV[2])
                 if now == nil or since == nil or now < since then return {now or 0, epoch, 0} end
                 local logged = redis.call('ZCOUNT', KEYS[4], '(' .. ARGV[2], now)
                 if logged ~= now - since then return {now, epoch, 0} end
                 local fields = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ARGV[2], '+inf')
                 if #fields == 0 then return {now, epoch, 1, {}, {}} end
                 if #fields > 1000 then return {now, epoch, 0} end
                 return {now, epoch, 1, fields, redis.call('HMGET', KEYS[1], unpack(fields))}",
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
