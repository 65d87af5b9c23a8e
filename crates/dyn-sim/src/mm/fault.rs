//! Fault rules applied to MM requests, in the MM envelope: throttling (`429` with
//! `Retry-After`), a failure status with its message, or a raw answer. Other fault kinds
//! belong to TM and are ignored here.

use serde_json::json;

use super::envelope;
use crate::fault::{Fault, take_matching};
use crate::http::{Incoming, Reply};
use crate::world::World;

/// The answer a matching fault forces, if any (consuming one use of each matching rule).
pub(super) fn apply(world: &mut World, req: &Incoming) -> Option<Reply> {
    let faults = take_matching(&mut world.faults, &req.method, &req.path);
    faults.into_iter().find_map(|fault| match fault {
        Fault::RateLimit { retry_after_secs } => Some(
            envelope(429, "API rate limit exceeded", json!({}))
                .header("Retry-After", retry_after_secs.to_string()),
        ),
        Fault::Fail {
            http_status, info, ..
        } => Some(envelope(http_status, &info, json!({}))),
        Fault::Raw { http_status, body } => Some(Reply::raw(http_status, body)),
        _ => None,
    })
}
