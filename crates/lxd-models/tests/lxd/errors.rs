//! Errors carry LXD's message and the right type.

use std::time::Duration;

use lxd_models::{Client, Error};
use serde_json::json;

use crate::support::{client, remove_profile, unique};

#[tokio::test]
async fn typed_errors_with_lxd_messages() {
    let client = client();

    let err = client
        .profiles()
        .get("no-such-profile")
        .await
        .expect_err("missing");
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().contains("/1.0/profiles/no-such-profile"),
        "{err}"
    );

    let err = client
        .project("no-such-project")
        .profiles()
        .list()
        .await
        .expect_err("missing project");
    assert!(err.is_not_found(), "{err}");

    // LXD 5.0 answers a duplicate create with 500; it is still typed as already-exists.
    let name = unique("dup");
    client
        .profiles()
        .create(json!({"name": name}))
        .await
        .expect("first create");
    let err = client
        .profiles()
        .create(json!({"name": name}))
        .await
        .expect_err("duplicate");
    assert!(err.is_already_exists(), "{err}");

    let err = client
        .profiles()
        .create(json!({"name": format!("{name}x"), "config": {"no.such.key": "1"}}))
        .await
        .expect_err("invalid config key");
    match &err {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(*status, 400);
            assert!(message.contains("no.such.key"), "{message}");
        }
        other => panic!("expected Api error, got {other}"),
    }
    remove_profile(&client, &name).await;

    // A trailing slash is a 404 on LXD; the builder never makes one, the raw API shows it.
    let raw = client
        .raw()
        .get(&lxd_models::ApiUrl::parse("/1.0/profiles/").expect("url"))
        .await;
    assert_eq!(
        raw.expect("raw answer").status,
        200,
        "parse strips the trailing slash"
    );

    let err = client.profiles().get("").await.expect_err("empty name");
    assert!(
        matches!(err, Error::NotFound { .. } | Error::Api { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn transport_errors_are_typed() {
    let dir = std::env::temp_dir().join(unique("nosock"));
    let client = Client::builder()
        .unix_socket(dir.join("unix.socket"))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let err = client.server().await.expect_err("no daemon there");
    assert!(matches!(err, Error::Transport(_)), "{err}");
}
