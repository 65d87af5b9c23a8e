//! Services against the simulator: typed HTTP redirects, the generic node services (DDNS,
//! failover, GSLB, RTTM, reverse DNS, advanced redirect, DNSSEC), Traffic Director, and the
//! IP change tools.

use std::net::IpAddr;

use dyn_tm::records::{ARdata, AaaaRdata, RecordType};
use dyn_tm::tools;
use serde_json::json;

use crate::support::{session, simulator, zone};

#[tokio::test]
async fn http_redirects_are_typed_and_validated() {
    let sim = simulator().await;
    let session = session(&sim).await;
    zone(&session, "example.com").await;
    let redirects = session.services().http_redirects();
    let created = redirects
        .create("example.com", "www", 301, true, "https://example.org/")
        .await
        .unwrap();
    assert_eq!(created.fqdn, "www.example.com");
    assert!(created.keep_uri);
    let updated = redirects
        .update("example.com", "www", 302, false, "https://example.net/")
        .await
        .unwrap();
    assert_eq!(updated.code, 302);
    // Read from a list, then deleted: dyn-python failed here.
    let listed = redirects.list("example.com").await.unwrap();
    assert_eq!(listed, [updated]);
    redirects
        .delete(&listed[0].zone, &listed[0].fqdn)
        .await
        .unwrap();
    assert!(
        redirects
            .get("example.com", "www")
            .await
            .unwrap_err()
            .is_not_found()
    );
    let bad_code = redirects
        .create("example.com", "www", 307, false, "https://example.net/")
        .await
        .unwrap_err();
    assert!(bad_code.codes().contains(&"INVALID_DATA"));
    let bad_url = redirects
        .create("example.com", "www", 301, false, "ftp://example.net/")
        .await;
    assert!(bad_url.is_err());
    let no_zone = redirects.list("nope.test").await.unwrap_err();
    assert!(no_zone.is_not_found());
}

#[tokio::test]
async fn node_services_create_read_update_delete() {
    let sim = simulator().await;
    let session = session(&sim).await;
    zone(&session, "example.com").await;
    session
        .accounts()
        .contacts()
        .create(
            Some("ops"),
            json!({"email": "ops@example.com", "first_name": "O", "last_name": "P"}),
        )
        .await
        .unwrap();
    let services = session.services();

    let ddns = services.ddns();
    ddns.create(
        "example.com",
        "home",
        &["A"],
        json!({"address": "192.0.2.8"}),
    )
    .await
    .unwrap();
    let off = ddns
        .update("example.com", "home", &["A"], json!({"deactivate": true}))
        .await
        .unwrap();
    assert_eq!(off["active"], "N");
    let wrong_family = ddns
        .create(
            "example.com",
            "home6",
            &["AAAA"],
            json!({"address": "192.0.2.8"}),
        )
        .await;
    assert!(wrong_family.is_err());

    let failover = services.active_failover();
    let monitor = json!({"protocol": "HTTP", "interval": 5});
    failover
        .create(
            "example.com",
            "fo",
            &[],
            json!({"address": "192.0.2.1", "failover_mode": "ip", "failover_data": "192.0.2.2",
                   "monitor": monitor, "contact_nickname": "ops"}),
        )
        .await
        .unwrap();
    let bad_interval = failover
        .update(
            "example.com",
            "fo",
            &[],
            json!({"monitor": {"protocol": "HTTP", "interval": 7}}),
        )
        .await
        .unwrap_err();
    assert!(bad_interval.codes().contains(&"INVALID_DATA"));

    let gslb = services.gslb();
    gslb.create(
        "example.com",
        "lb",
        &[],
        json!({"contact_nickname": "ops", "ttl": 30}),
    )
    .await
    .unwrap();
    services
        .gslb_regions()
        .create(
            "example.com",
            "lb",
            &[],
            json!({"region_code": "global", "pool": []}),
        )
        .await
        .unwrap();
    services
        .gslb_pool_entries()
        .create(
            "example.com",
            "lb",
            &["global"],
            json!({"address": "192.0.2.20", "weight": 3}),
        )
        .await
        .unwrap();
    let entry = services
        .gslb_pool_entries()
        .get("example.com", "lb", &["global", "192.0.2.20"])
        .await
        .unwrap();
    assert_eq!(entry["serve_mode"], "obey");

    services
        .rttm()
        .create("example.com", "rt", &[], json!({"contact_nickname": "ops"}))
        .await
        .unwrap();
    services
        .rttm_regions()
        .create(
            "example.com",
            "rt",
            &[],
            json!({"region_code": "US East", "pool": []}),
        )
        .await
        .unwrap();
    assert_eq!(
        services
            .rttm_regions()
            .list("example.com")
            .await
            .unwrap()
            .len(),
        1
    );

    let iptrack = services
        .reverse_dns()
        .create(
            "example.com",
            "@",
            &[],
            json!({"hosts": ["example.com"], "netmask": "192.0.2.0/24"}),
        )
        .await
        .unwrap();
    let id = iptrack["iptrack_id"].as_str().unwrap().to_owned();
    services
        .reverse_dns()
        .delete("example.com", "@", &[&id])
        .await
        .unwrap();

    services
        .advanced_redirect()
        .create("example.com", "adv", &[], json!({"active": "Y"}))
        .await
        .unwrap();
    let rule = services
        .advanced_redirect_rules()
        .create(
            "example.com",
            "adv",
            &[],
            json!({"code": 301, "url_pattern": "https://x.test/"}),
        )
        .await
        .unwrap();
    assert!(rule["public_id"].is_string());

    let dnssec = services.dnssec();
    dnssec
        .create(
            "example.com",
            "",
            &[],
            json!({"keys": [{"type": "KSK", "algorithm": "RSA/SHA-256", "bits": 2048}],
                   "contact_nickname": "ops"}),
        )
        .await
        .unwrap();
    let fetched = dnssec.get("example.com", "", &[]).await.unwrap();
    assert_eq!(fetched["keys"][0]["type"], "KSK");
    let bad_bits = dnssec
        .update(
            "example.com",
            "",
            &[],
            json!({"keys": [{"type": "ZSK", "algorithm": "DSA", "bits": 1000}]}),
        )
        .await;
    assert!(bad_bits.is_err());
    dnssec.delete("example.com", "", &[]).await.unwrap();

    assert_eq!(ddns.list("example.com").await.unwrap().len(), 1);
    ddns.delete("example.com", "home", &["A"]).await.unwrap();
    assert!(ddns.list("example.com").await.unwrap().is_empty());
}

#[tokio::test]
async fn traffic_director_services_children_and_nodes() {
    let sim = simulator().await;
    let session = session(&sim).await;
    zone(&session, "example.com").await;
    let services = session.services();
    let dsf = services
        .traffic_director()
        .create(None, json!({"label": "td", "publish": "Y"}))
        .await
        .unwrap();
    let id = dsf["service_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 27);
    let ruleset = services
        .dsf_rulesets(&id)
        .create(None, json!({"label": "default", "publish": "Y"}))
        .await
        .unwrap();
    assert_eq!(ruleset["criteria_type"], "always");
    services
        .dsf_response_pools(&id)
        .create(None, json!({"label": "pool"}))
        .await
        .unwrap();
    assert_eq!(services.dsf_rulesets(&id).list().await.unwrap().len(), 1);
    let nodes = services
        .dsf_attach_node(&id, "example.com", "td")
        .await
        .unwrap();
    assert_eq!(
        nodes,
        [("example.com".to_owned(), "td.example.com".to_owned())]
    );
    assert!(
        services
            .dsf_detach_node(&id, "example.com", "td")
            .await
            .unwrap()
            .is_empty()
    );
    let orphan = services
        .dsf_rulesets("no-such-service")
        .create(None, json!({"label": "x"}))
        .await
        .unwrap_err();
    assert!(orphan.is_not_found());
    services.traffic_director().delete(&id).await.unwrap();
    assert!(services.traffic_director().list().await.unwrap().is_empty());
}

#[tokio::test]
async fn change_ip_updates_and_publishes() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    let old: IpAddr = "192.0.2.1".parse().unwrap();
    let new: IpAddr = "198.51.100.1".parse().unwrap();
    records
        .add("a", ARdata::new([192, 0, 2, 1].into()))
        .await
        .unwrap();
    records
        .add("b", ARdata::new([192, 0, 2, 1].into()))
        .await
        .unwrap();
    records
        .add("c", ARdata::new([192, 0, 2, 2].into()))
        .await
        .unwrap();
    records
        .add("d", AaaaRdata::new("2001:db8::1".parse().unwrap()))
        .await
        .unwrap();
    zone.publish(None).await.unwrap();
    let change = tools::change_ip(&mut zone, old, new, true).await.unwrap();
    assert_eq!(change.changed.len(), 2);
    assert_eq!(
        change.published.unwrap().serial,
        2,
        "the change was published"
    );
    assert!(zone.changes().await.unwrap().is_empty());
    let a_records = records.all(None).await.unwrap();
    let moved = a_records
        .iter()
        .filter(|r| r.rdata == ARdata::new([198, 51, 100, 1].into()).into())
        .count();
    assert_eq!(moved, 2);
    let six: IpAddr = "2001:db8::1".parse().unwrap();
    let six_new: IpAddr = "2001:db8::2".parse().unwrap();
    let mapped = tools::map_ips(&mut zone, &[(six, six_new), (old, new)], false)
        .await
        .unwrap();
    assert_eq!(mapped.changed.len(), 1);
    assert!(mapped.published.is_none());

    // A zone without A records (dyn-python crashed, issue #136).
    let mut empty = crate::support::zone(&session, "empty.test").await;
    let none = tools::change_ip(&mut empty, old, new, true).await.unwrap();
    assert!(none.changed.is_empty() && none.published.is_none());
    assert!(records.list("d", &RecordType::AAAA).await.unwrap()[0].is_published());
}

#[tokio::test]
async fn typed_ddns_and_active_failover() {
    use dyn_tm::services::{HealthMonitor, NewFailover};

    let sim = simulator().await;
    let session = session(&sim).await;
    zone(&session, "example.com").await;
    session
        .accounts()
        .contacts()
        .create(Some("ops"), json!({"email": "ops@example.com"}))
        .await
        .unwrap();
    let ddns = session.services().ddns_typed();
    let created = ddns
        .create("example.com", "home", "A", "192.0.2.8")
        .await
        .unwrap();
    assert!(created.active);
    assert_eq!(created.fqdn, "home.example.com");
    let moved = ddns
        .set_address("example.com", "home", "A", "192.0.2.9")
        .await
        .unwrap();
    assert_eq!(moved.address, "192.0.2.9");
    assert!(
        !ddns
            .deactivate("example.com", "home", "A")
            .await
            .unwrap()
            .active
    );
    assert!(
        ddns.activate("example.com", "home", "A")
            .await
            .unwrap()
            .active
    );
    assert_eq!(
        ddns.reset("example.com", "home", "A")
            .await
            .unwrap()
            .abuse_count,
        0
    );
    assert_eq!(ddns.list("example.com").await.unwrap().len(), 1);
    ddns.delete("example.com", "home", "A").await.unwrap();
    assert!(
        ddns.get("example.com", "home", "A")
            .await
            .unwrap_err()
            .is_not_found()
    );

    let failovers = session.services().active_failovers();
    let mut monitor = HealthMonitor::new("HTTPS", 5);
    monitor.path = Some("/health".into());
    monitor.timeout = Some(10);
    let created = failovers
        .create(
            "example.com",
            "fo",
            &NewFailover::ip("192.0.2.1", "192.0.2.2", monitor.clone(), "ops"),
        )
        .await
        .unwrap();
    assert_eq!(created.monitor, monitor);
    assert_eq!(created.status, "ok");
    let mut slower = HealthMonitor::new("PING", 15);
    slower.retries = Some(3);
    assert_eq!(
        failovers
            .set_monitor("example.com", "fo", &slower)
            .await
            .unwrap()
            .monitor,
        slower
    );
    assert!(
        !failovers
            .act("example.com", "fo", "deactivate")
            .await
            .unwrap()
            .active
    );
    assert!(failovers.act("example.com", "fo", "recover").await.is_ok());
    assert!(failovers.act("example.com", "fo", "explode").await.is_err());
    let bad = failovers
        .set_monitor("example.com", "fo", &HealthMonitor::new("GOPHER", 5))
        .await
        .unwrap_err();
    assert!(bad.codes().contains(&"INVALID_DATA"));
    assert_eq!(failovers.list("example.com").await.unwrap().len(), 1);
    failovers.delete("example.com", "fo").await.unwrap();
}
