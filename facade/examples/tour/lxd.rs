//! LXD, when a local daemon answers; otherwise one line saying so.

use std::path::PathBuf;
use std::time::Duration;

use opskit::lxd_models::Client;

pub(crate) async fn tour() {
    println!("\nlxd-models: a local LXD daemon, if one answers");
    match tokio::time::timeout(Duration::from_secs(2), instances()).await {
        Ok(Some((socket, names))) => {
            println!("  {socket}");
            println!(
                "  instances              {} {}",
                names.len(),
                names.join(", ")
            );
        }
        Ok(None) => {
            println!("  no LXD socket answers; `cargo xtask services up` (as root) starts one")
        }
        Err(_) => println!("  the LXD socket did not answer within 2 s"),
    }
}

/// The test daemon of `cargo xtask services up` first, then LXD's usual places.
async fn instances() -> Option<(String, Vec<String>)> {
    let services =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/services/lxd/var/unix.socket");
    let explicit = std::env::var_os("OPSKIT_LXD_SOCKET").map(PathBuf::from);
    let candidates = explicit
        .into_iter()
        .chain([services])
        .filter(|path| path.exists());
    let mut clients: Vec<Client> = candidates
        .filter_map(|path| Client::unix(path).ok())
        .collect();
    clients.extend(Client::local().ok());
    for client in clients {
        if let Ok(names) = client.instances().names().await {
            let socket = client
                .socket_path()
                .map(|path| path.display().to_string())
                .unwrap_or_default();
            return Some((socket, names));
        }
    }
    None
}
