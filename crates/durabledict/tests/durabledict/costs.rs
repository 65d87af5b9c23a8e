//! What each policy costs in backend calls, counted on a wrapper around the memory
//! backend: reads do I/O only when the policy asks, a writer never reloads after its own
//! write, and a sync after one change fetches only that change.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use durabledict::{
    Backend, CasOutcome, Delta, DurableDict, Marker, MemoryBackend, RawSnapshot, Result, SyncPolicy,
};
use serde_json::{Value, json};

#[derive(Debug, Default)]
struct Calls {
    last_updated: AtomicUsize,
    durables: AtomicUsize,
    changes_since: AtomicUsize,
}

/// Forwards to a memory backend and counts the read calls.
#[derive(Debug)]
struct Counting {
    inner: MemoryBackend,
    calls: Arc<Calls>,
}

#[async_trait::async_trait]
impl Backend for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }
    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        self.inner.persist(key, raw).await
    }
    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        self.inner.depersist(key).await
    }
    async fn durables(&self) -> Result<RawSnapshot> {
        self.calls.durables.fetch_add(1, Ordering::SeqCst);
        self.inner.durables().await
    }
    async fn last_updated(&self) -> Result<Marker> {
        self.calls.last_updated.fetch_add(1, Ordering::SeqCst);
        self.inner.last_updated().await
    }
    fn is_atomic(&self) -> bool {
        true
    }
    async fn changes_since(&self, since: Marker) -> Result<Delta> {
        self.calls.changes_since.fetch_add(1, Ordering::SeqCst);
        self.inner.changes_since(since).await
    }
    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: Option<Vec<u8>>,
    ) -> Result<CasOutcome> {
        self.inner.compare_and_set(key, expected, new).await
    }
}

async fn counted(store: &MemoryBackend, policy: SyncPolicy) -> (DurableDict<Value>, Arc<Calls>) {
    let calls = Arc::new(Calls::default());
    let backend = Counting {
        inner: store.clone(),
        calls: Arc::clone(&calls),
    };
    let dict = DurableDict::builder(backend)
        .policy(policy)
        .build()
        .await
        .expect("dict");
    (dict, calls)
}

fn snapshot(calls: &Calls) -> [usize; 3] {
    [
        calls.last_updated.load(Ordering::SeqCst),
        calls.durables.load(Ordering::SeqCst),
        calls.changes_since.load(Ordering::SeqCst),
    ]
}

#[tokio::test]
async fn every_read_costs_one_marker_check_and_nothing_more() {
    let store = MemoryBackend::new();
    let (d, calls) = counted(&store, SyncPolicy::EveryRead).await;
    d.insert("a", json!(1)).await.expect("insert");
    let before = snapshot(&calls);
    for _ in 0..10 {
        d.get("a").await.expect("get");
    }
    let after = snapshot(&calls);
    assert_eq!(after[0] - before[0], 10, "one marker check per read");
    assert_eq!(
        after[1..],
        before[1..],
        "no reload: nothing changed, own write was patched in"
    );
}

#[tokio::test]
async fn manual_reads_do_no_io_and_a_sync_after_one_change_is_a_delta() {
    let store = MemoryBackend::new();
    let (writer, _) = counted(&store, SyncPolicy::Manual).await;
    writer
        .update((0..100).map(|i| (format!("k{i}"), json!(i))))
        .await
        .expect("update");
    let (reader, calls) = counted(&store, SyncPolicy::Manual).await;
    let before = snapshot(&calls);
    for _ in 0..10 {
        reader.get("k1").await.expect("get");
        reader.len().await.expect("len");
    }
    assert_eq!(
        snapshot(&calls),
        before,
        "manual reads never touch the backend"
    );
    writer.insert("k1", json!("new")).await.expect("insert");
    reader.sync().await.expect("sync");
    let after = snapshot(&calls);
    assert_eq!(
        after,
        [before[0] + 1, before[1], before[2] + 1],
        "one check, one delta, no reload"
    );
}
