//! Shared helpers: the daemon's socket, unique names, cleanup.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use lxd_models::{Client, ClientIdentity};

/// The test LXD's socket (`cargo xtask services up`, or `OPSKIT_LXD_SOCKET`), checked to answer.
pub(crate) fn lxd_socket() -> PathBuf {
    test_support::services::lxd_socket()
}

/// A client on the test daemon.
pub(crate) fn client() -> Client {
    Client::unix(lxd_socket()).expect("client for the test daemon")
}

/// A name unique to this test run: `t-<pid><time>-<label><n>`.
pub(crate) fn unique(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("t-{}{:x}-{label}{n}", std::process::id(), nanos % 0xfffff)
}

/// Deletes an instance whatever its state; errors are ignored (cleanup path).
pub(crate) async fn remove_instance(client: &Client, name: &str) {
    if let Ok(instance) = client.instances().get(name).await {
        let _ = instance.delete_force().await;
    }
}

/// Deletes a profile; errors are ignored (cleanup path).
pub(crate) async fn remove_profile(client: &Client, name: &str) {
    let _ = client.profiles().delete(name).await;
}

/// A fresh EC certificate and key made with the system `openssl`, in `dir`.
pub(crate) fn make_identity(dir: &std::path::Path) -> ClientIdentity {
    std::fs::create_dir_all(dir).expect("cert dir");
    let (cert, key) = (dir.join("client.crt"), dir.join("client.key"));
    let status = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ])
        .args(["-days", "1", "-subj", "/CN=lxd-models-test", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success());
    ClientIdentity::from_pem(
        std::fs::read(cert).expect("cert"),
        std::fs::read(key).expect("key"),
    )
}
