//! Retry classes against the simulator's fault injection: throttling, blocking tasks, expired
//! tokens, job collisions.

use std::time::Duration;

use dyn_sim::{Fault, FaultRule, RequestMatch};
use serde_json::json;
use session_core::{Error, FailureKind, RetryPolicy};

use crate::support::{builder, count, fast_retry, simulator};

#[tokio::test]
async fn rate_limited_calls_wait_and_succeed() {
    let sim = simulator().await;
    let session = builder(&sim).history(16).log_in_detached().await.unwrap();
    sim.rate_limit_next(2, 0);
    session.get("/Session/", json!({})).await.unwrap();
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 3);
    let statuses: Vec<_> = session
        .history()
        .iter()
        .skip(1)
        .map(|r| (r.http_status(), r.status().to_owned()))
        .collect();
    assert_eq!(
        statuses,
        [
            (Some(429), "failure".to_owned()),
            (Some(429), "failure".to_owned()),
            (Some(200), "success".to_owned())
        ]
    );
}

#[tokio::test]
async fn rate_limit_gives_up_after_the_attempt_bound() {
    let sim = simulator().await;
    let session = builder(&sim)
        .retry(fast_retry().with_max_attempts(3))
        .log_in_detached()
        .await
        .unwrap();
    sim.rate_limit_next(100, 0);
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let Error::RetriesExhausted(exhausted) = &error else {
        panic!("expected exhausted retries, got {error:?}");
    };
    assert_eq!(exhausted.attempts(), 3);
    assert!(matches!(
        exhausted.last().kind(),
        FailureKind::RateLimited { .. }
    ));
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 3);
}

#[tokio::test]
async fn rate_limit_gives_up_at_the_deadline() {
    let sim = simulator().await;
    // Retry-After: 60 is capped to 100 ms; a 250 ms deadline allows about two waits.
    let policy = fast_retry()
        .with_max_attempts(100)
        .with_deadline(Duration::from_millis(250))
        .with_rate_limit_wait(Duration::from_millis(100), Duration::from_millis(100));
    let session = builder(&sim).retry(policy).log_in_detached().await.unwrap();
    sim.rate_limit_next(100, 60);
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let Error::RetriesExhausted(exhausted) = &error else {
        panic!("expected exhausted retries, got {error:?}");
    };
    // The deadline, not the attempt bound (100), ended it: how many attempts fit depends on
    // how fast the machine answers, so only the bounds are checked.
    assert!((2..100).contains(&exhausted.attempts()), "{exhausted:?}");
}

#[tokio::test]
async fn blocked_calls_back_off_per_task_and_succeed() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.blocked_next(2, RequestMatch::new("GET", "/REST/Session/"));
    session.get("/Session/", json!({})).await.unwrap();
    let answers: Vec<u16> = sim
        .requests_raw()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.status)
        .collect();
    assert_eq!(answers, [400, 400, 200]);
}

#[tokio::test]
async fn blocked_calls_give_up_with_the_task_id() {
    let sim = simulator().await;
    let session = builder(&sim)
        .retry(fast_retry().with_max_attempts(4))
        .log_in_detached()
        .await
        .unwrap();
    sim.blocked_next(100, RequestMatch::new("GET", "/REST/Session/"));
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let Error::RetriesExhausted(exhausted) = &error else {
        panic!("expected exhausted retries, got {error:?}");
    };
    assert_eq!(exhausted.attempts(), 4);
    let FailureKind::BlockedByTask { task_id } = exhausted.last().kind() else {
        panic!("expected a blocking task, got {:?}", exhausted.last());
    };
    assert!(task_id.is_some(), "the simulator names the task");
}

#[tokio::test]
async fn expired_token_logs_in_again_once() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.expire_all_sessions();
    session.get("/Session/", json!({})).await.unwrap();
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 2);
    assert_eq!(sim.session_count(), 1);

    // Expiring on every request: one new log-in, then the failure is returned.
    sim.add_fault(FaultRule::always(
        RequestMatch::new("GET", "/REST/Session/"),
        Fault::ExpireToken,
    ));
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    assert_eq!(
        error.api_error().map(|api| api.kind()),
        Some(FailureKind::TokenExpired)
    );
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 3);
}

#[tokio::test]
async fn expired_token_is_returned_when_relogin_is_off() {
    let sim = simulator().await;
    let session = builder(&sim)
        .retry(fast_retry().with_relogin_on_expiry(false))
        .log_in_detached()
        .await
        .unwrap();
    sim.expire_all_sessions();
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    assert_eq!(
        error.api_error().map(|api| api.kind()),
        Some(FailureKind::TokenExpired)
    );
    assert_eq!(count(&sim, "POST", "/REST/Session/"), 1);
}

#[tokio::test]
async fn job_collision_is_not_retried() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.job_running_next(1);
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let api = error.api_error().expect("an api error");
    assert_eq!(api.kind(), FailureKind::JobRunning);
    assert_eq!(api.envelope_status(), "running");
}

#[tokio::test]
async fn no_retries_policy_returns_the_first_failure() {
    let sim = simulator().await;
    let session = builder(&sim)
        .retry(RetryPolicy::none())
        .log_in_detached()
        .await
        .unwrap();
    sim.rate_limit_next(1, 0);
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    assert!(
        matches!(error, Error::RetriesExhausted(ref e) if e.attempts() == 1),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_request_in_flight_per_session() {
    let sim = simulator().await;
    // The simulator refuses a request while another one of the same token is served.
    sim.update_options(|options| {
        options.reject_concurrent_requests = true;
        options.response_delay = Duration::from_millis(20);
    });
    let session = builder(&sim)
        .retry(RetryPolicy::none())
        .log_in_detached()
        .await
        .unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { session.get("/Session/", json!({})).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 8);
}
