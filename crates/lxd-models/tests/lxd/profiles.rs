//! Profiles: full lifecycle, edits, ETag conflicts, identity, rename.

use lxd_models::{Client, Error, Handle, Model, patch, rollback, save, sync};
use serde_json::json;

use crate::support::{client, lxd_socket, remove_profile, unique};

#[tokio::test]
async fn profile_lifecycle_and_edits() {
    let client = client();
    let name = unique("prof");
    let result = lifecycle(&client, &name).await;
    remove_profile(&client, &name).await;
    remove_profile(&client, &format!("{name}-r")).await;
    result.expect("profile lifecycle");
}

async fn lifecycle(client: &Client, name: &str) -> lxd_models::Result<()> {
    let profiles = client.profiles();
    let created = profiles
        .create(
            json!({"name": name, "description": "first", "config": {"user.a": "1"}, "devices": {}}),
        )
        .await?;
    assert_eq!(created.description().as_deref(), Some("first"));
    assert_eq!(
        created.config().get("user.a").map(String::as_str),
        Some("1")
    );
    assert!(created.etag().is_some(), "a fetched object keeps its ETag");

    // The same URL gives the same object while a handle lives.
    let again = profiles.get(name).await?;
    assert!(Handle::ptr_eq(&created, &again));
    let listed = profiles.list().await?;
    let from_list = listed.iter().find(|p| p.name() == name).expect("listed");
    assert!(Handle::ptr_eq(&created, from_list));
    assert!(profiles.names().await?.iter().any(|n| n == name));
    assert!(profiles.exists(name).await?);

    // Unknown and nested fields stay reachable.
    assert_eq!(
        created.pointer::<String>("/config/user.a").as_deref(),
        Some("1")
    );
    assert!(created.get::<Vec<String>>("used_by").is_some());

    // Local edits: tracked per key, seen through every handle, kept by sync, dropped by rollback.
    created.set_config("user.b", "2");
    assert_eq!(again.config().get("user.b").map(String::as_str), Some("2"));
    assert_eq!(created.dirty_keys(), ["config"]);
    sync(&created).await?;
    assert_eq!(
        created.config().get("user.b").map(String::as_str),
        Some("2")
    );
    rollback(&created).await?;
    assert!(!created.config().contains_key("user.b"));
    assert!(!created.is_dirty());

    // Save writes the whole object and refreshes the ETag.
    let before = created.etag();
    created.set("description", "second");
    created.set_config("user.c", "3");
    save(&created).await?;
    assert!(!created.is_dirty());
    assert_ne!(created.etag(), before);
    let other = Client::unix(lxd_socket())?.profiles().get(name).await?;
    assert_eq!(other.description().as_deref(), Some("second"));
    assert_eq!(other.config().get("user.c").map(String::as_str), Some("3"));

    // Patch merges and removes with null.
    patch(&created, json!({"config": {"user.a": null, "user.d": "4"}})).await?;
    let config = created.config();
    assert!(!config.contains_key("user.a"));
    assert_eq!(config.get("user.c").map(String::as_str), Some("3"));
    assert_eq!(config.get("user.d").map(String::as_str), Some("4"));

    // Rename re-keys the identity map: the old name is gone, the new name is the same object.
    let renamed = format!("{name}-r");
    created.rename(&renamed).await?;
    assert_eq!(created.name(), renamed);
    let by_new_name = profiles.get(&renamed).await?;
    assert!(Handle::ptr_eq(&created, &by_new_name));
    assert!(profiles.get(name).await.is_err_and(|e| e.is_not_found()));

    // Delete evicts and the server forgets it.
    lxd_models::delete(&created).await?;
    assert!(!profiles.exists(&renamed).await?);
    Ok(())
}

#[tokio::test]
async fn concurrent_saves_give_a_conflict_and_lose_nothing() {
    let name = unique("conflict");
    // Two clients = two processes' worth of identity maps: two distinct objects.
    let alice = Client::unix(lxd_socket()).expect("client");
    let bob = Client::unix(lxd_socket()).expect("client");
    let result: lxd_models::Result<()> = async {
        alice
            .profiles()
            .create(json!({"name": name, "config": {}}))
            .await?;
        let a = alice.profiles().get(&name).await?;
        let b = bob.profiles().get(&name).await?;
        a.set_config("user.who", "alice");
        save(&a).await?;
        b.set_config("user.who", "bob");
        let err = save(&b).await.expect_err("bob's copy is stale");
        assert!(matches!(err, Error::Conflict { .. }), "{err}");
        assert!(
            err.to_string().contains("ETag"),
            "lxd's message is kept: {err}"
        );
        // Alice's write survived.
        let now = alice.profiles().get(&name).await?;
        assert_eq!(
            now.config().get("user.who").map(String::as_str),
            Some("alice")
        );
        // Bob syncs (keeping his edit) and saves again.
        sync(&b).await?;
        save(&b).await?;
        rollback(&a).await?;
        assert_eq!(a.config().get("user.who").map(String::as_str), Some("bob"));
        Ok(())
    }
    .await;
    remove_profile(&alice, &name).await;
    result.expect("conflict scenario");
}

#[tokio::test]
async fn listed_objects_detect_concurrent_changes_too() {
    let name = unique("listed");
    let alice = Client::unix(lxd_socket()).expect("client");
    let bob = Client::unix(lxd_socket()).expect("client");
    let result: lxd_models::Result<()> = async {
        alice
            .profiles()
            .create(json!({"name": name, "config": {"user.x": "0"}}))
            .await?;
        let listed = bob.profiles().list().await?;
        let b = listed
            .into_iter()
            .find(|p| p.name() == name)
            .expect("listed");
        assert!(b.etag().is_none(), "recursion lists carry no ETag");
        let a = alice.profiles().get(&name).await?;
        a.set_config("user.x", "alice");
        save(&a).await?;
        b.set("description", "bob");
        let err = save(&b).await.expect_err("config changed since the list");
        assert!(err.is_conflict(), "{err}");
        Ok(())
    }
    .await;
    remove_profile(&alice, &name).await;
    result.expect("listed conflict scenario");
}

#[tokio::test]
async fn identity_is_weak_and_per_project() {
    let client = client();
    let default = client
        .profiles()
        .get("default")
        .await
        .expect("default profile");
    let again = client
        .profiles()
        .get("default")
        .await
        .expect("default profile");
    assert!(Handle::ptr_eq(&default, &again));
    let scoped = client
        .project("default")
        .profiles()
        .get("default")
        .await
        .expect("default profile");
    assert!(
        Handle::ptr_eq(&default, &scoped),
        "no project and `default` are one scope"
    );
    let url = default.url();
    assert_eq!(client.live_objects(), 1);
    drop((default, again, scoped));
    assert_eq!(
        client.live_objects(),
        0,
        "the map never keeps objects alive"
    );
    let fresh = client
        .profiles()
        .get("default")
        .await
        .expect("default profile");
    assert_eq!(fresh.url(), url);
    assert!(fresh.handle().etag().is_some());
}
