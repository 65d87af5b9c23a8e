//! ZooKeeper in Python durabledict's `ZookeeperDict` layout: one persistent znode per key
//! under the keyspace path, the encoded value as its data, nothing else stored.
//!
//! Like Python, the change marker lives in the process: one persistent recursive watch on
//! the keyspace (ZooKeeper 3.6+) bumps it and records which key changed, so a sync fetches
//! only the changed znodes and reads never need a round trip. Unlike Python, every session
//! event (disconnect, expiry) starts a new epoch, which forces a full reload, because a
//! persistent watch can miss events while reconnecting (ZOOKEEPER-4698); an expired session
//! is replaced by a new one. Writes are single atomic ZooKeeper operations (no empty-data
//! window), and pop / compare-and-set use versioned deletes and writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use arc_swap::ArcSwap;
use futures_util::StreamExt as _;
use tokio::sync::broadcast;
use zookeeper_client::{
    AddWatchMode, Client, CreateMode, EventType, PersistentWatcher, SessionState,
};

use super::{Backend, CasOutcome, Delta, Invalidation, Invalidations, Marker, RawSnapshot};
use crate::{Error, Result};

const NAME: &str = "zookeeper";

/// A dict stored in ZooKeeper under a keyspace path such as `/app/settings`. Cheap to
/// clone; clones share one session and one watch.
#[derive(Clone)]
pub struct ZookeeperBackend {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for ZookeeperBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZookeeperBackend")
            .field("path", &self.shared.root)
            .finish_non_exhaustive()
    }
}

struct Shared {
    root: String,
    addr: String,
    client: ArcSwap<Client>,
    log: Mutex<Log>,
    events: broadcast::Sender<Invalidation>,
    watch_task: Mutex<Option<tokio::task::AbortHandle>>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(task) = self.watch_task.get_mut().ok().and_then(Option::take) {
            task.abort();
        }
    }
}

#[derive(Default)]
struct Log {
    counter: u64,
    epoch: u64,
    /// The counter value at each key's last known change in this epoch.
    changed: HashMap<String, u64>,
}

fn failed(operation: &'static str) -> impl FnOnce(zookeeper_client::Error) -> Error {
    move |e| Error::backend(NAME, operation, e)
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.contains('/') || key == "." || key == ".." {
        return Err(Error::InvalidKey {
            key: key.to_owned(),
            reason: "zookeeper keys are single non-empty path segments",
        });
    }
    Ok(())
}

async fn ensure_path(client: &Client, root: &str) -> Result<()> {
    let options = CreateMode::Persistent.with_acls(zookeeper_client::Acls::anyone_all());
    let mut path = String::new();
    for segment in root.split('/').filter(|s| !s.is_empty()) {
        path.push('/');
        path.push_str(segment);
        match client.create(&path, b"", &options).await {
            Ok(_) | Err(zookeeper_client::Error::NodeExists) => {}
            Err(e) => return Err(failed("create keyspace path")(e)),
        }
    }
    Ok(())
}

async fn open_session(addr: &str, root: &str) -> Result<(Client, PersistentWatcher)> {
    let client = Client::connect(addr).await.map_err(failed("connect"))?;
    ensure_path(&client, root).await?;
    let watcher = client
        .watch(root, AddWatchMode::PersistentRecursive)
        .await
        .map_err(failed("watch"))?;
    Ok((client, watcher))
}

impl ZookeeperBackend {
    /// Connects to `addr` (e.g. `127.0.0.1:2181`, optionally with a `/chroot`) for the
    /// dict stored under the znode `path` (e.g. `/app/settings`), creating it if needed.
    pub async fn connect(addr: &str, path: &str) -> Result<Self> {
        let root = format!("/{}", path.trim_matches('/'));
        if root == "/" {
            return Err(Error::Config(
                "the zookeeper keyspace path must not be `/`".into(),
            ));
        }
        let (client, watcher) = open_session(addr, &root).await?;
        let mut epoch = [0u8; 8];
        // Uniqueness of the first epoch only matters across restarts of this process.
        let _ = getrandom::fill(&mut epoch);
        let (events, _) = broadcast::channel(1024);
        let shared = Arc::new(Shared {
            root,
            addr: addr.to_owned(),
            client: ArcSwap::from_pointee(client),
            log: Mutex::new(Log {
                epoch: u64::from_le_bytes(epoch),
                ..Log::default()
            }),
            events,
            watch_task: Mutex::new(None),
        });
        let task = tokio::spawn(watch(Arc::downgrade(&shared), watcher));
        if let Ok(mut slot) = shared.watch_task.lock() {
            *slot = Some(task.abort_handle());
        }
        Ok(Self { shared })
    }

    fn client(&self) -> Arc<Client> {
        self.shared.client.load_full()
    }

    fn path(&self, key: &str) -> Result<String> {
        check_key(key)?;
        Ok(format!("{}/{key}", self.shared.root))
    }

    async fn fetch(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path(key)?;
        match self.client().get_data(&path).await {
            Ok((data, _)) => Ok(Some(data)),
            Err(zookeeper_client::Error::NoNode) => Ok(None),
            Err(e) => Err(failed("get")(e)),
        }
    }
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Log> {
        // Every update of Log is a couple of plain assignments: poison cannot leave it torn.
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn marker(&self) -> Marker {
        let log = self.log();
        Marker {
            version: log.counter,
            epoch: log.epoch,
        }
    }

    fn bump(&self, key: &str) -> Marker {
        let marker = {
            let mut log = self.log();
            log.counter += 1;
            let counter = log.counter;
            log.changed.insert(key.to_owned(), counter);
            Marker {
                version: counter,
                epoch: log.epoch,
            }
        };
        let _ = self.events.send(Invalidation::Keys(vec![key.to_owned()]));
        marker
    }

    fn lost(&self) {
        {
            let mut log = self.log();
            log.epoch = log.epoch.wrapping_add(1);
            log.changed.clear();
        }
        let _ = self.events.send(Invalidation::Lost);
    }
}

/// Feeds the change log from the persistent watch; replaces an expired session.
async fn watch(weak: Weak<Shared>, mut watcher: PersistentWatcher) {
    loop {
        let event = watcher.changed().await;
        let Some(shared) = weak.upgrade() else { return };
        match event.event_type {
            EventType::Session => {
                shared.lost();
                if event.session_state == SessionState::SyncConnected {
                    // The server may have lost the watch (a restart, ZOOKEEPER-4698): set it
                    // again; a duplicate only costs duplicate hints.
                    let client = shared.client.load_full();
                    let root = shared.root.clone();
                    drop(shared);
                    if let Ok(fresh) = client.watch(&root, AddWatchMode::PersistentRecursive).await
                    {
                        watcher = fresh;
                    }
                    if let Some(shared) = weak.upgrade() {
                        shared.lost();
                    }
                    continue;
                }
                let terminal = matches!(
                    event.session_state,
                    SessionState::Expired | SessionState::Closed | SessionState::AuthFailed
                );
                if terminal {
                    let (addr, root) = (shared.addr.clone(), shared.root.clone());
                    drop(shared);
                    let mut delay = Duration::from_millis(50);
                    loop {
                        match open_session(&addr, &root).await {
                            Ok((client, new_watcher)) => {
                                let Some(shared) = weak.upgrade() else { return };
                                shared.client.store(Arc::new(client));
                                shared.lost();
                                watcher = new_watcher;
                                break;
                            }
                            Err(_) => {
                                if weak.strong_count() == 0 {
                                    return;
                                }
                                tokio::time::sleep(delay).await;
                                delay = (delay * 2).min(Duration::from_secs(2));
                            }
                        }
                    }
                }
            }
            EventType::NodeCreated | EventType::NodeDeleted | EventType::NodeDataChanged => {
                let key = event
                    .path
                    .strip_prefix(&shared.root)
                    .and_then(|r| r.strip_prefix('/'));
                if let Some(key) = key.filter(|k| !k.is_empty() && !k.contains('/')) {
                    shared.bump(key);
                }
            }
            EventType::NodeChildrenChanged => {}
        }
    }
}

#[async_trait::async_trait]
impl Backend for ZookeeperBackend {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        let path = self.path(key)?;
        let client = self.client();
        let options = CreateMode::Persistent.with_acls(zookeeper_client::Acls::anyone_all());
        loop {
            match client.create(&path, &raw, &options).await {
                Ok(_) => break,
                Err(zookeeper_client::Error::NodeExists) => {}
                Err(e) => return Err(failed("persist")(e)),
            }
            match client.set_data(&path, &raw, None).await {
                Ok(_) => break,
                // Deleted in between: create again.
                Err(zookeeper_client::Error::NoNode) => {}
                Err(e) => return Err(failed("persist")(e)),
            }
        }
        Ok(self.shared.bump(key))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        let path = self.path(key)?;
        match self.client().delete(&path, None).await {
            Ok(()) => Ok(Some(self.shared.bump(key))),
            Err(zookeeper_client::Error::NoNode) => Ok(None),
            Err(e) => Err(failed("depersist")(e)),
        }
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        let marker = self.shared.marker();
        let client = self.client();
        let children = match client.list_children(&self.shared.root).await {
            Ok(children) => children,
            Err(zookeeper_client::Error::NoNode) => Vec::new(),
            Err(e) => return Err(failed("durables")(e)),
        };
        let reads = children.into_iter().map(|key| {
            let client = Arc::clone(&client);
            let path = format!("{}/{key}", self.shared.root);
            async move { (key, client.get_data(&path).await) }
        });
        let mut entries = Vec::new();
        for (key, result) in futures_util::future::join_all(reads).await {
            match result {
                Ok((data, _)) => entries.push((key, data)),
                Err(zookeeper_client::Error::NoNode) => {}
                Err(e) => return Err(failed("durables")(e)),
            }
        }
        Ok(RawSnapshot { marker, entries })
    }

    /// Local: the watch keeps it current, so this costs no round trip.
    async fn last_updated(&self) -> Result<Marker> {
        Ok(self.shared.marker())
    }

    fn is_atomic(&self) -> bool {
        true
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.fetch(key).await
    }

    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        let (marker, keys) = {
            let log = self.shared.log();
            let marker = Marker {
                version: log.counter,
                epoch: log.epoch,
            };
            if since.epoch != log.epoch || since.version > log.counter {
                (marker, None)
            } else {
                let keys: Vec<String> = log
                    .changed
                    .iter()
                    .filter(|(_, seq)| **seq > since.version)
                    .map(|(k, _)| k.clone())
                    .collect();
                (marker, Some(keys))
            }
        };
        let Some(keys) = keys else {
            return Ok(Delta::Full(self.durables().await?));
        };
        let reads = keys.into_iter().map(|key| async move {
            let value = self.fetch(&key).await;
            (key, value)
        });
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (key, value) in futures_util::future::join_all(reads).await {
            match value? {
                Some(value) => upserts.push((key, value)),
                None => deletes.push(key),
            }
        }
        Ok(Delta::Changes {
            marker,
            upserts,
            deletes,
        })
    }

    async fn set_default(&self, key: &str, raw: Vec<u8>) -> Result<(Vec<u8>, Option<Marker>)> {
        let path = self.path(key)?;
        let client = self.client();
        let options = CreateMode::Persistent.with_acls(zookeeper_client::Acls::anyone_all());
        loop {
            match client.create(&path, &raw, &options).await {
                Ok(_) => return Ok((raw, Some(self.shared.bump(key)))),
                Err(zookeeper_client::Error::NodeExists) => {}
                Err(e) => return Err(failed("set_default")(e)),
            }
            match client.get_data(&path).await {
                Ok((data, _)) => return Ok((data, None)),
                Err(zookeeper_client::Error::NoNode) => {}
                Err(e) => return Err(failed("set_default")(e)),
            }
        }
    }

    async fn pop(&self, key: &str) -> Result<Option<(Vec<u8>, Marker)>> {
        let path = self.path(key)?;
        let client = self.client();
        loop {
            let (data, stat) = match client.get_data(&path).await {
                Ok(found) => found,
                Err(zookeeper_client::Error::NoNode) => return Ok(None),
                Err(e) => return Err(failed("pop")(e)),
            };
            match client.delete(&path, Some(stat.version)).await {
                Ok(()) => return Ok(Some((data, self.shared.bump(key)))),
                Err(zookeeper_client::Error::BadVersion | zookeeper_client::Error::NoNode) => {}
                Err(e) => return Err(failed("pop")(e)),
            }
        }
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        let path = self.path(key)?;
        let client = self.client();
        let Some(expected) = expected else {
            let Some(new) = new else {
                return match self.fetch(key).await? {
                    None => Ok(CasOutcome::Swapped(None)),
                    now => Ok(CasOutcome::Mismatch(now)),
                };
            };
            let options = CreateMode::Persistent.with_acls(zookeeper_client::Acls::anyone_all());
            return match client.create(&path, &new, &options).await {
                Ok(_) => Ok(CasOutcome::Swapped(Some(self.shared.bump(key)))),
                Err(zookeeper_client::Error::NodeExists) => {
                    Ok(CasOutcome::Mismatch(self.fetch(key).await?))
                }
                Err(e) => Err(failed("compare_and_set")(e)),
            };
        };
        let (data, stat) = match client.get_data(&path).await {
            Ok(found) => found,
            Err(zookeeper_client::Error::NoNode) => return Ok(CasOutcome::Mismatch(None)),
            Err(e) => return Err(failed("compare_and_set")(e)),
        };
        if data != expected {
            return Ok(CasOutcome::Mismatch(Some(data)));
        }
        let result = match &new {
            Some(new) => client
                .set_data(&path, new, Some(stat.version))
                .await
                .map(|_| ()),
            None => client.delete(&path, Some(stat.version)).await,
        };
        match result {
            Ok(()) => Ok(CasOutcome::Swapped(Some(self.shared.bump(key)))),
            Err(zookeeper_client::Error::BadVersion | zookeeper_client::Error::NoNode) => {
                Ok(CasOutcome::Mismatch(self.fetch(key).await?))
            }
            Err(e) => Err(failed("compare_and_set")(e)),
        }
    }

    fn invalidations(&self) -> Option<Invalidations> {
        let receiver = self.shared.events.subscribe();
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
