//! Jobs, rate limits, blocked tasks, job collisions and raw faults, switched on by tests.

use std::time::Duration;

use dyn_sim::{Fault, FaultRule, JobResponse, RateLimit, RequestMatch};
use serde_json::json;

use crate::support::{Raw, sim};

#[tokio::test]
async fn a_promoted_request_is_answered_by_307_and_job_polling() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    sim.promote_next_to_job(1, RequestMatch::new("GET", "/REST/Session"), 1);
    let first = raw.call("GET", "/REST/Session/", None).await;
    assert_eq!(first.status, 307);
    assert_eq!(first.status_text(), "incomplete");
    let job_id = first.body["job_id"].as_u64().expect("job id");
    let location = first.headers["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(location, format!("/REST/Job/{job_id}/"));

    // While the job runs, other calls of the session collide with it.
    let busy = raw.call("POST", "/REST/UserPermissionReport/", None).await;
    assert_eq!(
        (busy.status, busy.status_text(), busy.err_cd()),
        (400, "running", "OPERATION_FAILED")
    );
    assert_eq!(
        busy.info(0),
        "token: This session already has a job running"
    );

    let again = raw.call("GET", &location, None).await;
    assert_eq!((again.status, again.status_text()), (307, "incomplete"));
    let done = raw.call("GET", &location, None).await;
    done.assert_success();
    assert_eq!(done.body["job_id"].as_u64(), Some(job_id));
    assert_eq!(done.info(0), "isalive: User session is still active");
    // Once done, the session is free again.
    raw.call("POST", "/REST/UserPermissionReport/", None)
        .await
        .assert_success();
}

#[tokio::test]
async fn jobs_can_answer_200_incomplete_and_belong_to_their_session() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let other = Raw::logged_in(&sim).await;
    sim.add_fault(FaultRule::next(
        1,
        RequestMatch::path("/REST/Session"),
        Fault::PromoteToJob {
            polls: 0,
            after_millis: 0,
            response: Some(JobResponse::Incomplete),
        },
    ));
    let first = raw.call("GET", "/REST/Session/", None).await;
    first.assert_envelope();
    assert_eq!((first.status, first.status_text()), (200, "incomplete"));
    assert!(first.headers.get("location").is_none());
    let path = format!("/REST/Job/{}/", first.body["job_id"]);
    let foreign = other.call("GET", &path, None).await;
    assert_eq!((foreign.status, foreign.err_cd()), (404, "NOT_FOUND"));
    raw.call("GET", &path, Some(json!({})))
        .await
        .assert_success();
}

#[tokio::test]
async fn rate_limit_faults_and_the_customer_bucket() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    sim.rate_limit_next(1, 3);
    let limited = raw.call("GET", "/REST/Session/", None).await;
    limited.assert_envelope();
    assert_eq!(
        (limited.status, limited.err_cd()),
        (429, "RATE_LIMIT_EXCEEDED")
    );
    assert_eq!(limited.headers["retry-after"], "3");
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();

    sim.update_options(|o| {
        o.rate_limit = Some(RateLimit {
            requests_per_minute: 2,
            lock: Duration::from_secs(5),
        });
    });
    let second_user = Raw::logged_in(&sim).await; // 1st request of the window
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success(); // 2nd
    let over = second_user.call("GET", "/REST/Session/", None).await; // 3rd: same customer
    assert_eq!(over.status, 429);
    assert_eq!(over.headers["retry-after"], "5");
    sim.advance_clock(Duration::from_secs(6));
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();
}

#[tokio::test]
async fn blocked_by_task_names_the_task_the_way_clients_parse_it() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    sim.blocked_next(1, RequestMatch::new("GET", "/REST/Session"));
    let blocked = raw.call("GET", "/REST/Session/", None).await;
    blocked.assert_envelope();
    assert_eq!(
        (blocked.status, blocked.err_cd()),
        (400, "ILLEGAL_OPERATION")
    );
    assert_eq!(blocked.info(0), "zone: Operation blocked by current task");
    assert_eq!(blocked.info(1), "task_name: ProvisionZone");
    let task = blocked.info(2);
    let digits = task.strip_prefix("task_id: ").expect("task_id: prefix");
    assert!(
        digits.chars().all(|c| c.is_ascii_digit()) && !digits.is_empty(),
        "{task}"
    );
}

#[tokio::test]
async fn job_running_and_failure_faults() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    sim.job_running_next(1);
    assert_eq!(
        raw.call("GET", "/REST/Session/", None).await.status_text(),
        "running"
    );
    sim.fail_next(
        1,
        RequestMatch::any(),
        503,
        "SERVICE_UNAVAILABLE",
        "service: Try again later",
    );
    let failed = raw.call("GET", "/REST/Session/", None).await;
    assert_eq!(
        (failed.status, failed.err_cd(), failed.info(0)),
        (503, "SERVICE_UNAVAILABLE", "service: Try again later")
    );
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();
}

#[tokio::test]
async fn raw_faults_send_any_body() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    for body in [
        "not json",
        "",
        r#"{"status": "failure", "data": {}, "job_id": 1}"#,
    ] {
        sim.add_fault(FaultRule::next(
            1,
            RequestMatch::any(),
            Fault::Raw {
                http_status: 500,
                body: body.to_owned(),
            },
        ));
        let answer = raw.call("GET", "/REST/Session/", None).await;
        assert_eq!(answer.status, 500);
        if body.is_empty() {
            assert_eq!(answer.body, json!(""));
        }
    }
}

#[tokio::test]
async fn expire_token_fault_and_failures_as_200() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    sim.update_options(|o| o.failures_as_200 = true);
    sim.add_fault(FaultRule::next(1, RequestMatch::any(), Fault::ExpireToken));
    let expired = raw.call("GET", "/REST/Session/", None).await;
    assert_eq!((expired.status, expired.status_text()), (200, "failure"));
    assert_eq!(expired.info(0), "login: Bad or expired credentials");
}

#[tokio::test]
async fn a_second_request_in_flight_on_one_token_is_refused_when_switched_on() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    sim.update_options(|o| {
        o.reject_concurrent_requests = true;
        o.response_delay = Duration::from_millis(400);
    });
    let (a, b) = tokio::join!(
        raw.call("GET", "/REST/Session/", None),
        raw.call("GET", "/REST/Session/", None)
    );
    let mut statuses = vec![a.status_text().to_owned(), b.status_text().to_owned()];
    statuses.sort();
    assert_eq!(statuses, ["running", "success"]);
}
