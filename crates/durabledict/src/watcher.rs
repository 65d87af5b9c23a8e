//! The background task behind the push and polling policies.

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::{FutureExt as _, StreamExt as _};

use crate::dict::Inner;
use crate::encoding::Encoding;
use crate::{Invalidation, Invalidations, SyncPolicy};

/// Aborts the background task when the dict's last handle goes away.
#[derive(Debug)]
pub(crate) struct WatcherGuard(tokio::task::AbortHandle);

impl Drop for WatcherGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// After a failed sync, wait this long before trying again, so an outage is not a busy loop.
const RETRY_DELAY: Duration = Duration::from_millis(100);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(2);

/// Starts the task for `Background` and `Push` policies; `stream` was subscribed before the
/// initial load, so no hint between that load and this task is lost.
pub(crate) fn spawn<V, E>(
    inner: &Arc<Inner<V, E>>,
    stream: Option<Invalidations>,
) -> Option<WatcherGuard>
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    let weak = Arc::downgrade(inner);
    let handle = match inner.policy {
        SyncPolicy::Background(interval) => tokio::spawn(poll(weak, interval)),
        SyncPolicy::Push { verify_every } => tokio::spawn(push(weak, stream, verify_every)),
        SyncPolicy::EveryRead | SyncPolicy::Manual | SyncPolicy::MaxStaleness(_) => return None,
    };
    Some(WatcherGuard(handle.abort_handle()))
}

async fn poll<V, E>(weak: Weak<Inner<V, E>>, interval: Duration)
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(inner) = weak.upgrade() else { return };
        // Errors leave the dict marked dirty; the next tick retries.
        let _ = inner.check(false).await;
    }
}

async fn push<V, E>(weak: Weak<Inner<V, E>>, mut stream: Option<Invalidations>, verify: Duration)
where
    V: Send + Sync + 'static,
    E: Encoding<V>,
{
    loop {
        let event = match stream.as_mut() {
            Some(s) => match tokio::time::timeout(verify, s.next()).await {
                Ok(Some(first)) => Some(coalesce(first, s)),
                // The stream ended: keep the dict fresh by polling instead.
                Ok(None) => {
                    stream = None;
                    None
                }
                Err(_elapsed) => None,
            },
            None => {
                tokio::time::sleep(verify).await;
                None
            }
        };
        let full = event == Some(Invalidation::Lost);
        // Retry until the sync succeeds: the hint that triggered it is consumed, and the
        // next one may be a whole verify interval away.
        let mut delay = RETRY_DELAY;
        loop {
            let Some(inner) = weak.upgrade() else { return };
            if inner.check(full).await.is_ok() {
                break;
            }
            drop(inner);
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(MAX_RETRY_DELAY);
        }
    }
}

/// Folds hints that are already waiting into one, so a burst costs one sync.
fn coalesce(first: Invalidation, stream: &mut Invalidations) -> Invalidation {
    let mut event = first;
    while let Some(Some(next)) = stream.next().now_or_never() {
        if next == Invalidation::Lost {
            event = Invalidation::Lost;
        } else if event != Invalidation::Lost {
            event = Invalidation::Changed;
        }
    }
    event
}
