//! Services, TSIG keys, DSF objects, users and reports through the raw API.

use serde_json::json;

use crate::support::{Raw, sim};

async fn zone(sim: &dyn_sim::Simulator) -> Raw {
    let raw = Raw::logged_in(sim).await;
    raw.call(
        "POST",
        "/REST/Zone/svc.example/",
        Some(json!({"rname": "admin@svc.example"})),
    )
    .await
    .assert_success();
    raw.call(
        "PUT",
        "/REST/Zone/svc.example/",
        Some(json!({"publish": true})),
    )
    .await
    .assert_success();
    raw
}

#[tokio::test]
async fn http_redirect_validation_duplicates_and_soft_delete() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let path = "/REST/HTTPRedirect/svc.example/go.svc.example./";
    let body = json!({"code": 301, "keep_uri": "Y", "url": "https://target.example/"});
    let created = raw.call("POST", path, Some(body.clone())).await;
    assert_eq!(created.assert_success()["fqdn"], "go.svc.example");
    assert_eq!(
        raw.call("POST", path, Some(body)).await.err_cd(),
        "TARGET_EXISTS"
    );
    for bad in [
        json!({"code": 307, "keep_uri": "Y", "url": "https://t.example/"}),
        json!({"code": 301, "keep_uri": "maybe", "url": "https://t.example/"}),
        json!({"code": 301, "keep_uri": "N", "url": "ftp://t.example/"}),
    ] {
        let answer = raw
            .call(
                "POST",
                "/REST/HTTPRedirect/svc.example/bad.svc.example/",
                Some(bad),
            )
            .await;
        assert_eq!(answer.err_cd(), "INVALID_DATA", "{:#}", answer.body);
    }
    let missing = raw
        .call(
            "POST",
            "/REST/HTTPRedirect/svc.example/m.svc.example/",
            Some(json!({"code": 301})),
        )
        .await;
    assert_eq!(missing.err_cd(), "MISSING_DATA");
    raw.call("DELETE", path, Some(json!({"publish": "N"})))
        .await
        .assert_success();
    raw.call("GET", path, None).await.assert_success();
    raw.call(
        "PUT",
        "/REST/Zone/svc.example/",
        Some(json!({"publish": true})),
    )
    .await
    .assert_success();
    assert_eq!(
        raw.call("GET", path, None).await.status,
        404,
        "removed at publish"
    );
    let list = raw
        .call("GET", "/REST/HTTPRedirect/svc.example/", None)
        .await;
    assert_eq!(list.assert_success(), &json!([]));
}

#[tokio::test]
async fn ddns_failover_and_generated_ids() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let ddns = raw
        .call(
            "POST",
            "/REST/DDNS/svc.example/home.svc.example/A/",
            Some(json!({"address": "192.0.2.4", "user": "home", "full_setup": true})),
        )
        .await;
    let data = ddns.assert_success();
    assert_eq!(data["ddns"]["record_type"], "A");
    assert!(data["new_user"]["user_name"].is_string());
    let bad = raw
        .call(
            "POST",
            "/REST/DDNS/svc.example/v6.svc.example/AAAA/",
            Some(json!({"address": "192.0.2.4"})),
        )
        .await;
    assert_eq!(bad.err_cd(), "INVALID_DATA");
    let reset = raw
        .call(
            "PUT",
            "/REST/DDNS/svc.example/home.svc.example/A/",
            Some(json!({"reset": true, "deactivate": true})),
        )
        .await;
    assert_eq!(
        (
            reset.assert_success()["abuse_count"].as_u64(),
            reset.body["data"]["active"].as_str()
        ),
        (Some(0), Some("N"))
    );
    let monitor = json!({"protocol": "HTTP", "interval": 5});
    let failover = json!({"address": "192.0.2.8", "failover_mode": "ip", "failover_data": "192.0.2.9", "monitor": monitor, "contact_nickname": "owner"});
    raw.call(
        "POST",
        "/REST/Failover/svc.example/web.svc.example/",
        Some(failover),
    )
    .await
    .assert_success();
    let bad_monitor = raw
        .call(
            "PUT",
            "/REST/Failover/svc.example/web.svc.example/",
            Some(json!({"monitor": {"protocol": "GOPHER"}})),
        )
        .await;
    assert_eq!(bad_monitor.err_cd(), "INVALID_DATA");
    let track = raw
        .call(
            "POST",
            "/REST/IPTrack/svc.example/svc.example/",
            Some(json!({"hosts": ["192.0.2.0"], "netmask": "24"})),
        )
        .await;
    let id = track.assert_success()["iptrack_id"]
        .as_str()
        .expect("generated id")
        .to_owned();
    raw.call(
        "GET",
        &format!("/REST/IPTrack/svc.example/svc.example/{id}/"),
        None,
    )
    .await
    .assert_success();
}

#[tokio::test]
async fn tsig_keys_and_account_objects() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    raw.call(
        "POST",
        "/REST/TSIGKey/k1/",
        Some(json!({"name": "k1", "secret": "c2VjcmV0", "algorithm": "HMAC-SHA256"})),
    )
    .await
    .assert_success();
    let bad = raw
        .call(
            "POST",
            "/REST/TSIGKey/k2/",
            Some(json!({"secret": "c2VjcmV0", "algorithm": "rot13"})),
        )
        .await;
    assert_eq!(bad.err_cd(), "INVALID_DATA");
    let list = raw.call("GET", "/REST/TSIGKey/?detail=Y", None).await;
    assert_eq!(list.assert_success()[0]["algorithm"], "hmac-sha256");
    let uris = raw.call("GET", "/REST/TSIGKey/", None).await;
    assert_eq!(uris.assert_success(), &json!(["/REST/TSIGKey/k1/"]));
    assert_eq!(
        raw.call("GET", "/REST/TSIGKey/none/", None).await.status,
        404
    );
    let notifier = raw
        .call("POST", "/REST/Notifier/", Some(json!({"label": "ops"})))
        .await;
    assert!(notifier.assert_success()["notifier_id"].is_string());
    raw.call(
        "PUT",
        "/REST/CustomerIPACL/api/",
        Some(json!({"netmasks": "192.0.2.0/24", "active": true})),
    )
    .await
    .assert_success();
    let acl = raw.call("GET", "/REST/CustomerIPACL/api/", None).await;
    assert_eq!(acl.assert_success()["active"], "Y");
}

#[tokio::test]
async fn traffic_director_objects_and_nodes() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let svc = raw
        .call(
            "POST",
            "/REST/DSF/",
            Some(json!({"label": "td", "publish": "Y"})),
        )
        .await;
    let id = svc.assert_success()["service_id"]
        .as_str()
        .expect("service id")
        .to_owned();
    assert_eq!(id.len(), 27);
    let ruleset = raw
        .call(
            "POST",
            &format!("/REST/DSFRuleset/{id}/"),
            Some(json!({"label": "default", "criteria_type": "always"})),
        )
        .await;
    let rid = ruleset.assert_success()["dsf_ruleset_id"]
        .as_str()
        .expect("ruleset id")
        .to_owned();
    raw.call("GET", &format!("/REST/DSFRuleset/{id}/{rid}/"), None)
        .await
        .assert_success();
    let orphan = raw
        .call(
            "POST",
            "/REST/DSFRuleset/nope/",
            Some(json!({"label": "x"})),
        )
        .await;
    assert_eq!(orphan.status, 404);
    let nodes = raw
        .call(
            "POST",
            &format!("/REST/DSFNode/{id}"),
            Some(json!({"node": {"zone": "svc.example", "fqdn": "td.svc.example."}})),
        )
        .await;
    assert_eq!(
        nodes.assert_success(),
        &json!([{"zone": "svc.example", "fqdn": "td.svc.example"}])
    );
    raw.call("DELETE", &format!("/REST/DSF/{id}/"), None)
        .await
        .assert_success();
    assert_eq!(
        raw.call("GET", &format!("/REST/DSFRuleset/{id}/{rid}/"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn users_permissions_and_reports() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let user = json!({"password": "pw", "email": "bob@example.com", "first_name": "Bob", "last_name": "B", "nickname": "bob", "organization": "Acme", "phone": "1"});
    raw.call("POST", "/REST/User/bob/", Some(user))
        .await
        .assert_success();
    raw.call(
        "PUT",
        "/REST/UserPermissionEntry/bob/",
        Some(json!({"permission": ["ZoneGet"]})),
    )
    .await
    .assert_success();
    raw.call("POST", "/REST/UserPermissionEntry/bob/RecordAdd/", None)
        .await
        .assert_success();
    let bob = raw.call("GET", "/REST/User/bob/", None).await;
    assert_eq!(
        bob.assert_success()["permission"],
        json!(["ZoneGet", "RecordAdd"])
    );
    raw.call("PUT", "/REST/User/bob/", Some(json!({"block": "True"})))
        .await
        .assert_success();
    let mut as_bob = Raw::new(&sim);
    assert_eq!(
        as_bob.login_as("acme", "bob", "pw").await.status,
        400,
        "blocked users cannot log in"
    );
    raw.call("PUT", "/REST/User/bob/", Some(json!({"unblock": "True"})))
        .await
        .assert_success();
    as_bob.login_as("acme", "bob", "pw").await.assert_success();
    let check = as_bob
        .call(
            "POST",
            "/REST/CheckPermissionReport/",
            Some(json!({"permission": ["ZoneGet", "ZoneDelete"]})),
        )
        .await;
    let data = check.assert_success();
    assert_eq!(
        (
            data["allowed"][0]["name"].as_str(),
            data["forbidden"][0]["name"].as_str()
        ),
        (Some("ZoneGet"), Some("ZoneDelete"))
    );
    let qps = raw
        .call(
            "POST",
            "/REST/QPSReport/",
            Some(json!({"start_ts": 1_700_000_000, "end_ts": 1_700_000_900})),
        )
        .await;
    assert!(
        qps.assert_success()["csv"]
            .as_str()
            .expect("csv")
            .starts_with("Timestamp,Queries")
    );
    let notes = raw
        .call(
            "POST",
            "/REST/ZoneNoteReport/",
            Some(json!({"zone": "svc.example"})),
        )
        .await;
    assert_eq!(notes.assert_success()[0]["type"], "publish");
}

#[tokio::test]
async fn users_without_a_permission_are_denied() {
    let mut user = dyn_sim::UserSeed::new("acme", "reader", "r3ader");
    user.permissions = vec!["ZoneGet".into(), "RecordGet".into()];
    let sim = dyn_sim::Simulator::builder()
        .seed(dyn_sim::Seed::standard())
        .start()
        .await
        .expect("starts");
    sim.add_user(user);
    let admin = zone(&sim).await;
    let mut reader = Raw::new(&sim);
    reader
        .login_as("acme", "reader", "r3ader")
        .await
        .assert_success();
    reader
        .call("GET", "/REST/Zone/svc.example/", None)
        .await
        .assert_success();
    let denied = reader
        .call(
            "POST",
            "/REST/ARecord/svc.example/svc.example/",
            Some(json!({"rdata": {"address": "192.0.2.1"}})),
        )
        .await;
    denied.assert_envelope();
    assert_eq!(
        (denied.status, denied.err_cd(), denied.info(0)),
        (
            400,
            "PERMISSION_DENIED",
            "permission: You do not have the RecordAdd permission"
        )
    );
    admin
        .call(
            "PUT",
            "/REST/UserForbidEntry/reader/",
            Some(json!({"forbid": ["ZoneGet"]})),
        )
        .await
        .assert_success();
    assert_eq!(
        reader
            .call("GET", "/REST/Zone/svc.example/", None)
            .await
            .err_cd(),
        "PERMISSION_DENIED"
    );
}

#[tokio::test]
async fn dnssec_is_listed_across_zones() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let keys = json!([{"type": "KSK", "algorithm": "RSA/SHA-256", "bits": 2048}]);
    raw.call(
        "POST",
        "/REST/DNSSEC/svc.example/",
        Some(json!({"keys": keys, "contact_nickname": "owner"})),
    )
    .await
    .assert_success();
    let bad = raw
        .call(
            "PUT",
            "/REST/DNSSEC/svc.example/",
            Some(json!({"keys": [{"type": "KSK", "algorithm": "MD5", "bits": 2048}]})),
        )
        .await;
    assert_eq!(bad.err_cd(), "INVALID_DATA");
    let all = raw
        .call("GET", "/REST/DNSSEC/", Some(json!({"detail": "Y"})))
        .await;
    assert_eq!(all.assert_success()[0]["zone"], "svc.example");
    assert_eq!(all.body["data"][0]["keys"][0]["type"], "KSK");
}
