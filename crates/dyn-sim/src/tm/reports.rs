//! Reports: `CheckPermissionReport`, `QPSReport` (synthetic CSV), `ZoneNoteReport`,
//! `DNSSECTimelineReport`, `RTTMLogReport` and `RTTMRRSetReport`.

use serde_json::{Value, json};

use super::args::as_u64;
use super::changes;
use super::envelope::{TmResult, bad_token, missing, ok};
use super::{Call, bad_method};
use crate::world::World;

pub(crate) fn handle(world: &mut World, call: &Call, report: &str) -> TmResult {
    if !call.is("POST") {
        return Err(bad_method(call));
    }
    let sess = call.sess()?.clone();
    match report {
        "checkpermissionreport" => {
            let wanted = call
                .args
                .list("permission")
                .ok_or_else(|| missing("permission"))?;
            let user = world
                .customer_mut(&sess.customer)
                .and_then(|c| c.users.get(&sess.user))
                .ok_or_else(bad_token)?;
            let zone = call
                .args
                .str("zone_name")
                .map(|z| vec![json!(z)])
                .unwrap_or_default();
            let (mut allowed, mut forbidden) = (Vec::new(), Vec::new());
            for p in wanted.iter().filter_map(Value::as_str) {
                let entry = json!({"name": p, "zone": zone, "reason": []});
                if user.permissions.iter().any(|q| q == p) {
                    allowed.push(entry)
                } else {
                    forbidden.push(entry)
                }
            }
            ok(
                json!({"allowed": allowed, "forbidden": forbidden}),
                "get: Permission report",
            )
        }
        "qpsreport" => {
            let start = call
                .args
                .u64("start_ts")?
                .ok_or_else(|| missing("start_ts"))?;
            let end = call.args.u64("end_ts")?.ok_or_else(|| missing("end_ts"))?;
            let mut csv = String::from("Timestamp,Queries\r\n");
            let mut t = start - start % 300;
            while t <= end && csv.len() < 64 * 1024 {
                csv.push_str(&format!("{t},{}\r\n", (t / 300) % 97 * 3));
                let Some(next) = t.checked_add(300) else {
                    break;
                };
                t = next;
            }
            ok(json!({"csv": csv}), "get: QPS report")
        }
        "zonenotereport" => {
            let zone = call.args.req_str("zone")?;
            let z = changes::zone(world, &sess, &zone)?;
            let offset = call.args.get("offset").and_then(as_u64).unwrap_or(0);
            let limit = call.args.get("limit").and_then(as_u64).unwrap_or(u64::MAX);
            let notes: Vec<Value> = z
                .notes
                .iter()
                .rev()
                .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .cloned()
                .collect();
            ok(Value::Array(notes), "get: Zone notes")
        }
        "dnssectimelinereport" | "rttmlogreport" => ok(json!([]), "get: Report is empty"),
        "rttmrrsetreport" => ok(json!([]), "get: No RRSets recorded"),
        _ => Err(bad_method(call)),
    }
}
