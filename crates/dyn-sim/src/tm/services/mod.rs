//! Services attached to zones and nodes (HTTP redirect, DDNS, Active Failover, GSLB, RTTM,
//! Reverse DNS, Advanced Redirect, DNSSEC, external nameservers), served by one engine:
//! each service is a JSON object stored under its zone, keyed by its node and sub-keys.

mod defs;
mod validate;

use serde_json::{Map, Value, json};

use super::changes::{self, push};
use super::envelope::{Failure, TmResult, exists, missing, not_found, ok};
use super::names::{node_in_zone, norm};
use super::{Call, Sess, bad_method};
use crate::world::{Change, World};

pub(crate) use defs::find;

/// How one service resource behaves.
#[derive(Debug)]
pub(crate) struct ServiceDef {
    /// Resource name in paths (`HTTPRedirect`).
    pub(crate) resource: &'static str,
    /// Storage key inside the zone.
    pub(crate) kind: &'static str,
    /// The whole zone is the node (`/DNSSEC/<zone>/`).
    pub(crate) zone_level: bool,
    /// Key parts after the FQDN, named as the fields that carry them (`record_type`).
    pub(crate) sub_keys: &'static [&'static str],
    /// The last sub-key is generated on create (`iptrack_id`).
    pub(crate) generated: bool,
    /// Fields required on create.
    pub(crate) required: &'static [&'static str],
    /// Checks and normalises the merged object.
    pub(crate) validate: fn(&mut Map<String, Value>) -> Result<(), Failure>,
    /// Fields filled in on create when absent.
    pub(crate) defaults: &'static [(&'static str, &'static str)],
    /// `DELETE` with `publish: "N"` removes the service at the next publish.
    pub(crate) soft_delete: bool,
}

/// Arguments that steer the request and are never stored.
const CONTROL: &[&str] = &[
    "detail",
    "publish",
    "activate",
    "deactivate",
    "recover",
    "reset",
    "recoverip",
    "full_setup",
    "rules",
];

struct Key {
    zone: String,
    fqdn: String,
    subs: Vec<String>,
}

impl Key {
    fn joined(&self) -> String {
        std::iter::once(self.fqdn.as_str())
            .chain(self.subs.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("|")
    }
}

fn uri(def: &ServiceDef, zone: &str, obj: &Value) -> String {
    let mut path = format!("/REST/{}/{zone}/", def.resource);
    if !def.zone_level {
        path.push_str(obj["fqdn"].as_str().unwrap_or_default());
        path.push('/');
        for k in def.sub_keys {
            path.push_str(
                &obj[*k]
                    .as_str()
                    .map_or_else(|| obj[*k].to_string(), str::to_owned),
            );
            path.push('/');
        }
    }
    path
}

pub(crate) fn handle(world: &mut World, call: &Call, def: &'static ServiceDef) -> TmResult {
    let sess = call.sess()?.clone();
    let Some(zone_name) = call.part(0) else {
        return list_everywhere(world, call, &sess, def);
    };
    let zone = changes::zone(world, &sess, zone_name)?.name.clone();
    let fqdn = if def.zone_level {
        Some(zone.clone())
    } else {
        call.part(1).map(norm)
    };
    let Some(fqdn) = fqdn else {
        return list(world, call, &sess, def, &zone, None);
    };
    node_in_zone(&fqdn, &zone)?;
    let first_sub = if def.zone_level { 1 } else { 2 };
    let subs: Vec<String> = call
        .parts
        .iter()
        .skip(first_sub)
        .take(def.sub_keys.len())
        .cloned()
        .collect();
    let complete = subs.len() == def.sub_keys.len();
    let key = Key { zone, fqdn, subs };
    match (call.method.as_str(), complete) {
        ("GET", true) => {
            let obj = stored(world, &sess, def, &key)?;
            ok(obj, format!("get: Found the {} service", def.resource))
        }
        ("GET", false) => list(world, call, &sess, def, &key.zone, Some(&key)),
        ("POST", _) => create(world, call, &sess, def, key),
        ("PUT", true) => update(world, call, &sess, def, &key),
        ("DELETE", true) => delete(world, call, &sess, def, &key),
        _ => Err(bad_method(call)),
    }
}

fn stored(world: &World, sess: &Sess, def: &ServiceDef, key: &Key) -> Result<Value, Failure> {
    changes::zone(world, sess, &key.zone)?
        .services
        .get(def.kind)
        .and_then(|m| m.get(&key.joined()))
        .cloned()
        .ok_or_else(|| {
            not_found(format!(
                "service: No {} service found at {}",
                def.resource, key.fqdn
            ))
        })
}

fn list(
    world: &World,
    call: &Call,
    sess: &Sess,
    def: &ServiceDef,
    zone: &str,
    prefix: Option<&Key>,
) -> TmResult {
    let z = changes::zone(world, sess, zone)?;
    let prefix = prefix.map(Key::joined);
    let items: Vec<&Value> = z
        .services
        .get(def.kind)
        .into_iter()
        .flat_map(|m| m.iter())
        .filter(|(k, _)| {
            prefix
                .as_ref()
                .is_none_or(|p| k == &p || k.starts_with(&format!("{p}|")))
        })
        .map(|(_, v)| v)
        .collect();
    let detail = call.args.detail() || call.args.flag("rules");
    let data: Vec<Value> = items
        .iter()
        .map(|v| {
            if detail {
                (*v).clone()
            } else {
                json!(uri(def, zone, v))
            }
        })
        .collect();
    let n = data.len();
    ok(
        Value::Array(data),
        format!("get: Found {n} {} services", def.resource),
    )
}

/// `GET /REST/<Service>/` without a zone (`/REST/DNSSEC/`): the service in every zone.
fn list_everywhere(world: &World, call: &Call, sess: &Sess, def: &ServiceDef) -> TmResult {
    if !call.is("GET") {
        return Err(bad_method(call));
    }
    let zones: Vec<String> = world
        .customers
        .get(&sess.customer.to_ascii_lowercase())
        .map(|c| c.zones.keys().cloned().collect())
        .unwrap_or_default();
    let mut all = Vec::new();
    for zone in zones {
        if let Value::Array(items) = list(world, call, sess, def, &zone, None)?.data {
            all.extend(items);
        }
    }
    let n = all.len();
    ok(
        Value::Array(all),
        format!("get: Found {n} {} services", def.resource),
    )
}

fn fields_of(call: &Call) -> Map<String, Value> {
    call.args
        .0
        .iter()
        .filter(|(k, _)| !CONTROL.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn create(world: &mut World, call: &Call, sess: &Sess, def: &ServiceDef, mut key: Key) -> TmResult {
    changes::writable(world, sess, &key.zone)?;
    let mut obj = fields_of(call);
    for (i, name) in def.sub_keys.iter().enumerate().skip(key.subs.len()) {
        let value = if def.generated && i + 1 == def.sub_keys.len() {
            world.ids.next_service().to_string()
        } else {
            call.args.req_str(name)?
        };
        key.subs.push(value);
    }
    for field in def.required {
        if obj.get(*field).is_none_or(Value::is_null) {
            return Err(missing(field));
        }
    }
    for (field, value) in def.defaults {
        obj.entry(*field).or_insert_with(|| json!(value));
    }
    obj.insert("zone".into(), json!(key.zone));
    obj.insert("fqdn".into(), json!(key.fqdn));
    for (name, value) in def.sub_keys.iter().zip(&key.subs) {
        obj.insert((*name).to_owned(), json!(value));
    }
    (def.validate)(&mut obj)?;
    let joined = key.joined();
    let z = changes::zone_mut(world, sess, &key.zone)?;
    let map = z.service_map(def.kind);
    if map.contains_key(&joined) {
        return Err(exists(format!(
            "service: A {} service already exists at {}",
            def.resource, key.fqdn
        )));
    }
    let obj = Value::Object(obj);
    map.insert(joined, obj.clone());
    if def.kind == "ddns" && call.args.flag("full_setup") {
        return defs::ddns_full_setup(world, call, sess, obj);
    }
    ok(obj, format!("add: {} service created", def.resource))
}

fn update(world: &mut World, call: &Call, sess: &Sess, def: &ServiceDef, key: &Key) -> TmResult {
    changes::writable(world, sess, &key.zone)?;
    let Value::Object(mut obj) = stored(world, sess, def, key)? else {
        return Err(not_found("service: Stored service is not an object"));
    };
    for (k, v) in fields_of(call) {
        if !["zone", "fqdn"].contains(&k.as_str()) && !def.sub_keys.contains(&k.as_str()) {
            obj.insert(k, v);
        }
    }
    if call.args.flag("activate") {
        obj.insert("active".into(), json!("Y"));
    }
    if call.args.flag("deactivate") {
        obj.insert("active".into(), json!("N"));
    }
    if call.args.flag("recover") || call.args.has("recoverip") {
        obj.insert("status".into(), json!("ok"));
    }
    if call.args.flag("reset") {
        obj.insert("abuse_count".into(), json!(0));
    }
    (def.validate)(&mut obj)?;
    let obj = Value::Object(obj);
    changes::zone_mut(world, sess, &key.zone)?
        .service_map(def.kind)
        .insert(key.joined(), obj.clone());
    ok(obj, format!("update: {} service updated", def.resource))
}

fn delete(world: &mut World, call: &Call, sess: &Sess, def: &ServiceDef, key: &Key) -> TmResult {
    changes::writable(world, sess, &key.zone)?;
    stored(world, sess, def, key)?;
    let later = def.soft_delete
        && call
            .args
            .str("publish")
            .is_some_and(|p| p.eq_ignore_ascii_case("N"));
    if later {
        push(
            world,
            sess,
            &key.zone,
            Change::RemoveService {
                kind: def.kind,
                key: key.joined(),
            },
        );
        return ok(
            json!({}),
            format!(
                "delete: {} service will be removed on publish",
                def.resource
            ),
        );
    }
    changes::zone_mut(world, sess, &key.zone)?
        .service_map(def.kind)
        .remove(&key.joined());
    ok(
        json!({}),
        format!("delete: {} service deleted", def.resource),
    )
}
