//! Zones: create, list, get, publish, freeze, pending changes, SOA, nodes, secondaries.

use dyn_tm::records::{ARdata, RecordType, TxtRdata};
use dyn_tm::zones::SerialStyle;
use session_core::FailureKind;

use crate::support::{session, simulator, zone};

#[tokio::test]
async fn create_list_get_publish_and_delete() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut created = zone(&session, "example.com").await;
    assert_eq!(created.name(), "example.com");
    assert_eq!(created.zone_type(), "Primary");
    assert_eq!(created.serial_style(), "increment");

    let listed = session.zones().list().await.unwrap();
    assert_eq!(
        listed.iter().map(dyn_tm::Zone::name).collect::<Vec<_>>(),
        ["example.com"]
    );

    created
        .records()
        .add("www", ARdata::new("192.0.2.1".parse().unwrap()))
        .await
        .unwrap();
    let published = created.publish(Some("first")).await.unwrap();
    assert_eq!(published.serial, 1);
    assert!(published.task_id.is_some());
    assert_eq!(
        session.zones().get("example.com").await.unwrap().serial(),
        1
    );
    let notes = created.notes(None, None).await.unwrap();
    assert_eq!(notes.last().unwrap()["note"], "first");

    session.zones().delete("example.com").await.unwrap();
    let gone = session.zones().get("example.com").await.unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
}

#[tokio::test]
async fn duplicate_and_unknown_zones_are_typed_errors() {
    let sim = simulator().await;
    let session = session(&sim).await;
    zone(&session, "example.com").await;
    let duplicate = session
        .zones()
        .create("example.com", "h@example.com", 60, SerialStyle::Day)
        .await
        .unwrap_err();
    assert!(duplicate.is_already_exists(), "{duplicate:?}");
    let unknown = session.zones().get("nope.example").await.unwrap_err();
    assert!(unknown.is_not_found());
    let invalid = session
        .zones()
        .create("bad/name", "h@x.com", 60, SerialStyle::Day)
        .await
        .unwrap_err();
    assert!(matches!(invalid, dyn_tm::Error::InvalidArgument(_)));
}

#[tokio::test]
async fn publish_with_nothing_pending_is_refused() {
    let sim = simulator().await;
    sim.update_options(|options| options.publish_requires_changes = true);
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    zone.publish(None).await.unwrap();
    let error = zone.publish(None).await.unwrap_err();
    assert!(error.codes().contains(&"ILLEGAL_OPERATION"), "{error:?}");
}

#[tokio::test]
async fn freeze_blocks_changes_until_thaw() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let zone = zone(&session, "example.com").await;
    zone.freeze().await.unwrap();
    let refused = zone
        .records()
        .add("www", ARdata::new("192.0.2.1".parse().unwrap()))
        .await;
    assert!(refused.is_err());
    zone.thaw().await.unwrap();
    zone.records()
        .add("www", ARdata::new("192.0.2.1".parse().unwrap()))
        .await
        .unwrap();
}

#[tokio::test]
async fn pending_changes_are_listed_and_discarded() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let zone = zone(&session, "example.com").await;
    zone.records()
        .add("txt", TxtRdata::new("hello"))
        .await
        .unwrap();
    let changes = zone.changes().await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].change_type, "add");
    assert_eq!(changes[0].record_type, RecordType::TXT);
    assert_eq!(changes[0].fqdn, "txt.example.com");
    assert_eq!(changes[0].rdata["txtdata"], "hello");
    zone.discard_changes().await.unwrap();
    assert!(zone.changes().await.unwrap().is_empty());
    let error = zone
        .records()
        .list("txt", &RecordType::TXT)
        .await
        .unwrap_err();
    assert!(error.is_not_found());
}

#[tokio::test]
async fn soa_contact_ttl_and_serial_style() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    assert_eq!(zone.contact().await.unwrap(), "hostmaster.example.com.");
    assert_eq!(zone.ttl().await.unwrap(), 3600);
    zone.set_contact("admin.example.com.").await.unwrap();
    zone.set_ttl(600).await.unwrap();
    zone.set_serial_style(SerialStyle::Epoch).await.unwrap();
    zone.publish(None).await.unwrap();
    assert_eq!(zone.contact().await.unwrap(), "admin.example.com.");
    assert_eq!(zone.ttl().await.unwrap(), 600);
    assert_eq!(zone.serial_style(), "epoch");
    assert!(
        zone.serial() > 1_000_000_000,
        "epoch serial: {}",
        zone.serial()
    );
}

#[tokio::test]
async fn node_tree_lists_and_deletes_subtrees() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    for node in ["a", "x.a", "y.x.a", "b"] {
        records
            .add(node, ARdata::new("192.0.2.1".parse().unwrap()))
            .await
            .unwrap();
    }
    zone.publish(None).await.unwrap();
    let mut nodes = zone.nodes(None).await.unwrap();
    nodes.sort();
    assert_eq!(
        nodes,
        [
            "a.example.com",
            "b.example.com",
            "example.com",
            "x.a.example.com",
            "y.x.a.example.com"
        ]
    );
    assert_eq!(zone.nodes(Some("x.a")).await.unwrap().len(), 2);
    zone.delete_node("a").await.unwrap();
    zone.publish(None).await.unwrap();
    let mut nodes = zone.nodes(None).await.unwrap();
    nodes.sort();
    assert_eq!(nodes, ["b.example.com", "example.com"]);
    let apex = zone.delete_node("@").await.unwrap_err();
    assert!(apex.api_error().is_some());
}

#[tokio::test]
async fn zone_file_upload_and_apex() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let file = "$ORIGIN upload.test.\n$TTL 300\n@ IN SOA ns1.p01.dynect.net. admin.upload.test. 1 3600 600 604800 1800\nwww IN A 192.0.2.7\nmail IN MX 10 mx.upload.test.\n";
    let zone = session.zones().upload("upload.test", file).await.unwrap();
    let records = zone.records().all(None).await.unwrap();
    assert!(records.iter().any(|r| r.fqdn == "www.upload.test"
        && r.rdata == ARdata::new("192.0.2.7".parse().unwrap()).into()));
    assert_eq!(
        session.zones().apex("deep.www.upload.test").await.unwrap(),
        "upload.test"
    );
    let garbage = session
        .zones()
        .upload("bad.test", "this is not a zone file (")
        .await;
    assert!(garbage.is_err());
}

#[tokio::test]
async fn secondary_zones_lifecycle() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let secondaries = session.secondary_zones();
    let created = secondaries
        .create("sec.test", &["192.0.2.53"], None, None)
        .await
        .unwrap();
    assert_eq!(created.masters, ["192.0.2.53"]);
    assert_eq!(created.active, "Y");
    assert_eq!(
        secondaries.deactivate("sec.test").await.unwrap().active,
        "N"
    );
    assert_eq!(secondaries.activate("sec.test").await.unwrap().active, "Y");
    let moved = secondaries
        .set_masters("sec.test", &["192.0.2.54", "192.0.2.55"])
        .await
        .unwrap();
    assert_eq!(moved.masters.len(), 2);
    let before = secondaries.get("sec.test").await.unwrap().serial;
    let transferred = secondaries.retransfer("sec.test").await.unwrap();
    assert!(transferred.serial > before);
    assert!(transferred.task_id.is_some());
    let unknown_key = secondaries
        .set_tsig_key("sec.test", "nokey")
        .await
        .unwrap_err();
    assert_eq!(unknown_key.failure_kind(), Some(FailureKind::NotFound));
    assert_eq!(secondaries.list().await.unwrap().len(), 1);
    secondaries.delete("sec.test").await.unwrap();
    assert!(secondaries.list().await.unwrap().is_empty());
    let bad = secondaries
        .create("sec2.test", &["not-an-ip"], None, None)
        .await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn tasks_are_listed_read_and_cancelled() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    zone.records()
        .add("www", ARdata::new("192.0.2.1".parse().unwrap()))
        .await
        .unwrap();
    let task_id = zone.publish(None).await.unwrap().task_id.unwrap();
    let task = session.tasks().get(task_id).await.unwrap();
    assert_eq!(task.name, "Publish");
    assert_eq!(task.zone_name, "example.com");
    assert!(
        session
            .tasks()
            .list()
            .await
            .unwrap()
            .iter()
            .any(|t| t.task_id == task_id)
    );
    let blocker = sim.block_zone("acme", "example.com", std::time::Duration::from_secs(60));
    session.tasks().cancel(blocker).await.unwrap();
    assert!(
        session
            .tasks()
            .get(9_999_999)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn records_of_unknown_zones_and_nodes_are_not_found() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let ghost = session.zones().get("example.com").await;
    assert!(ghost.unwrap_err().is_not_found());
    let zone = zone(&session, "example.com").await;
    let missing_node = zone
        .records()
        .list("nobody", &RecordType::A)
        .await
        .unwrap_err();
    assert!(missing_node.is_not_found());
    let missing_id = zone
        .records()
        .get("@", &RecordType::SOA, 999_999)
        .await
        .unwrap_err();
    assert!(missing_id.is_not_found());
    session.zones().delete("example.com").await.unwrap();
    let gone = zone
        .records()
        .add("www", ARdata::new([192, 0, 2, 1].into()))
        .await
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
    assert!(
        session
            .zones()
            .delete("example.com")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn zone_transfer_creates_a_primary_zone() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let zone = session
        .zones()
        .transfer("moved.test", "192.0.2.53")
        .await
        .unwrap();
    assert_eq!(zone.name(), "moved.test");
    assert_eq!(zone.zone_type(), "Primary");
    assert!(
        session
            .zones()
            .transfer("bad.test", "not-an-ip")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_changed_password_is_needed_for_the_next_log_in() {
    let sim = simulator().await;
    let session = session(&sim).await;
    session.update_password("n3w-secret").await.unwrap();
    session.log_out().await.unwrap();
    let old = crate::support::builder(&sim).log_in_detached().await;
    assert!(old.is_err(), "the old password no longer works");
    crate::support::builder_for(&sim, dyn_sim::DEFAULT_USER, "n3w-secret")
        .log_in_detached()
        .await
        .unwrap();
}
