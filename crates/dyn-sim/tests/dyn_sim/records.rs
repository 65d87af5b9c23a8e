//! Records through the raw API: every type's validation, duplicates, CNAME rules, ids, record
//! sets, deletes and the node tree.

use serde_json::{Value, json};

use crate::support::{Raw, sim};

async fn zone(sim: &dyn_sim::Simulator) -> Raw {
    let raw = Raw::logged_in(sim).await;
    raw.call(
        "POST",
        "/REST/Zone/rec.example/",
        Some(json!({"rname": "admin@rec.example"})),
    )
    .await
    .assert_success();
    raw
}

/// One valid and one invalid rdata for every record type that can be created.
fn samples() -> Vec<(&'static str, Value, Value)> {
    vec![
        (
            "A",
            json!({"address": "192.0.2.1"}),
            json!({"address": "192.0.2"}),
        ),
        (
            "AAAA",
            json!({"address": "2001:db8::1"}),
            json!({"address": "192.0.2.1"}),
        ),
        (
            "ALIAS",
            json!({"alias": "target.example."}),
            json!({"alias": "bad name"}),
        ),
        (
            "CAA",
            json!({"flags": 0, "tag": "issue", "value": "ca.example"}),
            json!({"flags": 0, "tag": "nope", "value": "x"}),
        ),
        (
            "CDNSKEY",
            json!({"protocol": 3, "public_key": "AwEAAQ==", "algorithm": 8, "flags": 257}),
            json!({"protocol": 3, "public_key": "k", "algorithm": 999, "flags": 257}),
        ),
        (
            "CDS",
            json!({"digest": "ABCD", "keytag": 1, "algorithm": 8, "digtype": 2}),
            json!({"digest": "ABCD", "keytag": 70000, "algorithm": 8, "digtype": 2}),
        ),
        (
            "CERT",
            json!({"format": 1, "tag": 2, "algorithm": 3, "certificate": "MIIB"}),
            json!({"format": "x", "tag": 2, "algorithm": 3, "certificate": "MIIB"}),
        ),
        (
            "CNAME",
            json!({"cname": "www.rec.example."}),
            json!({"cname": "no spaces allowed"}),
        ),
        (
            "CSYNC",
            json!({"soa_serial": 1, "flags": "soaminimum", "types": "A AAAA"}),
            json!({"soa_serial": -1, "flags": "x", "types": "A"}),
        ),
        (
            "DHCID",
            json!({"digest": "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="}),
            json!({"digest": {"no": 1}}),
        ),
        (
            "DNAME",
            json!({"dname": "other.example."}),
            json!({"dname": "bad..name"}),
        ),
        (
            "DNSKEY",
            json!({"protocol": 3, "public_key": "AwEAAQ==", "algorithm": 8, "flags": 256}),
            json!({"protocol": 3, "public_key": "k", "algorithm": 8, "flags": 70000}),
        ),
        (
            "DS",
            json!({"digest": "ABCD", "keytag": 1, "algorithm": 8, "digtype": 1}),
            json!({"digest": "ABCD", "keytag": 1, "algorithm": 8, "digtype": 300}),
        ),
        (
            "IPSECKEY",
            json!({"precedence": 10, "gatetype": 1, "algorithm": 2, "gateway": "192.0.2.9", "public_key": "AQNR"}),
            json!({"precedence": 900, "gatetype": 1, "algorithm": 2, "gateway": "g", "public_key": "k"}),
        ),
        (
            "KEY",
            json!({"algorithm": 8, "flags": 256, "protocol": 3, "public_key": "AwEAAQ=="}),
            json!({"algorithm": 8, "flags": -1, "protocol": 3, "public_key": "k"}),
        ),
        (
            "KX",
            json!({"exchange": "kx.rec.example.", "preference": 5}),
            json!({"exchange": "kx.rec.example.", "preference": 99999}),
        ),
        (
            "LOC",
            json!({"altitude": 10, "latitude": "52 22 23.000 N", "longitude": "4 53 32.000 E"}),
            json!({"altitude": 10}),
        ),
        (
            "MX",
            json!({"exchange": "mail.rec.example.", "preference": 10}),
            json!({"exchange": "mail.rec.example.", "preference": "high"}),
        ),
        (
            "NAPTR",
            json!({"order": 100, "preference": 10, "services": "E2U+sip", "regexp": "!^.*$!sip:a@b!", "replacement": "."}),
            json!({"order": 100, "preference": 10, "services": "E2U+sip", "regexp": "x"}),
        ),
        (
            "NS",
            json!({"nsdname": "ns.other.example."}),
            json!({"nsdname": "not a host"}),
        ),
        (
            "NSAP",
            json!({"nsap": "0x47000580005a0000000001e133ffffff00016100"}),
            json!({}),
        ),
        (
            "PTR",
            json!({"ptrdname": "host.rec.example."}),
            json!({"ptrdname": "bad host"}),
        ),
        (
            "PX",
            json!({"preference": 10, "map822": "a.example.", "mapx400": "b.example."}),
            json!({"preference": 10, "map822": "a"}),
        ),
        (
            "RP",
            json!({"mbox": "admin.rec.example.", "txtdname": "info.rec.example."}),
            json!({"mbox": "admin.rec.example."}),
        ),
        (
            "SPF",
            json!({"txtdata": "v=spf1 -all"}),
            json!({"txtdata": ["not", "text"]}),
        ),
        (
            "SRV",
            json!({"port": 443, "priority": 1, "target": "svc.rec.example.", "weight": 1}),
            json!({"port": 70000, "priority": 1, "target": "svc.rec.example.", "weight": 1}),
        ),
        (
            "SSHFP",
            json!({"algorithm": 1, "fptype": 1, "fingerprint": "abcdef"}),
            json!({"algorithm": 1000, "fptype": 1, "fingerprint": "abcdef"}),
        ),
        (
            "TLSA",
            json!({"cert_usage": 3, "selector": 1, "match_type": 1, "certificate": "abcd"}),
            json!({"cert_usage": 3, "selector": 1, "match_type": 256, "certificate": "abcd"}),
        ),
        ("TXT", json!({"txtdata": "hello"}), json!({"txtdata": null})),
    ]
}

#[tokio::test]
async fn every_type_is_created_read_back_and_validated() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    for (rtype, good, bad) in samples() {
        let node = format!("{}.rec.example", rtype.to_ascii_lowercase());
        let path = format!("/REST/{rtype}Record/rec.example/{node}./");
        let created = raw
            .call("POST", &path, Some(json!({"rdata": good, "ttl": 300})))
            .await;
        created.assert_envelope();
        let data = created.assert_success();
        assert_eq!(
            (data["record_type"].as_str(), data["record_id"].as_u64()),
            (Some(rtype), Some(0)),
            "{rtype}"
        );
        let read = raw.call("GET", &format!("{path}0/"), None).await;
        assert_eq!(
            read.assert_success()["rdata"],
            created.body["data"]["rdata"],
            "{rtype}"
        );
        let rejected = raw.call("POST", &path, Some(json!({"rdata": bad}))).await;
        rejected.assert_envelope();
        assert_eq!(rejected.status, 400, "{rtype}: {:#}", rejected.body);
        assert!(
            matches!(rejected.err_cd(), "INVALID_DATA" | "MISSING_DATA"),
            "{rtype}: {:#}",
            rejected.body
        );
        if rejected.err_cd() == "INVALID_DATA" {
            assert_eq!(
                rejected.info(1),
                format!("add: Could not create {rtype} record")
            );
        }
    }
    raw.call(
        "PUT",
        "/REST/Zone/rec.example/",
        Some(json!({"publish": true})),
    )
    .await
    .assert_success();
    let all = raw.call("GET", "/REST/AllRecord/rec.example/", None).await;
    let uris = all.assert_success().as_array().expect("uris").clone();
    assert_eq!(
        uris.len(),
        samples().len() + 5,
        "every sample plus SOA and four NS"
    );
    assert!(uris.iter().all(|u| {
        u.as_str()
            .is_some_and(|u| u.starts_with("/REST/") && !u.ends_with('/'))
    }));
}

#[tokio::test]
async fn duplicates_cname_rules_and_names_outside_the_zone() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let a = json!({"rdata": {"address": "192.0.2.1"}});
    raw.call(
        "POST",
        "/REST/ARecord/rec.example/www.rec.example/",
        Some(a.clone()),
    )
    .await
    .assert_success();
    let dup = raw
        .call(
            "POST",
            "/REST/ARecord/rec.example/WWW.rec.example./",
            Some(a),
        )
        .await;
    assert_eq!(
        (dup.err_cd(), dup.info(0), dup.info(1)),
        (
            "TARGET_EXISTS",
            "make: Cannot duplicate existing record data",
            "add: Record not added"
        )
    );
    let cname = raw
        .call(
            "POST",
            "/REST/CNAMERecord/rec.example/www.rec.example/",
            Some(json!({"rdata": {"cname": "x.example."}})),
        )
        .await;
    assert_eq!(cname.err_cd(), "ILLEGAL_OPERATION");
    let outside = raw
        .call(
            "POST",
            "/REST/ARecord/rec.example/www.other.example/",
            Some(json!({"rdata": {"address": "192.0.2.1"}})),
        )
        .await;
    assert_eq!(
        (outside.status, outside.info(0)),
        (404, "node: Not in zone")
    );
    let no_zone = raw
        .call("GET", "/REST/ARecord/nope.example/www.nope.example/", None)
        .await;
    assert_eq!(
        (no_zone.status, no_zone.info(0)),
        (404, "zone: No such zone")
    );
    let no_rdata = raw
        .call(
            "POST",
            "/REST/ARecord/rec.example/x.rec.example/",
            Some(json!({"ttl": 1})),
        )
        .await;
    assert_eq!(no_rdata.info(0), "rdata: required field missing");
}

#[tokio::test]
async fn ids_updates_and_record_sets() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    for ip in ["192.0.2.1", "192.0.2.2"] {
        raw.call(
            "POST",
            "/REST/ARecord/rec.example/www.rec.example/",
            Some(json!({"rdata": {"address": ip}})),
        )
        .await
        .assert_success();
    }
    let ambiguous = raw
        .call("GET", "/REST/ARecord/rec.example/www.rec.example/0/", None)
        .await;
    assert_eq!(
        ambiguous.status, 404,
        "id 0 is ambiguous with two pending records"
    );
    let no_id = raw
        .call(
            "PUT",
            "/REST/ARecord/rec.example/www.rec.example/",
            Some(json!({"ttl": 60})),
        )
        .await;
    assert_eq!(
        (no_id.info(0), no_id.info(1)),
        (
            "id: You did not reference a specific record",
            "update: No record updated"
        )
    );
    raw.call(
        "PUT",
        "/REST/Zone/rec.example/",
        Some(json!({"publish": true})),
    )
    .await
    .assert_success();
    let list = raw
        .call(
            "GET",
            "/REST/ARecord/rec.example/www.rec.example/",
            Some(json!({"detail": "Y"})),
        )
        .await;
    let id = list.assert_success()[0]["record_id"].as_u64().expect("id");
    let updated = raw
        .call(
            "PUT",
            &format!("/REST/ARecord/rec.example/www.rec.example/{id}/"),
            Some(json!({"ttl": "120"})),
        )
        .await;
    assert_eq!(updated.assert_success()["ttl"], 120);
    assert_eq!(
        updated.body["data"]["rdata"]["address"], list.body["data"][0]["rdata"]["address"],
        "rdata kept"
    );
    let replaced = raw
        .call(
            "PUT",
            "/REST/ARecord/rec.example/www.rec.example/",
            Some(json!({"ARecords": [{"rdata": {"address": "198.51.100.1"}, "ttl": 30}]})),
        )
        .await;
    assert_eq!(replaced.assert_success().as_array().map(Vec::len), Some(1));
    raw.call(
        "PUT",
        "/REST/Zone/rec.example/",
        Some(json!({"publish": true})),
    )
    .await
    .assert_success();
    let after = raw
        .call(
            "GET",
            "/REST/ANYRecord/rec.example/www.rec.example/?detail=Y",
            None,
        )
        .await;
    let a_records = after.assert_success()["a_records"]
        .as_array()
        .expect("a records")
        .clone();
    assert_eq!(a_records.len(), 1);
    assert_eq!(a_records[0]["rdata"]["address"], "198.51.100.1");
    let deleted = raw
        .call(
            "DELETE",
            &format!(
                "/REST/ARecord/rec.example/www.rec.example/{}/",
                a_records[0]["record_id"]
            ),
            None,
        )
        .await;
    assert_eq!(deleted.info(0), "delete: 1 records deleted");
}

#[tokio::test]
async fn strict_id_zero_mode_refuses_pending_lookups() {
    let sim = sim().await;
    sim.update_options(|o| o.strict_record_id_zero = true);
    let raw = zone(&sim).await;
    raw.call(
        "POST",
        "/REST/ARecord/rec.example/www.rec.example/",
        Some(json!({"rdata": {"address": "192.0.2.1"}})),
    )
    .await
    .assert_success();
    let read = raw
        .call("GET", "/REST/ARecord/rec.example/www.rec.example/0/", None)
        .await;
    assert_eq!((read.status, read.err_cd()), (404, "NOT_FOUND"));
}

#[tokio::test]
async fn soa_and_core_nameservers_are_protected() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    let soa = raw
        .call(
            "POST",
            "/REST/SOARecord/rec.example/rec.example/",
            Some(json!({"rdata": {"rname": "x."}})),
        )
        .await;
    assert_eq!(soa.err_cd(), "ILLEGAL_OPERATION");
    let delete_soa = raw
        .call("DELETE", "/REST/SOARecord/rec.example/rec.example/", None)
        .await;
    assert_eq!(delete_soa.err_cd(), "ILLEGAL_OPERATION");
    let ns = raw
        .call("DELETE", "/REST/NSRecord/rec.example/rec.example/", None)
        .await;
    assert_eq!(ns.err_cd(), "ILLEGAL_OPERATION");
    let soa_list = raw
        .call(
            "GET",
            "/REST/SOARecord/rec.example/rec.example/?detail=Y",
            None,
        )
        .await;
    let soa_id = soa_list.assert_success()[0]["record_id"]
        .as_u64()
        .expect("soa id");
    let styled = raw
        .call(
            "PUT",
            &format!("/REST/SOARecord/rec.example/rec.example/{soa_id}/"),
            Some(json!({"rdata": {"rname": "ops.rec.example."}, "serial_style": "epoch"})),
        )
        .await;
    assert_eq!(styled.assert_success()["serial_style"], "epoch");
    let published = raw
        .call(
            "PUT",
            "/REST/Zone/rec.example/",
            Some(json!({"publish": true})),
        )
        .await;
    assert_eq!(published.assert_success()["serial_style"], "epoch");
}

#[tokio::test]
async fn node_list_and_node_removal() {
    let sim = sim().await;
    let raw = zone(&sim).await;
    for node in ["a.rec.example", "b.a.rec.example", "c.rec.example"] {
        raw.call(
            "POST",
            &format!("/REST/TXTRecord/rec.example/{node}/"),
            Some(json!({"rdata": {"txtdata": node}})),
        )
        .await
        .assert_success();
    }
    let nodes = raw.call("GET", "/REST/NodeList/rec.example/", None).await;
    assert_eq!(
        nodes.assert_success(),
        &json!([
            "a.rec.example",
            "b.a.rec.example",
            "c.rec.example",
            "rec.example"
        ])
    );
    let removed = raw
        .call("DELETE", "/REST/Node/rec.example/a.rec.example", None)
        .await;
    assert_eq!(
        removed.info(0),
        "remove_node: a.rec.example removed from tree. All records also removed."
    );
    let nodes = raw.call("GET", "/REST/NodeList/rec.example/", None).await;
    assert_eq!(
        nodes.assert_success(),
        &json!(["c.rec.example", "rec.example"])
    );
    let apex = raw
        .call("DELETE", "/REST/Node/rec.example/rec.example", None)
        .await;
    assert_eq!(apex.err_cd(), "ILLEGAL_OPERATION");
    let missing = raw
        .call("GET", "/REST/AllRecord/rec.example/zzz.rec.example/", None)
        .await;
    assert_eq!(
        (missing.status, missing.info(0), missing.info(1)),
        (
            404,
            "node: Node is not in the zone",
            "get_tree: Node name not found within the zone"
        )
    );
}
