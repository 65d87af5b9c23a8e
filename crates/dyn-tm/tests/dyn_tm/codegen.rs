//! The committed record types match what `cargo xtask codegen` renders from the table.

#[path = "../../../../xtask/src/codegen/render.rs"]
mod render;

#[test]
fn generated_records_are_up_to_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = std::fs::read_to_string(root.join("records.json")).unwrap();
    let committed = std::fs::read_to_string(root.join("src/records/generated.rs")).unwrap();
    let rendered = render::render(&table).unwrap();
    assert!(
        rendered == committed,
        "src/records/generated.rs is stale: run `cargo xtask codegen`"
    );
}

#[test]
fn the_table_covers_the_thirty_api_types() {
    let names: Vec<&str> = dyn_tm::RecordType::KNOWN
        .iter()
        .map(dyn_tm::RecordType::as_str)
        .collect();
    assert_eq!(names.len(), 30);
    for expected in [
        "A", "AAAA", "ALIAS", "CAA", "CDNSKEY", "CDS", "CERT", "CNAME", "CSYNC", "DHCID", "DNAME",
        "DNSKEY", "DS", "IPSECKEY", "KEY", "KX", "LOC", "MX", "NAPTR", "NS", "NSAP", "PTR", "PX",
        "RP", "SOA", "SPF", "SRV", "SSHFP", "TLSA", "TXT",
    ] {
        assert!(names.contains(&expected), "{expected} missing");
    }
}

#[test]
fn a_bad_table_is_refused() {
    assert!(render::render("{}").is_err());
    let bad_kind = r#"{"types": [{"type": "A", "doc": "x", "fields": [{"name": "a", "kind": "float", "doc": "y"}]}]}"#;
    assert!(
        render::render(bad_kind)
            .unwrap_err()
            .contains("unknown kind")
    );
}
