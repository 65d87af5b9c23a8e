//! Instances: lifecycle, state, relations, snapshots, exec and files on a busybox container.

use lxd_models::{Client, Error, FileKind, FileOptions, Handle, RefKind, save};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::{client, remove_instance, remove_profile, unique};

/// Creates and starts a busybox container with an extra profile.
async fn running_container(
    client: &Client,
    name: &str,
    profile: &str,
) -> lxd_models::Result<lxd_models::Instance> {
    client
        .profiles()
        .create(json!({"name": profile, "config": {"user.p": "1"}}))
        .await?;
    let instance = client
        .instances()
        .create(json!({
            "name": name,
            "type": "container",
            "profiles": ["default", profile],
            "source": {"type": "image", "alias": "busybox"},
        }))
        .await?;
    instance.start().await?;
    Ok(instance)
}

#[tokio::test]
async fn container_lifecycle_relations_and_snapshots() {
    let client = client();
    let name = unique("ct");
    let profile = unique("ctp");
    let result = lifecycle(&client, &name, &profile).await;
    remove_instance(&client, &name).await;
    remove_profile(&client, &profile).await;
    result.expect("container lifecycle");
}

async fn lifecycle(client: &Client, name: &str, profile: &str) -> lxd_models::Result<()> {
    let instance = running_container(client, name, profile).await?;
    assert_eq!(instance.status().as_deref(), Some("Running"));
    assert!(instance.is_running());
    assert_eq!(instance.instance_type().as_deref(), Some("container"));
    let state = instance.state().await?;
    assert!(state["pid"].as_i64().is_some_and(|pid| pid > 0), "{state}");

    // Relations are models: the instance's profiles in order, the profile's users.
    let profiles = instance.profiles().await?;
    let names: Vec<String> = profiles.iter().map(|p| p.name()).collect();
    assert_eq!(names, ["default", profile]);
    let used_by = profiles[1].used_by();
    assert_eq!(used_by.of_kind(RefKind::Instance).len(), 1);
    let users = used_by.instances().await?;
    assert!(
        Handle::ptr_eq(&users[0], &instance),
        "used_by resolves into the identity map"
    );
    assert_eq!(
        instance.expanded_config().get("user.p").map(String::as_str),
        Some("1")
    );

    // Listing is one request and finds it with full JSON.
    let listed = client.instances().list().await?;
    assert!(listed.iter().any(|i| Handle::ptr_eq(i, &instance)));

    // Instance PUT is asynchronous: save waits for it.
    instance.set_config("user.note", "saved");
    save(&instance).await?;
    let fresh = Client::unix(crate::support::lxd_socket())?
        .instances()
        .get(name)
        .await?;
    assert_eq!(
        fresh.config().get("user.note").map(String::as_str),
        Some("saved")
    );

    // A failing state change surfaces the operation's error.
    let err = instance.start().await.expect_err("already running");
    assert!(
        matches!(err, Error::OperationFailed { .. } | Error::Api { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("already running"), "{err}");

    // Freeze and thaw.
    instance.freeze().await?;
    assert_eq!(instance.status().as_deref(), Some("Frozen"));
    instance.unfreeze().await?;
    assert!(instance.is_running());

    // Snapshots keep every field; rename, restore and delete.
    let snapshots = instance.snapshots();
    let snap = snapshots.create(json!({"name": "s0"})).await?;
    assert_eq!(snap.name(), "s0");
    assert!(
        snap.get::<serde_json::Value>("expanded_config").is_some(),
        "fields pylxd drops are kept"
    );
    assert_eq!(snapshots.names().await?, ["s0"]);
    snap.rename("s1").await?;
    assert_eq!(
        snapshots
            .list()
            .await?
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>(),
        ["s1"]
    );
    instance.stop(true).await?;
    assert_eq!(instance.status().as_deref(), Some("Stopped"));
    instance.restore_snapshot("s1").await?;
    let image = instance.publish(false).await?;
    assert_eq!(image.image_type().as_deref(), Some("container"));
    lxd_models::delete(&image).await?;
    lxd_models::delete(&snap).await?;
    assert!(snapshots.names().await?.is_empty());

    // Rename a stopped instance; the object follows and keeps its identity.
    let renamed = format!("{name}r");
    instance.rename(&renamed).await?;
    let by_new = client.instances().get(&renamed).await?;
    assert!(Handle::ptr_eq(&by_new, &instance));
    instance.rename(name).await?;

    lxd_models::delete(&instance).await?;
    assert!(!client.instances().exists(name).await?);
    Ok(())
}

#[tokio::test]
async fn exec_and_files() {
    let client = client();
    let name = unique("io");
    let profile = unique("iop");
    let result = exec_and_files_in(&client, &name, &profile).await;
    remove_instance(&client, &name).await;
    remove_profile(&client, &profile).await;
    result.expect("exec and files");
}

async fn exec_and_files_in(client: &Client, name: &str, profile: &str) -> lxd_models::Result<()> {
    let instance = running_container(client, name, profile).await?;

    let out = instance.exec(["echo", "hi"]).run().await?;
    assert_eq!(
        (
            out.exit_code,
            out.stdout_text().as_str(),
            out.stderr_text().as_str()
        ),
        (0, "hi\n", "")
    );
    let out = instance
        .exec(["sh", "-c", "echo oops >&2; exit 3"])
        .run()
        .await?;
    assert_eq!((out.exit_code, out.stderr_text().as_str()), (3, "oops\n"));
    let out = instance.exec(["cat"]).stdin("piped input").run().await?;
    assert_eq!(out.stdout_text(), "piped input");
    let out = instance
        .exec(["sh", "-c", "echo $GREETING; pwd"])
        .env("GREETING", "hello")
        .cwd("/tmp")
        .run()
        .await?;
    assert_eq!(out.stdout_text(), "hello\n/tmp\n");

    let files = instance.files();
    files
        .push(
            "/tmp/a.txt",
            "file body",
            FileOptions {
                mode: Some(0o640),
                uid: Some(5),
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(&files.pull("/tmp/a.txt").await?[..], b"file body");
    let info = files.stat("/tmp/a.txt").await?;
    assert_eq!(
        (info.kind, info.mode, info.uid),
        (FileKind::File, Some(0o640), Some(5))
    );
    files
        .push(
            "/tmp/a.txt",
            " more",
            FileOptions {
                append: true,
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(&files.pull("/tmp/a.txt").await?[..], b"file body more");

    files
        .mkdir(
            "/tmp/d",
            FileOptions {
                mode: Some(0o755),
                ..Default::default()
            },
        )
        .await?;
    files.symlink("/tmp/d/link", "/tmp/a.txt").await?;
    assert_eq!(files.stat("/tmp/d").await?.kind, FileKind::Directory);
    assert_eq!(files.stat("/tmp/d/link").await?.kind, FileKind::Symlink);
    assert_eq!(files.list_dir("/tmp/d").await?, ["link"]);
    files.delete("/tmp/d/link").await?;
    files.delete("/tmp/d").await?;
    assert!(files.stat("/tmp/d").await.is_err_and(|e| e.is_not_found()));
    let missing = files.pull("/nope/none").await.expect_err("missing file");
    assert!(missing.is_not_found(), "{missing}");

    // 10 MiB round trip, streamed both ways, checked by hash.
    let dir = std::env::temp_dir().join(unique("files"));
    std::fs::create_dir_all(&dir)?;
    let source = dir.join("big.bin");
    let mut data = vec![0u8; 10 * 1024 * 1024];
    for (i, byte) in data.iter_mut().enumerate() {
        *byte = (i.wrapping_mul(2_654_435_761) >> 13) as u8;
    }
    std::fs::write(&source, &data)?;
    let expected = Sha256::digest(&data);
    drop(data);
    files
        .push_file("/tmp/big.bin", &source, FileOptions::default())
        .await?;
    let sum = instance.exec(["sha256sum", "/tmp/big.bin"]).run().await?;
    assert!(
        sum.stdout_text().starts_with(&hex::encode(expected)),
        "{}",
        sum.stdout_text()
    );
    let mut target = tokio::fs::File::create(dir.join("back.bin")).await?;
    let written = files.pull_to("/tmp/big.bin", &mut target).await?;
    assert_eq!(written, 10 * 1024 * 1024);
    assert_eq!(
        Sha256::digest(std::fs::read(dir.join("back.bin"))?),
        expected
    );
    std::fs::remove_dir_all(&dir)?;

    instance.delete_force().await?;
    Ok(())
}
