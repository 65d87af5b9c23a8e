//! The `dyn-sim` binary: a seed file, `--print-port`, and the `/__sim/` control API.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// Kills the child when the test ends, even on panic.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_a_seed_and_obeys_the_control_api() {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/dyn-sim-bin-test");
    std::fs::create_dir_all(&dir).expect("test directory");
    let seed = dir.join(format!("seed-{}.json", std::process::id()));
    let doc = json!({
        "users": [{"customer": "globex", "user_name": "hank", "password": "sc0rpio"}],
        "mm_accounts": [{"apikey": "globex-key", "username": "mail@globex.example", "senders": ["hank@globex.example"]}],
    });
    std::fs::write(&seed, doc.to_string()).expect("seed written");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyn-sim"))
        .args(["--port", "0", "--print-port", "--deterministic", "--seed"])
        .arg(&seed)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the port is printed");
    let base = format!("http://127.0.0.1:{}", line.trim());
    let http = crate::support::http()
        .build()
        .expect("reqwest client builds");

    let login: Value = http
        .post(format!("{base}/REST/Session/"))
        .json(&json!({"customer_name": "globex", "user_name": "hank", "password": "sc0rpio"}))
        .send()
        .await
        .expect("login answers")
        .json()
        .await
        .expect("json");
    assert_eq!(login["data"]["token"], "tok-1001", "deterministic tokens");
    let senders: Value = http
        .get(format!("{base}/rest/json/senders?apikey=globex-key"))
        .send()
        .await
        .expect("senders answer")
        .json()
        .await
        .expect("json");
    assert_eq!(
        senders["response"]["data"]["senders"][0]["emailaddress"],
        "hank@globex.example"
    );

    let fault = json!({"match": {"method": "GET", "path_prefix": "/REST/Session"}, "times": 1, "fault": {"kind": "rate_limit", "retry_after_secs": 2}});
    let added = http
        .post(format!("{base}/__sim/faults"))
        .json(&fault)
        .send()
        .await
        .expect("control answers");
    assert_eq!(added.status().as_u16(), 200);
    let limited = http
        .get(format!("{base}/REST/Session/"))
        .header("Auth-Token", "tok-1001")
        .send()
        .await
        .expect("answers");
    assert_eq!(limited.status().as_u16(), 429);
    let log: Value = http
        .get(format!("{base}/__sim/log"))
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json");
    assert_eq!(
        log.as_array().map(Vec::len),
        Some(3),
        "control calls are not logged"
    );
    assert!(
        !log.to_string().contains("sc0rpio"),
        "the log view masks passwords"
    );
    let expired: Value = http
        .post(format!("{base}/__sim/sessions/expire"))
        .send()
        .await
        .expect("expire")
        .json()
        .await
        .expect("json");
    assert_eq!(expired["expired"], 1);
    let unknown = http
        .get(format!("{base}/__sim/nothing"))
        .send()
        .await
        .expect("answers");
    assert_eq!(unknown.status().as_u16(), 400);
    drop(running);
    let _ = std::fs::remove_file(seed);
}
