//! Sessions through a real HTTP proxy (tinyproxy, started per test) with Basic authentication.

use dyn_sim::Simulator;
use serde_json::json;
use session_core::{Error, ProxyConfig, Session, SessionState, TransportErrorKind};
use test_support::proxy::Tinyproxy;

use crate::support::{builder, count, simulator};

fn origin(sim: &Simulator) -> String {
    format!("http://127.0.0.1:{}/REST/Session/", sim.port())
}

/// How many requests tinyproxy forwarded as `method url`.
fn forwarded(proxy: &Tinyproxy, method: &str, url: &str) -> usize {
    proxy
        .log()
        .lines()
        .filter(|line| line.contains("Request (file descriptor"))
        .filter(|line| line.ends_with(&format!(": {method} {url} HTTP/1.1")))
        .count()
}

#[tokio::test]
async fn calls_go_through_the_proxy_with_basic_auth() {
    let sim = simulator().await;
    let tinyproxy = Tinyproxy::start_with_basic_auth("puser", "ppass");
    let proxy = ProxyConfig::new("127.0.0.1", tinyproxy.port()).with_basic_auth("puser", "ppass");
    assert!(!format!("{proxy:?}").contains("ppass"));
    let session = builder(&sim).proxy(proxy).log_in_detached().await.unwrap();
    session.get("/Session/", json!({})).await.unwrap();

    let origin = origin(&sim);
    let log = tinyproxy.log();
    assert_eq!(forwarded(&tinyproxy, "POST", &origin), 1, "{log}");
    assert_eq!(forwarded(&tinyproxy, "GET", &origin), 1, "{log}");
    assert!(!log.contains("ppass"), "{log}");

    // The proxy password is sealed in the stored state and comes back on restore: tinyproxy
    // only forwards the restored session's call if it presents the same credentials.
    let stored = serde_json::to_string(&session.to_state().unwrap()).unwrap();
    assert!(!stored.contains("ppass"), "{stored}");
    let state: SessionState = serde_json::from_str(&stored).unwrap();
    let restored = Session::restore_detached(
        session_core::DynTm,
        state,
        session.credentials().key().clone(),
    )
    .unwrap();
    restored.get("/Session/", json!({})).await.unwrap();
    assert_eq!(
        forwarded(&tinyproxy, "GET", &origin),
        2,
        "{}",
        tinyproxy.log()
    );
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 2);
}

#[tokio::test]
async fn a_wrong_proxy_password_is_a_typed_error() {
    let sim = simulator().await;
    let tinyproxy = Tinyproxy::start_with_basic_auth("puser", "ppass");
    let proxy = ProxyConfig::new("127.0.0.1", tinyproxy.port()).with_basic_auth("puser", "wrong");
    let error = builder(&sim)
        .proxy(proxy)
        .log_in_detached()
        .await
        .unwrap_err();
    // tinyproxy answers 401 and closes without reading the login body, so the client sees
    // either that answer or the reset that cuts it off; both are typed, neither is a timeout.
    match &error {
        Error::InvalidResponse(invalid) => {
            assert!(matches!(invalid.status(), 401 | 407), "{error:?}");
        }
        Error::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Other, "{error:?}");
        }
        other => panic!("expected a proxy refusal, got {other:?}"),
    }
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 0);
    assert_eq!(
        forwarded(&tinyproxy, "POST", &origin(&sim)),
        1,
        "{}",
        tinyproxy.log()
    );
}
