//! `reports/<kind>[/count][/unique]`: events filtered by time, sender, recipient, domain and
//! `X-` headers, in pages of [`crate::Options::mm_page_size`] rows.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::world::Event;
use super::{MmArgs, MmError, MmResult, account, field_error};
use crate::clock::Civil;
use crate::world::World;

const KINDS: &[&str] = &[
    "sent",
    "delivered",
    "bounces",
    "complaints",
    "issues",
    "opens",
    "clicks",
];

fn time_arg(args: &MmArgs, key: &str) -> Result<i64, MmError> {
    args.get(key)
        .and_then(Civil::parse_to_unix)
        .ok_or_else(|| field_error(key))
}

fn row(e: &Event) -> Value {
    let mut obj = e.extra.clone();
    obj.insert("emailaddress".into(), json!(e.emailaddress));
    obj.insert("sender".into(), json!(e.sender));
    obj.insert(
        "date".into(),
        json!(Civil::from_unix(i64::try_from(e.time).unwrap_or(0)).iso()),
    );
    obj.insert("xheaders".into(), Value::Object(e.xheaders.clone()));
    Value::Object(obj)
}

/// `None` when the path is not a report.
pub(super) fn handle(
    world: &mut World,
    rest: &[&str],
    args: &MmArgs,
    apikey: &str,
) -> Option<MmResult> {
    let (kind, count, unique) = match rest {
        [k] => (*k, false, false),
        [k, "count"] => (*k, true, false),
        [k, "unique"] if matches!(*k, "opens" | "clicks") => (*k, false, true),
        [k, "count", "unique"] if matches!(*k, "opens" | "clicks") => (*k, true, true),
        _ => return None,
    };
    if !KINDS.contains(&kind) {
        return None;
    }
    Some(report(world, kind, count, unique, args, apikey))
}

fn report(
    world: &mut World,
    kind: &str,
    count: bool,
    unique: bool,
    args: &MmArgs,
    apikey: &str,
) -> MmResult {
    let start = time_arg(args, "starttime")?;
    let end = time_arg(args, "endtime")?;
    if end <= start {
        return Err(field_error("endtime"));
    }
    let page_size = world.options.mm_page_size;
    let skip = usize::try_from(args.number("startindex")?.unwrap_or(0)).unwrap_or(usize::MAX);
    let sender = args.get("sender").map(str::to_ascii_lowercase);
    let rcpt = args.get("emailaddress").map(str::to_ascii_lowercase);
    let domain = args.get("domain").map(str::to_ascii_lowercase);
    let bouncetype = args.get("bouncetype").map(str::to_ascii_lowercase);
    let xheaders = args.xheaders();
    let a = account(world, apikey)?;
    let matching = a.events.iter().filter(|e| {
        let t = i64::try_from(e.time).unwrap_or(i64::MAX);
        e.kind == kind
            && t >= start
            && t < end
            && sender
                .as_ref()
                .is_none_or(|s| e.sender.eq_ignore_ascii_case(s))
            && rcpt
                .as_ref()
                .is_none_or(|r| e.emailaddress.eq_ignore_ascii_case(r))
            && domain.as_ref().is_none_or(|d| {
                e.emailaddress
                    .to_ascii_lowercase()
                    .ends_with(&format!("@{d}"))
            })
            && bouncetype
                .as_ref()
                .is_none_or(|b| e.extra.get("bouncetype").and_then(Value::as_str) == Some(b))
            && xheaders.iter().all(|(k, v)| {
                e.xheaders
                    .iter()
                    .any(|(ek, ev)| ek.eq_ignore_ascii_case(k) && ev.as_str() == Some(v))
            })
    });
    let mut seen = BTreeSet::new();
    let rows: Vec<&Event> = matching
        .filter(|e| !unique || seen.insert(e.emailaddress.to_ascii_lowercase()))
        .collect();
    if count {
        return Ok(json!({"count": rows.len()}));
    }
    let page: Vec<Value> = rows
        .into_iter()
        .skip(skip)
        .take(page_size)
        .map(row)
        .collect();
    Ok(json!({kind: page}))
}
