//! `/REST/Secondary/`: secondary zones (masters, contact, TSIG key, activation, retransfer).

use std::net::IpAddr;

use serde_json::{Value, json};

use super::changes;
use super::envelope::{Failure, TmResult, invalid, missing, no_such_zone, not_found, ok};
use super::names::norm;
use super::zones::{checked_name, insert_zone, list, new_zone};
use super::{Call, Sess, bad_method};
use crate::world::{World, Zone};

pub(crate) fn secondary_json(z: &Zone) -> Value {
    let mut info = z
        .services
        .get("secondary")
        .and_then(|m| m.get(&z.name))
        .cloned()
        .unwrap_or_else(|| json!({}));
    info["zone"] = json!(z.name);
    info["serial"] = json!(z.serial);
    info["zone_type"] = json!("Secondary");
    info
}

fn masters(call: &Call) -> Result<Option<Vec<Value>>, Failure> {
    let Some(list) = call.args.list("masters") else {
        return Ok(None);
    };
    if list.is_empty() {
        return Err(missing("masters"));
    }
    for m in &list {
        if m.as_str().and_then(|s| s.parse::<IpAddr>().ok()).is_none() {
            return Err(invalid("masters: Not a valid IP address"));
        }
    }
    Ok(Some(list))
}

fn check_refs(world: &World, sess: &Sess, call: &Call) -> Result<(), Failure> {
    let customer = world.customers.get(&sess.customer.to_ascii_lowercase());
    if let Some(key) = call.args.str("tsig_key_name").filter(|k| !k.is_empty())
        && customer.and_then(|c| c.object("tsig", &key)).is_none()
    {
        return Err(not_found("tsig_key_name: No such TSIG key"));
    }
    Ok(())
}

/// `/REST/Secondary/[<z>/]`.
pub(crate) fn handle(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let Some(raw) = call.part(0) else {
        return list(world, call, sess, true);
    };
    let name = norm(raw);
    match call.method.as_str() {
        "POST" => {
            let name = checked_name(raw)?;
            let masters = masters(call)?.ok_or_else(|| missing("masters"))?;
            check_refs(world, sess, call)?;
            let mut zone = new_zone(
                world,
                &name,
                &format!("hostmaster@{name}"),
                3600,
                "increment",
                true,
            );
            zone.published = true;
            let info = json!({
                "masters": masters,
                "contact_nickname": call.args.str("contact_nickname").unwrap_or_else(|| "owner".into()),
                "tsig_key_name": call.args.str("tsig_key_name").unwrap_or_default(),
                "active": "Y",
            });
            zone.service_map("secondary").insert(name.clone(), info);
            let data = secondary_json(&zone);
            insert_zone(world, sess, zone)?;
            let task_id = world.start_task(&sess.customer, &name, "ProvisionSecondary", None);
            let mut data = data;
            data["task_id"] = json!(task_id.to_string());
            ok(data, "create: Secondary zone created")
        }
        "GET" => {
            let z = changes::zone(world, sess, &name)
                .ok()
                .filter(|z| z.secondary)
                .ok_or_else(no_such_zone)?;
            ok(secondary_json(z), format!("get: Secondary zone {name}"))
        }
        "PUT" => {
            let new_masters = masters(call)?;
            check_refs(world, sess, call)?;
            let retransfer = call.args.flag("retransfer");
            let z = changes::zone_mut(world, sess, &name)
                .ok()
                .filter(|z| z.secondary)
                .ok_or_else(no_such_zone)?;
            let info = z
                .service_map("secondary")
                .entry(name.clone())
                .or_insert_with(|| json!({}));
            if let Some(m) = new_masters {
                info["masters"] = json!(m);
            }
            for key in ["contact_nickname", "tsig_key_name"] {
                if let Some(v) = call.args.str(key) {
                    info[key] = json!(v);
                }
            }
            if call.args.flag("activate") {
                info["active"] = json!("Y");
            }
            if call.args.flag("deactivate") {
                info["active"] = json!("N");
            }
            if retransfer {
                z.serial += 1;
            }
            let data = secondary_json(z);
            if retransfer {
                let task_id = world.start_task(&sess.customer, &name, "ZoneTransfer", None);
                let mut data = data;
                data["task_id"] = json!(task_id.to_string());
                return ok(data, "retransfer: Zone transfer requested");
            }
            ok(data, "update: Secondary zone updated")
        }
        _ => Err(bad_method(call)),
    }
}
