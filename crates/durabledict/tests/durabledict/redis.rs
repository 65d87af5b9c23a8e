//! The conformance suite and Redis-specific behaviour on the real Redis.

use std::sync::Arc;

use durabledict::{Backend, DurableDict, RedisBackend, SyncOutcome, SyncPolicy};
use futures_util::FutureExt as _;
use serde_json::{Value, json};

use crate::conformance::{Opener, conformance_suite};
use crate::services::redis_url;

async fn open(keyspace: &str) -> Opener {
    let url = redis_url();
    let keyspace = keyspace.to_owned();
    Arc::new(move || {
        let url = url.clone();
        let keyspace = keyspace.clone();
        async move {
            Arc::new(
                RedisBackend::connect(&url, &keyspace)
                    .await
                    .expect("redis connects"),
            ) as Arc<dyn Backend>
        }
        .boxed()
    })
}

conformance_suite!(open, delta = true, pushes = true, atomic = true);

pub(crate) async fn raw_connection() -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis_url())
        .expect("url")
        .get_multiplexed_async_connection()
        .await
        .expect("redis connects")
}

#[tokio::test]
async fn writes_use_the_python_layout() {
    let keyspace = crate::unique("layout");
    let d: DurableDict<Value> = DurableDict::builder(
        RedisBackend::connect(&redis_url(), &keyspace)
            .await
            .expect("connect"),
    )
    .build()
    .await
    .expect("dict");
    d.insert("limit", json!(10)).await.expect("insert");
    d.insert("name", json!("café")).await.expect("insert");
    let mut raw = raw_connection().await;
    let kind: String = redis::cmd("TYPE")
        .arg(&keyspace)
        .query_async(&mut raw)
        .await
        .expect("TYPE");
    assert_eq!(kind, "hash");
    let counter: i64 = redis::cmd("GET")
        .arg(format!("{keyspace}last_updated"))
        .query_async(&mut raw)
        .await
        .expect("GET");
    assert_eq!(counter, 2, "one INCRBY per write, none on open");
    let stored: Vec<u8> = redis::cmd("HGET")
        .arg(&keyspace)
        .arg("name")
        .query_async(&mut raw)
        .await
        .expect("HGET");
    assert_eq!(stored, "\"café\"".as_bytes());
}

#[tokio::test]
async fn counter_going_back_or_missing_still_reloads() {
    let keyspace = crate::unique("regress");
    let counter = format!("{keyspace}last_updated");
    let mut raw = raw_connection().await;
    // A hash filled without the counter (Python never loads it: W2).
    let _: () = redis::cmd("HSET")
        .arg(&keyspace)
        .arg("a")
        .arg("1")
        .query_async(&mut raw)
        .await
        .expect("HSET");
    let d: DurableDict<Value> = DurableDict::builder(
        RedisBackend::connect(&redis_url(), &keyspace)
            .await
            .expect("connect"),
    )
    .policy(SyncPolicy::Manual)
    .build()
    .await
    .expect("dict");
    assert_eq!(d.get_local("a").as_deref(), Some(&json!(1)));
    for _ in 0..5 {
        d.insert("b", json!(2)).await.expect("insert");
    }
    // The counter is deleted (FLUSHALL, failover) and a write restarts it at 1 (W1).
    let _: () = redis::cmd("DEL")
        .arg(&counter)
        .query_async(&mut raw)
        .await
        .expect("DEL");
    let _: () = redis::pipe()
        .atomic()
        .cmd("INCRBY")
        .arg(&counter)
        .arg(1)
        .ignore()
        .cmd("HSET")
        .arg(&keyspace)
        .arg("a")
        .arg("42")
        .ignore()
        .query_async(&mut raw)
        .await
        .expect("MULTI");
    assert_ne!(d.sync().await.expect("sync"), SyncOutcome::Unchanged);
    assert_eq!(d.get_local("a").as_deref(), Some(&json!(42)));
}

#[tokio::test]
async fn a_non_integer_counter_is_a_clear_error() {
    let keyspace = crate::unique("badctr");
    let mut raw = raw_connection().await;
    let _: () = redis::cmd("SET")
        .arg(format!("{keyspace}last_updated"))
        .arg("not a number")
        .query_async(&mut raw)
        .await
        .expect("SET");
    let backend = RedisBackend::connect(&redis_url(), &keyspace)
        .await
        .expect("connect");
    let error = backend.last_updated().await.expect_err("garbage counter");
    assert!(error.is_backend());
    assert!(error.to_string().contains("last_updated"), "{error}");
}

#[tokio::test]
async fn a_write_from_python_forces_a_full_reload_ours_a_delta() {
    let keyspace = crate::unique("mixed");
    let open = || async {
        DurableDict::<Value>::builder(
            RedisBackend::connect(&redis_url(), &keyspace)
                .await
                .expect("connect"),
        )
        .policy(SyncPolicy::Manual)
        .build()
        .await
        .expect("dict")
    };
    let (writer, reader) = (open().await, open().await);
    writer
        .update((0..50).map(|i| (format!("k{i}"), json!(i))))
        .await
        .expect("update");
    reader.sync().await.expect("sync");
    writer.insert("k1", json!("rust")).await.expect("insert");
    assert_eq!(
        reader.sync().await.expect("sync"),
        SyncOutcome::Delta { changed: 1 }
    );
    // What Python's RedisDict sends for `d['k2'] = 'python'` (JSON encoding).
    let mut raw = raw_connection().await;
    let _: () = redis::pipe()
        .atomic()
        .cmd("INCRBY")
        .arg(format!("{keyspace}last_updated"))
        .arg(1)
        .ignore()
        .cmd("HSET")
        .arg(&keyspace)
        .arg("k2")
        .arg("\"python\"")
        .ignore()
        .query_async(&mut raw)
        .await
        .expect("MULTI");
    assert_eq!(
        reader.sync().await.expect("sync"),
        SyncOutcome::Full { len: 50 }
    );
    assert_eq!(reader.get_local("k2").as_deref(), Some(&json!("python")));
    assert_eq!(reader.get_local("k1").as_deref(), Some(&json!("rust")));
    writer.delete("k3").await.expect("delete");
    assert_eq!(
        reader.sync().await.expect("sync"),
        SyncOutcome::Delta { changed: 1 }
    );
    assert_eq!(reader.get_local("k3"), None);
}
