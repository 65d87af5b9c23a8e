//! ZooKeeper killed and restarted mid-run, on a private server (its own port and data
//! directory, so the shared test ZooKeeper is not disturbed): the dict keeps serving its
//! snapshot, writes fail or wait, and after the restart it resyncs fully with nothing lost.

use std::path::Path;
use std::time::{Duration, Instant};

use durabledict::{DurableDict, SyncPolicy, ZookeeperBackend};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

const JARS: [&str; 3] = [
    "/usr/share/java/zookeeper.jar",
    "/usr/share/java/slf4j-log4j12.jar",
    "/usr/share/java/log4j-1.2.jar",
];

async fn start(dir: &Path, port: u16) -> Child {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let cfg = dir.join("zoo.cfg");
    std::fs::write(
        &cfg,
        format!(
            "tickTime=500\ndataDir={}\nclientPort={port}\nclientPortAddress=127.0.0.1\n\
             maxClientCnxns=0\nadmin.enableServer=false\n",
            data.display()
        ),
    )
    .expect("zoo.cfg");
    let child = Command::new("java")
        .args([
            "-Xms32m",
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
        ])
        .arg("-Dzookeeper.admin.enableServer=false")
        .arg("-Dlog4j.configuration=file:/dev/null")
        .arg("-cp")
        .arg(JARS.join(":"))
        .arg("org.apache.zookeeper.server.quorum.QuorumPeerMain")
        .arg(&cfg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run java ({e}); `cargo xtask services up` installs it"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the private ZooKeeper did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zookeeper_killed_and_restarted() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(crate::unique("zk-fault"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut server = start(&dir, port).await;
    let addr = format!("127.0.0.1:{port}");
    let open = |policy| {
        let addr = addr.clone();
        async move {
            let backend = ZookeeperBackend::connect(&addr, "/faults")
                .await
                .expect("connect");
            DurableDict::<Value>::builder(backend)
                .policy(policy)
                .build()
                .await
                .expect("dict")
        }
    };
    let writer = open(SyncPolicy::EveryRead).await;
    let reader = open(SyncPolicy::Push {
        verify_every: Duration::from_secs(60),
    })
    .await;
    writer.insert("a", json!(1)).await.expect("insert");
    let mut changes = reader.subscribe();
    tokio::time::timeout(Duration::from_secs(15), async {
        while reader.get_local("a").is_none() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("the reader sees the first write");

    server.kill().await.expect("kill zookeeper");
    assert_eq!(
        reader.get_local("a").as_deref(),
        Some(&json!(1)),
        "the snapshot stays readable"
    );

    let _server = start(&dir, port).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while let Err(e) = writer.insert("b", json!(2)).await {
        assert!(Instant::now() < deadline, "writes did not recover: {e}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::timeout(Duration::from_secs(30), async {
        while reader.get_local("b").is_none() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("the reader resyncs after the restart");
    assert_eq!(
        reader.get_local("a").as_deref(),
        Some(&json!(1)),
        "nothing was lost"
    );
}
