//! Shared helpers: the daemon's socket, unique names, cleanup.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use lxd_models::Client;

/// The test LXD's socket (`OPSKIT_LXD_SOCKET`, else the one `cargo xtask services up`
/// starts), checked to accept connections.
pub(crate) fn lxd_socket() -> PathBuf {
    let socket = std::env::var_os("OPSKIT_LXD_SOCKET")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/services/lxd/var/unix.socket")
        });
    if std::os::unix::net::UnixStream::connect(&socket).is_err() {
        panic!(
            "no LXD answers on {}: start it with `cargo xtask services up` (or set OPSKIT_LXD_SOCKET)",
            socket.display()
        );
    }
    socket
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
