//! Faults on a private Redis (its own port and data directory, so the shared test Redis is
//! not disturbed): killed mid-run, reads and writes fail with a clear backend error while
//! a push-policy dict keeps serving its last snapshot; restarted, everything recovers with
//! nothing lost.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use durabledict::{DurableDict, Error, RedisBackend, SyncPolicy};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

struct PrivateRedis {
    child: Child,
}

impl PrivateRedis {
    async fn start(dir: &Path, port: u16) -> Self {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
            ])
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .arg("--dir")
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run redis-server ({e}); `cargo xtask services up` installs it")
            });
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the private redis-server did not start"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Self { child }
    }

    async fn kill(mut self) {
        self.child.kill().await.expect("kill redis-server");
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = durabledict::Result<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match f().await {
            Ok(value) => return value,
            Err(e) => assert!(Instant::now() < deadline, "{what} did not recover: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted() {
    let dir: PathBuf =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(crate::unique("redis-fault"));
    std::fs::create_dir_all(&dir).expect("data dir");
    let port = free_port();
    let url = format!("redis://127.0.0.1:{port}/");
    let server = PrivateRedis::start(&dir, port).await;

    let open = |policy| {
        let url = url.clone();
        async move {
            DurableDict::<Value>::builder(
                RedisBackend::connect(&url, "faults")
                    .await
                    .expect("connect"),
            )
            .policy(policy)
            .build()
            .await
            .expect("dict")
        }
    };
    let d = open(SyncPolicy::EveryRead).await;
    let pushed = open(SyncPolicy::Push {
        verify_every: Duration::from_secs(60),
    })
    .await;
    d.insert("a", json!(1)).await.expect("insert");
    let mut changes = pushed.subscribe();
    tokio::time::timeout(Duration::from_secs(15), async {
        while pushed.get_local("a").is_none() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("the push dict gets the first write");

    server.kill().await;
    let error = d.get("a").await.expect_err("redis is down");
    assert!(
        matches!(
            error,
            Error::Backend {
                backend: "redis",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        d.insert("b", json!(2)).await.is_err(),
        "a write cannot succeed while redis is down"
    );
    assert_eq!(
        pushed.get_local("a").as_deref(),
        Some(&json!(1)),
        "the last snapshot stays readable"
    );

    let _server = PrivateRedis::start(&dir, port).await;
    let a = eventually("a read", || d.get("a")).await;
    assert_eq!(a.as_deref(), Some(&json!(1)), "nothing was lost");
    eventually("a write", || d.insert("b", json!(2))).await;
    tokio::time::timeout(Duration::from_secs(15), async {
        while pushed.get_local("b").is_none() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("the push dict reconnects and resyncs");
}
