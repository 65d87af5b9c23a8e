//! Handles are `Send + Sync + Clone` and the futures they return are `Send` (usable from
//! `tokio::spawn`); checked at compile time, no daemon needed.

use lxd_models::{
    Client, EventStream, ExecProcess, Handle, Instance, Manager, Profile, PtySession,
};

fn send_sync_clone<T: Send + Sync + Clone>() {}
fn send<T: Send>(_: &T) {}

#[test]
fn handles_and_futures_are_thread_safe() {
    send_sync_clone::<Client>();
    send_sync_clone::<Handle>();
    send_sync_clone::<Instance>();
    send_sync_clone::<Profile>();
    send_sync_clone::<Manager<Instance>>();
    fn only_send<T: Send>() {}
    only_send::<EventStream>();
    only_send::<ExecProcess>();
    only_send::<PtySession>();

    let client = Client::unix("/nonexistent/unix.socket").expect("building never connects");
    let profiles = client.profiles();
    send(&profiles.list());
    send(&profiles.get("default"));
    let instances = client.instances();
    send(&instances.create_from_alias("x", "busybox"));
    send(&client.events().subscribe());
}

#[tokio::test]
async fn model_futures_can_be_spawned() {
    let client = Client::unix("/nonexistent/unix.socket").expect("building never connects");
    let task = tokio::spawn(async move { client.profiles().get("default").await });
    let err = task.await.expect("task ran").expect_err("no daemon there");
    assert!(matches!(err, lxd_models::Error::Transport(_)), "{err}");
}
