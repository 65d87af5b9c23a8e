//! `/REST/Session/`: login, is-alive, keep-alive, logout, token checks and expiry.

use std::time::Duration;

use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER};
use serde_json::json;

use crate::support::{Raw, sim};

#[tokio::test]
async fn login_returns_a_token_in_a_complete_envelope() {
    let sim = sim().await;
    let mut raw = Raw::new(&sim);
    let answer = raw
        .login_as(DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD)
        .await;
    answer.assert_envelope();
    let data = answer.assert_success();
    assert_eq!(data["token"].as_str().map(str::len), Some(172));
    assert_eq!(data["version"], "3.7.9");
    assert_eq!(answer.info(0), "login: Login successful");
    assert_eq!(answer.body["msgs"][0]["ERR_CD"], json!(null));
    assert_eq!(answer.headers["content-type"], "application/json");
    assert_eq!(sim.session_count(), 1);
}

#[tokio::test]
async fn wrong_credentials_and_missing_fields_fail_like_the_api() {
    let sim = sim().await;
    let mut raw = Raw::new(&sim);
    let wrong = raw.login_as(DEFAULT_CUSTOMER, DEFAULT_USER, "nope").await;
    wrong.assert_envelope();
    assert_eq!(
        (wrong.status, wrong.status_text(), wrong.err_cd()),
        (400, "failure", "INVALID_DATA")
    );
    assert!(
        wrong
            .info(0)
            .starts_with("login: Credentials you entered did not match")
    );
    assert_eq!(wrong.info(1), "login: Login failed");
    assert!(raw.token.is_none());

    let missing = raw
        .call(
            "POST",
            "/REST/Session/",
            Some(json!({"customer_name": "acme"})),
        )
        .await;
    missing.assert_envelope();
    assert_eq!(missing.err_cd(), "MISSING_DATA");
    assert_eq!(missing.info(0), "user_name: required field missing");
    assert_eq!(missing.info(1), "password: required field missing");
    assert_eq!(missing.body["msgs"][0]["SOURCE"], "API-A");
}

#[tokio::test]
async fn is_alive_keep_alive_and_logout() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let alive = raw.call("GET", "/REST/Session/", Some(json!({}))).await;
    alive.assert_success();
    assert_eq!(alive.info(0), "isalive: User session is still active");
    raw.call("PUT", "/REST/Session", None)
        .await
        .assert_success();
    let out = raw.call("DELETE", "/REST/Session/", Some(json!({}))).await;
    assert_eq!(out.info(0), "logout: Logout successful");
    let after = raw.call("GET", "/REST/Session/", None).await;
    assert_eq!((after.status, after.err_cd()), (400, "INVALID_DATA"));
    assert_eq!(after.info(0), "login: Bad or expired credentials");
    assert_eq!(
        after.info(1),
        "login: There was a problem with your credentials"
    );
    assert_eq!(sim.session_count(), 0);
}

#[tokio::test]
async fn requests_without_or_with_unknown_tokens_are_refused() {
    let sim = sim().await;
    let mut raw = Raw::new(&sim);
    let none = raw.call("GET", "/REST/Zone/", None).await;
    none.assert_envelope();
    assert_eq!(
        (none.status, none.info(0)),
        (400, "login: Bad or expired credentials")
    );
    raw.token = Some("stale-token".into());
    let stale = raw.call("GET", "/REST/Zone/", None).await;
    assert_eq!(stale.err_cd(), "INVALID_DATA");
}

#[tokio::test]
async fn idle_sessions_expire_and_use_refreshes_them() {
    let sim = sim().await;
    sim.update_options(|o| o.session_idle_timeout = Duration::from_secs(60));
    let raw = Raw::logged_in(&sim).await;
    sim.advance_clock(Duration::from_secs(45));
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();
    sim.advance_clock(Duration::from_secs(45));
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();
    sim.advance_clock(Duration::from_secs(61));
    let expired = raw.call("GET", "/REST/Session/", None).await;
    assert_eq!(expired.info(0), "login: Bad or expired credentials");
}

#[tokio::test]
async fn a_token_can_be_expired_on_demand() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let other = Raw::logged_in(&sim).await;
    assert!(sim.expire_token(raw.token.as_deref().expect("logged in")));
    assert_eq!(raw.call("GET", "/REST/Session/", None).await.status, 400);
    other
        .call("GET", "/REST/Session/", None)
        .await
        .assert_success();
}

#[tokio::test]
async fn sessions_can_be_bound_to_the_client_ip() {
    let sim = sim().await;
    sim.update_options(|o| o.bind_session_to_ip = true);
    let raw = Raw::logged_in(&sim).await;
    let elsewhere = crate::support::http()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client builds");
    let moved = Raw {
        http: elsewhere,
        ..raw.clone()
    };
    let answer = moved.call("GET", "/REST/Session/", None).await;
    assert_eq!(
        answer.info(0),
        "login: IP address does not match current session"
    );
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();
}

#[tokio::test]
async fn password_change_and_permissions() {
    let sim = sim().await;
    let mut raw = Raw::logged_in(&sim).await;
    raw.call("PUT", "/REST/Password/", Some(json!({"password": "n3w"})))
        .await
        .assert_success();
    let report = raw
        .call(
            "POST",
            "/REST/UserPermissionReport/",
            Some(json!({"user_name": DEFAULT_USER})),
        )
        .await;
    let allowed = report.assert_success()["allowed"]
        .as_array()
        .expect("allowed list")
        .clone();
    assert!(allowed.iter().any(|p| p["name"] == "ZoneGet"));
    assert!(
        raw.login_as(DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD)
            .await
            .status
            == 400
    );
    raw.login_as(DEFAULT_CUSTOMER, DEFAULT_USER, "n3w")
        .await
        .assert_success();
}

#[tokio::test]
async fn unknown_resources_and_foreign_paths() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let unknown = raw.call("GET", "/REST/NoSuchThing/", None).await;
    unknown.assert_envelope();
    assert_eq!((unknown.status, unknown.err_cd()), (400, "INVALID_REQUEST"));
    let bad_json = raw
        .http
        .get(format!("{}/REST/Session/", raw.base))
        .header("Auth-Token", raw.token.clone().unwrap_or_default())
        .body("{not json")
        .send()
        .await
        .expect("answers");
    assert_eq!(bad_json.status().as_u16(), 400);
    let foreign = raw.call("GET", "/index.html", None).await;
    assert_eq!(foreign.status, 404);
}

#[tokio::test]
async fn the_request_log_keeps_order_and_masks_secrets() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    raw.call(
        "GET",
        "/REST/Session/?detail=Y",
        Some(json!({"detail": "Y"})),
    )
    .await;
    let log = sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("POST", "/REST/Session/")
    );
    assert_eq!(log[1].query.as_deref(), Some("detail=Y"));
    let shown = format!("{log:?}");
    assert!(!shown.contains(DEFAULT_PASSWORD));
    assert!(!shown.contains(raw.token.as_deref().expect("token")));
    let raw_log = sim.requests_raw();
    assert!(raw_log[0].body.contains(DEFAULT_PASSWORD));
    assert_eq!(raw_log[1].header("auth-token"), raw.token.as_deref());
}

#[tokio::test]
async fn the_request_log_is_bounded() {
    let sim = sim().await;
    sim.update_options(|o| o.request_log_limit = 4);
    let raw = Raw::logged_in(&sim).await;
    for _ in 0..5 {
        raw.call("GET", "/REST/Session/", None)
            .await
            .assert_success();
    }
    let log = sim.requests();
    assert!(log.len() <= 4);
    assert_eq!(
        log.last().map(|e| e.seq),
        Some(6),
        "the newest entries are kept"
    );
    sim.update_options(|o| o.request_log_limit = 0);
    sim.clear_requests();
    raw.call("GET", "/REST/Session/", None)
        .await
        .assert_success();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn api_version_headers_are_checked() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    for (version, ok) in [
        ("current", true),
        ("3.7.9", true),
        ("three", false),
        ("3..1", false),
    ] {
        let answer = raw
            .http
            .get(format!("{}/REST/Session/", raw.base))
            .header("Auth-Token", raw.token.clone().unwrap_or_default())
            .header("API-Version", version)
            .send()
            .await
            .expect("answers");
        let status = answer.status().as_u16();
        let body: serde_json::Value = answer.json().await.expect("json");
        if ok {
            assert_eq!(status, 200, "{version}");
        } else {
            assert_eq!(
                (status, body["msgs"][0]["ERR_CD"].as_str()),
                (400, Some("INVALID_VERSION")),
                "{version}"
            );
        }
    }
}
