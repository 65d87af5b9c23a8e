//! Zones through the raw API: creation, listing, publish and serials, freeze, tasks, pending
//! changes per session, zone files.

use std::time::Duration;

use serde_json::json;

use crate::support::{Raw, sim};

async fn with_zone(sim: &dyn_sim::Simulator, zone: &str, style: &str) -> Raw {
    let raw = Raw::logged_in(sim).await;
    let body = json!({"rname": format!("admin@{zone}"), "ttl": 3600, "serial_style": style});
    raw.call("POST", &format!("/REST/Zone/{zone}/"), Some(body))
        .await
        .assert_success();
    raw
}

#[tokio::test]
async fn create_get_list_and_delete() {
    let sim = sim().await;
    let raw = with_zone(&sim, "example.com", "increment").await;
    let zone = raw.call("GET", "/REST/Zone/EXAMPLE.com.", None).await;
    assert_eq!(
        zone.assert_success(),
        &json!({"zone": "example.com", "serial": 0, "serial_style": "increment", "zone_type": "Primary"})
    );
    assert_eq!(zone.info(0), "get: Your zone, example.com");
    let uris = raw.call("GET", "/REST/Zone/", None).await;
    assert_eq!(uris.assert_success(), &json!(["/REST/Zone/example.com/"]));
    let detail = raw.call("GET", "/REST/Zone/?detail=Y", None).await;
    assert_eq!(detail.assert_success()[0]["zone"], "example.com");
    let dup = raw
        .call(
            "POST",
            "/REST/Zone/example.com/",
            Some(json!({"rname": "a@example.com"})),
        )
        .await;
    dup.assert_envelope();
    assert_eq!(
        (dup.status, dup.err_cd(), dup.info(0), dup.info(1)),
        (
            400,
            "TARGET_EXISTS",
            "name: Name already exists",
            "create: You already have this zone."
        )
    );
    raw.call("DELETE", "/REST/Zone/example.com/", None)
        .await
        .assert_success();
    let gone = raw.call("GET", "/REST/Zone/example.com/", None).await;
    assert_eq!(
        (gone.status, gone.err_cd(), gone.info(0)),
        (404, "NOT_FOUND", "zone: No such zone")
    );
    assert_eq!(gone.body["msgs"][0]["SOURCE"], "API-B");
}

#[tokio::test]
async fn creation_is_validated() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let no_rname = raw
        .call("POST", "/REST/Zone/a.example/", Some(json!({"ttl": 60})))
        .await;
    assert_eq!(
        (no_rname.err_cd(), no_rname.info(0)),
        ("MISSING_DATA", "rname: required field missing")
    );
    let style = raw
        .call(
            "POST",
            "/REST/Zone/a.example/",
            Some(json!({"rname": "x@a.example", "serial_style": "weekly"})),
        )
        .await;
    assert_eq!(style.err_cd(), "INVALID_DATA");
    let name = raw
        .call(
            "POST",
            "/REST/Zone/bad_name!/",
            Some(json!({"rname": "x@a.example"})),
        )
        .await;
    assert_eq!(name.err_cd(), "INVALID_DATA");
}

#[tokio::test]
async fn publish_bumps_the_serial_by_style_and_needs_changes() {
    let sim = sim().await;
    let raw = with_zone(&sim, "day.example", "day").await;
    let first = raw
        .call(
            "PUT",
            "/REST/Zone/day.example/",
            Some(json!({"publish": true, "notes": "one"})),
        )
        .await;
    let serial = first.assert_success()["serial"].as_u64().expect("serial");
    assert_eq!(
        serial % 100,
        0,
        "first publish of the day ends in 00: {serial}"
    );
    assert!(first.body["data"]["task_id"].is_string());
    assert_eq!(first.info(0), "publish: day.example published");
    let nothing = raw
        .call(
            "PUT",
            "/REST/Zone/day.example/",
            Some(json!({"publish": true})),
        )
        .await;
    assert_eq!(nothing.err_cd(), "ILLEGAL_OPERATION");
    raw.call(
        "POST",
        "/REST/ARecord/day.example/www.day.example/",
        Some(json!({"rdata": {"address": "192.0.2.1"}})),
    )
    .await
    .assert_success();
    let second = raw
        .call(
            "PUT",
            "/REST/Zone/day.example/",
            Some(json!({"publish": "Y"})),
        )
        .await;
    assert_eq!(second.assert_success()["serial"].as_u64(), Some(serial + 1));

    let epoch = with_zone(&sim, "epoch.example", "epoch").await;
    let published = epoch
        .call(
            "PUT",
            "/REST/Zone/epoch.example/",
            Some(json!({"publish": true})),
        )
        .await;
    assert!(
        published.assert_success()["serial"]
            .as_u64()
            .expect("serial")
            > 1_700_000_000
    );
    let minute = with_zone(&sim, "minute.example", "minute").await;
    let published = minute
        .call(
            "PUT",
            "/REST/Zone/minute.example/",
            Some(json!({"publish": true})),
        )
        .await;
    assert_eq!(published.assert_success()["serial"].to_string().len(), 10);
    let both = raw
        .call(
            "PUT",
            "/REST/Zone/day.example/",
            Some(json!({"publish": true, "freeze": true})),
        )
        .await;
    assert_eq!(both.err_cd(), "INVALID_DATA");
}

#[tokio::test]
async fn frozen_zones_refuse_changes_until_thawed() {
    let sim = sim().await;
    let raw = with_zone(&sim, "frozen.example", "increment").await;
    raw.call(
        "PUT",
        "/REST/Zone/frozen.example/",
        Some(json!({"freeze": true})),
    )
    .await
    .assert_success();
    let add = raw
        .call(
            "POST",
            "/REST/ARecord/frozen.example/frozen.example/",
            Some(json!({"rdata": {"address": "192.0.2.1"}})),
        )
        .await;
    assert_eq!((add.status, add.err_cd()), (400, "ILLEGAL_OPERATION"));
    let publish = raw
        .call(
            "PUT",
            "/REST/Zone/frozen.example/",
            Some(json!({"publish": true})),
        )
        .await;
    assert_eq!(publish.err_cd(), "ILLEGAL_OPERATION");
    raw.call(
        "PUT",
        "/REST/Zone/frozen.example/",
        Some(json!({"thaw": true})),
    )
    .await
    .assert_success();
    raw.call(
        "POST",
        "/REST/ARecord/frozen.example/frozen.example/",
        Some(json!({"rdata": {"address": "192.0.2.1"}})),
    )
    .await
    .assert_success();
}

#[tokio::test]
async fn a_blocking_task_blocks_writes_and_is_listed() {
    let sim = sim().await;
    let raw = with_zone(&sim, "busy.example", "increment").await;
    let task_id = sim.block_zone("acme", "busy.example", Duration::from_secs(30));
    let add = raw
        .call(
            "POST",
            "/REST/TXTRecord/busy.example/busy.example/",
            Some(json!({"rdata": {"txtdata": "x"}})),
        )
        .await;
    assert_eq!(add.info(0), "zone: Operation blocked by current task");
    assert_eq!(add.info(2), format!("task_id: {task_id}"));
    let task = raw
        .call("GET", &format!("/REST/Task/{task_id}/"), None)
        .await;
    assert_eq!(task.assert_success()["status"], "running");
    assert_eq!(task.body["data"]["blocking"], "Y");
    let notdone = raw.call("GET", "/REST/Task/?status=notdone", None).await;
    assert_eq!(notdone.assert_success().as_array().map(Vec::len), Some(1));
    sim.advance_clock(Duration::from_secs(31));
    raw.call(
        "POST",
        "/REST/TXTRecord/busy.example/busy.example/",
        Some(json!({"rdata": {"txtdata": "x"}})),
    )
    .await
    .assert_success();
    let done = raw
        .call("GET", &format!("/REST/Task/{task_id}"), None)
        .await;
    assert_eq!(done.body["data"]["status"], "complete");
    let cancel = raw
        .call("DELETE", &format!("/REST/Task/{task_id}/"), None)
        .await;
    assert_eq!(cancel.err_cd(), "ILLEGAL_OPERATION");
}

#[tokio::test]
async fn publish_can_start_a_blocking_task() {
    let sim = sim().await;
    sim.update_options(|o| o.publish_blocks_for = Some(Duration::from_secs(10)));
    let raw = with_zone(&sim, "slow.example", "increment").await;
    raw.call(
        "PUT",
        "/REST/Zone/slow.example/",
        Some(json!({"publish": true})),
    )
    .await
    .assert_success();
    let blocked = raw
        .call(
            "POST",
            "/REST/ARecord/slow.example/slow.example/",
            Some(json!({"rdata": {"address": "192.0.2.1"}})),
        )
        .await;
    assert_eq!(blocked.info(1), "task_name: Publish");
}

#[tokio::test]
async fn pending_changes_belong_to_their_session() {
    let sim = sim().await;
    let alice = with_zone(&sim, "pending.example", "increment").await;
    let other = Raw::logged_in(&sim).await;
    let add = alice
        .call(
            "POST",
            "/REST/ARecord/pending.example/www.pending.example./",
            Some(json!({"rdata": {"address": "192.0.2.7"}, "ttl": 0})),
        )
        .await;
    assert_eq!(add.assert_success()["record_id"], 0);
    assert_eq!(
        add.body["data"]["ttl"], 3600,
        "ttl 0 means the zone default"
    );
    let changes = alice
        .call("GET", "/REST/ZoneChanges/pending.example/", None)
        .await;
    assert_eq!(changes.assert_success()[0]["rdata_type"], "A");
    let unseen = other
        .call(
            "GET",
            "/REST/ARecord/pending.example/www.pending.example/",
            None,
        )
        .await;
    assert_eq!((unseen.status, unseen.info(0)), (404, "node: Not in zone"));
    alice
        .call("DELETE", "/REST/ZoneChanges/pending.example/", None)
        .await
        .assert_success();
    let discarded = alice
        .call("GET", "/REST/ZoneChanges/pending.example/", None)
        .await;
    assert_eq!(discarded.assert_success(), &json!([]));
    alice
        .call(
            "POST",
            "/REST/ARecord/pending.example/www.pending.example./",
            Some(json!({"rdata": {"address": "192.0.2.8"}})),
        )
        .await
        .assert_success();
    alice
        .call(
            "PUT",
            "/REST/Zone/pending.example/",
            Some(json!({"publish": true})),
        )
        .await
        .assert_success();
    let seen = other
        .call(
            "GET",
            "/REST/ARecord/pending.example/www.pending.example/?detail=Y",
            None,
        )
        .await;
    let records = seen.assert_success().as_array().expect("list").clone();
    assert_eq!(records.len(), 1);
    assert!(records[0]["record_id"].as_u64().expect("id") >= 300_000_000);
    assert_eq!(records[0]["fqdn"], "www.pending.example");
}

#[tokio::test]
async fn logout_discards_pending_changes() {
    let sim = sim().await;
    let alice = with_zone(&sim, "gone.example", "increment").await;
    alice
        .call(
            "PUT",
            "/REST/Zone/gone.example/",
            Some(json!({"publish": true})),
        )
        .await
        .assert_success();
    alice
        .call(
            "POST",
            "/REST/ARecord/gone.example/a.gone.example/",
            Some(json!({"rdata": {"address": "192.0.2.1"}})),
        )
        .await
        .assert_success();
    alice
        .call("DELETE", "/REST/Session/", None)
        .await
        .assert_success();
    let again = Raw::logged_in(&sim).await;
    let publish = again
        .call(
            "PUT",
            "/REST/Zone/gone.example/",
            Some(json!({"publish": true})),
        )
        .await;
    assert_eq!(
        publish.err_cd(),
        "ILLEGAL_OPERATION",
        "nothing left to publish"
    );
}

#[tokio::test]
async fn zone_files_create_zones_with_their_records() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let file = "$TTL 300\n@ IN SOA ns1.file.example. admin.file.example. 1 3600 600 604800 1800\n\
                www IN A 192.0.2.5\nmail IN MX 10 mx.file.example.\n";
    raw.call(
        "POST",
        "/REST/ZoneFile/file.example/",
        Some(json!({"file": file})),
    )
    .await
    .assert_success();
    let all = raw
        .call("GET", "/REST/AllRecord/file.example/?detail=Y", None)
        .await;
    let data = all.assert_success();
    assert_eq!(data["a_records"][0]["rdata"]["address"], "192.0.2.5");
    assert_eq!(data["mx_records"][0]["rdata"]["preference"], 10);
    assert_eq!(
        data["soa_records"][0]["rdata"]["rname"],
        "admin.file.example."
    );
    let bad = raw
        .call(
            "POST",
            "/REST/ZoneFile/bad.example/",
            Some(json!({"file": "www IN A 999.1.1.1\n"})),
        )
        .await;
    assert_eq!(bad.err_cd(), "INVALID_DATA");
}

#[tokio::test]
async fn secondary_zones_and_the_apex() {
    let sim = sim().await;
    let raw = Raw::logged_in(&sim).await;
    let missing_key = raw
        .call(
            "POST",
            "/REST/Secondary/sec.example/",
            Some(json!({"masters": ["192.0.2.1"], "tsig_key_name": "nope"})),
        )
        .await;
    assert_eq!(
        (missing_key.status, missing_key.err_cd()),
        (404, "NOT_FOUND")
    );
    let created = raw
        .call(
            "POST",
            "/REST/Secondary/sec.example/",
            Some(json!({"masters": ["192.0.2.1"]})),
        )
        .await;
    assert_eq!(created.assert_success()["zone_type"], "Secondary");
    raw.call(
        "PUT",
        "/REST/Secondary/sec.example/",
        Some(json!({"deactivate": true})),
    )
    .await
    .assert_success();
    let got = raw.call("GET", "/REST/Secondary/sec.example/", None).await;
    assert_eq!(got.assert_success()["active"], "N");
    let zones = raw.call("GET", "/REST/Zone/?detail=Y", None).await;
    assert_eq!(zones.assert_success()[0]["zone_type"], "Secondary");
    let apex = raw
        .call("GET", "/REST/Apex/deep.node.sec.example", None)
        .await;
    assert_eq!(apex.assert_success()["zone"], "sec.example");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sessions_keep_their_changes_apart() {
    let sim = sim().await;
    with_zone(&sim, "shared.example", "increment").await;
    let mut tasks = Vec::new();
    for i in 0..32_u32 {
        let sim = sim.clone();
        tasks.push(tokio::spawn(async move {
            let raw = Raw::logged_in(&sim).await;
            let node = format!("/REST/TXTRecord/shared.example/n{i}.shared.example/");
            raw.call(
                "POST",
                &node,
                Some(json!({"rdata": {"txtdata": format!("from {i}")}})),
            )
            .await
            .assert_success();
            // Only this session sees its own pending record.
            let changes = raw
                .call("GET", "/REST/ZoneChanges/shared.example/", None)
                .await;
            assert_eq!(
                changes.assert_success().as_array().map(Vec::len),
                Some(1),
                "session {i}"
            );
            raw.call(
                "PUT",
                "/REST/Zone/shared.example/",
                Some(json!({"publish": true})),
            )
            .await
            .assert_success();
        }));
    }
    for task in tasks {
        task.await.expect("session task");
    }
    let reader = Raw::logged_in(&sim).await;
    let all = reader
        .call("GET", "/REST/AllRecord/shared.example/?detail=Y", None)
        .await;
    assert_eq!(
        all.assert_success()["txt_records"].as_array().map(Vec::len),
        Some(32)
    );
    let zone = reader.call("GET", "/REST/Zone/shared.example/", None).await;
    assert_eq!(
        zone.assert_success()["serial"],
        32,
        "one serial per publish"
    );
}
