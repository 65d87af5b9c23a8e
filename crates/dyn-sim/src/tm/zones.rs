//! `/REST/Zone/`, `/REST/ZoneFile/`, `/REST/ZoneTransfer/` and
//! `/REST/Apex/`: creating, reading, publishing, freezing and deleting zones.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::{Map, Value, json};

use super::changes::{self, zone_json};
use super::envelope::{Failure, TmResult, exists, invalid, missing, no_such_zone, not_found, ok};
use super::names::{in_zone, norm, valid_hostname};
use super::{Call, Sess, bad_method, zonefile};
use crate::world::{Record, World, Zone};

const SERIAL_STYLES: &[&str] = &["increment", "epoch", "day", "minute"];
/// The notify sources quoted in the `setup:` message of a new zone.
const NOTIFY_IPS: &str = "208.78.68.65, 204.13.249.65, 2001:500:90:1::65, 2600:2001:0:1::65";

fn contact_to_rname(contact: &str) -> String {
    let rname = contact.replacen('@', ".", 1);
    if rname.ends_with('.') {
        rname
    } else {
        format!("{rname}.")
    }
}

/// Builds a zone with its apex SOA and the four Dyn NS records, published.
pub(crate) fn new_zone(
    world: &mut World,
    name: &str,
    rname: &str,
    ttl: u64,
    style: &str,
    secondary: bool,
) -> Zone {
    let mut records = Vec::new();
    let mut soa = Map::new();
    soa.insert("mname".into(), json!("ns1.p01.dynect.net."));
    soa.insert("rname".into(), json!(contact_to_rname(rname)));
    soa.insert("serial".into(), json!(0));
    soa.insert("refresh".into(), json!(3600));
    soa.insert("retry".into(), json!(600));
    soa.insert("expire".into(), json!(604_800));
    soa.insert("minimum".into(), json!(1800));
    let mut soa_extra = Map::new();
    soa_extra.insert("serial_style".into(), json!(style));
    records.push(Record {
        uid: world.ids.next_uid(),
        id: world.ids.next_record(),
        fqdn: name.to_owned(),
        rtype: "SOA".into(),
        ttl,
        rdata: soa,
        extra: soa_extra,
    });
    for n in 1..=4 {
        let mut rdata = Map::new();
        rdata.insert("nsdname".into(), json!(format!("ns{n}.p01.dynect.net.")));
        let mut extra = Map::new();
        extra.insert("service_class".into(), json!("Primary"));
        records.push(Record {
            uid: world.ids.next_uid(),
            id: world.ids.next_record(),
            fqdn: name.to_owned(),
            rtype: "NS".into(),
            ttl: 86_400,
            rdata,
            extra,
        });
    }
    Zone {
        name: name.to_owned(),
        secondary,
        serial: 0,
        serial_style: style.to_owned(),
        frozen: false,
        published: false,
        ttl,
        records,
        notes: Vec::new(),
        day_counter: (0, 0),
        services: BTreeMap::new(),
    }
}

pub(crate) fn insert_zone(world: &mut World, sess: &Sess, zone: Zone) -> Result<(), Failure> {
    let customer = world
        .customer_mut(&sess.customer)
        .ok_or_else(super::envelope::bad_token)?;
    if customer.zones.contains_key(&zone.name) {
        return Err(exists("name: Name already exists").and("create: You already have this zone."));
    }
    customer.zones.insert(zone.name.clone(), zone);
    Ok(())
}

pub(crate) fn checked_name(raw: &str) -> Result<String, Failure> {
    let name = norm(raw);
    if valid_hostname(&name) && name.contains('.') {
        Ok(name)
    } else {
        Err(invalid("zone: Invalid zone name"))
    }
}

/// `/REST/Zone/[<z>/]`.
pub(crate) fn handle(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let Some(name) = call.part(0) else {
        return list(world, call, sess, false);
    };
    match call.method.as_str() {
        "GET" => ok(
            zone_json(changes::zone(world, sess, name)?),
            format!("get: Your zone, {}", norm(name)),
        ),
        "POST" => create(world, call, sess, name),
        "PUT" => update(world, call, sess, name),
        "DELETE" => {
            let zname = changes::zone(world, sess, name)?.name.clone();
            if let Some(task) = world.blocking_task(&sess.customer, &zname) {
                return Err(super::envelope::blocked(&task.name, task.id));
            }
            if let Some(c) = world.customer_mut(&sess.customer) {
                c.zones.remove(&zname);
            }
            for state in world.sessions.values_mut() {
                state.pending.remove(&zname);
            }
            ok(json!({}), "remove: Zone removed")
        }
        _ => Err(bad_method(call)),
    }
}

pub(crate) fn list(world: &World, call: &Call, sess: &Sess, secondary_only: bool) -> TmResult {
    if !call.is("GET") {
        return Err(bad_method(call));
    }
    let zones: Vec<&Zone> = world
        .customers
        .get(&sess.customer.to_ascii_lowercase())
        .map(|c| {
            c.zones
                .values()
                .filter(|z| !secondary_only || z.secondary)
                .collect()
        })
        .unwrap_or_default();
    let n = zones.len();
    let data: Vec<Value> = if call.args.detail() {
        zones
            .iter()
            .map(|z| {
                if secondary_only {
                    super::secondary::secondary_json(z)
                } else {
                    zone_json(z)
                }
            })
            .collect()
    } else {
        let resource = if secondary_only { "Secondary" } else { "Zone" };
        zones
            .iter()
            .map(|z| json!(format!("/REST/{resource}/{}/", z.name)))
            .collect()
    };
    ok(Value::Array(data), format!("get: Your {n} zones"))
}

fn create(world: &mut World, call: &Call, sess: &Sess, raw_name: &str) -> TmResult {
    let name = checked_name(raw_name)?;
    let rname = call.args.req_str("rname")?;
    let ttl = call.args.u64("ttl")?.unwrap_or(3600);
    let style = call
        .args
        .str("serial_style")
        .unwrap_or_else(|| "increment".into());
    if !SERIAL_STYLES.contains(&style.as_str()) {
        return Err(invalid("serial_style: Invalid serial style"));
    }
    let zone = new_zone(world, &name, &rname, ttl, &style, false);
    let data = zone_json(&zone);
    insert_zone(world, sess, zone)?;
    ok(
        data,
        format!(
            "setup: If you plan to provide your own secondary DNS for the zone, allow notify requests from these IP addresses on your nameserver: {NOTIFY_IPS}"
        ),
    )
}

fn update(world: &mut World, call: &Call, sess: &Sess, name: &str) -> TmResult {
    let actions: Vec<&str> = ["publish", "freeze", "thaw"]
        .into_iter()
        .filter(|a| call.args.flag(a))
        .collect();
    match actions.as_slice() {
        ["publish"] => changes::publish(world, sess, name, call.args.str("notes")),
        ["freeze"] | ["thaw"] => {
            let freeze = actions == ["freeze"];
            if freeze {
                changes::writable(world, sess, name)?;
            }
            let z = changes::zone_mut(world, sess, name)?;
            z.frozen = freeze;
            let info = if freeze {
                "freeze: Your zone is now frozen"
            } else {
                "thaw: Your zone is now thawed, you may edit normally"
            };
            ok(zone_json(z), info)
        }
        [] => {
            // dyn-python's SecondaryZone.serial sends an empty PUT and reads the zone back.
            changes::zone(world, sess, name)
                .map(zone_json)
                .and_then(|d| ok(d, "update: No changes requested"))
        }
        _ => Err(invalid(
            "publish: Only one of publish, freeze and thaw may be given",
        )),
    }
}

/// `POST /REST/ZoneFile/<z>/ {"file": "<master file>"}`: creates a primary zone from a BIND
/// master file.
pub(crate) fn zone_file(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    if !call.is("POST") {
        return Err(bad_method(call));
    }
    let name = checked_name(call.part(0).ok_or_else(no_such_zone)?)?;
    let text = call.args.req_str("file")?;
    if text.len() > 1024 * 1024 {
        return Err(invalid("file: Zone file must be smaller than 1MB"));
    }
    let parsed = zonefile::parse(&text, &name)?;
    let mut zone = new_zone(world, &name, &parsed.rname, parsed.ttl, "increment", false);
    for mut record in parsed.records {
        if record.rtype == "SOA" || (record.rtype == "NS" && record.fqdn == name) {
            continue;
        }
        record.uid = world.ids.next_uid();
        record.id = world.ids.next_record();
        zone.records.push(record);
    }
    let data = zone_json(&zone);
    insert_zone(world, sess, zone)?;
    let task_id = world.start_task(&sess.customer, &name, "ZoneFileUpload", None);
    let mut data = data;
    data["task_id"] = json!(task_id.to_string());
    ok(data, "upload: Zone file uploaded")
}

/// `/REST/ZoneTransfer/<z>/`: POST starts a transfer from `master_ip` (the simulator creates
/// an empty primary zone at once), GET reports its status.
pub(crate) fn zone_transfer(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let name = checked_name(call.part(0).ok_or_else(no_such_zone)?)?;
    match call.method.as_str() {
        "POST" => {
            let master = call.args.req_str("master_ip")?;
            if master.parse::<IpAddr>().is_err() {
                return Err(invalid("master_ip: Not a valid IP address"));
            }
            let zone = new_zone(
                world,
                &name,
                &format!("hostmaster@{name}"),
                3600,
                "increment",
                false,
            );
            insert_zone(world, sess, zone)?;
            ok(
                json!({"zone": name, "master_ip": master, "status": "ready"}),
                "transfer: Zone transfer started",
            )
        }
        "GET" => {
            changes::zone(world, sess, &name)?;
            ok(
                json!({"zone": name, "status": "ok", "message": ""}),
                "transfer: Zone transfer complete",
            )
        }
        _ => Err(bad_method(call)),
    }
}

/// `GET /REST/Apex/<node>`: the zone that holds a name.
pub(crate) fn apex(world: &World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let node = norm(call.part(0).ok_or_else(|| missing("node"))?);
    let customer = world.customers.get(&sess.customer.to_ascii_lowercase());
    let best = customer
        .into_iter()
        .flat_map(|c| c.zones.values())
        .filter(|z| in_zone(&node, &z.name))
        .max_by_key(|z| z.name.len())
        .ok_or_else(|| not_found("node: Node is not in any of your zones"))?;
    ok(
        json!({"zone": best.name}),
        format!("get: {node} is in zone {}", best.name),
    )
}
