//! DynECT Message Management (`/rest/json/...`): `apikey` authentication, the MM envelope
//! `{"response": {status, message, data}}` (HTTP status equal to `status`) and one module per
//! API area.

mod accounts;
mod args;
pub(crate) mod event;
mod fault;
mod reports;
mod send;
mod senders;
pub(crate) mod world;

use serde_json::{Value, json};

use crate::http::{Incoming, Reply};
use crate::server::Shared;
use crate::world::World;
pub(crate) use args::MmArgs;

/// A failed MM call: status (451 key, 452 field, 453 exists, 404, 503) and message.
#[derive(Debug)]
pub(crate) struct MmError(pub(crate) u16, pub(crate) String);

pub(crate) type MmResult = Result<Value, MmError>;

pub(crate) fn field_error(field: &str) -> MmError {
    MmError(452, format!("Missing or invalid required fields: {field}"))
}

fn envelope(status: u16, message: &str, data: Value) -> Reply {
    Reply::json(
        status,
        &json!({"response": {"status": status, "message": message, "data": data}}),
    )
}

pub(crate) fn handle(shared: &Shared, req: &Incoming) -> Reply {
    let segments = req.segments();
    if segments.get(1).map(String::as_str) != Some("json") {
        return envelope(404, "Only the json return type is supported", json!({}));
    }
    let path: Vec<&str> = segments.iter().skip(2).map(String::as_str).collect();
    let args = MmArgs::parse(req.query.as_deref(), &req.body);
    let mut world = shared.lock();
    if let Some(reply) = fault::apply(&mut world, req) {
        return reply;
    }
    let Some(apikey) = args
        .get("apikey")
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
    else {
        return envelope(451, "No API Key was provided", json!({}));
    };
    if !world.mm.accounts.contains_key(&apikey) {
        return envelope(451, "Invalid API Key", json!({}));
    }
    match route(&mut world, &req.method, &path, &args, &apikey) {
        Ok(data) => envelope(200, "OK", data),
        Err(MmError(status, message)) => envelope(status, &message, json!({})),
    }
}

fn route(world: &mut World, method: &str, path: &[&str], args: &MmArgs, apikey: &str) -> MmResult {
    let not_found = || MmError(404, format!("Unknown method {}", path.join("/")));
    match (method, path) {
        ("POST", ["send"]) => send::send(world, args, apikey),
        (_, ["accounts", rest @ ..]) => accounts::handle(world, method, rest, args, apikey),
        (_, ["senders", rest @ ..]) => senders::senders(world, method, rest, args, apikey),
        (_, ["recipients", rest @ ..]) => senders::recipients(world, method, rest, args, apikey),
        (_, ["suppressions", rest @ ..]) => {
            senders::suppressions(world, method, rest, args, apikey)
        }
        ("GET", ["reports", rest @ ..]) => {
            reports::handle(world, rest, args, apikey).ok_or_else(not_found)?
        }
        _ => Err(not_found()),
    }
}

/// The account of an API key (checked by [`handle`] before routing).
pub(crate) fn account<'w>(
    world: &'w mut World,
    apikey: &str,
) -> Result<&'w mut world::MmAccount, MmError> {
    world
        .mm
        .accounts
        .get_mut(apikey)
        .ok_or_else(|| MmError(451, "Invalid API Key".into()))
}

/// A syntactically plausible email address.
pub(crate) fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.contains(char::is_whitespace)
        && !address.contains(['<', '>', ',', ';'])
}
