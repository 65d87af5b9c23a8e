//! `/REST/User/` and the permission, group, zone and forbid entries of users and permission
//! groups.

use serde_json::{Map, Value, json};

use super::envelope::{Failure, TmResult, bad_token, exists, missing, not_found, ok};
use super::{Call, bad_method};
use crate::world::{Customer, User, World};

/// The profile fields a user object carries.
const PROFILE: &[&str] = &[
    "email",
    "first_name",
    "last_name",
    "nickname",
    "organization",
    "phone",
    "address",
    "address_2",
    "city",
    "country",
    "fax",
    "notify_email",
    "pager_email",
    "post_code",
    "group_name",
    "permission",
    "zone",
    "forbid",
    "status",
    "website",
];

fn customer<'w>(world: &'w mut World, call: &Call) -> Result<&'w mut Customer, Failure> {
    let sess = call.sess()?;
    world.customer_mut(&sess.customer).ok_or_else(bad_token)
}

pub(crate) fn user_json(u: &User) -> Value {
    let mut obj = u.fields.clone();
    obj.insert("user_name".into(), json!(u.user_name));
    obj.insert(
        "status".into(),
        json!(if u.blocked { "blocked" } else { "active" }),
    );
    obj.insert("permission".into(), json!(u.permissions));
    for list in ["group_name", "zone", "forbid"] {
        obj.entry(list).or_insert_with(|| json!([]));
    }
    Value::Object(obj)
}

fn no_user(name: &str) -> Failure {
    not_found(format!("user_name: No such user {name}"))
}

/// `/REST/User/[<user>/]`.
pub(crate) fn user(world: &mut World, call: &Call) -> TmResult {
    let c = customer(world, call)?;
    let Some(name) = call.part(0).map(str::to_owned) else {
        if !call.is("GET") {
            return Err(bad_method(call));
        }
        let search = call.args.str("search").map(|s| s.to_ascii_lowercase());
        let list: Vec<Value> = c
            .users
            .values()
            .map(user_json)
            .filter(|u| {
                search
                    .as_ref()
                    .is_none_or(|s| u.to_string().to_ascii_lowercase().contains(s))
            })
            .map(|u| {
                if call.args.detail() {
                    u
                } else {
                    json!(format!(
                        "/REST/User/{}/",
                        u["user_name"].as_str().unwrap_or_default()
                    ))
                }
            })
            .collect();
        return ok(Value::Array(list), "get: Your users");
    };
    match call.method.as_str() {
        "POST" => {
            if c.users.contains_key(&name) {
                return Err(exists("user_name: User already exists"));
            }
            let password = call.args.req_str("password")?;
            call.args.req_str("email")?;
            let mut fields = Map::new();
            for key in PROFILE {
                if let Some(v) = call.args.get(key) {
                    fields.insert((*key).to_owned(), v.clone());
                }
            }
            let permissions = call
                .args
                .list("permission")
                .map(|l| {
                    l.iter()
                        .filter_map(|p| p.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            fields.remove("permission");
            let user = User {
                user_name: name.clone(),
                password,
                permissions,
                blocked: false,
                fields,
            };
            let data = user_json(&user);
            c.users.insert(name, user);
            ok(data, "create: User created")
        }
        "GET" => ok(
            user_json(c.users.get(&name).ok_or_else(|| no_user(&name))?),
            "get: User found",
        ),
        "PUT" => {
            let user = c.users.get_mut(&name).ok_or_else(|| no_user(&name))?;
            for key in PROFILE
                .iter()
                .filter(|k| !["permission", "status"].contains(*k))
            {
                if let Some(v) = call.args.get(key) {
                    user.fields.insert((*key).to_owned(), v.clone());
                }
            }
            if let Some(p) = call.args.str("password") {
                user.password = p;
            }
            if call.args.flag("block") {
                user.blocked = true;
            }
            if call.args.flag("unblock") {
                user.blocked = false;
            }
            ok(user_json(user), "update: User updated")
        }
        "DELETE" => {
            c.users.remove(&name).ok_or_else(|| no_user(&name))?;
            ok(json!({}), "delete: User deleted")
        }
        _ => Err(bad_method(call)),
    }
}

/// One kind of list entry on a user or a permission group.
#[derive(Debug)]
pub(crate) struct EntryDef {
    resource: &'static str,
    on_group: bool,
    /// The list member of the owner.
    field: &'static str,
    /// The argument of a `PUT` that replaces the whole list.
    put_key: &'static str,
}

static ENTRIES: &[EntryDef] = &[
    EntryDef {
        resource: "UserPermissionEntry",
        on_group: false,
        field: "permission",
        put_key: "permission",
    },
    EntryDef {
        resource: "UserGroupEntry",
        on_group: false,
        field: "group_name",
        put_key: "group",
    },
    EntryDef {
        resource: "UserZoneEntry",
        on_group: false,
        field: "zone",
        put_key: "zone",
    },
    EntryDef {
        resource: "UserForbidEntry",
        on_group: false,
        field: "forbid",
        put_key: "forbid",
    },
    EntryDef {
        resource: "PermissionGroupPermissionEntry",
        on_group: true,
        field: "permission",
        put_key: "permission",
    },
    EntryDef {
        resource: "PermissionGroupZoneEntry",
        on_group: true,
        field: "zone",
        put_key: "zone",
    },
    EntryDef {
        resource: "PermissionGroupSubgroupEntry",
        on_group: true,
        field: "subgroup",
        put_key: "subgroup",
    },
    EntryDef {
        resource: "PermissionGroupUserEntry",
        on_group: true,
        field: "user_name",
        put_key: "user_name",
    },
];

pub(crate) fn find_entry(resource: &str) -> Option<&'static EntryDef> {
    ENTRIES
        .iter()
        .find(|d| d.resource.eq_ignore_ascii_case(resource))
}

fn values(list: &[Value]) -> Vec<Value> {
    list.iter()
        .map(|v| match v {
            Value::Object(o) => o
                .get("name")
                .or_else(|| o.get("zone_name"))
                .cloned()
                .unwrap_or_else(|| v.clone()),
            other => other.clone(),
        })
        .collect()
}

/// `/REST/<Owner><Kind>Entry/<owner>/[<item>/]`: POST adds, DELETE removes, PUT replaces.
pub(crate) fn entry(world: &mut World, call: &Call, def: &'static EntryDef) -> TmResult {
    let owner = call
        .part(0)
        .ok_or_else(|| {
            missing(if def.on_group {
                "group_name"
            } else {
                "user_name"
            })
        })?
        .to_owned();
    let item = call.part(1).map(|s| json!(s));
    let c = customer(world, call)?;
    let mut list: Vec<Value> = if def.on_group {
        let group = c
            .object("group", &owner)
            .ok_or_else(|| not_found(format!("group_name: No such group {owner}")))?;
        group
            .get(def.field)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    } else {
        let user = c.users.get(&owner).ok_or_else(|| no_user(&owner))?;
        if def.field == "permission" {
            user.permissions.iter().map(|p| json!(p)).collect()
        } else {
            user.fields
                .get(def.field)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        }
    };
    match (call.method.as_str(), item) {
        ("POST", Some(item)) => {
            if !list.contains(&item) {
                list.push(item);
            }
        }
        ("DELETE", Some(item)) => list.retain(|v| *v != item),
        ("PUT", None) => {
            list = values(
                &call
                    .args
                    .list(def.put_key)
                    .ok_or_else(|| missing(def.put_key))?,
            )
        }
        ("GET", None) => {}
        _ => return Err(bad_method(call)),
    }
    if def.on_group {
        if let Some(Value::Object(group)) = c.collection("group").get_mut(&owner) {
            group.insert(def.field.into(), Value::Array(list.clone()));
        }
    } else if let Some(user) = c.users.get_mut(&owner) {
        if def.field == "permission" {
            user.permissions = list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
        } else {
            user.fields
                .insert(def.field.into(), Value::Array(list.clone()));
        }
    }
    ok(
        json!({def.field: list}),
        format!("update: {} updated", def.resource),
    )
}
