//! `senders` (approved senders, DKIM), `recipients` and `suppressions`.

use serde_json::{Value, json};

use super::world::{Sender, Suppression};
use super::{MmArgs, MmError, MmResult, account, field_error, valid_email};
use crate::clock::Civil;
use crate::world::World;

fn iso(t: u64) -> String {
    Civil::from_unix(i64::try_from(t).unwrap_or(0)).iso()
}

fn email_arg(args: &MmArgs) -> Result<String, MmError> {
    args.get("emailaddress")
        .filter(|e| valid_email(e))
        .map(str::to_owned)
        .ok_or_else(|| field_error("emailaddress"))
}

fn page(args: &MmArgs, size: usize) -> Result<(usize, usize), MmError> {
    let start = args
        .number("startindex")?
        .or(args.number("start_index")?)
        .unwrap_or(0);
    Ok((usize::try_from(start).unwrap_or(usize::MAX), size))
}

fn sender_json(s: &Sender) -> Value {
    json!({"emailaddress": s.emailaddress, "created": iso(s.created)})
}

pub(super) fn senders(
    world: &mut World,
    method: &str,
    rest: &[&str],
    args: &MmArgs,
    apikey: &str,
) -> MmResult {
    let now = world.clock.unix();
    let page_size = world.options.mm_page_size;
    let a = account(world, apikey)?;
    match (method, rest) {
        ("GET", []) => {
            let (start, size) = page(args, page_size)?;
            let list: Vec<Value> = a
                .senders
                .values()
                .skip(start)
                .take(size)
                .map(sender_json)
                .collect();
            Ok(json!({"senders": list}))
        }
        ("POST", []) => {
            let email = email_arg(args)?;
            let seeding = args.number("seeding")?.unwrap_or(0);
            if seeding > 1 {
                return Err(field_error("seeding"));
            }
            let entry = a
                .senders
                .entry(email.to_ascii_lowercase())
                .or_insert_with(|| Sender {
                    emailaddress: email.clone(),
                    seeding,
                    dkim: String::new(),
                    created: now,
                });
            entry.seeding = seeding;
            Ok(sender_json(entry))
        }
        ("GET", ["details"]) => {
            let email = email_arg(args)?;
            let s = a
                .senders
                .get(&email.to_ascii_lowercase())
                .ok_or_else(|| MmError(404, format!("No such sender {email}")))?;
            let domain = email.rsplit('@').next().unwrap_or_default();
            Ok(json!({
                "emailaddress": s.emailaddress,
                "seeding": s.seeding,
                "dkim": s.dkim,
                "dkimval": if s.dkim.is_empty() { String::new() } else { format!("v=DKIM1; k=rsa; p=MIGf{}", s.dkim.len()) },
                "spf": format!("v=spf1 include:{domain} include:emailsrvr.dynect.net ~all"),
                "created": iso(s.created),
            }))
        }
        ("GET", ["status"]) => {
            let email = email_arg(args)?;
            let ready = u8::from(a.senders.contains_key(&email.to_ascii_lowercase()));
            Ok(json!({"ready": ready}))
        }
        ("POST", ["dkim"]) => {
            let email = email_arg(args)?;
            let dkim = args
                .get("dkim")
                .filter(|d| !d.is_empty())
                .ok_or_else(|| field_error("dkim"))?;
            let s = a
                .senders
                .get_mut(&email.to_ascii_lowercase())
                .ok_or_else(|| MmError(404, format!("No such sender {email}")))?;
            dkim.clone_into(&mut s.dkim);
            Ok(json!({}))
        }
        ("POST", ["delete"]) => {
            let email = email_arg(args)?;
            a.senders
                .remove(&email.to_ascii_lowercase())
                .ok_or_else(|| MmError(404, format!("No such sender {email}")))?;
            Ok(json!({}))
        }
        _ => Err(MmError(
            404,
            format!("Unknown method senders/{}", rest.join("/")),
        )),
    }
}

pub(super) fn recipients(
    world: &mut World,
    method: &str,
    rest: &[&str],
    args: &MmArgs,
    apikey: &str,
) -> MmResult {
    let a = account(world, apikey)?;
    match (method, rest) {
        ("GET", ["status"]) => {
            let emails = args.list("emailaddress");
            if emails.is_empty() || !emails.iter().all(|e| valid_email(e)) {
                return Err(field_error("emailaddress"));
            }
            let list: Vec<Value> = emails
                .iter()
                .map(|e| {
                    let suppressed = a.suppressions.get(&e.to_ascii_lowercase());
                    json!({
                        "emailaddress": e,
                        "status": if suppressed.is_some() { "inactive" } else { "active" },
                        "suppressionstatus": suppressed.map_or("", |s| s.reasontype.as_str()),
                    })
                })
                .collect();
            Ok(json!({"recipients": list}))
        }
        ("POST", ["activate"]) => {
            let email = email_arg(args)?;
            a.suppressions.remove(&email.to_ascii_lowercase());
            Ok(json!({}))
        }
        _ => Err(MmError(
            404,
            format!("Unknown method recipients/{}", rest.join("/")),
        )),
    }
}

fn date_arg(args: &MmArgs, key: &str) -> Result<Option<i64>, MmError> {
    match args.get(key).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Civil::parse_to_unix(v)
            .map(Some)
            .ok_or_else(|| field_error(key)),
    }
}

pub(super) fn suppressions(
    world: &mut World,
    method: &str,
    rest: &[&str],
    args: &MmArgs,
    apikey: &str,
) -> MmResult {
    let now = world.clock.unix();
    let page_size = world.options.mm_page_size;
    let id = world.mm.next();
    let a = account(world, apikey)?;
    let start = date_arg(args, "startdate")?;
    let end = date_arg(args, "enddate")?;
    let in_range = |s: &&Suppression| {
        let t = i64::try_from(s.time).unwrap_or(i64::MAX);
        start.is_none_or(|st| t >= st) && end.is_none_or(|en| t < en)
    };
    match (method, rest) {
        ("GET", []) => {
            let (skip, size) = page(args, page_size)?;
            let list: Vec<Value> = a
                .suppressions
                .values()
                .filter(in_range)
                .skip(skip)
                .take(size)
                .map(|s| {
                    json!({
                        "emailaddress": s.emailaddress,
                        "reasontype": s.reasontype,
                        "suppresstime": iso(s.time),
                        "suppressionid": s.id,
                    })
                })
                .collect();
            Ok(json!({"suppressions": list}))
        }
        ("GET", ["count"]) => {
            Ok(json!({"count": a.suppressions.values().filter(in_range).count()}))
        }
        ("POST", []) => {
            let emails = args.list("emailaddress");
            if emails.is_empty() || !emails.iter().all(|e| valid_email(e)) {
                return Err(field_error("emailaddress"));
            }
            for e in emails {
                a.suppressions
                    .entry(e.to_ascii_lowercase())
                    .or_insert(Suppression {
                        emailaddress: e,
                        reasontype: "manual".into(),
                        time: now,
                        id,
                    });
            }
            Ok(json!({}))
        }
        ("POST", ["activate"]) => {
            let email = email_arg(args)?;
            a.suppressions
                .remove(&email.to_ascii_lowercase())
                .ok_or_else(|| MmError(404, format!("{email} is not suppressed")))?;
            Ok(json!({}))
        }
        _ => Err(MmError(
            404,
            format!("Unknown method suppressions/{}", rest.join("/")),
        )),
    }
}
