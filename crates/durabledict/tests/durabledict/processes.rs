//! Two OS processes hammering one dict on each real backend: concurrent set_default (each
//! slot claimed by exactly one), pop (each token popped by exactly one) and read-modify-write
//! (no lost increment).
//!
//! The test re-runs its own binary as the two workers (selected by environment variables),
//! so each worker has its own connections, runtime and cache, like separate services.

use std::process::Stdio;
use std::sync::Arc;

use durabledict::{Backend, DurableDict, SyncPolicy};
use serde_json::{Value, json};

const SLOTS: usize = 300;
const INCREMENTS: usize = 100;
const WORKER: &str = "DURABLEDICT_TEST_WORKER";
const KEYSPACE: &str = "DURABLEDICT_TEST_KEYSPACE";

async fn backend(kind: &str, keyspace: &str) -> Arc<dyn Backend> {
    match kind {
        "redis" => Arc::new(
            durabledict::RedisBackend::connect(&crate::services::redis_url(), keyspace)
                .await
                .expect("redis"),
        ),
        "sqlite" => Arc::new(
            durabledict::SqliteBackend::open(crate::sqlite::scratch_file(keyspace), keyspace)
                .await
                .expect("sqlite"),
        ),
        "postgres" => Arc::new(
            durabledict::PostgresBackend::connect(&crate::services::postgres_url(), keyspace)
                .await
                .expect("postgres"),
        ),
        "zookeeper" => Arc::new(
            durabledict::ZookeeperBackend::connect(
                &crate::services::zookeeper_addr(),
                &format!("/opskit-test/{keyspace}"),
            )
            .await
            .expect("zookeeper"),
        ),
        other => panic!("unknown backend {other}"),
    }
}

#[expect(
    clippy::print_stdout,
    reason = "a worker reports to its parent test on stdout"
)]
async fn worker(kind: &str, id: &str, keyspace: &str) {
    let d: DurableDict<Value> = DurableDict::builder_shared(backend(kind, keyspace).await)
        .policy(SyncPolicy::Manual)
        .build()
        .await
        .expect("dict");
    let increment = |v: Option<&Value>| Some(json!(v.and_then(Value::as_u64).unwrap_or(0) + 1));
    let mut claimed = Vec::new();
    let mut popped = Vec::new();
    for slot in 0..SLOTS {
        let owner = d
            .set_default(&format!("slot{slot}"), json!(id))
            .await
            .expect("set_default");
        if *owner == json!(id) {
            claimed.push(slot);
        }
        if d.remove(&format!("token{slot}"))
            .await
            .expect("remove")
            .is_some()
        {
            popped.push(slot);
        }
        if slot % 3 == 0 {
            d.update_with("counter", increment)
                .await
                .expect("update_with");
        }
    }
    for _ in 0..INCREMENTS - SLOTS.div_ceil(3) {
        d.update_with("counter", increment)
            .await
            .expect("update_with");
    }
    println!(
        "WORKER-RESULT {}",
        json!({"claimed": claimed, "popped": popped})
    );
}

async fn hammer(kind: &str) {
    if let (Ok(id), Ok(keyspace)) = (std::env::var(WORKER), std::env::var(KEYSPACE)) {
        return worker(kind, &id, &keyspace).await;
    }
    let keyspace = crate::unique(&format!("procs-{kind}"));
    // The tokens both workers will race to pop.
    let setup: DurableDict<Value> = DurableDict::builder_shared(backend(kind, &keyspace).await)
        .build()
        .await
        .expect("dict");
    setup
        .update((0..SLOTS).map(|slot| (format!("token{slot}"), json!(slot))))
        .await
        .expect("update");
    drop(setup);
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|id| {
            tokio::process::Command::new(&exe)
                .args([
                    &format!("processes::{kind}"),
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(WORKER, id)
                .env(KEYSPACE, &keyspace)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()
                .expect("spawn worker")
        })
        .collect();
    let mut claimed = vec![0; SLOTS];
    let mut popped = vec![0; SLOTS];
    for child in children {
        let output = child.wait_with_output().await.expect("worker runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "worker failed ({}):\n{stdout}",
            output.status
        );
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("WORKER-RESULT ").map(|(_, json)| json))
            .unwrap_or_else(|| panic!("worker printed no result:\n{stdout}"));
        let result: Value = serde_json::from_str(line).expect("worker result");
        for slot in result["claimed"].as_array().expect("claimed") {
            claimed[usize::try_from(slot.as_u64().expect("slot")).expect("small")] += 1;
        }
        for slot in result["popped"].as_array().expect("popped") {
            popped[usize::try_from(slot.as_u64().expect("slot")).expect("small")] += 1;
        }
    }
    assert!(
        claimed.iter().all(|&n| n == 1),
        "each slot set_default-claimed exactly once: {claimed:?}"
    );
    assert!(
        popped.iter().all(|&n| n == 1),
        "each slot popped exactly once: {popped:?}"
    );
    let d: DurableDict<Value> = DurableDict::builder_shared(backend(kind, &keyspace).await)
        .build()
        .await
        .expect("dict");
    assert_eq!(
        d.get("counter").await.expect("get").as_deref(),
        Some(&json!(2 * INCREMENTS))
    );
    assert_eq!(
        d.len().await.expect("len"),
        SLOTS + 1,
        "the slots and the counter are left"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis() {
    hammer("redis").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    hammer("sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    hammer("postgres").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zookeeper() {
    hammer("zookeeper").await;
}
