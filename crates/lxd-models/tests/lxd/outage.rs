//! The daemon going away mid-run: typed transport errors, then recovery on the same client.
//!
//! The shared test daemon must stay up for the other tests, so the outage is made by a
//! socket relay in front of it that this test stops (dropping live connections, as a daemon
//! stop does) and starts again at the same path.

use std::path::{Path, PathBuf};

use lxd_models::{Client, Error};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinSet;

use crate::support::{client, lxd_socket, unique};

/// Relays connections from `front` to the real daemon until dropped.
struct Relay {
    tasks: JoinSet<()>,
}

impl Relay {
    fn start(front: &Path, daemon: PathBuf) -> Self {
        let _ = std::fs::remove_file(front);
        let listener = UnixListener::bind(front).expect("bind relay socket");
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let daemon = daemon.clone();
                connections.spawn(async move {
                    if let Ok(mut outbound) = UnixStream::connect(&daemon).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Self { tasks }
    }
}

#[tokio::test]
async fn daemon_outage_is_a_typed_error_and_the_client_recovers() {
    let dir = std::env::temp_dir().join(unique("relay"));
    std::fs::create_dir_all(&dir).expect("relay dir");
    let front = dir.join("unix.socket");
    let relay = Relay::start(&front, lxd_socket());
    let through_relay = Client::unix(&front).expect("client");
    let profile = through_relay
        .profiles()
        .get("default")
        .await
        .expect("works through the relay");

    // Stop: live connections die and nothing listens any more.
    drop(relay.tasks);
    let _ = std::fs::remove_file(&front);
    let err = through_relay
        .profiles()
        .get("default")
        .await
        .expect_err("daemon is gone");
    assert!(matches!(err, Error::Transport(_)), "{err}");
    let err = lxd_models::sync(&profile)
        .await
        .expect_err("daemon is gone");
    assert!(matches!(err, Error::Transport(_)), "{err}");

    // Start again: the same client and the same model object work without any reset.
    let relay = Relay::start(&front, lxd_socket());
    lxd_models::sync(&profile).await.expect("works again");
    let again = through_relay
        .profiles()
        .get("default")
        .await
        .expect("works again");
    assert!(lxd_models::Handle::ptr_eq(&again, &profile));
    assert!(
        client()
            .profiles()
            .exists("default")
            .await
            .expect("direct client unaffected")
    );
    drop(relay);
    let _ = std::fs::remove_dir_all(&dir);
}
