//! A pool of identical workers under one alias: FIFO-fair waiting, no polling, a timeout,
//! and broken workers reconnected in the background.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::connection::Connection;
use crate::{Error, Result};

/// How many workers connect at once (OpenSSH `MaxStartups` starts dropping handshakes past 10).
const CONNECT_CONCURRENCY: usize = 4;

#[derive(Debug)]
pub(crate) struct Pool {
    alias: String,
    workers: Vec<Arc<dyn Connection>>,
    free: Mutex<VecDeque<usize>>,
    permits: Arc<Semaphore>,
    timeout: Option<Duration>,
}

impl Pool {
    pub(crate) fn new(
        alias: String,
        workers: Vec<Arc<dyn Connection>>,
        timeout: Option<Duration>,
    ) -> Self {
        let size = workers.len();
        Pool {
            alias,
            workers,
            free: Mutex::new((0..size).collect()),
            // tokio's semaphore queues waiters in FIFO order and wakes the first on release.
            permits: Arc::new(Semaphore::new(size)),
            timeout,
        }
    }

    pub(crate) fn size(&self) -> usize {
        self.workers.len()
    }

    /// All workers connected (as pyATS defines a pool's `connected`).
    pub(crate) fn is_connected(&self) -> bool {
        self.workers.iter().all(|w| w.is_connected())
    }

    /// How many workers are connected right now.
    pub(crate) fn healthy(&self) -> usize {
        self.workers.iter().filter(|w| w.is_connected()).count()
    }

    pub(crate) async fn connect(&self) -> Result<()> {
        let gate = Arc::new(Semaphore::new(CONNECT_CONCURRENCY));
        let mut tasks = tokio::task::JoinSet::new();
        for worker in &self.workers {
            let (worker, gate) = (Arc::clone(worker), Arc::clone(&gate));
            tasks.spawn(async move {
                let _slot = gate.acquire_owned().await;
                worker.connect().await
            });
        }
        first_error(tasks).await
    }

    pub(crate) async fn disconnect(&self) -> Result<()> {
        let mut tasks = tokio::task::JoinSet::new();
        for worker in &self.workers {
            let worker = Arc::clone(worker);
            tasks.spawn(async move { worker.disconnect().await });
        }
        first_error(tasks).await
    }

    /// Runs `f` on a free worker, waiting up to the pool timeout for one.
    pub(crate) async fn allot<T, F, Fut>(self: &Arc<Self>, f: F) -> Result<T>
    where
        F: FnOnce(Arc<dyn Connection>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let acquire = Arc::clone(&self.permits).acquire_owned();
        let permit = match self.timeout {
            Some(t) => tokio::time::timeout(t, acquire)
                .await
                .map_err(|_| Error::PoolTimeout {
                    alias: self.alias.clone(),
                    waited: t,
                })?,
            None => acquire.await,
        }
        .expect("the pool never closes its semaphore");
        let index = self
            .free
            .lock()
            .expect("pool lock is never poisoned: no code panics while holding it")
            .pop_front()
            .expect("a permit guarantees a free worker");
        let mut lease = Lease {
            pool: Arc::clone(self),
            index,
            permit: Some(permit),
            broken: false,
        };
        let result = f(Arc::clone(&self.workers[index])).await;
        lease.broken = matches!(&result, Err(e) if e.is_transport());
        result
    }
}

/// Returns its worker to the pool when dropped, also when the caller's future is cancelled.
/// A worker whose call failed at the transport level is reconnected first, in the background.
struct Lease {
    pool: Arc<Pool>,
    index: usize,
    permit: Option<OwnedSemaphorePermit>,
    broken: bool,
}

impl Drop for Lease {
    fn drop(&mut self) {
        let (pool, index, permit) = (Arc::clone(&self.pool), self.index, self.permit.take());
        let give_back = move || {
            pool.free
                .lock()
                .expect("pool lock is never poisoned: no code panics while holding it")
                .push_back(index);
            drop(permit);
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) if self.broken => {
                let worker = Arc::clone(&self.pool.workers[index]);
                runtime.spawn(async move {
                    let _ = worker.disconnect().await;
                    // A failed reconnect leaves the worker disconnected; its next call reports that.
                    let _ = worker.connect().await;
                    give_back();
                });
            }
            _ => give_back(),
        }
    }
}

async fn first_error(mut tasks: tokio::task::JoinSet<Result<()>>) -> Result<()> {
    let mut first = None;
    while let Some(joined) = tasks.join_next().await {
        let result =
            joined.unwrap_or_else(|e| Err(Error::Config(format!("pool worker task failed: {e}"))));
        if let (Err(e), None) = (result, &first) {
            first = Some(e);
        }
    }
    first.map_or(Ok(()), Err)
}
