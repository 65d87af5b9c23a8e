//! Call history: bounded, masked, and never holding the password.

use dyn_sim::DEFAULT_PASSWORD;
use serde_json::json;
use session_core::MASK;

use crate::support::{builder, simulator};

#[tokio::test]
async fn history_records_calls_with_secrets_masked() {
    let sim = simulator().await;
    let session = builder(&sim).history(3).log_in_detached().await.unwrap();
    session
        .get("/Session/", json!({"detail": "Y"}))
        .await
        .unwrap();
    // A nested secret in arguments is masked too (the simulator ignores unknown arguments).
    session
        .put("/Session/", json!({"tsig": {"secret": "c2VjcmV0"}}))
        .await
        .unwrap();

    let history = session.history();
    assert_eq!(history.len(), 3);
    let login = &history[0];
    assert_eq!(login.method().as_str(), "POST");
    assert_eq!(login.uri(), "/REST/Session/");
    assert_eq!(login.args()["password"], MASK);
    assert_eq!(login.args()["user_name"], "alice");
    assert_eq!(login.status(), "success");
    assert_eq!(login.http_status(), Some(200));
    assert_eq!(history[1].args(), &json!({"detail": "Y"}));
    assert_eq!(history[2].args()["tsig"]["secret"], MASK);

    let everything = format!("{history:?} {session:?}");
    assert!(!everything.contains(DEFAULT_PASSWORD), "{everything}");
    let token = sim.requests_raw()[0].json_response().unwrap()["data"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !everything.contains(&token),
        "the token must not show either"
    );

    // Bounded: one more call pushes the log-in out.
    session.get("/Session/", json!({})).await.unwrap();
    let history = session.history();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].method().as_str(), "GET");
    session.clear_history();
    assert!(session.history().is_empty());
}

#[tokio::test]
async fn history_is_off_by_default() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    session.get("/Session/", json!({})).await.unwrap();
    assert!(session.history().is_empty());
}
