//! Message Management: the API key on every call, form bodies, MM's envelope and statuses.

use dyn_sim::{DEFAULT_APIKEY, Simulator};
use serde_json::json;
use session_core::{Credentials, DynMm, FailureKind, Session};

use crate::support::{endpoint, simulator};

async fn mm_session(sim: &Simulator, api_key: &str) -> Session<DynMm> {
    Session::builder(DynMm, endpoint(sim), Credentials::api_key(api_key).unwrap())
        .history(8)
        .log_in_detached()
        .await
        .unwrap()
}

#[tokio::test]
async fn send_and_report_with_the_api_key() {
    let sim = simulator().await;
    let session = mm_session(&sim, DEFAULT_APIKEY).await;
    assert!(sim.requests_raw().is_empty(), "MM has no log-in call");

    let message = json!({
        "from": "sender@example.com",
        "to": ["a@example.org", "b@example.org"],
        "subject": "hello",
        "bodytext": "plain body",
    });
    session.post("/send", message).await.unwrap();
    let sent = &sim.mm_messages(DEFAULT_APIKEY)[0];
    assert_eq!(
        sent["to"],
        json!(["a@example.org", "b@example.org"]),
        "arrays repeat the field"
    );

    let range = json!({"starttime": "2000-01-01", "endtime": "2100-01-01"});
    let count = session
        .get("/reports/delivered/count", range)
        .await
        .unwrap();
    assert_eq!(count.data()["count"], 2);

    let requests = sim.requests_raw();
    let post = &requests[0];
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/rest/json/send")
    );
    assert_eq!(
        post.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(post.body.contains("apikey=mm-test-apikey"));
    let get = &requests[1];
    assert!(
        get.query
            .as_deref()
            .is_some_and(|query| query.contains("apikey=mm-test-apikey"))
    );

    let history = session.history();
    assert_eq!(history.len(), 2);
    assert!(
        !format!("{history:?}").contains(DEFAULT_APIKEY),
        "the key never reaches history"
    );
}

#[tokio::test]
async fn mm_statuses_are_classified() {
    let sim = simulator().await;
    let wrong = mm_session(&sim, "not-the-key").await;
    let error = wrong.get("/senders", json!({})).await.unwrap_err();
    let api = error.api_error().unwrap();
    assert_eq!(
        (api.status(), api.kind()),
        (451, FailureKind::AuthenticationFailed)
    );
    assert_eq!(api.envelope_status(), "451");

    let session = mm_session(&sim, DEFAULT_APIKEY).await;
    let error = session
        .post("/send", json!({"from": "sender@example.com", "to": "not-an-address", "subject": "s", "bodytext": "b"}))
        .await
        .unwrap_err();
    let api = error.api_error().unwrap();
    assert_eq!((api.status(), api.kind()), (452, FailureKind::Validation));
    assert_eq!(
        api.messages()[0].info(),
        Some("Missing or invalid required fields: to")
    );

    let error = session.get("/nothing/here", json!({})).await.unwrap_err();
    assert!(error.api_error().unwrap().is_not_found());
}
