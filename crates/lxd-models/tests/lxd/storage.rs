//! Storage pools, custom volumes and their snapshots.

use lxd_models::{Client, Handle};
use serde_json::json;

use crate::support::{client, unique};

/// The pool the default profile's root disk lives on.
async fn root_pool(client: &Client) -> String {
    let default = client
        .profiles()
        .get("default")
        .await
        .expect("default profile");
    default
        .pointer::<String>("/devices/root/pool")
        .expect("root disk in the default profile")
}

/// LXD answers a `recursion=1` pool listing with "Storage pool not found" when a pool is
/// deleted while it builds the list, so the test that lists pools and the one that creates and
/// deletes a pool take turns.
static POOL_CHANGES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn pools_volumes_and_volume_snapshots() {
    let _pools = POOL_CHANGES.lock().await;
    let client = client();
    let pool_name = root_pool(&client).await;
    let pool = client.storage_pools().get(&pool_name).await.expect("pool");
    assert!(pool.driver().is_some());
    assert!(
        client
            .storage_pools()
            .list()
            .await
            .expect("pools")
            .iter()
            .any(|p| Handle::ptr_eq(p, &pool))
    );
    let resources = pool.resources().await.expect("pool resources");
    assert!(resources.pointer("/space/total").is_some(), "{resources}");

    let name = unique("vol");
    let volumes = pool.volumes();
    let result: lxd_models::Result<()> = async {
        let volume = volumes
            .create(json!({"name": name, "config": {}, "description": "v"}))
            .await?;
        assert_eq!(volume.volume_type().as_deref(), Some("custom"));
        assert_eq!(volume.description().as_deref(), Some("v"));
        assert!(volumes.names().await?.contains(&name));
        volume.set("description", "changed");
        lxd_models::save(&volume).await?;
        assert_eq!(volume.description().as_deref(), Some("changed"));

        let snaps = volume.snapshots();
        let snap = snaps.create(json!({"name": "vs0"})).await?;
        assert_eq!(snap.name(), "vs0");
        assert_eq!(snaps.names().await?, ["vs0"]);
        lxd_models::delete(&snap).await?;
        assert!(snaps.names().await?.is_empty());

        let renamed = format!("{name}r");
        volume.rename(&renamed).await?;
        let again = volumes.get(&renamed).await?;
        assert!(Handle::ptr_eq(&again, &volume));
        lxd_models::delete(&volume).await?;
        assert!(!volumes.exists(&renamed).await?);
        Ok(())
    }
    .await;
    let _ = volumes.delete(name.as_str()).await;
    let _ = volumes.delete(format!("{name}r")).await;
    result.expect("volume scenario");
}

#[tokio::test]
async fn pool_create_save_patch_delete() {
    let _pools = POOL_CHANGES.lock().await;
    let client = client();
    let name = unique("pool");
    let pools = client.storage_pools();
    let result: lxd_models::Result<()> = async {
        let pool = pools
            .create(json!({"name": name, "driver": "dir", "config": {}}))
            .await?;
        assert_eq!(pool.driver().as_deref(), Some("dir"));
        assert!(pool.used_by().is_empty());
        pool.set("description", "my pool");
        lxd_models::save(&pool).await?;
        let fresh = Client::unix(crate::support::lxd_socket())?
            .storage_pools()
            .get(&name)
            .await?;
        assert_eq!(fresh.description().as_deref(), Some("my pool"));
        lxd_models::patch(&pool, json!({"description": "patched"})).await?;
        assert_eq!(pool.description().as_deref(), Some("patched"));
        lxd_models::delete(&pool).await?;
        assert!(!pools.exists(&name).await?);
        Ok(())
    }
    .await;
    let _ = pools.delete(name.as_str()).await;
    result.expect("pool scenario");
}
