//! Images: import with progress, aliases, export round trip, delete.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lxd_models::{Handle, ImportOptions};
use sha2::{Digest, Sha256};

use crate::support::{client, unique};

/// Builds a tiny unified image (metadata + empty rootfs) with the system `tar`.
fn tiny_image(dir: &std::path::Path, description: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("rootfs")).expect("image dir");
    let metadata = format!(
        "architecture: x86_64\ncreation_date: 1700000000\nproperties:\n  description: {description}\n  os: test\n"
    );
    std::fs::write(dir.join("metadata.yaml"), metadata).expect("metadata");
    let tarball = dir.join("image.tar.gz");
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&tarball)
        .arg("-C")
        .arg(dir)
        .args(["metadata.yaml", "rootfs"])
        .status()
        .expect("tar runs");
    assert!(status.success());
    tarball
}

#[tokio::test]
async fn import_alias_export_delete() {
    let client = client();
    let alias = unique("img");
    let dir = std::env::temp_dir().join(&alias);
    let tarball = tiny_image(&dir, &alias);
    let expected = hex::encode(Sha256::digest(std::fs::read(&tarball).expect("tarball")));

    let seen = Arc::new(AtomicU64::new(0));
    let progress = Arc::clone(&seen);
    let options = ImportOptions {
        aliases: vec![alias.clone()],
        public: false,
    };
    let result: lxd_models::Result<()> = async {
        let image = client
            .images()
            .import(&tarball, &options, move |sent, total| {
                assert!(sent <= total);
                progress.store(sent, Ordering::Relaxed);
            })
            .await?;
        assert_eq!(
            image.fingerprint(),
            expected,
            "a unified image's fingerprint is its sha256"
        );
        assert_eq!(
            seen.load(Ordering::Relaxed),
            std::fs::metadata(&tarball)?.len(),
            "progress reached the end"
        );
        assert_eq!(image.alias_names(), std::slice::from_ref(&alias));
        assert_eq!(image.properties().get("description"), Some(&alias));

        let by_alias = client.images().by_alias(&alias).await?;
        assert!(Handle::ptr_eq(&by_alias, &image));
        assert!(
            client
                .images()
                .list()
                .await?
                .iter()
                .any(|i| Handle::ptr_eq(i, &image))
        );
        let aliases = client.image_aliases();
        assert_eq!(aliases.get(&alias).await?.target(), Some(expected.clone()));

        let mut exported = Vec::new();
        let written = image.export_to(&mut exported).await?;
        assert_eq!(written as usize, exported.len());
        assert_eq!(hex::encode(Sha256::digest(&exported)), expected);

        aliases.delete(alias.as_str()).await?;
        assert!(!aliases.exists(&alias).await?);
        lxd_models::delete(&image).await?;
        assert!(!client.images().exists(&expected).await?);
        Ok(())
    }
    .await;
    // Cleanup whatever the outcome.
    let _ = client.images().delete(expected.as_str()).await;
    let _ = std::fs::remove_dir_all(&dir);
    result.expect("image scenario");
}

#[tokio::test]
async fn busybox_image_is_there() {
    let client = client();
    let image = client
        .images()
        .by_alias("busybox")
        .await
        .expect("busybox alias");
    assert_eq!(image.image_type().as_deref(), Some("container"));
    assert!(image.size().is_some_and(|s| s > 0));
}
