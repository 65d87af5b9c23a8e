//! `accounts`, `accounts/delete`, `accounts/xheaders`: the account and its sub-accounts.

use serde_json::{Map, Value, json};

use super::world::MmAccount;
use super::{MmArgs, MmError, MmResult, account, field_error, valid_email};
use crate::world::World;

/// Accounts per page of `GET accounts`.
const ACCOUNTS_PAGE: usize = 25;
const FIELDS: &[&str] = &[
    "companyname",
    "phone",
    "address",
    "city",
    "state",
    "zipcode",
    "country",
    "timezone",
    "bounceurl",
    "spamurl",
    "unsubscribeurl",
    "trackopens",
    "tracklinks",
    "trackunsubscribes",
    "contactname",
];

fn account_json(a: &MmAccount) -> Value {
    let mut obj: Map<String, Value> = a.fields.clone();
    obj.insert("username".into(), json!(a.username));
    obj.insert("accountname".into(), json!(a.username));
    obj.insert("apikey".into(), json!(a.apikey));
    obj.insert(
        "created".into(),
        json!(crate::clock::Civil::from_unix(i64::try_from(a.created).unwrap_or(0)).iso()),
    );
    obj.insert("emailsent".into(), json!(a.messages.len()));
    obj.insert("max_sample_count".into(), json!(0));
    Value::Object(obj)
}

pub(super) fn handle(
    world: &mut World,
    method: &str,
    rest: &[&str],
    args: &MmArgs,
    apikey: &str,
) -> MmResult {
    let now = world.clock.unix();
    match (method, rest) {
        ("GET", []) => {
            let start =
                usize::try_from(args.number("startindex")?.unwrap_or(0)).unwrap_or(usize::MAX);
            let list: Vec<Value> = world
                .mm
                .accounts
                .values()
                .filter(|a| a.apikey == apikey || a.owner.as_deref() == Some(apikey))
                .skip(start)
                .take(ACCOUNTS_PAGE)
                .map(account_json)
                .collect();
            Ok(json!({"accounts": list, "emailcap": 100_000}))
        }
        ("POST", []) => {
            let username = args
                .get("username")
                .filter(|u| valid_email(u))
                .ok_or_else(|| field_error("username"))?
                .to_owned();
            let existing = world
                .mm
                .accounts
                .values_mut()
                .find(|a| a.username.eq_ignore_ascii_case(&username));
            let new_key = format!(
                "mm-{}-{}",
                world.mm.next_id + 1,
                username.replace(['@', '.'], "-")
            );
            let account = match existing {
                Some(a) => a,
                None => {
                    for required in ["password", "companyname", "phone"] {
                        args.get(required)
                            .filter(|v| !v.is_empty())
                            .ok_or_else(|| field_error(required))?;
                    }
                    world.mm.next_id += 1;
                    let a = world.mm.accounts.entry(new_key.clone()).or_default();
                    a.apikey = new_key;
                    a.username.clone_from(&username);
                    a.owner = Some(apikey.to_owned());
                    a.created = now;
                    a
                }
            };
            for field in FIELDS {
                if let Some(v) = args.get(field) {
                    account.fields.insert((*field).to_owned(), json!(v));
                }
            }
            Ok(account_json(account))
        }
        ("POST", ["delete"]) => {
            let username = args
                .get("username")
                .ok_or_else(|| field_error("username"))?;
            let key = world
                .mm
                .accounts
                .values()
                .find(|a| {
                    a.username.eq_ignore_ascii_case(username) && a.owner.as_deref() == Some(apikey)
                })
                .map(|a| a.apikey.clone())
                .ok_or_else(|| MmError(404, format!("No such account {username}")))?;
            world.mm.accounts.remove(&key);
            Ok(json!({}))
        }
        ("GET", ["xheaders"]) => {
            let a = account(world, apikey)?;
            Ok(
                json!({"xheader1": a.xheaders[0], "xheader2": a.xheaders[1], "xheader3": a.xheaders[2], "xheader4": a.xheaders[3]}),
            )
        }
        ("POST", ["xheaders"]) => {
            let a = account(world, apikey)?;
            for (i, slot) in a.xheaders.iter_mut().enumerate() {
                if let Some(v) = args.get(&format!("xheader{}", i + 1)) {
                    if !v.is_empty() && !v.to_ascii_lowercase().starts_with("x-") {
                        return Err(field_error(&format!("xheader{}", i + 1)));
                    }
                    v.clone_into(slot);
                }
            }
            Ok(json!({}))
        }
        _ => Err(MmError(
            404,
            format!("Unknown method accounts/{}", rest.join("/")),
        )),
    }
}
