//! The conformance suite and ZooKeeper-specific behaviour on the real ZooKeeper.

use std::sync::Arc;

use durabledict::{Backend, DurableDict, Error, ZookeeperBackend};
use futures_util::FutureExt as _;
use serde_json::{Value, json};

use crate::conformance::{Opener, conformance_suite};
use crate::services::zookeeper_addr;

async fn open(keyspace: &str) -> Opener {
    let addr = zookeeper_addr();
    let path = format!("/opskit-test/{keyspace}");
    Arc::new(move || {
        let addr = addr.clone();
        let path = path.clone();
        async move {
            Arc::new(
                ZookeeperBackend::connect(&addr, &path)
                    .await
                    .expect("zookeeper connects"),
            ) as Arc<dyn Backend>
        }
        .boxed()
    })
}

conformance_suite!(open, delta = true, pushes = true, atomic = true);

#[tokio::test]
async fn keys_with_a_slash_are_refused() {
    let path = format!("/opskit-test/{}", crate::unique("slash"));
    let backend = ZookeeperBackend::connect(&zookeeper_addr(), &path)
        .await
        .expect("connect");
    let d: DurableDict<Value> = DurableDict::builder(backend).build().await.expect("dict");
    match d.insert("a/b", json!(1)).await {
        Err(Error::InvalidKey { key, .. }) => assert_eq!(key, "a/b"),
        other => panic!("expected an invalid key error, got {other:?}"),
    }
}
