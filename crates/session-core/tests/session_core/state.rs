//! Serializing a session and restoring it without logging in again, here and in another process.

use std::process::Command;

use dyn_sim::DEFAULT_PASSWORD;
use serde_json::json;
use session_core::{Credentials, DynTm, Error, Key, Session, SessionState, generate_key};

use crate::support::{count, endpoint, simulator};

const CHILD_STATE: &str = "SESSION_CORE_TEST_CHILD_STATE";
const CHILD_KEY: &str = "SESSION_CORE_TEST_CHILD_KEY";

async fn logged_in(sim: &dyn_sim::Simulator, key: Key) -> Session<DynTm> {
    let credentials = Credentials::with_key("acme", "alice", DEFAULT_PASSWORD, key).unwrap();
    Session::builder(DynTm, endpoint(sim), credentials)
        .history(8)
        .log_in_detached()
        .await
        .unwrap()
}

#[tokio::test]
async fn restored_session_keeps_working_without_a_new_log_in() {
    let sim = simulator().await;
    let key = generate_key().unwrap();
    let session = logged_in(&sim, key.clone()).await;
    let token = sim.requests_raw()[0].json_response().unwrap()["data"]["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let stored = serde_json::to_string(&session.to_state().unwrap()).unwrap();
    assert!(!stored.contains(DEFAULT_PASSWORD), "{stored}");
    assert!(!stored.contains(&token), "{stored}");
    assert!(!stored.contains(key.to_printable().as_str()));

    // The session itself serializes to the same shape.
    let direct: SessionState =
        serde_json::from_str(&serde_json::to_string(&session).unwrap()).unwrap();
    assert_eq!(direct.user(), Some("alice"));
    assert!(direct.has_token());
    let state: SessionState = serde_json::from_str(&stored).unwrap();
    assert_eq!(state.kind(), "dyn-tm");
    assert!(state.has_token());
    let restored = Session::restore_detached(DynTm, state, key).unwrap();
    assert_eq!(restored.options().history, Some(8));
    restored.get("/Session/", json!({})).await.unwrap();
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 1, "no second log-in");
    let verify = sim.requests_raw().into_iter().last().unwrap();
    assert_eq!(verify.header("auth-token"), Some(token.as_str()));

    // The password came along too: after expiry the restored session logs in again.
    sim.expire_all_sessions();
    restored.get("/Session/", json!({})).await.unwrap();
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 2);
}

#[tokio::test]
async fn restoring_needs_the_right_key_and_kind() {
    let sim = simulator().await;
    let session = logged_in(&sim, generate_key().unwrap()).await;
    let state = session.to_state().unwrap();
    let wrong = Session::restore_detached(DynTm, state.clone(), generate_key().unwrap());
    assert!(matches!(wrong, Err(Error::Secret(_))), "{wrong:?}");
    let other_kind = Session::restore_detached(
        session_core::DynMm,
        state,
        session.credentials().key().clone(),
    );
    assert!(
        matches!(other_kind, Err(Error::WrongKind { .. })),
        "{other_kind:?}"
    );
}

/// Runs twice: as the parent (logs in, writes the state, starts this test binary again) and,
/// inside that child process, as the restorer.
#[tokio::test]
async fn restores_in_a_second_process() {
    if let (Ok(stored), Ok(printable)) = (std::env::var(CHILD_STATE), std::env::var(CHILD_KEY)) {
        let key: Key = printable.parse().unwrap();
        let state: SessionState = serde_json::from_str(&stored).unwrap();
        let session = Session::restore_detached(DynTm, state, key).unwrap();
        session.get("/Session/", json!({})).await.unwrap();
        session.log_out().await.unwrap();
        return;
    }
    let sim = simulator().await;
    let key = generate_key().unwrap();
    let session = logged_in(&sim, key.clone()).await;
    let stored = serde_json::to_string(&session.to_state().unwrap()).unwrap();
    let printable = key.to_printable().as_str().to_owned();
    // Off the runtime thread: the simulator runs on this test's runtime and must keep serving.
    let output = tokio::task::spawn_blocking(move || {
        Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "state::restores_in_a_second_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_STATE, stored)
            .env(CHILD_KEY, printable)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("1 passed"),
        "the child ran the test: {report}"
    );
    // The child used the token (no log-in of its own) and logged it out.
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 1);
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 1);
    assert_eq!(count(&sim, "DELETE", "/REST/Session/"), 1);
    assert_eq!(sim.session_count(), 0);
}
