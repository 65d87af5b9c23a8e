//! Log-in, headers, log-out.

use serde_json::json;
use session_core::{Error, FailureKind};

use crate::support::{builder, builder_for, count, simulator};

#[tokio::test]
async fn log_in_sends_token_header_and_log_out_ends_the_session() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    assert!(session.is_logged_in());
    assert_eq!(sim.session_count(), 1);

    let alive = session.get("/Session/", json!({})).await.unwrap();
    assert!(alive.job_id().is_some());

    let requests = sim.requests_raw();
    let login = &requests[0];
    assert_eq!(
        (login.method.as_str(), login.path.as_str()),
        ("POST", "/REST/Session/")
    );
    assert_eq!(login.header("auth-token"), None);
    assert_eq!(login.header("api-version"), Some("current"));
    assert_eq!(login.header("content-type"), Some("application/json"));
    assert_eq!(login.json_body().unwrap()["user_name"], "alice");
    let token = login.json_response().unwrap()["data"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let verify = &requests[1];
    assert_eq!(
        (verify.method.as_str(), verify.path.as_str()),
        ("GET", "/REST/Session/")
    );
    assert_eq!(verify.header("auth-token"), Some(token.as_str()));
    assert!(
        verify
            .header("user-agent")
            .unwrap()
            .starts_with("opskit-session-core/")
    );

    // Keep-alive: every request of the session came over one TCP connection.
    session.keep_alive().await.unwrap();
    let clients: std::collections::HashSet<_> =
        sim.requests_raw().iter().map(|r| r.client).collect();
    assert_eq!(clients.len(), 1, "{clients:?}");

    session.log_out().await.unwrap();
    assert!(!session.is_logged_in());
    assert_eq!(sim.session_count(), 0);
    assert_eq!(count(&sim, "DELETE", "/REST/Session/"), 1);
    assert!(matches!(
        session.get("/Session/", json!({})).await,
        Err(Error::NotLoggedIn)
    ));
}

#[tokio::test]
async fn keep_alive_uses_put_session() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    session.keep_alive().await.unwrap();
    assert_eq!(count(&sim, "PUT", "/REST/Session/"), 1);
}

#[tokio::test]
async fn wrong_password_is_a_typed_authentication_failure() {
    let sim = simulator().await;
    let error = builder_for(&sim, "acme", "alice", "wrong")
        .log_in()
        .await
        .unwrap_err();
    let api = error.api_error().expect("an api error");
    assert_eq!(api.kind(), FailureKind::AuthenticationFailed);
    assert_eq!(api.status(), 400);
    assert!(
        api.messages()
            .iter()
            .any(|m| m.info().is_some_and(|i| i.starts_with("login:")))
    );
}

#[tokio::test]
async fn built_session_needs_log_in_first() {
    let sim = simulator().await;
    let session = builder(&sim).build().unwrap();
    assert!(matches!(
        session.get("/Session/", json!({})).await,
        Err(Error::NotLoggedIn)
    ));
    session.log_in().await.unwrap();
    session.get("/Session/", json!({})).await.unwrap();
    assert!(
        sim.requests_raw()
            .iter()
            .all(|r| r.path == "/REST/Session/")
    );
}
