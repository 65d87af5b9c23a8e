//! The control API under `/__sim/` for simulators run as a separate process (the binary):
//! reset, options, faults, clock, accounts, session expiry, zone blocking, log and state.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::fault::FaultRule;
use crate::http::{Incoming, Reply};
use crate::options::Options;
use crate::seed::{MmAccountSeed, Seed, UserSeed};
use crate::server::Shared;
use crate::world::World;

#[derive(Deserialize)]
struct Millis {
    millis: u64,
}

#[derive(Deserialize)]
struct Block {
    customer: String,
    millis: u64,
}

#[derive(Deserialize, Default)]
struct Expire {
    token: Option<String>,
}

pub(crate) fn handle(shared: &Shared, req: &Incoming) -> Reply {
    let segments = req.segments();
    let parts: Vec<&str> = segments.iter().skip(1).map(String::as_str).collect();
    let result = route(shared, &req.method, &parts, &req.body);
    match result {
        Ok(value) => Reply::json(200, &value),
        Err(message) => Reply::json(400, &json!({"error": message})),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid body: {e}"))
}

fn route(shared: &Shared, method: &str, parts: &[&str], body: &[u8]) -> Result<Value, String> {
    let mut world = shared.lock();
    match (method, parts) {
        ("POST", ["reset"]) => {
            let options = world.options.clone();
            let seed: Seed = if body.is_empty() {
                Seed::standard()
            } else {
                parse(body)?
            };
            *world = World::new(&seed, options);
            Ok(json!({"reset": true}))
        }
        ("GET", ["options"]) => serde_json::to_value(&world.options).map_err(|e| e.to_string()),
        ("PUT", ["options"]) => {
            world.options = parse::<Options>(body)?;
            Ok(json!({"updated": true}))
        }
        ("POST", ["faults"]) => {
            world.faults.push(parse::<FaultRule>(body)?);
            Ok(json!({"faults": world.faults.len()}))
        }
        ("DELETE", ["faults"]) => {
            world.faults.clear();
            Ok(json!({"faults": 0}))
        }
        ("POST", ["clock", "advance"]) => {
            world
                .clock
                .advance(Duration::from_millis(parse::<Millis>(body)?.millis));
            Ok(json!({"unix": world.clock.unix()}))
        }
        ("POST", ["users"]) => {
            let user: UserSeed = parse(body)?;
            world.apply_seed(&Seed {
                users: vec![user],
                mm_accounts: Vec::new(),
            });
            Ok(json!({"created": true}))
        }
        ("POST", ["mm", "accounts"]) => {
            let account: MmAccountSeed = parse(body)?;
            world.apply_seed(&Seed {
                users: Vec::new(),
                mm_accounts: vec![account],
            });
            Ok(json!({"created": true}))
        }
        ("POST", ["mm", "events"]) => {
            #[derive(Deserialize)]
            struct Inject {
                apikey: String,
                event: crate::MmEvent,
            }
            let inject: Inject = parse(body)?;
            let now = world.clock.unix();
            Ok(
                json!({"injected": crate::mm::event::inject(&mut world.mm, &inject.apikey, inject.event, now)}),
            )
        }
        ("POST", ["sessions", "expire"]) => {
            let expire: Expire = if body.is_empty() {
                Expire::default()
            } else {
                parse(body)?
            };
            match expire.token {
                Some(t) => Ok(json!({"expired": world.sessions.remove(&t).is_some()})),
                None => {
                    let n = world.sessions.len();
                    world.sessions.clear();
                    Ok(json!({"expired": n}))
                }
            }
        }
        ("POST", ["zones", zone, "block"]) => {
            let block: Block = parse(body)?;
            let zone = crate::tm::names::norm(zone);
            let customer = world
                .customer_mut(&block.customer)
                .map_or_else(|| block.customer.clone(), |c| c.name.clone());
            let id = world.start_task(
                &customer,
                &zone,
                "ProvisionZone",
                Some(Duration::from_millis(block.millis)),
            );
            Ok(json!({"task_id": id}))
        }
        ("GET", ["log"]) => Ok(Value::Array(
            world
                .log
                .iter()
                .map(|e| serde_json::to_value(e.redacted()).unwrap_or(Value::Null))
                .collect(),
        )),
        ("DELETE", ["log"]) => {
            world.log.clear();
            Ok(json!({"cleared": true}))
        }
        ("GET", ["state"]) => Ok(dump(&world)),
        _ => Err(format!(
            "unknown control call {method} /__sim/{}",
            parts.join("/")
        )),
    }
}

/// The published state as JSON, in a stable order.
pub(crate) fn dump(world: &World) -> Value {
    let customers: serde_json::Map<String, Value> = world
        .customers
        .values()
        .map(|c| {
            let zones: serde_json::Map<String, Value> = c
                .zones
                .values()
                .map(|z| {
                    let mut records: Vec<Value> = z
                        .records
                        .iter()
                        .map(|r| json!({"fqdn": r.fqdn, "type": r.rtype, "ttl": r.ttl, "rdata": r.rdata}))
                        .collect();
                    records.sort_by_key(Value::to_string);
                    let zone = json!({
                        "serial": z.serial,
                        "serial_style": z.serial_style,
                        "zone_type": if z.secondary { "Secondary" } else { "Primary" },
                        "frozen": z.frozen,
                        "records": records,
                        "services": z.services.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                    });
                    (z.name.clone(), zone)
                })
                .collect();
            let objects: serde_json::Map<String, Value> =
                c.objects.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
            (c.name.clone(), json!({"zones": zones, "objects": objects}))
        })
        .collect();
    json!({"customers": customers, "mm": world.mm.dump()})
}
