//! The behaviour every backend must have, as functions each backend module runs through
//! [`conformance_suite!`].

use std::sync::Arc;
use std::time::Duration;

use durabledict::{Backend, DurableDict, Error, RawBytes, SyncOutcome, SyncPolicy};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};

/// Opens a new client of one backend on one keyspace; each call is a separate connection,
/// like a separate process.
pub(crate) type Opener = Arc<dyn Fn() -> BoxFuture<'static, Arc<dyn Backend>> + Send + Sync>;

async fn dict(open: &Opener, policy: SyncPolicy) -> DurableDict<Value> {
    DurableDict::builder_shared(open().await)
        .policy(policy)
        .build()
        .await
        .expect("dict opens")
}

pub(crate) async fn insert_then_read(open: Opener) {
    let d = dict(&open, SyncPolicy::EveryRead).await;
    assert!(d.is_empty().await.expect("len"));
    d.insert("flag", json!(true)).await.expect("insert");
    d.insert("limit", json!({"max": 10, "names": ["a", "b"]}))
        .await
        .expect("insert");
    assert_eq!(
        d.get("flag").await.expect("get").as_deref(),
        Some(&json!(true))
    );
    assert_eq!(
        d.get_local("limit").as_deref(),
        Some(&json!({"max": 10, "names": ["a", "b"]}))
    );
    assert_eq!(d.get("missing").await.expect("get"), None);
    assert!(d.contains_key("flag").await.expect("contains"));
    assert_eq!(d.len().await.expect("len"), 2);
    let mut keys = d.keys().await.expect("keys");
    keys.sort();
    assert_eq!(keys, ["flag", "limit"]);
    let snapshot = d.snapshot().await.expect("snapshot");
    assert_eq!(snapshot.iter().count(), 2);
    assert_eq!(d.items().await.expect("items").len(), 2);
    assert_eq!(d.values().await.expect("values").len(), 2);
    d.insert("flag", json!(false)).await.expect("overwrite");
    assert_eq!(
        d.get("flag").await.expect("get").as_deref(),
        Some(&json!(false))
    );
}

pub(crate) async fn other_clients_see_writes(open: Opener) {
    let writer = dict(&open, SyncPolicy::EveryRead).await;
    let every_read = dict(&open, SyncPolicy::EveryRead).await;
    let manual = dict(&open, SyncPolicy::Manual).await;
    writer.insert("k", json!(1)).await.expect("insert");
    assert_eq!(
        every_read.get("k").await.expect("get").as_deref(),
        Some(&json!(1))
    );
    assert_eq!(
        manual.get("k").await.expect("get"),
        None,
        "manual must not sync by itself"
    );
    assert_ne!(manual.sync().await.expect("sync"), SyncOutcome::Unchanged);
    assert_eq!(
        manual.get("k").await.expect("get").as_deref(),
        Some(&json!(1))
    );
    assert_eq!(manual.sync().await.expect("sync"), SyncOutcome::Unchanged);

    writer.delete("k").await.expect("delete");
    assert_eq!(every_read.get("k").await.expect("get"), None);
    manual.sync().await.expect("sync");
    assert_eq!(manual.get_local("k"), None);
}

pub(crate) async fn remove_and_pop_defaults(open: Opener) {
    let d = dict(&open, SyncPolicy::EveryRead).await;
    let other = dict(&open, SyncPolicy::EveryRead).await;
    d.insert("a", json!("x")).await.expect("insert");
    d.insert("n", Value::Null).await.expect("insert null");
    assert_eq!(d.remove("a").await.expect("remove"), Some(json!("x")));
    assert_eq!(d.remove("a").await.expect("remove twice"), None);
    // Python raises KeyError for falsy defaults and for a stored None; we do not.
    assert_eq!(d.pop_or("a", json!(0)).await.expect("pop_or"), json!(0));
    assert_eq!(d.pop_or("a", json!("")).await.expect("pop_or"), json!(""));
    assert_eq!(
        d.pop_or("n", json!(5)).await.expect("pop stored null"),
        Value::Null
    );
    assert!(!d.delete("a").await.expect("delete absent"));
    assert_eq!(other.len().await.expect("len"), 0);
}

pub(crate) async fn set_default_keeps_existing(open: Opener) {
    let d = dict(&open, SyncPolicy::EveryRead).await;
    let other = dict(&open, SyncPolicy::Manual).await;
    assert_eq!(
        *d.set_default("k", json!(1)).await.expect("set_default"),
        json!(1)
    );
    assert_eq!(
        *other.set_default("k", json!(2)).await.expect("set_default"),
        json!(1)
    );
    assert_eq!(
        *d.set_default("none", Value::Null)
            .await
            .expect("set_default"),
        Value::Null
    );
    assert_eq!(d.get("k").await.expect("get").as_deref(), Some(&json!(1)));
    assert!(d.contains_key("none").await.expect("contains"));
}

pub(crate) async fn update_and_clear_reach_the_store(open: Opener) {
    let d = dict(&open, SyncPolicy::EveryRead).await;
    let other = dict(&open, SyncPolicy::EveryRead).await;
    d.update([("a", json!(1)), ("b", json!(2)), ("c", json!(3))])
        .await
        .expect("update");
    assert_eq!(other.len().await.expect("len"), 3);
    assert_eq!(
        other.get("b").await.expect("get").as_deref(),
        Some(&json!(2))
    );
    d.clear().await.expect("clear");
    assert_eq!(other.len().await.expect("len"), 0);
    assert!(d.is_empty().await.expect("len"));
    d.clear().await.expect("clear of an empty dict");
}

pub(crate) async fn sync_after_one_change_is_small(open: Opener, expect_delta: bool) {
    let writer = dict(&open, SyncPolicy::Manual).await;
    let items: Vec<_> = (0..200).map(|i| (format!("key{i}"), json!(i))).collect();
    writer.update(items).await.expect("update");
    let reader = dict(&open, SyncPolicy::Manual).await;
    assert_eq!(reader.local().len(), 200);
    writer
        .insert("key7", json!("changed"))
        .await
        .expect("insert");
    let outcome = reader.sync().await.expect("sync");
    if expect_delta {
        assert_eq!(outcome, SyncOutcome::Delta { changed: 1 });
    } else {
        assert_eq!(outcome, SyncOutcome::Full { len: 200 });
    }
    assert_eq!(reader.get_local("key7").as_deref(), Some(&json!("changed")));
    assert_eq!(reader.local().len(), 200);
    // The writer patched its own copy: nothing left to sync.
    assert_eq!(writer.get_local("key7").as_deref(), Some(&json!("changed")));
    assert_eq!(writer.sync().await.expect("sync"), SyncOutcome::Unchanged);
}

/// `atomic`: whether the backend's compare-and-set is atomic; without it the same updates
/// run one after another (the trait's default CAS is a read then a write).
pub(crate) async fn concurrent_updates_lose_nothing(open: Opener, atomic: bool) {
    let d = dict(&open, SyncPolicy::Manual).await;
    let other = dict(&open, SyncPolicy::Manual).await;
    let mut tasks = Vec::new();
    for dict in [d.clone(), other.clone()] {
        for _ in 0..4 {
            let dict = dict.clone();
            let task = async move {
                for _ in 0..10 {
                    dict.update_with("counter", |v| {
                        Some(json!(v.and_then(Value::as_i64).unwrap_or(0) + 1))
                    })
                    .await
                    .expect("update_with");
                }
            };
            if atomic {
                tasks.push(tokio::spawn(task));
            } else {
                task.await;
            }
        }
    }
    for task in tasks {
        task.await.expect("task");
    }
    d.sync().await.expect("sync");
    assert_eq!(d.get_local("counter").as_deref(), Some(&json!(80)));
}

pub(crate) async fn corrupt_value_names_its_key(open: Opener) {
    let raw: DurableDict<Vec<u8>, RawBytes> = DurableDict::builder_shared(open().await)
        .encoding(RawBytes)
        .build()
        .await
        .expect("raw dict");
    raw.insert("good", b"{\"ok\": 1}".to_vec())
        .await
        .expect("insert");
    raw.insert("bad", b"\xff not json".to_vec())
        .await
        .expect("insert");
    let d = dict(&open, SyncPolicy::EveryRead).await;
    match d.get("bad").await {
        Err(Error::Decode { key, .. }) => assert_eq!(key, "bad"),
        other => panic!("expected a decode error naming the key, got {other:?}"),
    }
    assert_eq!(
        d.get("good").await.expect("good stays readable").as_deref(),
        Some(&json!({"ok": 1}))
    );
    let snapshot = d.snapshot().await.expect("snapshot");
    assert_eq!(
        snapshot.corrupt().map(|(k, _)| k).collect::<Vec<_>>(),
        ["bad"]
    );
    assert_eq!(snapshot.len(), 2);
    // Overwriting the corrupt value repairs it.
    d.insert("bad", json!("fixed")).await.expect("insert");
    assert_eq!(
        d.get("bad").await.expect("get").as_deref(),
        Some(&json!("fixed"))
    );
}

/// `pushes`: whether the backend has server pushes; without them the push policy polls at
/// its verify interval, which is then made short.
pub(crate) async fn push_policy_sees_remote_writes(open: Opener, pushes: bool) {
    let verify_every = if pushes {
        Duration::from_secs(30)
    } else {
        Duration::from_millis(20)
    };
    let reader = dict(&open, SyncPolicy::Push { verify_every }).await;
    let writer = dict(&open, SyncPolicy::Manual).await;
    let mut changes = reader.subscribe();
    // Give the push connection a moment to subscribe, then write until seen (a write
    // before the subscription is picked up by the resync that follows it anyway).
    writer.insert("pushed", json!(1)).await.expect("insert");
    tokio::time::timeout(Duration::from_secs(10), async {
        while reader.get_local("pushed").is_none() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("a remote write reaches a push reader (by push: well within the 30 s verify interval)");
    writer.insert("pushed", json!(2)).await.expect("insert");
    tokio::time::timeout(Duration::from_secs(10), async {
        while reader.get_local("pushed").as_deref() != Some(&json!(2)) {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("the second write arrives by push too");
}

pub(crate) async fn background_and_staleness_policies(open: Opener) {
    let polled = dict(&open, SyncPolicy::Background(Duration::from_millis(20))).await;
    let bounded = dict(&open, SyncPolicy::MaxStaleness(Duration::from_millis(1))).await;
    let writer = dict(&open, SyncPolicy::Manual).await;
    writer.insert("x", json!(1)).await.expect("insert");
    let mut changes = polled.subscribe();
    tokio::time::timeout(Duration::from_secs(10), async {
        while polled.get_local("x").is_none() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("the polling task picks the write up");
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(
        bounded.get("x").await.expect("get").as_deref(),
        Some(&json!(1))
    );
}

/// Runs every conformance test against one backend; `$open` is an async fn taking a
/// keyspace and returning an [`Opener`], `$delta` whether the backend syncs by delta,
/// `$pushes` whether it has server pushes, `$atomic` whether its CAS is atomic.
macro_rules! conformance_suite {
    ($open:path, delta = $delta:expr, pushes = $pushes:expr, atomic = $atomic:expr) => {
        #[tokio::test]
        async fn insert_then_read() {
            crate::conformance::insert_then_read($open(&crate::unique("read")).await).await;
        }
        #[tokio::test]
        async fn other_clients_see_writes() {
            crate::conformance::other_clients_see_writes($open(&crate::unique("see")).await).await;
        }
        #[tokio::test]
        async fn remove_and_pop_defaults() {
            crate::conformance::remove_and_pop_defaults($open(&crate::unique("pop")).await).await;
        }
        #[tokio::test]
        async fn set_default_keeps_existing() {
            crate::conformance::set_default_keeps_existing($open(&crate::unique("sd")).await).await;
        }
        #[tokio::test]
        async fn update_and_clear_reach_the_store() {
            crate::conformance::update_and_clear_reach_the_store(
                $open(&crate::unique("upd")).await,
            )
            .await;
        }
        #[tokio::test]
        async fn sync_after_one_change_is_small() {
            crate::conformance::sync_after_one_change_is_small(
                $open(&crate::unique("delta")).await,
                $delta,
            )
            .await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_updates_lose_nothing() {
            crate::conformance::concurrent_updates_lose_nothing(
                $open(&crate::unique("cas")).await,
                $atomic,
            )
            .await;
        }
        #[tokio::test]
        async fn corrupt_value_names_its_key() {
            crate::conformance::corrupt_value_names_its_key($open(&crate::unique("bad")).await)
                .await;
        }
        #[tokio::test]
        async fn push_policy_sees_remote_writes() {
            crate::conformance::push_policy_sees_remote_writes(
                $open(&crate::unique("push")).await,
                $pushes,
            )
            .await;
        }
        #[tokio::test]
        async fn background_and_staleness_policies() {
            crate::conformance::background_and_staleness_policies(
                $open(&crate::unique("poll")).await,
            )
            .await;
        }
    };
}
pub(crate) use conformance_suite;
