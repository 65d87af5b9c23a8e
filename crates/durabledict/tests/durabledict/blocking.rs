//! The blocking facade on the real Redis, from plain threads (no runtime of the caller's).

use std::time::{Duration, Instant};

use durabledict::{DurableDict, RedisBackend, SyncPolicy, blocking};
use serde_json::{Value, json};

fn open(keyspace: &str, policy: SyncPolicy) -> blocking::DurableDict<Value> {
    let url = crate::services::redis_url();
    blocking::DurableDict::connect(|| async move {
        let backend = RedisBackend::connect(&url, keyspace).await?;
        Ok(DurableDict::builder(backend).policy(policy))
    })
    .expect("open")
}

#[test]
fn blocking_dict_reads_and_writes_without_async() {
    let keyspace = crate::unique("blocking");
    let writer = open(&keyspace, SyncPolicy::EveryRead);
    let pushed = open(
        &keyspace,
        SyncPolicy::Push {
            verify_every: Duration::from_secs(60),
        },
    );
    writer.insert("a", json!(1)).expect("insert");
    assert_eq!(writer.get("a").expect("get").as_deref(), Some(&json!(1)));
    assert_eq!(
        *writer.set_default("a", json!(2)).expect("set_default"),
        json!(1)
    );
    writer
        .update([("b", json!(2)), ("c", json!(3))])
        .expect("update");
    assert_eq!(writer.len().expect("len"), 3);
    assert_eq!(writer.remove("b").expect("remove"), Some(json!(2)));
    assert_eq!(writer.pop_or("b", json!(0)).expect("pop_or"), json!(0));
    assert!(writer.contains_key("c").expect("contains"));
    // The push dict's background task runs between calls on the facade's own runtime.
    let deadline = Instant::now() + Duration::from_secs(10);
    while pushed.get_local("c").is_none() {
        assert!(Instant::now() < deadline, "push did not arrive");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(pushed.get("a").expect("get").as_deref(), Some(&json!(1)));
    writer.clear().expect("clear");
    assert!(writer.is_empty().expect("len"));
}
