//! Server info, networks, certificates, operations, warnings, cluster, raw API.

use std::time::Duration;

use lxd_models::{Envelope, Error, Handle, Method};
use serde_json::{Value, json};

use crate::support::{client, make_identity, remove_instance, unique};

#[tokio::test]
async fn server_and_read_only_managers() {
    let client = client();
    let server = client.server().await.expect("GET /1.0");
    assert_eq!(server["api_version"], "1.0");
    assert!(
        client
            .has_api_extension("projects")
            .await
            .expect("extensions")
    );
    assert!(
        !client
            .has_api_extension("no-such-extension")
            .await
            .expect("extensions")
    );

    let networks = client.networks().list().await.expect("networks");
    let lo = networks
        .iter()
        .find(|n| n.name() == "lo")
        .expect("loopback is listed");
    assert_eq!(lo.network_type().as_deref(), Some("loopback"));
    assert!(!lo.managed());
    assert!(Handle::ptr_eq(
        &client.networks().get("lo").await.expect("lo"),
        lo
    ));

    client.warnings().list().await.expect("warnings list");
    client.operations().list().await.expect("operations list");
    let err = client
        .cluster_members()
        .list()
        .await
        .expect_err("standalone server");
    assert!(err.to_string().contains("not clustered"), "{err}");
}

#[tokio::test]
async fn certificates_lifecycle() {
    let client = client();
    // A certificate of our own, so that concurrent runs never share a fingerprint.
    let dir = std::env::temp_dir().join(unique("certs"));
    let identity = make_identity(&dir);
    let pem = String::from_utf8_lossy(identity.cert_pem()).into_owned();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let fingerprint = identity.fingerprint().expect("fingerprint");
    let fingerprint = fingerprint.as_str();
    let name = unique("cert");
    let result: lxd_models::Result<()> = async {
        let cert = client
            .certificates()
            .create(json!({"name": name, "type": "client", "certificate": body, "fingerprint": fingerprint}))
            .await?;
        assert_eq!(cert.fingerprint(), fingerprint);
        assert_eq!(cert.cert_name(), Some(name.clone()));
        assert_eq!(cert.cert_type().as_deref(), Some("client"));
        assert!(client.certificates().names().await?.iter().any(|f| f == fingerprint));
        lxd_models::delete(&cert).await?;
        assert!(!client.certificates().exists(fingerprint).await?);
        Ok(())
    }
    .await;
    let _ = client.certificates().delete(fingerprint).await;
    let _ = std::fs::remove_dir_all(&dir);
    result.expect("certificate scenario");
}

#[tokio::test]
async fn operations_and_raw_api() {
    let client = client();
    let name = unique("op");
    let result: lxd_models::Result<()> = async {
        // An instance without rootfs image: cheap to create, and stopping it fails.
        let created = client
            .raw()
            .post(
                &client.url().instances(),
                &json!({"name": name, "source": {"type": "none"}}),
            )
            .await?;
        assert_eq!(created.status, 202);
        let Some(Envelope::Async { operation, .. }) = created.envelope() else {
            panic!("async answer")
        };
        let finished = client.raw().finish(&created).await?;
        assert_eq!(finished["status"], "Success");
        assert!(operation.starts_with("/1.0/operations/"));

        let url = client.url().instances().name(&name).segment("state");
        let stop = client
            .raw()
            .put(&url, &json!({"action": "stop", "force": true}))
            .await?;
        let id = stop.json::<Value>()?["metadata"]["id"]
            .as_str()
            .expect("operation id")
            .to_owned();
        let op = client.operations().get(&id).await?;
        assert_eq!(op.class().as_deref(), Some("task"));
        let err = op
            .wait(Some(Duration::from_secs(10)))
            .await
            .expect_err("already stopped");
        match &err {
            Error::OperationFailed { operation, message } => {
                assert_eq!(operation, &id);
                assert!(message.contains("already stopped"), "{message}");
            }
            other => panic!("expected an operation failure, got {other}"),
        }

        let raw = client
            .raw()
            .get(&client.url().instances().name(&name))
            .await?;
        assert_eq!(raw.status, 200);
        assert!(raw.etag.is_some());
        assert_eq!(raw.header("content-type"), Some("application/json"));
        let del = client
            .raw()
            .request(Method::DELETE, &client.url().instances().name(&name), None)
            .await?;
        client.raw().finish(&del).await?;
        Ok(())
    }
    .await;
    remove_instance(&client, &name).await;
    result.expect("operations scenario");
}
