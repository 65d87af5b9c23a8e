//! Account-level objects served by one engine: TSIG keys, contacts, notifiers, update users,
//! permission groups, IP ACLs and the Traffic Director (DSF) family.

use serde_json::{Map, Value, json};

use super::args::{truthy, yn};
use super::envelope::{Failure, TmResult, bad_token, exists, invalid, missing, not_found, ok};
use super::{Call, bad_method};
use crate::world::{Customer, World};

/// How one account-level resource behaves.
#[derive(Debug)]
pub(crate) struct ObjDef {
    pub(crate) resource: &'static str,
    pub(crate) kind: &'static str,
    /// Field that holds the object's key.
    pub(crate) id_field: &'static str,
    /// Keys are generated on `POST /<R>/`.
    pub(crate) generated: bool,
    /// The first path segment names a parent DSF service (`/DSFRuleset/<service>/...`).
    pub(crate) dsf_child: bool,
    /// `PUT` creates a missing object.
    pub(crate) upsert: bool,
    pub(crate) required: &'static [&'static str],
    pub(crate) defaults: &'static [(&'static str, &'static str)],
    pub(crate) validate: fn(&mut Map<String, Value>) -> Result<(), Failure>,
}

const CONTROL: &[&str] = &[
    "detail",
    "publish",
    "notes",
    "search",
    "block",
    "unblock",
    "pending_changes",
];
const TSIG_ALGORITHMS: &[&str] = &[
    "hmac-md5",
    "hmac-sha1",
    "hmac-sha224",
    "hmac-sha256",
    "hmac-sha384",
    "hmac-sha512",
];

fn none(_: &mut Map<String, Value>) -> Result<(), Failure> {
    Ok(())
}

fn tsig(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    let algorithm = obj
        .get("algorithm")
        .and_then(Value::as_str)
        .unwrap_or("hmac-md5")
        .to_ascii_lowercase();
    if !TSIG_ALGORITHMS.contains(&algorithm.as_str()) {
        return Err(invalid(format!(
            "algorithm: Must be one of {}",
            TSIG_ALGORITHMS.join(", ")
        )));
    }
    obj.insert("algorithm".into(), json!(algorithm));
    let secret = obj
        .get("secret")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let base64ish = !secret.is_empty()
        && secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
    if !base64ish {
        return Err(invalid("secret: Must be a base64 string"));
    }
    Ok(())
}

fn contact(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    match obj.get("email").and_then(Value::as_str) {
        Some(e) if e.contains('@') => Ok(()),
        Some(_) => Err(invalid("email: Not a valid email address")),
        None => Ok(()),
    }
}

fn ip_acl(obj: &mut Map<String, Value>) -> Result<(), Failure> {
    if let Some(active) = obj.get("active").cloned() {
        obj.insert("active".into(), json!(yn(truthy(&active))));
    }
    Ok(())
}

macro_rules! obj {
    ($res:literal, $kind:literal, $id:literal, gen=$gen:expr, child=$child:expr, upsert=$up:expr, req=$req:expr, defaults=$d:expr, check=$check:expr) => {
        ObjDef {
            resource: $res,
            kind: $kind,
            id_field: $id,
            generated: $gen,
            dsf_child: $child,
            upsert: $up,
            required: $req,
            defaults: $d,
            validate: $check,
        }
    };
}

static OBJECTS: &[ObjDef] = &[
    obj!("TSIGKey", "tsig", "name", gen = false, child = false, upsert = false, req = &["secret"], defaults = &[("algorithm", "hmac-md5")], check = tsig),
    obj!("Contact", "contact", "nickname", gen = false, child = false, upsert = false, req = &["email"], defaults = &[], check = contact),
    obj!("Notifier", "notifier", "notifier_id", gen = true, child = false, upsert = false, req = &["label"], defaults = &[("active", "Y")], check = none),
    obj!("UpdateUser", "updateuser", "user_name", gen = true, child = false, upsert = false, req = &["nickname", "password"], defaults = &[("status", "active")], check = none),
    obj!("PermissionGroup", "group", "group_name", gen = false, child = false, upsert = false, req = &[], defaults = &[("group_type", "plain"), ("all_users", "N")], check = none),
    obj!("CustomerIPACL", "ipacl", "scope", gen = false, child = false, upsert = true, req = &[], defaults = &[("active", "Y"), ("netmasks", "")], check = ip_acl),
    obj!("Geo", "geo", "service_name", gen = false, child = false, upsert = false, req = &["groups"], defaults = &[("active", "Y")], check = none),
    obj!("DSF", "dsf", "service_id", gen = true, child = false, upsert = false, req = &["label"], defaults = &[("active", "Y"), ("ttl", "0")], check = none),
    obj!("DSFMonitor", "dsfmonitor", "monitor_id", gen = true, child = false, upsert = false, req = &["label", "protocol"], defaults = &[("active", "Y")], check = none),
    obj!("DSFRuleset", "dsfruleset", "dsf_ruleset_id", gen = true, child = true, upsert = false, req = &["label"], defaults = &[("criteria_type", "always")], check = none),
    obj!("DSFResponsePool", "dsfresponsepool", "dsf_response_pool_id", gen = true, child = true, upsert = false, req = &["label"], defaults = &[("automation", "auto")], check = none),
    obj!("DSFRecordSetFailoverChain", "dsfchain", "dsf_record_set_failover_chain_id", gen = true, child = true, upsert = false, req = &["label"], defaults = &[("core", "false")], check = none),
    obj!("DSFRecordSet", "dsfrecordset", "dsf_record_set_id", gen = true, child = true, upsert = false, req = &["rdata_class"], defaults = &[("automation", "auto")], check = none),
    obj!("DSFRecord", "dsfrecord", "dsf_record_id", gen = true, child = true, upsert = false, req = &[], defaults = &[("eligible", "true"), ("automation", "auto")], check = none),
];

pub(crate) fn find(resource: &str) -> Option<&'static ObjDef> {
    OBJECTS
        .iter()
        .find(|d| d.resource.eq_ignore_ascii_case(resource))
}

fn customer<'w>(world: &'w mut World, call: &Call) -> Result<&'w mut Customer, Failure> {
    let sess = call.sess()?;
    world.customer_mut(&sess.customer).ok_or_else(bad_token)
}

pub(crate) fn handle(world: &mut World, call: &Call, def: &'static ObjDef) -> TmResult {
    let mut parts = call.parts.iter().map(String::as_str);
    let parent = if def.dsf_child {
        let svc = parts
            .next()
            .ok_or_else(|| missing("service_id"))?
            .to_owned();
        if customer(world, call)?.object("dsf", &svc).is_none() {
            return Err(not_found("service_id: No such Traffic Director service"));
        }
        Some(svc)
    } else {
        None
    };
    let id = parts.next().map(str::to_owned);
    let prefix = parent.as_ref().map(|p| format!("{p}|")).unwrap_or_default();
    let next = if def.generated {
        Some(world.ids.next_service())
    } else {
        None
    };
    let c = customer(world, call)?;
    match (call.method.as_str(), id) {
        ("GET", None) => {
            let search = call.args.str("search").map(|s| s.to_ascii_lowercase());
            let items: Vec<Value> = c
                .objects
                .get(def.kind)
                .into_iter()
                .flat_map(|m| m.iter())
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(_, v)| v)
                .filter(|v| {
                    search
                        .as_ref()
                        .is_none_or(|s| v.to_string().to_ascii_lowercase().contains(s))
                })
                .map(|v| {
                    if call.args.detail() || def.dsf_child || def.kind == "dsf" {
                        v.clone()
                    } else {
                        let key = v[def.id_field].as_str().unwrap_or_default();
                        json!(format!(
                            "/REST/{}/{}{key}/",
                            def.resource,
                            prefix.replace('|', "/")
                        ))
                    }
                })
                .collect();
            let n = items.len();
            ok(
                Value::Array(items),
                format!("get: Found {n} {} objects", def.resource),
            )
        }
        ("POST", id) => {
            let key = match (id, next) {
                (Some(id), _) => id,
                (None, Some(n)) if def.kind.starts_with("dsf") => super::dsf::id_from(n),
                (None, Some(n)) if def.kind == "updateuser" => {
                    format!(
                        "{}{n}",
                        call.args
                            .str("nickname")
                            .unwrap_or_default()
                            .to_ascii_lowercase()
                    )
                }
                (None, Some(n)) => n.to_string(),
                (None, None) => call.args.req_str(def.id_field)?,
            };
            let mut obj = fields(call);
            for field in def.required {
                if obj.get(*field).is_none_or(Value::is_null) {
                    return Err(missing(field));
                }
            }
            for (field, value) in def.defaults {
                obj.entry(*field).or_insert_with(|| json!(value));
            }
            obj.insert(def.id_field.into(), json!(key));
            if let Some(p) = &parent {
                obj.insert("service_id".into(), json!(p));
            }
            (def.validate)(&mut obj)?;
            let full = format!("{prefix}{key}");
            if c.collection(def.kind).contains_key(&full) {
                return Err(exists(format!("{}: {key} already exists", def.id_field)));
            }
            if def.kind == "dsf" {
                register(c, &key, super::dsf::expand(&mut obj, &key));
            }
            let obj = Value::Object(obj);
            c.collection(def.kind).insert(full, obj.clone());
            ok(obj, format!("create: {} {key} created", def.resource))
        }
        ("GET", Some(id)) => {
            let obj = c
                .object(def.kind, &format!("{prefix}{id}"))
                .cloned()
                .ok_or_else(|| {
                    not_found(format!("{}: No such {} {id}", def.id_field, def.resource))
                })?;
            ok(obj, format!("get: Found {} {id}", def.resource))
        }
        ("PUT", Some(id)) => {
            let full = format!("{prefix}{id}");
            let existing = c.object(def.kind, &full).cloned();
            let mut obj = match (existing, def.upsert) {
                (Some(Value::Object(o)), _) => o,
                (None, true) => {
                    let mut o = Map::new();
                    for (field, value) in def.defaults {
                        o.insert((*field).to_owned(), json!(value));
                    }
                    o.insert(def.id_field.into(), json!(id));
                    o
                }
                _ => {
                    return Err(not_found(format!(
                        "{}: No such {} {id}",
                        def.id_field, def.resource
                    )));
                }
            };
            for (k, v) in fields(call) {
                if k != def.id_field {
                    obj.insert(k, v);
                }
            }
            if call.args.flag("block") {
                obj.insert("status".into(), json!("blocked"));
            }
            if call.args.flag("unblock") {
                obj.insert("status".into(), json!("active"));
            }
            (def.validate)(&mut obj)?;
            if def.kind == "dsf" {
                register(c, &id, super::dsf::expand(&mut obj, &id));
            }
            let obj = Value::Object(obj);
            c.collection(def.kind).insert(full, obj.clone());
            ok(obj, format!("update: {} {id} updated", def.resource))
        }
        ("DELETE", Some(id)) => {
            let full = format!("{prefix}{id}");
            if c.collection(def.kind).remove(&full).is_none() {
                return Err(not_found(format!(
                    "{}: No such {} {id}",
                    def.id_field, def.resource
                )));
            }
            if def.kind == "dsf" {
                for kind in [
                    "dsfruleset",
                    "dsfresponsepool",
                    "dsfchain",
                    "dsfrecordset",
                    "dsfrecord",
                    "dsfnode",
                ] {
                    c.collection(kind)
                        .retain(|k, _| !k.starts_with(&format!("{id}|")) && k != &id);
                }
            }
            ok(json!({}), format!("delete: {} {id} deleted", def.resource))
        }
        _ => Err(bad_method(call)),
    }
}

/// Makes the levels of an expanded DSF service reachable through their own resources.
fn register(c: &mut Customer, svc: &str, children: super::dsf::Children) {
    for (kind, id, value) in children {
        c.collection(kind).insert(format!("{svc}|{id}"), value);
    }
}

fn fields(call: &Call) -> Map<String, Value> {
    call.args
        .0
        .iter()
        .filter(|(k, v)| !CONTROL.contains(&k.as_str()) && !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `/REST/DSFNode/<service>`: the nodes a Traffic Director service answers for.
pub(crate) fn dsf_node(world: &mut World, call: &Call) -> TmResult {
    let svc = call
        .part(0)
        .ok_or_else(|| missing("service_id"))?
        .to_owned();
    let c = customer(world, call)?;
    if c.object("dsf", &svc).is_none() {
        return Err(not_found("service_id: No such Traffic Director service"));
    }
    let mut nodes: Vec<Value> = c
        .object("dsfnode", &svc)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let node_arg = |v: Option<&Value>| -> Result<Value, Failure> {
        let node = v
            .and_then(Value::as_object)
            .ok_or_else(|| missing("node"))?;
        let zone = node
            .get("zone")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("zone"))?;
        let fqdn = node
            .get("fqdn")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("fqdn"))?;
        Ok(json!({"zone": super::names::norm(zone), "fqdn": super::names::norm(fqdn)}))
    };
    match call.method.as_str() {
        "GET" => {}
        "POST" => {
            let node = node_arg(call.args.get("node"))?;
            if !nodes.contains(&node) {
                nodes.push(node);
            }
        }
        "PUT" => {
            let list = call.args.list("nodes").ok_or_else(|| missing("nodes"))?;
            nodes = list
                .iter()
                .map(|n| node_arg(Some(n)))
                .collect::<Result<_, _>>()?;
        }
        "DELETE" => {
            let node = node_arg(call.args.get("node"))?;
            nodes.retain(|n| *n != node);
        }
        _ => return Err(bad_method(call)),
    }
    c.collection("dsfnode")
        .insert(svc, Value::Array(nodes.clone()));
    ok(Value::Array(nodes), "node: Traffic Director nodes")
}
