//! Record types and their rdata fields (spec §2.2), with validation of each field.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

use super::args::as_u64;
use super::envelope::{Failure, invalid, missing};
use super::names::valid_hostname;

/// How one rdata field is checked and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Ipv4,
    Ipv6,
    Host,
    /// An unsigned integer up to the bound, stored as a JSON number.
    Int(u64),
    Text,
    CaaTag,
    /// Anything (strings or lists), stored as given.
    Any,
}

/// One record type.
#[derive(Debug)]
pub(crate) struct TypeSpec {
    pub(crate) name: &'static str,
    /// Required fields, then optional ones with defaults.
    pub(crate) fields: &'static [(&'static str, Kind)],
    pub(crate) optional: &'static [(&'static str, Kind, Defaults)],
}

/// Default value of an optional field.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Defaults {
    Int(u64),
    Text(&'static str),
}

const U8: Kind = Kind::Int(255);
const U16: Kind = Kind::Int(65_535);
const U32: Kind = Kind::Int(4_294_967_295);
const NONE: &[(&str, Kind, Defaults)] = &[];

macro_rules! spec {
    ($name:literal, [$(($f:literal, $k:expr)),*]) => {
        TypeSpec { name: $name, fields: &[$(($f, $k)),*], optional: NONE }
    };
    ($name:literal, [$(($f:literal, $k:expr)),*], [$(($o:literal, $ok:expr, $d:expr)),*]) => {
        TypeSpec { name: $name, fields: &[$(($f, $k)),*], optional: &[$(($o, $ok, $d)),*] }
    };
}

/// Every record type the simulator stores, in the API's spelling.
pub(crate) static TYPES: &[TypeSpec] = &[
    spec!("A", [("address", Kind::Ipv4)]),
    spec!("AAAA", [("address", Kind::Ipv6)]),
    spec!("ALIAS", [("alias", Kind::Host)]),
    spec!(
        "CAA",
        [("flags", U8), ("tag", Kind::CaaTag), ("value", Kind::Text)]
    ),
    spec!(
        "CDNSKEY",
        [
            ("protocol", U8),
            ("public_key", Kind::Text),
            ("algorithm", U8),
            ("flags", U16)
        ]
    ),
    spec!(
        "CDS",
        [
            ("digest", Kind::Text),
            ("keytag", U16),
            ("algorithm", U8),
            ("digtype", U8)
        ]
    ),
    spec!(
        "CERT",
        [
            ("format", U16),
            ("tag", U16),
            ("algorithm", U8),
            ("certificate", Kind::Text)
        ]
    ),
    spec!("CNAME", [("cname", Kind::Host)]),
    spec!(
        "CSYNC",
        [
            ("soa_serial", U32),
            ("flags", Kind::Any),
            ("types", Kind::Any)
        ]
    ),
    spec!("DHCID", [("digest", Kind::Text)]),
    spec!("DNAME", [("dname", Kind::Host)]),
    spec!(
        "DNSKEY",
        [
            ("protocol", U8),
            ("public_key", Kind::Text),
            ("algorithm", U8),
            ("flags", U16)
        ]
    ),
    spec!(
        "DS",
        [
            ("digest", Kind::Text),
            ("keytag", U16),
            ("algorithm", U8),
            ("digtype", U8)
        ]
    ),
    spec!(
        "IPSECKEY",
        [
            ("precedence", U8),
            ("gatetype", U8),
            ("algorithm", U8),
            ("gateway", Kind::Text),
            ("public_key", Kind::Text)
        ]
    ),
    spec!(
        "KEY",
        [
            ("algorithm", U8),
            ("flags", U16),
            ("protocol", U8),
            ("public_key", Kind::Text)
        ]
    ),
    spec!("KX", [("exchange", Kind::Host), ("preference", U16)]),
    spec!(
        "LOC",
        [
            ("altitude", Kind::Any),
            ("latitude", Kind::Any),
            ("longitude", Kind::Any)
        ],
        [
            ("horiz_pre", Kind::Any, Defaults::Int(10_000)),
            ("size", Kind::Any, Defaults::Int(1)),
            ("vert_pre", Kind::Any, Defaults::Int(10)),
            ("version", Kind::Any, Defaults::Int(0))
        ]
    ),
    spec!("MX", [("exchange", Kind::Host), ("preference", U16)]),
    spec!(
        "NAPTR",
        [
            ("order", U16),
            ("preference", U16),
            ("services", Kind::Text),
            ("regexp", Kind::Any),
            ("replacement", Kind::Text)
        ],
        [("flags", Kind::Text, Defaults::Text("U"))]
    ),
    spec!("NS", [("nsdname", Kind::Host)]),
    spec!("NSAP", [("nsap", Kind::Text)]),
    spec!("PTR", [("ptrdname", Kind::Host)]),
    spec!(
        "PX",
        [
            ("preference", U16),
            ("map822", Kind::Text),
            ("mapx400", Kind::Text)
        ]
    ),
    spec!("RP", [("mbox", Kind::Text), ("txtdname", Kind::Text)]),
    spec!(
        "SOA",
        [("rname", Kind::Text)],
        [
            ("mname", Kind::Host, Defaults::Text("ns1.p01.dynect.net.")),
            ("serial", U32, Defaults::Int(0)),
            ("refresh", U32, Defaults::Int(3600)),
            ("retry", U32, Defaults::Int(600)),
            ("expire", U32, Defaults::Int(604_800)),
            ("minimum", U32, Defaults::Int(1800))
        ]
    ),
    spec!("SPF", [("txtdata", Kind::Text)]),
    spec!(
        "SRV",
        [
            ("port", U16),
            ("priority", U16),
            ("target", Kind::Host),
            ("weight", U16)
        ]
    ),
    spec!(
        "SSHFP",
        [
            ("algorithm", U8),
            ("fptype", U8),
            ("fingerprint", Kind::Text)
        ]
    ),
    spec!(
        "TLSA",
        [
            ("cert_usage", U8),
            ("selector", U8),
            ("match_type", U8),
            ("certificate", Kind::Text)
        ]
    ),
    spec!("TXT", [("txtdata", Kind::Text)]),
];

/// The spec of a type name (case-insensitive).
pub(crate) fn spec(rtype: &str) -> Option<&'static TypeSpec> {
    TYPES.iter().find(|t| t.name.eq_ignore_ascii_case(rtype))
}

fn check(rtype: &str, field: &str, kind: Kind, value: &Value) -> Result<Value, Failure> {
    let bad = |why: &str| invalid(format!("{field}: {why}"));
    let text = || match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match kind {
        Kind::Ipv4 => match text().filter(|s| s.parse::<Ipv4Addr>().is_ok()) {
            Some(s) => Ok(Value::String(s)),
            None => Err(bad("Not a valid IP address")),
        },
        Kind::Ipv6 => match text().and_then(|s| s.parse::<Ipv6Addr>().ok()) {
            Some(ip) => Ok(Value::String(ip.to_string())),
            None => Err(bad("Not a valid IPv6 address")),
        },
        Kind::Host => match text().filter(|s| valid_hostname(s)) {
            Some(s) => Ok(Value::String(s)),
            None => Err(bad("Not a valid host name")),
        },
        Kind::Int(max) => match as_u64(value) {
            Some(n) if n <= max => Ok(Value::from(n)),
            Some(_) => Err(bad(&format!("Must be between 0 and {max}"))),
            None => Err(bad("Must be an integer")),
        },
        Kind::Text => match text() {
            Some(s) => Ok(Value::String(s)),
            None => Err(bad(&format!("Invalid value for a {rtype} record"))),
        },
        Kind::CaaTag => {
            match text().filter(|s| matches!(s.as_str(), "issue" | "issuewild" | "iodef")) {
                Some(s) => Ok(Value::String(s)),
                None => Err(bad("Must be one of issue, issuewild, iodef")),
            }
        }
        Kind::Any => Ok(value.clone()),
    }
}

/// Validates complete rdata for a create (or a replace), filling defaults.
pub(crate) fn validate(
    spec: &TypeSpec,
    given: &Map<String, Value>,
) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    for (field, kind) in spec.fields {
        let value = given
            .get(*field)
            .filter(|v| !v.is_null())
            .ok_or_else(|| missing(field))?;
        out.insert((*field).to_owned(), check(spec.name, field, *kind, value)?);
    }
    for (field, kind, default) in spec.optional {
        let value = match given.get(*field).filter(|v| !v.is_null()) {
            Some(v) => check(spec.name, field, *kind, v)?,
            None => match default {
                Defaults::Int(n) => Value::from(*n),
                Defaults::Text(t) => Value::from(*t),
            },
        };
        out.insert((*field).to_owned(), value);
    }
    Ok(out)
}

/// Merges an update onto existing rdata and validates the result.
pub(crate) fn merge(
    spec: &TypeSpec,
    old: &Map<String, Value>,
    update: &Map<String, Value>,
) -> Result<Map<String, Value>, Failure> {
    let mut merged = old.clone();
    for (k, v) in update {
        if !v.is_null() {
            merged.insert(k.clone(), v.clone());
        }
    }
    validate(spec, &merged)
}

/// True when two rdata are the same data (strings compared case-insensitively, host names
/// with or without the trailing dot).
pub(crate) fn same(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    fn norm(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(s.trim_end_matches('.').to_ascii_lowercase()),
            other => other.clone(),
        }
    }
    a.len() == b.len()
        && a.iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| norm(v) == norm(w)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn validation_checks_kinds_ranges_and_fills_defaults() {
        let mx = spec("mx").expect("MX is known");
        let ok = validate(
            mx,
            &obj(json!({"exchange": "mail.example.com.", "preference": "10"})),
        )
        .expect("valid");
        assert_eq!(ok["preference"], json!(10));
        let too_big = validate(
            mx,
            &obj(json!({"exchange": "m.example.com", "preference": 70000})),
        );
        assert!(too_big.is_err());
        let a = spec("A").expect("A is known");
        let bad = validate(a, &obj(json!({"address": "300.1.1.1"}))).expect_err("bad address");
        assert_eq!(bad.msgs[0].info, "address: Not a valid IP address");
        let absent = validate(a, &obj(json!({}))).expect_err("missing");
        assert_eq!(absent.msgs[0].err_cd.as_deref(), Some("MISSING_DATA"));
        let naptr = validate(
            spec("NAPTR").expect("known"),
            &obj(json!({"order": 1, "preference": 2, "services": "E2U+sip", "regexp": "!^.*$!sip:a@b!", "replacement": "."})),
        )
        .expect("valid NAPTR");
        assert_eq!(naptr["flags"], json!("U"));
        assert!(same(
            &obj(json!({"cname": "A.example.com."})),
            &obj(json!({"cname": "a.example.com"}))
        ));
        assert_eq!(TYPES.len(), 30);
    }
}
