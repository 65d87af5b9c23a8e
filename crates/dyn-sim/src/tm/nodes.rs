//! The node tree: `/REST/AllRecord/`, `/REST/ANYRecord/`, `/REST/NodeList/` and
//! `DELETE /REST/Node/`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::changes::{self, push, record_json, view, zone_json};
use super::envelope::{TmResult, illegal, no_such_zone, not_found, ok};
use super::names::{in_zone, node_in_zone, norm};
use super::rdata::TYPES;
use super::records::uri;
use super::{Call, bad_method};
use crate::world::{Change, Record, World};

/// `(zone, optional fqdn)` of a tree request, checked.
fn where_(
    world: &World,
    call: &Call,
) -> Result<(String, Option<String>), super::envelope::Failure> {
    let sess = call.sess()?;
    let zone = changes::zone(world, sess, call.part(0).ok_or_else(no_such_zone)?)?
        .name
        .clone();
    let fqdn = call.part(1).map(norm);
    if let Some(f) = &fqdn {
        node_in_zone(f, &zone)?;
    }
    Ok((zone, fqdn))
}

fn grouped(zone: &str, records: &[&Record], detail: bool) -> Value {
    if !detail {
        return Value::Array(
            records
                .iter()
                .map(|r| json!(uri(&r.rtype, zone, r)))
                .collect(),
        );
    }
    let mut groups = Map::new();
    for spec in TYPES {
        let list: Vec<Value> = records
            .iter()
            .filter(|r| r.rtype == spec.name)
            .map(|r| record_json(zone, r))
            .collect();
        groups.insert(
            format!("{}_records", spec.name.to_ascii_lowercase()),
            Value::Array(list),
        );
    }
    Value::Object(groups)
}

fn node_missing() -> super::envelope::Failure {
    not_found("node: Node is not in the zone").and("get_tree: Node name not found within the zone")
}

/// `GET /REST/AllRecord/<zone>/[<fqdn>/]`: records at and below a node.
pub(crate) fn all_records(world: &World, call: &Call) -> TmResult {
    if !call.is("GET") {
        return Err(bad_method(call));
    }
    let (zone, fqdn) = where_(world, call)?;
    let records = view(world, call.sess()?, &zone)?;
    let top = fqdn.unwrap_or_else(|| zone.clone());
    let chosen: Vec<&Record> = records.iter().filter(|r| in_zone(&r.fqdn, &top)).collect();
    if chosen.is_empty() {
        return Err(node_missing());
    }
    ok(
        grouped(&zone, &chosen, call.args.detail()),
        "get_tree: Here is your zone tree",
    )
}

/// `GET /REST/ANYRecord/<zone>/<fqdn>/`: all records at exactly one node.
pub(crate) fn any_records(world: &World, call: &Call) -> TmResult {
    if !call.is("GET") {
        return Err(bad_method(call));
    }
    let (zone, fqdn) = where_(world, call)?;
    let fqdn = fqdn.unwrap_or_else(|| zone.clone());
    let records = view(world, call.sess()?, &zone)?;
    let chosen: Vec<&Record> = records.iter().filter(|r| r.fqdn == fqdn).collect();
    if chosen.is_empty() {
        return Err(node_missing());
    }
    ok(
        grouped(&zone, &chosen, call.args.detail()),
        "get: Found the records",
    )
}

/// `GET /REST/NodeList/<zone>/[<fqdn>/]`: names of the nodes at and below a node.
pub(crate) fn node_list(world: &World, call: &Call) -> TmResult {
    if !call.is("GET") {
        return Err(bad_method(call));
    }
    let (zone, fqdn) = where_(world, call)?;
    let sess = call.sess()?;
    let records = view(world, sess, &zone)?;
    let top = fqdn.unwrap_or_else(|| zone.clone());
    let mut names: BTreeSet<String> = records
        .iter()
        .map(|r| r.fqdn.clone())
        .filter(|f| in_zone(f, &top))
        .collect();
    if let Ok(z) = changes::zone(world, sess, &zone) {
        for map in z.services.values() {
            names.extend(map.keys().filter(|k| in_zone(k, &top)).cloned());
        }
    }
    if names.is_empty() {
        return Err(node_missing());
    }
    ok(
        json!(names.into_iter().collect::<Vec<_>>()),
        "get: Node list",
    )
}

/// `DELETE /REST/Node/<zone>/<fqdn>`: removes a node, its records and everything below it
/// (pending until publish); the apex cannot be removed.
pub(crate) fn delete_node(world: &mut World, call: &Call) -> TmResult {
    if !call.is("DELETE") {
        return Err(bad_method(call));
    }
    let (zone, fqdn) = where_(world, call)?;
    let sess = call.sess()?.clone();
    let fqdn = fqdn.ok_or_else(|| super::envelope::missing("fqdn"))?;
    if fqdn == zone {
        return Err(illegal("node: The zone apex cannot be removed"));
    }
    changes::writable(world, &sess, &zone)?;
    let records = view(world, &sess, &zone)?;
    let victims: Vec<Record> = records
        .into_iter()
        .filter(|r| in_zone(&r.fqdn, &fqdn))
        .collect();
    if victims.is_empty() {
        return Err(node_missing());
    }
    for r in victims {
        push(world, &sess, &zone, Change::Remove(r));
    }
    let data = zone_json(changes::zone(world, &sess, &zone)?);
    ok(
        data,
        format!("remove_node: {fqdn} removed from tree. All records also removed."),
    )
}
