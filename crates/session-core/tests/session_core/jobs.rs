//! Jobs: 307 redirects and `incomplete` replies, polled to the end or to the deadline.

use std::time::Duration;

use dyn_sim::{Fault, FaultRule, JobResponse, RequestMatch};
use serde_json::json;
use session_core::{Error, JobPolicy};

use crate::support::{builder, simulator};

fn job_polls(sim: &dyn_sim::Simulator) -> Vec<dyn_sim::LoggedRequest> {
    sim.requests_raw()
        .into_iter()
        .filter(|request| request.path.starts_with("/REST/Job/"))
        .collect()
}

#[tokio::test]
async fn redirect_is_followed_to_the_job_result() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.promote_next_to_job(1, RequestMatch::new("GET", "/REST/Session/"), 2);
    let reply = session.get("/Session/", json!({})).await.unwrap();

    let polls = job_polls(&sim);
    assert_eq!(
        polls.len(),
        3,
        "two 'still running' answers, then the result"
    );
    let first = sim
        .requests_raw()
        .into_iter()
        .find(|r| r.status == 307)
        .expect("a 307 answer");
    assert_eq!(first.path, "/REST/Session/");
    let job_path = format!(
        "/REST/Job/{}/",
        reply.job_id().expect("the result names its job")
    );
    for poll in &polls {
        assert_eq!(poll.method, "GET");
        assert_eq!(poll.path, job_path);
        assert!(poll.header("auth-token").is_some(), "polls carry the token");
    }
    assert_eq!(polls.last().unwrap().status, 200);
}

#[tokio::test]
async fn incomplete_reply_is_polled_by_job_id() {
    let sim = simulator().await;
    sim.update_options(|options| options.job_response = JobResponse::Incomplete);
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.promote_next_to_job(1, RequestMatch::new("GET", "/REST/Session/"), 1);
    let reply = session.get("/Session/", json!({})).await.unwrap();
    let polls = job_polls(&sim);
    assert_eq!(polls.len(), 2);
    assert!(
        polls
            .iter()
            .all(|poll| poll.path == format!("/REST/Job/{}/", reply.job_id().unwrap()))
    );
}

#[tokio::test]
async fn job_deadline_gives_a_typed_timeout() {
    let sim = simulator().await;
    let session = builder(&sim)
        .jobs(JobPolicy::new(
            Duration::from_millis(20),
            Duration::from_millis(150),
        ))
        .log_in_detached()
        .await
        .unwrap();
    sim.promote_next_to_job(1, RequestMatch::new("GET", "/REST/Session/"), 10_000);
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let Error::JobTimeout(timeout) = &error else {
        panic!("expected a job timeout, got {error:?}");
    };
    assert!(
        timeout
            .location()
            .is_some_and(|path| path.starts_with("/REST/Job/"))
    );
    assert!(timeout.job_id().is_some());
}

#[tokio::test]
async fn dropping_the_call_stops_polling_and_frees_the_session() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.add_fault(FaultRule::next(
        1,
        RequestMatch::new("GET", "/REST/Session/"),
        Fault::PromoteToJob {
            polls: 1_000_000,
            after_millis: 0,
            response: None,
        },
    ));
    let abandoned = tokio::time::timeout(
        Duration::from_millis(500),
        session.get("/Session/", json!({})),
    )
    .await;
    assert!(
        abandoned.is_err(),
        "the job never finishes, so the timeout fires"
    );
    let polls_at_drop = job_polls(&sim).len();
    assert!(polls_at_drop >= 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        job_polls(&sim).len(),
        polls_at_drop,
        "nothing polls after the future is dropped"
    );
    // The one-request gate was released with the dropped future. The abandoned job still runs
    // on the server and refuses this session's requests (the real service does the same), so
    // a fresh call reports that instead of hanging.
    sim.update_options(|options| options.reject_while_job_running = false);
    session.get("/Session/", json!({})).await.unwrap();
}

#[tokio::test]
async fn zone_publish_through_a_redirected_job() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    session
        .post(
            "/Zone/example.com/",
            json!({"rname": "hostmaster@example.com", "ttl": 3600, "serial_style": "increment"}),
        )
        .await
        .unwrap();
    session
        .post(
            "/ARecord/example.com/www.example.com./",
            json!({"rdata": {"address": "192.0.2.10"}, "ttl": 300}),
        )
        .await
        .unwrap();
    sim.promote_next_to_job(1, RequestMatch::new("PUT", "/REST/Zone/"), 1);
    let published = session
        .put("/Zone/example.com/", json!({"publish": true}))
        .await
        .unwrap();
    assert_eq!(published.data()["zone"], "example.com");
    assert_eq!(job_polls(&sim).len(), 2);

    let zones = session.get("/Zone/", json!({"detail": "Y"})).await.unwrap();
    assert_eq!(zones.data()[0]["zone"], "example.com");
    let list = sim.requests_raw().into_iter().last().unwrap();
    assert_eq!(
        list.query.as_deref(),
        Some("detail=Y"),
        "GET arguments travel in the query string"
    );
    let records = session
        .get(
            "/ARecord/example.com/www.example.com./",
            json!({"detail": "Y"}),
        )
        .await
        .unwrap();
    assert_eq!(records.data()[0]["rdata"]["address"], "192.0.2.10");
    assert_ne!(
        records.data()[0]["record_id"],
        0,
        "published records have real ids"
    );
}

#[tokio::test]
async fn throttled_job_polls_are_polled_again() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.promote_next_to_job(1, RequestMatch::new("GET", "/REST/Session/"), 1);
    sim.add_fault(FaultRule::next(
        1,
        RequestMatch::path("/REST/Job/"),
        Fault::RateLimit {
            retry_after_secs: 0,
        },
    ));
    session.get("/Session/", json!({})).await.unwrap();
    let statuses: Vec<u16> = job_polls(&sim).iter().map(|poll| poll.status).collect();
    assert_eq!(statuses.first(), Some(&429));
    assert_eq!(statuses.last(), Some(&200));
}
