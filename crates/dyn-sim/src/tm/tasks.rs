//! `/REST/Task/[<id>/]`: back-end tasks (publish, provisioning, transfers), list, get, cancel.

use serde_json::{Value, json};

use super::args::yn;
use super::envelope::{TmResult, illegal, not_found, ok};
use super::{Call, bad_method};
use crate::world::{Task, World};

fn task_json(t: &Task, now: std::time::Instant) -> Value {
    let status = t.status(now);
    let done = status != "running";
    json!({
        "task_id": t.id.to_string(),
        "name": t.name,
        "customer_name": t.customer,
        "zone_name": t.zone,
        "status": status,
        "step_count": if done { 3 } else { 1 },
        "total_steps": 3,
        "blocking": yn(t.blocking && !done),
        "message": if done { "Task completed" } else { "Task in progress" },
        "debug": "",
        "created_ts": t.created,
        "modified_ts": t.created,
        "args": t.args.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
    })
}

pub(crate) fn handle(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let now = world.clock.now();
    let mine = |t: &&Task| t.customer.eq_ignore_ascii_case(&sess.customer);
    let Some(raw) = call.part(0) else {
        if !call.is("GET") {
            return Err(bad_method(call));
        }
        let name = call.args.str("name");
        let zone = call.args.str("zone_name").map(|z| super::names::norm(&z));
        let status = call.args.str("status");
        let list: Vec<Value> = world
            .tasks
            .values()
            .filter(mine)
            .filter(|t| {
                name.as_ref()
                    .is_none_or(|n| n.eq_ignore_ascii_case(&t.name))
            })
            .filter(|t| zone.as_ref().is_none_or(|z| *z == t.zone))
            .filter(|t| match status.as_deref() {
                Some("done") => t.status(now) != "running",
                Some("notdone") => t.status(now) == "running",
                _ => true,
            })
            .map(|t| task_json(t, now))
            .collect();
        return ok(Value::Array(list), "get: Your tasks");
    };
    let id: u64 = raw
        .parse()
        .map_err(|_| not_found("task_id: No such task"))?;
    let task = world
        .tasks
        .get(&id)
        .filter(mine)
        .ok_or_else(|| not_found("task_id: No such task"))?;
    match call.method.as_str() {
        "GET" => ok(task_json(task, now), "get: Task found"),
        "DELETE" => {
            if task.status(now) != "running" {
                return Err(illegal("task: Only a running task can be canceled"));
            }
            let mut task = task.clone();
            task.canceled = true;
            let data = task_json(&task, now);
            world.tasks.insert(id, task);
            ok(data, "cancel: Task canceled")
        }
        _ => Err(bad_method(call)),
    }
}
