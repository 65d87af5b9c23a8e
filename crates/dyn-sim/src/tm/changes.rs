//! Zone access for a session: lookups, write guards, the session's view of records (published
//! data plus its own pending changes), publishing, and `/REST/ZoneChanges/`.

use serde_json::{Value, json};

use super::envelope::{Failure, TmResult, blocked, illegal, no_such_zone, ok};
use super::names::norm;
use super::{Call, Sess, bad_method};
use crate::world::{Change, Record, World, Zone};

pub(crate) fn zone<'w>(world: &'w World, sess: &Sess, name: &str) -> Result<&'w Zone, Failure> {
    world
        .customers
        .get(&sess.customer.to_ascii_lowercase())
        .and_then(|c| c.zones.get(&norm(name)))
        .ok_or_else(no_such_zone)
}

pub(crate) fn zone_mut<'w>(
    world: &'w mut World,
    sess: &Sess,
    name: &str,
) -> Result<&'w mut Zone, Failure> {
    world
        .customer_mut(&sess.customer)
        .and_then(|c| c.zones.get_mut(&norm(name)))
        .ok_or_else(no_such_zone)
}

/// A zone that may be changed now: it exists, is not frozen and no task blocks it.
pub(crate) fn writable<'w>(world: &'w World, sess: &Sess, name: &str) -> Result<&'w Zone, Failure> {
    let z = zone(world, sess, name)?;
    if z.frozen {
        return Err(illegal("zone: Zone is frozen").and("freeze: Thaw the zone to make changes"));
    }
    if let Some(task) = world.blocking_task(&sess.customer, &z.name) {
        return Err(blocked(&task.name, task.id));
    }
    Ok(z)
}

fn apply(records: &mut Vec<Record>, changes: &[Change]) {
    for change in changes {
        match change {
            Change::Put(r) => match records.iter_mut().find(|x| x.uid == r.uid) {
                Some(slot) => *slot = r.clone(),
                None => records.push(r.clone()),
            },
            Change::Remove(r) => records.retain(|x| x.uid != r.uid),
            Change::RemoveService { .. } => {}
        }
    }
}

fn pending<'w>(world: &'w World, sess: &Sess, zone: &str) -> &'w [Change] {
    world
        .sessions
        .get(&sess.token)
        .and_then(|s| s.pending.get(zone))
        .map_or(&[], Vec::as_slice)
}

/// The records of a zone as this session sees them.
pub(crate) fn view(world: &World, sess: &Sess, name: &str) -> Result<Vec<Record>, Failure> {
    let z = zone(world, sess, name)?;
    let mut records = z.records.clone();
    if world.options.pending_visible_to_owner {
        apply(&mut records, pending(world, sess, &z.name));
    }
    Ok(records)
}

/// Queues a change of the session on a zone (the zone name must be normalised).
pub(crate) fn push(world: &mut World, sess: &Sess, zone: &str, change: Change) {
    if let Some(state) = world.sessions.get_mut(&sess.token) {
        state
            .pending
            .entry(zone.to_owned())
            .or_default()
            .push(change);
    }
}

pub(crate) fn zone_json(z: &Zone) -> Value {
    json!({
        "zone": z.name,
        "serial": z.serial,
        "serial_style": z.serial_style,
        "zone_type": if z.secondary { "Secondary" } else { "Primary" },
    })
}

pub(crate) fn record_json(zone: &str, r: &Record) -> Value {
    let mut v = json!({
        "zone": zone,
        "fqdn": r.fqdn,
        "record_type": r.rtype,
        "record_id": r.id,
        "ttl": r.ttl,
        "rdata": r.rdata,
    });
    if let Some(obj) = v.as_object_mut() {
        obj.extend(r.extra.clone());
    }
    v
}

/// The next serial for a style, from the current one and the clock.
fn next_serial(z: &mut Zone, unix: u64) -> u64 {
    let civil = crate::clock::Civil::from_unix(i64::try_from(unix).unwrap_or(i64::MAX));
    let year = u64::try_from(civil.year).unwrap_or(0);
    let date = year * 10_000 + u64::from(civil.month) * 100 + u64::from(civil.day);
    match z.serial_style.as_str() {
        "epoch" => unix.max(z.serial + 1),
        "day" => {
            let n = if z.day_counter.0 == date {
                z.day_counter.1 + 1
            } else {
                0
            };
            z.day_counter = (date, n);
            (date * 100 + n).max(z.serial + 1)
        }
        "minute" => {
            let minute = (year % 100) * 100_000_000
                + u64::from(civil.month) * 1_000_000
                + u64::from(civil.day) * 10_000
                + u64::from(civil.hour) * 100
                + u64::from(civil.minute);
            minute.max(z.serial + 1)
        }
        _ => z.serial + 1,
    }
}

/// `PUT /REST/Zone/<z>/ {"publish": true, "notes"?}`.
pub(crate) fn publish(
    world: &mut World,
    sess: &Sess,
    name: &str,
    notes: Option<String>,
) -> TmResult {
    let z = writable(world, sess, name)?;
    let zname = z.name.clone();
    let already_published = z.published;
    let changes = world
        .sessions
        .get_mut(&sess.token)
        .and_then(|s| s.pending.remove(&zname))
        .unwrap_or_default();
    if changes.is_empty() && already_published && world.options.publish_requires_changes {
        return Err(illegal("publish: There are no pending changes to publish")
            .and(format!("zone: {zname}")));
    }
    let unix = world.clock.unix();
    let mut fresh_ids = Vec::new();
    for change in &changes {
        if let Change::Put(r) = change
            && r.id == 0
            && !fresh_ids.iter().any(|(uid, _)| *uid == r.uid)
        {
            fresh_ids.push((r.uid, world.ids.next_record()));
        }
    }
    let blocks = world.options.publish_blocks_for;
    let task_id = world.start_task(&sess.customer, &zname, "Publish", blocks);
    let z = zone_mut(world, sess, &zname)?;
    let mut changes = changes;
    for change in &mut changes {
        if let Change::Put(r) = change
            && let Some((_, id)) = fresh_ids.iter().find(|(uid, _)| *uid == r.uid)
        {
            r.id = *id;
        }
        if let Change::RemoveService { kind, key } = change {
            z.service_map(kind).remove(key);
        }
    }
    apply(&mut z.records, &changes);
    if let Some(style) = z
        .records
        .iter()
        .find(|r| r.rtype == "SOA")
        .and_then(|soa| soa.extra.get("serial_style"))
        .and_then(Value::as_str)
    {
        style.clone_into(&mut z.serial_style);
    }
    z.serial = next_serial(z, unix);
    z.published = true;
    let serial = z.serial;
    if let Some(soa) = z.records.iter_mut().find(|r| r.rtype == "SOA") {
        soa.rdata.insert("serial".into(), Value::from(serial));
        z.ttl = soa.ttl;
    }
    z.notes.push(json!({
        "zone": zname,
        "serial": serial,
        "user_name": sess.user,
        "timestamp": unix.to_string(),
        "type": "publish",
        "note": notes.unwrap_or_default(),
    }));
    let mut data = zone_json(z);
    data["task_id"] = Value::String(task_id.to_string());
    ok(data, format!("publish: {zname} published"))
}

/// `/REST/ZoneChanges/<z>/`: GET lists, DELETE discards the session's pending changes.
pub(crate) fn zone_changes(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let name = call.part(0).ok_or_else(no_such_zone)?;
    let zname = zone(world, sess, name)?.name.clone();
    match call.method.as_str() {
        "GET" => {
            let list: Vec<Value> = pending(world, sess, &zname)
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let (kind, r) = match c {
                        Change::Put(r) if r.id == 0 => ("add", r),
                        Change::Put(r) => ("update", r),
                        Change::Remove(r) => ("delete", r),
                        Change::RemoveService { .. } => return None,
                    };
                    let key = format!("rdata_{}", r.rtype.to_ascii_lowercase());
                    Some(json!({
                        "id": i + 1,
                        "zone": zname,
                        "fqdn": r.fqdn,
                        "rdata_type": r.rtype,
                        "ttl": r.ttl,
                        "rdata": {key: r.rdata},
                        "serial": 0,
                        "user_name": sess.user,
                        "change_type": kind,
                    }))
                })
                .collect();
            let n = list.len();
            ok(Value::Array(list), format!("get: {n} pending changes"))
        }
        "DELETE" => {
            if let Some(state) = world.sessions.get_mut(&sess.token) {
                state.pending.remove(&zname);
            }
            ok(json!({}), "discard: Zone changes discarded")
        }
        _ => Err(bad_method(call)),
    }
}
