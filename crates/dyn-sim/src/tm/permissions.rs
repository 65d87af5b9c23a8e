//! Permission checks: which permission each resource and method needs, and the
//! `PERMISSION_DENIED` failure for users without it (or with it forbidden).

use serde_json::Value;

use super::envelope::{Failure, Msg};
use super::{Call, Sess};
use crate::world::World;

/// The permission a request needs, if any. Names follow the API's permission list.
fn needed(resource: &str, method: &str) -> Option<&'static str> {
    let crud = |get, post, put, delete| match method {
        "GET" => Some(get),
        "POST" => Some(post),
        "PUT" => Some(put),
        "DELETE" => Some(delete),
        _ => None,
    };
    let r = resource.to_ascii_lowercase();
    match r.as_str() {
        "zone" | "zonefile" | "zonetransfer" => {
            crud("ZoneGet", "ZoneCreate", "ZoneUpdate", "ZoneDelete")
        }
        "zonechanges" => Some("ZoneChangeset"),
        "allrecord" | "anyrecord" | "nodelist" => Some("RecordGet"),
        "node" => Some("ZoneRemoveNode"),
        "secondary" => crud(
            "ZoneGetSecondary",
            "ZoneAddSecondary",
            "ZoneUpdateSecondary",
            "ZoneDelete",
        ),
        "tsigkey" => Some("TSIG"),
        "httpredirect" => Some("HTTPRedirect"),
        "ddns" => Some("DynamicDNS"),
        "failover" => Some("ActiveFailover"),
        "dnssec" => Some("DNSSEC"),
        "iptrack" => Some("ReverseDNS"),
        "user" => crud("UserGet", "UserCreate", "UserUpdate", "UserDelete"),
        "contact" => crud(
            "ContactGet",
            "ContactCreate",
            "ContactUpdate",
            "ContactDelete",
        ),
        "task" => crud("TaskGet", "TaskGet", "TaskGet", "TaskCancel"),
        "qpsreport" => Some("ReportQPS"),
        "zonenotereport" => Some("ReportZoneNote"),
        _ if r.starts_with("gslb") => Some("GSLB"),
        _ if r.starts_with("rttm") => Some("RTTM"),
        _ if r.starts_with("advredirect") => Some("AdvRedirect"),
        _ if r.starts_with("dsf") => Some("DSF"),
        _ if r.ends_with("record") && super::rdata::spec(&r[..r.len() - 6]).is_some() => {
            crud("RecordGet", "RecordAdd", "RecordUpdate", "RecordDelete")
        }
        _ => None,
    }
}

/// Refuses the request when the session's user lacks (or is forbidden) the permission.
pub(crate) fn check(world: &World, call: &Call, sess: &Sess) -> Result<(), Failure> {
    let Some(permission) = needed(&call.resource, &call.method) else {
        return Ok(());
    };
    let user = world
        .customers
        .get(&sess.customer.to_ascii_lowercase())
        .and_then(|c| c.users.get(&sess.user));
    let allowed = user.is_some_and(|u| {
        let forbidden = u
            .fields
            .get("forbid")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|f| f.as_str() == Some(permission)));
        !forbidden && u.permissions.iter().any(|p| p == permission)
    });
    if allowed {
        Ok(())
    } else {
        Err(Failure::new(
            400,
            vec![Msg::error(
                "PERMISSION_DENIED",
                "BLL",
                format!("permission: You do not have the {permission} permission"),
            )],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::needed;

    #[test]
    fn resources_map_to_permissions() {
        assert_eq!(needed("ARecord", "POST"), Some("RecordAdd"));
        assert_eq!(needed("Zone", "DELETE"), Some("ZoneDelete"));
        assert_eq!(needed("GSLBRegionPoolEntry", "PUT"), Some("GSLB"));
        assert_eq!(needed("Session", "GET"), None);
        assert_eq!(needed("AllRecord", "GET"), Some("RecordGet"));
    }
}
