//! `POST send`: validates a message, stores it, and records sent, delivered or blocked events.

use serde_json::{Map, Value, json};

use super::world::Event;
use super::{MmArgs, MmError, MmResult, account, field_error, valid_email};
use crate::world::World;

pub(super) fn send(world: &mut World, args: &MmArgs, apikey: &str) -> MmResult {
    let now = world.clock.unix();
    let id = world.mm.next();
    let from = args
        .get("from")
        .filter(|f| valid_email(bare(f)))
        .ok_or_else(|| field_error("from"))?;
    let from = bare(from).to_owned();
    let to = args.list("to");
    if to.is_empty() || !to.iter().all(|t| valid_email(bare(t))) {
        return Err(field_error("to"));
    }
    let cc = args.list("cc");
    let bcc = args.list("bcc");
    for (field, list) in [("cc", &cc), ("bcc", &bcc)] {
        if !list.iter().all(|a| valid_email(bare(a))) {
            return Err(field_error(field));
        }
    }
    let subject = args
        .get("subject")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| field_error("subject"))?;
    let text = args.get("bodytext").filter(|s| !s.is_empty());
    let html = args.get("bodyhtml").filter(|s| !s.is_empty());
    if text.is_none() && html.is_none() {
        return Err(field_error("bodytext or bodyhtml"));
    }
    if let Some(reply) = args
        .get("replyto")
        .filter(|r| !r.is_empty() && !valid_email(bare(r)))
    {
        return Err(field_error(&format!("replyto {reply}")));
    }
    let xheaders: Map<String, Value> = args
        .xheaders()
        .into_iter()
        .map(|(k, v)| (k, json!(v)))
        .collect();
    let a = account(world, apikey)?;
    if !a.senders.contains_key(&from.to_ascii_lowercase()) {
        return Err(MmError(
            452,
            format!("Sender {from} is not an approved sender"),
        ));
    }
    let message = json!({
        "messageid": format!("<{id}.{now}@dynsim.email>"),
        "from": from,
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "subject": subject,
        "bodytext": text,
        "bodyhtml": html,
        "replyto": args.get("replyto"),
        "xheaders": xheaders,
        "time": now,
    });
    a.messages.push(message);
    for rcpt in to.iter().chain(&cc).chain(&bcc) {
        let address = bare(rcpt).to_owned();
        let suppressed = a.suppressions.contains_key(&address.to_ascii_lowercase());
        let event = |kind: &str, extra: Map<String, Value>| Event {
            kind: kind.to_owned(),
            time: now,
            emailaddress: address.clone(),
            sender: from.clone(),
            xheaders: xheaders.clone(),
            extra,
        };
        a.events.push(event("sent", Map::new()));
        if suppressed {
            let mut extra = Map::new();
            extra.insert("issue".into(), json!("Recipient is suppressed"));
            a.events.push(event("issues", extra));
        } else {
            a.events.push(event("delivered", Map::new()));
        }
    }
    Ok(json!("250 Message queued"))
}

/// `Name <a@b>` → `a@b`.
fn bare(address: &str) -> &str {
    let address = address.trim();
    match (address.rfind('<'), address.rfind('>')) {
        (Some(open), Some(close)) if open < close => &address[open + 1..close],
        _ => address,
    }
}
