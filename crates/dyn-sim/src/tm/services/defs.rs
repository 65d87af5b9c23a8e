//! The service table: which fields each service requires, checks and defaults.

use serde_json::{Map, Value, json};

use super::ServiceDef;
use super::validate::{IpKind, int, int_in, ip, one_of, text, url, yes_no};
use crate::tm::envelope::{Failure, TmResult, invalid, missing, ok};
use crate::tm::{Call, Sess};
use crate::world::World;

const REGIONS: &[&str] = &[
    "US West",
    "US Central",
    "US East",
    "Asia",
    "EU West",
    "EU Central",
    "EU East",
    "global",
];
const SERVE_MODES: &[&str] = &["always", "obey", "remove", "no"];
const PROTOCOLS: &[&str] = &["HTTP", "HTTPS", "PING", "SMTP", "TCP"];

fn no_checks(_: &mut Map<String, Value>) -> Result<(), Failure> {
    Ok(())
}

fn http_redirect(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    int_in(obj, "code", &[301, 302])?;
    yes_no(obj, "keep_uri")?;
    url(obj, "url")
}

fn ddns(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    one_of(obj, "record_type", &["A", "AAAA"])?;
    let kind = if text(obj, "record_type").as_deref() == Some("AAAA") {
        IpKind::V6
    } else {
        IpKind::V4
    };
    ip(obj, "address", kind)?;
    obj.entry("abuse_count").or_insert(json!(0));
    yes_no(obj, "active")
}

fn monitor(obj: &mut Map<String, Value>, key: &str) -> Result<(), Failure> {
    if let Some(m) = obj.get_mut(key) {
        let Value::Object(m) = m else {
            return Err(invalid(format!("{key}: Must be an object")));
        };
        if !m.contains_key("protocol") {
            return Err(missing(&format!("{key}.protocol")));
        }
        one_of(m, "protocol", PROTOCOLS)?;
        if key == "performance_monitor" {
            int_in(m, "interval", &[10, 20, 30, 60])?;
        } else {
            int_in(m, "interval", &[1, 5, 10, 15])?;
        }
        int_in(m, "timeout", &[10, 15, 25, 30])?;
        int(m, "retries", 0, 10)?;
        int(m, "port", 0, 65_535)?;
    }
    Ok(())
}

fn failover(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    ip(obj, "address", IpKind::Any)?;
    one_of(obj, "failover_mode", &["ip", "cname"])?;
    monitor(obj, "monitor")?;
    yes_no(obj, "auto_recover")?;
    yes_no(obj, "active")?;
    int(obj, "ttl", 0, 86_400)?;
    int(obj, "recovery_delay", 0, 86_400)?;
    one_of(obj, "syslog_delivery", &["all", "change"])
}

fn load_balancer(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    monitor(obj, "monitor")?;
    monitor(obj, "performance_monitor")?;
    yes_no(obj, "auto_recover")?;
    yes_no(obj, "active")?;
    int_in(obj, "ttl", &[30, 60, 150, 300, 450])
}

fn region(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    one_of(obj, "region_code", REGIONS)?;
    int(obj, "serve_count", 1, 100)?;
    one_of(obj, "failover_mode", &["ip", "cname", "region", "global"])
}

fn pool_entry(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    one_of(obj, "region_code", REGIONS)?;
    ip(obj, "address", IpKind::Any)?;
    int(obj, "weight", 1, 15)?;
    one_of(obj, "serve_mode", SERVE_MODES)
}

fn reverse_dns(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    yes_no(obj, "active")?;
    if let Some(types) = obj.get("record_types").and_then(Value::as_array) {
        for t in types {
            if !["A", "AAAA", "DynA", "DynAAAA"].contains(&t.as_str().unwrap_or_default()) {
                return Err(invalid("record_types: Must be A, AAAA, DynA or DynAAAA"));
            }
        }
    }
    Ok(())
}

fn adv_rule(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    int_in(obj, "code", &[301, 302])?;
    yes_no(obj, "active")
}

fn dnssec(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    yes_no(obj, "active")?;
    if let Some(keys) = obj.get_mut("keys").and_then(Value::as_array_mut) {
        for key in keys {
            let Value::Object(k) = key else {
                return Err(invalid("keys: Every key must be an object"));
            };
            one_of(k, "type", &["KSK", "ZSK"])?;
            one_of(
                k,
                "algorithm",
                &[
                    "RSA/SHA-1",
                    "RSA/SHA-256",
                    "RSA/SHA-512",
                    "DSA",
                    "ECDSAP256SHA256",
                    "ECDSAP384SHA384",
                ],
            )?;
            int_in(k, "bits", &[256, 384, 1024, 2048, 4096])?;
            k.entry("dnskey").or_insert(
                json!({"flags": 256, "protocol": 3, "algorithm": 8, "public_key": "AwEAAc3c"}),
            );
        }
    }
    Ok(())
}

fn ext_nameserver(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    yes_no(obj, "active")?;
    yes_no(obj, "deny")?;
    if let Some(hosts) = obj.get("hosts").and_then(Value::as_array) {
        for host in hosts {
            let Some(h) = host.as_object() else {
                return Err(invalid("hosts: Every host must be an object"));
            };
            ip(h, "address", IpKind::Any)?;
        }
    }
    Ok(())
}

macro_rules! def {
    ($res:literal, $kind:literal, zone=$zone:expr, subs=$subs:expr, gen=$gen:expr, req=$req:expr, check=$check:expr, defaults=$defaults:expr, soft=$soft:expr) => {
        ServiceDef {
            resource: $res,
            kind: $kind,
            zone_level: $zone,
            sub_keys: $subs,
            generated: $gen,
            required: $req,
            validate: $check,
            defaults: $defaults,
            soft_delete: $soft,
        }
    };
}

const ACTIVE: &[(&str, &str)] = &[("active", "Y")];
const MONITORED: &[(&str, &str)] = &[
    ("active", "Y"),
    ("status", "ok"),
    ("auto_recover", "Y"),
    ("notify_events", ""),
];

static SERVICES: &[ServiceDef] = &[
    def!("HTTPRedirect", "httpredirect", zone = false, subs = &[], gen = false, req = &["code", "keep_uri", "url"], check = http_redirect, defaults = &[], soft = true),
    def!("DDNS", "ddns", zone = false, subs = &["record_type"], gen = false, req = &["address"], check = ddns, defaults = ACTIVE, soft = false),
    def!("Failover", "failover", zone = false, subs = &[], gen = false, req = &["address", "failover_mode", "failover_data", "monitor", "contact_nickname"], check = failover, defaults = MONITORED, soft = false),
    def!("GSLB", "gslb", zone = false, subs = &[], gen = false, req = &["contact_nickname"], check = load_balancer, defaults = MONITORED, soft = false),
    def!("GSLBRegion", "gslbregion", zone = false, subs = &["region_code"], gen = false, req = &["pool"], check = region, defaults = &[], soft = false),
    def!("GSLBRegionPoolEntry", "gslbpool", zone = false, subs = &["region_code", "address"], gen = false, req = &[], check = pool_entry, defaults = &[("serve_mode", "obey")], soft = false),
    def!("RTTM", "rttm", zone = false, subs = &[], gen = false, req = &["contact_nickname"], check = load_balancer, defaults = MONITORED, soft = false),
    def!("RTTMRegion", "rttmregion", zone = false, subs = &["region_code"], gen = false, req = &["pool"], check = region, defaults = &[("autopopulate", "N")], soft = false),
    def!("RTTMRegionPoolEntry", "rttmpool", zone = false, subs = &["region_code", "address"], gen = false, req = &[], check = pool_entry, defaults = &[("serve_mode", "obey")], soft = false),
    def!("IPTrack", "iptrack", zone = false, subs = &["iptrack_id"], gen = true, req = &["hosts", "netmask"], check = reverse_dns, defaults = &[("active", "Y"), ("ttl", "default")], soft = false),
    def!("AdvRedirect", "advredirect", zone = false, subs = &[], gen = false, req = &[], check = no_checks, defaults = ACTIVE, soft = false),
    def!("AdvRedirectRule", "advredirectrule", zone = false, subs = &["public_id"], gen = true, req = &["code", "url_pattern"], check = adv_rule, defaults = ACTIVE, soft = false),
    def!("DNSSEC", "dnssec", zone = true, subs = &[], gen = false, req = &["keys", "contact_nickname"], check = dnssec, defaults = &[("active", "Y"), ("notify_events", "")], soft = false),
    def!("ExtNameserver", "extnameserver", zone = true, subs = &[], gen = false, req = &["hosts"], check = ext_nameserver, defaults = &[("active", "Y"), ("deny", "N")], soft = false),
];

/// The service served at a resource name (case-insensitive).
pub(crate) fn find(resource: &str) -> Option<&'static ServiceDef> {
    SERVICES
        .iter()
        .find(|d| d.resource.eq_ignore_ascii_case(resource))
}

/// `POST /REST/DDNS/... {"user": ..., "full_setup": true}`: the service plus a new update user.
pub(super) fn ddns_full_setup(
    world: &mut World,
    call: &Call,
    sess: &Sess,
    ddns: Value,
) -> TmResult {
    let nickname = call.args.str("user").unwrap_or_else(|| "ddns".into());
    let user_name = format!(
        "{}{}",
        nickname.to_ascii_lowercase(),
        world.ids.next_service()
    );
    let password = format!("pw{}", world.ids.next_service());
    let user = json!({"user_name": user_name, "nickname": nickname, "password": password, "status": "active"});
    if let Some(c) = world.customer_mut(&sess.customer) {
        c.collection("updateuser").insert(user_name, user.clone());
    }
    ok(
        json!({"ddns": ddns, "new_user": user}),
        "add: DDNS service and update user created",
    )
}
