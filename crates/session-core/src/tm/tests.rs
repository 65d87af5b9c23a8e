//! Envelope reading and failure classification on the bodies of spec `dyn.md` §1.11 and §5.

use std::time::Duration;

use serde_json::json;

use super::*;

fn read(status: u16, body: &str) -> Outcome {
    read_envelope(&RawResponse::new(status, body)).expect("a readable envelope")
}

fn failure(status: u16, body: &str) -> ApiError {
    match read(status, body) {
        Outcome::Failed(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn login_success_carries_token_and_job_id() {
    let body = r#"{"status": "success",
 "data": {"token": "q7R2xZkP0cFv9Lw3sT6mYb1N", "version": "3.7.9"},
 "job_id": 8100001,
 "msgs": [{"INFO": "login: Login successful", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"}]}"#;
    let Outcome::Done(reply) = read(200, body) else {
        panic!("expected success");
    };
    assert_eq!(reply.data()["token"], "q7R2xZkP0cFv9Lw3sT6mYb1N");
    assert_eq!(reply.job_id(), Some(8_100_001));
    assert_eq!(reply.messages()[0].info(), Some("login: Login successful"));
    assert_eq!(reply.messages()[0].source(), Some("BLL"));
    assert_eq!(reply.messages()[0].code(), None);
    assert_eq!(reply.messages()[0].level(), Some("INFO"));
}

#[test]
fn zone_list_payload_parses() {
    let body = r#"{"status": "success",
 "data": [{"zone": "example.com", "serial": 2024051402, "serial_style": "day", "zone_type": "Primary"},
          {"zone": "sec.example", "serial": 7, "serial_style": "increment", "zone_type": "Secondary"}],
 "job_id": 8100003,
 "msgs": [{"INFO": "get: Your 2 zones", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"}]}"#;
    let Outcome::Done(reply) = read(200, body) else {
        panic!("expected success");
    };
    let zones: Vec<serde_json::Value> = reply.parse().unwrap();
    assert_eq!(zones.len(), 2);
    assert_eq!(zones[1]["zone_type"], "Secondary");
}

#[test]
fn redirect_is_a_pending_job_with_location() {
    let response = RawResponse::new(
        307,
        r#"{"status": "incomplete", "data": null, "job_id": 8100007, "msgs": []}"#,
    )
    .with_location("/REST/Job/8100007/");
    let Outcome::Pending(pending) = read_envelope(&response).unwrap() else {
        panic!("expected pending");
    };
    assert_eq!(pending.job_id, Some(8_100_007));
    assert_eq!(pending.location.as_deref(), Some("/REST/Job/8100007/"));
}

#[test]
fn incomplete_without_msgs_is_pending() {
    // Denominator #261: a real incomplete answer had no `msgs` at all.
    let Outcome::Pending(pending) = read(
        200,
        r#"{"status":"incomplete","data":null,"job_id":966935380}"#,
    ) else {
        panic!("expected pending");
    };
    assert_eq!(pending.job_id, Some(966_935_380));
    assert_eq!(pending.location, None);
    assert_eq!(
        DynTm.job_path(966_935_380).as_deref(),
        Some("/REST/Job/966935380/")
    );
}

#[test]
fn not_found() {
    let error = failure(
        404,
        r#"{"status": "failure", "data": {}, "job_id": 8100008,
 "msgs": [{"INFO": "zone: No such zone", "SOURCE": "API-B", "ERR_CD": "NOT_FOUND", "LVL": "ERROR"}]}"#,
    );
    assert_eq!(error.kind(), FailureKind::NotFound);
    assert!(error.is_not_found());
    assert_eq!(error.status(), 404);
    assert_eq!(error.codes().collect::<Vec<_>>(), ["NOT_FOUND"]);
    assert_eq!(
        error.to_string(),
        "not found (http 404, failure): zone: No such zone"
    );
}

#[test]
fn expired_token() {
    let error = failure(
        400,
        r#"{"status": "failure", "data": {}, "job_id": 8100009,
 "msgs": [{"INFO": "login: Bad or expired credentials", "SOURCE": "BLL", "ERR_CD": "INVALID_DATA", "LVL": "ERROR"},
          {"INFO": "login: There was a problem with your credentials", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"}]}"#,
    );
    assert_eq!(error.kind(), FailureKind::TokenExpired);
    assert_eq!(error.messages().len(), 2);
}

#[test]
fn wrong_password_is_an_authentication_failure() {
    let error = failure(
        400,
        r#"{"status": "failure", "data": {}, "job_id": 1,
 "msgs": [{"INFO": "login: Invalid credentials", "SOURCE": "BLL", "ERR_CD": "INVALID_DATA", "LVL": "ERROR"}]}"#,
    );
    assert_eq!(error.kind(), FailureKind::AuthenticationFailed);
}

#[test]
fn blocked_by_task_names_the_task() {
    let error = failure(
        400,
        r#"{"status": "failure", "data": {}, "job_id": 8100010,
 "msgs": [{"INFO": "zone: Operation blocked by current task", "SOURCE": "BLL", "ERR_CD": "ILLEGAL_OPERATION", "LVL": "ERROR"},
          {"INFO": "task_name: ProvisionZone", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"},
          {"INFO": "task_id: 5550123", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"}]}"#,
    );
    assert_eq!(
        error.kind(),
        FailureKind::BlockedByTask {
            task_id: Some(5_550_123)
        }
    );
    assert!(error.is_retryable());
}

#[test]
fn rate_limit_reads_retry_after() {
    let response = RawResponse::new(
        429,
        r#"{"status": "failure", "data": {}, "job_id": 8100011,
 "msgs": [{"INFO": "throttle: API rate limit exceeded", "SOURCE": "API-A", "ERR_CD": "RATE_LIMIT_EXCEEDED", "LVL": "ERROR"}]}"#,
    )
    .with_retry_after(Duration::from_secs(60));
    let Outcome::Failed(error) = read_envelope(&response).unwrap() else {
        panic!("expected failure");
    };
    assert_eq!(
        error.kind(),
        FailureKind::RateLimited {
            retry_after: Some(Duration::from_secs(60))
        }
    );
}

#[test]
fn job_collision_is_job_running() {
    let error = failure(
        400,
        r#"{"status": "running", "data": {}, "job_id": 5,
 "msgs": [{"INFO": "token: This session already has a job running", "SOURCE": "API-B", "ERR_CD": "OPERATION_FAILED", "LVL": "ERROR"}]}"#,
    );
    assert_eq!(error.kind(), FailureKind::JobRunning);
}

#[test]
fn duplicate_and_validation() {
    let duplicate = failure(
        400,
        r#"{"status": "failure", "data": {}, "job_id": 8100012,
 "msgs": [{"INFO": "make: Cannot duplicate existing record data", "SOURCE": "DYN", "ERR_CD": "TARGET_EXISTS", "LVL": "ERROR"},
          {"INFO": "add: Record not added", "SOURCE": "BLL", "ERR_CD": null, "LVL": "INFO"}]}"#,
    );
    assert_eq!(duplicate.kind(), FailureKind::AlreadyExists);
    let invalid = failure(
        400,
        r#"{"status": "failure", "data": {}, "job_id": 3,
 "msgs": [{"INFO": "address: Not a valid IP address", "SOURCE": "DYN", "ERR_CD": "INVALID_DATA", "LVL": "ERROR"}]}"#,
    );
    assert_eq!(invalid.kind(), FailureKind::Validation);
}

#[test]
fn envelopes_that_crash_dyn_python_are_errors_not_panics() {
    // No `msgs` on a failure, and a message without `ERR_CD` (dyn-python issue #133).
    let bare = failure(400, r#"{"status": "failure", "data": {}, "job_id": 9}"#);
    assert_eq!(bare.kind(), FailureKind::Other);
    assert!(bare.messages().is_empty());
    let no_code = failure(
        400,
        r#"{"status": "failure", "msgs": [{"INFO": "zone: odd", "LVL": "ERROR"}]}"#,
    );
    assert_eq!(no_code.codes().count(), 0);
    // Job ids sent as strings are accepted.
    let Outcome::Done(reply) = read(200, r#"{"status": "success", "data": {}, "job_id": "77"}"#)
    else {
        panic!("expected success");
    };
    assert_eq!(reply.job_id(), Some(77));
    for (status, body) in [
        (200, ""),
        (200, "not json"),
        (500, "<html>oops</html>"),
        (200, "[1,2]"),
        (200, r#"{"data": {}}"#),
    ] {
        assert!(
            read_envelope(&RawResponse::new(status, body)).is_err(),
            "{status} {body:?}"
        );
    }
}

#[test]
fn task_ids_need_the_exact_form() {
    assert_eq!(task_id_of("task_id: 39120953"), Some(39_120_953));
    assert_eq!(task_id_of("task_id: x1"), None);
    assert_eq!(task_id_of("the task_id: 1"), None);
    assert_eq!(task_id_of("task_id:"), None);
}

#[test]
fn token_rides_in_the_header() {
    let mut request = Request::new(Method::Get, "/Zone/", json!({"detail": "Y"}));
    DynTm.authorize(&mut request, &Token::new("tok-1000"));
    assert_eq!(request.headers, [("Auth-Token", "tok-1000".to_owned())]);
    assert_eq!(DynTm.encoding(Method::Get), ArgEncoding::Query);
    assert_eq!(DynTm.encoding(Method::Post), ArgEncoding::Json);
}
