//! HTTPS with a client certificate: trust by password, pinned fingerprint, CA, websockets over TLS.

use lxd_models::{Client, ClientIdentity, Error, ServerVerification};
use serde_json::{Value, json};

use crate::support::{client, make_identity, remove_instance, unique};

/// A profile used as a mutex: the HTTPS test changes server-wide settings, so concurrent runs
/// of this test (other checkouts, CI) against the same daemon take turns.
const LOCK: &str = "t-lxd-models-https-lock";

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

async fn acquire_lock(client: &Client) -> lxd_models::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    loop {
        let spec = json!({"name": LOCK, "description": now_secs().to_string()});
        match client.profiles().create(spec).await {
            Ok(_) => return Ok(()),
            Err(e) if e.is_already_exists() => {}
            Err(e) => return Err(e),
        }
        // A holder that died without releasing: its lock is older than any run takes.
        if let Ok(held) = client.profiles().get(LOCK).await {
            let since: u64 = held
                .description()
                .and_then(|d| d.parse().ok())
                .unwrap_or_default();
            if now_secs().saturating_sub(since) > 120 {
                let _ = client.profiles().delete(LOCK).await;
                continue;
            }
        }
        if std::time::Instant::now() > deadline {
            return Err(Error::Timeout("waiting for the https test lock".to_owned()));
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn https_with_client_certificate() {
    let local = client();
    let port = free_port();
    let password = unique("pw");
    let dir = std::env::temp_dir().join(unique("tls"));
    let identity = make_identity(&dir);
    let fingerprint = identity.fingerprint().expect("fingerprint");
    let container = unique("tls");

    acquire_lock(&local).await.expect("https test lock");
    let enable = json!({"config": {"core.https_address": format!("127.0.0.1:{port}"), "core.trust_password": password}});
    let enabled = local
        .raw()
        .patch(&local.url(), &enable)
        .await
        .expect("enable https");
    assert_eq!(enabled.status, 200, "{:?}", enabled.envelope());

    let result = scenario(&local, port, &password, &identity, &container).await;

    // Cleanup on every path: the container, the trust entry, the listener and the password.
    remove_instance(&local, &container).await;
    let _ = local.certificates().delete(fingerprint.as_str()).await;
    let disable = json!({"config": {"core.https_address": "", "core.trust_password": ""}});
    let _ = local.raw().patch(&local.url(), &disable).await;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = local.profiles().delete(LOCK).await;
    result.expect("https scenario");
}

async fn scenario(
    local: &Client,
    port: u16,
    password: &str,
    identity: &ClientIdentity,
    container: &str,
) -> lxd_models::Result<()> {
    let server = local.server().await?;
    let server_pem = server
        .pointer("/environment/certificate")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let server_fp = server
        .pointer("/environment/certificate_fingerprint")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = format!("https://127.0.0.1:{port}/");

    // Server verification is never implicitly off.
    let err = Client::builder()
        .https(&url)
        .identity(identity.clone())
        .build()
        .expect_err("no verification given");
    assert!(matches!(err, Error::Config(_)), "{err}");

    // A wrong pin fails the handshake with a transport error.
    let wrong = Client::builder()
        .https(&url)
        .identity(identity.clone())
        .verify(ServerVerification::Fingerprint("00".repeat(32)))
        .build()?;
    let err = wrong.server().await.expect_err("pin mismatch");
    assert!(matches!(err, Error::Transport(_)), "{err}");

    // Pinned fingerprint: untrusted at first, refused with a wrong password, trusted after.
    let remote = Client::builder()
        .https(&url)
        .identity(identity.clone())
        .verify(ServerVerification::Fingerprint(server_fp.to_owned()))
        .build()?;
    // The daemon opens the listener in the background after the config change.
    let mut attempts = 0;
    let trusted = loop {
        match remote.trusted().await {
            Err(Error::Transport(_)) if attempts < 50 => attempts += 1,
            other => break other?,
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(!trusted);
    let err = remote
        .authenticate("not-the-password")
        .await
        .expect_err("wrong password");
    assert!(matches!(err, Error::Api { status: 403, .. }), "{err}");
    remote.authenticate(password).await?;
    assert!(remote.trusted().await?);
    let trusted = local.certificates().get(&identity.fingerprint()?).await?;
    assert_eq!(trusted.cert_type().as_deref(), Some("client"));

    // CA verification with the server's own certificate (its names include 127.0.0.1).
    let by_ca = Client::builder()
        .https(&url)
        .identity(identity.clone())
        .verify(ServerVerification::CaPem(server_pem.to_owned()))
        .build()?;
    assert!(by_ca.trusted().await?);
    assert!(
        by_ca
            .profiles()
            .names()
            .await?
            .iter()
            .any(|n| n == "default")
    );

    // Websockets use the same TLS identity: exec over wss.
    let instance = remote
        .instances()
        .create_from_alias(container, "busybox")
        .await?;
    instance.start().await?;
    let out = instance.exec(["echo", "over tls"]).run().await?;
    assert_eq!(out.stdout_text(), "over tls\n");
    instance.delete_force().await?;
    Ok(())
}
