//! Live interop with the real Python durabledict 0.9.4 (from PyPI, in a venv under
//! `target/`) on the same Redis: each side reads the other's writes, in JSON and in pickle.
//!
//! The venv is made once from `benches/requirements.txt` and reused while that file is
//! unchanged; `OPSKIT_DURABLEDICT_PYTHON` may name a ready interpreter instead.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use durabledict::{Encoding, Json, Pickle, RedisBackend, SyncPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::services::redis_url;

/// The Python that has durabledict 0.9.4 and redis-py, made on first use.
fn python() -> PathBuf {
    if let Ok(python) = std::env::var("OPSKIT_DURABLEDICT_PYTHON") {
        return PathBuf::from(python);
    }
    static VENV: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut venv = VENV
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(python) = venv.as_ref() {
        return python.clone();
    }
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/requirements.txt");
    let python = test_support::python::venv("durabledict", &requirements).unwrap_or_else(|e| {
        panic!(
            "cannot prepare the Python durabledict venv: {e}\n\
             The interop tests need python3 with venv and pip and PyPI reachable, or \
             OPSKIT_DURABLEDICT_PYTHON naming a python with durabledict==0.9.4 and redis."
        )
    });
    *venv = Some(python.clone());
    python
}

/// A running Python `RedisDict(autosync=True)` that answers commands.
struct Peer {
    _child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Peer {
    async fn start(keyspace: &str, encoding: &str) -> Self {
        let python = tokio::task::spawn_blocking(python).await.expect("venv");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/durabledict/python/peer.py");
        let mut child = Command::new(&python)
            .arg(script)
            .args([&redis_url(), keyspace, encoding])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let mut peer = Self {
            _child: child,
            stdin,
            stdout,
        };
        let ready = peer.reply("start").await;
        assert_eq!(ready, json!({"ready": true}));
        peer
    }

    async fn reply(&mut self, what: &str) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(30), self.stdout.next_line())
            .await
            .unwrap_or_else(|_| panic!("the Python peer did not answer {what} within 30 s"))
            .expect("read from the Python peer")
            .unwrap_or_else(|| {
                panic!("the Python peer exited during {what} (its stderr is above)")
            });
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad reply {line:?}: {e}"))
    }

    async fn call(&mut self, command: Value) -> Value {
        let line = format!("{command}\n");
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("write to the Python peer");
        let reply = self.reply(&line).await;
        assert!(
            reply.get("error").is_none(),
            "Python durabledict failed {command}: {reply}"
        );
        reply
    }
}

async fn round_trip<E: Encoding<Value> + Clone>(encoding_name: &str, encoding: E) {
    let keyspace = crate::unique(&format!("interop-{encoding_name}"));
    let mut peer = Peer::start(&keyspace, encoding_name).await;
    let backend = RedisBackend::connect(&redis_url(), &keyspace)
        .await
        .expect("connect");
    let rust = durabledict::DurableDict::<Value>::builder(backend.clone())
        .encoding(encoding.clone())
        .build()
        .await
        .expect("dict");
    let pushed = durabledict::DurableDict::<Value>::builder(backend)
        .encoding(encoding)
        .policy(SyncPolicy::Push {
            verify_every: Duration::from_secs(60),
        })
        .build()
        .await
        .expect("push dict");

    // Python writes, Rust reads.
    let written = [
        ("flag", json!(true)),
        ("limit", json!(10)),
        ("name", json!("café ☃")),
        ("nested", json!({"a": [1, 2.5, null, true]})),
    ];
    for (key, value) in &written {
        peer.call(json!({"op": "set", "key": key, "value": value}))
            .await;
    }
    for (key, value) in &written {
        assert_eq!(
            rust.get(key).await.expect("get").as_deref(),
            Some(value),
            "{key}"
        );
    }
    // The push-policy dict got them without polling (verify interval: 60 s).
    let mut changes = pushed.subscribe();
    tokio::time::timeout(Duration::from_secs(10), async {
        while pushed.local().len() < written.len() {
            changes.changed().await.expect("dict alive");
        }
    })
    .await
    .expect("Python's writes reach a push-policy Rust dict");

    // Rust writes, the long-lived Python autosync reader sees them.
    rust.insert("from_rust", json!({"x": [1, "two"]}))
        .await
        .expect("insert");
    rust.insert("limit", json!(11)).await.expect("insert");
    assert!(rust.delete("flag").await.expect("delete"));
    rust.update([("u1", json!(1)), ("u2", json!("two"))])
        .await
        .expect("update");
    assert_eq!(rust.remove("u1").await.expect("remove"), Some(json!(1)));
    let items = peer.call(json!({"op": "items"})).await;
    assert_eq!(
        items["items"],
        json!({
            "limit": 11,
            "name": "café ☃",
            "nested": {"a": [1, 2.5, null, true]},
            "from_rust": {"x": [1, "two"]},
            "u2": "two",
        })
    );
    peer.call(json!({"op": "quit"})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_and_rust_share_a_json_dict() {
    round_trip("json", Json).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_and_rust_share_a_pickle_dict() {
    round_trip("pickle", Pickle).await;
}
