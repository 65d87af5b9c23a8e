//! Keys, the current session, retries, failures and history.

use dyn_mm::{Error, MMSession};
use dyn_sim::{DEFAULT_APIKEY, RequestMatch};

use crate::support::{endpoint, mm, mm_requests, mm_with_key, sim};

#[tokio::test]
async fn a_wrong_key_is_a_key_error() {
    let sim = sim().await;
    let session = mm_with_key(&sim, "not-a-key").await;
    let error = session.senders().list().collect_all().await.unwrap_err();
    assert!(error.is_key_error(), "{error:?}");
    assert_eq!(error.mm_status(), Some(451));
    assert_eq!(error.message(), Some("Invalid API Key"));
    let requests = mm_requests(&sim);
    assert_eq!(requests.len(), 1, "a refused key is not retried");
    assert_eq!(requests[0].status, 451);
}

#[tokio::test]
async fn a_missing_key_is_refused_before_anything_is_sent() {
    let sim = sim().await;
    for key in ["", "   "] {
        let error = MMSession::builder(key)
            .endpoint(endpoint(&sim))
            .connect_detached()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidArgument {
                    field: "apikey",
                    ..
                }
            ),
            "{error:?}"
        );
    }
    assert!(mm_requests(&sim).is_empty());
}

#[tokio::test]
async fn the_key_rides_as_a_parameter_and_never_shows() {
    let sim = sim().await;
    let session = mm(&sim).await;
    session.senders().list().collect_all().await.unwrap();
    session
        .suppressions()
        .add(&["x@example.org"])
        .await
        .unwrap();
    let raw = sim.requests_raw();
    let get = raw.iter().find(|r| r.method == "GET").expect("a GET");
    assert!(
        crate::support::values(&crate::support::pairs(get), "apikey") == [DEFAULT_APIKEY],
        "GET carries the key in the query: {:?}",
        get.query
    );
    let post = raw.iter().find(|r| r.method == "POST").expect("a POST");
    assert_eq!(
        post.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        crate::support::values(&crate::support::pairs(post), "apikey"),
        [DEFAULT_APIKEY]
    );

    let debug = format!("{session:?}");
    assert!(!debug.contains(DEFAULT_APIKEY), "{debug}");
    let history = session.history();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].uri(), "/rest/json/senders");
    assert_eq!(history[1].uri(), "/rest/json/suppressions");
    assert!(
        history[1].args().get("apikey").is_none(),
        "the key is attached after history takes its copy"
    );
    assert_eq!(history[1].args()["emailaddress"][0], "x@example.org");
    for record in &history {
        assert!(!record.args().to_string().contains(DEFAULT_APIKEY));
        assert_eq!(record.status(), "success");
    }
}

#[tokio::test]
async fn throttled_calls_are_retried_and_recorded() {
    let sim = sim().await;
    let session = mm(&sim).await;
    sim.rate_limit_next(2, 0);
    let senders = session.senders().list().collect_all().await.unwrap();
    assert_eq!(senders.len(), 1);
    let statuses: Vec<u16> = mm_requests(&sim).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 200]);
    let history: Vec<String> = session
        .history()
        .iter()
        .map(|r| r.status().to_owned())
        .collect();
    assert_eq!(history, ["429", "429", "success"]);
}

#[tokio::test]
async fn retries_are_bounded() {
    let sim = sim().await;
    let session = mm(&sim).await;
    sim.rate_limit_next(10, 0);
    let error = session.suppressions().count(None).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Session(session_core::Error::RetriesExhausted(_))
        ),
        "{error:?}"
    );
    assert_eq!(error.mm_status(), Some(429));
    assert_eq!(mm_requests(&sim).len(), 4, "max_attempts of the policy");
}

#[tokio::test]
async fn other_statuses_are_errors_not_nothing() {
    let sim = sim().await;
    let session = mm(&sim).await;
    sim.fail_next(
        1,
        RequestMatch::path("/rest/json/suppressions/count"),
        503,
        "",
        "Service unavailable",
    );
    let error = session.suppressions().count(None).await.unwrap_err();
    assert_eq!(error.mm_status(), Some(503));
    assert_eq!(error.message(), Some("Service unavailable"));
    assert!(!error.is_key_error() && !error.is_invalid_argument() && !error.is_not_found());
    assert_eq!(mm_requests(&sim).len(), 1, "a 503 is not retried");
    // The service's own 404 for an unknown method.
    let missing = session
        .session()
        .get("/nothing/here", serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(Error::from(missing).is_not_found());
}

#[test]
fn the_current_session_is_per_thread_and_closable() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let sim = sim().await;
        assert!(matches!(
            dyn_mm::senders::get_all_senders().await,
            Err(Error::NoCurrentSession)
        ));
        let session = MMSession::builder(DEFAULT_APIKEY)
            .endpoint(endpoint(&sim))
            .connect()
            .await
            .unwrap();
        assert_eq!(MMSession::current().unwrap(), session);
        let senders = dyn_mm::senders::get_all_senders().await.unwrap();
        assert_eq!(senders[0].email_address, crate::support::SENDER);
        let other = std::thread::spawn(MMSession::get_session).join().unwrap();
        assert!(other.is_none(), "another thread has no current MM session");

        let replacement =
            MMSession::new_session(MMSession::builder(DEFAULT_APIKEY).endpoint(endpoint(&sim)))
                .await
                .unwrap();
        assert_ne!(replacement, session);
        assert_eq!(MMSession::current().unwrap(), replacement);
        assert_eq!(MMSession::close_session().await.unwrap(), Some(replacement));
        assert!(MMSession::get_session().is_none());
        assert!(matches!(
            dyn_mm::suppressions::get_all_suppressions(None).await,
            Err(Error::NoCurrentSession)
        ));
    });
}

#[test]
fn handles_and_futures_are_send() {
    fn send_sync_clone<T: Send + Sync + Clone>() {}
    fn send<T: Send>(_: &T) {}
    send_sync_clone::<MMSession>();
    send_sync_clone::<dyn_mm::accounts::Accounts>();
    send_sync_clone::<dyn_mm::senders::Senders>();
    send_sync_clone::<dyn_mm::recipients::Recipients>();
    send_sync_clone::<dyn_mm::suppressions::Suppressions>();
    send_sync_clone::<dyn_mm::reports::Reports>();
    let email = dyn_mm::EMail::new("a@example.com", "b@example.com", "s").text("b");
    send(&dyn_mm::message::send_message(&email));
    send(&MMSession::builder("k").connect());
    send(&dyn_mm::accounts::get_all_accounts());
    send(&dyn_mm::suppressions::get_all_suppressions(None));
    let paged: Option<dyn_mm::Paged<dyn_mm::ReportRow>> = None;
    send(&paged);
}
