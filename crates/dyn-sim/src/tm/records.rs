//! `/REST/<T>Record/<zone>/<fqdn>/[<id>/]` for every record type: create (pending, id 0),
//! read, update (merging rdata), replace a whole record set, and delete.

use serde_json::{Map, Value, json};

use super::args::as_u64;
use super::changes::{self, push, record_json, view};
use super::envelope::{
    Failure, TmResult, exists, illegal, invalid, missing, no_such_zone, not_found, ok,
};
use super::names::{node_in_zone, norm};
use super::rdata::{self, TypeSpec};
use super::{Call, Sess, bad_method};
use crate::world::{Change, Record, World};

/// Where a request points: zone, node and optional id.
struct Target {
    zone: String,
    fqdn: String,
    id: Option<u64>,
}

fn target(world: &World, call: &Call, sess: &Sess) -> Result<Target, Failure> {
    let zone = changes::zone(world, sess, call.part(0).ok_or_else(no_such_zone)?)?
        .name
        .clone();
    let fqdn = norm(call.part(1).ok_or_else(|| missing("fqdn"))?);
    node_in_zone(&fqdn, &zone)?;
    let id = match call.part(2) {
        None => None,
        Some(raw) => Some(
            raw.parse::<u64>()
                .map_err(|_| not_found("record_id: No such record"))?,
        ),
    };
    Ok(Target { zone, fqdn, id })
}

fn of_type<'v>(
    records: &'v [Record],
    spec: &TypeSpec,
    fqdn: &str,
) -> impl Iterator<Item = &'v Record> {
    records
        .iter()
        .filter(move |r| r.rtype == spec.name && r.fqdn == fqdn)
}

/// Finds one record by id; id 0 means the session's only pending record of the type at the
/// node unless [`crate::Options::strict_record_id_zero`] is on.
fn find(
    world: &World,
    records: &[Record],
    spec: &TypeSpec,
    t: &Target,
    id: u64,
) -> Result<Record, Failure> {
    let mut candidates = of_type(records, spec, &t.fqdn).filter(|r| r.id == id);
    let first = candidates.next().cloned();
    let unique = candidates.next().is_none();
    match first {
        Some(r) if id != 0 || (unique && !world.options.strict_record_id_zero) => Ok(r),
        _ => Err(not_found("record_id: No such record").and("get: Record not found")),
    }
}

fn is_core_ns(zone: &str, r: &Record) -> bool {
    r.rtype == "NS"
        && r.fqdn == zone
        && r.rdata
            .get("nsdname")
            .and_then(Value::as_str)
            .is_some_and(|n| n.trim_end_matches('.').ends_with("dynect.net"))
}

pub(crate) fn handle(world: &mut World, call: &Call, spec: &'static TypeSpec) -> TmResult {
    let sess = call.sess()?.clone();
    let t = target(world, call, &sess)?;
    match (call.method.as_str(), t.id) {
        ("GET", Some(id)) => {
            let records = view(world, &sess, &t.zone)?;
            ok(
                record_json(&t.zone, &find(world, &records, spec, &t, id)?),
                "get: Found the record",
            )
        }
        ("GET", None) => list(world, call, &sess, spec, &t),
        ("POST", None) => create(world, call, &sess, spec, &t),
        ("PUT", Some(id)) => {
            let records = view(world, &sess, &t.zone)?;
            let old = find(world, &records, spec, &t, id)?;
            update(world, call, &sess, spec, &t, old)
        }
        ("PUT", None) => node_put(world, call, &sess, spec, &t),
        ("DELETE", Some(id)) => {
            changes::writable(world, &sess, &t.zone)?;
            let records = view(world, &sess, &t.zone)?;
            let old = find(world, &records, spec, &t, id)?;
            delete(world, &sess, &t, vec![old])
        }
        ("DELETE", None) => {
            changes::writable(world, &sess, &t.zone)?;
            let records = view(world, &sess, &t.zone)?;
            let all: Vec<Record> = of_type(&records, spec, &t.fqdn).cloned().collect();
            delete(world, &sess, &t, all)
        }
        _ => Err(bad_method(call)),
    }
}

fn list(world: &World, call: &Call, sess: &Sess, spec: &TypeSpec, t: &Target) -> TmResult {
    let records = view(world, sess, &t.zone)?;
    if !records.iter().any(|r| r.fqdn == t.fqdn) {
        return Err(not_found("node: Not in zone").and("detail: Host is not in this zone"));
    }
    let found: Vec<&Record> = of_type(&records, spec, &t.fqdn).collect();
    let n = found.len();
    let data: Vec<Value> = if call.args.detail() {
        found.iter().map(|r| record_json(&t.zone, r)).collect()
    } else {
        found
            .iter()
            .map(|r| json!(uri(spec.name, &t.zone, r)))
            .collect()
    };
    ok(
        Value::Array(data),
        format!("detail: Found {n} record{}", if n == 1 { "" } else { "s" }),
    )
}

pub(crate) fn uri(rtype: &str, zone: &str, r: &Record) -> String {
    format!("/REST/{rtype}Record/{zone}/{}/{}", r.fqdn, r.id)
}

fn rdata_arg(value: Option<&Value>) -> Result<&Map<String, Value>, Failure> {
    match value {
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(invalid("rdata: Must be an object")),
        None => Err(missing("rdata")),
    }
}

fn ttl_arg(value: Option<&Value>, zone_ttl: u64) -> Result<Option<u64>, Failure> {
    match value.filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v) => match as_u64(v) {
            Some(0) => Ok(Some(zone_ttl)),
            Some(n) if n <= 2_147_483_647 => Ok(Some(n)),
            _ => Err(invalid("ttl: Must be an integer between 0 and 2147483647")),
        },
    }
}

/// Checks a new or changed record against the others at its node.
fn check_node(records: &[Record], candidate: &Record) -> Result<(), Failure> {
    let others = records
        .iter()
        .filter(|r| r.fqdn == candidate.fqdn && r.uid != candidate.uid);
    for other in others {
        if other.rtype == candidate.rtype && rdata::same(&other.rdata, &candidate.rdata) {
            return Err(
                exists("make: Cannot duplicate existing record data").and("add: Record not added")
            );
        }
        if candidate.rtype == "CNAME" && other.rtype != "CNAME" {
            return Err(illegal(
                "cname: A CNAME record cannot coexist with other data at a node",
            ));
        }
        if other.rtype == "CNAME" && candidate.rtype != "CNAME" {
            return Err(illegal(format!(
                "node: {} already has a CNAME record",
                candidate.fqdn
            )));
        }
    }
    Ok(())
}

fn build(
    world: &mut World,
    spec: &TypeSpec,
    t: &Target,
    item: &Map<String, Value>,
    zone_ttl: u64,
) -> Result<Record, Failure> {
    let given = rdata_arg(item.get("rdata"))?;
    let rdata = rdata::validate(spec, given).map_err(|f| {
        if f.msgs.first().and_then(|m| m.err_cd.as_deref()) == Some("INVALID_DATA") {
            f.and(format!("add: Could not create {} record", spec.name))
        } else {
            f
        }
    })?;
    let ttl = ttl_arg(item.get("ttl"), zone_ttl)?.unwrap_or(zone_ttl);
    let mut extra = Map::new();
    if spec.name == "NS" {
        extra.insert(
            "service_class".into(),
            item.get("service_class")
                .cloned()
                .unwrap_or_else(|| json!("")),
        );
    }
    Ok(Record {
        uid: world.ids.next_uid(),
        id: 0,
        fqdn: t.fqdn.clone(),
        rtype: spec.name.to_owned(),
        ttl,
        rdata,
        extra,
    })
}

fn create(world: &mut World, call: &Call, sess: &Sess, spec: &TypeSpec, t: &Target) -> TmResult {
    if spec.name == "SOA" {
        return Err(
            illegal("record_type: SOA records cannot be created").and("add: Record not added")
        );
    }
    let zone_ttl = changes::writable(world, sess, &t.zone)?.ttl;
    let record = build(world, spec, t, &call.args.0, zone_ttl)?;
    check_node(&view(world, sess, &t.zone)?, &record)?;
    let data = record_json(&t.zone, &record);
    push(world, sess, &t.zone, Change::Put(record));
    ok(data, "add: Record added")
}

fn update(
    world: &mut World,
    call: &Call,
    sess: &Sess,
    spec: &TypeSpec,
    t: &Target,
    old: Record,
) -> TmResult {
    let zone_ttl = changes::writable(world, sess, &t.zone)?.ttl;
    let mut record = old.clone();
    if let Some(update) = call.args.get("rdata") {
        record.rdata = rdata::merge(spec, &old.rdata, rdata_arg(Some(update))?)?;
    }
    if let Some(ttl) = ttl_arg(call.args.get("ttl"), zone_ttl)? {
        record.ttl = ttl;
    }
    if spec.name == "SOA"
        && let Some(style) = call.args.str("serial_style")
    {
        if !["increment", "epoch", "day", "minute"].contains(&style.as_str()) {
            return Err(invalid("serial_style: Invalid serial style"));
        }
        record.extra.insert("serial_style".into(), json!(style));
    }
    if spec.name == "NS" && is_core_ns(&t.zone, &old) && record.rdata != old.rdata {
        return Err(illegal(
            "nsdname: The zone's Dyn nameservers cannot be changed",
        ));
    }
    if spec.name != "SOA" {
        check_node(&view(world, sess, &t.zone)?, &record)?;
    }
    let data = record_json(&t.zone, &record);
    push(world, sess, &t.zone, Change::Put(record));
    ok(data, "update: Record updated")
}

/// PUT without an id: replace the record set (`<T>Records` list), or update the only record.
fn node_put(world: &mut World, call: &Call, sess: &Sess, spec: &TypeSpec, t: &Target) -> TmResult {
    let key = format!("{}Records", spec.name);
    let list = call
        .args
        .0
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        .map(|(_, v)| v.clone());
    let records = view(world, sess, &t.zone)?;
    let Some(list) = list else {
        let mut found = of_type(&records, spec, &t.fqdn);
        return match (found.next().cloned(), found.next()) {
            (Some(only), None) => update(world, call, sess, spec, t, only),
            _ => Err(not_found("id: You did not reference a specific record")
                .and("update: No record updated")),
        };
    };
    if spec.name == "SOA" {
        return Err(illegal("record_type: SOA records cannot be replaced"));
    }
    let zone_ttl = changes::writable(world, sess, &t.zone)?.ttl;
    let items = match list {
        Value::Array(items) => items,
        _ => return Err(invalid(format!("{key}: Must be a list"))),
    };
    let old: Vec<Record> = of_type(&records, spec, &t.fqdn)
        .filter(|r| !is_core_ns(&t.zone, r))
        .cloned()
        .collect();
    let mut remaining: Vec<Record> = records
        .iter()
        .filter(|r| !old.iter().any(|o| o.uid == r.uid))
        .cloned()
        .collect();
    let mut fresh = Vec::new();
    for item in &items {
        let item = item
            .as_object()
            .ok_or_else(|| invalid(format!("{key}: Every entry must be an object")))?;
        let record = build(world, spec, t, item, zone_ttl)?;
        check_node(&remaining, &record)?;
        remaining.push(record.clone());
        fresh.push(record);
    }
    for r in old {
        push(world, sess, &t.zone, Change::Remove(r));
    }
    let data: Vec<Value> = fresh.iter().map(|r| record_json(&t.zone, r)).collect();
    for r in fresh {
        push(world, sess, &t.zone, Change::Put(r));
    }
    ok(
        Value::Array(data),
        format!("replace: {} records replaced", items.len()),
    )
}

fn delete(world: &mut World, sess: &Sess, t: &Target, victims: Vec<Record>) -> TmResult {
    if victims.iter().any(|r| r.rtype == "SOA") {
        return Err(illegal("record_type: SOA records cannot be deleted"));
    }
    if victims.iter().any(|r| is_core_ns(&t.zone, r)) {
        return Err(illegal(
            "nsdname: The zone's Dyn nameservers cannot be deleted",
        ));
    }
    let n = victims.len();
    for r in victims {
        push(world, sess, &t.zone, Change::Remove(r));
    }
    ok(json!({}), format!("delete: {n} records deleted"))
}
