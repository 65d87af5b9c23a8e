//! Records of every type: add, get, list, update, replace, delete; invalid rdata per type;
//! deleting an unpublished record never touches its siblings.

use dyn_tm::records::{
    ARdata, AaaaRdata, AliasRdata, CaaRdata, CdnskeyRdata, CdsRdata, CertRdata, CnameRdata,
    CsyncRdata, DhcidRdata, DnameRdata, DnskeyRdata, DsRdata, IpseckeyRdata, KeyRdata, KxRdata,
    LocRdata, MxRdata, NaptrRdata, NsRdata, NsapRdata, OtherRdata, PtrRdata, PxRdata, RpRdata,
    SpfRdata, SrvRdata, SshfpRdata, TlsaRdata, TxtRdata,
};
use dyn_tm::{Error, Rdata, RecordType};
use serde_json::json;

use crate::support::{session, simulator, zone};

fn a(address: &str) -> Rdata {
    ARdata::new(address.parse().unwrap()).into()
}

/// One valid rdata of every type but SOA (which cannot be added).
fn samples() -> Vec<Rdata> {
    vec![
        a("192.0.2.1"),
        AaaaRdata::new("2001:db8::1".parse().unwrap()).into(),
        AliasRdata::new("target.example.net.").into(),
        CaaRdata::new(0, "issue", "letsencrypt.org").into(),
        CdnskeyRdata::new(3, "AwEAAb+key").into(),
        CdsRdata::new("ABCDEF0123", 12345).into(),
        CertRdata::new(1, 2, 3, "MIIBase64Cert").into(),
        CnameRdata::new("other.example.com.").into(),
        CsyncRdata::new(42, "immediate", ["A", "AAAA"]).into(),
        DhcidRdata::new("AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=").into(),
        DnameRdata::new("moved.example.net.").into(),
        DnskeyRdata::new(3, "AwEAAc3key").into(),
        DsRdata::new("0123ABCDEF", 54321).into(),
        IpseckeyRdata::new(10, 1, 2, "192.0.2.38", "AQNRU3mG7TVTO2BkR47usntb").into(),
        KeyRdata::new(5, 256, 3, "AwEAAkey").into(),
        KxRdata::new("kx.example.com.", 10).into(),
        LocRdata::new("10", "41 52 24.000 N", "87 37 26.000 W").into(),
        MxRdata::new("mail.example.com.").into(),
        NaptrRdata::new(100, 10, "E2U+sip", "!^.*$!sip:info@example.com!", ".").into(),
        NsRdata::new("ns.delegated.example.net.").into(),
        NsapRdata::new("0x47000580005a0000000001e133ffffff00016100").into(),
        PtrRdata::new("host.example.com.").into(),
        PxRdata::new(10, "example.com.", "px400.example.com.").into(),
        RpRdata::new("admin.example.com.", "info.example.com.").into(),
        SpfRdata::new("v=spf1 -all").into(),
        SrvRdata::new(5060, 10, "sip.example.com.", 20).into(),
        SshfpRdata::new(4, 2, "123456789abcdef67890123456789abcdef67890").into(),
        TlsaRdata::new(
            3,
            1,
            1,
            "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6",
        )
        .into(),
        TxtRdata::new("hello world").into(),
    ]
}

#[tokio::test]
async fn every_type_round_trips_typed_through_publish() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    let samples = samples();
    assert_eq!(samples.len(), 29, "every type but SOA");
    for (index, rdata) in samples.iter().enumerate() {
        // A node per type, so CNAME and DNAME have theirs alone.
        let node = format!("n{index}");
        let added = records
            .add_with_ttl(&node, rdata.clone(), 300)
            .await
            .unwrap();
        assert_eq!(added.record_id, 0, "pending until publish");
        assert_eq!(&added.rdata, rdata, "{}", rdata.record_type());
        assert_eq!(added.ttl, 300);
    }
    zone.publish(None).await.unwrap();
    for (index, rdata) in samples.iter().enumerate() {
        let node = format!("n{index}");
        let listed = records.list(&node, &rdata.record_type()).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].is_published());
        assert_eq!(&listed[0].rdata, rdata);
        let fetched = records
            .get(&node, &rdata.record_type(), listed[0].record_id)
            .await
            .unwrap();
        assert_eq!(fetched, listed[0]);
    }
    let all = records.all(None).await.unwrap();
    // 29 records, the SOA and four Dyn NS.
    assert_eq!(all.len(), 29 + 5);
    let soa = zone.soa().await.unwrap();
    assert!(matches!(soa.rdata, Rdata::Soa(ref s) if s.refresh == 3600));
}

#[tokio::test]
async fn invalid_rdata_is_refused_for_every_type() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let zone = zone(&session, "example.com").await;
    let records = zone.records();
    for record_type in RecordType::KNOWN {
        let empty = OtherRdata::new(record_type.clone(), serde_json::Map::new());
        let error = records
            .add("bad", Rdata::Other(empty))
            .await
            .expect_err(record_type.as_str());
        let codes = error.codes();
        assert!(
            codes.contains(&"MISSING_DATA") || codes.contains(&"ILLEGAL_OPERATION"),
            "{record_type}: {codes:?}"
        );
    }
    // Wrong values, not just missing ones.
    for (record_type, rdata) in [
        ("A", json!({"address": "300.1.1.1"})),
        ("AAAA", json!({"address": "192.0.2.1"})),
        (
            "MX",
            json!({"exchange": "mail.example.com.", "preference": 70000}),
        ),
        ("CAA", json!({"flags": 0, "tag": "nonsense", "value": "x"})),
        (
            "SRV",
            json!({"port": "http", "priority": 1, "target": "t.example.com.", "weight": 1}),
        ),
        ("CNAME", json!({"cname": "not a host!"})),
    ] {
        let fields = rdata.as_object().unwrap().clone();
        let error = records
            .add(
                "bad",
                Rdata::Other(OtherRdata::new(RecordType::new(record_type), fields)),
            )
            .await
            .unwrap_err();
        assert!(
            error.codes().contains(&"INVALID_DATA"),
            "{record_type}: {error:?}"
        );
    }
    assert!(
        zone.changes().await.unwrap().is_empty(),
        "nothing was added"
    );
}

#[tokio::test]
async fn duplicates_and_cname_conflicts_are_refused() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let zone = zone(&session, "example.com").await;
    let records = zone.records();
    records.add("www", a("192.0.2.1")).await.unwrap();
    let duplicate = records.add("www", a("192.0.2.1")).await.unwrap_err();
    assert!(duplicate.is_already_exists(), "{duplicate:?}");
    let conflict = records
        .add("www", CnameRdata::new("x.example.com."))
        .await
        .unwrap_err();
    assert!(conflict.codes().contains(&"ILLEGAL_OPERATION"));
}

#[tokio::test]
async fn update_changes_rdata_and_ttl_of_one_record() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    let first = records.add("www", a("192.0.2.1")).await.unwrap();
    records.add("www", a("192.0.2.2")).await.unwrap();
    zone.publish(None).await.unwrap();
    // `first` still carries id 0: the update finds its id by its data.
    let updated = records
        .update(&first, Some(a("192.0.2.9")), Some(120))
        .await
        .unwrap();
    assert_eq!(updated.rdata, a("192.0.2.9"));
    assert_eq!(updated.ttl, 120);
    zone.publish(None).await.unwrap();
    let mut addresses: Vec<Rdata> = records
        .list("www", &RecordType::A)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.rdata)
        .collect();
    addresses.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(addresses, [a("192.0.2.2"), a("192.0.2.9")]);
    let wrong = records
        .update(&updated, Some(TxtRdata::new("x").into()), None)
        .await
        .unwrap_err();
    assert!(matches!(wrong, Error::InvalidArgument(_)));
}

#[tokio::test]
async fn deleting_an_unpublished_record_never_removes_its_siblings() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    records.add("www", a("192.0.2.1")).await.unwrap();
    records.add("www", a("192.0.2.2")).await.unwrap();
    zone.publish(None).await.unwrap();

    // The node's only pending A record: deleted alone, by its own path.
    let third = records.add("www", a("192.0.2.3")).await.unwrap();
    assert!(!third.is_published());
    records.delete(&third).await.unwrap();
    let left: Vec<Rdata> = records
        .list("www", &RecordType::A)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.rdata)
        .collect();
    assert_eq!(left.len(), 2);
    assert!(left.contains(&a("192.0.2.1")) && left.contains(&a("192.0.2.2")));

    // Two pending A records: neither can be addressed alone, so nothing is deleted.
    let fourth = records.add("www", a("192.0.2.4")).await.unwrap();
    records.add("www", a("192.0.2.5")).await.unwrap();
    let refused = records.delete(&fourth).await.unwrap_err();
    assert!(matches!(refused, Error::UnpublishedRecord), "{refused:?}");
    assert_eq!(records.list("www", &RecordType::A).await.unwrap().len(), 4);

    // Once published, the same value finds its id and only it goes.
    zone.publish(None).await.unwrap();
    records.delete(&fourth).await.unwrap();
    zone.publish(None).await.unwrap();
    let mut left: Vec<String> = records
        .list("www", &RecordType::A)
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{:?}", r.rdata))
        .collect();
    left.sort();
    assert_eq!(left.len(), 3, "{left:?}");

    let id_less = sim
        .requests_raw()
        .iter()
        .filter(|r| r.method == "DELETE" && r.path.ends_with("/www.example.com/"))
        .count();
    assert_eq!(id_less, 0, "no id-less delete was ever sent");
}

#[tokio::test]
async fn strict_servers_refuse_id_zero_and_siblings_survive() {
    let sim = simulator().await;
    sim.update_options(|options| options.strict_record_id_zero = true);
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    records.add("www", a("192.0.2.1")).await.unwrap();
    zone.publish(None).await.unwrap();
    let pending = records.add("www", a("192.0.2.2")).await.unwrap();
    let error = records.delete(&pending).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(records.list("www", &RecordType::A).await.unwrap().len(), 2);
}

#[tokio::test]
async fn replace_swaps_a_whole_record_set() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let mut zone = zone(&session, "example.com").await;
    let records = zone.records();
    records.add("www", a("192.0.2.1")).await.unwrap();
    records.add("www", TxtRdata::new("keep me")).await.unwrap();
    zone.publish(None).await.unwrap();
    let replaced = records
        .replace(
            "www",
            &RecordType::A,
            &[a("198.51.100.1"), a("198.51.100.2")],
            60,
        )
        .await
        .unwrap();
    assert_eq!(replaced.len(), 2);
    zone.publish(None).await.unwrap();
    let at_node = records.at("www").await.unwrap();
    assert_eq!(at_node.len(), 3, "two A and the TXT");
    assert!(at_node.iter().all(|r| r.rdata != a("192.0.2.1")));
    let mixed = records
        .replace("www", &RecordType::A, &[TxtRdata::new("x").into()], 0)
        .await
        .unwrap_err();
    assert!(matches!(mixed, Error::InvalidArgument(_)));
    records
        .replace("www", &RecordType::A, &[], 0)
        .await
        .unwrap();
    zone.publish(None).await.unwrap();
    assert!(
        records
            .list("www", &RecordType::A)
            .await
            .unwrap()
            .is_empty()
    );
    records.delete_all("www", &RecordType::TXT).await.unwrap();
}

#[tokio::test]
async fn unknown_types_go_through_the_escape_hatch() {
    let sim = simulator().await;
    let session = session(&sim).await;
    let zone = zone(&session, "example.com").await;
    // A type the simulator serves but written by hand, as a future type would be.
    let fields = json!({"txtdata": "raw"}).as_object().unwrap().clone();
    let raw = Rdata::Other(OtherRdata::new(RecordType::new("txt"), fields));
    let added = zone.records().add("raw", raw).await.unwrap();
    // The answer is read back typed, since TXT is known.
    assert_eq!(added.rdata, TxtRdata::new("raw").into());
    let unknown = OtherRdata::new(RecordType::new("SVCB"), serde_json::Map::new());
    let error = zone
        .records()
        .add("raw", Rdata::Other(unknown))
        .await
        .unwrap_err();
    assert!(error.api_error().is_some());
    assert!("A/B".parse::<RecordType>().is_err());
}
