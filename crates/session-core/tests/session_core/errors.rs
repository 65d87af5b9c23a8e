//! Failure envelopes and bad input: typed errors, never panics.

use std::time::{Duration, Instant};

use dyn_sim::{Fault, FaultRule, RequestMatch};
use serde_json::json;
use session_core::{Credentials, DynTm, Endpoint, Error, FailureKind, Session};

use crate::support::{builder, simulator};

#[tokio::test]
async fn not_found_envelope_is_a_typed_api_error() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    sim.fail_next(
        1,
        RequestMatch::path("/REST/Session/"),
        404,
        "NOT_FOUND",
        "zone: No such zone",
    );
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an api error, got {error:?}");
    };
    assert!(api.is_not_found());
    assert_eq!(api.status(), 404);
    assert_eq!(api.codes().collect::<Vec<_>>(), ["NOT_FOUND"]);
    assert_eq!(api.messages()[0].info(), Some("zone: No such zone"));
}

#[tokio::test]
async fn unknown_resource_is_a_validation_error() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    let error = session.get("/NoSuchThing/", json!({})).await.unwrap_err();
    assert_eq!(
        error.api_error().map(|api| api.kind()),
        Some(FailureKind::Validation),
        "{error:?}"
    );
}

#[tokio::test]
async fn malformed_bodies_are_invalid_responses() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    let bodies = [
        (200, "this is not json"),
        (200, ""),
        (500, "<html>Internal Server Error</html>"),
        (502, ""),
        (200, r#"{"data": {}, "job_id": 1}"#),
    ];
    for (status, body) in bodies {
        sim.add_fault(FaultRule::next(
            1,
            RequestMatch::path("/REST/Session/"),
            Fault::Raw {
                http_status: status,
                body: body.to_owned(),
            },
        ));
        let error = session.get("/Session/", json!({})).await.unwrap_err();
        let Error::InvalidResponse(invalid) = &error else {
            panic!("{status} {body:?}: expected an invalid response, got {error:?}");
        };
        assert_eq!(invalid.status(), status);
    }
}

#[tokio::test]
async fn envelopes_without_msgs_or_err_cd_are_typed_failures() {
    let sim = simulator().await;
    let session = builder(&sim).log_in_detached().await.unwrap();
    for body in [
        r#"{"status": "failure", "data": {}, "job_id": 5}"#,
        r#"{"status": "failure", "data": {}, "job_id": 6, "msgs": [{"INFO": "zone: odd", "LVL": "ERROR"}]}"#,
        r#"{"status": "failure", "data": {}, "job_id": 7, "msgs": []}"#,
    ] {
        sim.add_fault(FaultRule::next(
            1,
            RequestMatch::path("/REST/Session/"),
            Fault::Raw {
                http_status: 400,
                body: body.to_owned(),
            },
        ));
        let error = session.get("/Session/", json!({})).await.unwrap_err();
        let api = error
            .api_error()
            .unwrap_or_else(|| panic!("{body}: {error:?}"));
        assert_eq!(api.kind(), FailureKind::Other);
        assert_eq!(api.codes().count(), 0);
    }
}

#[tokio::test]
async fn unreachable_host_fails_with_a_transport_error_in_time() {
    // Bind then drop a listener: nothing listens on that port afterwards.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let credentials = Credentials::new("acme", "alice", "s3cret").unwrap();
    let started = Instant::now();
    let error = Session::builder(DynTm, Endpoint::http("127.0.0.1", port), credentials)
        .connect_timeout(Duration::from_secs(2))
        .log_in_detached()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(transport.is_connect(), "{transport:?}");
    assert!(std::error::Error::source(transport).is_some());
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn slow_server_hits_the_request_timeout() {
    let sim = simulator().await;
    let session = builder(&sim)
        .request_timeout(Duration::from_millis(200))
        .log_in_detached()
        .await
        .unwrap();
    sim.add_fault(FaultRule::next(
        1,
        RequestMatch::path("/REST/Session/"),
        Fault::Delay { millis: 2_000 },
    ));
    let error = session.get("/Session/", json!({})).await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(transport.is_timeout());
}
