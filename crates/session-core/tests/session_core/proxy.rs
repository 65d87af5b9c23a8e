//! Sessions through an HTTP proxy with Basic authentication.

use std::sync::{Arc, Mutex};

use serde_json::json;
use session_core::{ProxyConfig, Session, SessionState};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{builder, count, simulator};

/// A forwarding HTTP proxy for plain-HTTP targets: pipes every connection to `target` and
/// keeps a copy of what clients sent (request lines in absolute form, proxy headers).
async fn forwarding_proxy(target: std::net::SocketAddr) -> (u16, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let server = TcpStream::connect(target).await.unwrap();
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                });
                let mut buffer = [0_u8; 8192];
                while let Ok(n) = client_read.read(&mut buffer).await {
                    if n == 0 || server_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                    log.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
            });
        }
    });
    (port, seen)
}

#[tokio::test]
async fn calls_go_through_the_proxy_with_basic_auth() {
    let sim = simulator().await;
    let (proxy_port, seen) = forwarding_proxy(sim.addr()).await;
    let proxy = ProxyConfig::new("127.0.0.1", proxy_port).with_basic_auth("puser", "ppass");
    assert!(!format!("{proxy:?}").contains("ppass"));
    let session = builder(&sim).proxy(proxy).log_in_detached().await.unwrap();
    session.get("/Session/", json!({})).await.unwrap();

    let sent = String::from_utf8_lossy(&seen.lock().unwrap()).to_lowercase();
    let origin = format!("http://127.0.0.1:{}/rest/session/", sim.port());
    assert!(sent.contains(&format!("post {origin} http/1.1")), "{sent}");
    assert!(sent.contains(&format!("get {origin} http/1.1")), "{sent}");
    // base64("puser:ppass"), correctly encoded (dyn-python sent `Basic b'...'`).
    assert!(
        sent.contains("proxy-authorization: basic chvzzxi6chbhc3m="),
        "{sent}"
    );

    // The proxy password is sealed in the stored state and comes back on restore.
    let stored = serde_json::to_string(&session.to_state().unwrap()).unwrap();
    assert!(!stored.contains("ppass"), "{stored}");
    let state: SessionState = serde_json::from_str(&stored).unwrap();
    seen.lock().unwrap().clear();
    let restored = Session::restore_detached(
        session_core::DynTm,
        state,
        session.credentials().key().clone(),
    )
    .unwrap();
    restored.get("/Session/", json!({})).await.unwrap();
    let sent = String::from_utf8_lossy(&seen.lock().unwrap()).to_lowercase();
    assert!(
        sent.contains("proxy-authorization: basic chvzzxi6chbhc3m="),
        "{sent}"
    );
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 2);
}
